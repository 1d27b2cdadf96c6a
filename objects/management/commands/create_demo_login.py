import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Development only: create or reset the demo staff user and print its new password."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, username, **opts):
        if not settings.DEBUG:
            raise CommandError("create_demo_login only runs with DEBUG=1 (it prints a password).")
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            "\n  Demo staff login (shown once, a new one on every `make run`):\n"
            "    http://127.0.0.1:8000/backoffice/\n"
            f"    user: {username}\n    password: {password}\n"
        )
