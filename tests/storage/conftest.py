"""An S3-compatible HTTP server for the tests of this folder: moto in server mode on 127.0.0.1.

The server runs as a separate process started here; django-storages, boto3 and the backup
scripts talk to it over HTTP exactly as they would to MinIO or AWS, and anonymous requests are
plain HTTP GETs.
"""

import socket
import subprocess
import sys
import time

import boto3
import pytest
from django.core.files.storage import storages

from traceobject.s3 import s3_storages

PUBLIC, PRIVATE = "tao-public", "tao-private"
KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """(endpoint, boto3 client) of a moto server with the buckets PUBLIC and PRIVATE."""
    port = free_port()
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
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    for bucket in (PUBLIC, PRIVATE):
        client.create_bucket(Bucket=bucket)
    yield endpoint, client
    process.terminate()
    process.wait(10)


def use_buckets(settings, endpoint: str, *, public: str, private: str) -> None:
    """Point the "public" and "private" STORAGES at two buckets of the test server."""
    settings.STORAGES = {
        **settings.STORAGES,
        **s3_storages(
            public_bucket=public,
            private_bucket=private,
            endpoint_url=endpoint,
            region=REGION,
            addressing_style="path",
            **KEYS,
        ),
    }
    assert type(storages["public"]).__name__ == "S3Storage"


@pytest.fixture
def s3(s3_server, settings):
    endpoint, client = s3_server
    use_buckets(settings, endpoint, public=PUBLIC, private=PRIVATE)
    return endpoint, client
