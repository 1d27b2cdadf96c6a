from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from backoffice.roles import ROLE_NAMES
from backoffice.services import setup_link_url, staff_create


class Command(BaseCommand):
    help = (
        "Create a staff account with a role and print a one-time setup link (password, then "
        "the second factor). Never a superuser: that is `createsuperuser`."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
        parser.add_argument(
            "--contact-access",
            action="store_true",
            help="Also allow seeing tipsters' contact details and photos.",
        )
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="Site URL the link starts with."
        )

    def handle(self, *args, email, role, contact_access, base_url, **opts):
        # The operator at a shell on the server may give any role (by=None).
        try:
            user, token = staff_create(
                email=email,
                role=ROLE_NAMES[role],
                contact_access=contact_access,
                by=None,
                actor_name="create_staff",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        link = setup_link_url(token, base_url)
        hours = settings.STAFF_SETUP_LINK_SECONDS // 3600
        self.stdout.write(
            f"Created {user.get_username()} ({ROLE_NAMES[role]}). One-time setup link, valid "
            f"{hours} h:\n  {link}\n"
        )
