"""The front door (deploy/haproxy.cfg on Debian's haproxy) before real gunicorn nodes.

Every test starts the real binary with the project's own configuration on free loopback ports,
in front of a gunicorn node on the test database (tests/deploy/conftest.py), or in front of a
deliberately slow stand-in when it needs gunicorn saturated.
"""

import json
import re
import shutil
import socket
import threading

import pytest
from django.conf import settings

from bench.proxy import HAPROXY, Proxy
from tests.deploy.conftest import node_env, start_node  # noqa: F401 (fixtures used here)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(autouse=True)
def _haproxy_installed():
    if not shutil.which(HAPROXY):
        pytest.fail("haproxy is not installed (apt-get install haproxy; .ci/run does)")


@pytest.fixture
def proxy_env(node_env):  # noqa: F811 (the imported fixture)
    """A node behind the proxy: the proxy is trusted, and so is its circuit header.

    The access log is on (without addresses, gunicorn.conf.py) so a test can count what reached
    gunicorn. This process's SECRET_KEY, so the test can mint form tokens.
    """
    return {
        **node_env,
        "SECRET_KEY": settings.SECRET_KEY,
        "TRUSTED_PROXY_COUNT": "1",
        "TOR_CIRCUIT_HEADER": "X-Tor-Circuit",
        "GUNICORN_ACCESS_LOG": "1",
        "TIP_MIN_FILL_SECONDS": "0",
        # The proxy keeps idle connections to gunicorn open; a test need not wait them out.
        "GUNICORN_GRACEFUL_TIMEOUT": "1",
    }


@pytest.fixture
def start_proxy(tmp_path):
    """Start proxies; every one is killed when the test ends, whatever happened."""
    proxies = []

    def start(upstream_port: int, **env: str) -> Proxy:
        proxy = Proxy(tmp_path, upstream_port=upstream_port, **env)
        proxies.append(proxy)
        return proxy.start()

    try:
        yield start
    finally:
        for proxy in proxies:
            proxy.stop()


@pytest.fixture
def front_door(proxy_env, start_node, start_proxy):  # noqa: F811
    """(proxy, node): gunicorn running the app, and the proxy in front of it."""

    def start(node_overrides=None, **proxy_overrides):
        node = start_node(proxy_env, **(node_overrides or {}))
        return start_proxy(node.port, **proxy_overrides), node

    return start


@pytest.fixture
def slow_upstream():
    """A stand-in for a saturated gunicorn: it holds every request until the test ends, except
    one whose path contains "/answer", which gets a small page public caches may keep for a
    minute. Returns (port, number of connections it has accepted)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()
    page = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        b"Cache-Control: public, max-age=60\r\nContent-Length: 6\r\n\r\nanswer"
    )

    def serve(conn: socket.socket):
        conn.settimeout(0.2)
        data = b""
        while not stop.is_set():
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            if not chunk:
                return
            data += chunk
            while b"\r\n\r\n" in data:
                head, _, data = data.partition(b"\r\n\r\n")
                length = re.search(rb"(?i)content-length: *(\d+)", head)
                data = data[int(length.group(1)) if length else 0 :]
                if b"/answer" not in head.split(b"\r\n", 1)[0]:
                    return  # held: never answered, the connection stays open
                conn.sendall(page)

    def accept():
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], lambda: len(held)
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def upstream_count(node, method: str, path: str) -> int:
    """How many `method path` requests reached gunicorn (its access log, gunicorn.conf.py).

    Stops the node first: gunicorn writes an access line after the response has gone out.
    """
    node.stop()
    entries = [json.loads(line) for line in node.log().splitlines() if line.strip()]
    return sum(
        e["logger"] == "gunicorn.access" and e["message"].startswith(f"{method} {path} ")
        for e in entries
    )
