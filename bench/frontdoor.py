"""`make bench BENCH=frontdoor`: HAProxy (deploy/haproxy.cfg) and gunicorn in one run.

Starts one gunicorn node with production settings and the real HAProxy in front of it, both on
127.0.0.1 (bench/nodes.py, bench/proxy.py), on the benchmark database of bench/run.py, and
drives both with wrk (Debian: `apt-get install wrk`):

1. A cached public page through the door as a multiple of gunicorn's own gallery rate, both at
   32 connections.
2. The object page a broadcaster just showed, at each of --connections (256 ... 2,048) through
   the door (TLS) and straight to gunicorn: requests/s, p50, p99, 503s, and answers that took
   longer than 5 s (wrk gives up on them: --timeout 5s).
3. Real tips at each of --tip-connections, both ways, from senders (Python asyncio, one
   keep-alive connection each) who give up after 5 s like wrk: receipts delivered in time, tips
   stored, and tips stored whose sender got no receipt in time. Each sender finishes (or gives
   up on) its last tip before the run ends, so none is cut off by the bench itself.

Every run is short (--seconds, 3 by default) and bounded; figures are printed, never asserted.

    python bench/frontdoor.py [--seconds 3] [--connections 256,1024,2048]
                              [--tip-connections 256,2048] [--objects 50] [--tips 1000]
"""

import argparse
import asyncio
import itertools
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.nodes import BASE_DIR, Node, production_env  # noqa: E402
from bench.proxy import Proxy, ProxyTipClient  # noqa: E402
from bench.run import DATABASE_URL, GALLERY, REDIS_URL, WRK, ensure_database, run  # noqa: E402

WRK_SCRIPT = BASE_DIR / "bench" / "wrk" / "frontdoor.lua"


def wrk(url: str, connections: int, seconds: float, args=(), ca: str = "") -> dict:
    """One wrk run; frontdoor.lua prints a `WRK {json}` line."""
    duration = max(1, round(seconds))
    command = [
        WRK,
        f"-t{min(connections, os.cpu_count() or 1)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "-s",
        str(WRK_SCRIPT),
        url,
        "--",
        str(min(connections, os.cpu_count() or 1)),
        *args,
    ]
    # Fixed argv, no shell.
    done = subprocess.run(  # noqa: S603
        command, cwd=BASE_DIR, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    line = re.search(r"^WRK (\{.*\})$", done.stdout, re.MULTILINE)
    if not line:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}")
    data = json.loads(line.group(1))
    elapsed = data["duration_us"] / 1e6
    data["rps"] = data["ok"] / elapsed
    data["elapsed"] = elapsed
    return data


def settle(count, *, quiet: float = 1.0, limit: float = 40.0) -> int:
    """count() once it has not changed for `quiet` seconds: answers still in flight land."""
    last, since, deadline = count(), time.monotonic(), time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return last


@dataclass
class Senders:
    """What the tip senders saw: each answer's status and seconds, and receipts in time."""

    statuses: dict = field(default_factory=dict)
    seconds: list = field(default_factory=list)
    receipts: int = 0  # shown within PATIENCE
    gave_up: int = 0  # no answer within PATIENCE: the sender closed the connection
    errors: int = 0  # the connection failed


# How long a tipster waits for the receipt page before giving up (wrk's --timeout in the rows
# above): after that the sender closes the connection, as a person closes the tab.
PATIENCE = 5.0


