"""Staff login in two steps (password, then a second factor), first-login setup, logout,
password changes, and the supervisors' staff-account actions: add an account, change its role,
grant or revoke contact access, deactivate or reactivate it, a new setup link, reset its second
factor. Each action is one small POST view calling one service in backoffice.services, which
refuses what the person may not do (StaffChangeRefused: a 403 page saying why, and an audit row).

Django's login() gives a new session id; the OTP step cycles it again when the second factor
is verified. Every attempt is in the audit log, never with the password. A second factor is
enrolled only in a session opened by a one-time setup link, so a password alone never lets
anyone attach their own authenticator to an account that has none (a new one, or one whose
second factor a supervisor has just reset).
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.forms import StaffCreateForm, StaffRoleForm
from backoffice.models import SetupLink
from backoffice.services import (
    SETUP_SESSION_KEY,
    StaffChangeRefused,
    setup_link_token_hash,
    staff_contact_access_grant,
    staff_contact_access_revoke,
    staff_create,
    staff_deactivate,
    staff_password_changed,
    staff_reactivate,
    staff_role_change,
    staff_second_factor_reset,
    staff_setup_link_issue,
)
from backoffice.throttle import account_name, login_attempt_allowed, username_hash
from traceobject.audit import Action, audit_record
from traceobject.staff import is_verified_staff, staff_view
from traceobject.text import has_control_characters


class StaffLoginForm(AuthenticationForm):
    """Username and password; a password over PASSWORD_MAX_LENGTH fails before any hashing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].validators.append(MaxLengthValidator(settings.PASSWORD_MAX_LENGTH))

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class OTPForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if has_control_characters(target):
        return reverse("admin:index")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("admin:index")


def _context(request, **extra):
    return {**admin.site.each_context(request), "next": _next_url(request), **extra}


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request, site=None):
    if is_verified_staff(request.user):
        return redirect(_next_url(request))
    form = StaffLoginForm(request, data=request.POST if request.method == "POST" else None)
    throttled = False
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        if not login_attempt_allowed(username):
            throttled = True
            audit_record(action=Action.LOGIN_THROTTLED, actor_name=_audit_name(username))
        elif form.is_valid():
            user = form.get_user()
            auth_login(request, user)  # a new session id
            audit_record(action=Action.LOGIN, user=user, step="password")
            return redirect(f"{reverse('backoffice:otp')}?next={_next_url(request)}")
        else:
            audit_record(action=Action.LOGIN_FAILED, actor_name=_audit_name(username))
    context = _context(request, form=form, throttled=throttled, title=_("Log in"))
    return render(request, "backoffice/login.html", context, status=429 if throttled else 200)


def _audit_name(username: str) -> str:
    """The account a typed username resolves to (in the throttle's normal form), for the audit
    log; a keyed hash of what was typed when it names no account.

    A name with a control character is no account's (the form refuses it) and could not even be
    looked up: PostgreSQL refuses NUL in text.
    """
    if has_control_characters(username):
        return f"unknown:{username_hash(username)}"
    found = (
        get_user_model()
        .objects.filter(username__iexact=account_name(username))
        .values_list("username", flat=True)
        .first()
    )
    return found if found is not None else f"unknown:{username_hash(username)}"


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _staff_only(request):
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect(f"{reverse('admin:login')}?next={_next_url(request)}")
    return None


