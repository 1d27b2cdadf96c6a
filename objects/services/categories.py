"""Writes to categories. A category's name is on every gallery page and in its objects' search
texts, so each write rebuilds those and makes the cached pages stale."""

from django.contrib.auth.models import User
from django.db import transaction

from objects import search
from objects.models import Category, TraceObject
from objects.services.common import bump_after_commit
from traceobject import page_cache
from traceobject.audit import Action, audit_record
from traceobject.changes import model_update

CATEGORY_FIELDS = ["name", "slug", "order"]


def category_objects(category_id: int) -> list[int]:
    """The objects in a category: those whose search texts hold its name."""
    return list(TraceObject.objects.filter(category_id=category_id).values_list("pk", flat=True))


def category_save(*, category: Category, user: User | None = None) -> Category:
    """Save a new or edited category. Audited: created, or changed with the fields that
    changed; an edit that changes nothing writes nothing."""
    with transaction.atomic():
        if category.pk is None:
            category.save()
            audit_record(action=Action.CREATE, user=user, target=category)
        else:
            # Compared with the row: an admin form has already set the new values.
            row = Category.objects.select_for_update().get(pk=category.pk)
            data = {name: getattr(category, name) for name in CATEGORY_FIELDS}
            _row, changed = model_update(instance=row, fields=CATEGORY_FIELDS, data=data)
            if not changed:
                return category
            audit_record(action=Action.CHANGE, user=user, target=category, fields=changed)
        search.rebuild(category_objects(category.pk))
        bump_after_commit(page_cache.PAGES)
    return category


def category_delete(*, category: Category, user: User | None = None) -> None:
    """Delete a category; raises ProtectedError while objects are in it."""
    with transaction.atomic():
        audit_record(action=Action.DELETE, user=user, target=category, name=category.name)
        category.delete()
    bump_after_commit(page_cache.PAGES)
