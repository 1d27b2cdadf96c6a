"""axe-core (bundled with axe-playwright-python, no network) in Chromium on every public page,
in English, German, Polish and Arabic (right-to-left): zero violations, best practices included."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from playwright.sync_api import expect

from objects import services
from objects.models import TraceObject, TraceObjectTranslation
from tests.browser.conftest import ARTEFACTS
from tests.factories import make_category, make_object, make_tip
from tests.personas import make_investigator
from tips import services as tip_services

LANGUAGES = ["en", "de", "pl", "ar"]


@pytest.fixture
def site(db):
    bags = make_category("bags", "Bags")
    obj = make_object(category=bags, title="Canvas tote bag", question="Where is this bag sold?")
    services.translation_save(
        translation=TraceObjectTranslation(
            trace_object=obj,
            language="ar",
            title="حقيبة قماشية",
            question="أين تُباع هذه الحقيبة؟",
            alt_text="حقيبة قماشية بيضاء بشريط أزرق",
        )
    )
    identified = make_object(title="Brass lamp")
    identified.status = TraceObject.Status.IDENTIFIED
    identified.identification_note = "Traced to a hotel chain."
    services.object_save(obj=identified)
    withdrawn = make_object(status="withdrawn")
    receipt = make_tip(obj)
    tip_services.tip_ask(tip=receipt.tip, user=make_investigator(), body="Which stall was it?")
    return {"obj": obj, "identified": identified, "withdrawn": withdrawn, "code": receipt.code}


def _pages(site):
    obj = site["obj"]
    return {
        "gallery": "/",
        "gallery-filtered": "/?category=bags&q=bag",
        "gallery-empty": "/?q=zeppelin",
        "object": f"/objects/{obj.reference}/",
        "object-identified": f"/objects/{site['identified'].reference}/",
        "object-withdrawn": f"/objects/{site['withdrawn'].reference}/",
        "identified": "/identified/",
        "results": "/results/",
        "about": "/about/",
        "privacy": "/privacy/",
        "tip-form": f"/objects/{obj.reference}/tip/",
        "follow-up": "/follow-up/",
        "report": "/report/",
        "report-country": "/report/?country=PL",
        "general-tip-form": "/report/tip/",
        "legal": "/legal/",
        "accessibility": "/accessibility/",
        "not-found": "/no-such-page/",
    }


def _check(page, name):
    results = Axe().run(page)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"axe-{name}.png"), full_page=True)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_has_no_axe_violations(live_server, site, page, language):
    checked = []
    for name, path in _pages(site).items():
        page.goto(f"{live_server.url}/{language}{path}")
        assert page.locator("html").get_attribute("lang") == language
        _check(page, f"{language}-{name}")
        checked.append(name)
    assert len(checked) == 18


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(TIP_MIN_FILL_SECONDS=0)
def test_form_errors_receipt_and_follow_up_have_no_axe_violations(
    live_server, site, page, language
):
    obj = site["obj"]
    page.goto(f"{live_server.url}/{language}/objects/{obj.reference}/tip/")
    page.locator("button[type=submit]").click()  # empty: the errors page
    expect(page.locator("#id_body_error")).to_be_visible()
    body = page.locator("#id_body")
    assert body.get_attribute("aria-invalid") == "true"
    assert "id_body_error" in body.get_attribute("aria-describedby")
    _check(page, f"{language}-tip-errors")

    body.fill("I saw this bag at the Saturday market in Utrecht.")
    page.locator("input[name=certainty]").first.check()
    page.locator("button[type=submit]").click()
    expect(page.locator("#receipt-code")).to_be_visible()
    _check(page, f"{language}-receipt")

    page.goto(f"{live_server.url}/{language}/follow-up/")
    page.locator("#id_code").fill(site["code"])
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_text("Which stall was it?")).to_be_visible()
    _check(page, f"{language}-follow-up-result")


def test_axe_really_runs_and_finds_a_planted_violation(page):
    """Guards the checks above against passing because axe did not run at all."""
    page.set_content('<html><body><main><img src="x.png"><input type="text"></main></body></html>')
    results = Axe().run(page)
    rules = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "label", "html-has-lang"} <= rules


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_open_language_menu_and_search_have_no_axe_violations(
    live_server, site, page, language
):
    page.goto(f"{live_server.url}/{language}/")
    page.locator("details.languages summary").click()
    page.locator("details.search summary").click()
    expect(page.locator("details.languages nav a").first).to_be_visible()
    expect(page.locator("#id_q")).to_be_visible()
    _check(page, f"{language}-menus-open")
