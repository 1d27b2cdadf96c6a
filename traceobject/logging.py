import logging


class DropRequestFilter(logging.Filter):
    """Remove the request (and with it every header and the client address) from log records.

    Django's request loggers attach ``record.request``; a formatter or an e-mail handler could print
    its META. Dropping it here means no handler configured later can leak it (invariant 1).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return True


class WithholdSecurityDetailsFilter(logging.Filter):
    """Keep that a security check failed, drop its details.

    Messages from django.security quote what the client sent ("Invalid HTTP_HOST header:
    'x'", "Origin checking failed - https://x does not match ..."), which is a request header
    in a log line. The logger name says which check failed; that is all an operator needs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = "%s check failed (details withheld: they quote request headers)"
        record.args = (record.name.rsplit(".", 1)[-1],)
        record.exc_info = None
        record.exc_text = None
        return True
