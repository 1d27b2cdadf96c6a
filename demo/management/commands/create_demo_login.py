import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.guard import refuse_in_production


class Command(BaseCommand):
    help = (
        "Development only: create or reset the demo staff user and print its new password, "
        "the key for an authenticator app and one recovery code."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, username, **opts):
        refuse_in_production("create_demo_login", "it prints a staff password")
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        # A fresh second factor every run: the authenticator key and a one-time recovery code.
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        static = StaticDevice.objects.create(user=user, name="demo recovery", confirmed=True)
        recovery = StaticToken.random_token()
        StaticToken.objects.create(device=static, token=recovery)
        self.stdout.write(
            "\n  Demo staff login (shown once, a new one on every `make run`):\n"
            "    http://127.0.0.1:8000/backoffice/\n"
            f"    user: {username}\n    password: {password}\n"
            f"    second factor: add this to an authenticator app: {device.config_url}\n"
            f"    or use this one-time recovery code: {recovery}\n"
        )
