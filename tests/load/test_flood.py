"""A flood of ten times the hourly tip cap is turned away with 429s while staff pages answer."""

import http.client
import threading
import time

import pytest

from bench.tipload import percentile, run_tips
from tests.load.conftest import staff_session_cookie
from tests.personas import make_editor
from tips.models import Tip

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

# "Normal" is what the global cap admits; the flood sends ten times that, from 32 addresses.
CAP = 200
FLOOD = 10 * CAP
CLIENTS = 32


def _staff_pages(port: int, cookie: str, stop: threading.Event, samples: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        start = time.perf_counter()
        try:
            conn.request("GET", "/backoffice/", headers={"Cookie": f"sessionid={cookie}"})
            response = conn.getresponse()
            body = response.read()
            status = response.status if b"Log out" in body else -response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status = 0
        samples.append((status, (time.perf_counter() - start) * 1000))
        time.sleep(0.02)  # a person clicking through the back-office, not a second flood
    conn.close()


def test_a_flood_is_rate_limited_while_the_back_office_keeps_answering(
    load_env, start_node, tip_target
):
    obj, path, token = tip_target
    # Per day, not per hour, so a window boundary cannot fall inside the test.
    node = start_node(load_env, TIP_RATE_PER_CLIENT=f"{CAP // 20}/d", TIP_RATE_GLOBAL=f"{CAP}/d")
    cookie = staff_session_cookie(make_editor())
    samples: list[tuple[int, float]] = []
    stop = threading.Event()
    staff = threading.Thread(target=_staff_pages, args=(node.port, cookie, stop, samples))
    staff.start()
    try:
        result = run_tips(
            node.port,
            path,
            clients=CLIENTS,
            total=FLOOD,
            token=token,
            source=lambda i: f"127.0.3.{i + 1}",
        )
    finally:
        stop.set()
        staff.join()

    staff_statuses = [status for status, _ in samples]
    staff_ms = sorted(ms for _, ms in samples)
    print(
        f"\nflood: {result.summary()}; staff page /backoffice/ during the flood:"
        f" {len(samples)} requests, p50 {percentile(staff_ms, 0.5):.0f} ms,"
        f" p95 {percentile(staff_ms, 0.95):.0f} ms, statuses {sorted(set(staff_statuses))}"
    )
    assert not result.client_errors
    assert result.by_status() == {200: CAP, 429: FLOOD - CAP}
    assert all(o.body_kept for o in result.outcomes if o.status == 429)
    assert Tip.objects.filter(trace_object=obj).count() == CAP == len(result.receipts)
    assert samples, "the staff page was asked during the flood"
    assert set(staff_statuses) == {200}, "every staff page answered, logged in, without a 5xx"
