import re

import pytest
from django.test import override_settings

from tests.factories import make_object
from tests.personas import make_investigator
from tips import services
from tips.models import Tip


@pytest.mark.django_db(transaction=True)
@override_settings(TIP_MIN_FILL_SECONDS=0)
def test_a_visitor_without_javascript_sends_a_tip_and_reads_the_follow_up(live_server, page_no_js):
    obj = make_object(title="Canvas tote bag", question="Where is this bag sold?")
    page = page_no_js
    page.goto(live_server.url + obj.get_absolute_url())
    page.get_by_role("link", name="Send a tip about this object").click()
    assert "Send a tip about TAO-" in page.get_by_role("heading", level=1).inner_text()

    page.get_by_label("What do you know about this object?").fill(
        "I saw this bag at the Saturday market in Utrecht."
    )
    page.get_by_label("Country where it is from or sold").select_option("NL")
    page.get_by_label("I think so").check()
    page.get_by_role("button", name="Send the tip").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you — your tip was received"
    code = page.get_by_label("Your receipt code").input_value()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    tip = Tip.objects.get()
    assert tip.body == "I saw this bag at the Saturday market in Utrecht." and tip.country == "NL"

    services.tip_ask(tip=tip, user=make_investigator(), body="Which stall was it?")
    page.get_by_role("link", name="follow-up page").click()
    page.get_by_label("Your receipt code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Look up").click()
    assert "follow-up" in page.url and code not in page.url
    assert page.get_by_text("Which stall was it?").is_visible()
    page.get_by_label("Your reply").fill("The one with the green awning.")
    page.get_by_role("button", name="Send the reply").click()
    assert page.get_by_text("your reply was received").is_visible()
    assert tip.messages.filter(author="tipster").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
@override_settings(TIP_MIN_FILL_SECONDS=0)
def test_an_invalid_tip_moves_focus_to_the_error_summary(live_server, browser, javascript):
    obj = make_object(title="Canvas tote bag")
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + f"/pl/objects/{obj.reference}/tip/")
        page.locator("#id_body").fill("krótko")
        page.locator("button[type=submit]").click()
        assert page.title().startswith("Błąd: ")
        assert page.evaluate("document.activeElement.className") == "error-summary"
        summary = page.locator(".error-summary")
        assert summary.bounding_box()["y"] < 844  # on the first screen
        summary.get_by_role("link").first.click()  # each message leads to its field
        assert page.evaluate("document.activeElement.id") == "id_body"
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
@override_settings(TIP_MIN_FILL_SECONDS=0)
def test_reloading_the_receipt_page_shows_the_same_code(live_server, page_no_js):
    obj = make_object(title="Canvas tote bag")
    page = page_no_js
    page.goto(live_server.url + obj.get_absolute_url())
    page.get_by_role("link", name="Send a tip about this object").click()
    page.get_by_label("What do you know about this object?").fill("Sold at the market in Ghent.")
    page.get_by_role("button", name="Send the tip").click()
    code = page.get_by_label("Your receipt code").input_value()
    page.reload()  # the browser sends the same form again
    assert page.get_by_label("Your receipt code").input_value() == code
    assert page.get_by_text("You sent this form before").is_visible()
    assert Tip.objects.count() == 1
