"""Writing the audit log. Every staff read of a tip and every change goes through audit_record."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from traceobject.models import AuditEntry

Action = AuditEntry.Action


def audit_record(
    *,
    action: str,
    user: AbstractBaseUser | None = None,
    actor_name: str = "",
    target=None,
    target_type: str = "",
    target_id: str | int = "",
    **detail,
) -> AuditEntry:
    """Append one entry. `detail` holds ids, statuses, counts and a list page's query string,
    never a password, a receipt code, a session id, a setup link or tip text."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    if user is not None and getattr(user, "is_authenticated", False):
        actor, actor_name = user, user.get_username()
    else:
        actor = None
    with transaction.atomic():
        return AuditEntry.objects.create(
            actor=actor,
            actor_name=actor_name[:150],
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            detail=detail,
        )


def audit_record_many(
    *, action: str, user: AbstractBaseUser, entries: list[tuple[object, dict]]
) -> int:
    """Append one entry per (target, detail) in a single INSERT: bulk actions on many tips."""
    rows = [
        AuditEntry(
            actor=user,
            actor_name=user.get_username()[:150],
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            detail=detail,
        )
        for target, detail in entries
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
