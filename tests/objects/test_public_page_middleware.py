"""PublicPageCacheMiddleware: cached public pages answered before sessions, locale and URLs.

A page from the cache must be indistinguishable from one rendered in full: same headers
(security headers included), 304s, no cookie; and it must never answer for anything the
`cached_page` decorator did not mark, nor outlive a change or a scheduled publication.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from objects import services
from objects.models import TraceObject
from tests.factories import make_object
from tests.personas import login_verified, make_editor
from tests.test_security_headers import assert_security_headers
from traceobject import page_cache

GALLERY = "/en/"
# Set per request by the outer middleware, so different on every response.
PER_REQUEST = {"X-Request-ID"}


def _from_cache(client, url, django_assert_num_queries, **extra):
    """GET a page that is in the cache: no database query at all proves where it came from."""
    with django_assert_num_queries(0):
        return client.get(url, **extra)


@pytest.mark.django_db
def test_a_cached_page_comes_with_the_same_headers_and_body(client, django_assert_num_queries):
    obj = make_object(title="Blue plastic bucket")
    for url in (GALLERY, obj.get_absolute_url()):
        rendered = client.get(url)
        cached = _from_cache(client, url, django_assert_num_queries)
        assert cached.status_code == 200
        assert cached.content == rendered.content
        assert {k: v for k, v in cached.items() if k not in PER_REQUEST} == {
            k: v for k, v in rendered.items() if k not in PER_REQUEST
        }
        assert_security_headers(cached, url)
        assert cached["X-Request-ID"] != rendered["X-Request-ID"]
        assert cached["Cache-Control"] == "public, max-age=60"
        assert cached["Content-Language"] == "en"


@pytest.mark.django_db
def test_a_cached_page_answers_304_with_its_headers(client, django_assert_num_queries):
    make_object()
    first = client.get(GALLERY)
    for condition in (
        {"HTTP_IF_NONE_MATCH": first["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
    ):
        again = _from_cache(client, GALLERY, django_assert_num_queries, **condition)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
        assert again["Cache-Control"] == first["Cache-Control"]
        assert_security_headers(again, condition)
    stale = _from_cache(client, GALLERY, django_assert_num_queries, HTTP_IF_NONE_MATCH='"other"')
    assert stale.status_code == 200


@pytest.mark.django_db
def test_a_cached_page_never_sets_a_cookie(client, django_assert_num_queries):
    make_object()
    client.get(GALLERY)
    client.cookies["csrftoken"] = "x" * 32
    client.cookies["sessionid"] = "not-a-session"
    response = _from_cache(client, GALLERY, django_assert_num_queries)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_each_language_and_query_string_is_its_own_page(client, django_assert_num_queries):
    for _ in range(25):
        make_object(with_image=False)
    first = client.get(GALLERY).content
    second = client.get(GALLERY + "?page=2").content
    german = client.get("/de/").content
    assert _from_cache(client, GALLERY, django_assert_num_queries).content == first
    assert _from_cache(client, GALLERY + "?page=2", django_assert_num_queries).content == second
    assert _from_cache(client, "/de/", django_assert_num_queries).content == german
    assert len({first, second, german}) == 3


@pytest.mark.django_db
def test_a_change_is_seen_once_it_commits(client, django_capture_on_commit_callbacks):
    obj = make_object(title="Canvas tote bag")
    client.get(GALLERY)
    client.get(obj.get_absolute_url())
    obj.title = "Leather tote bag"
    with django_capture_on_commit_callbacks(execute=True):
        services.object_save(obj=obj)
    for url in (GALLERY, obj.get_absolute_url()):
        body = client.get(url).content
        assert b"Leather tote bag" in body
        assert b"Canvas tote bag" not in body


@pytest.mark.django_db
def test_a_scheduled_object_appears_on_time_without_a_write(client, monkeypatch):
    now = timezone.now()
    make_object(title="Already public")
    scheduled = make_object(title="Scheduled mug")
    TraceObject.objects.filter(pk=scheduled.pk).update(published_at=now + timedelta(hours=1))
    page_cache.bump()  # .update() bypasses the services; they would have bumped
    before = client.get(GALLERY)
    assert b"Scheduled mug" not in before.content
    assert b"Scheduled mug" not in client.get(GALLERY).content  # now from the cache

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    after = client.get(GALLERY)
    assert b"Scheduled mug" in after.content
    assert after["ETag"] != before["ETag"]
    assert client.get(scheduled.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_stamp_from_a_node_whose_clock_runs_ahead_is_not_used(monkeypatch):
    now = timezone.now()
    obj = make_object()
    TraceObject.objects.filter(pk=obj.pk).update(published_at=now + timedelta(minutes=5))
    page_cache.bump()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(minutes=10))
    ahead = page_cache.publication_stamp()
    assert ahead[1] == now + timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert page_cache.publication_stamp()[1] != ahead[1]


@pytest.mark.django_db
def test_the_tip_form_is_never_served_from_the_cache(client):
    obj = make_object()
    url = reverse("tips:form", args=[obj.number])
    first, second = client.get(url), client.get(url)
    for response in (first, second):
        assert response.status_code == 200
        assert "csrftoken" in response.cookies
        assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    token = b'name="started"'
    assert token in first.content
    assert first.content != second.content  # a fresh one-time form token each time


@pytest.mark.django_db
def test_staff_pages_are_never_stored(client):
    login_verified(client, make_editor())
    for _ in range(2):
        response = client.get("/backoffice/")
        assert response.status_code == 200
        assert not hasattr(response, "public_page_key")
        assert "ETag" not in response


@pytest.mark.django_db
def test_a_post_to_a_cached_url_is_not_answered_from_the_cache(client):
    make_object()
    client.get(GALLERY)
    assert client.post(GALLERY).status_code == 405


@pytest.mark.django_db
def test_an_error_page_is_not_stored(client):
    url = reverse("objects:detail", args=[9999])
    bad = GALLERY + "?q=" + "x" * 500
    for path, status in ((url, 404), (bad, 400)):
        assert client.get(path).status_code == status
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == status
        assert queries.captured_queries, f"{path} came from the cache"


@pytest.mark.django_db
def test_only_marked_cookie_free_get_responses_are_stored():
    request = RequestFactory().get("/en/")
    request._public_stamp = (1, None)

    def stored(response, method="GET"):
        request.method = method
        key = "public:page:v3:test"
        response.public_page_key = key
        page_cache.cache.delete(key)
        page_cache.store_response(request, response)
        return page_cache.cache.get(key) is not None

    assert stored(HttpResponse("ok"))
    assert not stored(HttpResponse("ok"), method="HEAD")
    assert not stored(HttpResponse("ok", status=404))
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("csrftoken", "x")
    assert not stored(with_cookie)
    varies = HttpResponse("ok", headers={"Vary": "Accept-Language, Cookie"})
    assert not stored(varies)
    unmarked = HttpResponse("ok")
    page_cache.store_response(request, unmarked)  # no key: nothing to store, no error


class _CountingCache:
    """The cache, counting the calls that each cost a round trip to Redis."""

    def __init__(self, real):
        self.real, self.calls = real, []

    def __getattr__(self, name):
        attr = getattr(self.real, name)
        if callable(attr):

            def counted(*args, **kwargs):
                self.calls.append(name)
                return attr(*args, **kwargs)

            return counted
        return attr


@pytest.mark.django_db
def test_a_cached_page_costs_one_cache_round_trip(client, monkeypatch):
    make_object()
    client.get(GALLERY)
    counting = _CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    assert client.get(GALLERY).status_code == 200
    assert counting.calls == ["get_many"]


@pytest.mark.django_db
def test_a_page_in_this_process_is_served_without_fetching_it_again(client, monkeypatch):
    make_object()
    client.get(GALLERY)
    counting = _CountingCache(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", counting)
    first = client.get(GALLERY)
    assert first.status_code == 200 and counting.calls == ["get_many"]
    # Emptied in this process only (another node): fetched from the shared cache once.
    page_cache._LOCAL_PAGES.clear()
    counting.calls.clear()
    again = client.get(GALLERY)
    assert counting.calls == ["get_many", "get"]
    assert again.content == first.content


@pytest.mark.django_db
def test_the_copy_in_this_process_is_not_used_after_a_change(
    client, django_capture_on_commit_callbacks
):
    obj = make_object()
    client.get(GALLERY)
    assert page_cache._LOCAL_PAGES, "the rendered page is kept in this process"
    obj.title = "A changed title"
    with django_capture_on_commit_callbacks(execute=True):
        services.object_save(obj=obj)
    assert "A changed title" in client.get(GALLERY).content.decode()


@pytest.mark.django_db
def test_the_copy_in_this_process_expires_like_the_shared_one(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    make_object()
    client.get(GALLERY)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(GALLERY).status_code == 200
    assert queries.captured_queries, "rendered again, not served from either copy"


@pytest.mark.django_db
def test_the_copy_in_this_process_is_bounded(client, settings):
    settings.PUBLIC_PAGE_LOCAL_ENTRIES = 2
    make_object()
    for url in (GALLERY, GALLERY + "?page=1", "/de/", "/fr/"):
        client.get(url)
    assert len(page_cache._LOCAL_PAGES) == 2


@pytest.mark.django_db
def test_with_the_cache_unreachable_public_pages_are_rendered_not_refused(client, request):
    obj = make_object()
    request.getfixturevalue("dead_cache")  # after the object: saving one bumps the version
    for url in (GALLERY, obj.get_absolute_url(), "/en/results/", "/en/about/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "ETag" not in response, "no version to name the page by"
        assert not hasattr(response, "public_page_key")
    assert obj.title in client.get(GALLERY).content.decode()
