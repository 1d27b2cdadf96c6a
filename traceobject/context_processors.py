from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import Resolver404, resolve, translate_url
from django.utils.translation import get_language


def languages(request):
    """The current page in every language: the switcher's plain links and the hreflang alternates.

    The switcher is a list of links to the same page under another prefix, not Django's
    set_language view, which would set a cookie.
    """
    path = request.get_full_path()
    try:
        resolve(request.path_info)
        translatable = True
    except Resolver404:
        translatable = False
    try:
        request.get_host()
        absolute = request.build_absolute_uri
    except DisallowedHost:
        # The 400 page for a Host header we do not serve: no link may be built from that host.
        translatable = False

        def absolute(url):
            return url

    current = get_language()
    alternates = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code) if translatable else path
        alternates.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": absolute(url),
                "current": code == current,
            }
        )
    return {
        "language_alternates": alternates,
        # Only pages that exist in every language get hreflang alternates (not a 404 page).
        "show_hreflang": translatable and request.method in ("GET", "HEAD"),
        "x_default_url": absolute("/"),
    }
