"""Real gunicorn nodes on 127.0.0.1 against the test's own PostgreSQL database and Redis."""

import pytest
from django.conf import settings
from django.db import connection

from bench.nodes import Node, production_env


def _database_url() -> str:
    db = connection.settings_dict  # after pytest-django's setup: the test_ database
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def node_env(transactional_db, tmp_path):
    """Production-like settings for a node: committed data in the test database is visible."""
    var = tmp_path / "var"
    for folder in ("media/public", "media/private", "static"):
        (var / folder).mkdir(parents=True)
    return production_env(
        SECRET_KEY="multi-node-test-key-" + "s" * 40,
        # The same tip secrets as this process, so tips made here can be read by the nodes.
        RECEIPT_KEY=settings.RECEIPT_KEY,
        TIP_ENCRYPTION_KEYS=",".join(settings.TIP_ENCRYPTION_KEYS),
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL,
        VAR_DIR=str(var),
        MEDIA_PUBLIC_ROOT=str(var / "media/public"),
        MEDIA_PRIVATE_ROOT=str(var / "media/private"),
        STATIC_MANIFEST="0",
        # Plain HTTP on 127.0.0.1: no Secure cookies, so check --deploy warns about exactly
        # that (tests/test_settings.py proves it); the start-up check here stops on errors.
        SECURE_HTTPS="0",
        DEPLOY_CHECK_FAIL_LEVEL="ERROR",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
    )


@pytest.fixture
def start_node(tmp_path):
    """Start gunicorn nodes; every one is killed when the test ends, whatever happened."""
    nodes = []

    def start(env, **overrides) -> Node:
        node = Node({**env, **overrides}, log_dir=tmp_path)
        nodes.append(node)
        return node.start()

    try:
        yield start
    finally:
        for node in nodes:
            node.stop()


@pytest.fixture
def media_settings(node_env, settings):
    """Make this test process write media where the nodes read it."""
    public, private = node_env["MEDIA_PUBLIC_ROOT"], node_env["MEDIA_PRIVATE_ROOT"]
    settings.MEDIA_PUBLIC_ROOT = public
    settings.MEDIA_PRIVATE_ROOT = private
    settings.STORAGES = {
        **settings.STORAGES,
        "public": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": public, "base_url": settings.MEDIA_URL},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }
    return node_env
