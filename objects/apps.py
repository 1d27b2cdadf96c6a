from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectsConfig(AppConfig):
    name = "objects"
    verbose_name = _("Published objects")

    def ready(self):
        # Django's hook is the one way up the layers: the core's page cache learns from here
        # how to ask when objects are published, without importing this app.
        from objects.models import TraceObject
        from traceobject import page_cache

        page_cache.set_publication_times(TraceObject.objects.publication_times)