@sensitive_post_parameters("token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def otp_view(request):
    """The second step: a code (or recovery code); on the first login, the TOTP setup."""
    if (refusal := _staff_only(request)) is not None:
        return refusal
    if is_verified_staff(request.user):
        return redirect(_next_url(request))
    user = request.user
    if not user_has_device(user, confirmed=True):
        if not request.session.get(SETUP_SESSION_KEY):
            if request.method == "POST":
                audit_record(action=Action.OTP_FAILED, user=user, step="no_device")
            context = _context(request, title=_("No second factor"))
            return render(request, "backoffice/no_second_factor.html", context, status=403)
        return _otp_setup(request)
    form = OTPForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = match_token(user, form.cleaned_data["token"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            request.session.pop(SETUP_SESSION_KEY, None)
            request.session.cycle_key()
            audit_record(action=Action.LOGIN, user=user, step="otp")
            return redirect(_next_url(request))
        audit_record(action=Action.OTP_FAILED, user=user)
        form.add_error("token", _("That code is not valid (or was already used)."))
    return render(request, "backoffice/otp.html", _context(request, form=form, title=_("Code")))


def _otp_setup(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = OTPForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            codes = _confirm_setup(user=user, device=device)
            otp_login(request, device)
            request.session.pop(SETUP_SESSION_KEY, None)
            request.session.cycle_key()
            audit_record(action=Action.OTP_SETUP, user=user)
            context = _context(request, codes=codes, title=_("Recovery codes"))
            return render(request, "backoffice/recovery_codes.html", context)
        audit_record(action=Action.OTP_FAILED, user=user, step="setup")
        form.add_error("token", _("That code is not valid. Check the clock on your phone."))
    secret = base64.b32encode(device.bin_key).decode()
    context = _context(
        request,
        form=form,
        qr=_qr_data_uri(device.config_url),
        secret=secret,
        title=_("Set up your second factor"),
    )
    return render(request, "backoffice/otp_setup.html", context)


@transaction.atomic
def _confirm_setup(*, user, device: TOTPDevice) -> list[str]:
    """Confirm the TOTP device and make fresh recovery codes (shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.STAFF_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@require_POST
@csrf_protect
@never_cache
def logout_view(request):
    if request.user.is_authenticated:
        audit_record(action=Action.LOGOUT, user=request.user)
    auth_logout(request)
    return redirect("admin:login")


@sensitive_post_parameters("new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def setup_view(request, token: str):
    """A one-time link (`create_staff`, a supervisor's "new setup link" or "reset second factor"):
    choose a password, then set up the second factor (or give a code, if the account has one)."""
    link = (
        SetupLink.objects.select_related("user")
        .filter(
            token_hash=setup_link_token_hash(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if link is None:
        raise Http404(_("This setup link is not valid any more."))
    form = SetPasswordForm(link.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        with transaction.atomic():
            user = form.save()
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        # Only this session may enrol a second factor (otp_view).
        request.session[SETUP_SESSION_KEY] = True
        audit_record(action=Action.LOGIN, user=user, step="setup_link")
        return redirect("backoffice:otp")
    context = _context(request, form=form, title=_("Choose your password"), staff=link.user)
    return render(request, "backoffice/setup.html", context)


def end_own_session_after_password_change(request):
    """Log the person out after they changed their own password, with a message saying why.

    Every other session of theirs has already ended (the password hash changed); this one ends
    too, second factor and all, so a stolen session cookie dies with the old password.
    """
    auth_logout(request)
    messages.success(
        request,
        _(
            "Your password has been changed and every session of your account has ended. Log in "
            "again with the new password."
        ),
    )
    return redirect("admin:login")


class StaffPasswordChangeView(PasswordChangeView):
    """The admin's "change password", without Django's update_session_auth_hash."""

    def form_valid(self, form):
        user = form.save()
        staff_password_changed(user=user, by=user)
        return end_own_session_after_password_change(self.request)


STAFF_ADMIN = "auth.change_user"


def _account_to_manage(request, pk: int):
    """The staff account a supervisor acts on (the services decide whether they may)."""
    return get_object_or_404(get_user_model(), pk=pk, is_staff=True)


def _account_page(staff) -> str:
    return reverse("admin:auth_user_change", args=[staff.pk])


def refused_page(request, *, staff, what: str, reason: str, status: int = 403):
    """The page for a refused staff-account change: why, and a way back. A refusal (403) is
    audited: an attempt to give more than one holds is worth a supervisor's attention."""
    if status == 403:
        target = {"target": staff} if staff is not None else {"target_type": "auth.user"}
        audit_record(
            action=Action.STAFF_REFUSED, user=request.user, what=what, reason=reason, **target
        )
    back = _account_page(staff) if staff is not None else reverse("admin:auth_user_changelist")
    context = _context(request, title=_("Not changed"), reason=reason, back=back)
    return render(request, "backoffice/staff_refused.html", context, status=status)


def _change(request, pk: int, *, what: str, service, done: str, same: str, **kwargs):
    """Run one staff-account service on account `pk` and go back to its page with a message."""
    staff = _account_to_manage(request, pk)
    try:
        changed = service(user=staff, by=request.user, **kwargs)
    except StaffChangeRefused as exc:
        return refused_page(request, staff=staff, what=what, reason=str(exc))
    name = {"name": staff.get_username(), **{key: str(value) for key, value in kwargs.items()}}
    if changed:
        messages.success(request, done % name)
    else:
        messages.info(request, same % name)
    return redirect(_account_page(staff))


@sensitive_post_parameters("email")
@staff_view(("auth.add_user", STAFF_ADMIN))
@require_http_methods(["GET", "HEAD", "POST"])
def staff_add(request):
    """A new staff account with one role; its one-time setup link is shown once."""
    form = StaffCreateForm(request.POST if request.method == "POST" else None, by=request.user)
    if form.is_valid():
        try:
            staff, token = staff_create(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                contact_access=form.cleaned_data["contact_access"],
                by=request.user,
            )
        except StaffChangeRefused as exc:
            return refused_page(request, staff=None, what="create", reason=str(exc))
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            title = _("Account created for %(name)s") % {"name": staff.get_username()}
            return _link_page(request, staff=staff, token=token, title=title, reset=False)
    context = _context(request, form=form, title=_("Add a staff account"))
    return render(request, "backoffice/staff_add.html", context)


@staff_view(STAFF_ADMIN)
@require_POST
def staff_role(request, pk: int):
    """Give the account exactly one role (Editor, Investigator, Supervisor)."""
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        staff = _account_to_manage(request, pk)
        return refused_page(
            request, staff=staff, what="role", status=400, reason=_("Choose one of the roles.")
        )
    return _change(
        request,
        pk,
        what="role",
        service=staff_role_change,
        role=form.cleaned_data["role"],
        done=_("%(name)s now has the role %(role)s."),
        same=_("%(name)s already had that role."),
    )


@staff_view(STAFF_ADMIN)
@require_POST
def staff_contact_grant(request, pk: int):
    return _change(
        request,
        pk,
        what="contact_grant",
        service=staff_contact_access_grant,
        done=_("%(name)s may now see tipsters' contact details and photos."),
        same=_("%(name)s could already see contact details."),
    )


@staff_view(STAFF_ADMIN)
@require_POST
def staff_contact_revoke(request, pk: int):
    return _change(
        request,
        pk,
        what="contact_revoke",
        service=staff_contact_access_revoke,
        done=_("%(name)s may no longer see tipsters' contact details and photos."),
        same=_("%(name)s could not see contact details."),
    )


@staff_view(STAFF_ADMIN)
@require_POST
def staff_deactivate_view(request, pk: int):
    """Close the account: it cannot log in, its sessions stop; nothing of it is deleted."""
    return _change(
        request,
        pk,
        what="deactivate",
        service=staff_deactivate,
        done=_("%(name)s is deactivated: the account can no longer log in."),
        same=_("%(name)s was already deactivated."),
    )


@staff_view(STAFF_ADMIN)
@require_POST
def staff_reactivate_view(request, pk: int):
    return _change(
        request,
        pk,
        what="reactivate",
        service=staff_reactivate,
        done=_("%(name)s is active again."),
        same=_("%(name)s was already active."),
    )


def _link_page(request, *, staff, token: str, title: str, reset: bool):
    link = request.build_absolute_uri(reverse("backoffice:setup", args=[token]))
    hours = settings.STAFF_SETUP_LINK_SECONDS // 3600
    context = _context(request, title=title, staff=staff, link=link, hours=hours, reset=reset)
    return render(request, "backoffice/staff_link.html", context)


@staff_view(STAFF_ADMIN)
@require_POST
def staff_setup_link(request, pk: int):
    """A supervisor's "send a new setup link": shown once on this page, never stored in clear;
    the account's earlier unused link stops working."""
    staff = _account_to_manage(request, pk)
    try:
        token = staff_setup_link_issue(user=staff, by=request.user)
    except StaffChangeRefused as exc:
        return refused_page(request, staff=staff, what="setup_link", reason=str(exc))
    title = _("New setup link for %(name)s") % {"name": staff.get_username()}
    return _link_page(request, staff=staff, token=token, title=title, reset=False)


@staff_view(STAFF_ADMIN)
@require_POST
def staff_reset_second_factor(request, pk: int):
    """A supervisor's "reset second factor": devices and recovery codes deleted, password made
    unusable (every session of the account ends), a new setup link shown once."""
    staff = _account_to_manage(request, pk)
    try:
        token = staff_second_factor_reset(user=staff, by=request.user)
    except StaffChangeRefused as exc:
        return refused_page(request, staff=staff, what="reset_2fa", reason=str(exc))
    if staff.pk == request.user.pk:
        auth_logout(request)  # their own sessions ended with the password anyway
    title = _("Second factor of %(name)s reset") % {"name": staff.get_username()}
    return _link_page(request, staff=staff, token=token, title=title, reset=True)
