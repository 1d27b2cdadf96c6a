"""The image's HEALTHCHECK: GET /healthz from gunicorn's own address, with a Host it accepts.

Exits 0 on a 200, 1 otherwise. Docker runs it in the container every 15 seconds, so it loads no
Django settings (a second of CPU each time); it reads GUNICORN_BIND and ALLOWED_HOSTS as the
settings do (NAME_FILE too, traceobject.env). The Host header is the first ALLOWED_HOSTS entry:
Django answers 400 to any other, and in production that list names the site, not 127.0.0.1.
"""

import http.client
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from traceobject.env import env_list, env_str  # noqa: E402 (after the path is set)

TIMEOUT = 2.0


def target(bind: str) -> tuple[str, int] | str:
    """(host, port) to connect to for a gunicorn bind address, or a unix socket's path.

    A wildcard address (0.0.0.0, ::, or none) is reached on loopback.
    """
    if bind.startswith("unix:"):
        return bind[len("unix:") :]
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    if host in ("", "0.0.0.0"):  # noqa: S104 (an address to connect to, not to bind)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return host, int(port)


def host_header(allowed_hosts: list[str]) -> str:
    """A Host value that Django's ALLOWED_HOSTS accepts: its first concrete entry."""
    for entry in allowed_hosts:
        name = entry.lstrip(".")  # ".example.org" allows example.org and its subdomains
        if name and name != "*":
            return name
    return "localhost"


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=TIMEOUT)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(TIMEOUT)
        self.sock.connect(self.path)


def healthy() -> bool:
    where = target(env_str("GUNICORN_BIND", "127.0.0.1:8000"))
    if isinstance(where, str):
        conn: http.client.HTTPConnection = _UnixConnection(where)
    else:
        conn = http.client.HTTPConnection(*where, timeout=TIMEOUT)
    try:
        conn.request("GET", "/healthz", headers={"Host": host_header(env_list("ALLOWED_HOSTS"))})
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


if __name__ == "__main__":
    sys.exit(0 if healthy() else 1)
