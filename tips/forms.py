from django import forms
from django.core.validators import URLValidator
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from objects import imaging
from tips import receipts
from tips.hotlines import country_choices
from tips.models import Tag, Tip
from tips.photos import sanitise_photo
from traceobject.process_cache import memoize
from traceobject.text import clean_text, has_unsafe_characters


@memoize(maxsize=64)
def _options_html(choices: tuple, selected: frozenset) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (v, mark_safe(" selected") if str(v) in selected else "", label)  # noqa: S308
            for v, label in choices
        ),
    )


class LongSelect(forms.Select):
    """A <select> for long flat lists (the ~250 countries), its options built in Python.

    Django's Select renders every option through a template: some 500 template renders per
    page, most of the tip form's time. The HTML is the same; every label and value is escaped
    by format_html as the templates would. The options' HTML is kept for the last few
    (choices, selection) pairs, since nearly every form shows the same list with nothing
    selected.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = frozenset(str(v) for v in self.format_value(value))
        options = _options_html(tuple(self.choices), selected)
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, options)


@memoize(maxsize=32)
def _country_choices(language: str | None) -> tuple[tuple[str, str], ...]:
    with translation.override(language):
        return (("", str(_("I don't know / not sure"))), *((c, str(n)) for c, n in countries))


class CountryChoices(BaseChoiceIterator):
    """The ~250 country choices in the active language, built once per language.

    Handing a field a plain list makes Django normalise it for every form instance, and
    django-countries translates and sorts every name each time it is iterated: together most of
    the tip form's own CPU time. A BaseChoiceIterator is taken as it is.
    """

    def __iter__(self):
        return iter(_country_choices(translation.get_language()))


# Messages in plain words, in place of Django's defaults ("Ensure this value has at least 10
# characters (it has 5)."): each says what to do, in the person's language.
TOO_LONG = ngettext_lazy(
    "This is too long: please shorten it to %(limit_value)d character or fewer "
    "(it has %(show_value)d now).",
    "This is too long: please shorten it to %(limit_value)d characters or fewer "
    "(it has %(show_value)d now).",
    "limit_value",
)
NOT_IN_LIST = _("Please choose one of the answers in the list.")


class ErrorSummaryMixin:
    """The form's errors as (anchor, message) pairs in the order of the fields, for the error
    summary at the top of the page (templates/includes/error_summary.html), each linking to
    the field it is about."""

    def error_summary(self) -> list[tuple[str, str]]:
        items = []
        for message in self.non_field_errors():
            items.append(("", message))
        for name in self.fields:
            if name not in self.errors:
                continue
            bound = self[name]
            if bound.is_hidden:
                continue
            anchor = bound.auto_id
            if isinstance(bound.field.widget, forms.RadioSelect):
                anchor = f"{anchor}_0"  # the first choice: a fieldset cannot take focus
            # Two validators can say the same (URLField's own and ours): list it once.
            items.extend((anchor, message) for message in dict.fromkeys(self.errors[name]))
        return items


class SafeTextForm(ErrorSummaryMixin, forms.Form):
    """A form whose text fields refuse invisible control and bidi-override characters.

    The characters are removed from what is shown back, and the field gets an error, so the
    person sees exactly the text that would be stored and sends it again with one click.
    """

    multiline_fields: tuple[str, ...] = ()
    singleline_fields: tuple[str, ...] = ()

    def __init__(self, data=None, *args, **kwargs):
        self.unsafe = set()
        if data is not None:
            names = (*self.multiline_fields, *self.singleline_fields)
            self.unsafe = {
                name
                for name in names
                if isinstance(data.get(name), str) and has_unsafe_characters(data.get(name))
            }
            if self.unsafe:  # copied only then: a QueryDict copy is a deep copy
                data = data.copy()
                for name in self.unsafe:
                    data[name] = clean_text(data[name], multiline=name in self.multiline_fields)
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for name in self.unsafe:
            self.add_error(
                name,
                _(
                    "This contained invisible control characters. We removed them: "
                    "please check the text and send it again."
                ),
            )
        for name in (*self.multiline_fields, *self.singleline_fields):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = clean_text(cleaned[name], multiline=name in self.multiline_fields)
        return cleaned


UNSURE = "unsure"


class TipForm(SafeTextForm):
    multiline_fields = ("body", "contact")
    singleline_fields = ("place", "link")

    body = forms.CharField(
        label=_("What do you know about this object?"),
        help_text=_(
            "For example: where you have seen it, where it is sold, what it is called. "
            "Please do not include your name unless you want to."
        ),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Please write what you know about this object."),
            "min_length": ngettext_lazy(
                "Please write a little more, at least %(limit_value)d character, so that "
                "investigators can understand the tip.",
                "Please write a little more, at least %(limit_value)d characters, so that "
                "investigators can understand the tip.",
                "limit_value",
            ),
            "max_length": TOO_LONG,
        },
    )
    country = forms.ChoiceField(
        label=_("Country where it is from or sold"),
        required=False,
        choices=CountryChoices(),
        widget=LongSelect,
        error_messages={"invalid_choice": NOT_IN_LIST},
    )
    place = forms.CharField(
        label=_("Place, shop or brand"),
        required=False,
        max_length=200,
        error_messages={"max_length": TOO_LONG},
    )
    link = forms.URLField(
        label=_("A link where the object can be seen"),
        help_text=_("Investigators read it as text; this site never opens it."),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={
            "invalid": _(
                "This is not a web address we can use. Paste the whole address, starting "
                "with https://, or leave the field empty."
            ),
            "max_length": TOO_LONG,
        },
    )
    certainty = forms.ChoiceField(
        label=_("How sure are you?"),
        required=False,
        # "Not sure" has a value of its own so that nothing is selected until the person
        # chooses; it is stored as no answer (clean_certainty).
        choices=[*Tip.Certainty.choices, (UNSURE, _("Not sure / rather not say"))],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": NOT_IN_LIST},
    )
    contact = forms.CharField(
        label=_("Contact details"),
        help_text=_(
            "Leave this empty to stay anonymous. If you fill it in, investigators may contact "
            "you; it is stored encrypted and only a few of them can read it."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": TOO_LONG},
    )
    photo = forms.FileField(
        label=_("A photo"),
        help_text=_(
            "JPEG, PNG, WebP or HEIC, at most 10 MB. We remove location and camera details "
            "from it before it is stored."
        ),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}
        ),
        error_messages={
            "invalid": _(
                "The photo did not arrive. Please attach it again, or send the tip without it."
            ),
            "empty": _(
                "The photo file is empty. Please attach it again, or send the tip without it."
            ),
        },
    )
    # Honeypot: hidden from people (and screen readers), filled in by naive bots.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_jpeg = None

    def clean_certainty(self):
        value = self.cleaned_data["certainty"]
        return "" if value == UNSURE else value

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            try:
                self.photo_jpeg = sanitise_photo(upload)
            except imaging.ImageRejected as exc:
                raise forms.ValidationError(
                    _("%(reason)s Please attach the photo again, or send the tip without it."),
                    params={"reason": str(exc)},
                ) from None
        return None  # the upload itself is never kept, only the sanitised JPEG


class GeneralTipForm(TipForm):
    """A tip that is not about a published object ("something else to report"): the same
    fields, anonymous and triaged like any tip, worded for what it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.label = _("What do you want to tell investigators?")
        body.help_text = _(
            "For example: a child you are worried about, a place, something you saw or heard. "
            "Please do not include your name unless you want to."
        )
        body.error_messages["required"] = _("Please write what you want to tell us.")
        self.fields["country"].label = _("Country it is about")
        self.fields["place"].label = _("Place (town, street, building)")
        self.fields["link"].label = _("A link that shows what you mean")


