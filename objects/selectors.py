"""Reads of objects that more than one view needs. Public reads start from published()."""

from django.http import Http404

from objects.models import TraceObject


class ObjectWithdrawn(Exception):
    """The object was published once and has been withdrawn: answer 410, not 404."""


def published_or_gone(number: int) -> TraceObject:
    """The published object with this number; ObjectWithdrawn or Http404 otherwise."""
    obj = TraceObject.objects.published().select_related("category").filter(number=number).first()
    if obj is not None:
        return obj
    if TraceObject.objects.filter(number=number, status=TraceObject.Status.WITHDRAWN).exists():
        raise ObjectWithdrawn
    raise Http404("No such object.")
