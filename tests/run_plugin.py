"""The pytest plugin scripts/test.py loads (`-p tests.run_plugin`): parallel workers, and counts.

Each pytest-xdist worker gets its own Redis database and its own var folder. This runs when the
plugin is imported, before pytest-django reads the settings, because REDIS_URL and VAR_DIR are
read once, at import of traceobject/settings.py, and the gunicorn nodes of tests/deploy inherit
them from the environment:

- REDIS_URL (and RATELIMIT_REDIS_URL when set): the database number plus the worker's index
  (gw0: the number in the URL, gw1: one more, ...). The tests flush the database they are given,
  so one worker's flush cannot empty another's cache mid-test.
- VAR_DIR: var/test/gw0, var/test/gw1, ...: media written by one worker's tests is not seen (or
  emptied at start) by another's, and tests that compare the media folders before and after
  stay exact.

PostgreSQL needs nothing here: pytest-django adds the worker id to the test database's name and
tests/conftest.py adds the process id and a random suffix (test_traceobject_gw0_<pid>_<hex>).

With TAO_TEST_COUNTS set, the run's outcome counts are written there as JSON at the end (by
the controller under xdist, which receives every worker's reports), so scripts/test.py can add
up its two phases into one closing line.
"""

import json
import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ...; empty outside a worker
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


def worker_index() -> int:
    return int(WORKER.removeprefix("gw")) if WORKER else 0


def shifted_redis_url(url: str, offset: int) -> str:
    """The same Redis URL with its database number (path, or ?db= for unix://) plus offset."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query))
        query["db"] = str(int(query.get("db") or 0) + offset)
        return urlunsplit(parts._replace(query=urlencode(query)))
    db = int(parts.path.lstrip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{db}"))


if WORKER:
    for name in ("REDIS_URL", "RATELIMIT_REDIS_URL"):
        if os.environ.get(name):
            os.environ[name] = shifted_redis_url(os.environ[name], worker_index())
    os.environ["VAR_DIR"] = os.path.join(os.environ.get("VAR_DIR") or "var/test", WORKER)


def pytest_terminal_summary(terminalreporter):
    path = os.environ.get("TAO_TEST_COUNTS")
    if not path or WORKER:
        return
    counts = {name: len(terminalreporter.stats.get(name, [])) for name in OUTCOMES}
    with open(path, "w") as fh:
        json.dump(counts, fh)
