"""Writing the audit log. Every staff read of a tip and every change goes through audit_record."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction

from traceobject.models import AuditEntry

Action = AuditEntry.Action


def audit_record(
    *,
    action: str,
    user: User | AnonymousUser | None = None,
    actor_name: str = "",
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int | None = "",
    **detail: Any,
) -> AuditEntry:
    """Append one entry. `detail` holds ids, statuses, counts and a list page's query string,
    never a password, a receipt code, a session id, a setup link or tip text."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    actor = None
    if isinstance(user, User) and user.is_authenticated:
        actor, actor_name = user, user.get_username()
    with transaction.atomic():
        return AuditEntry.objects.create(
            actor=actor,
            actor_name=actor_name[:150],
            action=action,
            target_type=target_type,
            target_id="" if target_id is None else str(target_id),
            detail=detail,
        )


def audit_record_many(
    *, action: str, user: User, entries: list[tuple[models.Model, dict[str, Any]]]
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
