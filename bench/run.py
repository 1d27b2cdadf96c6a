"""`make bench`: requests/s and p50/p99 at 32 concurrent clients against real gunicorn.

Production settings (DEBUG off, hashed static files, PostgreSQL, Redis) on 127.0.0.1 only; the
database is BENCH_DATABASE_URL (created if missing) with the demo data plus 1,000 objects and
100,000 tips, the cache BENCH_REDIS_URL. The tip rows send real tips (the rate limits are raised
and the minimum fill time is off, as for a load test): "tip POST" counts tips stored per second.
Figures are printed, never asserted. The client is Python threads with one keep-alive connection
each, so on a small machine it shares the CPUs with the server: the ratio to /healthz from the
same run is the figure to compare.

    python bench/run.py [--worker-class gthread|sync] [--seconds 4] [--clients 32] [--only tip]
"""

import argparse
import http.client
import os
import platform
import re
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
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--objects", type=int, default=1000, help="extra objects to seed")
    parser.add_argument("--tips", type=int, default=100_000, help="tips to seed")
    parser.add_argument("--only", default="", help="comma-separated row names (default: all)")
    args = parser.parse_args()

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
    python = sys.executable
    run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([python, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    run([python, "bench/seed.py", str(args.objects), str(args.tips)], env)

    # This process mints the tip forms' tokens, so it needs the nodes' settings (SECRET_KEY).
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "traceobject.settings"})
    import django

    django.setup()
    from tips import spam

    with tempfile.TemporaryDirectory(prefix="tao-bench-") as logs:
        node = Node(env, log_dir=Path(logs))
        try:
            node.start()
            gallery = node.get(GALLERY)[2].decode()
            detail = re.search(r'href="(/en/objects/TAO-\d+/)"', gallery).group(1)
            settings_line = re.search(r'"message": "Using worker: (\w+)"', node.log())
            number = int(re.search(r"TAO-(\d+)", detail).group(1))
            tip_path = f"{detail}tip/"

            def token():
                return spam.issue_token(number)

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
                results[name] = measure(args.seconds)
        finally:
            node.stop()

    worker = args.worker_class or (settings_line.group(1) if settings_line else "default")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {os.cpu_count()} CPUs, {memory:.1f} GiB RAM, Python {platform.python_version()},"
        f" PostgreSQL {pg_version}, worker class {worker}, {args.clients} clients,"
        f" {args.seconds:g} s per URL"
    )
    base = results["/healthz"]["rps"]
    print("| URL | requests/s | ratio to /healthz | p50 ms | p99 ms | requests | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, r in results.items():
        print(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / base:.2f} | {r['p50']:.1f} |"
            f" {r['p99']:.1f} | {r['requests']} | {r['errors']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
