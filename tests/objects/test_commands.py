from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from objects.models import TraceObject
from tests.factories import make_category, make_image_bytes


def _files(root) -> set[Path]:
    return {p for p in Path(root).rglob("*") if p.is_file()}


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
    image = obj.images.get()
    assert image.preview("thumb") and image.renditions == [] and image.thumb is None
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
    # --publish publishes the image as it is: its derivatives are in public storage.
    thumb = obj.images.get().thumb
    assert thumb and (Path(settings.MEDIA_PUBLIC_ROOT) / thumb["name"]).is_file()


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
