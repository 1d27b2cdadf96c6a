"""Language prefixes, the Accept-Language redirect on /, the switcher, hreflang and object texts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from objects import services
from objects.models import TraceObjectTranslation
from tests.factories import make_object


def _in(code, name, **kwargs):
    with translation.override(code):
        return reverse(name, **kwargs)


@pytest.mark.django_db
def test_root_redirects_by_accept_language_without_a_cookie(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/pl/"
    assert "Accept-Language" in response["Vary"]
    assert response.cookies == {}


@pytest.mark.django_db
def test_root_falls_back_to_english_for_an_unknown_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="xx-YY")
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_prefixed_pages_do_not_vary_on_accept_language(client):
    response = client.get("/de/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert "Accept-Language" not in response.get("Vary", "")
    assert response["Content-Language"] == "de"
    assert "Können Sie diese Objekte identifizieren?" in response.content.decode()


@pytest.mark.django_db
def test_the_switcher_links_to_the_same_page_in_every_language(client):
    obj = make_object()
    body = client.get(_in("fr", "objects:detail", args=[obj.number])).content.decode()
    for code in ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "ar"):
        assert f'href="/{code}/objects/{obj.reference}/" lang="{code}"' in body
    assert 'hreflang="fr" aria-current="true"' in body
    assert "set_language" not in body and "i18n/setlang" not in body


@pytest.mark.django_db
def test_hreflang_alternates_are_absolute_and_include_x_default(client):
    body = client.get("/it/about/").content.decode()
    assert '<link rel="alternate" hreflang="ar" href="http://testserver/ar/about/">' in body
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/">' in body


@pytest.mark.django_db
def test_the_tip_form_and_follow_up_are_translated_too(client):
    obj = make_object()
    form = client.get(_in("es", "tips:form", args=[obj.number])).content.decode()
    assert "Enviar la pista" in form
    follow_up = client.get(_in("nl", "tips:follow_up")).content.decode()
    assert "Uw tip opvolgen" in follow_up


@pytest.mark.django_db
def test_machines_urls_stay_outside_the_prefix(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/en/healthz").status_code == 404
    assert client.get("/backoffice/").status_code == 302


@pytest.mark.django_db
def test_an_object_shows_its_translation_and_falls_back_to_english_per_field(client):
    obj = make_object(title="Canvas tote bag", question="Where is this bag sold?")
    services.translation_save(
        translation=TraceObjectTranslation(
            trace_object=obj, language="de", title="Stofftasche", alt_text="Eine Stofftasche"
        )
    )
    german = client.get(_in("de", "objects:detail", args=[obj.number])).content.decode()
    assert "<h1>Stofftasche</h1>" in german
    assert "Where is this bag sold?" in german  # no German question: the English one
    assert 'alt="Eine Stofftasche"' in german
    french = client.get(_in("fr", "objects:detail", args=[obj.number])).content.decode()
    assert '<h1 lang="en" dir="ltr">Canvas tote bag</h1>' in french


@pytest.mark.django_db
def test_the_gallery_shows_translations_and_searches_them(client):
    obj = make_object(title="Canvas tote bag")
    make_object(title="Brass lamp")
    services.translation_save(
        translation=TraceObjectTranslation(trace_object=obj, language="nl", title="Linnen tas")
    )
    response = client.get(_in("nl", "objects:gallery"), {"q": "linnen"})
    refs = [o.reference for o in response.context["page"].object_list]
    assert refs == [obj.reference]
    assert "Linnen tas" in response.content.decode()


@pytest.mark.django_db
def test_gallery_translations_cost_one_query_whatever_the_page_size(
    client, django_capture_on_commit_callbacks
):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_in("pt", "objects:gallery")).status_code == 200
        return len(ctx.captured_queries)

    first = make_object()
    services.translation_save(
        translation=TraceObjectTranslation(trace_object=first, language="pt", title="Mala")
    )
    few = queries()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            obj = make_object(with_image=False)
            services.translation_save(
                translation=TraceObjectTranslation(trace_object=obj, language="pt", title="Outro")
            )
    assert queries() == few


@pytest.mark.django_db
def test_a_translation_is_unique_per_object_and_language():
    from django.db import IntegrityError

    obj = make_object()
    TraceObjectTranslation.objects.create(trace_object=obj, language="pl", title="Torba")
    with pytest.raises(IntegrityError):
        TraceObjectTranslation.objects.create(trace_object=obj, language="pl", title="Inna")


@pytest.mark.django_db
def test_the_tip_form_shows_the_object_in_the_page_language(client):
    obj = make_object(title="Canvas tote bag", question="Where is this bag sold?")
    services.translation_save(
        translation=TraceObjectTranslation(
            trace_object=obj, language="es", title="Bolsa de lona", question="¿Dónde se vende?"
        )
    )
    body = client.get(_in("es", "tips:form", args=[obj.number])).content.decode()
    assert "<strong>Bolsa de lona</strong>" in body
    assert "¿Dónde se vende?" in body


@pytest.mark.django_db
def test_the_language_links_follow_each_page(client):
    """The switcher's links are kept per path: each page still links to itself."""
    obj = make_object()
    path = obj.get_absolute_url().removeprefix("/en")
    for prefix in ("/en", "/de", "/en"):
        for page in ("/", path):
            body = client.get(prefix + page).content.decode()
            for code in ("en", "de", "fr", "ar"):
                assert f'href="/{code}{page}"' in body, (prefix, page, code)
