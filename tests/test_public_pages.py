"""Properties every public page must have: no cookie, no other origin, no internal data."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import make_object

CASE_SENTINEL = "CASE-SENTINEL-9d2e41"


class _Refs(HTMLParser):
    """Collects every URL the browser would load or follow from a page."""

    def __init__(self):
        super().__init__()
        self.loaded, self.links, self.alternates = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "srcset", "poster", "data"):
            if attrs.get(name):
                self.loaded.append(attrs[name])
        if tag == "link" and attrs.get("href"):
            # hreflang alternates, the canonical URL and feeds are addresses, not fetched.
            if attrs.get("rel") in ("alternate", "canonical"):
                self.alternates.append(attrs["href"])
            else:
                self.loaded.append(attrs["href"])
        if tag in ("form",) and attrs.get("action"):
            self.loaded.append(attrs["action"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


@pytest.fixture
def public_urls(db):
    published = make_object(case_reference=CASE_SENTINEL)
    identified = make_object(status="identified", case_reference=CASE_SENTINEL)
    withdrawn = make_object(status="withdrawn", case_reference=CASE_SENTINEL)
    return [
        reverse("objects:gallery"),
        reverse("objects:gallery") + f"?category={published.category.slug}",
        reverse("objects:gallery") + "?q=test",
        published.get_absolute_url(),
        identified.get_absolute_url(),
        withdrawn.get_absolute_url(),
        reverse("objects:identified"),
        reverse("objects:about"),
        reverse("objects:privacy"),
        reverse("objects:detail", args=[9999]),
        "/no-such-page/",
    ]


def test_no_public_page_sets_a_cookie(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.cookies == {}, url
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.headers.get("Vary", ""), url


def test_no_public_page_loads_anything_from_another_origin(client, public_urls):
    for url in public_urls:
        parser = _Refs()
        parser.feed(client.get(url).content.decode())
        assert parser.loaded, url
        for ref in parser.loaded:
            assert ref.startswith("/") and not ref.startswith("//"), (url, ref)
        for ref in parser.alternates:
            assert ref.startswith(("/", "http://testserver/")), (url, ref)
            assert not ref.startswith("//"), (url, ref)


def test_the_case_reference_never_reaches_a_public_response(client, public_urls):
    for url in public_urls:
        assert CASE_SENTINEL not in client.get(url).content.decode(), url


def test_public_pages_send_the_security_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, url
        assert "unsafe-inline" not in csp
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response.headers["Permissions-Policy"]


def test_successful_public_pages_are_cacheable(client, public_urls):
    response = client.get(public_urls[0])
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_public_media_is_served_with_immutable_caching(client):
    obj = make_object()
    url = obj.primary_image.thumb["url"]
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert "immutable" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_originals_are_not_reachable_through_public_media(client):
    obj = make_object()
    original = obj.primary_image.original.name
    assert client.get(f"/media/{original}").status_code == 404
    assert client.get(f"/media/../private/{original}").status_code in (400, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/en/", "/en/about/", "/backoffice/"])
def test_a_host_we_do_not_serve_gets_a_400_never_a_500(client, path):
    response = client.get(path, HTTP_HOST="not-our-host.invalid")
    assert response.status_code == 400
    assert b"not-our-host" not in response.content
