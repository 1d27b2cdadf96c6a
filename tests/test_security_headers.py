"""Every response — every URL pattern, public and back-office, 2xx to 5xx — carries the headers
that keep third parties away from a visitor (the "No third party" invariant, docs/design.md)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse

from tests.factories import make_object
from tests.personas import make_editor
from traceobject.middleware import SecurityHeadersMiddleware

CSP_DIRECTIVES = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
]


def assert_security_headers(response, where=""):
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in csp, (where, response.status_code, directive)
    assert re.search(r"(^|; )img-src 'self'", csp), (where, csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert "*" not in csp, where
    assert response.headers.get("Referrer-Policy") == "no-referrer", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    permissions = response.headers.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions, (where, feature)
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.headers.get("Cross-Origin-Resource-Policy") == "same-origin", where
    assert response.headers.get("X-Frame-Options") == "DENY", where


def _patterns(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


ALL_PATTERNS = sorted(set(_patterns()))


@pytest.fixture
def filled(db):
    """Real values for every kind of URL parameter, by the pattern text that asks for it."""
    obj = make_object()
    editor = make_editor()
    group = Group.objects.create(name="Readers")
    image = obj.primary_image
    ct = ContentType.objects.get_for_model(obj)
    return {
        "obj": obj,
        "user": editor,
        "values": [
            ("<ref:number>", obj.reference),
            ("<slug:slug>", obj.category.slug),
            ("<path:content_type_id>/<path:object_id>", f"{ct.pk}/{obj.pk}"),
            ("auth/group/<path:object_id>", f"auth/group/{group.pk}"),
            ("auth/user/<path:object_id>", f"auth/user/{editor.pk}"),
            ("auth/user/<id>", f"auth/user/{editor.pk}"),
            ("category/<path:object_id>", f"category/{obj.category.pk}"),
            ("traceobject/<path:object_id>", f"traceobject/{obj.pk}"),
            ("^(?P<app_label>auth|objects)/$", "objects/"),
            ("(?P<url>.*)$", "no-such-admin-page/"),
            ("^media/(?P<path>.+)$", "media/" + image.thumb["name"]),
        ],
    }


def _url(pattern, values):
    url = pattern
    for placeholder, value in values:
        url = url.replace(placeholder, value)
    # Any other parameter: a value of the right shape. The headers are checked whatever the
    # status, so an id that matches nothing (404) or a refused one (302, 403) does as well.
    url = re.sub(r"<int:\w+>", "1", url)
    url = re.sub(r"<(?:path|str|slug):\w+>", "x", url)
    url = re.sub(r"\(\?P<\w+>([^|)]+)[^)]*\)", r"\1", url)  # first alternative of a group
    url = url.replace("^", "").replace("$", "")
    assert "<" not in url and "(?P" not in url, f"no value for a parameter in {pattern}"
    return "/" + url


def test_the_walk_covers_public_pages_back_office_and_media():
    joined = " ".join(ALL_PATTERNS)
    for expected in ("tip/", "follow-up/", "backoffice/", "media/", "healthz", "sitemap.xml"):
        assert expected in joined
    assert len(ALL_PATTERNS) > 40


@pytest.mark.parametrize("pattern", ALL_PATTERNS)
def test_every_url_pattern_sends_the_headers(pattern, filled, client):
    url = _url(pattern, filled["values"])
    anonymous = client.get(url)
    assert_security_headers(anonymous, url)
    staff = Client()
    staff.force_login(filled["user"])
    assert_security_headers(staff.get(url), url)


@pytest.mark.parametrize("pattern", ALL_PATTERNS)
def test_every_url_pattern_sends_the_headers_on_a_post(pattern, filled):
    url = _url(pattern, filled["values"])
    client = Client(enforce_csrf_checks=True)
    assert_security_headers(client.post(url, {}), url)


def _statuses(client, obj):
    """One real request for each status a visitor or an editor can meet."""
    gallery = reverse("objects:gallery")
    withdrawn = make_object(status="withdrawn")
    yield 200, client.get(gallery)
    yield 301, client.get(reverse("objects:about").rstrip("/"))
    yield 302, client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    yield 304, client.get(gallery, HTTP_IF_NONE_MATCH=client.get(gallery)["ETag"])
    yield 400, client.get(gallery, {"q": "x" * 500})
    yield 403, Client(enforce_csrf_checks=True).post(reverse("tips:follow_up"), {"code": "x"})
    yield 404, client.get("/en/no-such-page/")
    yield 405, client.post(gallery)
    yield 410, client.get(withdrawn.get_absolute_url())
    yield 413, client.post(reverse("tips:follow_up"), {}, CONTENT_LENGTH=str(10**12))
    with override_settings(FOLLOWUP_RATE_PER_CLIENT="1/h"):
        client.post(reverse("tips:follow_up"), {"code": "AAAA-BBBB-CCCC-DDDD"})
        yield 429, client.post(reverse("tips:follow_up"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    with override_settings(ROOT_URLCONF="tests.urls_errors"):
        failing = Client(raise_request_exception=False)
        yield 500, failing.get("/test-only-failure/")


@pytest.mark.django_db
def test_every_status_from_200_to_500_sends_the_headers(client):
    obj = make_object()
    seen = []
    for status, response in _statuses(client, obj):
        assert response.status_code == status, (status, response.status_code)
        assert_security_headers(response, str(status))
        seen.append(status)
    assert seen == [200, 301, 302, 304, 400, 403, 404, 405, 410, 413, 429, 500]


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_production_sends_hsts_over_https(client):
    response = client.get(reverse("objects:gallery"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert_security_headers(response)


@override_settings(MEDIA_URL="https://media.example.org/public/")
def test_the_media_origin_is_allowed_for_images_only_when_it_differs():
    csp = SecurityHeadersMiddleware(lambda request: None).csp
    assert "img-src 'self' data: https://media.example.org;" in csp
    assert csp.count("https://media.example.org") == 1
