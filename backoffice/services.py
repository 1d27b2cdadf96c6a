"""Writes on staff accounts: creating one, its role and contact access, deactivating it, one-time
setup links, resetting a second factor, password changes. Nothing else changes a staff account:
the back-office's account page has no editable field, only small forms that post to one view per
action (backoffice/views.py), each calling one function here.

Every function that acts for a person (`by`) first checks that they may (`staff_may_manage`):
- nobody grants more than they hold: a role only if every permission of the role is among the
  actor's own, contact access only if the actor has it;
- nobody acts on an account that holds a permission the actor lacks, so a non-superuser never
  acts on a superuser;
- nobody changes their own role, access or activation;
- nothing here makes a superuser, sets is_staff or grants a user-level permission other than
  contact access: superusers are made on the server (`manage.py createsuperuser`).
A refusal is a StaffChangeRefused (a PermissionDenied: a 403 with its reason). `by=None` is the
operator at a shell on the server (`create_staff`, `reset_staff_2fa`), trusted with everything.
Every change writes one audit row naming the actor, the account and what changed.

How a staff session ends: Django keeps an HMAC of the password hash in every session
(`get_session_auth_hash`) and drops a session whose HMAC no longer matches on its next request.
So anything that changes the password — a new password, or an unusable one — ends every session
of that account, on every node, whatever the session backend. Nothing here calls
`update_session_auth_hash`, which would keep the current session alive.
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.models import SetupLink
from backoffice.roles import CONTACT_PERMISSION, ROLES
from traceobject.audit import Action, audit_record

# Set in the session by a setup link; only such a session may enrol a new second factor.
SETUP_SESSION_KEY = "backoffice_setup_link"


class StaffChangeRefused(PermissionDenied):
    """The actor may not make this change; the message says why (shown on the 403 page)."""


def staff_permissions(user: User) -> set[str]:
    """Every permission an account holds ("app_label.codename"), through its groups or its own.

    Read from the database each time (not Django's per-instance cache, which goes stale when a
    role changes in the same request), and whether or not the account is active: a deactivated
    supervisor still holds a supervisor's role for the purpose of who may reactivate them.
    """
    perms = Permission.objects.all()
    if not user.is_superuser:
        perms = perms.filter(Q(group__user=user.pk) | Q(user=user.pk))
    return {
        f"{app}.{codename}"
        for app, codename in perms.values_list("content_type__app_label", "codename").distinct()
    }


def staff_has_contact_access(user: User) -> bool:
    return CONTACT_PERMISSION in staff_permissions(user)


def staff_roles(user: User) -> list[str]:
    """The account's roles (group names), normally one."""
    return sorted(user.groups.values_list("name", flat=True))


def staff_may_manage(
    *,
    by: User,
    user: User,
    grant: Iterable[str] = (),
    own: bool = False,
) -> None:
    """Raise StaffChangeRefused unless `by` may act on `user`, giving them the `grant` permissions.

    `own=True` for the actions a person may take on their own account (a new setup link, a reset
    of their own second factor, a new password), never for a role, access or activation.
    """
    if user.pk == by.pk and not own:
        raise StaffChangeRefused(_("Nobody may change their own role, access or account."))
    if user.is_superuser and not by.is_superuser:
        raise StaffChangeRefused(_("Only a superuser may act on a superuser's account."))
    held = staff_permissions(by)
    _refuse_more_than_held(grant=grant, held=held)
    if missing := staff_permissions(user) - held:
        raise StaffChangeRefused(
            _("%(name)s holds permissions you do not: %(perms)s")
            % {"name": user.get_username(), "perms": ", ".join(sorted(missing))}
        )


def _refuse_more_than_held(*, grant: Iterable[str], held: set[str]) -> None:
    if missing := set(grant) - held:
        raise StaffChangeRefused(
            _("You cannot grant permissions you do not hold: %(perms)s")
            % {"perms": ", ".join(sorted(missing))}
        )


def staff_grantable_roles(*, by: User | None) -> list[str]:
    """The roles `by` may give: those whose every permission they hold (all, for the operator)."""
    held = None if by is None else staff_permissions(by)
    return [name for name, perms in ROLES.items() if held is None or set(perms) <= held]


def _role_group(role: str) -> Group:
    if role not in ROLES:
        raise ValidationError(_("%(role)s is not a role.") % {"role": role}, code="role")
    return Group.objects.get(name=role)


