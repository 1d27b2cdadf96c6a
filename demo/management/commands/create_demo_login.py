import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.roles import ROLE_NAMES, roles_sync
from demo.guard import refuse_in_production

ROLES = ["investigator", "editor", "supervisor"]


class Command(BaseCommand):
    help = (
        "Development only: create or reset one demo staff login per role (investigator, editor, "
        "supervisor) and print each new password, the key for an authenticator app and one "
        "recovery code. --username makes a single superuser login instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="", help="One superuser login of this name.")

    def handle(self, *args, username, **opts):
        refuse_in_production("create_demo_login", "it prints a staff password")
        self.stdout.write(
            "\n  Demo staff logins (shown once, new ones on every `make run`):\n"
            "    http://127.0.0.1:8000/backoffice/\n"
        )
        if username:
            self._login(username, role=None)
            return
        roles_sync()
        for role in ROLES:
            self._login(f"demo-{role}", role=role)

    def _login(self, username: str, *, role: str | None) -> None:
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_superuser = role is None
        user.set_password(password)
        user.save()
        if role is not None:
            user.groups.set([Group.objects.get(name=ROLE_NAMES[role])])
        # A fresh second factor every run: the authenticator key and a one-time recovery code.
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        static = StaticDevice.objects.create(user=user, name="demo recovery", confirmed=True)
        recovery = StaticToken.random_token()
        StaticToken.objects.create(device=static, token=recovery)
        self.stdout.write(
            f"\n    {role or 'superuser'}:\n"
            f"      user: {username}\n      password: {password}\n"
            f"      second factor: add this to an authenticator app: {device.config_url}\n"
            f"      or use this one-time recovery code: {recovery}\n"
        )
