from urllib.parse import urlsplit

from django.conf import settings


def _media_origin() -> str:
    """The origin of MEDIA_URL when public media lives elsewhere (a CDN or S3), else ''."""
    parts = urlsplit(settings.MEDIA_URL)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class SecurityHeadersMiddleware:
    """Headers that keep every third party away from a visitor (invariant 2).

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
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_BYTES before anything reads it.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size of file upload to
    disk; a declared Content-Length over the cap is answered 413 at once. Bodies without a
    length are capped by the tip views' upload handler.
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