async def _send_tips(host, port, tls, path, cookie, forms, deadline, out: Senders):
    """One tipster after another on one connection until the deadline. An answer is never
    abandoned before PATIENCE, so every tip sent is answered or given up on as a person would."""
    reader = writer = None
    while time.monotonic() < deadline:
        body = next(forms)
        if writer is None:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port, ssl=tls), PATIENCE
                )
            except (OSError, TimeoutError):
                out.errors += 1
                await asyncio.sleep(0.1)
                continue
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Cookie: csrftoken={cookie}\r\nOrigin: null\r\nSec-Fetch-Site: same-origin\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}"
        ).encode()
        start = time.monotonic()
        try:
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), PATIENCE)
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            left = PATIENCE - (time.monotonic() - start)
            page = await asyncio.wait_for(
                reader.readexactly(int(length.group(1)) if length else 0), max(left, 0.001)
            )
        except TimeoutError:
            out.gave_up += 1
            writer.close()
            reader = writer = None
            continue
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            out.errors += 1
            writer.close()
            reader = writer = None
            continue
        out.seconds.append(time.monotonic() - start)
        out.statuses[status] = out.statuses.get(status, 0) + 1
        if status == 200 and b'id="receipt-code"' in page:
            out.receipts += 1
        if re.search(rb"(?i)\r\nconnection: *close", head):
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def tip_run(host, port, tls, path, page, connections: int, seconds: float, token) -> dict:
    """Real tips from `connections` impatient senders: receipts in time against rows stored."""
    from tips.models import Tip

    forms = (
        urlencode(
            {
                "body": f"Bench tip {n}: I think this is sold in a market near the station.",
                "started": token(),
                "csrfmiddlewaretoken": page.csrf,
                "website": "",
            }
        )
        for n in itertools.count()
    )
    before = Tip.objects.count()
    out = Senders()

    async def everyone():
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(
                _send_tips(host, port, tls, path, page.cookie, forms, deadline, out)
                for _ in range(connections)
            )
        )

    started = time.monotonic()
    asyncio.run(everyone())
    elapsed = time.monotonic() - started
    stored = settle(Tip.objects.count) - before
    latencies = sorted(out.seconds)
    return {
        "receipts": out.receipts,
        "rps": out.receipts / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000 if latencies else 0,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0,
        "shed": out.statuses.get(503, 0),
        "gave_up": out.gave_up,
        "errors": out.errors + sum(n for s, n in out.statuses.items() if s not in (200, 503)),
        "stored": stored,
    }


