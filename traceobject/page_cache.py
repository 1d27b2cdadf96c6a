"""Version stamps for public data, and the server-side cache of public pages built on them.

Services bump a version whenever they change what a public page shows (objects, images,
translations, categories: "pages"; tips too: "stats"). Cached pages and statistics are keyed by
the version, so a bump makes every old entry unreachable at once, on every app node sharing the
cache. Nothing relies on signals: a write that bypasses the services is not a public write.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe, quote_etag, urlencode
from django.utils.translation import get_language, get_language_from_path
from django.views.decorators.http import condition, require_safe

from traceobject.process_cache import LocalCopies

log = logging.getLogger(__name__)

PAGES = "pages"
STATS = "stats"


def _key(name: str) -> str:
    return f"public:version:{name}"


def version(name: str) -> int:
    """The current version (nanoseconds since the epoch of the last change) of a namespace."""
    value = cache.get(_key(name))
    if value is None:
        # An empty cache (restart, flush) starts a new version: old pages are simply rebuilt.
        cache.add(_key(name), time.time_ns(), None)
        value = cache.get(_key(name)) or time.time_ns()
    return value


def _bump_now(*names: str) -> None:
    now = time.time_ns()
    cache.set_many({_key(name): now for name in names}, None)


def bump(*names: str) -> None:
    """Mark public data as changed: now, and again when the transaction commits.

    The second bump closes the gap in which another request could render the old rows under the
    new version and cache them; the first makes the change visible at once to this request and
    to code running outside a transaction. Outside a transaction the change is already
    committed, so there is no gap and one bump (one round trip) does.
    """
    names = names or (PAGES, STATS)
    _bump_now(*names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(*names))


# The publication stamp: (pages version, newest publication time, next scheduled publication).
STAMP_KEY = "public:stamp"

PublicationTimes = Callable[[datetime], tuple[datetime | None, datetime | None]]
_publication_source: list[PublicationTimes] = []


def set_publication_times(source: PublicationTimes) -> None:
    """Name the function that gives (newest publication up to now, next one after it).

    The core knows nothing of objects: the objects app registers its query here when it is
    ready (objects.apps.ObjectsConfig.ready), so the page cache never imports a layer above it.
    """
    _publication_source[:] = [source]


def _publication_times(now: datetime) -> tuple[datetime | None, datetime | None]:
    if not _publication_source:
        return None, None  # no objects app: nothing is ever scheduled
    return _publication_source[0](now)


def publication_stamp(found: dict | None = None) -> tuple[int, datetime | None]:
    """(pages version, newest publication time), usually from one cache round trip.

    `found` is what a caller already fetched with get_many (the version and stamp keys among
    others), to save that round trip.

    The newest publication time covers objects scheduled for later: they appear when their
    time comes without any write, and that must change the ETag too. It is computed from the
    database and cached with the version it was computed under and the next scheduled
    publication time; it is reused only while the version is the same and this node's clock
    is between the two times, that is while the database would give the same answer here (a
    node whose clock runs ahead cannot make another node serve its view of the schedule).
    """
    if found is None:
        found = cache.get_many([_key(PAGES), STAMP_KEY])
    pages = found.get(_key(PAGES))
    if pages is None:
        pages = version(PAGES)
    now = timezone.now()
    stamp = found.get(STAMP_KEY)
    if stamp is not None:
        stamp_version, latest, upcoming = stamp
        if (
            stamp_version == pages
            and (latest is None or latest <= now)
            and (upcoming is None or now < upcoming)
        ):
            return pages, latest
    latest, upcoming = _publication_times(now)
    cache.set(STAMP_KEY, (pages, latest, upcoming), settings.PUBLIC_PAGE_CACHE_SECONDS)
    return pages, latest


def request_stamp(request):
    """The publication stamp for this request, computed once; None if the cache is unreachable.

    Without the shared cache there is no version to name a page by: pages are then rendered
    for every request, with no ETag and nothing stored, rather than not at all.
    """
    if not hasattr(request, "_public_stamp"):
        try:
            request._public_stamp = publication_stamp()
        except Exception:
            log.warning("public pages: cache unreachable, pages rendered without caching")
            request._public_stamp = None
    return request._public_stamp


def canonical_query(request) -> str:
    """The query string a cached page is named by: only the parameters a cached view reads
    (PUBLIC_PAGE_QUERY_PARAMS), each once, in that fixed order. `?junk=1`, a repeated or
    reordered parameter all name the same page, so junk cannot fill the cache."""
    kept = [
        (name, request.GET[name])
        for name in settings.PUBLIC_PAGE_QUERY_PARAMS
        if name in request.GET
    ]
    return urlencode(kept)


def _canonical_url(request) -> str:
    """scheme://host/path?query as the cache knows it: the host without a port."""
    host, _port = split_domain_port(request.get_host())
    query = canonical_query(request)
    return f"{request.scheme}://{host}{request.path}" + (f"?{query}" if query else "")


