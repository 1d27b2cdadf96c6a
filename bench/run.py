"""`make bench`: requests/s and p50/p99 at 32 concurrent clients against real gunicorn.

Production settings (DEBUG off, hashed static files, PostgreSQL, Redis) on 127.0.0.1 only; the
database is BENCH_DATABASE_URL (created if missing) with the demo data plus 1,000 objects and
100,000 tips, the cache BENCH_REDIS_URL. The tip rows send real tips (the rate limits are raised
and the minimum fill time is off, as for a load test): "tip POST" counts tips stored per second.
Figures are printed, never asserted.

The load generator is wrk (Debian: `apt-get install wrk`), compiled and event-driven, so it
measures the server rather than itself; the POST rows send prepared bodies (bench/wrk/post.lua).
Without wrk, or with `--client python`, it falls back to Python threads with one keep-alive
connection each, which on a small machine share the CPUs with the server and cap every row,
/healthz included, and says so. Either way the ratio to /healthz from the same run is the figure
to compare.

    python bench/run.py [--worker-class gthread|sync] [--seconds 4] [--clients 32] [--only tip]
                        [--client auto|wrk|python]
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.nodes import BASE_DIR, Node, production_env  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tao_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    conn.close()
    return version


def _processes():
    """(pid, command name, the fields after it) of every process in /proc (see proc(5))."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name, fields = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        yield int(entry.name), name.split("(", 1)[1], fields.split()


def server_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by a gunicorn node: its live processes, plus the
    workers the master has already replaced (their time is in the master's cutime/cstime).

    Unlike requests/s, CPU time per request hardly depends on what else the machine runs.
    """
    total = 0
    for pid, _name, fields in _processes():
        # After the command name: state is field 3, pgrp 5, utime 14 ... cstime 17 (proc(5)).
        if int(fields[2]) != pgid:
            continue
        total += int(fields[11]) + int(fields[12])
        if pid == pgid:
            total += int(fields[13]) + int(fields[14])
    return total / os.sysconf("SC_CLK_TCK")


def services_cpu_seconds(names=("postgres", "redis-server")) -> float:
    """CPU time used so far by the local PostgreSQL and Redis (every process of theirs, and the
    backends that have exited, which count in the postmaster's cutime/cstime).

    They share the machine's CPUs with the app, so a request's cost to them limits requests/s
    as much as its cost in gunicorn. Anything else using the same servers counts too: measure
    on a quiet machine.
    """
    total = sum(
        sum(int(f) for f in fields[11:15]) for _pid, name, fields in _processes() if name in names
    )
    return total / os.sysconf("SC_CLK_TCK")


def run(command: list[str], env: dict) -> None:
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True, timeout=600)


def load(port: int, path: str, clients: int, seconds: float, post=None) -> dict:
    """Keep `clients` connections busy on one path; latencies in milliseconds.

    `post(i)`, when given, makes client i a form poster: it returns a function that gives the
    (body, headers) of each POST, after whatever set-up (a GET for the CSRF cookie) it needs.
    """
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = threading.Event()

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        next_post = post(i) if post else None
        while not stop.is_set():
            start = time.perf_counter()
            try:
                if next_post:
                    body, headers = next_post()
                    start = time.perf_counter()
                    conn.request("POST", path, body=body, headers=headers)
                else:
                    conn.request("GET", path)
                response = conn.getresponse()
                content = response.read()
                ok = response.status == 200 and (not next_post or b"<form" in content)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if not stop.is_set():
                latencies[i].append((time.perf_counter() - start) * 1000)
                errors[i] += not ok
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    samples = sorted(x for per_client in latencies for x in per_client)
    return {
        "requests": len(samples),
        "errors": sum(errors),
        "rps": len(samples) / elapsed,
        "p50": samples[len(samples) // 2],
        "p99": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
    }


WRK = shutil.which("wrk")
WRK_DIR = Path(__file__).resolve().parent / "wrk"


def wrk_threads(clients: int) -> int:
    return max(1, min(clients, os.cpu_count() or 1))


def wrk(port: int, path: str, clients: int, seconds: float, *, script="report.lua", args=()):
    """Run wrk on one path; its report.lua/post.lua print one `WRK {json}` line."""
    duration = max(1, round(seconds))
    command = [
        WRK,
        f"-t{wrk_threads(clients)}",
        f"-c{clients}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        str(WRK_DIR / script),
        f"http://127.0.0.1:{port}{path}",
        "--",
        *args,
    ]
    # Fixed argv, no shell; run from the repository so post.lua finds report.lua.
    done = subprocess.run(  # noqa: S603
        command, cwd=BASE_DIR, capture_output=True, text=True, timeout=duration + 120, check=False
    )
    line = re.search(r"^WRK (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not line:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}{done.stderr}")
    data = json.loads(line.group(1))
    elapsed = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "errors": data["errors"],
        "rps": data["requests"] / elapsed,
        "p50": data["p50_us"] / 1000,
        "p99": data["p99_us"] / 1000,
        "elapsed": elapsed,
        "receipts": data.get("receipts"),
        "codes": data.get("codes", "").split(),
    }


def wrk_posts(port, path, clients, seconds, forms, *, receipts=False):
    """wrk POSTing prepared forms (urlencoded, one a line) from a temporary file."""
    with tempfile.NamedTemporaryFile("w", prefix="tao-bench-", suffix=".txt") as bodies:
        bodies.write("\n".join(forms) + "\n")
        bodies.flush()
        args = [bodies.name, forms.cookie, str(wrk_threads(clients))]
        if receipts:
            args.append("RECEIPTS")
        return wrk(port, path, clients, seconds, script="post.lua", args=args)


class Forms(list):
    """Prepared form bodies and the CSRF cookie they were made with."""

    cookie = ""


def _csrf_page(port: int, path: str):
    from bench.tipload import TipClient

    page = TipClient(port, path)
    page.open_form()
    page.close()
    return page


# wrk cannot mint tokens: enough prepared forms for this many requests per second per row.
MAX_POST_RATE = 2000


def wrk_tip_post(port: int, path: str, clients: int, seconds: float, token) -> dict:
    """Real tips through wrk; requests/s is receipts shown per second, checked against the DB.

    Every body carries its own one-time form token. The receipts wrk saw are counted from the
    responses; the Tip rows added are counted in the database once the last answer is in, and
    the first receipt codes of each wrk thread are looked up by their hash. A receipt without
    its row, or fewer rows than receipts, is reported as an error (it would break "nothing
    lost"), never silently folded into the figure.
    """
    from tips.models import Tip
    from tips.receipts import code_hash

    page = _csrf_page(port, path)
    forms = Forms(
        urlencode(
            {
                "body": f"Bench tip {n}: I think this is sold in a market near the station.",
                "started": token(),
                "csrfmiddlewaretoken": page.csrf,
                "website": "",
            }
        )
        for n in range(int(MAX_POST_RATE * max(seconds, 1)))
    )
    forms.cookie = page.cookie
    before = Tip.objects.count()
    result = wrk_posts(port, path, clients, seconds, forms, receipts=True)
    # Answers still in flight when wrk stopped may add a few rows after it returns.
    after, deadline = Tip.objects.count(), time.monotonic() + 10
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = Tip.objects.count()
        if now == after:
            break
        after = now
    stored = after - before
    missing = [c for c in result["codes"] if not Tip.objects.filter(receipt_hash=code_hash(c))]
    receipts = result["receipts"] or 0
    if missing or stored < receipts:
        print(
            f"WARNING tip POST: {receipts} receipts shown but {stored} rows added;"
            f" receipts without a row: {missing}",
            file=sys.stderr,
        )
    result["errors"] += len(missing) + max(0, receipts - stored)
    result["rps"] = receipts / result["elapsed"]
    result["note"] = (
        f"{receipts} receipts seen by wrk, {stored} rows added (the difference: answers still"
        f" in flight when wrk stopped, at most one per client); {len(result['codes'])} receipt"
        f" codes looked up in the database, {len(missing)} missing"
    )
    return result


def wrk_follow_up(port: int, clients: int, seconds: float, tips: int) -> dict:
    import random

    from bench.seed import bench_code

    page = _csrf_page(port, FOLLOW_UP)
    rng = random.Random(7)
    forms = Forms(
        urlencode({"code": bench_code(rng.randrange(tips)), "csrfmiddlewaretoken": page.csrf})
        for _ in range(int(MAX_POST_RATE * max(seconds, 1)))
    )
    forms.cookie = page.cookie
    return wrk_posts(port, FOLLOW_UP, clients, seconds, forms)


# Public pages live under a language prefix; "/" only redirects to one.
GALLERY = "/en/"
FOLLOW_UP = "/en/follow-up/"


def follow_up_poster(port: int, tips: int):
    """Client i looks up real bench receipt codes, each POST with the page's CSRF token."""
    import random

    from bench.seed import bench_code
    from bench.tipload import TipClient

    def post(i: int):
        page = TipClient(port, FOLLOW_UP)
        page.open_form()
        page.close()
        rng = random.Random(i)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={page.cookie}",
            "Origin": "null",
            "Sec-Fetch-Site": "same-origin",
        }

        def next_post():
            code = bench_code(rng.randrange(tips))
            return urlencode({"code": code, "csrfmiddlewaretoken": page.csrf}), headers

        return next_post

    return post


def tip_post(port: int, path: str, clients: int, seconds: float, token) -> dict:
    """Send real tips for `seconds`; requests/s here is tips stored (receipts) per second."""
    from bench.tipload import percentile, run_tips

    result = run_tips(port, path, clients=clients, seconds=seconds, token=token)
    samples = result.latencies()
    return {
        "requests": len(result.outcomes),
        "errors": len(result.outcomes) - len(result.receipts) + len(result.client_errors),
        "rps": len(result.receipts) / result.elapsed,
        "p50": percentile(samples, 0.5),
        "p99": percentile(samples, 0.99),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default=None)
    parser.add_argument("--seconds", type=float, default=4.0, help="per URL (default 4)")
    parser.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY")
    parser.add_argument("--threads", type=int, default=None, help="GUNICORN_THREADS")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra setting for the node, e.g. GUNICORN_MAX_REQUESTS=0 (repeatable)",
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--objects", type=int, default=1000, help="extra objects to seed")
    parser.add_argument("--tips", type=int, default=100_000, help="tips to seed")
    parser.add_argument("--only", default="", help="comma-separated row names (default: all)")
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk if installed (auto), or Python threads",
    )
    args = parser.parse_args()
    client = args.client
    if client == "wrk" and not WRK:
        parser.error("wrk is not installed (Debian: apt-get install wrk); or --client python")
    if client == "auto":
        client = "wrk" if WRK else "python"
        if not WRK:
            print(
                "wrk not found (Debian/Ubuntu: apt-get install wrk): falling back to the Python"
                " load generator, which shares the CPUs with the server and caps every row.",
                file=sys.stderr,
            )

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
        # Plain HTTP on 127.0.0.1; everything else as in production.
        SECURE_HTTPS="0",
        DEPLOY_CHECK_FAIL_LEVEL="ERROR",
        # Real tips at full speed: no minimum fill time, limits far above what 32 clients send.
        TIP_MIN_FILL_SECONDS="0",
        TIP_RATE_PER_CLIENT="100000000/h",
        TIP_RATE_GLOBAL="100000000/h",
        FOLLOWUP_RATE_PER_CLIENT="100000000/h",
        FOLLOWUP_RATE_GLOBAL="100000000/h",
    )
    if args.worker_class:
        env["GUNICORN_WORKER_CLASS"] = args.worker_class
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    for setting in args.env:
        name, _, value = setting.partition("=")
        env[name] = value
    load_before = os.getloadavg()
    python = sys.executable
    run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([python, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    # seed_demo is in the demo app, installed with DEBUG off only by DEMO_APP=1; not on the nodes.
    run([python, "bench/seed.py", str(args.objects), str(args.tips)], {**env, "DEMO_APP": "1"})

    # This process mints the tip forms' tokens, so it needs the nodes' settings (SECRET_KEY).
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "traceobject.settings"})
    import runpy

    import django

    django.setup()
    # What gunicorn.conf.py makes of this environment (processes, threads), for the report.
    conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    from tips import spam

    with tempfile.TemporaryDirectory(prefix="tao-bench-") as logs:
        node = Node(env, log_dir=Path(logs))
        try:
            node.start()
            gallery = node.get(GALLERY)[2].decode()
            detail = re.search(r'href="(/en/objects/TAO-\d+/)"', gallery).group(1)
            booted = len(re.findall(r"Booting worker with pid", node.log()))
            number = int(re.search(r"TAO-(\d+)", detail).group(1))
            tip_path = f"{detail}tip/"

            def token():
                return spam.issue_token(number)

            if client == "wrk":
                rows = {
                    "/healthz": lambda s: wrk(node.port, "/healthz", args.clients, s),
                    "gallery": lambda s: wrk(node.port, GALLERY, args.clients, s),
                    "object page": lambda s: wrk(node.port, detail, args.clients, s),
                    "tip form GET": lambda s: wrk(node.port, tip_path, args.clients, s),
                    "tip POST (tips stored/s)": lambda s: wrk_tip_post(
                        node.port, tip_path, args.clients, s, token
                    ),
                    "follow-up lookup": lambda s: wrk_follow_up(
                        node.port, args.clients, s, args.tips
                    ),
                }
            else:
                rows = {
                    "/healthz": lambda s: load(node.port, "/healthz", args.clients, s),
                    "gallery": lambda s: load(node.port, GALLERY, args.clients, s),
                    "object page": lambda s: load(node.port, detail, args.clients, s),
                    "tip form GET": lambda s: load(node.port, tip_path, args.clients, s),
                    "tip POST (tips stored/s)": lambda s: tip_post(
                        node.port, tip_path, args.clients, s, token
                    ),
                    "follow-up lookup": lambda s: load(
                        node.port,
                        FOLLOW_UP,
                        args.clients,
                        s,
                        post=follow_up_poster(node.port, args.tips),
                    ),
                }
            only = {name.strip() for name in args.only.split(",") if name.strip()}
            results = {}
            for name, measure in rows.items():
                if only and name != "/healthz" and not any(name.startswith(o) for o in only):
                    continue
                measure(min(1.0, args.seconds / 4))  # warm-up
                cpu, services = server_cpu_seconds(node.process.pid), services_cpu_seconds()
                results[name] = measure(args.seconds)
                used = server_cpu_seconds(node.process.pid) - cpu
                served = max(1, results[name]["requests"])
                results[name]["cpu_ms"] = used * 1000 / served
                results[name]["services_ms"] = (services_cpu_seconds() - services) * 1000 / served
            restarts = len(re.findall(r"Booting worker with pid", node.log())) - booted
        finally:
            node.stop()

    worker = conf["worker_class"]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {os.cpu_count()} CPUs, {memory:.1f} GiB RAM, Python {platform.python_version()},"
        f" PostgreSQL {pg_version}, worker class {worker} ({booted} processes"
        f" x {conf['threads']} threads), {args.clients} clients,"
        f" {args.seconds:g} s per URL, load generator {client},"
        f" extra settings {args.env or 'none'};"
        f" load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}"
    )
    base = results["/healthz"]["rps"]
    print(
        "| URL | requests/s | ratio to /healthz | p50 ms | p99 ms | requests | errors"
        " | server CPU ms/request | PostgreSQL + Redis CPU ms/request |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / base:.2f} | {r['p50']:.1f} |"
            f" {r['p99']:.1f} | {r['requests']} | {r['errors']} | {r['cpu_ms']:.2f} |"
            f" {r['services_ms']:.2f} |"
        )
    print(f"workers replaced during the run (GUNICORN_MAX_REQUESTS): {restarts}")
    for name, r in results.items():
        if r.get("note"):
            print(f"{name}: {r['note']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
