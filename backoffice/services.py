"""Writes on staff accounts: one-time setup links, resetting a second factor, password changes.

How a staff session ends: Django keeps an HMAC of the password hash in every session
(`get_session_auth_hash`) and drops a session whose HMAC no longer matches on its next request.
So anything that changes the password — a new password, or an unusable one — ends every session
of that account, on every node, whatever the session backend. Nothing here calls
`update_session_auth_hash`, which would keep the current session alive.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.models import SetupLink
from traceobject.audit import Action, audit_record

# Set in the session by a setup link; only such a session may enrol a new second factor.
SETUP_SESSION_KEY = "backoffice_setup_link"


def setup_link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def setup_link_url(token: str, base_url: str) -> str:
    """The full setup link for a token, on the site at `base_url` (management commands)."""
    return base_url.rstrip("/") + reverse("backoffice:setup", args=[token])


@transaction.atomic
def staff_setup_link_issue(
    *, user: AbstractBaseUser, by: AbstractBaseUser | None = None, actor_name: str = ""
) -> str:
    """A new one-time setup link token for `user` (returned once, stored only hashed).

    Any earlier link of theirs that was not used yet stops working. The link sets a password and
    then asks for the existing second factor, or enrols one if the account has none.
    """
    SetupLink.objects.filter(user=user, used_at__isnull=True).delete()
    token = secrets.token_urlsafe(32)
    SetupLink.objects.create(
        user=user,
        token_hash=setup_link_token_hash(token),
        expires_at=timezone.now() + timedelta(seconds=settings.STAFF_SETUP_LINK_SECONDS),
    )
    audit_record(action=Action.SETUP_LINK, user=by, actor_name=actor_name, target=user)
    return token


@transaction.atomic
def staff_second_factor_reset(
    *, user: AbstractBaseUser, by: AbstractBaseUser | None = None, actor_name: str = ""
) -> str:
    """Take away an account's second factor (a lost or stolen phone) and return a new setup link.

    Deletes the TOTP devices and recovery codes and makes the password unusable, which ends all
    the account's sessions (see the module docstring). The person comes back only through the
    new link: a new password, then a new authenticator. Keeping the old password usable would
    let whoever has it enrol their own authenticator.
    """
    totp = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    static = StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(
        action=Action.OTP_RESET, user=by, actor_name=actor_name, target=user,
        totp_devices=totp, recovery_devices=static,
    )  # fmt: skip
    return staff_setup_link_issue(user=user, by=by, actor_name=actor_name)


def staff_password_changed(*, user: AbstractBaseUser, by: AbstractBaseUser) -> None:
    """Audit a password change made in the back-office (never the password itself)."""
    audit_record(action=Action.PASSWORD_CHANGED, user=by, target=user, own=user.pk == by.pk)
