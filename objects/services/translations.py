"""Writes to the texts in other languages of objects, categories and site pages.

One save and one delete for all three: each translation model is described once in
TRANSLATIONS (its parent, what its audit rows name, which search texts hold it).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import models, transaction

from objects import search
from objects.models import (
    CategoryTranslation,
    SitePageTranslation,
    TraceObject,
    TraceObjectTranslation,
)
from objects.services.categories import category_objects
from objects.services.common import bump_after_commit
from traceobject import page_cache
from traceobject.audit import Action, audit_record
from traceobject.changes import model_update


@dataclass(frozen=True)
class Translated:
    """What a translation model is the texts of."""

    parent: str  # the attname of the translation's foreign key to its parent
    audit_key: str  # the name its audit rows give the parent's id
    # The objects whose search texts hold its texts (objects.search), if any.
    search_objects: Callable[[int], Iterable[int]] | None


TRANSLATIONS: dict[type[models.Model], Translated] = {
    TraceObjectTranslation: Translated("trace_object_id", "object", lambda pk: [pk]),
    CategoryTranslation: Translated("category_id", "category", category_objects),
    SitePageTranslation: Translated("page_id", "page", None),
}

AnyTranslation = TraceObjectTranslation | CategoryTranslation | SitePageTranslation
Translation = TypeVar(
    "Translation", TraceObjectTranslation, CategoryTranslation, SitePageTranslation
)


def _texts(model: type[models.Model], translated: Translated) -> list[str]:
    """The fields a translation's save may change: all but its id and its parent."""
    return [
        f.attname for f in model._meta.concrete_fields if f.attname not in ("id", translated.parent)
    ]


def _audit(translation: AnyTranslation, translated: Translated, action: str, user) -> None:
    """The row of every write: the parent and the language, never the text."""
    audit_record(
        action=action,
        user=user,
        target=translation,
        **{translated.audit_key: getattr(translation, translated.parent)},
        language=translation.language,
    )


def _follow(translation: AnyTranslation, translated: Translated) -> None:
    """After every write: the search texts that hold the translation, and the cached pages."""
    if translated.search_objects is not None:
        search.rebuild(translated.search_objects(getattr(translation, translated.parent)))
    bump_after_commit(page_cache.PAGES)


def translation_save(*, translation: Translation, user: User | None = None) -> Translation:
    """Save an object's, a category's or a site page's texts in one language; the public pages
    and search show them once this commits.

    Audited as created, or changed when a text changed; a save that changes nothing writes
    nothing. A second translation into the same language is refused by the database
    (IntegrityError), and nothing is written.
    """
    model = type(translation)
    translated = TRANSLATIONS[model]
    with transaction.atomic():
        if translation.pk is None:
            translation.save()
            _audit(translation, translated, Action.CREATE, user)
            _follow(translation, translated)
            return translation
        # Compared with the row: an admin form has already set the new values.
        row = model.objects.select_for_update().get(pk=translation.pk)
        fields = _texts(model, translated)
        data = {name: getattr(translation, name) for name in fields}
        _row, changed = model_update(instance=row, fields=fields, data=data)
        if changed:
            _audit(translation, translated, Action.CHANGE, user)
            _follow(translation, translated)
    return translation


def translation_delete(*, translation: Translation, user: User | None = None) -> None:
    """Delete an object's, a category's or a site page's texts in one language: the English
    texts show in their place."""
    translated = TRANSLATIONS[type(translation)]
    with transaction.atomic():
        _audit(translation, translated, Action.DELETE, user)
        translation.delete()
        _follow(translation, translated)


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
    with transaction.atomic():
        TraceObjectTranslation.objects.bulk_create(new)
        if new:
            search.rebuild({t.trace_object_id for t in new})
            bump_after_commit(page_cache.PAGES)
    return len(new)


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
        bump_after_commit(page_cache.PAGES)
    return len(new)
