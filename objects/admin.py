from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from objects import imaging, services
from objects.i18n import missing_category_languages, missing_languages
from objects.models import (
    Category,
    CategoryTranslation,
    ObjectImage,
    SitePage,
    SitePageTranslation,
    TraceObject,
    TraceObjectTranslation,
)
from traceobject.admin import BackofficeModelAdmin


def _languages_text(codes: list[str]) -> str:
    return ", ".join(codes) if codes else _("none: every language is done")


def save_translations(formset, *, user) -> None:
    """Write a translations inline (an object's, a category's or a site page's) through the
    translation services: deletions first, then the new and changed rows, each audited."""
    instances = formset.save(commit=False)
    for translation in formset.deleted_objects:
        services.translation_delete(translation=translation, user=user)
    for translation in instances:
        services.translation_save(translation=translation, user=user)


class PartOfTheParent:
    """An inline whose rows are part of the row it sits in (an object's or a category's texts in
    another language): whoever may change the parent may change them, and the staff roles need
    no permission of their own for them (backoffice/roles.py)."""

    def _parent_may(self, request, action: str) -> bool:
        parent_admin = self.admin_site.get_model_admin(self.parent_model)
        if action == "view":
            return parent_admin.has_view_permission(request)
        return parent_admin.has_change_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._parent_may(request, "view") or self._parent_may(request, "change")

    def has_add_permission(self, request, obj=None):
        return self._parent_may(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._parent_may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._parent_may(request, "change")


class CategoryTranslationInline(PartOfTheParent, admin.TabularInline):
    """The category's name in another language; without one the English name is shown."""

    model = CategoryTranslation
    extra = 0
    fields = ["language", "name"]


@admin.register(Category)
class CategoryAdmin(BackofficeModelAdmin):
    list_display = ["name", "slug", "order", "languages_missing"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryTranslationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("languages missing"))
    def languages_missing(self, category):
        return _languages_text(missing_category_languages(category))

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj, user=request.user)

    def delete_model(self, request, obj):
        services.category_delete(category=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            services.category_delete(category=category, user=request.user)

    def save_formset(self, request, form, formset, change):
        save_translations(formset, user=request.user)


class ObjectImageForm(forms.ModelForm):
    """An image row: a new row needs an upload, which is checked here (decoded, its type read
    from the bytes) and processed by objects.services.object_image_upload once the form is
    valid."""

    upload = forms.FileField(
        label=_("Image file"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP, TIFF or HEIC. The original stays private; public copies carry "
            "no metadata. Nothing is public until you crop and redact after saving and press "
            "“Publish”."
        ),
    )

    class Meta:
        model = ObjectImage
        fields = ["upload", "alt_text", "position", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Replacing a stored image would orphan its derivatives: add a new row instead.
            self.fields["upload"].disabled = True
            self.fields["upload"].help_text = _("To change the picture, add a new image.")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if self.instance.pk is None and not upload and self.has_changed():
            raise forms.ValidationError(_("Choose an image file to upload."))
        if upload:
            try:
                imaging.check_upload(upload)
            except imaging.ImageRejected as exc:
                raise forms.ValidationError({"upload": str(exc)}) from None
        return cleaned


class ObjectImageInline(admin.TabularInline):
    model = ObjectImage
    form = ObjectImageForm
    extra = 1
    fields = ["preview", "edit_link", "upload", "alt_text", "position", "is_primary"]
    readonly_fields = ["preview", "edit_link"]

    @admin.display(description=_("Crop and redact"))
    def edit_link(self, image):
        if not image.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a><br><a href="{}">{}</a>',
            reverse("imagestaff:edit", args=[image.pk]),
            _("Crop and redact"),
            reverse("imagestaff:original", args=[image.pk]),
            _("Original (private)"),
        )

    @admin.display(description=_("Preview"))
    def preview(self, image):
        # From private storage through the staff view: a draft's image has no public URL.
        thumb = image.preview("thumb") if image.pk else None
        if not thumb:
            return "—"
        if image.renditions:
            state = _("Public.")
        elif image.edit_published_at:
            state = _("Crop and redactions published; public once the object is.")
        else:
            state = _("Not public: crop and redact, then press “Publish”.")
        return format_html(
            '<img src="{}?size=thumb" width="160" alt="{}"><br>{}',
            reverse("imagestaff:preview", args=[image.pk]),
            image.alt or image.trace_object.title,
            state,
        )


class TraceObjectTranslationInline(PartOfTheParent, admin.StackedInline):
    """The object's texts in another language; a blank field shows the English text instead."""

    model = TraceObjectTranslation
    extra = 0
    fields = ["language", "title", "question", "description", "alt_text", "identification_note"]


@admin.register(TraceObject)
class TraceObjectAdmin(BackofficeModelAdmin):
    list_display = [
        "reference",
        "title",
        "category",
        "status",
        "languages_missing",
        "published_at",
        "updated_at",
    ]
    list_filter = ["status", "category"]
    search_fields = ["title", "question", "case_reference"]
    date_hierarchy = "published_at"
    list_select_related = ["category"]
    inlines = [ObjectImageInline, TraceObjectTranslationInline]
    readonly_fields = [
        "reference",
        "languages_missing",
        "published_at",
        "identified_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "category", "title", "question", "description", "alt_text"]},
        ),
        (_("Translations"), {"fields": ["languages_missing"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "identified_at",
                    "identification_note",
                    "traced_country",
                ]
            },
        ),
        (_("Internal"), {"fields": ["case_reference", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("reference"), ordering="number")
    def reference(self, obj):
        return obj.reference

    def get_queryset(self, request):
        # The "languages missing" column reads every object's translations: one query a page.
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("languages missing"))
    def languages_missing(self, obj):
        """Languages in which a public text of the object is still shown in English."""
        if obj.pk is None:
            return "—"
        return _languages_text(missing_languages(obj))

    def get_search_results(self, request, queryset, search_term):
        # Editors paste the public reference ("TAO-0042"); match it by number.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().upper()
        if term.startswith("TAO-") and term[4:].isdigit():
            results |= queryset.filter(number=int(term[4:]))
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        services.object_save(obj=obj, user=request.user)

    def delete_model(self, request, obj):
        services.object_delete(obj=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.object_delete(obj=obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        user = request.user
        if formset.model is TraceObjectTranslation:
            save_translations(formset, user=user)
            return None
        if formset.model is not ObjectImage:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for image_form in formset.deleted_forms:
            if image_form.instance.pk:
                formset.deleted_objects.append(image_form.instance)
                services.object_image_delete(image=image_form.instance, user=user)
        for image_form in formset.forms:
            if not image_form.has_changed() or image_form in formset.deleted_forms:
                continue
            upload = image_form.cleaned_data.get("upload")
            if image_form.instance.pk is None:
                if upload:
                    image = services.object_image_upload(
                        obj=form.instance,
                        upload=upload,
                        alt_text=image_form.cleaned_data.get("alt_text", ""),
                        primary=image_form.cleaned_data.get("is_primary") or None,
                        user=user,
                    )
                    formset.new_objects.append(image)
                continue
            services.object_image_update(
                image=image_form.instance,
                alt_text=image_form.cleaned_data["alt_text"],
                position=image_form.cleaned_data["position"],
                primary=image_form.cleaned_data["is_primary"],
                user=user,
            )
            formset.changed_objects.append((image_form.instance, image_form.changed_data))


class SitePageTranslationInline(PartOfTheParent, admin.StackedInline):
    model = SitePageTranslation
    extra = 0
    fields = ["language", "title", "body"]


# The site's own public texts are looked after by whoever looks after the objects.
EDITOR_PERMISSION = "objects.change_traceobject"


@admin.register(SitePage)
class SitePageAdmin(BackofficeModelAdmin):
    """The legal notice and the accessibility statement, in every language."""

    list_display = ["kind", "title", "updated_at"]
    fields = ["kind", "title", "body"]
    inlines = [SitePageTranslationInline]

    def _editor(self, request) -> bool:
        return request.user.has_perm(EDITOR_PERMISSION)

    def has_module_permission(self, request):
        return self._editor(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._editor(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._editor(request) or super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._editor(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editor(request) or super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.site_page_save(page=obj, user=request.user)

    def delete_model(self, request, obj):
        services.site_page_delete(page=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for page in queryset:
            services.site_page_delete(page=page, user=request.user)

    def save_formset(self, request, form, formset, change):
        save_translations(formset, user=request.user)
