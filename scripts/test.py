"""`make test`: find PostgreSQL and Redis, say which are used, then run the whole pytest suite.

DATABASE_URL and REDIS_URL are used when set; otherwise the local defaults are tried
(postgres://postgres@127.0.0.1:5432/traceobject and redis://127.0.0.1:6379/1). A service that
does not answer is replaced by SQLite / local memory, and the tests marked as needing it are
skipped with a count. With REQUIRE_SERVICES=1 a missing service fails the run instead.

PostgreSQL: the tests create their own database, test_<name>_<pid>_<random>, and drop it at the
end (tests/conftest.py), so runs on one server do not collide; the database named in the URL is
not touched. Redis: the tests FLUSH the database number in REDIS_URL (before and after every
test), so give them one nothing else uses: never db 0, and not one another run or a developer's
`make run` uses at the same time (e.g. REDIS_URL=redis://127.0.0.1:6379/7).
"""

import os
import socket
import sys
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
        db = parts.path.lstrip("/") or "0"
        print(f"test cache: Redis at {parts.hostname}:{parts.port or 6379} db {db} (flushed)")
    else:
        env.pop("REDIS_URL", None)
        missing.append("Redis")
        print(f"test cache: local memory (Redis not reachable at {redis_url})")

    if missing and required:
        print(f"REQUIRE_SERVICES=1 but {' and '.join(missing)} not reachable: failing.")
        return 1
    # The .mo files are build output (`make messages`, which `make test` runs first); compiled
    # here too, so running this script directly does not test missing or stale translations.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from compilemessages import compile_all

    compile_all()
    sys.stdout.flush()
    args = [sys.executable, "-m", "pytest", *sys.argv[1:]]
    os.execve(sys.executable, args, env)  # noqa: S606 (fixed argv, no shell)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
