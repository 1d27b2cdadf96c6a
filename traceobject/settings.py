"""Settings for Trace an Object, read from the environment (see .env.example for every variable).

The defaults run the whole site on one machine with SQLite and local folders. With DEBUG off the
site refuses to start without a SECRET_KEY; `manage.py check --deploy` (run by gunicorn at start,
see traceobject.checks) also refuses SQLite and an empty ALLOWED_HOSTS.
"""

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from traceobject.env import env_bool, env_int, env_list, env_str

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

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "traceobject.apps.TraceObjectConfig",
    "django_countries",
    "objects",
    "tips",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "traceobject.middleware.SecurityHeadersMiddleware",
    "traceobject.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Picks the language from the URL prefix (/de/...); on an unprefixed public URL it redirects
    # by Accept-Language. It reads no cookie it did not set and sets none (no set_language view).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "traceobject.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

# Cache: Redis shared by every node in production (REDIS_URL), local memory otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "tao"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
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

LOGIN_URL = "admin:login"
# A tip or follow-up form whose CSRF check fails is shown again with what was typed.
CSRF_FAILURE_VIEW = "tips.views.csrf_failure"

# --- Tips ---------------------------------------------------------------------------------------
# Receipt codes are stored only as HMAC-SHA256(RECEIPT_KEY, code). Changing the key makes every
# earlier code unreadable, so keep it as long as tipsters may come back.
RECEIPT_KEY = _required_secret("RECEIPT_KEY", lambda: secrets.token_urlsafe(48))


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

GALLERY_PAGE_SIZE = env_int("GALLERY_PAGE_SIZE", 24, minimum=1)
# Objects published within this many days get a "new" badge in the gallery.
NEW_BADGE_DAYS = env_int("NEW_BADGE_DAYS", 14, minimum=0)
# Public pages carry no cookie, so a proxy or CDN may cache them for this long.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60, minimum=0)
# Seconds the app keeps a rendered gallery or object page (and the public statistics) in the
# cache. Any change to an object, a translation or a category makes them stale at once anyway.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 3600, minimum=0)

# Logging: one line per record on stderr, never with the request attached. Django's own request
# loggers put the request object on the record; the filter drops it so no handler or formatter
# can ever print a client address or header from it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_request": {"()": "traceobject.logging.DropRequestFilter"},
        "no_header_values": {"()": "traceobject.logging.WithholdSecurityDetailsFilter"},
    },
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_request"],
        },
        "security_console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_request", "no_header_values"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's own "django" handler so each record is printed once, filtered.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Django's security messages quote request headers (Host, Origin, Referer).
        "django.security": {"handlers": ["security_console"], "propagate": False},
        # runserver's request lines ("GET / HTTP/1.1" 200) carry no address; development only.
        "django.server": {"handlers": ["console"] if DEBUG else [], "propagate": False},
    },
}
