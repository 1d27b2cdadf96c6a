"""Writes to objects, their images and texts, categories and site pages. Views, the admin and
commands call these (`from objects import services; services.object_save(...)`); nothing else
writes them.

- publication: an object saved (created, edited, published, withdrawn), identified, imported,
  deleted;
- images: uploads, crops and redactions published, order and alt text, deletion, the
  derivatives in private and public storage;
- translations: the texts in other languages of objects, categories and site pages;
- categories, site_pages: those rows.
"""

from objects.services.categories import category_delete, category_save
from objects.services.images import (
    object_image_add,
    object_image_delete,
    object_image_edit,
    object_image_preview,
    object_image_rebuild,
    object_image_update,
    object_image_upload,
    object_media_sweep,
)
from objects.services.publication import (
    object_create,
    object_delete,
    object_identify,
    object_import,
    object_save,
)
from objects.services.site_pages import site_page_delete, site_page_save, site_pages_add
from objects.services.translations import (
    category_translations_add,
    object_translations_add,
    translation_delete,
    translation_save,
)

__all__ = [
    "category_delete",
    "category_save",
    "category_translations_add",
    "object_create",
    "object_delete",
    "object_identify",
    "object_image_add",
    "object_image_delete",
    "object_image_edit",
    "object_image_preview",
    "object_image_rebuild",
    "object_image_update",
    "object_image_upload",
    "object_import",
    "object_media_sweep",
    "object_save",
    "object_translations_add",
    "site_page_delete",
    "site_page_save",
    "site_pages_add",
    "translation_delete",
    "translation_save",
]
