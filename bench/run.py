"""`make bench`: requests/s and p50/p99 at 32 concurrent clients against real gunicorn.

Production settings (DEBUG off, hashed static files, PostgreSQL, Redis) on 127.0.0.1 only; the
database is BENCH_DATABASE_URL (created if missing) with the demo data plus 1,000 objects, the
cache BENCH_REDIS_URL. Figures are printed, never asserted. The client is Python threads with
one keep-alive connection each, so on a small machine it shares the CPUs with the server: the
ratio to /healthz from the same run is the figure to compare.

    python bench/run.py [--worker-class gthread|sync] [--seconds 4] [--clients 32]
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
from urllib.parse import urlsplit

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


def load(port: int, path: str, clients: int, seconds: float) -> dict:
    """Keep `clients` connections busy on one path; latencies in milliseconds."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = threading.Event()

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.is_set():
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default=None)
    parser.add_argument("--seconds", type=float, default=4.0, help="per URL (default 4)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--objects", type=int, default=1000, help="extra objects to seed")
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
    )
    if args.worker_class:
        env["GUNICORN_WORKER_CLASS"] = args.worker_class
    python = sys.executable
    run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([python, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    run([python, "bench/seed.py", str(args.objects)], env)

    with tempfile.TemporaryDirectory(prefix="tao-bench-") as logs:
        node = Node(env, log_dir=Path(logs))
        try:
            node.start()
            gallery = node.get("/")[2].decode()
            detail = re.search(r'href="(/objects/TAO-\d+/)"', gallery).group(1)
            settings_line = re.search(r'"message": "Using worker: (\w+)"', node.log())
            urls = [("/healthz", "/healthz"), ("gallery", "/"), ("object page", detail)]
            results = {}
            for name, path in urls:
                load(node.port, path, args.clients, min(1.0, args.seconds / 4))  # warm-up
                results[name] = load(node.port, path, args.clients, args.seconds)
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
