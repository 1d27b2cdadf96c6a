"""Rotating RECEIPT_KEY: codes stored under an old key are still found through
RECEIPT_KEY_FALLBACKS and move to the new key when their tipster comes back."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_tip
from tips import receipts
from tips.models import Tip

URL = reverse("tips:follow_up")
NEW_KEY = "receipt-key-after-rotation-0123456789abcdef"


@pytest.fixture
def old_tip():
    """A tip whose code was stored under the key in use before the rotation."""
    receipt = make_tip()
    Tip.objects.filter(pk=receipt.tip.pk).update(status=Tip.Status.FORWARDED)
    return receipt, settings.RECEIPT_KEY


@pytest.mark.django_db
def test_without_the_fallback_an_old_code_is_not_found(client, settings, old_tip):
    receipt, _old_key = old_tip
    settings.RECEIPT_KEY = NEW_KEY
    body = client.post(URL, {"code": receipt.code}).content.decode()
    assert "Passed on" not in body


@pytest.mark.django_db
def test_an_old_code_is_found_and_moved_to_the_new_key(client, settings, old_tip):
    receipt, old_key = old_tip
    settings.RECEIPT_KEY = NEW_KEY
    settings.RECEIPT_KEY_FALLBACKS = [old_key]
    assert "Passed on" in client.post(URL, {"code": receipt.code}).content.decode()

    stored = Tip.objects.get(pk=receipt.tip.pk).receipt_hash
    assert stored == receipts.code_hash(receipt.code)
    assert stored != receipts.code_hashes(receipt.code)[1]
    # Moved: the code now works with the old key gone.
    settings.RECEIPT_KEY_FALLBACKS = []
    assert "Passed on" in client.post(URL, {"code": receipt.code}).content.decode()


@pytest.mark.django_db
def test_new_tips_are_stored_under_the_new_key_only(settings, old_tip):
    _receipt, old_key = old_tip
    settings.RECEIPT_KEY = NEW_KEY
    settings.RECEIPT_KEY_FALLBACKS = [old_key]
    receipt = make_tip()
    assert receipt.tip.receipt_hash == receipts.code_hash(receipt.code)
    assert receipt.tip.receipt_hash == receipts.code_hashes(receipt.code)[0]


@pytest.mark.django_db
def test_during_a_rotation_a_wrong_code_costs_what_a_moved_right_code_costs(
    client, settings, old_tip
):
    receipt, old_key = old_tip
    settings.RECEIPT_KEY = NEW_KEY
    settings.RECEIPT_KEY_FALLBACKS = [old_key]
    client.post(URL, {"code": receipt.code})  # moves it
    with CaptureQueriesContext(connection) as right_queries:
        right = client.post(URL, {"code": receipt.code})
    with CaptureQueriesContext(connection) as wrong_queries:
        wrong = client.post(URL, {"code": "K7QM-2XWD-9FHT-4RBN"})
    assert right.status_code == wrong.status_code == 200
    assert len(right_queries) == len(wrong_queries)
