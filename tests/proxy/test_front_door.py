"""The front door before real gunicorn: TLS, the micro-cache and what it never keeps, shedding
load with a 503 in the visitor's language, and no address in any log the proxy writes."""

import http.client
import re
import socket
import ssl
import threading

import pytest
from django.urls import reverse

from bench.nodes import BASE_DIR
from tests.factories import make_object
from tests.proxy.conftest import upstream_count

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SENTINEL_IP = "127.42.13.78"


def test_it_terminates_tls_with_the_given_certificate(front_door):
    proxy, _node = front_door()
    conn = proxy.https()
    status, headers, _ = proxy.request("GET", "/en/", conn=conn)
    assert status == 200
    assert headers["X-Forwarded-Proto"] is None  # a request header, never echoed
    # Without the test's CA the certificate is refused: it really is TLS with our certificate.
    bare = http.client.HTTPSConnection(
        "127.0.0.1", proxy.https_port, timeout=10, context=ssl.create_default_context()
    )
    with pytest.raises(ssl.SSLCertVerificationError):
        bare.request("GET", "/en/")
    bare.close()


def test_plain_http_is_redirected_to_https(front_door):
    proxy, node = front_door()
    conn = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
    status, headers, _ = proxy.request("GET", "/en/?q=bag", conn=conn)
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{proxy.http_port}/en/?q=bag"
    assert upstream_count(node, "GET", "/en/") == 0


def test_the_app_sees_https_through_the_proxy(front_door):
    proxy, _node = front_door(
        {"SECURE_HTTPS": "1", "DEPLOY_CHECK_FAIL_LEVEL": "ERROR", "SECURE_HSTS_SECONDS": "60"}
    )
    _, headers, _ = proxy.request("GET", "/en/")
    # Django sends HSTS only on a request it believes secure: X-Forwarded-Proto from the proxy.
    assert headers["Strict-Transport-Security"] == "max-age=60; includeSubDomains"


def test_a_public_page_is_answered_from_the_cache_the_second_time(front_door):
    proxy, node = front_door()
    first = proxy.request("GET", "/en/")
    second = proxy.request("GET", "/en/")
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache"] == "miss"
    assert second[1]["X-Cache"] == "hit"
    assert second[1]["Age"] is not None
    assert second[2] == first[2]
    assert upstream_count(node, "GET", "/en/") == 1


def test_the_cache_keeps_each_language_apart(front_door):
    proxy, node = front_door()
    for path in ("/en/", "/de/", "/en/", "/de/"):
        assert proxy.request("GET", path)[0] == 200
    german = proxy.request("GET", "/de/")[2].decode()
    assert '<html lang="de"' in german
    assert upstream_count(node, "GET", "/en/") == 1
    assert upstream_count(node, "GET", "/de/") == 1


def test_static_files_are_served_through_the_asset_cache(front_door):
    proxy, node = front_door()
    first = proxy.request("GET", "/static/css/site.css")
    second = proxy.request("GET", "/static/css/site.css")
    assert first[0] == second[0] == 200
    assert second[1]["X-Cache"] == "hit"
    assert second[2] == first[2] == (BASE_DIR / "static/css/site.css").read_bytes()
    assert upstream_count(node, "GET", "/static/css/site.css") == 1


def test_a_response_that_sets_a_cookie_is_never_cached(front_door):
    proxy, node = front_door()
    obj = make_object(title="Green canvas bag")
    path = reverse("tips:form", args=[obj.number])
    for _ in range(2):
        status, headers, _ = proxy.request("GET", path)
        assert status == 200
        assert "csrftoken=" in headers["Set-Cookie"]
        assert headers["X-Cache"] == "miss"
    assert upstream_count(node, "GET", path) == 2


