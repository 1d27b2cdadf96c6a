"""The real URLconf plus one view that fails, so the 500 page can be checked like any other."""

from django.urls import path

from traceobject.urls import urlpatterns as real_urlpatterns


def fail(request):
    raise RuntimeError("a test-only failure")


urlpatterns = [path("test-only-failure/", fail), *real_urlpatterns]
