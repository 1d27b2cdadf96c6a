"""Atom feeds of newly published objects: all of them, and one per category."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from objects.i18n import localise, localise_categories
from objects.models import Category, TraceObject

FEED_SIZE = 30


class LatestObjectsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Trace an Object: new objects")

    def subtitle(self):
        return _("Objects from unsolved cases, newly published. Recognise one? Send a tip.")

    def link(self):
        return reverse("objects:gallery")

    def feed_url(self):
        return reverse("objects:feed")

    def _objects(self):
        return TraceObject.objects.published().select_related("category")

    def items(self):
        return localise(self._objects()[:FEED_SIZE])

    def item_title(self, item):
        return f"{item.reference}: {item.title}"

    def item_description(self, item):
        return item.question

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.identified_at or item.published_at

    def item_categories(self, item):
        return [item.category.name]

    def item_guid(self, item):
        # Stable whatever the language: the reference never changes.
        return f"tag:trace-an-object,2017:{item.reference}"

    item_guid_is_permalink = False

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_CACHE_SECONDS}"
        return response


class CategoryFeed(LatestObjectsFeed):
    def get_object(self, request, slug):
        return localise_categories([get_object_or_404(Category, slug=slug)])[0]

    def title(self, obj):
        return _("Trace an Object: new objects in %(category)s") % {"category": obj.name}

    def link(self, obj):
        return reverse("objects:gallery") + f"?category={obj.slug}"

    def feed_url(self, obj):
        return reverse("objects:feed_category", kwargs={"slug": obj.slug})

    def items(self, obj):
        return localise(self._objects().filter(category=obj)[:FEED_SIZE])
