"""Logging that can be shipped anywhere: one JSON object per line, nothing about the visitor.

Used by Django (settings.LOGGING) and by gunicorn (gunicorn.conf.py), so a node's stdout is a
single stream of JSON lines: ``time``, ``level``, ``logger``, ``message``, ``request_id`` and,
for an error, ``exception``. No formatter here ever reads the request, so no client address or
header can reach a line through it (invariant "Anonymity").
"""

import contextvars
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

# Set by traceobject.middleware.RequestIdMiddleware for the duration of one request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# gunicorn logs "Invalid request from ip=203.0.113.9: ..." for a malformed request line; the
# address goes before the line is written. IPv4 and IPv6 (with or without brackets).
_GUNICORN_IP = re.compile(r"ip=\[?[0-9A-Fa-f:.]+\]?(?=: |$)")
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_REDACTED_ADDRESS = "[address not logged]"
# URLs that carry a secret in their path: the one-time staff setup link. Django logs
# "Not Found: /backoffice/setup/<token>/" for a used or expired one; the token never reaches a line.
_SECRET_PATHS = re.compile(r"(/setup/)[^/\s'\"?#]+")

# Django's security messages quote what the client sent ("Invalid HTTP_HOST header: 'x'",
# "Origin checking failed - https://x does not match ..."): a request header in a log line. They
# are replaced whole; the logger name still says which check failed.
_HEADER_MESSAGES = {
    "django.security.DisallowedHost": "Host header not in ALLOWED_HOSTS (value not logged)",
}
_SECURITY_LOGGERS = "django.security."


def _quotes_a_header(name: str) -> bool:
    return name.startswith(_SECURITY_LOGGERS)


class DropRequestFilter(logging.Filter):
    """Remove the request (and with it every header and the client address) from log records.

    Django's request loggers attach ``record.request``; a formatter or an e-mail handler could print
    its META. Dropping it here means no handler configured later can leak it (the invariant
    "Anonymity").
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


def scrub(message: str) -> str:
    """Remove anything that looks like an IP address, and any setup-link token, from a message."""
    message = _SECRET_PATHS.sub(r"\1[token not logged]", message)
    return _IPV4.sub(_REDACTED_ADDRESS, _GUNICORN_IP.sub("ip=" + _REDACTED_ADDRESS, message))


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line.

    ``json.dumps`` with ``ensure_ascii`` escapes every control character (and everything outside
    ASCII), so a newline or terminal escape sequence in a message cannot forge a second line or
    rewrite an operator's terminal.
    """

    def format(self, record: logging.LogRecord) -> str:
        quotes_a_header = _quotes_a_header(record.name)
        if quotes_a_header:
            check = record.name.rsplit(".", 1)[-1]
            message = _HEADER_MESSAGES.get(
                record.name, f"{check} check failed (details not logged)"
            )
        else:
            message = scrub(record.getMessage())
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "request_id": request_id_var.get(),
        }
        # The exception of a header message repeats the header, so it is left out.
        if record.exc_info and not quotes_a_header:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=True)


def logging_config(
    *, level: str = "INFO", debug: bool = False, gunicorn: bool = False
) -> dict[str, Any]:
    """The dictConfig for Django and, with ``gunicorn=True``, for gunicorn's own loggers."""
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"no_request": {"()": "traceobject.logging.DropRequestFilter"}},
        "formatters": {"json": {"()": "traceobject.logging.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
                "filters": ["no_request"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Replaces Django's own console handler (DEBUG only), so a record is printed once.
            "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            # runserver's request lines ("GET / HTTP/1.1" 200) carry no address; development only.
            "django.server": {"handlers": ["stdout"] if debug else [], "propagate": False},
            # Every process imports the task modules (traceobject/tasks.py); their registration
            # lines would open the output of every command and every gunicorn start.
            "procrastinate.blueprints": {"level": "WARNING"},
            "procrastinate.periodic": {"level": "WARNING"},
        },
    }
    if gunicorn:
        config["loggers"].update(
            {
                "gunicorn.error": {"handlers": ["stdout"], "level": level, "propagate": False},
                "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            }
        )
    return config
