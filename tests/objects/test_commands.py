import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from objects.models import Category, ObjectImage, TraceObject
from tests.factories import make_category, make_image_bytes
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


@pytest.mark.django_db
def test_import_object_adds_a_draft_through_the_pipeline(tmp_path, capsys):
    make_category("bags")
    path = tmp_path / "bag.jpg"
    path.write_bytes(make_image_bytes(gps=True))
    call_command(
        "import_object",
        image=str(path),
        category="bags",
        title="Red bag",
        question="Where is this bag sold?",
        alt="A red bag",
    )
    obj = TraceObject.objects.get()
    assert obj.status == "draft" and obj.alt_text == "A red bag"
    assert obj.images.get().rendition("thumb")
    assert f"{obj.reference} created (draft)." in capsys.readouterr().out


@pytest.mark.django_db
def test_import_object_can_publish(tmp_path):
    make_category("bags")
    path = tmp_path / "bag.png"
    path.write_bytes(make_image_bytes("PNG"))
    call_command(
        "import_object",
        image=str(path),
        category="bags",
        title="Red bag",
        question="Where?",
        publish=True,
    )
    obj = TraceObject.objects.get()
    assert obj in TraceObject.objects.published()
    assert obj.alt_text == "Red bag"  # falls back to the title, with a warning


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xd8\xff\xe0 broken jpeg", "damaged or incomplete"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image"),
    ],
)
def test_import_object_rejects_a_corrupt_file_and_creates_nothing(tmp_path, content, message):
    make_category("bags")
    before = _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT)
    path = tmp_path / "corrupt.jpg"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as excinfo:
        call_command("import_object", image=str(path), category="bags", title="t", question="q")
    assert "\n" not in str(excinfo.value)
    assert not TraceObject.objects.exists()
    assert _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT) == before


@pytest.mark.django_db
def test_import_object_rejects_a_truncated_file_and_writes_no_file(tmp_path):
    make_category("bags")
    before = _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT)
    data = make_image_bytes(size=(1200, 900))
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CommandError, match="damaged or incomplete"):
        call_command("import_object", image=str(path), category="bags", title="t", question="q")
    assert not TraceObject.objects.exists()
    assert _files(settings.MEDIA_PUBLIC_ROOT) | _files(settings.MEDIA_PRIVATE_ROOT) == before


@pytest.mark.django_db
def test_import_object_rejects_an_unknown_category(tmp_path):
    make_category("bags")
    path = tmp_path / "ok.jpg"
    path.write_bytes(make_image_bytes())
    with pytest.raises(CommandError, match="unknown category 'shoes' \\(known: bags\\)"):
        call_command("import_object", image=str(path), category="shoes", title="t", question="q")
    assert not TraceObject.objects.exists()


@pytest.mark.django_db
def test_import_object_rejects_a_missing_file(tmp_path):
    make_category("bags")
    with pytest.raises(CommandError, match="no such file"):
        call_command(
            "import_object",
            image=str(tmp_path / "nope.jpg"),
            category="bags",
            title="t",
            question="q",
        )
