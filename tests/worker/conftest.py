"""Real `manage.py procrastinate worker` processes on the test's own PostgreSQL database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from bench.nodes import production_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def _database_url() -> str:
    db = connection.settings_dict  # after pytest-django's setup: the test_ database
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what}: not within {timeout} s")


class WorkerProcess:
    def __init__(self, env: dict[str, str], log_path: Path):
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "procrastinate", "worker"],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)


@pytest.fixture
def worker_env(transactional_db, tmp_path):
    """Production-like settings for a worker: committed data in the test database is visible."""
    var = tmp_path / "var"
    for folder in ("media/public", "media/private"):
        (var / folder).mkdir(parents=True)
    return production_env(
        DJANGO_SETTINGS_MODULE="tests.worker.settings",
        SECRET_KEY="worker-test-key-" + "s" * 40,
        RECEIPT_KEY=settings.RECEIPT_KEY,
        TIP_ENCRYPTION_KEYS=",".join(settings.TIP_ENCRYPTION_KEYS),
        DATABASE_URL=_database_url(),
        REDIS_URL=settings.REDIS_URL or "",
        VAR_DIR=str(var),
        MEDIA_PUBLIC_ROOT=str(var / "media/public"),
        MEDIA_PRIVATE_ROOT=str(var / "media/private"),
        # A dead worker is noticed within seconds, not the production minute.
        TASK_HEARTBEAT_SECONDS="1",
        TASK_STALLED_SECONDS="2",
    )


@pytest.fixture
def start_worker(tmp_path):
    """Start workers; every one is killed when the test ends, whatever happened."""
    workers: list[WorkerProcess] = []

    def start(env) -> WorkerProcess:
        worker = WorkerProcess(env, tmp_path / "worker.log")
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.kill()
