"""Writes to the site pages staff write: the legal notice and the accessibility statement.
Their texts in other languages are saved by objects.services.translations."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from objects.models import SitePage, SitePageTranslation
from objects.services.common import bump_after_commit
from traceobject import page_cache
from traceobject.audit import Action, audit_record
from traceobject.changes import model_update

SITE_PAGE_FIELDS = ["kind", "title", "body"]


def site_page_save(*, page: SitePage, user: User | None = None) -> SitePage:
    """Save the legal notice or the accessibility statement; the public page shows it once this
    commits. An edit that changes nothing writes nothing."""
    with transaction.atomic():
        if page.pk is None:
            page.save()
            audit_record(action=Action.CREATE, user=user, target=page, kind=page.kind)
        else:
            # Compared with the row: an admin form has already set the new values.
            row = SitePage.objects.select_for_update().get(pk=page.pk)
            data = {name: getattr(page, name) for name in SITE_PAGE_FIELDS}
            row, changed = model_update(instance=row, fields=SITE_PAGE_FIELDS, data=data)
            page.updated_at = row.updated_at
            if not changed:
                return page
            audit_record(action=Action.CHANGE, user=user, target=page, kind=page.kind)
        bump_after_commit(page_cache.PAGES)
    return page


def site_page_delete(*, page: SitePage, user: User | None = None) -> None:
    """Delete a site page (with its translations); its public page answers 404 until rewritten."""
    with transaction.atomic():
        audit_record(action=Action.DELETE, user=user, target=page, kind=page.kind)
        page.delete()
    bump_after_commit(page_cache.PAGES)


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
        bump_after_commit(page_cache.PAGES)
    return made
