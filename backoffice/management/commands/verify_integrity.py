from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from backoffice.integrity import verify


class Command(BaseCommand):
    help = (
        "Check that a deployment is whole, typically after a restore: every file a row names "
        "is in its storage (originals, previews, published derivatives, tip photos), every "
        "encrypted value decrypts with TIP_ENCRYPTION_KEYS, the audit log's triggers are in "
        "place (PostgreSQL), and each published derivative answers at the public media URL. "
        "Prints one line per problem and a summary; exits 1 if there is any problem. Writes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-http",
            action="store_true",
            help="Do not fetch published derivatives over HTTP (storage is still checked).",
        )

    def handle(self, *args, **opts):
        try:
            report = verify(
                http=not opts["no_http"],
                progress=lambda line: self.stderr.write(f"  {line}"),
            )
        except DatabaseError as exc:
            # An empty or half-restored database: say so, not a traceback.
            raise CommandError(
                f"cannot read the database ({exc}); is it restored and migrated?"
            ) from exc
        for problem in report.problems:
            self.stdout.write(f"problem: {problem}")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        self.stdout.write(report.summary())
        if report.problems:
            raise CommandError(f"{len(report.problems)} problems: the deployment is not whole.")
