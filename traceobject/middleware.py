import re
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.signals import request_finished
from django.utils.cache import patch_cache_control

from traceobject.logging import request_id_var


def _media_origin() -> str:
    """The origin of MEDIA_URL when public media lives elsewhere (a CDN or S3), else ''."""
    parts = urlsplit(settings.MEDIA_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class SecurityHeadersMiddleware:
    """Headers that keep every third party away from a visitor (the invariant "No third party",
    docs/design.md).

    Django's SecurityMiddleware already sends nosniff, Referrer-Policy and
    Cross-Origin-Opener-Policy; this adds the Content-Security-Policy, Permissions-Policy and
    Cross-Origin-Resource-Policy to every response, error pages included. It also sets
    X-Frame-Options, because Django's XFrameOptionsMiddleware sits inside CommonMiddleware and
    LocaleMiddleware and so never sees the redirects they answer with.
    """

    PERMISSIONS = (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
        "fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), "
        "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
        "screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=(), interest-cohort=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response
        img_src = " ".join(filter(None, ["'self'", "data:", _media_origin()]))
        self.csp = "; ".join(
            [
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                f"img-src {img_src}",
                # Same-origin requests only (nothing of ours makes any); crawlers' auditors such
                # as Lighthouse read /robots.txt from inside the page and are refused otherwise.
                "connect-src 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
                "base-uri 'none'",
                "manifest-src 'self'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies:
            # A response that sets a cookie is one person's: no proxy or CDN may keep it.
            patch_cache_control(response, private=True, no_store=True)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


class StaffOnlySessionMiddleware(SessionMiddleware):
    """Django's sessions, under SESSION_COOKIE_PATH (/backoffice/) only.

    Everywhere else the request gets an empty session that is never loaded from a cookie nor
    saved, so a public page can neither tell a logged-in investigator from anyone else nor set a
    session cookie (a page that set one could not be cached either). Browsers do not send the
    cookie outside its path anyway; this holds even for a client that does.
    """

    def process_request(self, request):
        if request.path_info.startswith(settings.SESSION_COOKIE_PATH):
            return super().process_request(request)
        request.session = self.SessionStore()
        request._session_not_kept = True
        return None

    def process_response(self, request, response):
        if getattr(request, "_session_not_kept", False):
            return response
        return super().process_response(request, response)


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BYTES before anything reads it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size of file upload to
    disk; a declared Content-Length over the cap is answered 413 at once. A body without a
    Content-Length reads as empty under WSGI, so nothing gets past this check unmeasured.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > settings.MAX_REQUEST_BYTES:
            from django.shortcuts import render

            limit_mb = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
        return self.get_response(request)


# What a proxy's request id may look like: a UUID, a hex or base64url token. Anything else (too
# long, spaces, control characters) is replaced by our own id rather than logged.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Give every request an id that appears on each log line written while it runs.

    The id is random (it says nothing about the visitor). When REQUEST_ID_HEADER names a header
    that the trusted proxy in front sets, a well-formed value from it is used instead, so a line
    in the proxy's log and one in ours can be matched. The id is echoed in X-Request-ID.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        header = settings.REQUEST_ID_HEADER
        self.meta_key = "HTTP_" + header.upper().replace("-", "_") if header else ""

    def __call__(self, request):
        request_id = secrets.token_hex(16)
        if self.meta_key:
            offered = request.META.get(self.meta_key, "")
            if _REQUEST_ID.fullmatch(offered):
                request_id = offered
        # Cleared when the response is finished (below), not here: Django logs a 4xx/5xx after
        # the middleware has returned, and that line should carry the id too.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response.headers["X-Request-ID"] = request_id
        return response


def _clear_request_id(**kwargs):
    request_id_var.set("")


request_finished.connect(_clear_request_id, dispatch_uid="traceobject.clear_request_id")
