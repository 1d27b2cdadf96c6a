"""Writes to objects and their images. Views, the admin and commands call these; nothing else."""

import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from objects import imaging, search
from objects.models import (
    PREVIEW_PREFIX,
    Category,
    CategoryTranslation,
    ObjectImage,
    SitePage,
    SitePageTranslation,
    TraceObject,
    TraceObjectTranslation,
)
from traceobject import page_cache
from traceobject.audit import Action, audit_record
from traceobject.storage import private_storage, public_storage


def _next_number() -> int:
    return (TraceObject.objects.aggregate(n=Max("number"))["n"] or 0) + 1


# What an edit is audited by: the fields an editor changes (not the stamps saving sets itself).
AUDITED_OBJECT_FIELDS = [
    field.attname
    for field in TraceObject._meta.concrete_fields
    if field.name not in ("id", "number", "created_at", "updated_at", "created_by", "updated_by")
]
PUBLIC_STATUSES = {TraceObject.Status.PUBLISHED, TraceObject.Status.IDENTIFIED}


def _object_values(pk: int) -> dict:
    return TraceObject.objects.filter(pk=pk).values(*AUDITED_OBJECT_FIELDS).first() or {}


def _audit_object_save(*, obj: TraceObject, user, before: dict | None) -> None:
    """One row per save that changed something: created, published, unpublished or changed,
    with the names of the fields that changed (never their text)."""
    after = _object_values(obj.pk)
    if before is None:
        audit_record(action=Action.CREATE, user=user, target=obj, status=obj.status)
        if obj.status in PUBLIC_STATUSES:
            audit_record(action=Action.PUBLISH, user=user, target=obj, status=obj.status)
        return
    fields = [name for name in AUDITED_OBJECT_FIELDS if before.get(name) != after.get(name)]
    if not fields:
        return
    old, new = before.get("status"), after.get("status")
    if old not in PUBLIC_STATUSES and new in PUBLIC_STATUSES:
        action = Action.PUBLISH
    elif old in PUBLIC_STATUSES and new not in PUBLIC_STATUSES:
        action = Action.UNPUBLISH
    else:
        action = Action.CHANGE
    if old != new:
        audit_record(action=action, user=user, target=obj, fields=fields, status=[old, new])
    else:
        audit_record(action=action, user=user, target=obj, fields=fields)


def object_save(*, obj: TraceObject, user: User | None = None) -> TraceObject:
    """Save a new or edited object: numbers it, stamps who changed it and when it went public.

    Public storage follows the status: publishing copies the images whose crop and redactions
    were published there; back to draft or withdrawn removes every public derivative.

    Audited: created, published, unpublished (back to draft, or withdrawn) or changed, with
    which fields changed. Two editors saving at once may pick the same number; the unique
    constraint catches it and the save is retried with the next one.
    """
    if user is not None and user.is_authenticated:
        if obj.pk is None:
            obj.created_by = user
        obj.updated_by = user
    now = timezone.now()
    if obj.status != TraceObject.Status.DRAFT and obj.published_at is None:
        obj.published_at = now
    if obj.status == TraceObject.Status.IDENTIFIED and obj.identified_at is None:
        obj.identified_at = now
    if obj.pk is not None:
        with transaction.atomic():
            before = _object_values(obj.pk)
            obj.save()
            _sync_public_images(obj)
            search.rebuild([obj.pk])
            _audit_object_save(obj=obj, user=user, before=before)
        page_cache.bump()
        return obj
    for attempt in range(5):
        obj.number = _next_number()
        try:
            with transaction.atomic():
                obj.save()
                search.rebuild([obj.pk])
                _audit_object_save(obj=obj, user=user, before=None)
            page_cache.bump()
            return obj
        except IntegrityError:
            if attempt == 4:
                raise
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
    image.dominant_color = processed.dominant_color
    image.previews = previews


