"""Cache keys are canonical: junk query strings and Host port variants add no pages to the cache,
and the parameters a cached view reads still name their own pages."""

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django_redis import get_redis_connection

from tests.factories import make_category, make_object
from traceobject import page_cache


def _stored_keys() -> int:
    backend = caches["default"]
    if isinstance(getattr(backend, "_cache", None), dict):  # local memory
        return len(backend._cache)
    return get_redis_connection("default").dbsize()  # Redis: this test database only


@pytest.mark.django_db
def test_a_thousand_junk_query_strings_add_no_pages(client):
    make_object()
    assert client.get("/en/").status_code == 200
    before = _stored_keys()
    for n in range(1000):
        response = client.get(f"/en/?junk={n}&utm_source=x{n}")
        assert response.status_code == 200
    assert _stored_keys() <= before + 2  # at most the version keys a first request may add


@pytest.mark.django_db
def test_host_port_variants_add_no_pages(client):
    make_object()
    client.get("/en/")
    before = _stored_keys()
    for port in range(1000, 1200):
        assert client.get("/en/", HTTP_HOST=f"testserver:{port}").status_code == 200
    assert _stored_keys() == before


@pytest.mark.django_db
def test_a_junk_request_is_answered_from_the_canonical_page(client):
    make_object(title="The canonical bag")
    client.get("/en/")
    response = client.get("/en/?junk=1")
    assert response.status_code == 200 and "The canonical bag" in response.content.decode()
    assert response.templates == [], "served from the cache, not rendered"
    assert "junk" not in response.content.decode(), "no link carries the junk"


@pytest.mark.django_db
def test_a_page_rendered_for_a_port_variant_is_never_stored(client):
    make_object()
    page = client.get("/en/", HTTP_HOST="testserver:4444").content.decode()
    assert "testserver:4444" in page  # its absolute links name that host
    later = client.get("/en/")
    assert later.templates, "rendered again: the port variant's page was not stored"
    assert "testserver:4444" not in later.content.decode()


@pytest.mark.django_db
def test_the_parameters_a_view_reads_name_their_own_pages(client):
    bags = make_category(name="Bags", slug="bags")
    make_object(title="Leather bag", category=bags)
    make_object(title="Hotel lamp")
    everything = client.get("/en/").content.decode()
    only_bags = client.get("/en/?category=bags").content.decode()
    searched = client.get("/en/?q=lamp").content.decode()
    assert "Hotel lamp" in everything and "Leather bag" in everything
    assert "Leather bag" in only_bags and "Hotel lamp" not in only_bags
    assert "Hotel lamp" in searched and "Leather bag" not in searched
    reordered = client.get("/en/?category=bags&junk=2&q=")
    assert "Hotel lamp" not in reordered.content.decode()


def test_a_cached_view_cannot_read_a_parameter_the_cache_ignores():
    with pytest.raises(ImproperlyConfigured, match="not in PUBLIC_PAGE_QUERY_PARAMS"):
        page_cache.cached_page(params=("country",))