def _is_canonical(request) -> bool:
    """Whether the page rendered for this request may be stored for its canonical URL.

    Only a request already in canonical form: the same query string, and a Host header with no
    port or the port the server answers on. A page rendered for `?junk=1` or `Host: site:1234`
    would carry that in its absolute links (hreflang, Open Graph), so it is answered but never
    stored; a later canonical request stores the page everyone gets.
    """
    _host, port = split_domain_port(request.get_host())
    if port and port != str(request.META.get("SERVER_PORT", "")):
        return False
    return request.META.get("QUERY_STRING", "") == canonical_query(request)


def _page_etag(request, language: str) -> str | None:
    stamp = request_stamp(request)
    if stamp is None:
        return None
    pages, latest = stamp
    # Host and scheme too: the page holds absolute URLs (hreflang, Open Graph, share links);
    # and who runs the site, which a restart with new settings changes on every page.
    raw = f"{pages}|{latest}|{language}|{_canonical_url(request)}|{_site()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _site() -> str:
    """The settings every public page shows (the operator's name, address and logo)."""
    return "|".join(
        (
            settings.OPERATOR_NAME,
            settings.OPERATOR_URL,
            settings.OPERATOR_CONTACT_EMAIL,
            settings.OPERATOR_LOGO,
        )
    )


def _etag(request, *args, **kwargs):
    return _page_etag(request, get_language())


def _last_modified(request, *args, **kwargs):
    stamp = request_stamp(request)
    if stamp is None:
        return None
    pages, latest = stamp
    changed = datetime.fromtimestamp(pages / 1e9, tz=UTC)
    return max(changed, latest) if latest else changed


def _page_key(request, language: str) -> str:
    """Where the page for this language and canonical URL is stored (one entry per page).

    The entry holds the page's ETag, which names the version and stamp it was rendered under;
    it is served only while that is still the current ETag, so a change is a miss everywhere
    and the next render simply replaces the entry.
    """
    raw = f"{language}|{_canonical_url(request)}"
    return "public:page:v4:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


# Set by the outer middleware for each request: never replayed from the cache.
_NOT_STORED = {"set-cookie", "x-request-id"}


def cached_page(view=None, *, params: tuple[str, ...] = ()):
    """Mark a public GET page as cacheable; answer ETag/Last-Modified and 304s.

    `params` names the query parameters the view reads; each must be in
    PUBLIC_PAGE_QUERY_PARAMS, the only ones a cached page is named by (canonical_query), so a
    parameter the cache would ignore can never change what a cached page shows.

    The page is stored and served by PublicPageCacheMiddleware, early in the middleware stack,
    so a cached page costs one cache round trip and no database query, session, locale or URL
    work. Only the middleware stores (it sees the response with every header the inner
    middleware added), and only responses this decorator marked: 200s, one entry per language,
    host and full path, served only while its ETag (version, publication stamp, language,
    host, path) is the current one, so a change to any object is a miss everywhere.
    """
    unknown = set(params) - set(settings.PUBLIC_PAGE_QUERY_PARAMS)
    if unknown:
        raise ImproperlyConfigured(
            f"cached_page params {sorted(unknown)} are not in PUBLIC_PAGE_QUERY_PARAMS"
        )

    def decorator(view):
        @wraps(view)
        def marked(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and request_stamp(request)
                and _is_canonical(request)
            ):
                response.public_page_key = _page_key(request, get_language())
            return response

        return condition(etag_func=_etag, last_modified_func=_last_modified)(marked)

    return decorator(view) if view is not None else decorator


