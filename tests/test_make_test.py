"""`make test` (scripts/test.py): a parallel phase, a serial one, one closing line for both.

Run here on small test files of their own in a temporary folder (outside this suite's conftest
and settings), with no PostgreSQL or Redis (nothing listens on port 1) and a var folder of
their own, so the nested run touches nothing this run uses.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

OUTCOMES = """
import pytest

def test_passes():
    assert True

def test_fails():
    assert False

@pytest.mark.skip(reason="shown as skipped")
def test_is_skipped():
    pass

@pytest.mark.serial
def test_passes_alone():
    assert True
"""

PASSING = """
def test_passes():
    assert True
"""


def make_test(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))},
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/1",
        "VAR_DIR": str(tmp_path / "var"),
        "TEST_WORKERS": "2",
    }
    env.pop("REQUIRE_SERVICES", None)
    return subprocess.run(
        [sys.executable, "scripts/test.py", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stdout.rstrip("\n").splitlines()[-1]


def test_it_sums_both_phases_in_one_closing_line_and_fails_if_one_failed(tmp_path):
    (tmp_path / "test_outcomes.py").write_text(OUTCOMES)
    result = make_test(tmp_path, str(tmp_path))
    assert "=== phase 1 of 2: not serial, 2 workers" in result.stdout
    assert "=== phase 2 of 2: serial, one process" in result.stdout
    assert last_line(result) == "tests: 2 passed, 1 failed, 1 skipped"
    assert result.returncode == 1


def test_a_phase_with_no_test_is_not_a_failure(tmp_path):
    (tmp_path / "test_passing.py").write_text(PASSING)
    result = make_test(tmp_path, str(tmp_path))
    assert last_line(result) == "tests: 1 passed, 0 failed, 0 skipped"
    assert result.returncode == 0


def test_a_mark_expression_is_combined_with_each_phase(tmp_path):
    (tmp_path / "test_outcomes.py").write_text(OUTCOMES)
    result = make_test(tmp_path, str(tmp_path), "-m", "not serial", "-k", "passes")
    assert last_line(result) == "tests: 1 passed, 0 failed, 0 skipped"
    assert result.returncode == 0


def test_no_test_in_either_phase_is_pytest_exit_5(tmp_path):
    (tmp_path / "test_passing.py").write_text(PASSING)
    result = make_test(tmp_path, str(tmp_path), "-k", "no_such_test")
    assert last_line(result) == "tests: 0 passed, 0 failed, 0 skipped"
    assert result.returncode == 5


@pytest.mark.parametrize("workers", ["0", "two", "-1"])
def test_a_bad_worker_count_is_refused_before_any_test(tmp_path, workers):
    (tmp_path / "test_passing.py").write_text(PASSING)
    result = subprocess.run(
        [sys.executable, "scripts/test.py", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "TEST_WORKERS": workers, "REDIS_URL": "redis://127.0.0.1:1/1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"TEST_WORKERS must be a whole number from 1, not {workers!r}." in result.stdout
    assert "phase" not in result.stdout
