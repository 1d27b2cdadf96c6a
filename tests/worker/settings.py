"""The production settings plus the test-only tasks (tests/worker/blocking.py), for the worker
processes the tests start; the site never loads this module."""

from traceobject.settings import *  # noqa: F403

PROCRASTINATE_IMPORT_PATHS = ["tests.worker.blocking"]
