"""scripts/healthcheck.py, the image's HEALTHCHECK, against a real HTTP server on 127.0.0.1."""

import importlib.util
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "healthcheck.py"
_spec = importlib.util.spec_from_file_location("healthcheck", SCRIPT)
healthcheck = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(healthcheck)


@pytest.fixture
def site():
    """A stand-in for gunicorn: 200 on /healthz for Host site.example only, like Django's 400."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, self.headers["Host"]))
            ok = self.path == "/healthz" and self.headers["Host"] == "site.example"
            self.send_response(200 if ok else 400)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def _run(port: int, allowed_hosts: str) -> int:
    env = {"GUNICORN_BIND": f"0.0.0.0:{port}", "ALLOWED_HOSTS": allowed_hosts}
    return subprocess.run([sys.executable, str(SCRIPT)], env=env, timeout=30).returncode


def test_it_is_healthy_when_healthz_answers_the_first_allowed_host(site):
    port, seen = site
    assert _run(port, "site.example,www.site.example") == 0
    assert seen == [("/healthz", "site.example")]


def test_it_is_unhealthy_when_healthz_refuses(site):
    port, seen = site
    assert _run(port, "other.example") == 1
    assert seen == [("/healthz", "other.example")]


def test_it_is_unhealthy_when_nothing_listens():
    assert _run(1, "site.example") == 1


def test_a_wildcard_bind_is_probed_on_loopback():
    assert healthcheck.target("0.0.0.0:8000") == ("127.0.0.1", 8000)
    assert healthcheck.target("[::]:8001") == ("::1", 8001)
    assert healthcheck.target(":8002") == ("127.0.0.1", 8002)
    assert healthcheck.target("127.0.0.2:8003") == ("127.0.0.2", 8003)
    assert healthcheck.target("unix:/run/gunicorn.sock") == "/run/gunicorn.sock"


def test_a_domain_pattern_gives_the_domain_and_a_bare_wildcard_localhost():
    assert healthcheck.host_header([".site.example"]) == "site.example"
    assert healthcheck.host_header(["*"]) == "localhost"
    assert healthcheck.host_header([]) == "localhost"
