"""Writes to objects and their images. Views, the admin and commands call these; nothing else."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from objects import imaging, search
from objects.models import (
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


def object_save(*, obj: TraceObject, user: AbstractBaseUser | None = None) -> TraceObject:
    """Save a new or edited object: numbers it, stamps who changed it and when it went public.

    Two editors saving at once may pick the same number; the unique constraint catches it and
    the save is retried with the next one. The general reports' row can be neither made nor
    unmade here (object_general).
    """
    _keep_general_hidden(obj)
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
            obj.save()
            search.rebuild([obj.pk])
        page_cache.bump()
        return obj
    for attempt in range(5):
        obj.number = _next_number()
        try:
            with transaction.atomic():
                obj.save()
                search.rebuild([obj.pk])
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
    user: AbstractBaseUser | None = None,
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


def _write_derivatives(derivatives: list[imaging.Derivative]) -> tuple[list[dict], list[str]]:
    """Write derivatives to public storage; returns (renditions, names newly written).

    Names are content hashes, so a file that already exists holds exactly these bytes.
    """
    public = public_storage()
    renditions, written = [], []
    for derivative in derivatives:
        if not public.exists(derivative.name) and derivative.name not in written:
            written.append(public.save(derivative.name, ContentFile(derivative.content)))
        renditions.append(
            {
                "role": derivative.role,
                "format": derivative.format,
                "name": derivative.name,
                "width": derivative.width,
                "height": derivative.height,
                "bytes": len(derivative.content),
            }
        )
    return renditions, written


def _delete_unreferenced(names: set[str]) -> None:
    """Remove public derivatives that no image refers to any more (run after commit)."""
    if not names:
        return
    in_use = {
        item["name"]
        for renditions in ObjectImage.objects.values_list("renditions", flat=True)
        for item in renditions
    }
    public = public_storage()
    for name in names - in_use:
        public.delete(name)


def _apply_processed(image: ObjectImage, processed: imaging.ProcessedImage, renditions) -> None:
    image.original_format = processed.format
    image.original_width = processed.width
    image.original_height = processed.height
    edit = processed.edit.to_dict()
    image.crop = edit["crop"]
    image.redactions = edit["redactions"]
    image.dominant_color = processed.dominant_color
    image.renditions = renditions


IMAGE_PIPELINE_FIELDS = [
    "original_format",
    "original_width",
    "original_height",
    "crop",
    "redactions",
    "dominant_color",
    "renditions",
]


def object_image_add(
    *,
    obj: TraceObject,
    processed: imaging.ProcessedImage,
    alt_text: str = "",
    primary: bool | None = None,
) -> ObjectImage:
    """Store a processed upload: original to private storage, derivatives to public storage.

    Files are written before the row; if the row cannot be saved the files are removed again,
    so no half-written image is ever visible. The first image of an object becomes primary.
    """
    private = private_storage()
    public = public_storage()
    # The original's name is random: an uploaded file name can carry a case detail.
    original_name = private.save(
        f"originals/{secrets.token_hex(16)}.{processed.original_ext}",
        ContentFile(processed.original),
    )
    written = []
    try:
        renditions, written = _write_derivatives(processed.derivatives)
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
            _apply_processed(image, processed, renditions)
            image.save()
    except Exception:
        private.delete(original_name)
        for name in written:
            public.delete(name)
        raise
    page_cache.bump(page_cache.PAGES)
    return image


def object_image_upload(
    *, obj: TraceObject, upload, alt_text: str = "", primary: bool | None = None
) -> ObjectImage:
    """Process an editor's upload (checked by the form) and store it: object_image_add."""
    processed = imaging.process_upload(upload)
    return object_image_add(obj=obj, processed=processed, alt_text=alt_text, primary=primary)


def _read_original(image: ObjectImage) -> bytes:
    with image.original.open("rb") as fh:
        return fh.read()


def object_image_edit(*, image: ObjectImage, edit: imaging.Edit) -> ObjectImage:
    """Apply a crop and redactions: new derivatives from the original, old ones removed.

    Raises ImageRejected (nothing changed) when a rectangle does not fit the image. The
    superseded derivatives are deleted once the new row is committed, so an unredacted copy
    does not stay reachable in public storage.
    """
    processed = imaging.process_original(_read_original(image), edit=edit)
    return _replace_derivatives(image=image, processed=processed)


def _replace_derivatives(*, image: ObjectImage, processed: imaging.ProcessedImage) -> ObjectImage:
    old_names = image.derivative_names()
    renditions, written = _write_derivatives(processed.derivatives)
    try:
        with transaction.atomic():
            _apply_processed(image, processed, renditions)
            image.save(update_fields=IMAGE_PIPELINE_FIELDS)
            new_names = image.derivative_names()
            transaction.on_commit(lambda: _delete_unreferenced(old_names - new_names))
    except Exception:
        public = public_storage()
        for name in written:
            public.delete(name)
        raise
    return image


