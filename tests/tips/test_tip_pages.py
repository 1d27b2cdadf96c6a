"""The tip form and the receipt are rendered once per process and filled in per request.

What must hold: every visitor still gets their own tokens and code, nothing stale is ever
served after a change on any node, and a cache outage changes nothing for the tipster.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from objects import cache as page_cache
from objects import services as object_services
from objects.models import TraceObject
from tests.factories import make_object, tip_form_data
from tips import pages, receipts
from tips.models import Tip

CODE = re.compile(r'id="receipt-code"[^>]*value="([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


def form_url(obj, language="en"):
    with translation.override(language):
        return reverse("tips:form", args=[obj.number])


def _unreachable():
    raise ConnectionError("cache unreachable")


def masked(html: str) -> str:
    html = CSRF.sub('name="csrfmiddlewaretoken" value="*"', html)
    html = STARTED.sub('name="started" value="*"', html)
    return CODE.sub('id="receipt-code" value="*"', html)


@pytest.mark.django_db
def test_the_second_form_is_filled_in_without_a_query_or_a_template(client, published):
    first = client.get(form_url(published))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(form_url(published))
    assert second.status_code == 200
    assert queries.captured_queries == []
    assert second.templates == [], "served from this process's copy, not rendered"
    assert masked(first.content.decode()) == masked(second.content.decode())
    assert "csrftoken" in second.cookies and "no-cache" in second["Cache-Control"]


@pytest.mark.redis
@pytest.mark.django_db
def test_a_form_reads_the_publication_stamp_once(client, published, redis_sent):
    client.get(form_url(published))
    redis_sent.clear()
    assert client.get(form_url(published)).status_code == 200
    stamp_reads = [sent for sent in redis_sent if b"public:stamp" in sent]
    assert len(stamp_reads) == 1, "the page-cache middleware's read is reused by the view"


@pytest.mark.django_db
def test_each_form_has_its_own_tokens_and_they_work(published):
    browser = Client(enforce_csrf_checks=True)
    browser.get(form_url(published))  # the copy is made here
    pages_seen = [browser.get(form_url(published)).content.decode() for _ in range(2)]
    started = [STARTED.search(page).group(1) for page in pages_seen]
    csrf = [CSRF.search(page).group(1) for page in pages_seen]
    assert started[0] != started[1] and csrf[0] != csrf[1]
    data = tip_form_data(published, body="A tip sent from a filled-in form copy.")
    data.update(started=started[1], csrfmiddlewaretoken=csrf[1])
    # The form must have been open a while (TIP_MIN_FILL_SECONDS): post it as it was shown.
    from tips import spam

    shown = spam.check_token(started[1], published.number)
    assert shown.verdict in (spam.Verdict.OK, spam.Verdict.TOO_FAST)
    response = browser.post(form_url(published), data)
    assert response.status_code == 200
    if shown.verdict is spam.Verdict.OK:
        assert Tip.objects.filter(body="A tip sent from a filled-in form copy.").exists()


@pytest.mark.django_db
def test_the_copy_matches_an_ordinary_render(client, published, monkeypatch):
    client.get(form_url(published, "de"))
    kept = client.get(form_url(published, "de")).content.decode()
    # The stamp cannot be read, so nothing is kept: rendered afresh.
    monkeypatch.setattr(page_cache, "publication_stamp", _unreachable)
    fresh = client.get(form_url(published, "de"))
    assert fresh.templates, "rendered"
    assert masked(kept) == masked(fresh.content.decode())
    assert 'lang="de"' in kept


@pytest.mark.django_db
def test_languages_get_their_own_copies(client, published):
    for language in ("en", "fr", "en", "fr"):
        page = client.get(form_url(published, language)).content.decode()
        assert f'<html lang="{language}"' in page


@pytest.mark.django_db
def test_a_change_to_the_object_shows_at_once(client, published):
    client.get(form_url(published))
    published.title = "A freshly corrected title"
    object_services.object_save(obj=published)
    page = client.get(form_url(published)).content.decode()
    assert "A freshly corrected title" in page


@pytest.mark.django_db
def test_a_withdrawn_object_takes_no_more_tips_at_once(client, published):
    client.get(form_url(published))
    client.post(form_url(published), tip_form_data(published))  # object kept in this process
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
        if n:
            assert response.templates == [], "the receipt was filled in, not rendered"
    assert len(set(codes)) == 3
    for n, code in enumerate(codes):
        tip = Tip.objects.get(receipt_hash=receipts.code_hash(code))
        assert tip.body == f"Tip number {n} about the bag."


@pytest.mark.django_db
def test_a_value_that_is_not_plain_is_rendered_and_escaped(rf, published):
    from django.utils.translation import override

    request = rf.get(form_url(published))
    stamp = page_cache.request_stamp(request)
    with override("en"):
        html = pages.render_filled(
            request, "tips/receipt.html", {"obj": published}, {"code": '"><b>x'}, stamp=stamp
        )
        assert "&quot;&gt;&lt;b&gt;x" in html and "<b>x" not in html
        html = pages.render_filled(
            request, "tips/receipt.html", {"obj": published}, {"code": "AB12"}, stamp=stamp
        )
    assert 'value="AB12"' in html


@pytest.mark.django_db
def test_a_placeholder_the_page_does_not_show_means_an_ordinary_render(rf, published):
    request = rf.get(form_url(published))
    stamp = page_cache.request_stamp(request)
    fill = {"code": "AB12", "not_in_the_page": "x"}
    for _ in range(2):
        html = pages.render_filled(
            request, "tips/receipt.html", {"obj": published}, fill, stamp=stamp
        )
        assert 'value="AB12"' in html
    assert len(pages._PAGES) == 0


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
    assert len(pages._PAGES) == 0 and len(pages._OBJECTS) == 0, "nothing kept without a stamp"


@pytest.mark.django_db
def test_an_unknown_object_is_a_404_and_is_not_kept(client):
    make_object()
    response = client.get(reverse("tips:form", args=[99999]))
    assert response.status_code == 404
    assert len(pages._OBJECTS) == 0


@pytest.mark.django_db
def test_with_the_cache_unreachable_a_tipster_can_still_follow_up(client, published, request):
    response = client.post(form_url(published), tip_form_data(published))
    code = CODE.search(response.content.decode()).group(1)
    tip = Tip.objects.get(receipt_hash=receipts.code_hash(code))
    request.getfixturevalue("dead_cache")
    page = client.post(reverse("tips:follow_up"), {"code": code})
    assert page.status_code == 200
    assert page.context["result"].tip == tip
