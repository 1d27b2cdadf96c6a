"""The Makefile a newcomer meets: `make help` lists every target, `make run` takes PORT."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def phony_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    lines = re.findall(r"^\.PHONY:(.*)$", text, flags=re.MULTILINE)
    return {target for line in lines for target in line.split()}


def test_make_help_lists_every_target():
    listed = set(re.findall(r"^make (\S+)", make("help").stdout, flags=re.MULTILINE))
    assert phony_targets() == listed


def test_every_rule_is_phony_or_a_file():
    text = (ROOT / "Makefile").read_text()
    rules = set(re.findall(r"^([a-z][a-z-]*):(?!=)", text, flags=re.MULTILINE))
    assert rules <= phony_targets()


def test_make_run_serves_on_the_port_given():
    result = make("-n", "run", "PORT=8001")
    assert result.returncode == 0, result.stderr
    assert "runserver 127.0.0.1:8001" in result.stdout


def test_make_run_serves_on_8000_by_default():
    assert "runserver 127.0.0.1:8000" in make("-n", "run").stdout


@pytest.mark.parametrize("port", ["abc", "0", "", "70000", "80 01"])
def test_make_run_refuses_a_bad_port_before_setting_anything_up(port):
    result = make("-n", "run", f"PORT={port}")
    assert result.returncode == 2
    assert f"PORT must be a port number from 1 to 65535, not '{port}'" in result.stderr
    assert "migrate" not in result.stdout
