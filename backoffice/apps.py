from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back-office")


class BackofficeAdminConfig(AdminConfig):
    """Django's admin, with admin.site an instance of our two-factor back-office site."""

    default_site = "backoffice.site.BackofficeSite"

    def ready(self):
        super().ready()
        from django.contrib.admin import ModelAdmin
        from django.http import Http404

        def _not_found(model_admin, request, opts, object_id):
            # Django's admin redirects to its index with a message; a missing (or unseeable)
            # object is a plain 404 everywhere in the back-office.
            raise Http404

        ModelAdmin._get_obj_does_not_exist_redirect = _not_found
