"""Start real gunicorn nodes on 127.0.0.1 for the multi-node tests and the benchmarks.

Not used by the site itself. Each node is a subprocess running this repository's
gunicorn.conf.py with production settings from the given environment; `stop()` always kills it.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**overrides: str) -> dict[str, str]:
    """A clean production-like environment: only PATH/LANG from outside, plus the overrides."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "LANG", "LC_ALL"}}
    env.update(
        {
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
            # Production warns while no operator is named (traceobject.W001/W002).
            "OPERATOR_NAME": "Benchmark Police (fictional)",
            "OPERATOR_CONTACT_EMAIL": "contact@police.example",
        }
    )
    env.update(overrides)
    return env


class Node:
    """One gunicorn master with its workers, logging to a file that a test can read."""

    def __init__(self, env: dict[str, str], *, log_dir: Path, port: int | None = None):
        self.port = port or free_port()
        self.env = {**env, "HOME": str(log_dir)}
        self.log_path = Path(log_dir) / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> "Node":
        with open(self.log_path, "wb") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [
                    str(GUNICORN),
                    "--config",
                    str(BASE_DIR / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout}s:\n{self.log()}")

    def get(self, path: str, headers: dict | None = None, *, source: str | None = None):
        """(status, headers, body) of one GET; `source` picks the client's 127.x address."""
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0) if source else None
        )
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process is not None:
            # The whole process group: the master and every worker it forked.
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.process.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.process.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
