"""`make test`: find PostgreSQL and Redis, say which are used, then run the whole pytest suite
in two phases and close with one line of counts for both.

DATABASE_URL and REDIS_URL are used when set; otherwise the local defaults are tried
(postgres://postgres@127.0.0.1:5432/traceobject and redis://127.0.0.1:6379/1). A service that
does not answer is replaced by SQLite / local memory, and the tests marked as needing it are
skipped with a count. With REQUIRE_SERVICES=1 a missing service fails the run instead.

The phases: first every test not marked `serial`, in parallel on the machine's cores with
pytest-xdist (`-n N`; TEST_WORKERS=N to choose, 1 for no workers), then the `serial` ones
(tests/load, tests/docker; tests/conftest.py says why) alone. Arguments are passed to both
phases; a `-m` expression is combined with each phase's own. The last line is the sum of both,
e.g. `tests: 1801 passed, 0 failed, 4 skipped` (errors count as failed); the exit status is
non-zero if either phase failed. A phase that selects no test (pytest's exit 5, e.g. `make test
PYTEST_ARGS=tests/load` leaves the parallel phase empty) is not a failure unless both are empty.

PostgreSQL: each worker creates its own database, test_<name>_gw<N>_<pid>_<random> (the
serial phase test_<name>_<pid>_<random>), and drops it at the end (tests/conftest.py), so
workers and runs on one server do not collide; the database named in the URL is not touched.
Redis: the tests FLUSH the databases they are given, before and after every test: worker N
uses the database number in REDIS_URL plus N (tests/run_plugin.py), the serial phase the number
itself. So REDIS_URL=redis://127.0.0.1:6379/1 on a 2-core machine flushes dbs 1 and 2. Give
the tests numbers nothing else uses: never db 0, and none another run or a developer's
`make run` uses at the same time. A Redis server has 16 databases (0-15) unless configured
otherwise; the run stops with a message if the workers would need more.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/traceobject"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/1"  # not db 0: the tests flush their database


def reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 2
        ):
            return True
    except OSError:
        return False


def main() -> int:
    required = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}
    env = dict(os.environ)
    missing = []
    workers = worker_count(env)
    if workers is None:
        return 2

    database_url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if database_url.startswith(("postgres://", "postgresql://")) and reachable(database_url, 5432):
        env["DATABASE_URL"] = database_url
        print(f"test database: PostgreSQL at {urlsplit(database_url).hostname} (a test_ copy)")
    else:
        env["DATABASE_URL"] = "sqlite://:memory:"
        missing.append("PostgreSQL")
        print(f"test database: SQLite in memory (PostgreSQL not reachable at {database_url})")

    redis_url = env.get("REDIS_URL") or DEFAULT_REDIS_URL
    if reachable(redis_url, 6379):
        env["REDIS_URL"] = redis_url
        parts = urlsplit(redis_url)
        db = redis_db(redis_url)
        dbs = f"dbs {db} to {db + workers - 1} (one per worker, " if workers > 1 else f"db {db} ("
        print(f"test cache: Redis at {parts.hostname}:{parts.port or 6379} {dbs}flushed)")
    else:
        env.pop("REDIS_URL", None)
        missing.append("Redis")
        print(f"test cache: local memory (Redis not reachable at {redis_url})")

    if missing and required:
        print(f"REQUIRE_SERVICES=1 but {' and '.join(missing)} not reachable: failing.")
        return 1
    if "REDIS_URL" in env and not redis_has_databases(env["REDIS_URL"], workers):
        return 2
    # The .mo files are build output (`make messages`, which `make test` runs first); compiled
    # here too, so running this script directly does not test missing or stale translations.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from compilemessages import compile_all

    compile_all()
    sys.stdout.flush()
    try:
        return run_phases(sys.argv[1:], env, workers)
    except KeyboardInterrupt:
        return 130


def worker_count(env: dict[str, str]) -> int | None:
    """TEST_WORKERS, else the cores this process may run on; None (and a message) if invalid."""
    value = env.get("TEST_WORKERS", "")
    if not value:
        return (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count() or 1
        )
    if not value.isdigit() or int(value) < 1:
        print(f"TEST_WORKERS must be a whole number from 1, not {value!r}.")
        return None
    return int(value)


def redis_db(url: str) -> int:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(part.partition("=")[::2] for part in parts.query.split("&") if part)
        return int(query.get("db") or 0)
    return int(parts.path.lstrip("/") or 0)


def redis_has_databases(url: str, workers: int) -> bool:
    """False (with a message) when the workers' databases would go past the server's last."""
    import redis

    db = redis_db(url)
    try:
        count = int(redis.Redis.from_url(url).config_get("databases")["databases"])
    except (redis.RedisError, KeyError, ValueError):
        return True  # CONFIG may be disabled: the workers' SELECT then says what is wrong
    last = db + workers - 1
    if last < count:
        return True
    print(
        f"The {workers} test workers need Redis dbs {db} to {last}, but the server has "
        f"{count} (0-{count - 1}): set REDIS_URL to a lower db, or TEST_WORKERS to fewer."
    )
    return False


def split_markexpr(args: list[str]) -> tuple[str | None, list[str]]:
    """The `-m` expression among pytest's arguments (the last one, as pytest takes it), and
    the arguments without it."""
    expression, rest = None, []
    it = iter(args)
    for arg in it:
        if arg == "-m":
            expression = next(it, "")
        elif arg.startswith("-m") and not arg.startswith("--"):
            expression = arg[2:]
        else:
            rest.append(arg)
    return expression, rest


def run_phases(args: list[str], env: dict[str, str], workers: int) -> int:
    """Run the parallel phase, then the serial one; print the closing line; the exit status."""
    expression, rest = split_markexpr(args)
    stop_at_first = any(a in {"-x", "--exitfirst"} or a.startswith("--maxfail") for a in rest)
    phases = [
        (
            f"not serial, {workers} workers" if workers > 1 else "not serial, one process",
            "not serial",
            ["-n", str(workers if workers > 1 else 0)],
        ),
        ("serial, one process", "serial", []),
    ]
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    codes = []
    with tempfile.TemporaryDirectory(prefix="tao-test-") as folder:
        for number, (title, marks, extra) in enumerate(phases, 1):
            print(f"=== phase {number} of {len(phases)}: {title}", flush=True)
            markexpr = f"({expression}) and {marks}" if expression else marks
            counts_file = Path(folder, f"phase{number}.json")
            command = [sys.executable, "-m", "pytest", "-p", "tests.run_plugin", *extra]
            command += ["-m", markexpr, *rest]
            phase_env = {**env, "TAO_TEST_COUNTS": str(counts_file)}
            code = subprocess.run(command, env=phase_env, check=False).returncode
            codes.append(code)
            counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
            totals["passed"] += counts.get("passed", 0) + counts.get("xpassed", 0)
            totals["failed"] += counts.get("failed", 0) + counts.get("error", 0)
            totals["skipped"] += counts.get("skipped", 0) + counts.get("xfailed", 0)
            if code not in {0, 5} and stop_at_first:
                break
    failed = [code for code in codes if code not in {0, 5}]
    if failed and not totals["failed"]:
        print(f"pytest stopped with exit status {failed[0]} before reporting a failed test.")
    print(
        f"tests: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped",
        flush=True,
    )
    if failed:
        return failed[0]
    if all(code == 5 for code in codes):
        return 5  # no phase selected a test: pytest's own "no tests collected"
    return 0


if __name__ == "__main__":
    sys.exit(main())
