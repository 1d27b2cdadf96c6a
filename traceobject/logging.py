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
