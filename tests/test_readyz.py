import shutil

import pytest
from django.conf import settings
from django.test import override_settings


@pytest.fixture
def media_folders():
    settings.MEDIA_PUBLIC_ROOT.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_PRIVATE_ROOT.mkdir(parents=True, exist_ok=True)


def test_it_is_ready_when_database_cache_and_storage_answer(client, db, media_folders):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_it_is_unready_with_a_reason_when_redis_does_not_answer(client, db, media_folders):
    # A real connection to a port nothing listens on, not a mock.
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    with override_settings(CACHES=caches):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"cache unreachable\n"
    assert response["Content-Type"].startswith("text/plain")


def test_it_is_unready_when_the_rate_limit_redis_does_not_answer(client, db, media_folders):
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    }
    with override_settings(CACHES=caches):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"rate-limit cache unreachable\n"


def test_it_is_unready_when_the_private_folder_is_missing(client, db, media_folders, tmp_path):
    private = tmp_path / "private"
    private.mkdir()
    storages = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }
    with override_settings(STORAGES=storages):
        assert client.get("/readyz").status_code == 200
        shutil.rmtree(private)
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"private storage unreachable\n"


def test_it_rejects_post(client, db):
    assert client.post("/readyz").status_code == 405


def test_healthz_answers_without_touching_the_database(client):
    # No `db` fixture: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
