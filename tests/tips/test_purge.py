"""`manage.py purge_tips` with time moved forward: nothing of a purged tip is left behind."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_image_bytes, make_object, make_tip
from tips import services
from tips.models import Tip, TipEvent, TipMessage
from traceobject.models import AuditEntry
from traceobject.storage import private_storage


@pytest.mark.django_db(transaction=True)
def test_purge_deletes_old_rejected_tips_with_photos_and_messages(investigator, capsys, settings):
    obj = make_object()
    spam = make_tip(obj, photo_jpeg=make_image_bytes(size=(100, 80)), contact="x@example.org")
    services.tip_question(tip=spam.tip, user=investigator, body="Really?")
    services.tip_transition(tip=spam.tip, user=investigator, to="spam")
    kept = make_tip(obj, photo_jpeg=make_image_bytes(size=(100, 80)))
    services.tip_transition(tip=kept.tip, user=investigator, to="useful")
    photo = Tip.objects.get(pk=spam.tip.pk).photo_name
    assert private_storage().exists(photo)

    # Too early: nothing goes.
    call_command("purge_tips")
    assert Tip.objects.filter(pk=spam.tip.pk).exists()

    later = timezone.now() + timedelta(days=settings.PURGE_REJECTED_TIPS_DAYS + 1)
    call_command("purge_tips", now=later.isoformat())
    out = capsys.readouterr().out
    assert "deleted 1 tips" in out
    assert not Tip.objects.filter(pk=spam.tip.pk).exists()
    assert not TipMessage.objects.filter(tip_id=spam.tip.pk).exists()
    assert not TipEvent.objects.filter(tip_id=spam.tip.pk).exists()
    assert not private_storage().exists(photo)
    assert Tip.objects.filter(pk=kept.tip.pk).exists()
    assert private_storage().exists(Tip.objects.get(pk=kept.tip.pk).photo_name)
    assert AuditEntry.objects.filter(action="purge", detail__deleted_tips=1).exists()


@pytest.mark.django_db(transaction=True)
def test_purge_erases_contact_details_of_long_closed_tips(investigator, settings):
    receipt = make_tip(contact="call me", photo_jpeg=make_image_bytes(size=(100, 80)))
    tip = services.tip_transition(tip=receipt.tip, user=investigator, to="useful")
    services.tip_transition(tip=tip, user=investigator, to="closed")
    photo = Tip.objects.get(pk=tip.pk).photo_name
    later = timezone.now() + timedelta(days=settings.ERASE_CLOSED_CONTACT_DAYS + 1)
    call_command("purge_tips", now=later.isoformat())
    tip = Tip.objects.get(pk=tip.pk)
    assert not tip.has_contact and not tip.has_photo and tip.contact_erased_at
    assert not private_storage().exists(photo)
