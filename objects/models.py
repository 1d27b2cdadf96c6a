from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from traceobject.storage import private_storage, public_storage

REFERENCE_PREFIX = "TAO-"


def format_reference(number: int) -> str:
    return f"{REFERENCE_PREFIX}{number:04d}"


class Category(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Used in the gallery filter's URL.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first in the category list.")
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


def _other_languages():
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class CategoryTranslation(models.Model):
    """A category's name in one language other than English (objects.i18n.localise_categories)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="translations", verbose_name=_("category")
    )
    language = models.CharField(_("language"), max_length=8, choices=_other_languages())
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["language"]
        verbose_name = _("category translation")
        verbose_name_plural = _("category translations")
        constraints = [
            # localise_categories() reads at most one name per category and language.
            models.UniqueConstraint(
                fields=["category", "language"], name="categorytranslation_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.category} ({self.language})"


class TraceObjectQuerySet(models.QuerySet):
    def published(self):
        """The only queryset public views may read: published and identified objects.

        Drafts and withdrawn objects never pass this filter, so a public view that forgets
        a condition still cannot leak one.
        """
        return self.filter(
            status__in=[TraceObject.Status.PUBLISHED, TraceObject.Status.IDENTIFIED],
            published_at__isnull=False,
            published_at__lte=timezone.now(),
        )

    def identified(self):
        return self.published().filter(status=TraceObject.Status.IDENTIFIED)

    def publication_times(self, now):
        """(newest publication time up to `now`, next one after it) of public-status objects.

        Not rows, only the two times the page cache's stamp needs (traceobject.page_cache): the
        first is the newest object published() shows at `now`, the second when that will next
        change without a write (an object scheduled for later).
        """
        times = self.filter(
            status__in=[TraceObject.Status.PUBLISHED, TraceObject.Status.IDENTIFIED],
            published_at__isnull=False,
        ).aggregate(
            latest=models.Max("published_at", filter=models.Q(published_at__lte=now)),
            upcoming=models.Min("published_at", filter=models.Q(published_at__gt=now)),
        )
        return times["latest"], times["upcoming"]

    def for_cards(self):
        """What a gallery card needs, in a fixed number of queries whatever the page size."""
        return self.select_related("category").prefetch_related(
            models.Prefetch(
                "images",
                queryset=ObjectImage.objects.filter(is_primary=True),
                to_attr="primary_images",
            )
        )


class TraceObject(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        IDENTIFIED = "identified", _("Identified")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    number = models.PositiveIntegerField(
        _("number"),
        unique=True,
        editable=False,
        help_text=_("Gives the public reference, e.g. 42 is TAO-0042. Never reused."),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="trace_objects",
        verbose_name=_("category"),
    )
    title = models.CharField(
        _("title"), max_length=120, help_text=_("Short and plain: what the object is.")
    )
    question = models.CharField(
        _("question"),
        max_length=300,
        help_text=_("The one question asked of the public, e.g. “Where is this bag sold?”"),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What is visible: colours, marks, text, size.")
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("Describes the image for people who cannot see it. Required."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Set automatically when the object is first published."),
    )
    identified_at = models.DateTimeField(_("identified at"), null=True, blank=True)
    identification_note = models.TextField(
        _("public identification note"),
        blank=True,
        help_text=_("Shown on the object page once identified. Nothing that identifies a case."),
    )
    traced_country = CountryField(
        _("country traced"),
        blank=True,
        help_text=_(
            "Once identified: the country the object was traced to. Counted, never listed, "
            "on the public results page."
        ),
    )
    case_reference = models.CharField(
        _("internal case reference"),
        max_length=100,
        blank=True,
        help_text=_("Internal only: never shown on any public page."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = TraceObjectQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-number"]
        verbose_name = _("object")
        verbose_name_plural = _("objects")
        indexes = [
            # The gallery: published objects, newest first.
            models.Index(fields=["status", "-published_at"], name="object_status_published_idx"),
        ]
        constraints = [
            # A public object must have a publication date, or published() would hide it.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="object_public_has_published_at",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("objects:detail", kwargs={"number": self.number})

    @property
    def reference(self) -> str:
        return format_reference(self.number) if self.number else "TAO-new"

    @property
    def is_identified(self) -> bool:
        return self.status == self.Status.IDENTIFIED

    @property
    def has_public_status(self) -> bool:
        """Published or identified (also when scheduled for later): the statuses in which its
        published images are in public storage."""
        return self.status in (self.Status.PUBLISHED, self.Status.IDENTIFIED)

    @property
    def primary_image(self):
        """The primary image; uses the prefetch from for_cards() when present."""
        if hasattr(self, "primary_images"):
            return self.primary_images[0] if self.primary_images else None
        return self.images.filter(is_primary=True).first()

    def clean(self):
        if self.status != self.Status.DRAFT and not self.alt_text.strip():
            raise ValidationError({"alt_text": _("A published object needs alt text.")})


# Private copies of the derivatives (what staff preview) live under this prefix in private
# storage, under the same content-hash name they get in public storage once published.
PREVIEW_PREFIX = "previews/"


class ObjectImage(models.Model):
    """One image of an object: a private original and the derivatives made from it.

    `previews` lists the derivatives of the current crop and redactions, written by
    objects.imaging, each a dict with role ("thumb", "large", "full"), format ("webp", "jpeg"),
    name (a content hash), width, height and bytes. They are stored in private storage only
    (PREVIEW_PREFIX + name) and staff see them through a permission-checked view.

    `renditions` lists the same dicts for the derivatives in public storage. It is set only
    while the editor's crop and redactions are published (`edit_published_at`) and the object
    is public; otherwise it is empty and public storage holds no file of the image. The public
    pages read only `renditions`, so an image nobody published cannot appear on them.

    `crop` and `redactions` are the editor's rectangles in pixels of the original with its
    orientation applied; the derivatives are made from the original with them applied.
    """

    trace_object = models.ForeignKey(
        TraceObject, on_delete=models.CASCADE, related_name="images", verbose_name=_("object")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_primary = models.BooleanField(
        _("primary"), default=False, help_text=_("Shown on the gallery card.")
    )
    original = models.FileField(_("original"), storage=private_storage, editable=False)
    original_sha256 = models.CharField(max_length=64, editable=False)
    original_format = models.CharField(max_length=8, blank=True, editable=False)
    original_width = models.PositiveIntegerField(default=0, editable=False)
    original_height = models.PositiveIntegerField(default=0, editable=False)
    crop = models.JSONField(
        _("crop"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("x, y, width, height in pixels of the original; empty: the whole image."),
    )
    redactions = models.JSONField(
        _("redactions"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Rectangles filled solid or pixelated before anything is published."),
    )
    previews = models.JSONField(default=list, editable=False)
    renditions = models.JSONField(default=list, editable=False)
    edit_published_at = models.DateTimeField(
        _("crop and redactions published at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When an editor last pressed “Publish” on the crop page. Empty: never, so nothing "
            "of this image is public."
        ),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to use the object's alt text."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            # primary_image and the gallery card assume at most one primary image per object.
            models.UniqueConstraint(
                fields=["trace_object"],
                condition=Q(is_primary=True),
                name="objectimage_one_primary_per_object",
            ),
        ]

    def __str__(self):
        return f"{self.trace_object.reference} image {self.position}"

    @property
    def edit(self):
        from objects.imaging import Edit

        return Edit.from_dict({"crop": self.crop, "redactions": self.redactions})

    def rendition(self, role: str, fmt: str = "jpeg") -> dict | None:
        for item in self.renditions:
            if item["role"] == role and item.get("format", "jpeg") == fmt:
                return item
        return None

    def url(self, role: str, fmt: str = "jpeg") -> str:
        item = self.rendition(role, fmt)
        return public_storage().url(item["name"]) if item else ""

    def srcset(self, fmt: str) -> str:
        """ "url 400w, url 800w, …" for one format, each width once, narrowest first."""
        seen = {}
        for item in self.renditions:
            if item.get("format", "jpeg") == fmt:
                seen.setdefault(item["width"], item["name"])
        storage = public_storage()
        return ", ".join(f"{storage.url(name)} {width}w" for width, name in sorted(seen.items()))

    @property
    def srcset_webp(self) -> str:
        return self.srcset("webp")

    @property
    def srcset_jpeg(self) -> str:
        return self.srcset("jpeg")

    @property
    def thumb(self):
        return self._public("thumb")

    @property
    def large(self):
        return self._public("large")

    @property
    def full(self):
        return self._public("full")

    def _public(self, role):
        item = self.rendition(role)
        if not item:
            return None
        return {**item, "url": public_storage().url(item["name"])}

    @property
    def alt(self) -> str:
        return self.alt_text or self.trace_object.alt_text

    def derivative_names(self) -> set[str]:
        """Names of the derivatives in public storage."""
        return {item["name"] for item in self.renditions}

    def preview_names(self) -> set[str]:
        """Names of the private copies in private storage (PREVIEW_PREFIX included)."""
        return {PREVIEW_PREFIX + item["name"] for item in self.previews}

    def preview(self, role: str, fmt: str = "jpeg") -> dict | None:
        """A private derivative by role, with its name in private storage (staff only)."""
        for item in self.previews:
            if item["role"] == role and item.get("format", "jpeg") == fmt:
                return {**item, "private_name": PREVIEW_PREFIX + item["name"]}
        return None


class TraceObjectTranslation(models.Model):
    """An object's public texts in one language other than English.

    A blank field falls back to the English text on the object itself (objects.i18n.localise).
    """

    trace_object = models.ForeignKey(
        TraceObject,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("object"),
    )
    language = models.CharField(_("language"), max_length=8, choices=_other_languages())
    title = models.CharField(_("title"), max_length=120, blank=True)
    question = models.CharField(_("question"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    alt_text = models.CharField(_("alt text"), max_length=300, blank=True)
    identification_note = models.TextField(
        _("public identification note"),
        blank=True,
        help_text=_("Only for an identified object: the note shown on its page."),
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            # localise() reads at most one translation per object and language.
            models.UniqueConstraint(
                fields=["trace_object", "language"], name="objecttranslation_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.trace_object.reference} ({self.language})"


class ObjectSearchText(models.Model):
    """An object's public texts in one language, lower-cased, for the gallery search.

    Written only by objects.search.rebuild (called by every service that changes an object, a
    translation or a category), read only through published() objects. One row for English and
    one per language that has a translated text; `vector` is PostgreSQL's full-text form of
    `text` under that language's configuration (empty on SQLite, where search is a plain
    substring match on `text`).
    """

    trace_object = models.ForeignKey(
        TraceObject, on_delete=models.CASCADE, related_name="search_texts", editable=False
    )
    language = models.CharField(max_length=8, editable=False)
    text = models.TextField(editable=False)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            # One row per object and language; rebuild() replaces them together.
            models.UniqueConstraint(
                fields=["trace_object", "language"], name="objectsearch_one_per_language"
            ),
        ]
        # The search's own indexes (GIN on vector, trigram GIN on text) are PostgreSQL only:
        # objects/migrations/0005_search_indexes.py.

    def __str__(self):
        return f"{self.trace_object_id} ({self.language})"


class SitePage(models.Model):
    """A page about the site itself that staff write: the legal notice, the accessibility
    statement. Its texts in other languages are SitePageTranslation rows."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal notice")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")

    kind = models.CharField(_("page"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Plain text. A blank line starts a new paragraph.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")

    def __str__(self):
        return self.get_kind_display()

    def get_absolute_url(self):
        return reverse(f"objects:{self.kind}")


class SitePageTranslation(models.Model):
    """A site page's title and text in one language other than English."""

    page = models.ForeignKey(
        SitePage, on_delete=models.CASCADE, related_name="translations", verbose_name=_("page")
    )
    language = models.CharField(_("language"), max_length=8, choices=_other_languages())
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("site page translation")
        verbose_name_plural = _("site page translations")
        constraints = [
            # The page view reads at most one translation per page and language.
            models.UniqueConstraint(
                fields=["page", "language"], name="sitepagetranslation_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.page} ({self.language})"
