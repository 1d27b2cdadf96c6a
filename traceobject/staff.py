"""The back-office's door: Django's admin site that needs a password *and* a second factor.

Every back-office view goes through one of two gates, which check the same thing:
- admin views: `BackofficeSite.has_permission` (staff, active, OTP-verified);
- our own views: `staff_view(permission)`, which stacks login, OTP, the permission and never_cache.

A user who gave the right password but no second factor yet is sent to the OTP step (setup on
the first login, a code afterwards); nothing else in the back-office answers them.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache


def is_verified_staff(user) -> bool:
    """Logged in, active, staff, and verified by an OTP device in this session."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
    )


def _needs_second_factor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff) and not (
        is_verified_staff(user)
    )


def otp_step_url() -> str:
    return reverse("backoffice:otp")


def staff_view(permission: str | tuple[str, ...] | None = None):
    """Decorator for every staff view outside the admin: login, second factor, permission.

    Anonymous → the login page; password but no second factor → the OTP step; without the
    permission → 403 (raise_exception, so it never loops back to the login); never cached.
    """

    def decorator(view):
        guarded = view
        if permission:
            guarded = permission_required(permission, raise_exception=True)(guarded)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if _needs_second_factor(user):
                return redirect(otp_step_url())
            if not is_verified_staff(user):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorator


class BackofficeSite(admin.AdminSite):
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
            if _needs_second_factor(request.user):
                return redirect(otp_step_url())
            return inner(request, *args, **kwargs)

        return wrapper

    def login(self, request, extra_context=None):
        from backoffice.views import login_view

        return login_view(request, site=self)

    def password_change(self, request, extra_context=None):
        """Django's view, except that the person is logged out afterwards (every session of
        theirs ends with the old password; backoffice.views.StaffPasswordChangeView)."""
        from django.contrib.admin.forms import AdminPasswordChangeForm

        from backoffice.views import StaffPasswordChangeView

        request.current_app = self.name
        return StaffPasswordChangeView.as_view(
            form_class=AdminPasswordChangeForm,
            success_url=reverse("admin:login", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )(request)
