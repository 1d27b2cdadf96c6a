from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from objects.forms import GalleryFilterForm
from objects.i18n import localise, localise_categories, localise_page
from objects.models import Category, SitePage, TraceObject
from objects.search import matching_object_ids
from objects.selectors import (
    ObjectNotFound,
    ObjectWithdrawn,
    newest_object_ids,
    published_or_gone,
)
from traceobject.page_cache import cached_page, public_page


def _search(query: str) -> Q:
    """Objects whose texts in the page's language or in English match (objects.search)."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return Q(pk__in=matching_object_ids(query, language))


def _localised_page(objects, number, *, badges: bool = True):
    page = Paginator(objects, settings.GALLERY_PAGE_SIZE).get_page(number)
    page.object_list = localise(page.object_list)
    new = newest_object_ids() if badges else set()
    for obj in page.object_list:
        obj.badge_new = obj.pk in new
    return page


@public_page
@cached_page(params=("q", "category", "page"))
def gallery(request):
    form = GalleryFilterForm(request.GET or None)
    objects = TraceObject.objects.published().for_cards()
    category = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            category = form.cleaned_data["category"]
            query = form.cleaned_data["q"]
            if category:
                objects = objects.filter(category=category)
            if query:
                objects = objects.filter(_search(query))
        elif "category" in form.errors:
            raise Http404("No such category.")
        else:
            objects = objects.none()
            status = 400
    page = _localised_page(objects, request.GET.get("page"))
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    categories = localise_categories(Category.objects.all())
    # The chosen category as listed, with its name in the page's language.
    category = next((c for c in categories if category and c.pk == category.pk), None)
    context = {
        "form": form,
        "page": page,
        "category": category,
        "categories": categories,
        "query": query,
        # Keeps the filter when paging.
        "query_string": urlencode(
            {k: v for k, v in {"q": query, "category": category and category.slug}.items() if v}
        ),
    }
    return render(request, "objects/gallery.html", context, status=status)


def _withdrawn(request):
    return render(request, "410.html", status=410)


@public_page
@cached_page
def object_detail(request, number: int):
    try:
        obj = published_or_gone(number)
    except ObjectWithdrawn:
        return _withdrawn(request)
    except ObjectNotFound:
        raise Http404("No such object.") from None
    localise([obj])
    images = list(obj.images.all())
    primary = next((i for i in images if i.is_primary), None)
    return render(
        request,
        "objects/detail.html",
        {
            "obj": obj,
            "images": images,
            "primary": primary,
            "share_url": request.build_absolute_uri(obj.get_absolute_url()),
            "og_image": _og_image(request, primary),
        },
    )


def _og_image(request, image):
    """The absolute URL of the image a shared link shows as its preview (Open Graph, X)."""
    rendition = image and (image.large or image.thumb)
    if not rendition:
        return None
    return {**rendition, "url": request.build_absolute_uri(rendition["url"])}


@public_page
@cached_page(params=("page",))
def identified(request):
    objects = TraceObject.objects.identified().for_cards().order_by("-identified_at", "-number")
    page = _localised_page(objects, request.GET.get("page"), badges=False)
    return render(request, "objects/identified.html", {"page": page})


@public_page
def about(request):
    return render(request, "pages/about.html")


@public_page
def privacy(request):
    return render(request, "pages/privacy.html")


def _site_page(request, kind: str):
    """The legal notice or the accessibility statement, as staff wrote it (Site pages); until
    they have, a short page that says so and how to reach the operator."""
    page = SitePage.objects.filter(kind=kind).first()
    if page is not None:
        localise_page(page)
    heading = SitePage.Kind(kind).label
    return render(request, "pages/site_page.html", {"page": page, "heading": heading})


@public_page
@cached_page
def legal(request):
    return _site_page(request, SitePage.Kind.LEGAL)


@public_page
@cached_page
def accessibility(request):
    return _site_page(request, SitePage.Kind.ACCESSIBILITY)


@require_safe
def robots_txt(request):
    """Keep crawlers off the back-office, the tip forms and the follow-up page in every language."""
    lines = ["Disallow: /backoffice/"]
    for code, _name in settings.LANGUAGES:
        lines.append(f"Disallow: /{code}/objects/*/tip/")
        lines.append(f"Disallow: /{code}/follow-up/")
        lines.append(f"Disallow: /{code}/report/tip/")
    body = "User-agent: *\n" + "\n".join(lines) + "\n"
    body += f"\nSitemap: {request.build_absolute_uri(reverse('sitemap'))}\n"
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
    return response
