from django import forms
from django.utils.translation import gettext_lazy as _

from objects.models import Category
from traceobject.text import clean_text


class GalleryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
    )

    def clean_q(self):
        return clean_text(self.cleaned_data["q"], multiline=False)
