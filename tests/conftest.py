import os
import secrets
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from tests.factories import make_category, make_object
from tests.personas import (
    login_verified,
    make_editor,
    make_investigator,
    make_investigator_with_contact,
    make_staff_without_permission,
    make_supervisor,
)
from traceobject import process_cache
from traceobject.ratelimit_cache import ratelimit_cache

# Hashing a password with Argon2id takes a tenth of a second and 100 MiB on purpose; the suite
# creates a user in most back-office tests, so it hashes with MD5 instead, except in the tests
# marked `argon2` (the hashing tests) and in tests/deploy and tests/load, whose gunicorn nodes
# check passwords with the production settings, which do not know MD5.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REAL_HASHERS = list(settings.PASSWORD_HASHERS)
_REAL_HASHER_FOLDERS = ("tests/deploy/", "tests/load/")


def _postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _redis() -> bool:
    return settings.CACHES["default"]["BACKEND"].endswith("RedisCache")


# Tests that cannot share the machine with others, run alone after the parallel phase
# (scripts/test.py: `-n N -m "not serial"`, then `-m serial`): tests/load restarts PostgreSQL
# (test_faults.py, which would cut every other worker's connections) and measures tips and
# floods under load; tests/docker builds and runs the production image.
SERIAL_FOLDERS = ("tests/load/", "tests/docker/")
# The reason of a skip for a missing service starts and ends so (and no other skip's does).
_NEEDS, _UNREACHABLE = "needs ", "not reachable"


def pytest_configure(config):
    # Checked where `-n` is given (the message is then plain), and in a worker as a backstop.
    parallel = getattr(config.option, "numprocesses", None) or os.environ.get("PYTEST_XDIST_WORKER")
    if parallel and not config.pluginmanager.has_plugin("tests.run_plugin"):
        raise pytest.UsageError(
            "pytest-xdist workers would share one Redis database and one var folder: run the "
            "suite in parallel through scripts/test.py (make test), which loads tests.run_plugin."
        )


# tryfirst: the `serial` marker must be on the items before `-m` selects among them.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    available = {"postgres": _postgres(), "redis": _redis()}
    for item in items:
        if any(folder in item.nodeid for folder in _REAL_HASHER_FOLDERS):
            item.add_marker(pytest.mark.argon2)
        if any(item.nodeid.startswith(folder) for folder in SERIAL_FOLDERS):
            item.add_marker(pytest.mark.serial)
        # One skip per test, naming every missing service it needs, so the summary below
        # counts a test that needs both PostgreSQL and Redis once.
        missing = [
            name for name, ok in available.items() if item.get_closest_marker(name) and not ok
        ]
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            reason = f"{_NEEDS}{' and '.join(missing)}, which {verb} {_UNREACHABLE}"
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_report_header(config):
    engine = "PostgreSQL" if _postgres() else "SQLite"
    cache_name = "Redis" if _redis() else "local memory"
    return f"traceobject: database {engine}, cache {cache_name}"


def pytest_terminal_summary(terminalreporter):
    """How many tests were skipped for a missing service, each test once.

    Counted from the skip reports, not at collection: under pytest-xdist the workers collect
    and this process (which prints the summary) only receives their reports.
    """
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(_NEEDS) and reason.endswith(_UNREACHABLE):
            reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items()):
        tests = "test" if count == 1 else "tests"
        terminalreporter.write_line(f"{count} {tests} skipped: {reason}.")


def pytest_sessionstart(session):
    if os.environ.get("REQUIRE_SERVICES") in {"1", "true", "yes"} and not (
        _postgres() and _redis()
    ):
        raise pytest.UsageError("REQUIRE_SERVICES=1 but the suite is not on PostgreSQL and Redis.")
    # The test settings put media under var/test (pyproject.toml), a worker's under
    # var/test/gw0 and so on (tests/run_plugin.py); start each run empty.
    if settings.VAR_DIR.name == "test" or (
        settings.VAR_DIR.name == os.environ.get("PYTEST_XDIST_WORKER")
        and settings.VAR_DIR.parent.name == "test"
    ):
        shutil.rmtree(settings.VAR_DIR / "media", ignore_errors=True)
    # whitenoise warns about a missing STATIC_ROOT on every request otherwise.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # override_settings, not an assignment: it sends setting_changed, which empties Django's
    # cached hasher list. Left on for the whole session (the process ends with it).
    override_settings(PASSWORD_HASHERS=FAST_HASHERS).enable()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request, django_db_modify_db_settings_parallel_suffix):
    """A test database of this run's own on PostgreSQL: test_traceobject_<pid>_<random>.

    Two runs against one server (two work trees, CI and a developer) would otherwise both use
    test_traceobject, and the second fails with "database test_traceobject already exists" or
    drops the first one's. pytest-django drops it at the end of the run; one killed midway
    leaves it behind (`psql -l | grep test_traceobject_`). With --reuse-db the fixed name stays,
    so the kept database is found again next time. Anything that needs the name at run time
    (the gunicorn nodes of tests/deploy) reads connection.settings_dict["NAME"], which is this
    name once the database is set up.
    """
    if not _postgres() or request.config.getvalue("reuse_db"):
        return
    default = settings.DATABASES["default"]
    test = default.setdefault("TEST", {})
    base = test.get("NAME") or f"test_{default['NAME']}"
    test["NAME"] = f"{base}_{os.getpid()}_{secrets.token_hex(2)}"


