"""Settings for Trace an Object, read from the environment (see .env.example for every variable).

The defaults run the whole site on one machine with SQLite and local folders. With DEBUG off the
site refuses to start without a SECRET_KEY; `manage.py check --deploy` (run by gunicorn at start,
see traceobject.checks) also refuses SQLite and an empty ALLOWED_HOSTS.
"""

import ipaddress
import logging
import re
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from traceobject.env import env_bool, env_choice, env_int, env_list, env_str
from traceobject.logging import logging_config
from traceobject.s3 import s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)


def _dev_secret(name: str, make) -> str:
    """Development only: a secret generated once and kept under var/ so it survives restarts."""
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _required_secret(name: str, make, *, min_length: int = 32) -> str:
    value = env_str(name)
    if value:
        if len(value) < min_length:
            raise ImproperlyConfigured(f"{name} must be at least {min_length} characters long")
        return value
    if not DEBUG:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it (see .env.example) or, for development only, DEBUG=1."
        )
    return _dev_secret(name, make)


SECRET_KEY = _required_secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# Old keys, newest first, still accepted to verify sessions, password-reset links and other
# signatures during a key rotation (docs/operations.md); never used to sign anything new.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
for _old in SECRET_KEY_FALLBACKS:
    if len(_old) < 32:
        raise ImproperlyConfigured("Every SECRET_KEY_FALLBACKS entry must be 32+ characters long")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with our site class (backoffice.site.BackofficeSite): two factors required.
    "backoffice.apps.BackofficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "traceobject.apps.TraceObjectConfig",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "objects",
    "tips",
    "backoffice.apps.BackofficeConfig",
]
# The demo app (drawn demo objects, `seed_demo`, `create_demo_login`): development only. It is on
# with DEBUG, or with DEMO_APP=1 for a production-like demo or benchmark site; it is not in the
# production image (.dockerignore), where DEBUG alone leaves it out and DEMO_APP=1 fails loudly.
DEMO_APP = env_bool("DEMO_APP", False)
if DEMO_APP or DEBUG:
    if (BASE_DIR / "demo" / "apps.py").is_file():
        INSTALLED_APPS.append("demo")
    elif DEMO_APP:
        raise ImproperlyConfigured("DEMO_APP=1, but the demo app is not here (not in the image).")

MIDDLEWARE = [
    # First, so every log line written while a request runs carries its id.
    "traceobject.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "traceobject.middleware.SecurityHeadersMiddleware",
    # Onion-Location on public pages when ONION_ORIGIN is set (traceobject/onion.py).
    "traceobject.onion.OnionLocationMiddleware",
    "traceobject.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached public pages are answered here, inside the security headers and before sessions,
    # locale, CSRF, auth and URL resolution; only pages traceobject.page_cache.cached_page marked.
    "traceobject.page_cache.PublicPageCacheMiddleware",
    # Sessions exist only under /backoffice/ (SESSION_COOKIE_PATH): public pages never read or
    # set one, whoever is logged in.
    "traceobject.middleware.StaffOnlySessionMiddleware",
    # Picks the language from the URL prefix (/de/...); on an unprefixed public URL it redirects
    # by Accept-Language. It reads no cookie it did not set and sets none (no set_language view).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Origin: null from this very origin (what Referrer-Policy: no-referrer makes a browser send)
    # becomes the request's own origin for Django's check below; a cross-site null stays null.
    "traceobject.csrf.NullOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session names the OTP device that verified this login.
    "django_otp.middleware.OTPMiddleware",
    # Under /backoffice/, a query string holding a NUL or another control character is a 400.
    "backoffice.middleware.BackofficeInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "traceobject.urls"
WSGI_APPLICATION = "traceobject.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "traceobject.context_processors.languages",
                "traceobject.context_processors.operator",
            ],
        },
    },
]

