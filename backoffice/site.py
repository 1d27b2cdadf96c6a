"""The back-office: Django's admin site that needs a password *and* a second factor."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from backoffice.views import StaffPasswordChangeView, login_view, logout_view
from tips.selectors import desk_summary
from traceobject.staff import is_verified_staff, needs_second_factor, otp_step_url


class BackofficeSite(admin.AdminSite):
    """Every admin registered here inherits traceobject.admin.BackofficeModelAdmin (the lookup
    allow-list and a 404 for a missing object); the system check backoffice.E002 refuses any
    other."""

    site_header = _("Trace an Object — back-office")
    site_title = _("Trace an Object")
    index_title = _("Back-office")

    def has_permission(self, request):
        return is_verified_staff(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def wrapper(request, *args, **kwargs):
            # Password given, second factor not yet: straight to the OTP step.
            if needs_second_factor(request.user):
                return redirect(otp_step_url())
            return inner(request, *args, **kwargs)

        return wrapper

    index_template = "backoffice/desk.html"

    def index(self, request, extra_context=None):
        """The investigators' front page: new tips waiting, the objects with most of them and
        their top leads, links to the queue; the admin's app list below it."""
        extra = dict(extra_context or {})
        if request.user.has_perm("tips.change_tip"):
            extra["desk"] = desk_summary()
        return super().index(request, extra)

    def login(self, request, extra_context=None):
        return login_view(request, site=self)

    def logout(self, request, extra_context=None):
        """The admin's own "Log out" button: the same audited, POST-only logout as ours."""
        return logout_view(request)

    def password_change(self, request, extra_context=None):
        """Django's view, except that the person is logged out afterwards (every session of
        theirs ends with the old password; backoffice.views.StaffPasswordChangeView)."""
        request.current_app = self.name
        return StaffPasswordChangeView.as_view(
            form_class=AdminPasswordChangeForm,
            success_url=reverse("admin:login", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )(request)
