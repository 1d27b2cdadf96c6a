"""The S3 path against a real S3-compatible HTTP server: moto in server mode on 127.0.0.1.

The server runs as a separate process started here; django-storages and boto3 talk to it over
HTTP exactly as they would to MinIO or AWS, and anonymous requests are plain HTTP GETs.
"""

import io
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import boto3
import pytest
from django.core.files.storage import storages
from django.urls import reverse

from objects import imaging, services
from tests.factories import make_image_bytes, make_object
from traceobject.s3 import IMMUTABLE, s3_storages

PUBLIC, PRIVATE = "tao-public", "tao-private"
KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("moto server did not start")
            time.sleep(0.1)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    for bucket in (PUBLIC, PRIVATE):
        client.create_bucket(Bucket=bucket)
    yield endpoint, client
    process.terminate()
    process.wait(10)


@pytest.fixture
def s3(s3_server, settings):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(
            public_bucket=PUBLIC,
            private_bucket=PRIVATE,
            endpoint_url=endpoint,
            region="us-east-1",
            addressing_style="path",
            **KEYS,
        ),
    }
    assert type(storages["public"]).__name__ == "S3Storage"
    return endpoint, client


def _anonymous_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@pytest.mark.django_db
def test_an_upload_puts_the_original_in_the_private_bucket_and_derivatives_in_public(s3):
    endpoint, client = s3
    data = make_image_bytes(gps=True)
    obj = make_object(with_image=False)
    image = services.object_image_add(obj=obj, processed=imaging.process_upload(io.BytesIO(data)))
    original = client.get_object(Bucket=PRIVATE, Key=image.original.name)
    assert original["Body"].read() == data
    for item in image.renditions:
        head = client.head_object(Bucket=PUBLIC, Key=item["name"])
        assert head["CacheControl"] == IMMUTABLE
        assert head["ContentType"] == f"image/{item['format']}"
        assert head["ContentLength"] == item["bytes"]
    public_keys = {o["Key"] for o in client.list_objects_v2(Bucket=PUBLIC)["Contents"]}
    assert image.original.name not in public_keys


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
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=PUBLIC)["Contents"]}
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
