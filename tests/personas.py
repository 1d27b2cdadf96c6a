"""The people every test talks about (healthchecks' hc/test.py habit): one helper each.

Staff personas have a confirmed TOTP device; `login_verified(client, user)` logs a test client in
*and* verifies the second factor, the state a real login reaches after the OTP step.
`login_password_only` stops after the password, before the second factor.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.roles import CONTACT_PERMISSION, EDITOR, INVESTIGATOR, SUPERVISOR, roles_sync

PASSWORD = "correct horse battery staple 42"


def _user(username: str, *, groups=(), perms=(), is_staff=True, otp=True):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD, is_staff=is_staff
    )
    for name in groups:
        user.groups.add(_group(name))
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    if otp:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def _group(name: str) -> Group:
    # The data migration made the groups; a transactional test may have flushed them since.
    if not Group.objects.filter(name=name).exists():
        roles_sync()
    return Group.objects.get(name=name)


def make_editor():
    return _user("editor", groups=[EDITOR])


def make_investigator():
    return _user("investigator", groups=[INVESTIGATOR])


def make_investigator_with_contact():
    return _user("investigator2", groups=[INVESTIGATOR], perms=[CONTACT_PERMISSION])


def make_supervisor():
    return _user("supervisor", groups=[SUPERVISOR])


def make_staff_without_permission():
    return _user("nobody", groups=[])


def make_staff(username: str, *, groups=(), perms=()):
    """A verified-able staff account with the given roles and user-level permissions."""
    return _user(username, groups=groups, perms=perms)


def make_staff_without_2fa():
    """Staff with a password only: the first login leads to the second-factor setup."""
    return _user("newcomer", groups=[INVESTIGATOR], otp=False)


def totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def totp_code(device: TOTPDevice, *, step_offset: int = 0) -> str:
    """The code an authenticator app shows now (or `step_offset` 30-second steps away)."""
    import time

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + step_offset * device.step
    return f"{totp.token():0{device.digits}d}"


def login_password_only(client, user):
    client.force_login(user)
    return client


def login_verified(client, user):
    """Logged in and verified by the user's TOTP device, as after a full two-step login."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client


def login_superuser_supervisor(client):
    """A Supervisor who is also a superuser, second factor verified: every admin list is open.
    The user is on `client.user`."""
    user = make_supervisor()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    login_verified(client, user)
    client.user = user
    return client
