"""Identified objects, the results page, share links, preview tags, feeds, sitemap, robots.txt."""

import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from objects import services
from objects.models import TraceObject
from tests.factories import make_object, make_tip
from tips.models import Tip

ATOM = "{http://www.w3.org/2005/Atom}"


class _Meta(HTMLParser):
    """The page's meta tags, and the links in its list of share links."""

    def __init__(self):
        super().__init__()
        self.meta, self.share, self.in_share = {}, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content")
        if tag == "ul":
            self.in_share = attrs.get("class") == "share-links"
        if tag == "a" and self.in_share:
            self.share.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "ul":
            self.in_share = False


def _parse(response):
    parser = _Meta()
    parser.feed(response.content.decode())
    return parser


def _identify(obj, note="Traced to a shop in Porto.", country="PT"):
    obj.status = TraceObject.Status.IDENTIFIED
    obj.identification_note = note
    obj.traced_country = country
    services.object_save(obj=obj)
    return obj


@pytest.mark.django_db
def test_an_identified_object_says_so_shows_the_note_and_asks_for_no_tips(client):
    obj = _identify(make_object())
    body = client.get(obj.get_absolute_url()).content.decode()
    assert "Identified — thank you" in body
    assert "Traced to a shop in Porto." in body
    assert reverse("tips:form", args=[obj.number]) not in body
    assert "Share this object" not in body
    assert obj.title in client.get(reverse("objects:identified")).content.decode()


@pytest.mark.django_db
def test_results_are_counted_from_the_data(client):
    a, b, c = make_object(), make_object(), make_object()
    make_object(status="draft")
    make_tip(a)
    make_tip(b)
    spam = make_tip(b).tip
    Tip.objects.filter(pk=spam.pk).update(status=Tip.Status.SPAM)
    _identify(a, country="PT")
    _identify(b, country="PT")
    _identify(c, country="BR")
    results = client.get(reverse("tips:results")).context["results"]
    assert (results.tips_received, results.objects_published) == (2, 3)
    assert (results.objects_identified, results.countries_traced) == (3, 2)


@pytest.mark.django_db
def test_results_are_cached_and_refreshed_by_the_services(
    client, django_assert_num_queries, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_STATS_SECONDS = 1
    obj = make_object()
    url = reverse("tips:results")
    assert client.get(url).context["results"].tips_received == 0
    with django_assert_num_queries(0):
        assert client.get(url).context["results"].tips_received == 0
    make_tip(obj)
    # A new tip is no reason to count every tip again at once...
    with django_assert_num_queries(0):
        assert client.get(url).context["results"].tips_received == 0
    time.sleep(1.1)
    # ...but it is counted within PUBLIC_STATS_SECONDS.
    assert client.get(url).context["results"].tips_received == 1
    with django_capture_on_commit_callbacks(execute=True):
        _identify(obj)
    assert client.get(url).context["results"].objects_identified == 1


@pytest.mark.django_db
def test_share_links_are_plain_links_with_a_reminder_and_a_copy_field(client):
    obj = make_object(question="Where is this bag sold?")
    response = client.get(obj.get_absolute_url())
    parsed, body = _parse(response), response.content.decode()
    absolute = f"http://testserver{obj.get_absolute_url()}"
    hosts = [href.split("/")[2] if "//" in href else "mailto" for href in parsed.share]
    assert hosts == ["mailto", "x.com", "www.facebook.com", "wa.me", "t.me"]
    encoded = absolute.replace(":", "%3A").replace("/", "%2F")
    assert all(encoded in href for href in parsed.share)
    assert f'value="{absolute}" dir="ltr" readonly' in body
    assert "Do not post names" in body
    assert "<script" not in body and "<iframe" not in body


@pytest.mark.django_db
def test_preview_tags_carry_the_object_and_an_absolute_image_url(client):
    obj = make_object(title="Canvas tote bag")
    meta = _parse(client.get(obj.get_absolute_url())).meta
    assert meta["og:title"] == f"Canvas tote bag ({obj.reference})"
    assert meta["og:url"] == f"http://testserver{obj.get_absolute_url()}"
    large = obj.primary_image.large
    assert meta["og:image"] == f"http://testserver{large['url']}"
    assert meta["og:image:width"] == str(large["width"])
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:image"] == meta["og:image"]
    assert client.get(meta["og:image"].removeprefix("http://testserver")).status_code == 200


@pytest.mark.django_db
def test_the_atom_feed_lists_published_objects_newest_first(client):
    old = make_object(title="Old bag", days_ago=20)
    new = make_object(title="New lamp", days_ago=1)
    make_object(title="Draft thing", status="draft")
    response = client.get(reverse("objects:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, parsed in a test)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == [f"{new.reference}: New lamp", f"{old.reference}: Old bag"]
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    assert links[0] == f"http://testserver{new.get_absolute_url()}"


@pytest.mark.django_db
def test_the_category_feed_lists_only_that_category(client):
    bag = make_object(title="Bag")
    make_object(title="Lamp")
    response = client.get(reverse("objects:feed_category", args=[bag.category.slug]))
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed, parsed in a test)
    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == [
        f"{bag.reference}: Bag"
    ]
    assert client.get(reverse("objects:feed_category", args=["no-such"])).status_code == 404


@pytest.mark.django_db
def test_the_sitemap_lists_every_language_with_alternates(client):
    obj = make_object()
    draft = make_object(status="draft")
    body = client.get("/sitemap.xml").content.decode()
    for code in ("en", "de", "ar"):
        assert f"/{code}/objects/{obj.reference}/</loc>" in body
        assert f'hreflang="{code}"' in body
    assert 'hreflang="x-default"' in body
    assert draft.reference not in body


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_off_the_back_office_and_the_forms(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /backoffice/" in body
    assert "Disallow: /de/objects/*/tip/" in body
    assert "Disallow: /ar/follow-up/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.django_db
def test_share_texts_and_preview_tags_are_in_the_pages_language(client):
    from urllib.parse import quote

    from django.utils import translation

    from objects.models import TraceObjectTranslation

    obj = make_object(title="Canvas tote bag", question="Where is this bag sold?")
    services.translation_save(
        translation=TraceObjectTranslation(
            trace_object=obj,
            language="de",
            title="Stofftasche",
            question="Wo wird diese Tasche verkauft?",
            alt_text="Weiße Stofftasche",
        )
    )
    with translation.override("de"):
        response = client.get(obj.get_absolute_url())
        lead = translation.gettext("Do you recognise this object?")
    parsed = _parse(response)
    meta = parsed.meta
    assert meta["og:title"] == f"Stofftasche ({obj.reference})"
    assert meta["og:description"] == meta["twitter:description"] == "Wo wird diese Tasche verkauft?"
    assert meta["og:image:alt"] == "Weiße Stofftasche"
    assert meta["og:locale"] == "de_DE" and meta["og:site_name"] != ""
    assert "Where is this bag sold?" not in response.content.decode()
    alternates = [a for a in response.content.decode().split('"') if a.endswith("_FR")]
    assert alternates == ["fr_FR"]
    text = quote(f"{lead} Wo wird diese Tasche verkauft?", safe="")
    assert lead != "Do you recognise this object?"
    assert any(text in href for href in parsed.share if "x.com" in href)
