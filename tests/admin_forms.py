"""Post an admin form back as a browser would: its current values, with some changed."""

from django import forms


def form_values(form, data: dict) -> dict:
    """A form's current values as a browser would post them back (files left out)."""
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled or isinstance(field, forms.FileField) or value is None:
            continue
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[key] = str(value)
    return data


def admin_form(client, url: str) -> dict:
    """The admin change form at `url` (and its inlines) as it would be posted unchanged."""
    context = client.get(url).context
    data: dict = {}
    form_values(context["adminform"].form, data)
    for inline in context["inline_admin_formsets"]:
        form_values(inline.formset.management_form, data)
        for form in inline.formset.forms:
            form_values(form, data)
    return data
