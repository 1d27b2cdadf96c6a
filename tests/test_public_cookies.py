"""A public page never sets a session cookie, for anyone; any response that sets a cookie is
private and never stored by a proxy; the tip form's CSRF cookie ends with the browser."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern

from tests.factories import make_object
from tests.personas import PASSWORD, login_verified, make_investigator

# The public URLs outside the language prefix.
UNPREFIXED = ["/", "/robots.txt", "/sitemap.xml", "/healthz", "/readyz"]


def _public_names():
    """Every named URL under the language prefix, read from the URLconf."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern):
            for included in entry.url_patterns:
                namespace = included.namespace if isinstance(included, URLResolver) else None
                patterns = (
                    included.url_patterns if isinstance(included, URLResolver) else [included]
                )
                for pattern in patterns:
                    if isinstance(pattern, URLPattern) and pattern.name:
                        yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _public_urls(obj, category):
    urls = list(UNPREFIXED)
    for name in _public_names():
        for args in ([], [obj.number], [category.slug]):
            try:
                urls.append(reverse(name, args=args))
                break
            except Exception:  # noqa: S112 (the next argument list is tried)
                continue
        else:
            raise AssertionError(f"no arguments found for {name}")
    return urls


@pytest.mark.django_db
def test_no_public_url_sets_a_cookie_for_a_logged_in_investigator(client):
    obj = make_object()
    login_verified(client, make_investigator())
    assert "sessionid" in client.cookies
    urls = _public_urls(obj, obj.category)
    assert len(urls) >= 12
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert "sessionid" not in response.cookies, url
        control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        if response.cookies:
            assert {"private", "no-store"} <= control and "public" not in control, url


@pytest.mark.django_db
def test_a_public_page_does_not_know_who_is_logged_in(client):
    obj = make_object()
    anonymous = client.get(obj.get_absolute_url()).content
    login_verified(client, make_investigator())
    assert client.get(obj.get_absolute_url()).content == anonymous


@pytest.mark.django_db
def test_the_staff_session_cookie_is_only_for_the_backoffice(client):
    user = make_investigator()
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["path"] == "/backoffice/"


@pytest.mark.django_db
def test_the_tip_forms_csrf_cookie_ends_with_the_browser(client):
    obj = make_object()
    response = client.get(reverse("tips:form", args=[obj.number]))
    cookie = response.cookies["csrftoken"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control and "public" not in control


def test_a_response_that_sets_a_cookie_is_private_whatever_the_view_said(rf):
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    from traceobject.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("hello")
        patch_cache_control(response, public=True, max_age=300)
        response.set_cookie("anything", "1")
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/en/"))
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control and "public" not in control
