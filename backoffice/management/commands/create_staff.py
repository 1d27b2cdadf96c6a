from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from backoffice.roles import CONTACT_PERMISSION, ROLE_NAMES
from backoffice.services import setup_link_url, staff_setup_link_issue
from traceobject.audit import Action, audit_record


class Command(BaseCommand):
    help = (
        "Create a staff account with a role and print a one-time setup link (password, then "
        "the second factor)."
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
        try:
            validate_email(email)
        except Exception:
            raise CommandError(f"{email!r} is not an email address") from None
        User = get_user_model()
        if User.objects.filter(username=email).exists():
            raise CommandError(f"{email} already has an account")
        with transaction.atomic():
            user = User.objects.create_user(username=email, email=email, is_staff=True)
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=ROLE_NAMES[role]))
            if contact_access:
                app_label, codename = CONTACT_PERMISSION.split(".")
                user.user_permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            audit_record(
                action=Action.STAFF_CREATED, actor_name="create_staff", target=user,
                role=role, contact_access=contact_access,
            )  # fmt: skip
            token = staff_setup_link_issue(user=user, actor_name="create_staff")
        link = setup_link_url(token, base_url)
        hours = settings.STAFF_SETUP_LINK_SECONDS // 3600
        self.stdout.write(
            f"Created {email} ({ROLE_NAMES[role]}). One-time setup link, valid {hours} h:\n"
            f"  {link}\n"
        )
