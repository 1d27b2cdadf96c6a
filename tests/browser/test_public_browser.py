"""The public journey in Chromium, with JavaScript off and on: browse, filter, switch language,
open an object, send a tip, come back with the receipt code. Plus right-to-left Arabic, the
keyboard-only path and a 360-px phone without sideways scrolling. Screenshots: var/test/browser/."""

import re

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from objects import services
from objects.models import TraceObjectTranslation
from tests.browser.conftest import ARTEFACTS
from tests.factories import make_category, make_object
from tests.personas import make_investigator
from tips import services as tip_services
from tips.models import Tip


@pytest.fixture
def objects(db):
    bags = make_category("bags", "Bags and luggage")
    lamps = make_category("lamps", "Lamps")
    bag = make_object(category=bags, title="Canvas tote bag", question="Where is this bag sold?")
    lamp = make_object(category=lamps, title="Brass hotel lamp", question="Which hotel is this?")
    services.translation_save(
        translation=TraceObjectTranslation(
            trace_object=lamp,
            language="de",
            title="Messing-Hotellampe",
            question="Welches Hotel ist das?",
        )
    )
    return {"bag": bag, "lamp": lamp}


def _shot(page, name):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


@pytest.fixture(params=[False, True], ids=["js-off", "js-on"])
def phone(browser, request):
    context = browser.new_context(
        java_script_enabled=request.param,
        viewport={"width": 390, "height": 844},
        locale="en-GB",
    )
    page = context.new_page()
    page.js = request.param
    yield page
    context.close()


@pytest.mark.django_db(transaction=True)
@override_settings(TIP_MIN_FILL_SECONDS=0)
def test_browse_filter_switch_language_tip_and_follow_up(live_server, objects, phone):
    page = phone
    label = "js-on" if page.js else "js-off"
    loaded = []
    page.on("request", lambda r: loaded.append(r.url))

    page.goto(live_server.url + "/")  # Accept-Language: en-GB
    assert page.url == live_server.url + "/en/"
    assert page.locator(".card").count() == 2

    # The categories are plain links (one way to choose one), not a drop-down.
    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Lamps").click()
    expect(page.locator(".card")).to_have_count(1)
    _shot(page, f"journey-{label}-filtered")

    page.locator("details.languages summary").click()  # a disclosure: works without JavaScript
    page.get_by_role("link", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url.startswith(live_server.url + "/de/?")
    assert "category=lamps" in page.url
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Können Sie diese Objekte identifizieren?"
    )

    page.get_by_role("link", name="Messing-Hotellampe").click()
    assert page.get_by_role("heading", name="Welches Hotel ist das?").is_visible()
    page.get_by_role("link", name="Einen Hinweis zu diesem Objekt senden").click()

    page.get_by_label("Was wissen Sie über dieses Objekt?").fill(
        "Diese Lampe steht in einem Hotel in Wien, am Ring."
    )
    page.get_by_label("Ich glaube schon").check()
    page.get_by_role("button", name="Hinweis senden").click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Danke – Ihr Hinweis ist eingegangen"
    )
    code = page.get_by_label("Ihr Belegcode").input_value()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    _shot(page, f"journey-{label}-receipt")
    tip = Tip.objects.get()
    assert tip.language == "de" and tip.trace_object == objects["lamp"]

    tip_services.tip_ask(tip=tip, user=make_investigator(), body="Welches Stockwerk?")
    page.get_by_role("link", name="Nachfrageseite").click()
    page.get_by_label("Ihr Belegcode").fill(code)
    page.get_by_role("button", name="Nachsehen").click()
    expect(page.get_by_text("Welches Stockwerk?")).to_be_visible()
    assert code not in page.url
    _shot(page, f"journey-{label}-follow-up")
    assert all(url.startswith(live_server.url) for url in loaded), loaded


@pytest.mark.django_db(transaction=True)
def test_arabic_pages_are_laid_out_right_to_left(live_server, objects, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    positions = {}
    for language in ("en", "ar"):
        page.goto(f"{live_server.url}/{language}/objects/{objects['bag'].reference}/")
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        box = page.locator(".brand").bounding_box()
        positions[language] = (box["x"], box["x"] + box["width"])
        _shot(page, f"layout-{language}")
    context.close()
    # The brand starts at the left edge in English and ends at the right edge in Arabic.
    assert positions["en"][0] < 40
    assert positions["ar"][1] > 390 - 40


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_360_px_phone_never_scrolls_sideways(live_server, objects, browser, language):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    bag = objects["bag"].reference
    for path in (
        "/",
        "/?category=bags",
        f"/objects/{bag}/",
        f"/objects/{bag}/tip/",
        "/follow-up/",
        "/identified/",
        "/results/",
        "/about/",
        "/privacy/",
    ):
        page.goto(f"{live_server.url}/{language}{path}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)
    _shot(page, f"phone-360-{language}")
    context.close()


@pytest.mark.django_db(transaction=True)
@override_settings(TIP_MIN_FILL_SECONDS=0)
def test_keyboard_only_from_the_gallery_to_a_sent_tip(live_server, objects, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/en/")

    def tab_to(predicate, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible

    tab_to("() => document.activeElement.textContent.includes('Canvas tote bag')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/objects/TAO-\d+/$"))
    tab_to("() => document.activeElement.textContent.includes('Send a tip about this object')")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tip/$"))

    tab_to("() => document.activeElement.id === 'id_body'")
    page.keyboard.type("I have seen this bag at a market in Ghent.")
    tab_to("() => document.activeElement.name === 'certainty'")
    page.keyboard.press("Space")
    tab_to("() => document.activeElement.type === 'submit'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you — your tip was received")
    _shot(page, "keyboard-only-receipt")
    context.close()
    assert Tip.objects.get().body == "I have seen this bag at a market in Ghent."