def _contact_permission() -> Permission:
    app_label, codename = CONTACT_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def staff_create(
    *,
    email: str,
    role: str,
    contact_access: bool = False,
    by: User | None,
    actor_name: str = "",
) -> tuple[User, str]:
    """A new staff account (username = email address) with one role, and its setup link token.

    The account has no usable password and no second factor: the person sets both through the
    one-time link (returned once, stored only hashed). Never a superuser. Raises ValidationError
    for a bad address or one that has an account already (whatever the case of its letters),
    StaffChangeRefused for a role or access `by` does not hold.
    """
    User = get_user_model()
    email = User.normalize_username(email.strip())
    validate_email(email)
    group = _role_group(role)
    if by is not None:
        grant = set(ROLES[role]) | ({CONTACT_PERMISSION} if contact_access else set())
        _refuse_more_than_held(grant=grant, held=staff_permissions(by))
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError(
            _("%(email)s already has an account.") % {"email": email}, code="exists"
        )
    # No password given: create_user stores an unusable one.
    user = User.objects.create_user(username=email, email=email, is_staff=True)
    user.groups.add(group)
    if contact_access:
        user.user_permissions.add(_contact_permission())
    audit_record(
        action=Action.STAFF_CREATED,
        user=by,
        actor_name=actor_name,
        target=user,
        role=role,
        contact_access=contact_access,
    )
    token = staff_setup_link_issue(user=user, by=by, actor_name=actor_name)
    return user, token


@transaction.atomic
def staff_role_change(*, user: User, role: str, by: User) -> bool:
    """Give the account exactly one role, instead of the ones it had; False if it had just that."""
    group = _role_group(role)
    staff_may_manage(by=by, user=user, grant=ROLES[role])
    old = staff_roles(user)
    if old == [role]:
        return False
    user.groups.set([group])
    audit_record(action=Action.STAFF_ROLE, user=by, target=user, old=old, new=role)
    return True


@transaction.atomic
def staff_contact_access_grant(*, user: User, by: User) -> bool:
    """Let the account see tipsters' contact details and photos; False if it could already."""
    staff_may_manage(by=by, user=user, grant=[CONTACT_PERMISSION])
    if staff_has_contact_access(user):
        return False
    user.user_permissions.add(_contact_permission())
    audit_record(action=Action.CONTACT_GRANTED, user=by, target=user)
    return True


@transaction.atomic
def staff_contact_access_revoke(*, user: User, by: User) -> bool:
    """Take contact access away; False if the account did not have it on its own.

    Raises StaffChangeRefused when the access comes with the account's role (Supervisor): the
    role is changed instead.
    """
    staff_may_manage(by=by, user=user)
    permission = _contact_permission()
    if not user.user_permissions.filter(pk=permission.pk).exists():
        if staff_has_contact_access(user):
            raise StaffChangeRefused(
                _("Contact access comes with %(name)s's role; change the role instead.")
                % {"name": user.get_username()}
            )
        return False
    user.user_permissions.remove(permission)
    audit_record(action=Action.CONTACT_REVOKED, user=by, target=user)
    return True


@transaction.atomic
def staff_deactivate(*, user: User, by: User) -> bool:
    """Close an account without deleting it (the audit log keeps naming it); False if closed.

    An inactive account's sessions stop working at their next request (Django's ModelBackend
    refuses inactive users) and its unused setup links are deleted.
    """
    staff_may_manage(by=by, user=user)
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    links = SetupLink.objects.filter(user_id=user.pk, used_at__isnull=True).delete()[0]
    audit_record(action=Action.STAFF_DEACTIVATED, user=by, target=user, setup_links=links)
    return True


@transaction.atomic
def staff_reactivate(*, user: User, by: User) -> bool:
    """Open a deactivated account again, with its role, password and second factor as they were."""
    staff_may_manage(by=by, user=user)
    if user.is_active:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(action=Action.STAFF_REACTIVATED, user=by, target=user)
    return True


def setup_link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def setup_link_url(token: str, base_url: str) -> str:
    """The full setup link for a token, on the site at `base_url` (management commands)."""
    return base_url.rstrip("/") + reverse("backoffice:setup", args=[token])


@transaction.atomic
def staff_setup_link_issue(*, user: User, by: User | None = None, actor_name: str = "") -> str:
    """A new one-time setup link token for `user` (returned once, stored only hashed).

    Any earlier link of theirs that was not used yet stops working. The link sets a password and
    then asks for the existing second factor, or enrols one if the account has none.
    """
    if by is not None:
        staff_may_manage(by=by, user=user, own=True)
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
def staff_second_factor_reset(*, user: User, by: User | None = None, actor_name: str = "") -> str:
    """Take away an account's second factor (a lost or stolen phone) and return a new setup link.

    Deletes the TOTP devices and recovery codes and makes the password unusable, which ends all
    the account's sessions (see the module docstring). The person comes back only through the
    new link: a new password, then a new authenticator. Keeping the old password usable would
    let whoever has it enrol their own authenticator.
    """
    if by is not None:
        staff_may_manage(by=by, user=user, own=True)
    totp = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    static = StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(
        action=Action.OTP_RESET,
        user=by,
        actor_name=actor_name,
        target=user,
        totp_devices=totp,
        recovery_devices=static,
    )
    return staff_setup_link_issue(user=user, by=by, actor_name=actor_name)


def staff_password_changed(*, user: User, by: User) -> None:
    """Audit a password change made in the back-office (never the password itself)."""
    audit_record(action=Action.PASSWORD_CHANGED, user=by, target=user, own=user.pk == by.pk)
