"""The investigators' tags themselves (adding a tag to tips is in bulk and triage)."""

from django.contrib.auth.models import User
from django.db import transaction

from tips.models import Tag, Tip
from traceobject.audit import Action, audit_record


@transaction.atomic
def tag_save(*, tag: Tag, user: User) -> Tag:
    """Create or rename a tag; audited with its name (a tag is the investigators' own text)."""
    if tag.pk is None:
        tag.save()
        audit_record(action=Action.CREATE, user=user, target=tag, name=tag.name)
        return tag
    old = Tag.objects.filter(pk=tag.pk).values_list("name", flat=True).first()
    tag.save()
    if old != tag.name:
        audit_record(action=Action.CHANGE, user=user, target=tag, old=old, new=tag.name)
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, user: User) -> None:
    """Delete a tag, which takes it off every tip it was on (their count is audited)."""
    tips = Tip.tags.through.objects.filter(tag=tag).count()
    audit_record(action=Action.DELETE, user=user, target=tag, name=tag.name, tips=tips)
    tag.delete()
