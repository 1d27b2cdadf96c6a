"""Production checks, run by `manage.py check --deploy` and by gunicorn before it serves."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.checks.security import sessions as django_sessions


def _comes_before(first: str, second: str) -> bool:
    middleware = list(settings.MIDDLEWARE)
    return first in middleware and second in middleware[middleware.index(first) :]


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    errors = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        errors.append(
            Error(
                "Production needs PostgreSQL: set DATABASE_URL=postgres://...",
                hint="SQLite is for one-machine development and demos only.",
                id="traceobject.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS is empty: set it to the site's host names.",
                id="traceobject.E002",
            )
        )
    if not _comes_before(
        "traceobject.csrf.NullOriginMiddleware", "django.middleware.csrf.CsrfViewMiddleware"
    ):
        errors.append(
            Error(
                "traceobject.csrf.NullOriginMiddleware must be in MIDDLEWARE before "
                "django.middleware.csrf.CsrfViewMiddleware.",
                hint="Without it, browsers under Referrer-Policy: no-referrer cannot send a form.",
                id="traceobject.E004",
            )
        )
    if settings.DEBUG:
        errors.append(Error("DEBUG must be off in production.", id="traceobject.E003"))
    return errors


@register(Tags.security, deploy=True)
def staff_session_cookie(app_configs, **kwargs):
    """Django's session-cookie checks (W012 Secure, W013 HttpOnly) look for its own
    SessionMiddleware by name; sessions here run through a subclass
    (traceobject.middleware.StaffOnlySessionMiddleware), so the same checks are made here."""
    if "traceobject.middleware.StaffOnlySessionMiddleware" not in settings.MIDDLEWARE:
        return []
    warnings = []
    if not settings.SESSION_COOKIE_SECURE:
        warnings.append(django_sessions.W012)
    if not settings.SESSION_COOKIE_HTTPONLY:
        warnings.append(django_sessions.W013)
    return warnings


@register(Tags.security, deploy=True)
def operator_settings(app_configs, **kwargs):
    """A public site that does not say who runs it reads as a demo, or as a fake."""
    warnings = []
    if not settings.OPERATOR_NAME.strip():
        warnings.append(
            Warning(
                "OPERATOR_NAME is not set: no page says who runs this site.",
                hint="Set OPERATOR_NAME, OPERATOR_CONTACT_EMAIL and OPERATOR_LOGO, and write "
                "the legal notice and accessibility statement in the back-office (Site pages).",
                id="traceobject.W001",
            )
        )
    if not settings.OPERATOR_CONTACT_EMAIL.strip():
        warnings.append(
            Warning(
                "OPERATOR_CONTACT_EMAIL is not set: the footer gives no way to reach the operator.",
                id="traceobject.W002",
            )
        )
    return warnings
