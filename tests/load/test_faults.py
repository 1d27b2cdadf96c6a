"""Tips while PostgreSQL restarts and a gunicorn worker is SIGKILLed: nothing lost, clean 503s.

This restarts the machine's real PostgreSQL cluster (a second or two, shared by every other user
of it), so it runs only in CI (REQUIRE_SERVICES=1) or with TAO_FAULT_TESTS=1, as root with
pg_ctlcluster on PATH.
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

from bench.tipload import percentile, run_tips
from tests.load.conftest import faults_allowed
from tips.models import Tip
from tips.receipts import code_hash

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(
        not faults_allowed(), reason="restarts PostgreSQL: set TAO_FAULT_TESTS=1 (CI sets it)"
    ),
]

TIPS = 5000
CLIENTS = 32


def _cluster_version() -> str:
    versions = sorted(os.listdir("/etc/postgresql"))
    if not versions or not shutil.which("pg_ctlcluster"):
        pytest.fail("TAO_FAULT_TESTS=1 needs a local PostgreSQL cluster and pg_ctlcluster")
    return versions[0]


def restart_postgresql() -> float:
    """Restart the local cluster (fast mode: running transactions are aborted); wait until it
    accepts connections again. Returns the seconds it took."""
    began = time.monotonic()
    subprocess.run(  # noqa: S603 (fixed argv)
        ["pg_ctlcluster", "--skip-systemctl-redirect", _cluster_version(), "main", "restart"],  # noqa: S607
        check=True,
        timeout=120,
    )
    for _ in range(300):
        ready = subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False, timeout=10)  # noqa: S607
        if ready.returncode == 0:
            return time.monotonic() - began
        time.sleep(0.1)
    pytest.fail("PostgreSQL did not come back within 30 s")


def workers_of(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def wait_for(result, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while len(result.outcomes) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_tips_survive_a_database_restart_and_a_killed_worker(load_env, start_node, tip_target):
    obj, path, token = tip_target
    node = start_node(load_env)
    faults = {}

    def inject(result):
        wait_for(result, TIPS // 5)
        victim = workers_of(node.process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        faults["killed worker"] = victim
        wait_for(result, 2 * TIPS // 5)
        faults["restart seconds"] = round(restart_postgresql(), 1)

    result = run_tips(node.port, path, clients=CLIENTS, total=TIPS, token=token, during=inject)
    connection.close()  # this process's connection died with the restart too

    statuses = result.by_status()
    stored = set(Tip.objects.filter(trace_object=obj).values_list("receipt_hash", flat=True))
    submissions = set(Tip.objects.values_list("submission_hash", flat=True))
    already = sum(o.already for o in result.outcomes)
    print(
        f"\nfaults {faults}: {result.summary()};"
        f" p99 {percentile(result.latencies(), 0.99):.0f} ms;"
        f" stored {len(submissions)} = receipts {len(result.receipts)} + already {already}"
    )
    assert not result.client_errors
    assert len(result.outcomes) == TIPS
    assert faults["killed worker"] not in workers_of(node.process.pid)
    assert set(statuses) <= {200, 503}, f"only receipts and clean 503s: {statuses}"
    assert statuses.get(503, 0) > 0, "the restart was felt (else this test tested nothing)"
    failed = [o for o in result.outcomes if o.status == 503]
    assert all(o.body_kept for o in failed), "every 503 re-rendered what the person typed"
    assert all(code_hash(code) in stored for code in result.receipts), "every receipt is stored"
    # Stored exactly what people were told was received: no tip behind a 503, no tip twice.
    told_received = {o.submission_hash for o in result.outcomes if o.receipt or o.already}
    assert submissions == told_received
    assert Tip.objects.count() == len(result.receipts) + already
    # And the site is whole again afterwards.
    assert node.get("/readyz")[0] == 200
