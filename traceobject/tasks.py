"""Work done later than the request: how code defers it, whatever runs it.

Each app declares its tasks in its own `tasks.py` with `task(...)` and defers them with
`defer(...)`; neither it nor its callers say how the work runs:

- on PostgreSQL, procrastinate: `defer` writes a job row through Django's connection, in the
  caller's transaction (a job deferred in a transaction that rolls back never existed), and a
  worker process (`manage.py procrastinate worker`) runs it, with retries, periodic schedules
  and per-key queueing locks;
- on SQLite (`make run`), where procrastinate cannot run (settings.TASKS_INLINE), the task runs
  in the same process right after the commit, and periodic tasks do not run at all.

A worker killed mid-job (SIGKILL, a lost machine) stops writing its heartbeat; the jobs it held
are run again by `retry_stalled_jobs`, which every worker schedules (`docs/operations.md`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from procrastinate import JobContext, RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.tasks import Task
from procrastinate.worker import Worker

logger = logging.getLogger(__name__)

# Failures worth another attempt: the database or the object store did not answer. Waits 5, 25,
# 125 and 625 s, then the job is marked failed (and `tasks_status` counts it).
TRANSIENT_RETRY = RetryStrategy(
    max_attempts=5,
    exponential_wait=5,
    retry_exceptions=[OperationalError, InterfaceError, OSError, BotoCoreError, ClientError],
)


def _django_connections(call_next: Callable[[], Any], context: JobContext, worker: Worker) -> Any:
    """A job is to the worker what a request is to gunicorn: drop connections that are broken
    or past DB_CONN_MAX_AGE before and after it, as Django does around each request."""
    close_old_connections()
    try:
        return call_next()
    finally:
        close_old_connections()


def task(
    *,
    name: str,
    retry: RetryStrategy | None = None,
    cron: str | None = None,
    lock: str | None = None,
) -> Callable[[Callable[..., Any]], Task]:
    """Declare a task. `name` is what is stored in the queue, so keep it when the code moves;
    `cron` makes it periodic (the function then takes a `timestamp` argument); jobs that share
    a `lock` run one at a time, in the order they were deferred."""

    def decorate(func: Callable[..., Any]) -> Task:
        declared = app.task(
            name=name,
            retry=retry or False,
            lock=lock,
            task_middleware=[_django_connections],
        )(func)
        if cron:
            declared = app.periodic(cron=cron, periodic_id=name)(declared)
        return declared

    return decorate


def defer(declared: Task, *, queueing_lock: str | None = None, **kwargs: Any) -> bool:
    """Run the task later with these keyword arguments (JSON values: ids, not model instances).

    With a `queueing_lock`, at most one job per key waits: while one waits, deferring again does
    nothing and returns False (the waiting job will see the newer data when it runs).
    """
    if settings.TASKS_INLINE:
        # robust: a failure is logged and does not turn the response that deferred it into a 500.
        transaction.on_commit(lambda: declared(**kwargs), robust=True)
        return True
    try:
        # A savepoint: the queueing lock is a unique index, and its violation must not abort
        # the caller's transaction.
        with transaction.atomic():
            deferrer = (
                declared.configure(queueing_lock=queueing_lock)
                if queueing_lock
                else declared.configure()
            )
            deferrer.defer(**kwargs)
    except AlreadyEnqueued:
        return False
    return True


def _every(seconds: int) -> str:
    """A cron line that fires every `seconds` (croniter reads a sixth field as seconds), or
    every minute from 60 on."""
    return "* * * * *" if seconds >= 60 else f"* * * * * */{seconds}"


@app.periodic(cron=_every(settings.TASK_STALLED_SECONDS), periodic_id="retry_stalled_jobs")
@app.task(name="traceobject.retry_stalled_jobs", queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> None:
    """Put back in the queue the jobs of workers whose heartbeat stopped (procrastinate's own
    recipe): the job is run again from the start, so every task must be safe to run twice."""
    stalled = await app.job_manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.TASK_STALLED_SECONDS
    )
    for job in stalled:
        logger.warning("job %s (%s) of a dead worker is queued again", job.id, job.task_name)
        await app.job_manager.retry_job(job)


@dataclass(frozen=True)
class QueueStatus:
    inline: bool
    waiting: int = 0  # due now, not started
    scheduled: int = 0  # waiting for a later time (a retry's backoff)
    running: int = 0
    failed: int = 0
    oldest_waiting: datetime | None = None  # when the oldest due job was first deferred
    workers: int = 0  # with a heartbeat younger than TASK_STALLED_SECONDS

    @property
    def oldest_age_seconds(self) -> int | None:
        if self.oldest_waiting is None:
            return None
        return max(0, int((timezone.now() - self.oldest_waiting).total_seconds()))


def queue_status() -> QueueStatus:
    """How many jobs wait and how old the oldest is, for operators (`manage.py tasks_status`)."""
    if settings.TASKS_INLINE:
        return QueueStatus(inline=True)
    # Here, not at the top: these models exist only where procrastinate's app is installed
    # (PostgreSQL), and importing them elsewhere is an error. Their `objects` manager carries
    # no model type (mypy refuses it); `_default_manager` is the same manager, typed.
    from procrastinate.contrib.django.models import (
        ProcrastinateEvent,
        ProcrastinateJob,
        ProcrastinateWorker,
    )

    jobs = ProcrastinateJob._default_manager

    now = timezone.now()
    due = Q(scheduled_at__isnull=True) | Q(scheduled_at__lte=now)
    counts = jobs.aggregate(
        waiting=Count("pk", filter=Q(status="todo") & due),
        scheduled=Count("pk", filter=Q(status="todo") & ~due),
        running=Count("pk", filter=Q(status="doing")),
        failed=Count("pk", filter=Q(status="failed")),
    )
    oldest = ProcrastinateEvent._default_manager.filter(
        job__in=jobs.filter(Q(status="todo") & due), type="deferred"
    ).aggregate(at=Min("at"))["at"]
    alive = now - timedelta(seconds=settings.TASK_STALLED_SECONDS)
    return QueueStatus(
        inline=False,
        oldest_waiting=oldest,
        workers=ProcrastinateWorker._default_manager.filter(last_heartbeat__gte=alive).count(),
        **counts,
    )
