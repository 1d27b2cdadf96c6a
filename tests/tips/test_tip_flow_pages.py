"""The tip form and the receipt: every visitor gets their own tokens and code, nothing stale is
served after a change, and a cache outage changes nothing for the tipster."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from objects import services as object_services
from objects.models import TraceObject
from tests.factories import make_object, tip_form_data
from tips import forms as tip_forms
from tips import receipts, spam
from tips.models import Tip

CODE = re.compile(r'id="receipt-code"[^>]*value="([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


def form_url(obj, language="en"):
    with translation.override(language):
        return reverse("tips:form", args=[obj.number])


@pytest.mark.django_db
def test_each_form_has_its_own_tokens_and_they_work(published):
    browser = Client(enforce_csrf_checks=True)
    pages_seen = [browser.get(form_url(published)).content.decode() for _ in range(2)]
    started = [STARTED.search(page).group(1) for page in pages_seen]
    csrf = [CSRF.search(page).group(1) for page in pages_seen]
    assert started[0] != started[1] and csrf[0] != csrf[1]
    data = tip_form_data(published, body="A tip sent from the second form shown.")
    data.update(started=started[1], csrfmiddlewaretoken=csrf[1])
    shown = spam.check_token(started[1], published.number)
    assert shown.verdict in (spam.Verdict.OK, spam.Verdict.TOO_FAST)
    response = browser.post(form_url(published), data)
    assert response.status_code == 200
    if shown.verdict is spam.Verdict.OK:
        assert Tip.objects.filter(body="A tip sent from the second form shown.").exists()


@pytest.mark.django_db
def test_the_country_list_is_built_once_per_language(client, published):
    tip_forms._country_choices.cache_clear()
    for language in ("en", "de", "en", "de", "en"):
        page = client.get(form_url(published, language)).content.decode()
        assert f'<html lang="{language}"' in page
    info = tip_forms._country_choices.cache_info()
    assert info.misses == 2 and info.hits >= 3


@pytest.mark.django_db
def test_a_change_to_the_object_shows_at_once(client, published):
    client.get(form_url(published))
    published.title = "A freshly corrected title"
    object_services.object_save(obj=published)
    page = client.get(form_url(published)).content.decode()
    assert "A freshly corrected title" in page


@pytest.mark.django_db
def test_a_withdrawn_object_takes_no_more_tips_at_once(client, published):
    client.post(form_url(published), tip_form_data(published))
    published.status = TraceObject.Status.WITHDRAWN
    object_services.object_save(obj=published)
    response = client.post(form_url(published), tip_form_data(published, body="Too late now."))
    assert response.status_code == 410
    assert "Too late now." in response.content.decode()  # the text is given back
    assert not Tip.objects.filter(body="Too late now.").exists()


@pytest.mark.django_db
def test_every_receipt_is_its_own_stored_code(client, published):
    codes = []
    for n in range(3):
        response = client.post(
            form_url(published), tip_form_data(published, body=f"Tip number {n} about the bag.")
        )
        page = response.content.decode()
        assert len(CODE.findall(page)) == 1
        codes.append(CODE.search(page).group(1))
    assert len(set(codes)) == 3
    for n, code in enumerate(codes):
        tip = Tip.objects.get(receipt_hash=receipts.code_hash(code))
        assert tip.body == f"Tip number {n} about the bag."


@pytest.mark.django_db
def test_with_the_cache_unreachable_a_tip_is_still_stored_and_its_receipt_shown(
    client, published, dead_cache
):
    form = client.get(form_url(published))
    assert form.status_code == 200 and published.title in form.content.decode()
    response = client.post(
        form_url(published), tip_form_data(published, body="Sent while the cache was down.")
    )
    assert response.status_code == 200
    code = CODE.search(response.content.decode()).group(1)
    tip = Tip.objects.get(receipt_hash=receipts.code_hash(code))
    assert tip.body == "Sent while the cache was down."


@pytest.mark.django_db
def test_an_unknown_object_is_a_404(client):
    make_object()
    response = client.get(reverse("tips:form", args=[99999]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_with_the_cache_unreachable_a_tipster_can_still_follow_up(client, published, request):
    response = client.post(form_url(published), tip_form_data(published))
    code = CODE.search(response.content.decode()).group(1)
    tip = Tip.objects.get(receipt_hash=receipts.code_hash(code))
    request.getfixturevalue("dead_cache")
    page = client.post(reverse("tips:follow_up"), {"code": code})
    assert page.status_code == 200
    assert page.context["result"].tip == tip