# Database: SQLite under var/ by default, PostgreSQL in production (DATABASE_URL).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
except Exception as exc:  # dj-database-url raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted database costs one request
    # nothing more than a reconnect.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 600, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 5, minimum=1
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Work done later than a request (traceobject/tasks.py): the daily purge, derivatives, proposed
# leads. On PostgreSQL a procrastinate worker runs it (`manage.py procrastinate worker`,
# its own process); its queue is a table in the same database, so a job deferred inside a
# transaction exists only if that transaction commits. procrastinate needs PostgreSQL (its
# migrations are PostgreSQL-only), so on SQLite (`make run`) its app is not installed and tasks
# run in the process that deferred them, after the commit.
TASKS_INLINE = DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
if not TASKS_INLINE:
    # Before our apps, so its app is ready when theirs are (procrastinate's own advice).
    INSTALLED_APPS.insert(
        INSTALLED_APPS.index("traceobject.apps.TraceObjectConfig"), "procrastinate.contrib.django"
    )
# A worker writes a heartbeat every TASK_HEARTBEAT_SECONDS; one silent for TASK_STALLED_SECONDS
# is dead (SIGKILL, lost machine), and the jobs it held are run again by the next worker
# (traceobject.tasks.retry_stalled_jobs).
TASK_HEARTBEAT_SECONDS = env_int("TASK_HEARTBEAT_SECONDS", 10, minimum=1)
TASK_STALLED_SECONDS = env_int("TASK_STALLED_SECONDS", 60, minimum=2)
if TASK_STALLED_SECONDS < 2 * TASK_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "TASK_STALLED_SECONDS must be at least twice TASK_HEARTBEAT_SECONDS, or a live worker "
        "that is one heartbeat late would be taken for dead and its jobs run twice"
    )
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": TASK_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": TASK_STALLED_SECONDS,
    # Finished jobs leave the queue table: it holds what waits, runs or failed.
    "delete_jobs": "successful",
}


def _redis_cache(name: str, url: str) -> dict:
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"{name} must start with redis://, rediss:// or unix://")
    return {
        # django-redis (requirements.txt says why): one client per process, an atomic incr in one
        # round trip, and its documented options only.
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "tao"),
        "OPTIONS": {
            # An unreachable Redis costs a request at most this long per call, never the
            # operating system's minutes: pages are then rendered uncached and tips still stored.
            "SOCKET_CONNECT_TIMEOUT": 2,
            "SOCKET_TIMEOUT": 2,
        },
    }


# Cache: Redis shared by every node in production (REDIS_URL), local memory otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": _redis_cache("REDIS_URL", REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate-limit state (django-ratelimit's counters, the day's rate-limit secret, the staff login
# throttle) has a cache alias of its own, so it can live in a Redis that never evicts
# (RATELIMIT_REDIS_URL, maxmemory-policy noeviction) while the page cache fills its own Redis
# and evicts (allkeys-lru): in one instance a flood of page entries could evict the counters
# that stop a flood of tips or password guesses (docs/operations.md, "Redis: memory and
# eviction"). Unset: the same cache as "default" (the same Redis, or the same local memory).
RATELIMIT_REDIS_URL = env_str("RATELIMIT_REDIS_URL")
CACHES["ratelimit"] = (
    _redis_cache("RATELIMIT_REDIS_URL", RATELIMIT_REDIS_URL)
    if RATELIMIT_REDIS_URL
    else dict(CACHES["default"])
)
RATELIMIT_USE_CACHE = "ratelimit"

# Argon2id first: new and changed passwords are hashed with it; older hashes still verify and
# are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# A password longer than this is refused before it is hashed (hashing is the expensive part).
PASSWORD_MAX_LENGTH = env_int("PASSWORD_MAX_LENGTH", 256, minimum=64)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "backoffice.passwords.MaximumLengthValidator"},
]