def test_a_post_is_never_cached(front_door):
    proxy, node = front_door()
    path = reverse("tips:follow_up")
    for _ in range(2):
        status, headers, _ = proxy.request(
            "POST",
            path,
            body=b"code=K7QM-2XWD-9FHT-4RBN",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 403  # no CSRF cookie: the app's answer, every time
        assert headers["X-Cache"] == "miss"
    assert upstream_count(node, "POST", path) == 2


def test_the_back_office_is_never_cached(front_door):
    proxy, node = front_door()
    for _ in range(2):
        status, headers, _ = proxy.request("GET", "/backoffice/login/")
        assert status == 200
        assert headers["X-Cache"] == "miss"
    assert upstream_count(node, "GET", "/backoffice/login/") == 2


def test_a_client_cannot_name_its_own_address(front_door):
    proxy, node = front_door({"TIP_RATE_PER_CLIENT": "1/d", "TIP_RATE_GLOBAL": "1000/d"})
    from bench.proxy import ProxyTipClient
    from tips import spam

    obj = make_object(title="Silver hair clip")
    path = reverse("tips:form", args=[obj.number])
    statuses = []
    for i in range(2):
        client = ProxyTipClient(proxy, path, headers={"X-Forwarded-For": f"198.51.100.{i}"})
        client.open_form()
        statuses.append(
            client.post_tip(f"Tip {i}: seen at a market.", spam.issue_token(obj.number)).status
        )
        client.close()
    # Both come from 127.0.0.1 as the proxy saw it: one budget, whatever the header said.
    assert statuses == [200, 429]


def test_the_excess_gets_a_503_with_retry_after_at_once(slow_upstream, start_proxy):
    port, accepted = slow_upstream
    proxy = start_proxy(port, PROXY_UPSTREAM_MAXCONN="1", PROXY_QUEUE_MAX="0")
    held = proxy.https()
    held.request("GET", "/en/objects/1/")  # takes the one slot and keeps it
    _wait_for(lambda: accepted() == 1)
    status, headers, body = proxy.request("GET", "/fr/objects/2/")
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert headers["Cache-Control"] == "no-store"
    page = body.decode()
    assert '<html lang="fr"' in page and "Veuillez réessayer dans quelques minutes." in page
    assert accepted() == 1  # the excess never reached the upstream
    held.close()


@pytest.mark.parametrize(
    ("path", "lang", "text"),
    [
        ("/ar/", "ar", "يُرجى المحاولة مرة أخرى بعد بضع دقائق."),
        ("/de/objects/", "de", "Bitte versuchen Sie es in ein paar Minuten noch einmal."),
        ("/xx/", "en", "Please try again in a few minutes."),
        ("/healthz", "en", "Please try again in a few minutes."),
    ],
)
def test_the_busy_page_is_in_the_language_of_the_path(slow_upstream, start_proxy, path, lang, text):
    port, accepted = slow_upstream
    proxy = start_proxy(port, PROXY_UPSTREAM_MAXCONN="1", PROXY_QUEUE_MAX="0")
    held = proxy.https()
    held.request("GET", "/en/")
    _wait_for(lambda: accepted() == 1)
    status, _, body = proxy.request("GET", path)
    assert status == 503
    assert f'<html lang="{lang}"' in body.decode() and text in body.decode()
    held.close()


def test_a_request_that_waited_its_queue_time_gets_the_busy_page(slow_upstream, start_proxy):
    port, accepted = slow_upstream
    proxy = start_proxy(
        port, PROXY_UPSTREAM_MAXCONN="1", PROXY_QUEUE_MAX="8", PROXY_QUEUE_TIMEOUT="200ms"
    )
    held = proxy.https()
    held.request("GET", "/en/")
    _wait_for(lambda: accepted() == 1)
    status, headers, body = proxy.request("GET", "/pl/")
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert "Spróbuj ponownie za kilka minut." in body.decode()
    held.close()


def test_a_cached_page_is_still_served_while_gunicorn_is_saturated(slow_upstream, start_proxy):
    port, accepted = slow_upstream
    proxy = start_proxy(port, PROXY_UPSTREAM_MAXCONN="1", PROXY_QUEUE_MAX="0")
    assert proxy.request("GET", "/en/answer")[0] == 200  # now in the cache
    held = proxy.https()
    held.request("GET", "/en/objects/1/")  # takes the one slot and keeps it
    _wait_for(lambda: proxy.request("GET", "/de/")[0] == 503)
    status, headers, body = proxy.request("GET", "/en/answer")
    assert (status, headers["X-Cache"], body) == (200, "hit", b"answer")
    held.close()


def test_a_tip_has_slots_of_its_own_while_readers_fill_theirs(slow_upstream, start_proxy):
    port, accepted = slow_upstream
    proxy = start_proxy(port, PROXY_UPSTREAM_MAXCONN="1", PROXY_QUEUE_MAX="0")
    held = proxy.https()
    held.request("GET", "/en/objects/1/")
    _wait_for(lambda: proxy.request("GET", "/de/")[0] == 503)
    status, _, body = proxy.request(
        "POST",
        "/en/objects/1/tip/answer",
        body=b"body=seen+at+a+market",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (status, body) == (200, b"answer")
    held.close()


def test_a_tip_waiting_too_long_for_a_slot_gets_the_busy_page(slow_upstream, start_proxy):
    port, accepted = slow_upstream
    proxy = start_proxy(port, PROXY_FORM_MAXCONN="1", PROXY_FORM_QUEUE_TIMEOUT="200ms")
    held = proxy.https()
    held.request("POST", "/nl/objects/1/tip/", body=b"body=x")  # takes the one form slot
    _wait_for(lambda: accepted() == 1)
    status, headers, body = proxy.request("POST", "/nl/objects/2/tip/", body=b"body=y")
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert "Probeer het over een paar minuten opnieuw." in body.decode()
    assert accepted() == 1
    held.close()


def test_the_proxy_waits_longer_than_gunicorn_so_no_request_in_progress_is_cut():
    config = (BASE_DIR / "deploy/haproxy.cfg").read_text()
    server_timeout = re.search(r"presetenv PROXY_SERVER_TIMEOUT (\d+)s", config).group(1)
    gunicorn_timeout = re.search(
        r'env_int\("GUNICORN_TIMEOUT", (\d+)', (BASE_DIR / "gunicorn.conf.py").read_text()
    ).group(1)
    assert int(server_timeout) > int(gunicorn_timeout)
    assert 'timeout server "${PROXY_SERVER_TIMEOUT}"' in config
    assert 'timeout client "${PROXY_SERVER_TIMEOUT}"' in config


def test_a_slow_answer_in_progress_is_delivered_not_cut(front_door):
    # The queue timeout is short, but it applies only to waiting for a slot: a tip gunicorn is
    # processing gets its receipt however long the queue timeout is.
    proxy, node = front_door(PROXY_FORM_QUEUE_TIMEOUT="100ms")
    obj = make_object(title="Orange plastic bucket")
    from bench.proxy import ProxyTipClient
    from tips import spam

    client = ProxyTipClient(proxy, reverse("tips:form", args=[obj.number]))
    client.open_form()
    outcome = client.post_tip("Seen in a garden shop.", spam.issue_token(obj.number))
    client.close()
    assert outcome.status == 200 and outcome.receipt
    assert node.get("/healthz")[0] == 200


def test_no_log_the_proxy_writes_holds_a_client_address(front_door):
    proxy, _node = front_door()
    for path in ("/en/", "/en/", "/backoffice/login/", "/en/objects/TAO-9999/", "/static/x"):
        proxy.request("GET", path, conn=proxy.https(source=SENTINEL_IP))
    raw = socket.create_connection(("127.0.0.1", proxy.http_port), source_address=(SENTINEL_IP, 0))
    raw.sendall(b"GARBAGE\r\n\r\n")
    raw.recv(4096)
    raw.close()
    onion = socket.create_connection(("127.0.0.1", proxy.onion_port))
    onion.sendall(b"PROXY TCP4 127.42.13.79 127.0.0.1 4242 80\r\nGET / HTTP/1.1\r\n\r\n")
    onion.recv(4096)
    onion.close()
    proxy.stop()
    log = proxy.log()
    for sentinel in (SENTINEL_IP, "127.42.13.79", "GARBAGE", "TAO-9999"):
        assert sentinel not in log


def _wait_for(condition, tries: int = 200):
    """Poll until `condition()` holds (a bounded number of tries, no timing assertion)."""
    event = threading.Event()
    for _ in range(tries):
        if condition():
            return
        event.wait(0.05)
    raise AssertionError("the condition never held")


def test_an_object_page_is_answered_from_the_cache_the_second_time(front_door):
    proxy, node = front_door()
    obj = make_object(title="Grey felt hat")
    path = obj.get_absolute_url()
    first = proxy.request("GET", path)
    second = proxy.request("GET", path)
    assert first[0] == second[0] == 200
    assert (first[1]["X-Cache"], second[1]["X-Cache"]) == ("miss", "hit")
    assert upstream_count(node, "GET", path) == 1
