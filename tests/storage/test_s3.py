"""The S3 path against a real S3-compatible HTTP server (moto, tests/storage/conftest.py)."""

import io
import urllib.error
import urllib.request

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse

from objects import imaging, services
from tests.factories import make_image_bytes, make_object, make_tip
from tests.storage.conftest import PRIVATE, PUBLIC
from tips import selectors as selectors_tips
from traceobject import crypto
from traceobject.hours import HOUR
from traceobject.s3 import IMMUTABLE
from traceobject.storage import set_file_hour


def _anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _keys(client, bucket: str) -> set[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


@pytest.mark.django_db
def test_an_upload_puts_the_original_and_its_previews_in_the_private_bucket_only(s3):
    endpoint, client = s3
    data = make_image_bytes(gps=True)
    obj = make_object(with_image=False)
    public_before, private_before = _keys(client, PUBLIC), _keys(client, PRIVATE)
    image = services.object_image_add(obj=obj, processed=imaging.process_upload(io.BytesIO(data)))
    original = client.get_object(Bucket=PRIVATE, Key=image.original.name)
    assert original["Body"].read() == data
    assert _keys(client, PUBLIC) == public_before
    assert _keys(client, PRIVATE) - private_before == {image.original.name} | image.preview_names()
    for name in image.preview_names():
        status, _body = _anonymous_get(f"{endpoint}/{PRIVATE}/{name}")
        assert status == 403


@pytest.mark.django_db
def test_publishing_copies_the_derivatives_to_the_public_bucket_and_unpublishing_removes_them(
    s3, django_capture_on_commit_callbacks
):
    _endpoint, client = s3
    obj = make_object(publish_image=False)
    image = obj.images.get()
    before = _keys(client, PUBLIC)
    services.object_image_edit(image=image, edit=imaging.Edit())
    assert _keys(client, PUBLIC) - before == image.derivative_names() != set()
    for item in image.renditions:
        head = client.head_object(Bucket=PUBLIC, Key=item["name"])
        assert head["CacheControl"] == IMMUTABLE
        assert head["ContentType"] == f"image/{item['format']}"
        assert head["ContentLength"] == item["bytes"]
    obj.status = "withdrawn"
    with django_capture_on_commit_callbacks(execute=True):
        services.object_save(obj=obj)
    assert _keys(client, PUBLIC) == before


@pytest.mark.django_db
def test_a_public_derivative_is_served_to_anyone_and_a_private_original_is_refused(s3):
    endpoint, _client = s3
    obj = make_object()
    image = obj.images.get()
    url = image.url("thumb", "webp")
    assert url.startswith(f"{endpoint}/{PUBLIC}/") and "Signature" not in url
    status, body = _anonymous_get(url)
    assert status == 200 and body[:4] == b"RIFF"
    assert len(body) == image.rendition("thumb", "webp")["bytes"]
    # The same object is there for a signed request, so the 403 is the ACL, not a missing key.
    status, body = _anonymous_get(f"{endpoint}/{PRIVATE}/{image.original.name}")
    assert status == 403 and body == b""
    assert storages["private"].exists(image.original.name)


@pytest.mark.django_db
def test_crop_and_redaction_regenerate_derivatives_from_the_original_in_s3(
    s3, django_capture_on_commit_callbacks
):
    _endpoint, client = s3
    image = make_object().images.get()
    old = image.derivative_names()
    edit = imaging.Edit(crop=imaging.Rect(0, 0, 320, 240))
    with django_capture_on_commit_callbacks(execute=True):
        services.object_image_edit(image=image, edit=edit)
    keys = _keys(client, PUBLIC)
    assert image.derivative_names() <= keys
    assert not (old & keys)
    assert {(r["width"], r["height"]) for r in image.renditions} == {(320, 240)}


@pytest.mark.django_db
def test_staff_get_an_original_from_the_private_bucket_through_the_view(s3, editor_client):
    image = make_object().images.get()
    response = editor_client.get(reverse("imagestaff:original", args=[image.pk]))
    assert response.status_code == 200
    stored = storages["private"].open(image.original.name).read()
    assert b"".join(response.streaming_content) == stored


@pytest.mark.django_db
def test_staff_get_a_draft_image_preview_from_the_private_bucket(s3, editor_client):
    image = make_object(status="draft", publish_image=False).images.get()
    response = editor_client.get(reverse("imagestaff:preview", args=[image.pk]))
    assert response.status_code == 200
    stored = storages["private"].open(image.preview("large")["private_name"]).read()
    assert b"".join(response.streaming_content) == stored


@pytest.mark.django_db
def test_rebuild_derivatives_removes_stray_files_from_both_buckets(s3):
    _endpoint, client = s3
    image = make_object().images.get()
    client.put_object(Bucket=PUBLIC, Key="objects/ab/stray-400w.jpg", Body=b"left behind")
    client.put_object(Bucket=PRIVATE, Key="previews/objects/ab/stray-400w.jpg", Body=b"old")
    call_command("rebuild_derivatives", stdout=io.StringIO())
    assert "objects/ab/stray-400w.jpg" not in _keys(client, PUBLIC)
    assert "previews/objects/ab/stray-400w.jpg" not in _keys(client, PRIVATE)
    assert image.derivative_names() <= _keys(client, PUBLIC)
    assert image.preview_names() | {image.original.name} <= _keys(client, PRIVATE)


@pytest.mark.django_db
def test_a_tip_photo_goes_to_the_private_bucket_with_its_token_stamped_to_the_hour(s3):
    _endpoint, client = s3
    receipt = make_tip(make_object(), photo_jpeg=make_image_bytes(size=(40, 30)))
    stored = client.get_object(Bucket=PRIVATE, Key=receipt.tip.photo_name)["Body"].read()
    assert crypto.token_time(stored) % HOUR == 0
    assert selectors_tips.tip_photo(tip=receipt.tip) == make_image_bytes(size=(40, 30))
    # The server's LastModified cannot be set: it stays the second of the write (threat model).
    assert not set_file_hour(
        storages["private"], receipt.tip.photo_name, at=receipt.tip.received_at
    )
