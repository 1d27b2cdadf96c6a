"""Staff views for images: the private original, the editor's canvas, the private preview,
crop and redact.

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
from django.views.decorators.http import require_http_methods, require_safe

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


@require_http_methods(["GET", "POST"])
@staff_view("objects.change_objectimage")
def image_edit(request, pk: int):
    """Crop and redact with numeric fields; "Preview" renders the result on the server,
    "Publish" approves it (public at once if the object is). The script in static/js only
    fills the fields."""
    image = get_object_or_404(ObjectImage.objects.select_related("trace_object"), pk=pk)
    size = (image.original_width, image.original_height)
    preview = None
    if request.method == "POST":
        form = ImageEditForm(request.POST)
        formset = RedactionFormSet(request.POST, prefix="redactions")
        if form.is_valid() and formset.is_valid():
            try:
                edit = edit_from_forms(form, formset, size=size)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                try:
                    if request.POST.get("action") == "publish":
                        services.object_image_edit(image=image, edit=edit, user=request.user)
                        messages.success(
                            request, _("The crop and redactions are applied and published.")
                        )
                        return redirect(
                            reverse(
                                "admin:objects_traceobject_change", args=[image.trace_object_id]
                            )
                        )
                    with image.original.open("rb") as fh:
                        content = imaging.render_preview(fh.read(), edit=edit)
                    audit_record(
                        action=Action.VIEW,
                        user=request.user,
                        target=image,
                        what="preview",
                        object=image.trace_object_id,
                    )
                    preview = "data:image/jpeg;base64," + base64.b64encode(content).decode()
                except imaging.ImageRejected as exc:
                    form.add_error(None, str(exc))
            # Redisplay with fresh empty rows after the filled ones.
            if preview:
                formset = RedactionFormSet(
                    prefix="redactions",
                    initial=[
                        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                        for f in formset.forms
                        if f.redaction() is not None
                    ],
                )
    else:
        form_initial, redactions = _initial(image)
        form = ImageEditForm(initial=form_initial)
        formset = RedactionFormSet(prefix="redactions", initial=redactions)
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
