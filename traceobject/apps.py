from django.apps import AppConfig


class TraceObjectConfig(AppConfig):
    name = "traceobject"
    verbose_name = "Trace an Object"

    def ready(self):
        from traceobject import checks  # noqa: F401  (registers the production checks)