LANGUAGE_CODE = "en"
# The public interface languages: each has a complete catalogue in locale/<code>/LC_MESSAGES
# (compiled to .mo by scripts/compilemessages.py, which needs no GNU gettext). English is the
# source language and the fallback for object texts without a translation.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
    ("pt", "Português"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files: collected into var/static and served by whitenoise with hashed names.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed static files from `collectstatic` in production; straight from the source
# folders in development and tests, where nothing has been collected.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Media: public derivatives (safe to serve to anyone) and private originals (never public).
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_PUBLIC_ROOT = Path(env_str("MEDIA_PUBLIC_ROOT", str(VAR_DIR / "media" / "public")))
MEDIA_PRIVATE_ROOT = Path(env_str("MEDIA_PRIVATE_ROOT", str(VAR_DIR / "media" / "private")))
MEDIA_ROOT = MEDIA_PUBLIC_ROOT
# Serve the public media folder from Django itself (fine for one node; use a CDN or S3 otherwise).
SERVE_PUBLIC_MEDIA = env_bool("SERVE_PUBLIC_MEDIA", True)

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_PUBLIC_ROOT, "base_url": MEDIA_URL},
    },
    "public": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_PUBLIC_ROOT, "base_url": MEDIA_URL},
    },
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # base_url is never used: private files are only streamed by permission-checked views.
        "OPTIONS": {"location": MEDIA_PRIVATE_ROOT, "base_url": "/private-files-are-not-served/"},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}

# S3-compatible object storage for both public and private media (django-storages), used when
# the bucket names are set; the local folders above otherwise.
S3_PUBLIC_BUCKET = env_str("S3_PUBLIC_BUCKET")
S3_PRIVATE_BUCKET = env_str("S3_PRIVATE_BUCKET")
if S3_PUBLIC_BUCKET or S3_PRIVATE_BUCKET:
    if not (S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET):
        raise ImproperlyConfigured("Set both S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET, or neither.")
    if S3_PUBLIC_BUCKET == S3_PRIVATE_BUCKET:
        raise ImproperlyConfigured("S3_PRIVATE_BUCKET must not be the public bucket.")
    _addressing = env_str("S3_ADDRESSING_STYLE")
    if _addressing not in ("", "auto", "path", "virtual"):
        raise ImproperlyConfigured("S3_ADDRESSING_STYLE must be auto, path or virtual.")
    STORAGES.update(
        s3_storages(
            public_bucket=S3_PUBLIC_BUCKET,
            private_bucket=S3_PRIVATE_BUCKET,
            endpoint_url=env_str("S3_ENDPOINT_URL"),
            region=env_str("S3_REGION"),
            access_key=env_str("S3_ACCESS_KEY_ID"),
            secret_key=env_str("S3_SECRET_ACCESS_KEY"),
            addressing_style=_addressing,
            media_url=MEDIA_URL,
            public_acl=env_str("S3_PUBLIC_ACL", "public-read"),
        )
    )
    STORAGES["default"] = STORAGES["public"]
    # Public media comes from the bucket or the CDN, not from this process.
    SERVE_PUBLIC_MEDIA = False

# Uploads: an original from a camera is rarely over 25 MB; anything larger is refused before
# Pillow sees it (objects.imaging applies its own pixel limit too).
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 40 * 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# Security. HTTPS settings are switched on in production (DEBUG off) unless explicitly disabled
# for a plain-HTTP test deployment.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A session cookie (gone when the browser closes), not one that stays a year: the tip form's CSRF
# cookie must not be a lasting trace on a tipster's device.
CSRF_COOKIE_AGE = None
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if SECURE_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The proxy in front of gunicorn terminates TLS and sets this header; only honoured when a
# proxy is declared, because a client could otherwise claim HTTPS itself.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses (or networks) of the proxies gunicorn takes X-Forwarded-Proto from; read by
# gunicorn.conf.py. Empty unless a proxy is declared, so a client cannot claim HTTPS itself.
FORWARDED_ALLOW_IPS = env_list(
    "FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"] if TRUSTED_PROXY_COUNT else []
)
for _address in FORWARDED_ALLOW_IPS:
    if _address == "*":
        continue
    try:
        ipaddress.ip_network(_address)
    except ValueError:
        raise ImproperlyConfigured(
            f"FORWARDED_ALLOW_IPS: {_address!r} is not an IP address or network"
        ) from None
if FORWARDED_ALLOW_IPS and not TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured("FORWARDED_ALLOW_IPS is set but TRUSTED_PROXY_COUNT is 0")
# A header the trusted proxy sets to its own request id (e.g. X-Request-ID), echoed in our log
# lines when well-formed. Only with a proxy: otherwise any client could choose the id.
REQUEST_ID_HEADER = env_str("REQUEST_ID_HEADER")
if REQUEST_ID_HEADER and not TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured("REQUEST_ID_HEADER is set but TRUSTED_PROXY_COUNT is 0")

