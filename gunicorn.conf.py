"""gunicorn settings for production: `gunicorn traceobject.wsgi` picks this file up by itself.

Every value comes from the environment (see .env.example). Before the first worker starts, the
master runs `manage.py check --deploy` and refuses to serve if it reports anything at
DEPLOY_CHECK_FAIL_LEVEL or above, so insecure settings never reach a visitor.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings
from gunicorn.glogging import Logger

from traceobject.env import env_bool, env_choice, env_int, env_str
from traceobject.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traceobject.settings")
sys.path.insert(0, str(BASE_DIR))

# The CPUs this process may actually use (a container's CPU set, not the host's count).
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

wsgi_app = "traceobject.wsgi:application"
bind = [env_str("GUNICORN_BIND", "127.0.0.1:8000")]

# Worker class and counts chosen by `make bench` (docs/benchmarks.md): gthread, one process per
# CPU, 8 threads each. With keep-alive clients sync was the slowest and the most CPU per
# request (it closes every connection); among gthread setups, one process per CPU used the
# least CPU per request (the GIL makes a third process on two CPUs mostly contention), and 8
# threads keep requests moving while others wait on PostgreSQL's commit or on Redis. A slow
# client or database answer holds one thread, not a whole process.
worker_class = env_choice("GUNICORN_WORKER_CLASS", "gthread", ["gthread", "sync"]).lower()
workers = env_int("WEB_CONCURRENCY", CPUS if worker_class == "gthread" else 2 * CPUS + 1)
workers = max(workers, 1)
threads = env_int("GUNICORN_THREADS", 8 if worker_class == "gthread" else 1, minimum=1)

# A request that takes longer than this is a bug or an attack; the worker is replaced.
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
# Longer than nothing so a load balancer's pooled connections are reused; gthread parks idle
# keep-alive connections without holding a thread.
keepalive = env_int("GUNICORN_KEEPALIVE", 5, minimum=0)
# Replace each worker after this many requests (with jitter so they do not all restart at once),
# bounding any slow leak. 0 turns it off. Not lower: a new worker imports Django and the app
# again (about a second of CPU), and at 2,000 a busy 2-CPU node replaced a worker every few
# seconds, which cost a fifth of its CPU time and its worst latencies (docs/benchmarks.md).
max_requests = env_int("GUNICORN_MAX_REQUESTS", 20000, minimum=0)
max_requests_jitter = max_requests // 10
# Load Django once in the master and fork the workers from it: a worker that is replaced (after
# max_requests, or after it died) answers again in milliseconds rather than after a second of
# imports, while its share of the requests waits. Nothing at import opens a connection, so no
# socket is shared across the fork. A code change then needs a restart, not a HUP.
preload_app = env_bool("GUNICORN_PRELOAD", True)

# Request limits: nothing on this site needs a long URL or many headers. Bodies are limited by
# Django (DATA_UPLOAD_MAX_MEMORY_SIZE, IMAGE_UPLOAD_MAX_BYTES).
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Proxies whose X-Forwarded-Proto gunicorn believes (settings.FORWARDED_ALLOW_IPS, empty unless
# TRUSTED_PROXY_COUNT is set): a client cannot claim HTTPS on its own.
forwarded_allow_ips = ",".join(django_settings.FORWARDED_ALLOW_IPS)

# Logs: gunicorn's own lines go through the same JSON formatter as Django's, on stdout. The access
# log is off; when switched on its format has no client address, no query string, no header.
logconfig_dict = logging_config(level=django_settings.LOG_LEVEL, gunicorn=True)
accesslog = "-" if env_bool("GUNICORN_ACCESS_LOG", False) else None
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"


class AccessLogWhenAsked(Logger):
    """gunicorn's logger, writing access lines only when GUNICORN_ACCESS_LOG asks for them.

    gunicorn treats any logconfig_dict as a request for the access log, whatever `accesslog`
    says, and formats a line for every request (a few per cent of a cached page's CPU time).
    """

    def access(self, resp, req, environ, request_time):
        if self.cfg.accesslog:
            super().access(resp, req, environ, request_time)


logger_class = AccessLogWhenAsked
errorlog = "-"

# No runtime control socket: nobody operates the nodes through it, and two instances under one
# $HOME would fight over the same socket path.
control_socket_disable = True
# Worker heartbeats on tmpfs, not on a container's overlay file system (gunicorn creates them
# with mkstemp, so a shared folder is safe).
SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(SHM):
    worker_tmp_dir = SHM


def on_starting(server):
    """Refuse to start on settings that `check --deploy` flags (runs once, in the master)."""
    command = [
        sys.executable,
        str(BASE_DIR / "manage.py"),
        "check",
        "--deploy",
        "--fail-level",
        django_settings.DEPLOY_CHECK_FAIL_LEVEL,
    ]
    # Fixed argv, no shell.
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        for line in (result.stderr or result.stdout).strip().splitlines():
            server.log.error("check --deploy: %s", line)
        server.log.error("Refusing to serve: fix the settings above (docs/operations.md).")
        sys.exit(3)
    server.log.info("check --deploy passed at %s level", django_settings.DEPLOY_CHECK_FAIL_LEVEL)
