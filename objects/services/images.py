"""Writes to objects' images: upload, crop and redactions published, order and alt text, delete,
and the derivatives' files in private and public storage."""

import secrets

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from objects import imaging
from objects.models import PREVIEW_PREFIX, ObjectImage, TraceObject
from objects.services.common import bump_after_commit
from traceobject import page_cache
from traceobject.audit import Action, audit_record
from traceobject.changes import model_update
from traceobject.storage import private_storage, public_storage


def _rendition(derivative: imaging.Derivative) -> dict:
    return {
        "role": derivative.role,
        "format": derivative.format,
        "name": derivative.name,
        "width": derivative.width,
        "height": derivative.height,
        "bytes": len(derivative.content),
    }


def _write_previews(derivatives: list[imaging.Derivative]) -> tuple[list[dict], list[str]]:
    """Write derivatives to private storage; returns (previews, names newly written).

    Names are content hashes, so a file that already exists holds exactly these bytes.
    """
    private = private_storage()
    previews, written = [], []
    for derivative in derivatives:
        name = PREVIEW_PREFIX + derivative.name
        if name not in written and not private.exists(name):
            written.append(private.save(name, ContentFile(derivative.content)))
        previews.append(_rendition(derivative))
    return previews, written


def _copy_to_public(previews: list[dict]) -> list[str]:
    """Copy an image's private derivatives to public storage; returns the names newly written."""
    private, public = private_storage(), public_storage()
    written: list[str] = []
    try:
        for item in previews:
            name = item["name"]
            if name in written or public.exists(name):
                continue
            with private.open(PREVIEW_PREFIX + name) as fh:
                written.append(public.save(name, ContentFile(fh.read())))
    except Exception:
        for name in written:
            public.delete(name)
        raise
    return written


def _names_in_use() -> tuple[set[str], set[str]]:
    """(public, private) names of the derivative files some image refers to."""
    public: set[str] = set()
    private: set[str] = set()
    for renditions, previews in ObjectImage.objects.values_list("renditions", "previews"):
        public |= {item["name"] for item in renditions}
        private |= {PREVIEW_PREFIX + item["name"] for item in previews}
    return public, private


def _delete_unreferenced(*, public: set[str], private: set[str]) -> None:
    """Remove derivative files that no image refers to any more (run after commit)."""
    if not public and not private:
        return
    public_in_use, private_in_use = _names_in_use()
    for name in public - public_in_use:
        public_storage().delete(name)
    for name in private - private_in_use:
        private_storage().delete(name)


def _apply_processed(image: ObjectImage, processed: imaging.ProcessedImage, previews) -> None:
    image.original_format = processed.format
    image.original_width = processed.width
    image.original_height = processed.height
    edit = processed.edit.to_dict()
    image.crop = edit["crop"]
    image.redactions = edit["redactions"]
    image.previews = previews


IMAGE_PIPELINE_FIELDS = [
    "original_format",
    "original_width",
    "original_height",
    "crop",
    "redactions",
    "previews",
    "renditions",
    "edit_published_at",
]


def object_image_add(
    *,
    obj: TraceObject,
    processed: imaging.ProcessedImage,
    alt_text: str = "",
    primary: bool | None = None,
    user: User | None = None,
) -> ObjectImage:
    """Store a processed upload: the original and its derivatives, in private storage only.

    Nothing reaches public storage until an editor publishes the crop and redactions
    (object_image_edit) and the object is public. Files are written before the row; if the row
    cannot be saved the files are removed again, so no half-written image is ever visible. The
    first image of an object becomes primary.
    """
    private = private_storage()
    # The original's name is random: an uploaded file name can carry a case detail.
    original_name = private.save(
        f"originals/{secrets.token_hex(16)}.{processed.original_ext}",
        ContentFile(processed.original),
    )
    written: list[str] = []
    try:
        previews, written = _write_previews(processed.derivatives)
        with transaction.atomic():
            has_primary = obj.images.filter(is_primary=True).exists()
            if primary is None:
                primary = not has_primary
            if primary and has_primary:
                obj.images.filter(is_primary=True).update(is_primary=False)
            last = obj.images.aggregate(p=Max("position"))["p"]
            image = ObjectImage(
                trace_object=obj,
                position=0 if last is None else last + 1,
                is_primary=primary,
                original=original_name,
                original_sha256=processed.original_sha256,
                alt_text=alt_text,
            )
            _apply_processed(image, processed, previews)
            image.save()
            audit_record(action=Action.CREATE, user=user, target=image, object=obj.pk)
    except Exception:
        private.delete(original_name)
        for name in written:
            private.delete(name)
        raise
    bump_after_commit(page_cache.PAGES)
    return image


