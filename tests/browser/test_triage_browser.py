"""An investigator logs in with a password and a TOTP code, triages three tips, asks a question."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_object, make_tip
from tests.personas import PASSWORD, make_investigator, totp_code, totp_device
from tips.models import Tip, TipMessage
from traceobject import crypto

from .conftest import ARTEFACTS


@pytest.mark.django_db(transaction=True)
def test_an_investigator_logs_in_with_totp_triages_three_tips_and_asks(live_server, browser):
    user = make_investigator()
    obj = make_object(title="Canvas tote bag")
    first = make_tip(obj, body="Sold at the Hema in Utrecht, I am sure.").tip
    second = make_tip(obj, body="Buy cheap watches at my site!!!").tip
    third = make_tip(obj, body="It is a bag from a supermarket.").tip
    fourth = make_tip(obj, body="My aunt has one, from a shop in Ghent.").tip

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/backoffice/")
    page.get_by_label("Username").fill("investigator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill(totp_code(totp_device(user)))
    page.get_by_role("button", name="Verify").click()

    page.goto(live_server.url + "/backoffice/triage/")
    expect(page.locator("#tip-body")).to_contain_text("Sold at the Hema in Utrecht")
    page.get_by_role("button", name="Useful u", exact=True).click()
    expect(page.locator("#tip-body")).to_contain_text("Buy cheap watches")
    page.wait_for_load_state("load")  # triage.js (deferred) listens from here on
    page.keyboard.press("s")  # the keyboard shortcut (static/js/triage.js) for spam
    expect(page.locator("#tip-body")).to_contain_text("It is a bag from a supermarket.")
    page.get_by_role("button", name="Not useful n", exact=True).click()
    expect(page.locator("#tip-body")).to_contain_text("My aunt has one")
    page.get_by_label("Question to the tipster").fill("Which shop in Ghent, please?")
    page.get_by_role("button", name="Ask the tipster").click()
    expect(page.get_by_text("Your question is on the tipster's follow-up page.")).to_be_visible()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / "triage.png"), full_page=True)
    context.close()

    statuses = dict(Tip.objects.values_list("pk", "status"))
    assert statuses[first.pk] == "useful"
    assert statuses[second.pk] == "spam"
    assert statuses[third.pk] == "not_useful"
    assert statuses[fourth.pk] == "in_review"
    question = TipMessage.objects.get(tip=fourth)
    assert crypto.decrypt_text(question.body_encrypted) == "Which shop in Ghent, please?"
