"""Rate limits that never learn who a client is.

The per-client key is HMAC-SHA256 of the client address with a random secret that exists only in
the rate-limit cache (traceobject.ratelimit_cache: Redis in production, shared by all nodes; each
process copies it for a minute at a time) and is replaced every day. The address itself is never
stored; yesterday's keys cannot be recomputed once yesterday's secret has expired, and hashing
candidate addresses without the secret gets nowhere.

An onion request is keyed by its Tor circuit instead (traceobject/onion.py): behind a local tor
every onion visitor has the same address, and one of them would otherwise spend everyone's
budget. The circuit goes through the same HMAC and lives no longer than the window's counter.
"""

import hashlib
import hmac
import ipaddress
import logging
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from traceobject.onion import tor_circuit
from traceobject.process_cache import Held
from traceobject.ratelimit_cache import ratelimit_cache

log = logging.getLogger(__name__)

# The secret lives a little longer than its day so the last windows of the day still count.
_SECRET_TTL = 26 * 3600
# Used only while the cache is unreachable: limits are then per process, never stored.
_FALLBACK_SECRET = secrets.token_hex(32)
# How long this process uses its copy of the day's secret before reading the cache again.
_SECRET_COPY_SECONDS = 60
# This process's copy of the day's secret, under the day's key.
_secret_copy = Held()


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the X-Forwarded-For hop a trusted proxy added.

    With TRUSTED_PROXY_COUNT = N, the N-th address from the right of X-Forwarded-For is the one
    the outermost trusted proxy saw; everything left of it is what the client claimed. An onion
    request is named by its circuit ("tor-circuit:<id>"), never by an address.
    """
    circuit = tor_circuit(request)
    if circuit is not None:
        return f"tor-circuit:{circuit}"
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        # One client usually holds a whole /64; limit the network, not each address in it.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _daily_secret() -> str:
    """Today's secret: this process's copy, read again from the cache at most once a minute.

    The cache holds the one secret all nodes share; a copy saves a round trip on nearly every
    rate-limited POST. It is kept 60 s, not the whole day, because a flushed or restarted Redis
    makes the first node that asks create a new secret: a node still using the old one would key
    the same client differently (and count it apart) until its copy runs out, so the nodes
    agree again within a minute. The per-process fallback used while the cache is unreachable
    is never kept: the next request asks the cache again.
    """
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    key = f"ratelimit-secret:{day}"
    copy = _secret_copy.get(key)
    if copy is not None:
        return copy
    try:
        secret = ratelimit_cache.get(key)
        if secret is None:
            ratelimit_cache.add(key, secrets.token_hex(32), timeout=_SECRET_TTL)
            secret = ratelimit_cache.get(key)
    except Exception:  # the cache being down must not stop a tip
        log.warning("rate-limit secret: cache unreachable, using a per-process secret")
        secret = None
    if not secret:
        return _FALLBACK_SECRET
    _secret_copy.put(key, secret, _SECRET_COPY_SECONDS)
    return secret


def client_key(group: str, request) -> str:
    address = client_address(request)
    return hmac.new(_daily_secret().encode(), address.encode(), hashlib.sha256).hexdigest()


def _everyone(group: str, request) -> str:
    return "everyone"


def over_limit(request, *, group: str, per_client: str, overall: str) -> bool:
    """Count this POST against the client's and everyone's limit; True if either is exceeded.

    A cache failure lets the request through (RATELIMIT_FAIL_OPEN): losing a real tip is worse
    than a few minutes without limits.
    """
    try:
        if is_ratelimited(
            request,
            group=f"{group}-client",
            key=client_key,
            rate=per_client,
            method="POST",
            increment=True,
        ):
            return True
        return is_ratelimited(
            request,
            group=f"{group}-all",
            key=_everyone,
            rate=overall,
            method="POST",
            increment=True,
        )
    except Exception:
        log.warning("rate limit %s: cache unreachable, request let through", group)
        return False
