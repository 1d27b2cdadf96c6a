from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class TraceObjectConfig(AppConfig):
    name = "traceobject"
    verbose_name = "Trace an Object"

    def ready(self):
        from traceobject import checks  # noqa: F401  (registers the production checks)


class BackofficeAdminConfig(AdminConfig):
    """Django's admin, with admin.site an instance of our two-factor back-office site."""

    default_site = "traceobject.staff.BackofficeSite"
