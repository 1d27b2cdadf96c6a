"""The root URLconf: the one module above every app. It mounts each app's public URLs under the
language prefix and each app's staff URLs under /backoffice/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path, register_converter

from objects.converters import ReferenceConverter
from objects.sitemaps import SITEMAPS
from objects.views import robots_txt
from traceobject.health import healthz, readyz
from traceobject.media import serve_public_media

register_converter(ReferenceConverter, "ref")

# Outside the language prefix: machines' URLs, the back-office and files.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Each app's staff views, before the admin, whose catch-all would otherwise answer them;
    # then Django's admin. All of them need the second factor.
    path("backoffice/images/", include("objects.staff_urls")),
    path("backoffice/", include("tips.staff_urls")),
    path("backoffice/", include("backoffice.urls")),
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