def row(name: str, r: dict) -> str:
    if r["requests"] == 0:
        return f"| {name} | none: wrk completed no connection in {r['elapsed']:.0f} s | | | | | |"
    return (
        f"| {name} | {r['rps']:,.0f} | {r['p50_us'] / 1000:,.0f} | {r['p99_us'] / 1000:,.0f} |"
        f" {r['shed']:,} | {r['timeouts']:,} | {r['other'] + r['socket_errors']:,} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per run (default 3)")
    parser.add_argument("--connections", default="256,1024,2048")
    parser.add_argument("--tip-connections", default="256,2048")
    parser.add_argument("--objects", type=int, default=50, help="extra objects to seed")
    parser.add_argument("--tips", type=int, default=1000, help="tips to seed")
    args = parser.parse_args()
    if not WRK:
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    connections = [int(c) for c in args.connections.split(",") if c]
    tip_connections = [int(c) for c in args.tip_connections.split(",") if c]

    pg_version = ensure_database(DATABASE_URL)
    var = Path(os.environ.get("BENCH_VAR_DIR", BASE_DIR / "var" / "bench"))
    (var / "media" / "public").mkdir(parents=True, exist_ok=True)
    (var / "media" / "private").mkdir(parents=True, exist_ok=True)
    env = production_env(
        SECRET_KEY="benchmark-only-key-" + "b" * 40,
        RECEIPT_KEY="benchmark-only-receipt-key-" + "r" * 40,
        TIP_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        VAR_DIR=str(var),
        SECURE_HTTPS="0",
        DEPLOY_CHECK_FAIL_LEVEL="ERROR",
        TRUSTED_PROXY_COUNT="1",
        TIP_MIN_FILL_SECONDS="0",
        TIP_RATE_PER_CLIENT="100000000/h",
        TIP_RATE_GLOBAL="100000000/h",
    )
    python = sys.executable
    run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([python, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    run([python, "bench/seed.py", str(args.objects), str(args.tips)], {**env, "DEMO_APP": "1"})

    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "traceobject.settings"})
    import runpy

    import django

    django.setup()
    conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    slots = conf["workers"] * conf["threads"]
    from bench.tipload import TipClient
    from tips import spam

    lines = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory(prefix="tao-frontdoor-") as folder:
        node = Node(env, log_dir=Path(folder))
        # Half of gunicorn's slots for readers, half for forms, as deploy/haproxy.cfg's defaults.
        proxy = Proxy(
            Path(folder),
            upstream_port=node.port,
            PROXY_UPSTREAM_MAXCONN=str(slots // 2),
            PROXY_FORM_MAXCONN=str(slots - slots // 2),
        )
        try:
            node.start()
            proxy.start()
            door = f"https://127.0.0.1:{proxy.https_port}"
            direct = f"http://127.0.0.1:{node.port}"
            gallery = node.get(GALLERY)[2].decode()
            detail = re.search(r'href="(/en/objects/TAO-\d+/)"', gallery).group(1)
            number = int(re.search(r"TAO-(\d+)", detail).group(1))
            tip_path = f"{detail}tip/"

            def token():
                return spam.issue_token(number)

            say(
                f"gunicorn {conf['worker_class']}, {conf['workers']} processes x"
                f" {conf['threads']} threads; HAProxy {slots // 2} slots for GETs (queue 64 for"
                f" 3 s), {slots - slots // 2} for POSTs (queue 4 s); PostgreSQL {pg_version};"
                f" {os.cpu_count()} CPUs;"
                f" load before {os.getloadavg()[0]:.1f}; {args.seconds:g} s per run"
            )
            say()
            base = wrk(direct + GALLERY, 32, args.seconds)
            wrk(door + detail, 32, 1)  # fill the cache
            cached = wrk(door + detail, 32, args.seconds)
            say("| at 32 connections | requests/s | p50 ms | p99 ms |")
            say("| --- | ---: | ---: | ---: |")
            say(
                f"| gunicorn, gallery | {base['rps']:,.0f} | {base['p50_us'] / 1000:,.1f} |"
                f" {base['p99_us'] / 1000:,.1f} |"
            )
            say(
                f"| front door, cached object page | {cached['rps']:,.0f} |"
                f" {cached['p50_us'] / 1000:,.1f} | {cached['p99_us'] / 1000:,.1f} |"
            )
            say(
                f"\ncached page through the door / gunicorn's gallery: "
                f"{cached['rps'] / base['rps']:.1f}x\n"
            )

            say(
                "| object page | requests/s (200) | p50 ms | p99 ms | 503 | after 5 s |"
                " other errors |"
            )
            say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            for c in connections:
                say(row(f"{c:,} connections, front door", wrk(door + detail, c, args.seconds)))
                say(row(f"{c:,} connections, gunicorn", wrk(direct + detail, c, args.seconds)))

            say()
            say(
                f"| tips (senders give up after {PATIENCE:g} s) | receipts/s | p50 ms | p99 ms |"
                " 503 | gave up | no connection in 5 s | receipts | tips stored |"
                " stored without a receipt in time |"
            )
            say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            door_page = ProxyTipClient(proxy, tip_path)
            door_page.open_form()
            door_page.close()
            direct_page = TipClient(node.port, tip_path)
            direct_page.open_form()
            direct_page.close()
            insecure = ssl.create_default_context()
            insecure.check_hostname = False
            insecure.verify_mode = ssl.CERT_NONE  # the bench's own self-signed certificate
            for c in tip_connections:
                for name, port, tls, page in (
                    ("front door", proxy.https_port, insecure, door_page),
                    ("gunicorn", node.port, None, direct_page),
                ):
                    r = tip_run("127.0.0.1", port, tls, tip_path, page, c, args.seconds, token)
                    say(
                        f"| {c:,} connections, {name} | {r['rps']:,.0f} | {r['p50']:,.0f} |"
                        f" {r['p99']:,.0f} | {r['shed']:,} | {r['gave_up']:,} | {r['errors']:,} |"
                        f" {r['receipts']:,} | {r['stored']:,} |"
                        f" {max(0, r['stored'] - r['receipts']):,} |"
                    )
        finally:
            proxy.stop()
            node.stop()
    say(f"\nload after {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
