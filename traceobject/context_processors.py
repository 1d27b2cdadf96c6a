from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, get_urlconf, resolve, translate_url
from django.utils.translation import get_language, get_language_info

from traceobject.process_cache import memoize


@memoize(maxsize=4096)
def _translated_paths(
    urlconf: str, path_info: str, full_path: str, current: str
) -> tuple[str, ...] | None:
    """The page's path in each of LANGUAGES, or None if it is not a page (it does not resolve).

    The answer depends only on the path and the URLconf, and every rendered page asks it for
    every language (a resolve and a reverse each), so recent answers are kept per process.
    The URLconf and the active language are part of the key: the answer depends on both.
    """
    try:
        resolve(path_info)
    except Resolver404:
        return None
    return tuple(translate_url(full_path, code) for code, _name in settings.LANGUAGES)


def operator(request):
    """Who runs the site (settings OPERATOR_*), for the header and footer of every page."""
    return {
        "operator": {
            "name": settings.OPERATOR_NAME,
            "url": settings.OPERATOR_URL,
            "contact_email": settings.OPERATOR_CONTACT_EMAIL,
            "logo": settings.OPERATOR_LOGO,
        }
    }


def languages(request):
    """The current page in every language: the switcher's plain links and the hreflang alternates.

    The switcher is a list of links to the same page under another prefix, not Django's
    set_language view, which would set a cookie.
    """
    path = request.get_full_path()
    current = get_language()
    urlconf = str(get_urlconf() or settings.ROOT_URLCONF)
    translated = _translated_paths(urlconf, request.path_info, path, current)
    translatable = translated is not None
    try:
        request.get_host()
        absolute = request.build_absolute_uri
    except DisallowedHost:
        # The 400 page for a Host header we do not serve: no link may be built from that host.
        translatable = False

        def absolute(url):
            return url

    alternates = []
    for i, (code, name) in enumerate(settings.LANGUAGES):
        url = translated[i] if translated is not None and translatable else path
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": absolute(url),
                "current": code == current,
                "dir": "rtl" if get_language_info(code)["bidi"] else "ltr",
            }
        )
    return {
        "language_alternates": alternates,
        # Only pages that exist in every language get hreflang alternates (not a 404 page).
        "show_hreflang": translatable and request.method in ("GET", "HEAD"),
        "x_default_url": absolute("/"),
    }
