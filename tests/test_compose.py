"""docker-compose.yml as `docker compose config` reads it: valid, and its Redis split sound."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent
REQUIRED = {"SECRET_KEY": "s" * 50, "RECEIPT_KEY": "r" * 50, "TIP_ENCRYPTION_KEYS": "k" * 44}


def _compose_command() -> list[str] | None:
    """Compose v2 (`docker compose`) or v1 (Debian's docker-compose), whichever is here."""
    if shutil.which("docker"):
        v2 = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if v2.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def config() -> dict:
    command = _compose_command()
    if command is None:
        reason = "neither `docker compose` nor docker-compose is installed"
        if os.environ.get("REQUIRE_SERVICES") in {"1", "true", "yes"}:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [*command, "--project-directory", str(BASE_DIR), "-f", "docker-compose.yml", "config"],
        cwd=BASE_DIR,
        env={**env, **REQUIRED},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def _flags(service: dict) -> dict[str, str]:
    command = service["command"]
    return {command[i]: command[i + 1] for i in range(len(command) - 1) if command[i][:2] == "--"}


def test_the_page_cache_redis_has_a_memory_limit_and_evicts_least_recently_used(config):
    flags = _flags(config["redis"])
    assert flags["--maxmemory"] == "256mb"
    assert flags["--maxmemory-policy"] == "allkeys-lru"


def test_the_rate_limit_redis_is_another_instance_that_never_evicts(config):
    flags = _flags(config["redis-limits"])
    assert flags["--maxmemory"] == "64mb"
    assert flags["--maxmemory-policy"] == "noeviction"
    for name in ("web", "migrate", "worker"):
        env = config[name]["environment"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["RATELIMIT_REDIS_URL"] == "redis://redis-limits:6379/0"
        assert config[name]["depends_on"]["redis-limits"]["condition"] == "service_healthy"


def test_migrate_runs_the_web_image(config):
    assert config["migrate"]["image"] == config["web"]["image"] == "traceobject"
    assert config["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert config["web"]["depends_on"]["migrate"]["condition"] == ("service_completed_successfully")


def test_the_task_worker_runs_the_web_image_after_the_migrations(config):
    worker = config["worker"]
    assert worker["image"] == config["web"]["image"]
    assert worker["command"] == ["python", "manage.py", "procrastinate", "worker"]
    assert worker["environment"]["DATABASE_URL"] == config["web"]["environment"]["DATABASE_URL"]
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["healthcheck"]["test"][-2:] == ["procrastinate", "healthchecks"]


def test_the_proxy_service_runs_the_projects_front_door_before_web(config):
    proxy = config["proxy"]
    assert proxy["image"].startswith("haproxy:2.6")
    # Compose v2 writes each volume as a mapping, Debian's v1 as "source:target:mode".
    mounts = {
        v["target"] if isinstance(v, dict) else v.split(":")[1]: v["source"]
        if isinstance(v, dict)
        else v.split(":")[0]
        for v in proxy["volumes"]
    }
    assert mounts["/usr/local/etc/haproxy/haproxy.cfg"].endswith("deploy/haproxy.cfg")
    assert mounts["/usr/local/etc/haproxy/busy.map"].endswith("deploy/haproxy/busy.map")
    assert proxy["environment"]["PROXY_UPSTREAM"] == "web:8000"
    # Visitors reach gunicorn only through the proxy, which the app is told to trust.
    assert "ports" not in config["web"]
    assert config["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert config["web"]["environment"]["TOR_CIRCUIT_HEADER"] == "X-Tor-Circuit"