@pytest.fixture(autouse=True)
def _password_hashers(request):
    """The production hashers (Argon2id first) for a test marked `argon2`; MD5 for the rest."""
    if request.node.get_closest_marker("argon2"):
        with override_settings(PASSWORD_HASHERS=REAL_HASHERS):
            yield
    else:
        yield


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_audit_triggers():
    """Let the test suite's own flush (between transactional tests) empty the audit table.

    The table refuses TRUNCATE by a trigger (traceobject migration 0002). Django's test flush
    truncates every table, so here, and only here, the flush runs with PostgreSQL's replica
    role, which skips ordinary triggers for that one transaction. test_audit.py proves the
    trigger holds for every other statement.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    execute_sql_flush = DatabaseOperations.execute_sql_flush

    def flush(self, sql_list):
        return execute_sql_flush(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    DatabaseOperations.execute_sql_flush = flush
    yield
    DatabaseOperations.execute_sql_flush = execute_sql_flush


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """reverse() and get_absolute_url() in a test give /en/ URLs, whatever the last request was.

    LocaleMiddleware leaves the language of the last request active in the thread, which would
    make a test's URLs depend on the test before it.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def _clear_caches():
    cache.clear()
    # The rate-limit cache is the same store unless settings point it elsewhere.
    if settings.CACHES["ratelimit"] != settings.CACHES["default"]:
        ratelimit_cache.clear()
    process_cache.reset()


@pytest.fixture(autouse=True)
def _clean_cache():
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture
def dead_cache(settings):
    """The shared caches unreachable: nothing listens on port 1, so every call fails at once."""
    dead = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
    settings.CACHES = {"default": dead, "ratelimit": dead}


@pytest.fixture
def redis_sent(monkeypatch):
    """What this process sends to Redis from now on: one entry per round trip, as bytes.

    A command is one write to the socket and so is a whole pipeline, so len() is the number of
    round trips. Counted in this process, so other users of the same Redis server do not matter.
    """
    from redis.connection import AbstractConnection

    sent = []
    send = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command if isinstance(command, bytes) else b"".join(command))
        return send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting)
    return sent


@pytest.fixture
def own_media(settings, tmp_path):
    """Empty public and private media folders of this test's own: (public, private).

    A listing of either then shows exactly the files this test's code wrote.
    """
    public, private = tmp_path / "public", tmp_path / "private"
    settings.MEDIA_PUBLIC_ROOT, settings.MEDIA_PRIVATE_ROOT = public, private
    backend = "django.core.files.storage.FileSystemStorage"
    settings.STORAGES = {
        **settings.STORAGES,
        "public": {
            "BACKEND": backend,
            "OPTIONS": {"location": public, "base_url": settings.MEDIA_URL},
        },
        "private": {
            "BACKEND": backend,
            "OPTIONS": {"location": private, "base_url": "/private-files-are-not-served/"},
        },
    }
    return public, private


@pytest.fixture
def category(db):
    return make_category()


@pytest.fixture
def published(db):
    return make_object(status="published")


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def investigator(db):
    return make_investigator()


@pytest.fixture
def staff_without_permission(db):
    return make_staff_without_permission()


@pytest.fixture
def supervisor(db):
    return make_supervisor()


@pytest.fixture
def investigator_with_contact(db):
    return make_investigator_with_contact()


@pytest.fixture
def editor_client(client, editor):
    return login_verified(client, editor)


@pytest.fixture
def investigator_client(client, investigator):
    return login_verified(client, investigator)
