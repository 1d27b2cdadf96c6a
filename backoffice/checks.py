"""Every admin of the back-office site inherits traceobject.admin.BackofficeModelAdmin."""

from django.apps import apps
from django.contrib import admin
from django.core import checks

from traceobject.admin import GATE_METHODS, BackofficeModelAdmin


@checks.register(checks.Tags.admin)
def every_admin_is_a_backoffice_admin(app_configs=None, **kwargs):
    """backoffice.E002: an admin registered on the back-office site that does not inherit the
    base class, or that overrides one of its allow-list methods ahead of it, would filter, order
    or search by what it does not declare, or by a secret (traceobject.admin_lookups)."""
    errors = []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        cls = type(model_admin)
        if not isinstance(model_admin, BackofficeModelAdmin):
            why = "does not inherit traceobject.admin.BackofficeModelAdmin"
        elif overridden := [
            name
            for name in GATE_METHODS
            if getattr(cls, name) is not getattr(BackofficeModelAdmin, name)
        ]:
            why = f"overrides {', '.join(overridden)} of the lookup allow-list"
        else:
            continue
        errors.append(
            checks.Error(
                f"The back-office admin of {model._meta.label} ({cls.__name__}) {why}.",
                hint="Inherit BackofficeModelAdmin first (class A(BackofficeModelAdmin, "
                "DjangosAdmin)) and change what it declares, not these methods.",
                obj=cls,
                id="backoffice.E002",
            )
        )
    return errors
