import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from traceobject.env import env_bool, env_int, env_list, env_str


def _load_settings(**env):
    """Import the settings in a fresh interpreter with exactly this environment.

    The tip secrets are supplied unless a test passes None to leave one out.
    """
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env = {
        "RECEIPT_KEY": "r" * 50,
        "TIP_ENCRYPTION_KEYS": os.environ["TIP_ENCRYPTION_KEYS"],
        **env,
    }
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import traceobject.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS); "
            "print('apps:', *s.INSTALLED_APPS)",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _load_settings(VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_the_tip_secrets(tmp_path):
    result = _load_settings(SECRET_KEY="s" * 50, RECEIPT_KEY=None, VAR_DIR=str(tmp_path))
    assert "RECEIPT_KEY is not set" in result.stderr
    result = _load_settings(SECRET_KEY="s" * 50, TIP_ENCRYPTION_KEYS=None, VAR_DIR=str(tmp_path))
    assert "TIP_ENCRYPTION_KEYS is not set" in result.stderr


def test_a_bad_tip_encryption_key_is_refused_when_used():
    from django.test import override_settings

    from traceobject import crypto

    with (
        override_settings(TIP_ENCRYPTION_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured, match="Fernet keys"),
    ):
        crypto.encrypt(b"x")


def test_a_short_secret_key_is_refused(tmp_path):
    result = _load_settings(SECRET_KEY="short", VAR_DIR=str(tmp_path))
    assert "SECRET_KEY must be at least 32 characters" in result.stderr


def test_debug_generates_a_development_key_once_under_var(tmp_path):
    first = _load_settings(DEBUG="1", VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    _load_settings(DEBUG="1", VAR_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key
    assert "['localhost', '127.0.0.1', '[::1]']" in first.stdout


def test_a_bad_boolean_fails_loudly(tmp_path):
    result = _load_settings(DEBUG="maybe", VAR_DIR=str(tmp_path))
    assert "DEBUG must be one of" in result.stderr


def _apps(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()[1:]


def test_the_demo_app_is_installed_only_with_debug_or_demo_app(tmp_path):
    production = {"SECRET_KEY": "x" * 40, "VAR_DIR": str(tmp_path)}
    apps = _apps(_load_settings(**production))
    assert "backoffice.apps.BackofficeConfig" in apps and "demo" not in apps
    assert "demo" not in _apps(_load_settings(**production, DEMO_APP="0"))
    assert "demo" in _apps(_load_settings(**production, DEMO_APP="1"))
    assert "demo" in _apps(_load_settings(DEBUG="1", VAR_DIR=str(tmp_path)))
    bad = _load_settings(**production, DEMO_APP="sometimes")
    assert "DEMO_APP must be one of" in bad.stderr


def test_production_settings_have_no_seed_demo_command(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(
        SECRET_KEY="x" * 60,
        RECEIPT_KEY="r" * 60,
        TIP_ENCRYPTION_KEYS=os.environ["TIP_ENCRYPTION_KEYS"],
        VAR_DIR=str(tmp_path),
    )
    command = [sys.executable, "manage.py", "seed_demo"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_a_bad_redis_url_fails_loudly(tmp_path):
    result = _load_settings(DEBUG="1", REDIS_URL="localhost:6379", VAR_DIR=str(tmp_path))
    assert "REDIS_URL must start with" in result.stderr


def _caches(**env):
    """(LOCATION of "default", LOCATION of "ratelimit", RATELIMIT_USE_CACHE) with this env."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import traceobject.settings as s; c = s.CACHES; "
            "print(c['default'].get('LOCATION', ''), c['ratelimit'].get('LOCATION', ''), "
            "s.RATELIMIT_USE_CACHE)",
        ],
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return tuple(result.stdout.split())


def test_rate_limits_use_the_page_cache_redis_unless_ratelimit_redis_url_names_another(tmp_path):
    pages, limits = "redis://cache.invalid:6379/0", "redis://limits.invalid:6379/0"
    assert _caches(VAR_DIR=str(tmp_path), REDIS_URL=pages) == (pages, pages, "ratelimit")
    both = _caches(VAR_DIR=str(tmp_path), REDIS_URL=pages, RATELIMIT_REDIS_URL=limits)
    assert both == (pages, limits, "ratelimit")


def test_a_bad_ratelimit_redis_url_fails_loudly(tmp_path):
    result = _load_settings(DEBUG="1", RATELIMIT_REDIS_URL="limits:6379", VAR_DIR=str(tmp_path))
    assert "RATELIMIT_REDIS_URL must start with" in result.stderr


def test_deploy_check_refuses_sqlite_and_empty_allowed_hosts(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(
        SECRET_KEY="x" * 60,
        RECEIPT_KEY="r" * 60,
        TIP_ENCRYPTION_KEYS=os.environ["TIP_ENCRYPTION_KEYS"],
        VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="traceobject.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "traceobject.E001" in result.stderr and "traceobject.E002" in result.stderr


def test_env_helpers(monkeypatch, tmp_path):
    monkeypatch.setenv("X_INT", "12")
    assert env_int("X_INT", 1) == 12
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be a whole number"):
        env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("X_INT", 1, minimum=0)
    monkeypatch.setenv("X_LIST", " a.org, b.org ,,")
    assert env_list("X_LIST") == ["a.org", "b.org"]
    assert env_bool("X_UNSET_BOOL", True) is True
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "from-a-file"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_SECRET_FILE"):
        env_str("X_SECRET")


def test_a_short_fallback_secret_key_is_refused(tmp_path):
    result = _load_settings(
        SECRET_KEY="x" * 40, SECRET_KEY_FALLBACKS="y" * 40 + ",short", VAR_DIR=str(tmp_path)
    )
    assert "SECRET_KEY_FALLBACKS" in result.stderr


def test_forwarded_allow_ips_must_be_addresses_and_need_a_proxy(tmp_path):
    base = {"SECRET_KEY": "x" * 40, "VAR_DIR": str(tmp_path)}
    bad = _load_settings(**base, TRUSTED_PROXY_COUNT="1", FORWARDED_ALLOW_IPS="proxy.local")
    assert "FORWARDED_ALLOW_IPS: 'proxy.local' is not an IP address" in bad.stderr
    without_proxy = _load_settings(**base, FORWARDED_ALLOW_IPS="10.0.0.0/8")
    assert "TRUSTED_PROXY_COUNT is 0" in without_proxy.stderr
    ok = _load_settings(**base, TRUSTED_PROXY_COUNT="1", FORWARDED_ALLOW_IPS="10.0.0.0/8,::1")
    assert ok.returncode == 0, ok.stderr


def test_a_bad_log_level_fails_loudly(tmp_path):
    result = _load_settings(SECRET_KEY="x" * 40, LOG_LEVEL="loud", VAR_DIR=str(tmp_path))
    assert "LOG_LEVEL must be one of DEBUG, INFO" in result.stderr


def test_production_settings_pass_the_deploy_check_at_warning_level(tmp_path):
    """The same command `make check-deploy` and gunicorn's start-up hook run."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(
        SECRET_KEY="production-like-" + "k" * 50,
        RECEIPT_KEY="production-like-" + "r" * 50,
        TIP_ENCRYPTION_KEYS=os.environ["TIP_ENCRYPTION_KEYS"],
        ALLOWED_HOSTS="traceanobject.example",
        DATABASE_URL="postgres://tao@db.invalid:5432/tao",
        REDIS_URL="redis://cache.invalid:6379/0",
        OPERATOR_NAME="Example Police",
        OPERATOR_CONTACT_EMAIL="contact@traceanobject.example",
        VAR_DIR=str(tmp_path),
    )
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "no issues (2 silenced)" in result.stdout
    # Turning HTTPS off is exactly what the check is there to catch.
    env["SECURE_HTTPS"] = "0"
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "security.W012" in result.stderr


def test_the_deploy_check_warns_while_no_operator_is_named(tmp_path):
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env.update(
        SECRET_KEY="production-like-" + "k" * 50,
        RECEIPT_KEY="production-like-" + "r" * 50,
        TIP_ENCRYPTION_KEYS=os.environ["TIP_ENCRYPTION_KEYS"],
        ALLOWED_HOSTS="traceanobject.example",
        DATABASE_URL="postgres://tao@db.invalid:5432/tao",
        REDIS_URL="redis://cache.invalid:6379/0",
        VAR_DIR=str(tmp_path),
    )
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "traceobject.W001" in result.stderr and "traceobject.W002" in result.stderr
    # Warnings, not errors: at the ERROR level the same settings pass.
    result = subprocess.run(
        command[:-1] + ["ERROR"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("OPERATOR_LOGO", "https://cdn.example/logo.svg", "OPERATOR_LOGO is a path"),
        ("OPERATOR_URL", "police.example", "OPERATOR_URL must start with https://"),
        ("OPERATOR_CONTACT_EMAIL", "not an address", "OPERATOR_CONTACT_EMAIL is not an e-mail"),
    ],
)
def test_a_bad_operator_setting_fails_loudly(tmp_path, name, value, message):
    result = _load_settings(SECRET_KEY="x" * 40, VAR_DIR=str(tmp_path), **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_development_site_names_a_clearly_fictional_operator(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import traceobject.settings as s; print(s.OPERATOR_NAME)"],
        env={
            **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}},
            "DEBUG": "1",
            "VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "fictional" in result.stdout


def test_the_task_queue_app_is_installed_only_on_postgresql(tmp_path):
    base = {"SECRET_KEY": "s" * 50, "VAR_DIR": str(tmp_path)}
    assert "procrastinate.contrib.django" not in _apps(_load_settings(**base))
    apps = _apps(_load_settings(**base, DATABASE_URL="postgres://tao@db.invalid:5432/tao"))
    assert apps.index("procrastinate.contrib.django") < apps.index("objects")


def test_a_stalled_worker_timeout_shorter_than_two_heartbeats_is_refused(tmp_path):
    result = _load_settings(
        SECRET_KEY="s" * 50,
        VAR_DIR=str(tmp_path),
        TASK_HEARTBEAT_SECONDS="10",
        TASK_STALLED_SECONDS="15",
    )
    assert result.returncode != 0
    assert "TASK_STALLED_SECONDS must be at least twice TASK_HEARTBEAT_SECONDS" in result.stderr