class ReportCountryForm(forms.Form):
    """The visitor's country on the "something else to report" page: chosen, never guessed."""

    country = forms.ChoiceField(label=_("Your country"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *country_choices()]


NOT_A_CODE = _(
    "That is not a receipt code. A code has 16 letters and digits, like K7QM-2XWD-9FHT-4RBN."
)


class ReceiptCodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Your receipt code"),
            help_text=_("16 letters and digits, like K7QM-2XWD-9FHT-4RBN."),
            max_length=64,
            error_messages={
                "required": _("Please enter the receipt code you were given."),
                "max_length": NOT_A_CODE,
                "null_characters_not_allowed": NOT_A_CODE,
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        if receipts.normalise(value) is None:
            raise forms.ValidationError(NOT_A_CODE, code="shape")
        return value


class FollowUpForm(ErrorSummaryMixin, forms.Form):
    code = ReceiptCodeField(
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )
    )


class ReplyForm(SafeTextForm):
    multiline_fields = ("reply",)

    code = ReceiptCodeField(widget=forms.HiddenInput)
    reply = forms.CharField(
        label=_("Your reply"),
        min_length=2,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Please write your reply."),
            "min_length": ngettext_lazy(
                "Please write a little more, at least %(limit_value)d character.",
                "Please write a little more, at least %(limit_value)d characters.",
                "limit_value",
            ),
            "max_length": TOO_LONG,
        },
    )


# --- Staff forms: each back-office action validates its input here, with a clear error. ---------


class QuestionForm(SafeTextForm):
    multiline_fields = ("body",)

    body = forms.CharField(
        label=_("Question to the tipster"), max_length=2000, widget=forms.Textarea
    )


class NoteForm(SafeTextForm):
    multiline_fields = ("text",)

    text = forms.CharField(
        label=_("Internal note (never shown to the tipster)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ForwardForm(SafeTextForm):
    singleline_fields = ("agency",)

    agency = forms.CharField(label=_("Agency"), max_length=200)
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "—"), *countries], required=False
    )


class IdentifyForm(SafeTextForm):
    multiline_fields = ("note",)

    note = forms.CharField(
        label=_("Public note"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("Shown on the object page. Nothing that identifies a case."),
    )


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Change status to"), choices=Tip.Status.choices)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Tip.Priority.choices, coerce=int)


class DuplicateForm(forms.Form):
    duplicate_of = forms.IntegerField(label=_("Duplicate of tip #"), min_value=1)


class AssignForm(forms.Form):
    """Empty `assignee` unassigns; the account must be active staff (checked by the view)."""

    assignee = forms.IntegerField(label=_("Assign to"), min_value=1, required=False)


class TagChoiceForm(forms.Form):
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=Tag.objects.order_by("name"))


class LeadChoiceForm(forms.Form):
    """Which lead of the object (its folded key, tips.matching)."""

    key = forms.RegexField(label=_("Lead"), regex=r"^~?[a-z0-9]{1,40}$", max_length=41)


class LeadForwardForm(LeadChoiceForm, ForwardForm):
    # One form per lead on the object's page: the ~250 options are built once (LongSelect).
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "—"), *countries], required=False, widget=LongSelect
    )


class LeadQuestionForm(LeadChoiceForm, QuestionForm):
    pass
