"""The hidden row general reports belong to, and the rule that it never becomes an object."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from objects.models import TraceObject
from objects.services.common import next_number


class NotAnObject(PermissionDenied):
    """The general reports' row cannot become a public object. A PermissionDenied, so that a
    staff view that tries answers 403 rather than publishing it."""


def _keep_general_hidden(obj: TraceObject) -> None:
    was_general = (
        obj.pk is not None
        and TraceObject.objects.filter(pk=obj.pk, status=TraceObject.Status.GENERAL).exists()
    )
    if was_general != obj.is_general:
        raise NotAnObject("The general reports' row is not an object and stays hidden.")


def object_general() -> TraceObject:
    """The hidden row that general reports (tips not about a published object) belong to.

    Made on the first general tip, with a number like any object's (so the back-office shows
    "Tips on TAO-0031"), a status published() never shows, and no category. Two first tips at
    once: the unique constraint lets one row through and the other finds it.
    """
    for _attempt in range(5):
        found = TraceObject.objects.filter(status=TraceObject.Status.GENERAL).first()
        if found is not None:
            return found
        try:
            with transaction.atomic():
                obj = TraceObject(
                    number=next_number(),
                    status=TraceObject.Status.GENERAL,
                    published_at=timezone.now(),
                    title="General reports: not about a published object",
                    question="Tips sent from the general form (“Something else to report”).",
                    alt_text="",
                    case_reference="general-reports",
                )
                obj.save()
                return obj
        except IntegrityError:
            continue  # another first tip made it, or an editor took the number: look again
    return TraceObject.objects.get(status=TraceObject.Status.GENERAL)
