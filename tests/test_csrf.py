import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import tip_form_data
from tips.models import Tip
from traceobject.checks import production_settings


def _post(published, **headers):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("tips:form", args=[published.number]))
    token = client.cookies["csrftoken"].value
    data = tip_form_data(published, csrfmiddlewaretoken=token)
    return client.post(reverse("tips:form", args=[published.number]), data, **headers)


@pytest.mark.django_db
def test_a_null_origin_from_the_same_origin_is_accepted(published):
    # What a browser sends under Referrer-Policy: no-referrer.
    response = _post(published, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 200
    assert Tip.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_a_null_origin_from_elsewhere_is_refused(published, site):
    response = _post(published, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE=site)
    assert response.status_code == 403
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_foreign_origin_is_refused(published):
    response = _post(
        published, HTTP_ORIGIN="https://evil.example", HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_post_without_the_token_is_refused_even_from_the_same_origin(published):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("tips:form", args=[published.number]),
        tip_form_data(published),
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 403
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_null_origin_from_the_same_origin_is_accepted_over_https(published):
    # Over HTTPS Django's check needs an Origin or a Referer; the policy sends neither for real.
    client = Client(enforce_csrf_checks=True)
    url = reverse("tips:form", args=[published.number])
    client.get(url, secure=True)
    data = tip_form_data(published, csrfmiddlewaretoken=client.cookies["csrftoken"].value)
    response = client.post(url, data, secure=True, HTTP_ORIGIN="null")
    assert response.status_code == 200
    assert Tip.objects.count() == 1


def test_the_deploy_check_wants_the_null_origin_middleware_before_djangos_csrf(settings):
    csrf = "django.middleware.csrf.CsrfViewMiddleware"
    null_origin = "traceobject.csrf.NullOriginMiddleware"
    assert "traceobject.E004" not in _deploy_check_ids()
    rest = [name for name in settings.MIDDLEWARE if name != null_origin]
    settings.MIDDLEWARE = rest
    assert "traceobject.E004" in _deploy_check_ids()
    at = rest.index(csrf)
    settings.MIDDLEWARE = [*rest[: at + 1], null_origin, *rest[at + 1 :]]
    assert "traceobject.E004" in _deploy_check_ids()


def _deploy_check_ids() -> set[str]:
    return {error.id for error in production_settings(None)}
