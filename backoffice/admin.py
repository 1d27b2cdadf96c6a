from datetime import datetime, time

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.services import staff_password_changed
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
            ("objects.traceobject", _("Object")),
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
class AuditEntryAdmin(admin.ModelAdmin):
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


# Second-factor devices are not in the back-office: nobody needs to see them, and resetting a
# lost one is the supervisors' "reset second factor" button on the staff account
# (backoffice.views.staff_reset_second_factor).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, plus the supervisors' "new setup link" and "reset second factor"
    buttons, and a password change that never keeps a session alive."""

    change_form_template = "backoffice/user_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"can_manage_access": self.has_change_permission(request), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            staff_password_changed(user=user, by=request.user)
            if user.pk == request.user.pk:
                from backoffice.views import end_own_session_after_password_change

                # Django kept this session (update_session_auth_hash); end it after all.
                list(messages.get_messages(request))  # drop "changed successfully"
                return end_own_session_after_password_change(request)
        return response
