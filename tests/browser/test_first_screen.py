"""Object first, on a phone: Chromium at 390 × 844, JavaScript off and on, in English, German,
Polish and Arabic, on the demo data (real texts in every language).

The first card's top and the object page's "Send a tip" button are within the first screen, no
page scrolls sideways, and the German noun of an object finds it on /de/. Each test saves a
screenshot of the first screen to var/test/browser/ (the positions are also printed).
"""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.browser.conftest import ARTEFACTS

WIDTH, HEIGHT = 390, 844
LANGUAGES = ["en", "de", "pl", "ar"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", limit=6, stdout=io.StringIO())


@pytest.fixture(params=[False, True], ids=["js-off", "js-on"])
def phone(browser, request):
    context = browser.new_context(
        java_script_enabled=request.param, viewport={"width": WIDTH, "height": HEIGHT}
    )
    page = context.new_page()
    page.js = request.param
    yield page
    context.close()


def _shot(page, name):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"first-screen-{name}-js{'on' if page.js else 'off'}.png"
    page.screenshot(path=str(path))  # the first screen only, as a visitor sees it
    return path


def _no_sideways_scroll(page):
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, f"{page.url}: {scroll}px wide in a {client}px screen"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_first_card_starts_within_the_first_screen(live_server, demo, phone, language):
    phone.goto(f"{live_server.url}/{language}/")
    card = phone.locator(".cards .card").first.bounding_box()
    path = _shot(phone, f"gallery-{language}")
    print(f"\n{language} js={phone.js}: first card top {card['y']:.0f}px ({path})")
    assert card["y"] + 40 < HEIGHT  # its image has begun, not only its border
    assert card["x"] >= 0 and card["x"] + card["width"] <= WIDTH
    _no_sideways_scroll(phone)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_send_a_tip_is_within_the_first_screen(live_server, demo, phone, language):
    phone.goto(f"{live_server.url}/{language}/")
    phone.locator(".cards .card a").first.click()
    button = phone.locator(".cta a.button")
    box = button.bounding_box()
    path = _shot(phone, f"object-{language}")
    bottom = box["y"] + box["height"]
    print(f"\n{language} js={phone.js}: Send a tip {box['y']:.0f}-{bottom:.0f}px ({path})")
    assert bottom <= HEIGHT
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    # The question is right before it, the image right before that.
    question = phone.locator(".object-ask .question").bounding_box()
    image = phone.locator(".object-image img").first.bounding_box()
    assert image["y"] < question["y"] < box["y"]
    assert question["y"] - (image["y"] + image["height"]) < 80
    _no_sideways_scroll(phone)


@pytest.mark.django_db(transaction=True)
def test_the_german_word_for_an_objects_noun_finds_it_on_the_german_gallery(
    live_server, demo, phone
):
    phone.goto(f"{live_server.url}/de/")
    phone.locator("details.search summary").click()  # a disclosure: works without JavaScript
    phone.get_by_role("searchbox").fill("Tasche")
    phone.get_by_role("search").get_by_role("button").click()
    titles = phone.locator(".cards .card-title").all_inner_texts()
    _shot(phone, "search-de-tasche")
    assert "Stofftasche mit Sonnenlogo" in titles  # its title: "Stofftasche"
    # The other bags match by their category, "Taschen und Gepäck"; the shirt does not.
    assert "Blaues T-Shirt mit Surfclub-Aufdruck" not in titles


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(TIP_MIN_FILL_SECONDS=0)
def test_no_public_page_scrolls_sideways(live_server, demo, phone, language):
    from objects.models import TraceObject

    obj = TraceObject.objects.published().first()
    paths = [
        "/",
        "/?category=clothing",
        f"/objects/{obj.reference}/",
        f"/objects/{obj.reference}/tip/",
        "/identified/",
        "/results/",
        "/about/",
        "/follow-up/",
        "/report/?country=DE",
        "/report/tip/",
        "/legal/",
    ]
    for path in paths:
        phone.goto(f"{live_server.url}/{language}{path}")
        _no_sideways_scroll(phone)
    phone.goto(f"{live_server.url}/{language}/objects/{obj.reference}/tip/")
    phone.locator("button[type=submit]").click()  # the form with its error summary
    _no_sideways_scroll(phone)
