import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def _media_origin() -> str:
    """The origin of MEDIA_URL when public media lives elsewhere (a CDN or S3), else ''."""
    parts = urlsplit(settings.MEDIA_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@functools.cache
def _backoffice_prefix() -> str:
    return reverse("admin:index")


class SecurityHeadersMiddleware:
    """Headers that keep every third party away from a visitor (invariant 2).

    Django's SecurityMiddleware already sends nosniff, Referrer-Policy and
    Cross-Origin-Opener-Policy; this adds the Content-Security-Policy, Permissions-Policy and
    Cross-Origin-Resource-Policy to every response, error pages included.
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
                "form-action 'self'",
                "frame-ancestors 'none'",
                "base-uri 'none'",
                "manifest-src 'self'",
            ]
        )

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(_backoffice_prefix()):
            # With "no-referrer" Chromium sends `Origin: null` on a form POST and Django's CSRF
            # check refuses it; staff forms post to their own origin, and "same-origin" still
            # sends nothing to any other site.
            response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
