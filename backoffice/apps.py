from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back-office")

    def ready(self):
        from backoffice import checks  # noqa: F401  (registers backoffice.E002)


class BackofficeAdminConfig(AdminConfig):
    """Django's admin, with admin.site an instance of our two-factor back-office site."""

    default_site = "backoffice.site.BackofficeSite"
