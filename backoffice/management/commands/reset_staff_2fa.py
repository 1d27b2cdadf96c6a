from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backoffice.services import (
    setup_link_url,
    staff_second_factor_reset,
    staff_setup_link_issue,
)


class Command(BaseCommand):
    help = (
        "Reset a staff member's second factor (a lost or stolen phone): delete their "
        "authenticator and recovery codes, disable their password, end every session of theirs, "
        "and print a one-time setup link. With --link-only, only print a new setup link (a "
        "forgotten password, an expired link); the second factor stays."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's username (its email address).")
        parser.add_argument(
            "--link-only",
            action="store_true",
            help="Only replace the setup link; keep the second factor and the password.",
        )
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="Site URL the link starts with."
        )

    def handle(self, *args, email, link_only, base_url, **opts):
        user = get_user_model().objects.filter(username=email).first()
        if user is None:
            raise CommandError(f"{email} has no account")
        if link_only:
            token = staff_setup_link_issue(user=user, actor_name="reset_staff_2fa")
            done = "The second factor and the password are unchanged."
        else:
            token = staff_second_factor_reset(user=user, actor_name="reset_staff_2fa")
            done = (
                "Second factor and recovery codes deleted, password disabled, every session ended."
            )
        link = setup_link_url(token, base_url)
        hours = settings.STAFF_SETUP_LINK_SECONDS // 3600
        self.stdout.write(
            f"{email}: {done} One-time setup link, valid {hours} h (any earlier link no longer "
            f"works):\n  {link}\n"
        )
