"""A Docker engine for the tests marked `docker`, or a skip that says why (a failure with
REQUIRE_SERVICES=1); and the figures they measure, printed at the end of the run."""

import os
import shutil
import subprocess

import pytest

DOCKER = os.environ.get("DOCKER") or "docker"
_FIGURES = pytest.StashKey[list[str]]()


def engine_problem() -> str | None:
    """Why no Docker engine can be used here, or None when `docker info` answers."""
    if shutil.which(DOCKER) is None:
        return f"no docker client ({DOCKER}) on PATH"
    try:
        info = subprocess.run(
            [DOCKER, "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except subprocess.TimeoutExpired:
        return "`docker info` did not answer within 20 s"
    if info.returncode != 0 or not info.stdout.strip():
        last = (info.stderr.strip().splitlines() or ["no answer"])[-1]
        return f"no Docker engine answers `docker info` ({last})"
    return None


@pytest.fixture(scope="session")
def docker_engine() -> str:
    """The docker client to use, once an engine has answered."""
    problem = engine_problem()
    if problem:
        if os.environ.get("REQUIRE_SERVICES") in {"1", "true", "yes"}:
            pytest.fail(f"REQUIRE_SERVICES=1 but {problem}", pytrace=False)
        pytest.skip(problem)
    return DOCKER


@pytest.fixture(scope="session")
def figures(request) -> list[str]:
    """Lines of measured figures (not asserted), printed in the run's summary."""
    return request.config.stash.setdefault(_FIGURES, [])


def pytest_terminal_summary(terminalreporter, config):
    for line in config.stash.get(_FIGURES, []):
        terminalreporter.write_line(line)
