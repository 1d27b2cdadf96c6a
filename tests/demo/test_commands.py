"""The demo commands: `seed_demo` fills a gallery once."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from objects.models import Category, ObjectImage, TraceObject
from tips.models import Tip


def _files(root) -> set[Path]:
    return {p for p in Path(root).rglob("*") if p.is_file()}


@pytest.mark.django_db
def test_seed_demo_creates_a_gallery_and_a_second_run_changes_nothing(client):
    call_command("seed_demo", stdout=io.StringIO())
    objects = TraceObject.objects.count()
    tips = Tip.objects.count()
    assert tips >= 20  # the triage queue has work in it
    assert Tip.objects.filter(status=Tip.Status.NEW).count() == tips
    assert 28 <= objects <= 32
    assert Category.objects.count() >= 6
    assert TraceObject.objects.identified().exists()
    assert ObjectImage.objects.filter(is_primary=True).count() == objects
    snapshot = (
        list(TraceObject.objects.values_list("number", "title", "updated_at").order_by("number")),
        list(ObjectImage.objects.values_list("pk", "renditions").order_by("pk")),
        _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert Tip.objects.count() == tips
    assert snapshot == (
        list(TraceObject.objects.values_list("number", "title", "updated_at").order_by("number")),
        list(ObjectImage.objects.values_list("pk", "renditions").order_by("pk")),
        _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT),
    )
    assert len(client.get(reverse("objects:gallery")).context["page"].object_list) == 24
