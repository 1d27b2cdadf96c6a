"""A real worker process takes deferred jobs from the test database, and a worker killed
mid-job loses nothing: the next worker runs the job again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories import make_object, make_tip
from tests.worker.blocking import blocking_purge
from tests.worker.conftest import wait_for
from tips import tasks as tip_tasks
from tips.models import Tip
from traceobject import tasks

pytestmark = pytest.mark.postgres


def _old_spam_tip() -> int:
    """A spam tip older than the retention period: the purge deletes it."""
    tip = make_tip(make_object()).tip
    long_ago = timezone.now() - timedelta(days=400)
    Tip.objects.filter(pk=tip.pk).update(
        status=Tip.Status.SPAM, received_at=long_ago, status_changed_at=long_ago
    )
    return tip.pk


def _job_status(task_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status FROM procrastinate_jobs WHERE task_name = %s ORDER BY id", [task_name]
        )
        return [row[0] for row in cursor.fetchall()]


def _worker_registered() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM procrastinate_workers")
        return cursor.fetchone()[0] > 0


def test_a_worker_runs_the_deferred_purge(worker_env, start_worker):
    pk = _old_spam_tip()
    assert tasks.defer(tip_tasks.purge, timestamp=0)
    worker = start_worker(worker_env)
    try:
        wait_for(lambda: not Tip.objects.filter(pk=pk).exists(), timeout=60, what="tip purged")
    except AssertionError:
        raise AssertionError(worker.log()) from None
    # A job that succeeded leaves the queue (delete_jobs="successful").
    wait_for(lambda: _job_status("tips.purge") == [], timeout=30, what="job removed")


def test_a_job_of_a_killed_worker_is_run_by_the_next_worker(worker_env, start_worker, tmp_path):
    pk = _old_spam_tip()
    started, release = tmp_path / "started", tmp_path / "release"
    tasks.defer(
        blocking_purge, started=str(started), release=str(release), now=timezone.now().isoformat()
    )
    first = start_worker(worker_env)
    wait_for(started.exists, timeout=60, what=f"job started\n{first.log()}")
    first.kill()  # SIGKILL: no chance to mark the job or unregister
    assert _job_status("tests.blocking_purge") == ["doing"]
    assert Tip.objects.filter(pk=pk).exists()

    started.unlink()
    release.touch()
    second = start_worker(worker_env)
    try:
        wait_for(lambda: not Tip.objects.filter(pk=pk).exists(), timeout=60, what="tip purged")
    except AssertionError:
        raise AssertionError(second.log()) from None
    assert started.exists()  # the job ran again from the start
    wait_for(lambda: _job_status("tests.blocking_purge") == [], timeout=30, what="job removed")
    assert _worker_registered()
