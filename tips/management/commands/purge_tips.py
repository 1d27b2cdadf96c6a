from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from tips import services


class Command(BaseCommand):
    help = (
        "Retention (run daily): delete spam and not-useful tips older than "
        "PURGE_REJECTED_TIPS_DAYS with their photos and messages; erase contact details and "
        "photos of tips closed more than ERASE_CLOSED_CONTACT_DAYS ago. Recorded in the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Pretend it is this ISO time (for tests and dry runs).")

    def handle(self, *args, now=None, **opts):
        moment = None
        if now:
            moment = parse_datetime(now)
            if moment is None:
                raise CommandError(f"--now {now!r} is not an ISO date and time")
        result = services.tip_purge(now=moment)
        self.stdout.write(
            f"purge_tips: deleted {result.deleted_tips} tips ({result.deleted_messages} messages, "
            f"{result.deleted_photos} photos removed), erased contact details of "
            f"{result.erased_contacts} closed tips"
        )