def object_image_upload(
    *,
    obj: TraceObject,
    upload,
    alt_text: str = "",
    primary: bool | None = None,
    user: User | None = None,
) -> ObjectImage:
    """Process an editor's upload (checked by the form) and store it: object_image_add."""
    processed = imaging.process_upload(upload)
    return object_image_add(
        obj=obj, processed=processed, alt_text=alt_text, primary=primary, user=user
    )


def _read_original(image: ObjectImage) -> bytes:
    with image.original.open("rb") as fh:
        return fh.read()


def _processed_unless_stored(image: ObjectImage, edit: imaging.Edit):
    """None when the image's private derivatives are those of `edit` and all there; otherwise
    new derivatives made from the original (ImageRejected when a rectangle does not fit)."""
    private = private_storage()
    if (
        image.previews
        and edit == image.edit
        and all(private.exists(name) for name in image.preview_names())
    ):
        return None
    return imaging.process_original(_read_original(image), edit=edit)


def object_image_edit(
    *, image: ObjectImage, edit: imaging.Edit, user: User | None = None
) -> ObjectImage:
    """Publish a crop and redactions ("Publish" on the crop page): what the public may see.

    The derivatives are made from the original with the edit applied (or reused, when they are
    already those of this edit) and kept in private storage; they are copied to public storage
    at once if the object is public, else when it is published (object_save). Raises
    ImageRejected (nothing changed) when a rectangle does not fit the image. Superseded
    derivatives are deleted once the new row is committed, so an unredacted copy does not stay
    reachable.
    """
    processed = _processed_unless_stored(image, edit)
    image.edit_published_at = timezone.now()
    with transaction.atomic():
        _store_derivatives(image=image, processed=processed)
        audit_record(
            action=Action.IMAGE_PUBLISHED,
            user=user,
            target=image,
            object=image.trace_object_id,
            crop=bool(image.crop),
            redactions=len(image.redactions),
        )
    return image


def _store_derivatives(
    *, image: ObjectImage, processed: imaging.ProcessedImage | None
) -> ObjectImage:
    """Save new private derivatives (if any) and make public storage follow the image: its
    derivatives are public exactly while its edit is published and its object is public.

    New files are written before the row and removed again if it cannot be saved; files no
    image refers to any more are deleted after the commit. A transaction rolled back further
    out can leave copies behind; `rebuild_derivatives` removes any file no image refers to.
    """
    old_previews, old_public = image.preview_names(), image.derivative_names()
    written_private: list[str] = []
    written_public: list[str] = []
    try:
        previews = image.previews
        if processed is not None:
            previews, written_private = _write_previews(processed.derivatives)
        with transaction.atomic():
            # The object's row lock orders this against a change of its status (object_save):
            # an image is never left in public storage by an object that has just left public.
            obj = (
                TraceObject.objects.select_for_update().only("status").get(pk=image.trace_object_id)
            )
            shown = image.edit_published_at is not None and obj.has_public_status
            if shown:
                written_public = _copy_to_public(previews)
            if processed is not None:
                _apply_processed(image, processed, previews)
            image.renditions = list(previews) if shown else []
            image.save(update_fields=IMAGE_PIPELINE_FIELDS)
            stale_public = old_public - image.derivative_names()
            stale_private = old_previews - image.preview_names()
            transaction.on_commit(
                lambda: _delete_unreferenced(public=stale_public, private=stale_private)
            )
    except Exception:
        for name in written_public:
            public_storage().delete(name)
        for name in written_private:
            private_storage().delete(name)
        raise
    bump_after_commit(page_cache.PAGES)
    return image


def sync_public_images(obj: TraceObject) -> None:
    """After a change of status: copy the published images of a public object to public storage,
    and remove every public derivative of an object that is not (draft, withdrawn)."""
    for image in obj.images.all():
        shown = image.edit_published_at is not None and obj.has_public_status
        if shown and not image.renditions:
            _store_derivatives(image=image, processed=_processed_unless_stored(image, image.edit))
        elif not shown and image.renditions:
            _store_derivatives(image=image, processed=None)