# The onion service (docs/operations.md, "The onion service"). TOR_CIRCUIT_HEADER names the
# header in which the proxy passes the Tor circuit of an onion request (X-Tor-Circuit with
# deploy/haproxy.cfg, which sets it on the onion port and deletes it on every other); rate
# limits then count each circuit apart instead of every Tor visitor as one (traceobject/onion.py).
# Only with a proxy: otherwise any client could name a circuit of its choice.
TOR_CIRCUIT_HEADER = env_str("TOR_CIRCUIT_HEADER").strip()
if TOR_CIRCUIT_HEADER and not TRUSTED_PROXY_COUNT:
    raise ImproperlyConfigured("TOR_CIRCUIT_HEADER is set but TRUSTED_PROXY_COUNT is 0")
if TOR_CIRCUIT_HEADER and not re.fullmatch(r"[A-Za-z0-9-]+", TOR_CIRCUIT_HEADER):
    raise ImproperlyConfigured(f"TOR_CIRCUIT_HEADER: {TOR_CIRCUIT_HEADER!r} is not a header name")
TOR_CIRCUIT_META = (
    "HTTP_" + TOR_CIRCUIT_HEADER.upper().replace("-", "_") if TOR_CIRCUIT_HEADER else ""
)
# The onion site's origin (http://<56 characters>.onion): sent as Onion-Location on public
# pages, so Tor Browser offers it, and trusted as a host and for forms (CSRF).
ONION_ORIGIN = env_str("ONION_ORIGIN").strip().rstrip("/")
ONION_HOST = ""
if ONION_ORIGIN:
    if not re.fullmatch(r"http://[a-z2-7]{56}\.onion", ONION_ORIGIN):
        raise ImproperlyConfigured(
            f"ONION_ORIGIN must be http://<56 letters and digits 2-7>.onion; got {ONION_ORIGIN!r}"
        )
    ONION_HOST = ONION_ORIGIN.removeprefix("http://")
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, ONION_HOST]
    CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, ONION_ORIGIN]

# `check --deploy` warnings that do not apply here, each with the reason (CI and gunicorn run
# the check with --fail-level WARNING, so anything not listed here stops a deployment).
SILENCED_SYSTEM_CHECKS = [
    # SECURE_SSL_REDIRECT: the TLS-terminating proxy redirects HTTP to HTTPS; doing it here too
    # would also redirect the load balancer's plain-HTTP /healthz probe and the onion service,
    # which Tor already encrypts end to end. Set SECURE_SSL_REDIRECT=1 without such a proxy.
    "security.W008",
    # SECURE_HSTS_PRELOAD: joining the browsers' preload list is a one-way decision for the
    # whole domain, taken by its owner outside this code, not a setting to flip by default.
    "security.W021",
]
# The level at which gunicorn.conf.py's start-up `check --deploy` refuses to serve.
DEPLOY_CHECK_FAIL_LEVEL = env_choice(
    "DEPLOY_CHECK_FAIL_LEVEL", "WARNING", ["WARNING", "ERROR", "CRITICAL"]
)

LOGIN_URL = "admin:login"

# --- Back-office (staff) ------------------------------------------------------------------------
# Staff sessions end after this many idle seconds: every request pushes the expiry forward.
# Only sessions that hold something are saved, so public pages still set no cookie.
SESSION_COOKIE_AGE = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Staff sessions are for the back-office only: the browser sends the cookie to nothing else, and
# StaffOnlySessionMiddleware gives every other path an empty session that is never saved.
SESSION_COOKIE_PATH = "/backoffice/"
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Login attempts per account ("count/period"); keyed on a keyed hash of the username, never
# global, so nobody can lock every account out at once.
STAFF_LOGIN_RATE = env_str("STAFF_LOGIN_RATE", "5/m")
if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", STAFF_LOGIN_RATE):
    raise ImproperlyConfigured(f"STAFF_LOGIN_RATE must look like 5/m; got {STAFF_LOGIN_RATE!r}")
