"""Something else to report: emergency numbers and reporting lines per country, chosen by the
visitor (tips/hotlines.json)."""

import json
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from tips import hotlines

URL = reverse("tips:report")


def _page(language):
    with translation.override(language):
        return reverse("tips:report")


@pytest.mark.django_db
def test_the_chosen_countrys_numbers_and_lines_are_listed(client):
    body = client.get(URL, {"country": "DE"}).content.decode()
    assert "<h3>Germany</h3>" in body
    assert '<a href="tel:110" class="phone"><bdi dir="ltr">110</bdi></a> — Police' in body
    assert '<a href="tel:112" class="phone"><bdi dir="ltr">112</bdi></a> — All emergencies' in body
    assert 'href="https://www.internet-beschwerdestelle.de" rel="noopener noreferrer"' in body
    assert "a member of INHOPE" in body
    assert 'href="/en/report/tip/"' in body


@pytest.mark.django_db
def test_the_country_is_never_guessed_from_the_request(client):
    response = client.get(
        URL,
        HTTP_ACCEPT_LANGUAGE="de-DE",
        HTTP_CF_IPCOUNTRY="DE",
        HTTP_X_FORWARDED_FOR="85.13.0.1",
        REMOTE_ADDR="85.13.0.1",
    )
    body = response.content.decode()
    assert "country-lines" not in body
    assert re.findall(r'<option value="(\w*)" selected>', body) == [""]
    assert "112 works across Europe" in body


@pytest.mark.django_db
def test_a_country_not_in_the_list_is_404(client):
    assert client.get(URL, {"country": "XX"}).status_code == 404


@pytest.mark.django_db
def test_names_and_headings_are_in_the_page_language(client):
    body = client.get(_page("pl"), {"country": "DE"}).content.decode()
    with translation.override("pl"):
        police = str(hotlines.KINDS["police"])
        heading = translation.gettext("If a child is in danger now")
    assert "<h3>Niemcy</h3>" in body
    assert f"— {police}" in body and heading in body


@pytest.mark.django_db
def test_every_page_links_to_it(client, published):
    for url in (
        reverse("objects:gallery"),
        published.get_absolute_url(),
        reverse("tips:follow_up"),
    ):
        assert f'href="{URL}"' in client.get(url).content.decode()
    tip_form = client.get(reverse("tips:form", args=[published.number])).content.decode()
    assert f'href="{URL}"' in tip_form


def test_the_data_file_is_marked_for_the_operator_to_check_and_loads():
    data = json.loads(hotlines.PATH.read_text())
    assert "TO BE CHECKED BY THE OPERATOR" in data["about"] and "checked" in data
    listed = hotlines.hotlines()
    assert {"DE", "FR", "GB", "US", "AU", "PL", "NL"} <= set(listed)
    for country in listed.values():
        assert country.numbers, country.code  # every listed country has a number to call
        assert {line.kind for line in country.numbers} & {"emergency", "police"}, country.code


def test_a_malformed_entry_stops_the_page_loudly(tmp_path, monkeypatch):
    bad = tmp_path / "hotlines.json"
    bad.write_text(
        json.dumps(
            {
                "about": "",
                "checked": None,
                "countries": {"DE": {"numbers": [{"number": "call us", "kind": "police"}]}},
            }
        )
    )
    monkeypatch.setattr(hotlines, "PATH", bad)
    hotlines.hotlines.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match="not a phone number"):
            hotlines.hotlines()
    finally:
        hotlines.hotlines.cache_clear()


def test_the_country_choices_sort_by_name_in_the_language():
    with translation.override("de"):
        names = [name for _code, name in hotlines.country_choices()]
    assert names.index("Österreich") < names.index("Polen")
