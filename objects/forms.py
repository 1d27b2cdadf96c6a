from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from objects import imaging
from objects.models import Category
from traceobject.text import clean_text


class GalleryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        error_messages={
            "max_length": ngettext_lazy(
                "Please search with fewer words: at most %(limit_value)d character.",
                "Please search with fewer words: at most %(limit_value)d characters.",
                "limit_value",
            ),
            "null_characters_not_allowed": _(
                "Your search contains an invisible character we cannot search for. "
                "Please type it again."
            ),
        },
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )

    def clean_q(self):
        return clean_text(self.cleaned_data["q"], multiline=False)


class ImageEditForm(forms.Form):
    """The crop rectangle, in pixels of the original; all four empty means no crop."""

    crop_x = forms.IntegerField(label=_("Crop x"), min_value=0, required=False)
    crop_y = forms.IntegerField(label=_("Crop y"), min_value=0, required=False)
    crop_width = forms.IntegerField(label=_("Crop width"), min_value=1, required=False)
    crop_height = forms.IntegerField(label=_("Crop height"), min_value=1, required=False)

    FIELDS = ("crop_x", "crop_y", "crop_width", "crop_height")

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in self.FIELDS]
        if any(v is not None for v in values) and any(v is None for v in values):
            raise forms.ValidationError(
                _("Give all four crop values (x, y, width, height), or none to keep it all.")
            )
        return cleaned

    def crop(self) -> imaging.Rect | None:
        values = [self.cleaned_data.get(name) for name in self.FIELDS]
        return None if values[0] is None else imaging.Rect(*values)


class RedactionForm(forms.Form):
    x = forms.IntegerField(label=_("x"), min_value=0, required=False)
    y = forms.IntegerField(label=_("y"), min_value=0, required=False)
    width = forms.IntegerField(label=_("width"), min_value=1, required=False)
    height = forms.IntegerField(label=_("height"), min_value=1, required=False)
    style = forms.ChoiceField(
        label=_("fill"),
        choices=[("solid", _("Solid black")), ("pixelate", _("Large pixels"))],
        initial="solid",
    )

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in ("x", "y", "width", "height")]
        if any(v is not None for v in values) and any(v is None for v in values):
            raise forms.ValidationError(_("Give all four values, or leave the row empty."))
        return cleaned

    def redaction(self) -> imaging.Redaction | None:
        data = self.cleaned_data
        if not data or data.get("DELETE") or data.get("x") is None:
            return None
        return imaging.Redaction(
            data["x"], data["y"], data["width"], data["height"], style=data["style"]
        )


# Without JavaScript an editor gets two empty rows each time the page is shown, so any number
# of rectangles can be added by previewing; 100 is far more than any image needs.
RedactionFormSet = forms.formset_factory(
    RedactionForm, extra=2, can_delete=True, max_num=100, validate_max=True
)


def edit_from_forms(form: ImageEditForm, formset, *, size: tuple[int, int]) -> imaging.Edit:
    """The Edit described by valid forms; raises ValidationError if a rectangle does not fit."""
    redactions = tuple(r for r in (f.redaction() for f in formset.forms) if r is not None)
    edit = imaging.Edit(crop=form.crop(), redactions=redactions)
    try:
        imaging.validate_edit(edit, size=size)
    except imaging.ImageRejected as exc:
        raise forms.ValidationError(str(exc)) from None
    return edit