def object_image_rebuild(*, image: ObjectImage) -> bool:
    """Make an image's derivatives again from its original and edit; True if anything changed.

    Encoding is deterministic, so a second run finds the same names and the same files and
    writes nothing: the command can be run again safely after an interruption.
    """
    processed = imaging.process_original(_read_original(image), edit=image.edit)
    public = public_storage()
    missing = [d for d in processed.derivatives if not public.exists(d.name)]
    before = (
        image.renditions,
        image.dominant_color,
        image.original_format,
        image.original_width,
        image.original_height,
    )
    after_renditions = [
        {
            "role": d.role,
            "format": d.format,
            "name": d.name,
            "width": d.width,
            "height": d.height,
            "bytes": len(d.content),
        }
        for d in processed.derivatives
    ]
    after = (
        after_renditions,
        processed.dominant_color,
        processed.format,
        processed.width,
        processed.height,
    )
    if before == after and not missing:
        return False
    _replace_derivatives(image=image, processed=processed)
    return True


def object_image_delete(*, image: ObjectImage) -> None:
    """Delete an image row, then its original and any derivative no other image uses."""
    names = image.derivative_names()
    original = image.original.name
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _delete_unreferenced(names))
        transaction.on_commit(lambda: private_storage().delete(original))


def object_image_update(
    *, image: ObjectImage, alt_text: str, position: int, primary: bool
) -> ObjectImage:
    """Change an image's alt text, order or primary flag; making one primary demotes the other."""
    with transaction.atomic():
        if primary:
            others = image.trace_object.images.filter(is_primary=True).exclude(pk=image.pk)
            others.update(is_primary=False)
        image.alt_text = alt_text
        image.position = position
        image.is_primary = primary
        image.save(update_fields=["alt_text", "position", "is_primary"])
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
    user: AbstractBaseUser | None = None,
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
        object_image_add(obj=obj, processed=processed)
    return obj


@transaction.atomic
def object_translation_save(*, translation: TraceObjectTranslation) -> TraceObjectTranslation:
    """Save an object's texts in one language; the public pages and search show them at once."""
    translation.save()
    search.rebuild([translation.trace_object_id])
    page_cache.bump(page_cache.PAGES)
    return translation


@transaction.atomic
def object_translation_delete(*, translation: TraceObjectTranslation) -> None:
    translation.delete()
    search.rebuild([translation.trace_object_id])
    page_cache.bump(page_cache.PAGES)


@transaction.atomic
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


@transaction.atomic
def category_save(*, category: Category) -> Category:
    """Save a category; its name is on every gallery page and in its objects' search texts."""
    category.save()
    search.rebuild(_category_objects(category.pk))
    page_cache.bump(page_cache.PAGES)
    return category


@transaction.atomic
def category_translation_save(*, translation: CategoryTranslation) -> CategoryTranslation:
    """Save a category's name in one language: the gallery and search show it at once."""
    translation.save()
    search.rebuild(_category_objects(translation.category_id))
    page_cache.bump(page_cache.PAGES)
    return translation


@transaction.atomic
def category_translation_delete(*, translation: CategoryTranslation) -> None:
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
                    number=_next_number(),
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


@transaction.atomic
def object_identify(*, obj: TraceObject, user: AbstractBaseUser, note: str) -> TraceObject:
    """Mark an object identified with the public note shown on its page; tips close for it.

    Saved through object_save, which stamps identified_at and who changed it and refreshes the
    cached public pages (the object page stops asking for tips at once). The general reports'
    row is refused (NotAnObject, a 403): identifying it would publish it.
    """
    if obj.is_general:
        raise NotAnObject("The general reports' row cannot be identified.")
    obj.status = TraceObject.Status.IDENTIFIED
    obj.identification_note = note
    object_save(obj=obj, user=user)
    audit_record(
        action=Action.CHANGE,
        user=user,
        target=obj,
        field="status",
        new=TraceObject.Status.IDENTIFIED,
    )
    return obj


def site_page_save(*, page: SitePage) -> SitePage:
    """Save the legal notice or the accessibility statement; the public page shows it at once."""
    page.save()
    page_cache.bump(page_cache.PAGES)
    return page


def site_page_translation_save(*, translation: SitePageTranslation) -> SitePageTranslation:
    translation.save()
    page_cache.bump(page_cache.PAGES)
    return translation


def site_page_translation_delete(*, translation: SitePageTranslation) -> None:
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
