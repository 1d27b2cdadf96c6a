"""Writes to objects themselves: save (create, edit, publish, withdraw), identify, import,
delete."""

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from objects import imaging, search
from objects.models import Category, TraceObject
from objects.services.common import bump_after_commit, next_number
from objects.services.images import (
    delete_image_row,
    object_image_add,
    object_image_edit,
    sync_public_images,
)
from traceobject.audit import Action, audit_record
from traceobject.changes import model_update

# What an edit is audited by: the fields an editor changes (not the stamps saving sets itself).
AUDITED_OBJECT_FIELDS = [
    field.attname
    for field in TraceObject._meta.concrete_fields
    if field.name not in ("id", "number", "created_at", "updated_at", "created_by", "updated_by")
]
PUBLIC_STATUSES = {TraceObject.Status.PUBLISHED, TraceObject.Status.IDENTIFIED}


def _audit_object_change(*, obj: TraceObject, user, changed: list[str], old_status: str) -> None:
    """One row for an edit that changed something: published, unpublished or changed, with the
    names of the fields that changed (never their text) and, if it moved, the status."""
    new_status = obj.status
    if old_status not in PUBLIC_STATUSES and new_status in PUBLIC_STATUSES:
        action = Action.PUBLISH
    elif old_status in PUBLIC_STATUSES and new_status not in PUBLIC_STATUSES:
        action = Action.UNPUBLISH
    else:
        action = Action.CHANGE
    if "status" in changed:
        status = [old_status, new_status]
        audit_record(action=action, user=user, target=obj, fields=changed, status=status)
    else:
        audit_record(action=action, user=user, target=obj, fields=changed)


def object_save(*, obj: TraceObject, user: User | None = None) -> TraceObject:
    """Save a new or edited object: numbers it, stamps who changed it and when it went public.

    Public storage follows the status: publishing copies the images whose crop and redactions
    were published there; back to draft or withdrawn removes every public derivative.

    Audited: created, published, unpublished (back to draft, or withdrawn) or changed, with
    which fields changed; an edit that changes nothing writes nothing. Two editors saving at
    once may pick the same number; the unique constraint catches it and the save is retried
    with the next one.
    """
    now = timezone.now()
    if obj.status != TraceObject.Status.DRAFT and obj.published_at is None:
        obj.published_at = now
    if obj.status == TraceObject.Status.IDENTIFIED and obj.identified_at is None:
        obj.identified_at = now
    if obj.pk is not None:
        return _object_update(obj=obj, user=user)
    if user is not None and user.is_authenticated:
        obj.created_by = obj.updated_by = user
    attempts = 5
    while True:
        obj.number = next_number()
        try:
            with transaction.atomic():
                obj.save()
                search.rebuild([obj.pk])
                audit_record(action=Action.CREATE, user=user, target=obj, status=obj.status)
                if obj.status in PUBLIC_STATUSES:
                    audit_record(action=Action.PUBLISH, user=user, target=obj, status=obj.status)
            break
        except IntegrityError:
            attempts -= 1
            if not attempts:
                raise
    bump_after_commit()
    return obj


def _object_update(*, obj: TraceObject, user: User | None) -> TraceObject:
    """object_save of an existing object: the row takes the values `obj` holds."""
    with transaction.atomic():
        # Compared with the row, locked: an admin form has already set the new values on `obj`,
        # and the lock orders this against an image's publication (images._store_derivatives).
        row = TraceObject.objects.select_for_update().get(pk=obj.pk)
        old_status = row.status
        stamps = {"updated_by": user} if user is not None and user.is_authenticated else {}
        row, changed = model_update(
            instance=row,
            fields=AUDITED_OBJECT_FIELDS,
            data={name: getattr(obj, name) for name in AUDITED_OBJECT_FIELDS},
            stamps=stamps,
        )
        obj.updated_at, obj.updated_by_id = row.updated_at, row.updated_by_id
        if not changed:
            return obj
        if "status" in changed:
            sync_public_images(row)
        search.rebuild([obj.pk])
        _audit_object_change(obj=obj, user=user, changed=changed, old_status=old_status)
        bump_after_commit()
    return obj


def object_create(
    *,
    category: Category,
    title: str,
    question: str,
    alt_text: str,
    description: str = "",
    publish: bool = False,
    user: User | None = None,
) -> TraceObject:
    obj = TraceObject(
        category=category,
        title=title,
        question=question,
        alt_text=alt_text,
        description=description,
        status=TraceObject.Status.PUBLISHED if publish else TraceObject.Status.DRAFT,
    )
    # The publication-date constraint is met by object_save, which stamps published_at.
    obj.full_clean(exclude=["number"], validate_constraints=False)
    return object_save(obj=obj, user=user)


def object_import(
    *,
    image_file,
    category: Category,
    title: str,
    question: str,
    alt_text: str,
    description: str = "",
    publish: bool = False,
    user: User | None = None,
) -> TraceObject:
    """Create an object with one image in one step; raises ImageRejected before writing anything."""
    processed = imaging.process_upload(image_file)
    with transaction.atomic():
        obj = object_create(
            category=category,
            title=title,
            question=question,
            alt_text=alt_text,
            description=description,
            publish=publish,
            user=user,
        )
        image = object_image_add(obj=obj, processed=processed, user=user)
        if publish:
            # Publishing at import publishes the image as it is, without crop or redaction.
            object_image_edit(image=image, edit=imaging.Edit(), user=user)
    return obj


def object_delete(*, obj: TraceObject, user: User | None = None) -> None:
    """Delete an object with its images (their files go after commit) and translations, in one
    transaction.

    Raises ProtectedError while tips refer to it (the admin says so first): an object with tips
    is withdrawn, not deleted.
    Deleting the row alone would cascade to its images and leave their derivatives public.
    """
    with transaction.atomic():
        audit_record(
            action=Action.DELETE,
            user=user,
            target=obj,
            reference=obj.reference,
            images=obj.images.count(),
        )
        for image in obj.images.all():
            delete_image_row(image=image, user=user)
        obj.delete()
    bump_after_commit()


@transaction.atomic
def object_identify(*, obj: TraceObject, user: User, note: str) -> TraceObject:
    """Mark an object identified with the public note shown on its page; tips close for it.

    Saved through object_save, which stamps identified_at and who changed it, audits the change
    (status and note) and refreshes the cached public pages (the object page stops asking for
    tips once this commits).
    """
    obj.status = TraceObject.Status.IDENTIFIED
    obj.identification_note = note
    object_save(obj=obj, user=user)
    return obj
