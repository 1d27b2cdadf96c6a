from datetime import datetime, time

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.roles import CONTACT_PERMISSION, ROLES
from backoffice.services import (
    StaffChangeRefused,
    staff_grantable_roles,
    staff_has_contact_access,
    staff_may_manage,
    staff_password_changed,
    staff_roles,
)
from backoffice.views import end_own_session_after_password_change, refused_page
from traceobject.admin import BackofficeModelAdmin
from traceobject.models import AuditEntry
from traceobject.paginator import CappedCountPaginator


class ActorFilter(admin.SimpleListFilter):
    """Entries by one account. The choices are the staff accounts (a few dozen), never a
    SELECT DISTINCT over the log; failed logins with no account are found by the search."""

    title = _("who")
    parameter_name = "actor"
    MAX_CHOICES = 500

    def lookups(self, request, model_admin):
        users = get_user_model().objects.filter(is_staff=True).order_by("username")
        names = users.values_list("pk", "username")[: self.MAX_CHOICES]
        return [(str(pk), name) for pk, name in names]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            return queryset.none()  # no account has that id
        return queryset.filter(actor_id=int(value))  # index audit_actor_at_idx


class TargetTypeFilter(admin.SimpleListFilter):
    """The kinds of thing the log names, as fixed choices: no SELECT DISTINCT over the log."""

    title = _("target type")
    parameter_name = "target_type"

    def lookups(self, request, model_admin):
        return [
            ("tips.tip", _("Tip")),
            ("tips.tag", _("Tag")),
            ("objects.traceobject", _("Object")),
            ("objects.objectimage", _("Image")),
            ("objects.traceobjecttranslation", _("Translation")),
            ("objects.category", _("Category")),
            ("auth.user", _("Staff account")),
        ]

    def queryset(self, request, queryset):
        return queryset.filter(target_type=self.value()) if self.value() else queryset


class WhenFilter(admin.DateFieldListFilter):
    """Today, the past 7 days... and a range from/until (e.g. last night, 22:00 to 06:00).

    The range fields are the same `at__gte` / `at__lt` parameters the links use; a date or
    date-and-time typed without a zone is read in the site's time zone. A bound that is no date
    (2026-02-30, "yesterday") is left out of the filter, with a message saying so, and stays in
    its field as typed.
    """

    template = "backoffice/audit_when_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.typed = {}
        for key in (f"{field_path}__gte", f"{field_path}__lt"):
            if params.get(key):
                self.typed[key] = params[key][-1]
                moment = self._aware(params[key][-1])
                if moment is None:
                    del params[key]
                    message = gettext("“%(value)s” is not a date: that bound is not applied.")
                    messages.warning(request, message % {"value": self.typed[key][:40]})
                else:
                    params[key] = [moment]
        # The other filters of the page, carried by the range form.
        self.other_params = [
            (key, value)
            for key, values in request.GET.lists()
            if not key.startswith(f"{field_path}__") and key != "p"
            for value in values
        ]
        super().__init__(field, request, params, model, model_admin, field_path)

    @staticmethod
    def _aware(value: str) -> str | None:
        """The bound as an ISO date-time with its zone, or None if it is no date at all."""
        try:
            moment = parse_datetime(value.strip())
            if moment is None and (day := parse_date(value.strip())) is not None:
                moment = datetime.combine(day, time.min)
            if moment is not None and timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        except (ValueError, OverflowError):  # well formed but impossible: 2026-02-30, 24:00
            return None
        return moment.isoformat() if moment is not None else None

    def field_values(self):
        return {
            "since": self.typed.get(self.lookup_kwarg_since, "")[:16],
            "until": self.typed.get(self.lookup_kwarg_until, "")[:16],
        }


