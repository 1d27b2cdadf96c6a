from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "backoffice"
    verbose_name = _("Back-office")

    def ready(self):
        # procrastinate's app (installed on PostgreSQL) registers its job list in the default
        # admin site, which is this back-office. No role is meant to see the queue; operators
        # watch it with `manage.py tasks_status` (docs/operations.md, "The task worker").
        # The admin's autodiscovery ran in BackofficeAdminConfig.ready, earlier in INSTALLED_APPS.
        from django.apps import apps
        from django.contrib import admin

        from backoffice import checks  # noqa: F401  (registers backoffice.E002)

        if apps.is_installed("procrastinate.contrib.django"):
            from procrastinate.contrib.django.models import ProcrastinateJob

            if admin.site.is_registered(ProcrastinateJob):
                admin.site.unregister(ProcrastinateJob)


class BackofficeAdminConfig(AdminConfig):
    """Django's admin, with admin.site an instance of our two-factor back-office site."""

    default_site = "backoffice.site.BackofficeSite"
