"""The cache that holds rate-limit state: CACHES["ratelimit"] (RATELIMIT_REDIS_URL).

The day's rate-limit secret (tips.limits) and the staff login throttle (backoffice.throttle) use
it, as django-ratelimit does (RATELIMIT_USE_CACHE). It is apart from the page cache so it can be
a Redis that never evicts while the page cache's Redis evicts freely (traceobject/settings.py).
"""

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

# The alias in settings.CACHES, also named by settings.RATELIMIT_USE_CACHE.
ALIAS = "ratelimit"

# Like django.core.cache.cache: looked up on each use, so override_settings(CACHES=...) applies.
ratelimit_cache = ConnectionProxy(caches, ALIAS)
