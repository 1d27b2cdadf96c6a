"""Retention: what is deleted or erased, and when (`manage.py purge_tips`, daily)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tips.models import Tip, TipMessage
from tips.services.triage import S
from traceobject import page_cache
from traceobject.audit import Action, audit_record
from traceobject.storage import private_storage


@dataclass(frozen=True)
class PurgeResult:
    deleted_tips: int
    deleted_messages: int
    deleted_photos: int
    erased_contacts: int


def tip_purge(*, now: datetime | None = None) -> PurgeResult:
    """Delete spam/not-useful tips older than PURGE_REJECTED_TIPS_DAYS (with their photos and
    messages) and erase contact details and photos of tips closed ERASE_CLOSED_CONTACT_DAYS ago.

    Photos are removed from private storage after the rows are gone (on commit), so a failed
    transaction leaves the photos of surviving tips in place.
    """
    now = now or timezone.now()
    reject_before = now - timedelta(days=settings.PURGE_REJECTED_TIPS_DAYS)
    erase_before = now - timedelta(days=settings.ERASE_CLOSED_CONTACT_DAYS)
    photos: list[str] = []
    with transaction.atomic():
        doomed = Tip.objects.filter(
            status__in=[S.SPAM, S.NOT_USEFUL], received_at__lt=reject_before
        )
        doomed = doomed.filter(
            Q(status_changed_at__isnull=True) | Q(status_changed_at__lt=reject_before)
        )
        ids = list(doomed.values_list("pk", flat=True))
        photos += [
            n for n in Tip.objects.filter(pk__in=ids).values_list("photo_name", flat=True) if n
        ]
        messages = TipMessage.objects.filter(tip_id__in=ids).count()
        Tip.objects.filter(duplicate_of_id__in=ids).update(duplicate_of=None)
        Tip.objects.filter(pk__in=ids).delete()
        closed = Tip.objects.filter(
            status=S.CLOSED, status_changed_at__lt=erase_before, contact_erased_at__isnull=True
        ).filter(~Q(contact_encrypted=b"") | ~Q(photo_name=""))
        erase_ids = list(closed.values_list("pk", flat=True))
        photos += [
            n
            for n in Tip.objects.filter(pk__in=erase_ids).values_list("photo_name", flat=True)
            if n
        ]
        Tip.objects.filter(pk__in=erase_ids).update(
            contact_encrypted=b"", photo_name="", contact_erased_at=now
        )
        result = PurgeResult(len(ids), messages, len(photos), len(erase_ids))
        audit_record(
            action=Action.PURGE,
            actor_name="purge_tips",
            deleted_tips=result.deleted_tips,
            deleted_messages=result.deleted_messages,
            deleted_photos=result.deleted_photos,
            erased_contacts=result.erased_contacts,
        )
        transaction.on_commit(lambda: [private_storage().delete(name) for name in photos])
        page_cache.bump(page_cache.STATS)  # deleted tips leave the public results count
    return result
