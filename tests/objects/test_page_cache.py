"""Gallery and object pages come from the cache, answer 304s, and go stale on any change."""

import pytest
from django.urls import reverse

from objects import services
from objects.models import TraceObjectTranslation
from tests.factories import make_object


@pytest.mark.django_db
def test_a_repeat_visit_gets_304_with_the_same_etag(client):
    obj = make_object()
    url = obj.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


@pytest.mark.django_db
def test_a_cached_page_costs_one_cheap_query(client, django_assert_max_num_queries):
    make_object()
    url = reverse("objects:gallery")
    client.get(url)
    with django_assert_max_num_queries(1):
        response = client.get(url)
    assert response.status_code == 200
    assert b"Can you identify these objects?" in response.content


@pytest.mark.django_db
def test_editing_an_object_changes_the_etag_and_the_page(
    client, django_capture_on_commit_callbacks
):
    obj = make_object(title="Canvas tote bag")
    url = obj.get_absolute_url()
    etag = client.get(url)["ETag"]
    obj.title = "Leather tote bag"
    with django_capture_on_commit_callbacks(execute=True):
        services.object_save(obj=obj)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"Leather tote bag" in response.content
    assert b"Leather tote bag" in client.get(reverse("objects:gallery")).content


@pytest.mark.django_db
def test_a_new_translation_reaches_the_cached_page(client, django_capture_on_commit_callbacks):
    obj = make_object()
    url = "/de" + obj.get_absolute_url().removeprefix("/en")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.translation_save(
            translation=TraceObjectTranslation(trace_object=obj, language="de", title="Stofftasche")
        )
    assert b"Stofftasche" in client.get(url).content


@pytest.mark.django_db
def test_each_language_has_its_own_etag(client):
    obj = make_object()
    path = obj.get_absolute_url().removeprefix("/en")
    assert client.get("/en" + path)["ETag"] != client.get("/fr" + path)["ETag"]


@pytest.mark.django_db
def test_error_pages_are_not_cached(client):
    url = reverse("objects:detail", args=[9999])
    assert client.get(url).status_code == 404
    obj = make_object()
    assert obj.number != 9999
    assert "ETag" not in client.get(url)


@pytest.mark.django_db
def test_a_change_reaches_the_cached_page_when_it_commits_not_before(
    client, django_capture_on_commit_callbacks
):
    obj = make_object(title="Canvas tote bag")
    url = obj.get_absolute_url()
    client.get(url)
    obj.title = "Leather tote bag"
    with django_capture_on_commit_callbacks(execute=True):
        services.object_save(obj=obj)
        # Not committed yet: the page cached before the change is what others still get.
        assert b"Canvas tote bag" in client.get(url).content
    assert b"Leather tote bag" in client.get(url).content
