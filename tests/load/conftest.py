"""Load and fault tests: real gunicorn nodes (bench/nodes.py) on the test's PostgreSQL and Redis.

Bounded: each test sends a fixed number of tips (or floods for a fixed time) from 127.0.0.1 and
stops by itself; figures are printed (run with -s to see them), never asserted as timings.
"""

import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.deploy.conftest import node_env, start_node  # noqa: F401 (fixtures used here)
from tests.factories import make_object
from tests.personas import login_verified
from tips import spam

# Enough processes and threads for 32 clients on a 2-core machine without thrashing it.
LOAD_WORKERS = "2"
LOAD_THREADS = "4"


@pytest.fixture
def load_env(node_env):  # noqa: F811 (the imported fixture)
    """A node's environment for load: limits raised, no minimum fill time, this SECRET_KEY.

    The nodes share this process's SECRET_KEY so the test can mint form tokens
    (tips.spam.issue_token) and staff sessions, and its RECEIPT_KEY (node_env) so receipt codes
    can be hashed here and looked up in Tip.receipt_hash.
    """
    return {
        **node_env,
        "SECRET_KEY": settings.SECRET_KEY,
        "TIP_MIN_FILL_SECONDS": "0",
        "TIP_RATE_PER_CLIENT": "1000000/h",
        "TIP_RATE_GLOBAL": "1000000/h",
        "WEB_CONCURRENCY": LOAD_WORKERS,
        "GUNICORN_THREADS": LOAD_THREADS,
    }


@pytest.fixture
def tip_target(transactional_db):
    """A published object and a function that mints one fresh form token for it."""
    obj = make_object(status="published", title="Blue plastic lunch box")
    path = reverse("tips:form", args=[obj.number])
    return obj, path, lambda: spam.issue_token(obj.number)


def staff_session_cookie(user) -> str:
    """A logged-in, second-factor-verified staff session cookie value the nodes accept (they
    share SECRET_KEY and the session store)."""
    client = login_verified(Client(), user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def faults_allowed() -> bool:
    """Fault tests restart the machine's PostgreSQL cluster: only in CI or when asked."""
    return any(
        os.environ.get(name, "") in {"1", "true", "yes"}
        for name in ("REQUIRE_SERVICES", "TAO_FAULT_TESTS")
    )