@admin.register(AuditEntry)
class AuditEntryAdmin(BackofficeModelAdmin):
    """Read-only: supervisors read and filter the log; nobody edits or deletes a line.

    "What did this account do last night?": filter by who, by a from/until range and by action.
    """

    list_display = ["at", "actor_name", "action", "target_type", "target_id", "detail"]
    list_filter = [ActorFilter, "action", TargetTypeFilter, ("at", WhenFilter)]
    search_fields = ["actor_name", "=target_id"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Second-factor devices are not in the back-office: nobody needs to see them (a device list
# would show whose authenticator is what, and its lookups could read a key back), and a lost one
# is reset by the supervisors' audited "reset second factor" button on the staff account
# (backoffice.services.staff_second_factor_reset).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)

User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(BackofficeModelAdmin, GroupAdmin):
    """The roles, read-only for everyone. Their permissions are code (backoffice/roles.py), set
    by the migrations (roles_sync), so they change only through a reviewed commit; which role an
    account has changes on the account's page (backoffice.services.staff_role_change)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class StaffAccountAdmin(BackofficeModelAdmin):
    """Staff accounts. The change page edits nothing: no superuser flag, no permissions, no
    groups, no staff flag, no password hash. Its role, contact access, activation, setup link and
    second factor are small forms that post to one view each (backoffice/views.py), which call
    the services in backoffice/services.py; "add" is the staff_add view. Accounts are never
    deleted (the audit log names them); they are deactivated."""

    change_form_template = "backoffice/user_change_form.html"
    change_password_form = AdminPasswordChangeForm
    change_user_password_template = None
    list_display = [
        "username",
        "email",
        "role",
        "contact_access",
        "is_active",
        "is_superuser",
        "last_login",
    ]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "email", "first_name", "last_name"]
    ordering = ["username"]
    fields = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_superuser",
        "last_login",
        "date_joined",
    ]
    readonly_fields = fields

    def get_urls(self):
        # Django's own "set password" page for an account, guarded below.
        password = path(
            "<id>/password/",
            self.admin_site.admin_view(self.user_change_password),
            name="auth_user_password_change",
        )
        return [password, *super().get_urls()]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_staff=True).prefetch_related("groups")

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("role"))
    def role(self, staff):
        return ", ".join(sorted(group.name for group in staff.groups.all())) or "—"

    @admin.display(description=_("contact access"), boolean=True)
    def contact_access(self, staff):
        return staff_has_contact_access(staff)

    def add_view(self, request, form_url="", extra_context=None):
        """Accounts are added by the staff_add view (backoffice.services.staff_create)."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return redirect("backoffice:staff_add")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing is saved through this page: every change is its own POST view.
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        staff = self.get_object(request, unquote(object_id))
        extra = {
            "title": _("Staff account"),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
            "can_manage_access": self.has_change_permission(request, staff),
            **(extra_context or {}),
        }
        if staff is not None:
            extra.update(_account_context(request.user, staff))
        return super().change_view(request, object_id, form_url, extra)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and self.has_change_permission(request, user):
            try:
                staff_may_manage(by=request.user, user=user, own=True)
            except StaffChangeRefused as exc:
                return refused_page(request, staff=user, what="password", reason=str(exc))
        response = UserAdmin.user_change_password(self, request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            staff_password_changed(user=user, by=request.user)
            if user.pk == request.user.pk:
                # Django kept this session (update_session_auth_hash); end it after all.
                list(messages.get_messages(request))  # drop "changed successfully"
                return end_own_session_after_password_change(request)
        return response


def _account_context(by, staff) -> dict:
    """What the account page shows: the role and access, and which changes the reader may make
    (the services check again on every POST)."""
    try:
        staff_may_manage(by=by, user=staff)
        manage_refused = ""
    except StaffChangeRefused as exc:
        manage_refused = str(exc)
    try:
        staff_may_manage(by=by, user=staff, own=True)
        links_refused = ""
    except StaffChangeRefused as exc:
        links_refused = str(exc)
    roles = staff_roles(staff)
    return {
        "staff_roles": roles,
        "grantable_roles": [r for r in staff_grantable_roles(by=by) if [r] != roles],
        "contact_access": staff_has_contact_access(staff),
        "contact_from_role": any(CONTACT_PERMISSION in ROLES.get(r, ()) for r in roles),
        "manage_refused": manage_refused,
        "links_refused": links_refused,
    }
