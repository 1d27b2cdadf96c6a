"""A test-only task that blocks until the test says so, then purges: a worker can be killed while
it runs, and its effect (a purged tip) is in the database once it is done."""

import time
from pathlib import Path

from django.utils.dateparse import parse_datetime

from tips.services import tip_purge
from traceobject import tasks


@tasks.task(name="tests.blocking_purge")
def blocking_purge(*, started: str, release: str, now: str) -> None:
    Path(started).touch()
    deadline = time.monotonic() + 60
    while not Path(release).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never released the task")
        time.sleep(0.05)
    tip_purge(now=parse_datetime(now))
