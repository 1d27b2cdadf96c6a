from django.core.management.base import BaseCommand, CommandError

from traceobject.tasks import queue_status


class Command(BaseCommand):
    help = (
        "The task queue: jobs waiting (due now), how long the oldest has waited, jobs scheduled "
        "for a retry, running and failed, and live workers. With --max-age, exits 1 when the "
        "oldest waiting job is older or no worker is alive while jobs wait (for a monitor)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, metavar="SECONDS")

    def handle(self, *args, max_age=None, **opts):
        if max_age is not None and max_age < 0:
            raise CommandError("--max-age must be 0 or more seconds")
        status = queue_status()
        if status.inline:
            self.stdout.write("tasks run inline after each commit (SQLite): no queue, no worker")
            return
        age = status.oldest_age_seconds
        self.stdout.write(
            f"waiting {status.waiting} (oldest {'-' if age is None else f'{age} s'}), "
            f"scheduled {status.scheduled}, running {status.running}, failed {status.failed}, "
            f"workers {status.workers}"
        )
        if max_age is None:
            return
        if age is not None and age > max_age:
            raise CommandError(f"the oldest waiting job has waited {age} s (over {max_age} s)")
        if status.waiting and not status.workers:
            raise CommandError("jobs wait and no worker is alive")
