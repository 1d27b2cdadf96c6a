"""A tip-sending load generator for the load tests (tests/load) and `make bench`. Not site code.

Each client is a thread with one keep-alive connection, like a browser tab: it fetches the tip
form once for its CSRF cookie and token, then posts tips with a fresh form token each (minted by
the caller with `tips.spam.issue_token`, so the nodes must share SECRET_KEY with this process).

A POST that dies with the connection before any response byte (a worker killed, a keep-alive
connection closed by the server) is sent again once on a new connection with the same form, as
browsers do: if the first attempt was stored, the answer is "already received" and no second tip
is made (the form token is good for one tip). Every outcome is recorded with the form's
submission hash, so a test can compare what clients were told with what the database holds.
"""

import hashlib
import http.client
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

RECEIPT = re.compile(rb'id="receipt-code"[^>]*value="([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})"')
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ALREADY = b"This tip was already received"  # tips/already.html


@dataclass
class Outcome:
    """One tip as its sender saw it."""

    body: str
    submission_hash: str  # sha256 of the form token's nonce, as Tip.submission_hash
    status: int = 0  # 0: no HTTP answer at all, even after the retry
    receipt: str = ""
    already: bool = False  # "already received": the first attempt was stored
    retried: bool = False
    body_kept: bool = False  # the typed text is in the response (what a 503/429 must do)
    seconds: float = 0.0


@dataclass
class LoadResult:
    outcomes: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0
    client_errors: list[str] = field(default_factory=list)  # a client that could not start

    def by_status(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for o in self.outcomes:
            counts[o.status] = counts.get(o.status, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def receipts(self) -> list[str]:
        return [o.receipt for o in self.outcomes if o.receipt]

    def latencies(self, status: int = 200) -> list[float]:
        return sorted(o.seconds * 1000 for o in self.outcomes if o.status == status)

    def summary(self) -> str:
        ok = len(self.receipts)
        already = sum(o.already for o in self.outcomes)
        retried = sum(o.retried for o in self.outcomes)
        return (
            f"{len(self.outcomes)} tips sent in {self.elapsed:.1f} s"
            f" ({ok / self.elapsed:.0f} receipts/s); statuses {self.by_status()};"
            f" receipts {ok}; already received on retry {already}; retried {retried}"
        )


def nonce_hash(token: str) -> str:
    """Tip.submission_hash for a form token made by tips.spam.issue_token (read unsigned)."""
    from django.core import signing

    payload = signing.loads(token, salt="tips.form-token")
    return hashlib.sha256(str(payload["n"]).encode()).hexdigest()


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    return samples[min(len(samples) - 1, int(len(samples) * p))]


class TipClient:
    """One visitor's browser: a keep-alive connection, a CSRF cookie, a source address."""

    def __init__(self, port: int, path: str, *, source: str = "127.0.0.1", timeout=30.0):
        self.port, self.path, self.source, self.timeout = port, path, source, timeout
        self.conn: http.client.HTTPConnection | None = None
        self.cookie = ""
        self.csrf = ""

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.source, 0)
            )
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body=None, headers=None):
        """(status, headers, body); an OSError/HTTPException means no answer came."""
        conn = self._connect()
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.will_close:
            self.close()
        return response.status, response.headers, content

    def open_form(self) -> bytes:
        """GET the form; keeps the CSRF cookie and token for the following posts."""
        status, headers, body = self.request("GET", self.path)
        if status != 200:
            raise RuntimeError(f"tip form GET answered {status}")
        jar = SimpleCookie()
        for header in headers.get_all("Set-Cookie") or []:
            jar.load(header)
        if "csrftoken" in jar:
            self.cookie = jar["csrftoken"].value
        self.csrf = CSRF_FIELD.search(body).group(1).decode()
        return body

    def post_tip(self, body: str, token: str) -> Outcome:
        outcome = Outcome(body=body, submission_hash=nonce_hash(token))
        fields = {"body": body, "started": token, "csrfmiddlewaretoken": self.csrf, "website": ""}
        data = urlencode(fields).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.cookie}",
            "Origin": "null",
            "Sec-Fetch-Site": "same-origin",
        }
        start = time.perf_counter()
        for attempt in range(2):
            try:
                status, _, content = self.request("POST", self.path, data, headers)
            except (OSError, http.client.HTTPException):
                if attempt == 0:
                    outcome.retried = True
                    continue
                break
            outcome.status = status
            if status == 200 and (match := RECEIPT.search(content)):
                outcome.receipt = match.group(1).decode()
            elif status == 200 and ALREADY in content:
                outcome.already = True
            outcome.body_kept = body.encode() in content
            break
        outcome.seconds = time.perf_counter() - start
        return outcome


def run_tips(
    port: int,
    path: str,
    *,
    clients: int,
    total: int | None = None,
    seconds: float | None = None,
    token: Callable[[], str],
    source: Callable[[int], str] = lambda i: "127.0.0.1",
    body: Callable[[int, int], str] = lambda c, n: f"Load test tip {c}-{n}: seen in a shop.",
    during: Callable[[LoadResult], None] | None = None,
    pause: float = 0.0,
) -> LoadResult:
    """Send `total` tips (or for `seconds`) from `clients` concurrent clients; `during` runs in
    the calling thread while they send (a fault to inject), `pause` is each client's think time.
    """
    result = LoadResult()
    lock = threading.Lock()
    counter = iter(range(total)) if total is not None else None
    stop = threading.Event()

    def next_ticket() -> int | None:
        if stop.is_set():
            return None
        with lock:
            return next(counter, None) if counter is not None else 0

    def client(i: int) -> None:
        tc = TipClient(port, path, source=source(i))
        try:
            try:
                tc.open_form()
            except Exception as exc:
                with lock:
                    result.client_errors.append(f"client {i}: tip form GET failed: {exc!r}")
                return
            n = 0
            while next_ticket() is not None:
                outcome = tc.post_tip(body(i, n), token())
                n += 1
                with lock:
                    result.outcomes.append(outcome)
                if pause:
                    time.sleep(pause)
        finally:
            tc.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        if during is not None:
            during(result)
        if seconds is not None:
            time.sleep(max(0.0, seconds - (time.perf_counter() - began)))
            stop.set()
    finally:
        for thread in threads:
            thread.join(timeout=300)
        stop.set()
    result.elapsed = time.perf_counter() - began
    return result