# The issuer name shown in authenticator apps next to the account.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Trace an Object")
# Nobody, not even a supervisor, can read another person's TOTP secret or QR code in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A TOTP code from the previous or next 30-second step is accepted (clock drift); never twice.
OTP_TOTP_TOLERANCE = 1
# Recovery codes made at setup (each works once).
STAFF_RECOVERY_CODES = env_int("STAFF_RECOVERY_CODES", 10, minimum=1)
# A one-time setup link from `create_staff` stays valid this many seconds.
STAFF_SETUP_LINK_SECONDS = env_int("STAFF_SETUP_LINK_SECONDS", 3 * 24 * 3600, minimum=300)
# Retention (`manage.py purge_tips`): spam and not-useful tips are deleted after this many days;
# contact details of closed tips are erased after this many days without change.
PURGE_REJECTED_TIPS_DAYS = env_int("PURGE_REJECTED_TIPS_DAYS", 90, minimum=1)
ERASE_CLOSED_CONTACT_DAYS = env_int("ERASE_CLOSED_CONTACT_DAYS", 365, minimum=1)
# Tips shown per page in the back-office list; the total is counted only up to this cap.
STAFF_LIST_COUNT_CAP = env_int("STAFF_LIST_COUNT_CAP", 10_000, minimum=100)
# A tip or follow-up form whose CSRF check fails is shown again with what was typed.
CSRF_FAILURE_VIEW = "tips.views.csrf_failure"

# --- Tips ---------------------------------------------------------------------------------------
# Receipt codes are stored only as HMAC-SHA256(RECEIPT_KEY, code). To rotate the key, put the old
# one in RECEIPT_KEY_FALLBACKS (newest first): a code stored under an old key is still found, and
# is moved to the current key when its tipster comes back (docs/operations.md, "Key rotation").
RECEIPT_KEY = _required_secret("RECEIPT_KEY", lambda: secrets.token_urlsafe(48))
RECEIPT_KEY_FALLBACKS = env_list("RECEIPT_KEY_FALLBACKS")
for _old in RECEIPT_KEY_FALLBACKS:
    if len(_old) < 32:
        raise ImproperlyConfigured("Every RECEIPT_KEY_FALLBACKS entry must be 32+ characters long")


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


# Contact details, photos and follow-up messages are encrypted with these Fernet keys (comma-
# separated, newest first; older ones still decrypt). `manage.py rotate_tip_keys` re-encrypts.
TIP_ENCRYPTION_KEYS = env_list("TIP_ENCRYPTION_KEYS") or (
    [_dev_secret("TIP_ENCRYPTION_KEYS", _fernet_key)] if DEBUG else []
)
if not TIP_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "TIP_ENCRYPTION_KEYS is not set: generate a key with `python -c 'from "
        "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
    )

