from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from objects.forms import GalleryFilterForm
from objects.models import Category, TraceObject


def public_page(view):
    """Mark a view as a public, cookie-free page that a proxy or CDN may cache for a while."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    return require_safe(wrapped)


@public_page
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
                objects = objects.filter(Q(title__icontains=query) | Q(question__icontains=query))
        elif "category" in form.errors:
            raise Http404("No such category.")
        else:
            objects = objects.none()
            status = 400
    page = Paginator(objects, settings.GALLERY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    context = {
        "form": form,
        "page": page,
        "category": category,
        "categories": Category.objects.all(),
        "query": query,
        # Keeps the filter when paging.
        "query_string": urlencode(
            {k: v for k, v in {"q": query, "category": category and category.slug}.items() if v}
        ),
    }
    return render(request, "objects/gallery.html", context, status=status)


class ObjectWithdrawn(Exception):
    """The object was published once and has been withdrawn: answer 410, not 404."""


def published_or_gone(number: int) -> TraceObject:
    """The published object with this number; ObjectWithdrawn or Http404 otherwise."""
    obj = TraceObject.objects.published().select_related("category").filter(number=number).first()
    if obj is not None:
        return obj
    if TraceObject.objects.filter(number=number, status=TraceObject.Status.WITHDRAWN).exists():
        raise ObjectWithdrawn
    raise Http404("No such object.")


def _withdrawn(request):
    return render(request, "410.html", status=410)


@public_page
def object_detail(request, number: int):
    try:
        obj = published_or_gone(number)
    except ObjectWithdrawn:
        return _withdrawn(request)
    images = list(obj.images.all())
    return render(
        request,
        "objects/detail.html",
        {"obj": obj, "images": images, "primary": next((i for i in images if i.is_primary), None)},
    )


@public_page
def identified(request):
    objects = TraceObject.objects.identified().for_cards().order_by("-identified_at", "-number")
    page = Paginator(objects, settings.GALLERY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "objects/identified.html", {"page": page})


@public_page
def about(request):
    return render(request, "pages/about.html")


@public_page
def privacy(request):
    return render(request, "pages/privacy.html")


@require_safe
def healthz(request):
    """Process is alive. Touches nothing else, so it is the baseline for benchmarks."""
    return HttpResponse("ok\n", content_type="text/plain")