def object_image_rebuild(*, image: ObjectImage) -> bool:
    """Make an image's derivatives again from its original and edit; True if anything changed.

    Also puts back any file that went missing, and brings public storage in line with the
    image (public only while its edit is published and its object public). Encoding is
    deterministic, so a second run finds the same names and the same files and writes
    nothing: the command can be run again safely after an interruption.
    """
    processed = imaging.process_original(_read_original(image), edit=image.edit)
    previews = [_rendition(d) for d in processed.derivatives]
    shown = image.edit_published_at is not None and image.trace_object.has_public_status
    renditions = previews if shown else []
    private, public = private_storage(), public_storage()
    missing = [p for p in previews if not private.exists(PREVIEW_PREFIX + p["name"])]
    missing += [r for r in renditions if not public.exists(r["name"])]
    before = (
        image.previews,
        image.renditions,
        image.original_format,
        image.original_width,
        image.original_height,
    )
    after = (
        previews,
        renditions,
        processed.format,
        processed.width,
        processed.height,
    )
    if before == after and not missing:
        return False
    _store_derivatives(image=image, processed=processed)
    return True


def _stored_names(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _stored_names(storage, f"{folder}/{sub}")


def object_media_sweep() -> tuple[int, int]:
    """Delete derivative files no image refers to; returns (public, private) files deleted.

    What an interrupted write or a transaction rolled back around a publish left behind, and
    derivatives of images that are not public. Run it while no editor is publishing: a file
    written for a row not yet committed would be deleted too.
    """
    public_in_use, private_in_use = _names_in_use()
    counts = []
    for storage, folder, in_use in (
        (public_storage(), imaging.DERIVATIVE_FOLDER, public_in_use),
        (private_storage(), PREVIEW_PREFIX + imaging.DERIVATIVE_FOLDER, private_in_use),
    ):
        stray = [name for name in _stored_names(storage, folder) if name not in in_use]
        for name in stray:
            storage.delete(name)
        counts.append(len(stray))
    return counts[0], counts[1]


def object_image_delete(*, image: ObjectImage, user: User | None = None) -> None:
    """Delete an image row, then its original and any derivative no other image uses (public
    and private)."""
    with transaction.atomic():
        delete_image_row(image=image, user=user)
    bump_after_commit(page_cache.PAGES)


def delete_image_row(*, image: ObjectImage, user: User | None) -> None:
    """object_image_delete's work inside the caller's transaction (object_delete deletes every
    image of an object in its own): the row and its audit row now, the files after commit."""
    public, private = image.derivative_names(), image.preview_names()
    original = image.original.name
    audit_record(action=Action.DELETE, user=user, target=image, object=image.trace_object_id)
    image.delete()
    transaction.on_commit(lambda: _delete_unreferenced(public=public, private=private))
    transaction.on_commit(lambda: private_storage().delete(original))


def object_image_update(
    *,
    image: ObjectImage,
    alt_text: str,
    position: int,
    primary: bool,
    user: User | None = None,
) -> ObjectImage:
    """Change an image's alt text, order or primary flag; making one primary demotes the other.

    Audited with the fields that changed; a save that changes nothing writes nothing.
    """
    data = {"alt_text": alt_text, "position": position, "is_primary": primary}
    with transaction.atomic():
        # Compared with the row: an admin form has already set the new values on `image`.
        row = ObjectImage.objects.select_for_update().get(pk=image.pk)
        if primary:
            others = ObjectImage.objects.filter(trace_object_id=image.trace_object_id)
            others.filter(is_primary=True).exclude(pk=image.pk).update(is_primary=False)
        _row, changed = model_update(instance=row, fields=list(data), data=data)
        if changed:
            audit_record(
                action=Action.CHANGE,
                user=user,
                target=image,
                object=image.trace_object_id,
                fields=changed,
            )
            bump_after_commit(page_cache.PAGES)
    image.alt_text, image.position, image.is_primary = alt_text, position, primary
    return image


def object_image_preview(
    *, image: ObjectImage, edit: imaging.Edit, user: User | None = None
) -> bytes:
    """The crop page's preview: the original with `edit` applied, as a JPEG, the same pixels
    "Publish" would make public (object_image_edit). Changes nothing; audited as a look at the
    original (a VIEW row). Raises ImageRejected when a rectangle does not fit the image."""
    content = imaging.render_preview(_read_original(image), edit=edit)
    audit_record(
        action=Action.VIEW, user=user, target=image, what="preview", object=image.trace_object_id
    )
    return content
