"""A null Origin from this very origin, for Django's own CSRF check.

The site sends `Referrer-Policy: no-referrer` (SECURE_REFERRER_POLICY), and under that policy
browsers send `Origin: null` with every form POST (Fetch standard, "serializing a request
origin"), even to the page's own origin. Django's CsrfViewMiddleware refuses a null origin, and
CSRF_TRUSTED_ORIGINS cannot name it (an origin there needs a scheme; "null" would also admit
every sandboxed or cross-site page). Without an Origin, Django wants a Referer over HTTPS, which
the policy forbids.

So, before Django's check, a null origin is replaced by this request's own origin when the
browser's Fetch Metadata says the request came from this very origin (`Sec-Fetch-Site:
same-origin`), or when the browser sends no Fetch Metadata at all. A cross-site, same-site or
user-typed request (`cross-site`, `same-site`, `none`) keeps its null origin and Django refuses
it. Django's CSRF token check (cookie plus form field, cookie SameSite=Strict) applies in every
case. Only public request data is read and written: request.META, request.scheme, get_host().
"""

from django.http import HttpRequest, HttpResponse


class NullOriginMiddleware:
    """Must come before django.middleware.csrf.CsrfViewMiddleware (traceobject.E004)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.META.get("HTTP_ORIGIN") == "null"
            and request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") == "same-origin"
        ):
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)
