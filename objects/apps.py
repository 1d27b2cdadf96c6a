from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectsConfig(AppConfig):
    name = "objects"
    verbose_name = _("Published objects")
