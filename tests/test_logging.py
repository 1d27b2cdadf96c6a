import json
import logging
import sys

from django.test import Client, override_settings

from traceobject.logging import JsonFormatter, request_id_var


def _record(msg, *args, name="tests", exc_info=None, level=logging.WARNING):
    return logging.LogRecord(name, level, __file__, 1, msg, args, exc_info)


def _format(record) -> dict:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_line_has_time_level_logger_message_and_request_id():
    token = request_id_var.set("abc123abc123")
    try:
        entry = _format(_record("Not Found: %s", "/objects/TAO-9999/", name="django.request"))
    finally:
        request_id_var.reset(token)
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Not Found: /objects/TAO-9999/"
    assert entry["request_id"] == "abc123abc123"
    assert entry["time"].endswith("+00:00")


def test_control_characters_are_escaped_so_a_message_cannot_forge_a_line():
    line = JsonFormatter().format(_record("a\nb\r\x1b[31mred\x00\u2028"))
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\x00" not in line
    assert "\u2028" not in line
    assert json.loads(line)["message"] == "a\nb\r\x1b[31mred\x00\u2028"


def test_gunicorn_invalid_request_lines_lose_the_client_address():
    for address in ("203.0.113.9", "2001:db8::7", "[2001:db8::7]"):
        entry = _format(_record(f"Invalid request from ip={address}: Invalid HTTP method"))
        assert address.strip("[]") not in json.dumps(entry)
        assert entry["message"] == (
            "Invalid request from ip=[address not logged]: Invalid HTTP method"
        )


def test_an_ipv4_address_anywhere_in_a_message_is_removed():
    entry = _format(_record("connection from 198.51.100.23 closed"))
    assert entry["message"] == "connection from [address not logged] closed"


def test_the_disallowed_host_message_does_not_quote_the_header():
    record = _record(
        "Invalid HTTP_HOST header: %r.", "evil.example", name="django.security.DisallowedHost"
    )
    entry = _format(record)
    assert "evil.example" not in entry["message"]
    assert entry["logger"] == "django.security.DisallowedHost"


def test_an_exception_is_one_escaped_field():
    try:
        raise ValueError("boom from 192.0.2.1")
    except ValueError:
        entry = _format(_record("failed", exc_info=sys.exc_info(), level=logging.ERROR))
    assert "ValueError: boom from [address not logged]" in entry["exception"]


def test_each_response_carries_a_fresh_random_request_id(db):
    client = Client()
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_a_proxy_request_id_is_used_only_when_configured_and_well_formed(db):
    offered = "5f0c6a1e-4b1d-4f7a-9a43-0d6a2b7c9e11"
    assert Client().get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"] != offered
    with override_settings(REQUEST_ID_HEADER="X-Request-ID"):
        client = Client()
        assert client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"] == offered
        forged = client.get("/healthz", HTTP_X_REQUEST_ID="x\ny")["X-Request-ID"]
        assert forged != "x\ny" and len(forged) == 32


def test_the_request_id_is_cleared_when_the_response_is_finished(db):
    Client().get("/healthz")
    assert request_id_var.get() == ""


def test_a_setup_link_token_never_reaches_a_line():
    token = "q2Xy_Zt-9abcdefghijklmnopqrstuvwxyz0123456789"
    for message in (f"Not Found: /backoffice/setup/{token}/", f'"GET /backoffice/setup/{token}/'):
        entry = _format(_record(message))
        assert token not in json.dumps(entry)
        assert "/backoffice/setup/[token not logged]/" in entry["message"]


def test_a_used_setup_link_leaves_no_token_in_the_log(db, capsys):
    """The real request: Django's 'Not Found' line for an expired or used link, as configured."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    token = "NoSuchTokenAbcdefghijklmnopqrstuvwxyz0123456"
    response = Client().get(f"/backoffice/setup/{token}/")
    assert response.status_code == 404
    out = capsys.readouterr().out
    assert "Not Found" in out and token not in out