IMAGE_PIPELINE_FIELDS = [
    "original_format",
    "original_width",
    "original_height",
    "crop",
    "redactions",
    "dominant_color",
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
    page_cache.bump(page_cache.PAGES)
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
    page_cache.bump(page_cache.PAGES)
    return image


def _sync_public_images(obj: TraceObject) -> None:
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
        image.dominant_color,
        image.original_format,
        image.original_width,
        image.original_height,
    )
    after = (
        previews,
        renditions,
        processed.dominant_color,
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
    public, private = image.derivative_names(), image.preview_names()
    original = image.original.name
    with transaction.atomic():
        audit_record(action=Action.DELETE, user=user, target=image, object=image.trace_object_id)
        image.delete()
        transaction.on_commit(lambda: _delete_unreferenced(public=public, private=private))
        transaction.on_commit(lambda: private_storage().delete(original))
    page_cache.bump(page_cache.PAGES)


def object_image_update(
    *,
    image: ObjectImage,
    alt_text: str,
    position: int,
    primary: bool,
    user: User | None = None,
) -> ObjectImage:
    """Change an image's alt text, order or primary flag; making one primary demotes the other."""
    after = {"alt_text": alt_text, "position": position, "is_primary": primary}
    with transaction.atomic():
        # From the database: an admin form has already set the new values on the instance.
        before = ObjectImage.objects.filter(pk=image.pk).values(*after).get()
        if primary:
            others = image.trace_object.images.filter(is_primary=True).exclude(pk=image.pk)
            others.update(is_primary=False)
        image.alt_text = alt_text
        image.position = position
        image.is_primary = primary
        image.save(update_fields=["alt_text", "position", "is_primary"])
        if fields := [name for name in after if before[name] != after[name]]:
            audit_record(
                action=Action.CHANGE,
                user=user,
                target=image,
                object=image.trace_object_id,
                fields=fields,
            )
    page_cache.bump(page_cache.PAGES)
    return image


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


def object_translation_save(
    *, translation: TraceObjectTranslation, user: User | None = None
) -> TraceObjectTranslation:
    """Save an object's texts in one language; the public pages and search show them at once."""
    action = Action.CREATE if translation.pk is None else Action.CHANGE
    with transaction.atomic():
        translation.save()
        search.rebuild([translation.trace_object_id])
        audit_record(
            action=action,
            user=user,
            target=translation,
            object=translation.trace_object_id,
            language=translation.language,
        )
    page_cache.bump(page_cache.PAGES)
    return translation


def object_translation_delete(
    *, translation: TraceObjectTranslation, user: User | None = None
) -> None:
    with transaction.atomic():
        audit_record(
            action=Action.DELETE,
            user=user,
            target=translation,
            object=translation.trace_object_id,
            language=translation.language,
        )
        translation.delete()
        search.rebuild([translation.trace_object_id])
    page_cache.bump(page_cache.PAGES)


@transaction.atomic
def object_delete(*, obj: TraceObject, user: User | None = None) -> None:
    """Delete an object with its images (their files go after commit) and translations.

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
            object_image_delete(image=image, user=user)
        obj.delete()
    page_cache.bump()


def object_translations_add(*, translations: list[TraceObjectTranslation]) -> int:
    """Add many translations at once (an import, the demo data), skipping any language an object
    already has; returns how many were added. One search rebuild and one cache bump in all."""
    have = set(
        TraceObjectTranslation.objects.filter(
            trace_object__in={t.trace_object_id for t in translations}
        ).values_list("trace_object_id", "language")
    )
    new = [t for t in translations if (t.trace_object_id, t.language) not in have]
    for translation in new:
        translation.full_clean(validate_unique=False)
    TraceObjectTranslation.objects.bulk_create(new)
    if new:
        search.rebuild({t.trace_object_id for t in new})
        page_cache.bump(page_cache.PAGES)
    return len(new)


def _category_objects(category_id: int) -> list[int]:
    return list(TraceObject.objects.filter(category_id=category_id).values_list("pk", flat=True))


def _category_values(pk: int) -> dict:
    return dict(Category.objects.filter(pk=pk).values("name", "slug", "order").first() or {})


def category_save(*, category: Category, user: User | None = None) -> Category:
    """Save a category; its name is on every gallery page and in its objects' search texts."""
    before = _category_values(category.pk) if category.pk is not None else None
    with transaction.atomic():
        category.save()
        search.rebuild(_category_objects(category.pk))
        if before is None:
            audit_record(action=Action.CREATE, user=user, target=category)
        elif fields := [k for k, v in _category_values(category.pk).items() if before[k] != v]:
            audit_record(action=Action.CHANGE, user=user, target=category, fields=fields)
    page_cache.bump(page_cache.PAGES)
    return category


def category_delete(*, category: Category, user: User | None = None) -> None:
    """Delete a category; raises ProtectedError while objects are in it."""
    with transaction.atomic():
        audit_record(action=Action.DELETE, user=user, target=category, name=category.name)
        category.delete()
    page_cache.bump(page_cache.PAGES)


@transaction.atomic
def category_translation_save(
    *, translation: CategoryTranslation, user: User | None = None
) -> CategoryTranslation:
    """Save a category's name in one language: the gallery and search show it at once."""
    action = Action.CREATE if translation.pk is None else Action.CHANGE
    translation.save()
    search.rebuild(_category_objects(translation.category_id))
    audit_record(
        action=action,
        user=user,
        target=translation,
        category=translation.category_id,
        language=translation.language,
    )
    page_cache.bump(page_cache.PAGES)
    return translation


@transaction.atomic
def category_translation_delete(
    *, translation: CategoryTranslation, user: User | None = None
) -> None:
    audit_record(
        action=Action.DELETE,
        user=user,
        target=translation,
        category=translation.category_id,
        language=translation.language,
    )
    translation.delete()
    search.rebuild(_category_objects(translation.category_id))
    page_cache.bump(page_cache.PAGES)


@transaction.atomic
def category_translations_add(*, translations: list[CategoryTranslation]) -> int:
    """Add many category names at once, skipping languages a category already has."""
    have = set(
        CategoryTranslation.objects.filter(
            category__in={t.category_id for t in translations}
        ).values_list("category_id", "language")
    )
    new = [t for t in translations if (t.category_id, t.language) not in have]
    CategoryTranslation.objects.bulk_create(new)
    if new:
        ids = TraceObject.objects.filter(category__in={t.category_id for t in new})
        search.rebuild(ids.values_list("pk", flat=True))
        page_cache.bump(page_cache.PAGES)
    return len(new)


@transaction.atomic
def object_identify(*, obj: TraceObject, user: User, note: str) -> TraceObject:
    """Mark an object identified with the public note shown on its page; tips close for it.

    Saved through object_save, which stamps identified_at and who changed it, audits the change
    (status and note) and refreshes the cached public pages (the object page stops asking for
    tips at once).
    """
    obj.status = TraceObject.Status.IDENTIFIED
    obj.identification_note = note
    object_save(obj=obj, user=user)
    return obj


def site_page_save(*, page: SitePage, user: User | None = None) -> SitePage:
    """Save the legal notice or the accessibility statement; the public page shows it at once."""
    action = Action.CREATE if page.pk is None else Action.CHANGE
    with transaction.atomic():
        page.save()
        audit_record(action=action, user=user, target=page, kind=page.kind)
    page_cache.bump(page_cache.PAGES)
    return page


def site_page_delete(*, page: SitePage, user: User | None = None) -> None:
    """Delete a site page (with its translations); its public page answers 404 until rewritten."""
    with transaction.atomic():
        audit_record(action=Action.DELETE, user=user, target=page, kind=page.kind)
        page.delete()
    page_cache.bump(page_cache.PAGES)


def site_page_translation_save(
    *, translation: SitePageTranslation, user: User | None = None
) -> SitePageTranslation:
    action = Action.CREATE if translation.pk is None else Action.CHANGE
    with transaction.atomic():
        translation.save()
        audit_record(
            action=action,
            user=user,
            target=translation,
            page=translation.page_id,
            language=translation.language,
        )
    page_cache.bump(page_cache.PAGES)
    return translation


def site_page_translation_delete(
    *, translation: SitePageTranslation, user: User | None = None
) -> None:
    with transaction.atomic():
        audit_record(
            action=Action.DELETE,
            user=user,
            target=translation,
            page=translation.page_id,
            language=translation.language,
        )
        translation.delete()
    page_cache.bump(page_cache.PAGES)


@transaction.atomic
def site_pages_add(*, pages: dict[str, dict[str, dict[str, str]]]) -> int:
    """Create the site pages that do not exist yet, with their translations (the demo data):
    {kind: {language: {"title": ..., "body": ...}}}, English under settings.LANGUAGE_CODE."""
    made = 0
    for kind, texts in pages.items():
        if SitePage.objects.filter(kind=kind).exists():
            continue
        english = texts[settings.LANGUAGE_CODE]
        page = SitePage.objects.create(kind=kind, title=english["title"], body=english["body"])
        SitePageTranslation.objects.bulk_create(
            SitePageTranslation(page=page, language=language, **fields)
            for language, fields in texts.items()
            if language != settings.LANGUAGE_CODE
        )
        made += 1
    if made:
        page_cache.bump(page_cache.PAGES)
    return made
