from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter

from objects.converters import ReferenceConverter
from objects.views import healthz
from traceobject.health import readyz
from traceobject.media import serve_public_media

register_converter(ReferenceConverter, "ref")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Before the admin, whose catch-all would otherwise answer these.
    path("backoffice/images/", include("objects.staff_urls")),
    # Our staff views (login steps, triage, audit) first, then Django's admin; both need 2FA.
    path("backoffice/", include("backoffice.urls")),
    path("backoffice/", admin.site.urls),
    path("", include("objects.urls")),
    path("", include("tips.urls")),
]

if settings.SERVE_PUBLIC_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_public_media)
    )
