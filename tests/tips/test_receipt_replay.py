"""The receipt survives a reload: the same form sent again shows the same code for an hour,
kept only encrypted under a key from the form's one-time token (tips/replay.py)."""

import re
import time

import pytest
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.urls import reverse

from tests.factories import tip_form_data
from tips import replay, spam
from tips.models import Tip

CODE = re.compile(r'value="([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})"')


def _send(client, obj, data):
    return client.post(reverse("tips:form", args=[obj.number]), data)


def _code(response):
    match = CODE.search(response.content.decode())
    return match.group(1) if match else None


def _nonce(data, obj):
    return spam.check_token(data["started"], obj.number).nonce


@pytest.mark.django_db
def test_reloading_the_receipt_shows_the_same_code_and_stores_one_tip(client, published):
    data = tip_form_data(published)
    first = _send(client, published, data)
    again = _send(client, published, data)
    assert again.status_code == 200 and "no-store" in again["Cache-Control"]
    assert _code(first) and _code(again) == _code(first)
    assert "You sent this form before" in again.content.decode()
    assert Tip.objects.count() == 1


@pytest.mark.django_db
def test_another_form_never_shows_this_forms_code(client, published):
    first = _code(_send(client, published, tip_form_data(published)))
    second = _code(
        _send(client, published, tip_form_data(published, body="Another tip, at length."))
    )
    assert first and second and first != second
    assert Tip.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.redis
def test_the_plain_code_never_reaches_the_cache(client, published, redis_sent):
    data = tip_form_data(published)
    code = _code(_send(client, published, data))
    assert _code(_send(client, published, data)) == code
    sent = b"".join(redis_sent)
    assert b"receipt-replay" in sent  # the encrypted code was kept
    for form in (code, code.replace("-", "")):
        assert form.encode() not in sent


@pytest.mark.django_db
def test_what_the_database_holds_does_not_open_the_kept_code(client, published):
    data = tip_form_data(published)
    code = _code(_send(client, published, data))
    tip = Tip.objects.get()
    nonce = _nonce(data, published)
    kept = cache.get(replay._entry(nonce))
    assert kept and code.encode() not in kept
    # The entry's name and key come from the nonce; the row's SHA-256 of it gives neither.
    assert replay._entry(tip.submission_hash) != replay._entry(nonce)
    assert cache.get(replay._entry(tip.submission_hash)) is None
    assert replay._fernet(nonce).decrypt(kept).decode() == code
    with pytest.raises(Exception):  # noqa: B017 (InvalidToken: any failure to decrypt will do)
        replay._fernet(tip.submission_hash).decrypt(kept)


@pytest.mark.django_db
def test_once_the_kept_code_is_gone_the_form_says_already_received(client, published):
    data = tip_form_data(published)
    assert _code(_send(client, published, data))
    cache.delete(replay._entry(_nonce(data, published)))  # what the expiry does after an hour
    again = _send(client, published, data)
    assert _code(again) is None and "already received" in again.content.decode()
    assert Tip.objects.count() == 1


@pytest.mark.django_db
def test_a_kept_code_older_than_the_hour_is_refused_even_if_the_cache_kept_it(published, settings):
    nonce = "n" * 22
    old = replay._fernet(nonce).encrypt_at_time(b"K7QM-2XWD-9FHT-4RBN", int(time.time()) - 3601)
    cache.set(replay._entry(nonce), old, 60)
    assert replay.receipt_recall(nonce=nonce) is None
    assert isinstance(replay._fernet(nonce), Fernet)


@pytest.mark.django_db
def test_with_the_cache_down_the_receipt_is_shown_once_and_the_tip_kept(
    client, published, dead_cache
):
    data = tip_form_data(published)
    assert _code(_send(client, published, data))
    again = _send(client, published, data)
    assert _code(again) is None and "already received" in again.content.decode()
    assert Tip.objects.count() == 1


@pytest.mark.django_db
def test_replay_can_be_turned_off(client, published, settings):
    settings.RECEIPT_REPLAY_SECONDS = 0
    data = tip_form_data(published)
    assert _code(_send(client, published, data))
    assert _code(_send(client, published, data)) is None
