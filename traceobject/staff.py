"""The back-office's gate: a password *and* a second factor, then the permission.

Every back-office view goes through one of two gates, which check the same thing:
- admin views: `backoffice.site.BackofficeSite.has_permission` (staff, active, OTP-verified);
- every app's own staff views: `staff_view(permission)`, which stacks login, OTP, the
  permission and never_cache. It lives in the core so that objects/ and tips/ can guard their
  staff views without importing the back-office app above them; it names the login and OTP
  pages by URL name only.

A user who gave the right password but no second factor yet is sent to the OTP step (setup on
the first login, a code afterwards); nothing else in the back-office answers them.
"""

from functools import wraps

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache


def is_verified_staff(user) -> bool:
    """Logged in, active, staff, and verified by an OTP device in this session."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
    )


def needs_second_factor(user) -> bool:
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
            if needs_second_factor(user):
                return redirect(otp_step_url())
            if not is_verified_staff(user):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorator
