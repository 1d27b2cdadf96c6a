"""Staff views for images: the private original, the editor's canvas, the private preview,
and the crop page with its two actions (preview, publish), one POST view each.

Every view here goes through traceobject.staff.staff_view (logged in, second factor verified,
the model permission) and is never cached: they show investigator-only pixels (the invariant
"Investigator-only data", docs/design.md).
Each look at those pixels is audited like a read of a tip: the original downloaded, the canvas
and a preview shown (a VIEW row naming the image and what was seen).
"""

import base64

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from objects import imaging, services
from objects.forms import ImageEditForm, RedactionFormSet, edit_from_forms
from objects.models import ObjectImage
from traceobject.audit import Action, audit_record
from traceobject.staff import staff_view
from traceobject.storage import private_storage


@require_safe
@staff_view("objects.view_objectimage")
def image_original(request, pk: int):
    """The original as uploaded, as a download: the only way anyone gets it."""
    image = get_object_or_404(ObjectImage.objects.select_related("trace_object"), pk=pk)
    audit_record(
        action=Action.VIEW,
        user=request.user,
        target=image,
        what="original",
        object=image.trace_object_id,
    )
    fmt = image.original_format or "JPEG"
    filename = (
        f"{image.trace_object.reference}-image-{image.pk}.{imaging.ALLOWED_FORMATS.get(fmt, 'bin')}"
    )
    return FileResponse(
        image.original.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=imaging.CONTENT_TYPES.get(fmt, "application/octet-stream"),
    )


@require_safe
@staff_view("objects.change_objectimage")
def image_source(request, pk: int):
    """The unedited original, oriented and scaled down, for the editor to draw on."""
    image = get_object_or_404(ObjectImage, pk=pk)
    audit_record(
        action=Action.VIEW,
        user=request.user,
        target=image,
        what="source",
        object=image.trace_object_id,
    )
    with image.original.open("rb") as fh:
        data = fh.read()
    try:
        content, _size = imaging.render_source(data)
    except imaging.ImageRejected as exc:
        return HttpResponse(str(exc), status=422, content_type="text/plain; charset=utf-8")
    return HttpResponse(content, content_type="image/jpeg")


@require_safe
@staff_view("objects.view_objectimage")
def image_preview(request, pk: int):
    """The image with its current crop and redactions, from private storage (JPEG; ?size=thumb,
    large (the default) or full). The admin and the crop page show images only through this
    view, so a draft's image never needs a public URL."""
    image = get_object_or_404(ObjectImage, pk=pk)
    item = image.preview(request.GET.get("size", "large"))
    if item is None:
        raise Http404("no such preview")
    # Before its crop and redactions are published, a preview is the case image itself.
    audit_record(
        action=Action.VIEW,
        user=request.user,
        target=image,
        what="preview_image",
        object=image.trace_object_id,
        size=item.get("role", ""),
    )
    try:
        fh = private_storage().open(item["private_name"], "rb")
    except FileNotFoundError:
        raise Http404("preview not stored; run rebuild_derivatives") from None
    return FileResponse(fh, content_type="image/jpeg")


def _initial(image: ObjectImage):
    crop = image.crop or {}
    form_initial = {
        "crop_x": crop.get("x"),
        "crop_y": crop.get("y"),
        "crop_width": crop.get("width"),
        "crop_height": crop.get("height"),
    }
    return form_initial, [dict(r) for r in image.redactions]


@require_safe
@staff_view("objects.change_objectimage")
def image_edit(request, pk: int):
    """The crop page: numeric fields for the crop and the redactions, with two buttons that post
    the same form to image_edit_preview and image_edit_publish. The script in static/js only
    fills the fields."""
    image = get_object_or_404(ObjectImage.objects.select_related("trace_object"), pk=pk)
    form_initial, redactions = _initial(image)
    form = ImageEditForm(initial=form_initial)
    formset = RedactionFormSet(prefix="redactions", initial=redactions)
    return _edit_page(request, image, form=form, formset=formset)


@staff_view("objects.change_objectimage")
@require_POST
def image_edit_preview(request, pk: int):
    """The "Preview" button: the posted crop and redactions rendered on the server, as the public
    would get them; changes nothing (object_image_preview)."""
    image = get_object_or_404(ObjectImage.objects.select_related("trace_object"), pk=pk)
    form, formset, edit = _posted_edit(request, image)
    preview = None
    if edit is not None:
        try:
            content = services.object_image_preview(image=image, edit=edit, user=request.user)
        except imaging.ImageRejected as exc:
            form.add_error(None, str(exc))
        else:
            preview = "data:image/jpeg;base64," + base64.b64encode(content).decode()
            # Shown again with fresh empty rows after the filled ones.
            formset = RedactionFormSet(
                prefix="redactions",
                initial=[
                    {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                    for f in formset.forms
                    if f.redaction() is not None
                ],
            )
    return _edit_page(request, image, form=form, formset=formset, preview=preview)


@staff_view("objects.change_objectimage")
@require_POST
def image_edit_publish(request, pk: int):
    """The "Publish" button: approves the posted crop and redactions (object_image_edit), public
    at once if the object is."""
    image = get_object_or_404(ObjectImage.objects.select_related("trace_object"), pk=pk)
    form, formset, edit = _posted_edit(request, image)
    if edit is not None:
        try:
            services.object_image_edit(image=image, edit=edit, user=request.user)
        except imaging.ImageRejected as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The crop and redactions are applied and published."))
            return redirect(
                reverse("admin:objects_traceobject_change", args=[image.trace_object_id])
            )
    return _edit_page(request, image, form=form, formset=formset)


def _posted_edit(request, image: ObjectImage):
    """(form, formset, the posted edit); the edit is None, and the errors are on the forms,
    when the fields are wrong or a rectangle does not fit the original."""
    form = ImageEditForm(request.POST)
    formset = RedactionFormSet(request.POST, prefix="redactions")
    if not (form.is_valid() and formset.is_valid()):
        return form, formset, None
    try:
        edit = edit_from_forms(form, formset, size=(image.original_width, image.original_height))
    except ValidationError as exc:
        form.add_error(None, exc)
        return form, formset, None
    return form, formset, edit


def _edit_page(request, image: ObjectImage, *, form, formset, preview=None):
    context = {
        **admin.site.each_context(request),
        "title": _("Crop and redact: %(object)s") % {"object": image.trace_object},
        "image": image,
        "obj": image.trace_object,
        "form": form,
        "formset": formset,
        "preview": preview,
        "stored": image.preview("large"),
        "public": bool(image.renditions),
    }
    return render(request, "objects/staff/image_edit.html", context)