def cached_response(request) -> HttpResponse | None:
    """The stored public page for this GET/HEAD request (or a 304 for it), or None.

    Only pages under a language prefix are looked up, and only what `store_response` stored
    for the very same version, stamp, language, host and full path can come back.
    """
    language = get_language_from_path(request.path_info)
    if not language:
        return None
    key = _page_key(request, language)
    # One small round trip for the version and the stamp, which name the current ETag.
    current = _page_etag(request, language)
    if current is None:
        return None
    etag = quote_etag(current)
    stored = _local_get(key, etag)
    if stored is None:
        try:
            stored = cache.get(key)
        except Exception:
            log.warning("public pages: cache unreachable, page rendered")
            return None
        if stored is None:
            return None
        if stored[1].get("ETag") != etag:
            return None  # rendered under an older version or stamp
        _local_put(key, stored)
    content, headers = stored
    response = HttpResponse(content, headers=headers)
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )


def store_response(request, response) -> None:
    """Store a response that `cached_page` marked, with its headers, if it is safe to replay.

    Never one that sets a cookie or varies by cookie (a session was read), never a streaming
    one, only for a GET.
    """
    key = getattr(response, "public_page_key", None)
    if (
        key is None
        or request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or "cookie" in response.get("Vary", "").lower()
    ):
        return
    headers = {k: v for k, v in response.items() if k.lower() not in _NOT_STORED}
    try:
        cache.set(key, (response.content, headers), settings.PUBLIC_PAGE_CACHE_SECONDS)
    except Exception:
        log.warning("public pages: cache unreachable, page not stored")
        return
    _local_put(key, (response.content, headers))


# The most recently served pages, so a hit does not carry the page (30 KB for the gallery)
# from the shared cache and unpickle it each time; used only under the current ETag.
_LOCAL_PAGES = LocalCopies()


def _local_get(key: str, etag: str) -> tuple[bytes, dict] | None:
    return _LOCAL_PAGES.get(key, etag)


def _local_put(key: str, stored: tuple[bytes, dict]) -> None:
    _LOCAL_PAGES.put(key, stored[1].get("ETag"), stored)


class PublicPageCacheMiddleware:
    """Serve cached public pages before the session, locale, CSRF, auth and URL layers.

    Placed after the security-header middleware, so a page from the cache gets every security
    header and the request id like any other response. Its own cost per hit: the publication
    stamp in one small cache round trip, and the page from this process's copy of the
    most recent pages (or one more round trip).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            response = cached_response(request)
            if response is not None:
                return response
        response = self.get_response(request)
        store_response(request, response)
        return response


def cached_value(name: str, namespace: str, compute, timeout: int | None = None):
    """A computed value cached under the namespace's current version (e.g. the statistics),
    for `timeout` seconds (PUBLIC_PAGE_CACHE_SECONDS if None)."""
    try:
        key = f"public:value:{name}:{version(namespace)}"
        value = cache.get(key)
    except Exception:
        log.warning("public value %s: cache unreachable, computed", name)
        return compute()
    if value is None:
        value = compute()
        try:
            seconds = settings.PUBLIC_PAGE_CACHE_SECONDS if timeout is None else timeout
            cache.set(key, value, seconds)
        except Exception:
            log.warning("public value %s: cache unreachable, not stored", name)
    return value


def public_page(view):
    """Mark a view as a public, cookie-free page that a proxy or CDN may cache for a while."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        return response

    return require_safe(wrapped)
