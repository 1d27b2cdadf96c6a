from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from objects.models import TraceObject


class ObjectSitemap(Sitemap):
    """Every public object page, in every language, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    changefreq = "weekly"

    def items(self):
        return TraceObject.objects.published().only("number", "updated_at").order_by("number")

    def lastmod(self, obj):
        return obj.updated_at


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return [
            "objects:gallery",
            "objects:identified",
            "tips:results",
            "objects:about",
            "objects:privacy",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "objects": ObjectSitemap}
