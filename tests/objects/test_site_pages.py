"""Who runs the site: the operator in every page's header and footer, and the staff-written
legal notice and accessibility statement, in every language."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from objects import services
from objects.models import SitePage, SitePageTranslation
from tests.factories import make_object

OPERATOR = {
    "OPERATOR_NAME": "Example Police Service",
    "OPERATOR_URL": "https://police.example/",
    "OPERATOR_CONTACT_EMAIL": "tips@police.example",
    "OPERATOR_LOGO": "img/demo-operator.svg",
}


def _url(name, language="en"):
    with translation.override(language):
        return reverse(name)


@pytest.mark.django_db
@override_settings(**OPERATOR)
def test_every_public_page_names_the_operator_in_header_and_footer(client):
    obj = make_object()
    for url in (_url("objects:gallery"), obj.get_absolute_url(), _url("tips:follow_up")):
        body = client.get(url).content.decode()
        header = body.split("<header", 1)[1].split("</header>", 1)[0]
        footer = body.split("<footer", 1)[1].split("</footer>", 1)[0]
        assert "Run by Example Police Service" in header
        assert 'class="operator-logo" src="/static/img/demo-operator.svg"' in header
        assert '<a href="https://police.example/">Example Police Service</a>' in footer
        assert 'href="mailto:tips@police.example"' in footer
        assert f'href="{_url("objects:legal")}"' in footer
        assert f'href="{_url("objects:accessibility")}"' in footer


@pytest.mark.django_db
@override_settings(OPERATOR_NAME="", OPERATOR_URL="", OPERATOR_CONTACT_EMAIL="", OPERATOR_LOGO="")
def test_without_an_operator_nothing_pretends_to_name_one(client):
    body = client.get(_url("objects:gallery")).content.decode()
    assert "Run by" not in body and "operator-logo" not in body and "mailto:" not in body


@pytest.mark.django_db
def test_a_changed_operator_is_not_served_from_the_page_cache(client, settings):
    settings.OPERATOR_NAME = "First Police"
    assert "Run by First Police" in client.get(_url("objects:gallery")).content.decode()
    settings.OPERATOR_NAME = "Second Police"
    assert "Run by Second Police" in client.get(_url("objects:gallery")).content.decode()


@pytest.fixture
def legal(db):
    page = services.site_page_save(
        page=SitePage(kind="legal", title="Legal notice", body="Run by us.\n\nAddress: 1 Road.")
    )
    services.translation_save(
        translation=SitePageTranslation(page=page, language="de", title="Impressum", body="")
    )
    return page


def test_the_legal_notice_is_shown_as_staff_wrote_it(client, legal):
    body = client.get(_url("objects:legal")).content.decode()
    assert "<h1>Legal notice</h1>" in body
    assert "<p>Run by us.</p>" in body and "<p>Address: 1 Road.</p>" in body


def test_a_translated_page_falls_back_to_english_field_by_field(client, legal):
    body = client.get(_url("objects:legal", "de")).content.decode()
    assert "<h1>Impressum</h1>" in body
    assert '<div class="site-page-body" lang="en" dir="ltr"><p>Run by us.</p>' in body


def test_an_edited_page_is_shown_once_it_commits(client, legal, django_capture_on_commit_callbacks):
    assert "Run by us." in client.get(_url("objects:legal")).content.decode()
    legal.body = "Now run by someone else."
    with django_capture_on_commit_callbacks(execute=True):
        services.site_page_save(page=legal)
    assert "Now run by someone else." in client.get(_url("objects:legal")).content.decode()


@pytest.mark.django_db
def test_a_page_not_written_yet_says_so(client):
    response = client.get(_url("objects:accessibility", "pl"))
    assert response.status_code == 200
    with translation.override("pl"):
        heading = str(SitePage.Kind.ACCESSIBILITY.label)
        text = translation.gettext("The operator of this site has not published this page yet.")
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body and text in body


@pytest.mark.django_db
def test_an_editor_writes_the_accessibility_statement_in_two_languages(editor_client, client):
    data = {
        "kind": "accessibility",
        "title": "Accessibility statement",
        "body": "We aim for WCAG 2.2 AA.",
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-language": "nl",
        "translations-0-title": "Toegankelijkheidsverklaring",
        "translations-0-body": "We streven naar WCAG 2.2 AA.",
    }
    response = editor_client.post(reverse("admin:objects_sitepage_add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert "We streven naar" in client.get(_url("objects:accessibility", "nl")).content.decode()


@pytest.mark.django_db
def test_an_investigator_cannot_edit_the_site_pages(investigator_client):
    assert investigator_client.get(reverse("admin:objects_sitepage_add")).status_code == 403
