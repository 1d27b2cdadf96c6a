from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path, register_converter

from objects.converters import ReferenceConverter
from objects.sitemaps import SITEMAPS
from objects.views import healthz, robots_txt
from traceobject.media import serve_public_media

admin.site.site_header = "Trace an Object — back-office"
admin.site.site_title = "Trace an Object"

register_converter(ReferenceConverter, "ref")

# Outside the language prefix: machines' URLs, the back-office and files.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("backoffice/", admin.site.urls),
]

# Every public page lives under /<language>/ (/en/, /de/, /ar/ ...) so each URL has exactly one
# language and pages stay cookie-free and cacheable; "/" redirects by Accept-Language
# (LocaleMiddleware, with Vary: Accept-Language on that redirect only).
urlpatterns += i18n_patterns(
    path("", include("objects.urls")),
    path("", include("tips.urls")),
    prefix_default_language=True,
)

if settings.SERVE_PUBLIC_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_public_media)
    )
