"""gunicorn with gunicorn.conf.py: start-up check, readiness, and what reaches the logs."""

import json
import socket

import pytest

from bench.nodes import Node

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

# A client address and headers that must never appear in a log line. The whole of 127.0.0.0/8
# is loopback, so the test really connects from SENTINEL_IP.
SENTINEL_IP = "127.42.13.77"
SENTINEL_HEADERS = {
    "User-Agent": "SentinelAgent/9.9 (leak-check-4e1f)",
    "Referer": "https://referer.invalid/leak-check-7a2c",
    "X-Forwarded-For": "198.51.100.77",
    "X-Real-IP": "198.51.100.78",
    "Cookie": "tracking=leak-check-cookie-91b3",
}
SENTINELS = [SENTINEL_IP, "leak-check", "198.51.100.77", "198.51.100.78", "SentinelAgent"]


def _raw(node, data: bytes) -> bytes:
    with socket.socket() as sock:
        sock.settimeout(10)
        sock.bind((SENTINEL_IP, 0))
        sock.connect(("127.0.0.1", node.port))
        sock.sendall(data)
        return sock.recv(4096)


def test_logs_are_json_lines_without_address_or_headers(node_env, start_node):
    node = start_node(node_env, GUNICORN_ACCESS_LOG="1", LOG_LEVEL="DEBUG")
    responses = {
        path: node.get(path, SENTINEL_HEADERS, source=SENTINEL_IP)
        for path in (
            "/",
            "/en/",
            "/healthz",
            "/readyz",
            "/en/objects/TAO-9999/",
            "/en/?q=leak-check-query",
        )
    }
    assert responses["/"][0] == 302  # to the visitor's language
    assert responses["/en/objects/TAO-9999/"][0] == 404
    bad_host = node.get("/", {**SENTINEL_HEADERS, "Host": "leak-check.invalid"}, source=SENTINEL_IP)
    assert bad_host[0] == 400
    assert _raw(node, b"GARBAGE\r\n\r\n").startswith(b"HTTP/1.1 400")
    long_line = b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    assert _raw(node, long_line).startswith(b"HTTP/1.1 414")
    node.stop()

    lines = [line for line in node.log().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message", "request_id"} <= set(e) for e in entries)
    for sentinel in SENTINELS:
        assert sentinel not in node.log(), f"{sentinel!r} reached the log"

    not_found_id = responses["/en/objects/TAO-9999/"][1]["X-Request-ID"]
    assert any(
        e["logger"] == "django.request" and e["request_id"] == not_found_id for e in entries
    ), "the 404's log line carries the response's request id"
    access = [e["message"] for e in entries if e["logger"] == "gunicorn.access"]
    assert any(m.startswith("GET /healthz 200 ") for m in access), access
    assert any("Invalid request from ip=[address not logged]" in e["message"] for e in entries), (
        "gunicorn's invalid-request line was written, without the address"
    )
    assert any(e["logger"] == "django.security.DisallowedHost" for e in entries)


def test_no_access_log_unless_asked(node_env, start_node):
    node = start_node(node_env)
    assert node.get("/healthz")[0] == 200
    assert node.get("/en/")[0] == 200
    node.stop()
    entries = [json.loads(line) for line in node.log().splitlines() if line.strip()]
    assert entries, "the node wrote its start-up lines"
    assert not [e for e in entries if e["logger"] == "gunicorn.access"]


def test_readyz_is_503_while_healthz_is_200_when_the_database_is_unreachable(node_env, start_node):
    with socket.socket() as sock:  # a port that is certainly closed
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    node = start_node(node_env, DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/nothing")
    assert node.get("/healthz")[0] == 200
    status, headers, body = node.get("/readyz")
    assert (status, body) == (503, b"database unreachable\n")
    assert headers["Content-Type"].startswith("text/plain")


def test_readyz_is_200_when_everything_answers(node_env, start_node):
    assert start_node(node_env).get("/readyz")[:3:2] == (200, b"ok\n")


def test_gunicorn_refuses_to_serve_on_insecure_settings(node_env, tmp_path):
    # SQLite in production: check --deploy reports traceobject.E001 and the master exits.
    node = Node({**node_env, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}, log_dir=tmp_path)
    try:
        with pytest.raises(RuntimeError, match="gunicorn exited with 3"):
            node.start()
        assert "traceobject.E001" in node.log()
        assert "Refusing to serve" in node.log()
    finally:
        node.stop()


def test_gunicorn_refuses_plain_http_settings_at_the_default_warning_level(node_env, tmp_path):
    env = {**node_env}
    env.pop("DEPLOY_CHECK_FAIL_LEVEL")
    node = Node(env, log_dir=tmp_path)
    try:
        with pytest.raises(RuntimeError, match="gunicorn exited with 3"):
            node.start()
        assert "security.W012" in node.log()
    finally:
        node.stop()
