"""Helpers for migrations that run raw SQL on PostgreSQL only (triggers, extensions, indexes).

Kept tiny and stable on purpose: migrations import it, so it must not change behaviour.
"""


def postgresql_only(statements):
    """A RunPython function that executes `statements` on PostgreSQL and does nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run