# Rate limits ("count/period", period s, m, h or d). Per client, keyed by an HMAC of the client
# address with a secret that lives only in the cache and changes every day; and for everyone.
TIP_RATE_PER_CLIENT = env_str("TIP_RATE_PER_CLIENT", "10/h")
TIP_RATE_GLOBAL = env_str("TIP_RATE_GLOBAL", "5000/h")
FOLLOWUP_RATE_PER_CLIENT = env_str("FOLLOWUP_RATE_PER_CLIENT", "30/h")
FOLLOWUP_RATE_GLOBAL = env_str("FOLLOWUP_RATE_GLOBAL", "20000/h")
# Seconds a receipt code is shown again when the same form is sent again (a reload of the
# receipt page), kept only encrypted under a key from the form's one-time token (tips.replay);
# 0 shows it once only.
RECEIPT_REPLAY_SECONDS = env_int("RECEIPT_REPLAY_SECONDS", 3600, minimum=0)
# A form sent faster than this after it was shown is from a bot (it gets a normal-looking reply).
TIP_MIN_FILL_SECONDS = env_int("TIP_MIN_FILL_SECONDS", 3, minimum=0)
# A tip form older than this asks the person to send it again (their text is kept).
TIP_FORM_MAX_AGE = env_int("TIP_FORM_MAX_AGE", 2 * 24 * 3600, minimum=60)
TIP_PHOTO_MAX_BYTES = env_int("TIP_PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Any request body larger than this is refused before it is read (413).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 24 * 1024 * 1024, minimum=1024)
# django-ratelimit: if the cache is unreachable, let tips through rather than lose them.
RATELIMIT_FAIL_OPEN = True
RATELIMIT_HASH_ALGORITHM = "hashlib.sha256"

# --- Who runs the site ---------------------------------------------------------------------------
# Shown in the header and footer of every public page. The legal notice and the accessibility
# statement are pages staff write in the back-office (Site pages), in every language. A
# development or demo site gets clearly fictional values; in production `check --deploy` warns
# while the name or the contact address is unset (traceobject.checks).
_DEMO_SITE = DEBUG or DEMO_APP
OPERATOR_NAME = env_str("OPERATOR_NAME", "Demo Police Service (fictional)" if _DEMO_SITE else "")
OPERATOR_URL = env_str("OPERATOR_URL", "https://police.example/" if _DEMO_SITE else "")
if OPERATOR_URL and not OPERATOR_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("OPERATOR_URL must start with https:// (or http://)")
OPERATOR_CONTACT_EMAIL = env_str(
    "OPERATOR_CONTACT_EMAIL", "contact@police.example" if _DEMO_SITE else ""
)
if OPERATOR_CONTACT_EMAIL and not re.fullmatch(
    r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", OPERATOR_CONTACT_EMAIL
):
    raise ImproperlyConfigured(
        f"OPERATOR_CONTACT_EMAIL is not an e-mail address: {OPERATOR_CONTACT_EMAIL!r}"
    )
# A file among the static files (the Content-Security-Policy allows images from this site only).
OPERATOR_LOGO = env_str("OPERATOR_LOGO", "img/demo-operator.svg" if _DEMO_SITE else "")
if OPERATOR_LOGO and ("://" in OPERATOR_LOGO or OPERATOR_LOGO.startswith("/")):
    raise ImproperlyConfigured(
        "OPERATOR_LOGO is a path among the static files (e.g. img/logo.svg), not a URL"
    )

GALLERY_PAGE_SIZE = env_int("GALLERY_PAGE_SIZE", 24, minimum=1)
# The NEW_BADGE_COUNT most recently published objects get a "new" badge in the gallery, if they
# were published within NEW_BADGE_DAYS (objects.selectors.newest_object_ids).
NEW_BADGE_DAYS = env_int("NEW_BADGE_DAYS", 14, minimum=0)
NEW_BADGE_COUNT = env_int("NEW_BADGE_COUNT", 3, minimum=0)
# Public pages carry no cookie, so a proxy or CDN may cache them for this long.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60, minimum=0)
# Seconds the app keeps a rendered gallery or object page (and the public statistics) in the
# cache. Any change to an object, a translation or a category makes them stale at once anyway.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 3600, minimum=0)
# How old the public count of tips received may be (a new tip does not force a recount).
PUBLIC_STATS_SECONDS = env_int("PUBLIC_STATS_SECONDS", 60, minimum=1)
# Each process also keeps its most recently served pages (about 30 KB each), checked against the
# shared cache's current version on every request; 0 turns that copy off.
PUBLIC_PAGE_LOCAL_ENTRIES = env_int("PUBLIC_PAGE_LOCAL_ENTRIES", 256, minimum=0)
# The only query parameters a cached public page is named by, in this order (the gallery's
# search, category and page); any other parameter is ignored by the page cache, so junk query
# strings cannot fill it (traceobject.page_cache.canonical_query).
PUBLIC_PAGE_QUERY_PARAMS = ("q", "category", "page")

# Logging: one JSON object per line on stdout (traceobject.logging), never with the request
# attached: Django's request loggers put the request object on the record; a filter drops it so no
# handler or formatter can ever print a client address or header from it.
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"])
LOGGING = logging_config(level=LOG_LEVEL, debug=DEBUG)
# Python warnings (a library's DeprecationWarning, whitenoise's missing folder) become log records
# too, so stdout stays one JSON object per line.
logging.captureWarnings(True)
