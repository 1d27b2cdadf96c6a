"""PostgreSQL only: no parallel workers for scans of tips_tip.

Every back-office read of tips is bounded by an index and returns one page (50 rows, or a capped
count). For those, a parallel plan only adds the workers' start-up and the Gather: with 1M tips
the full-text search's newest-first walk took 70-90 ms with two workers against 25-35 ms without
on the 2-core bench machine under load, and the workers take CPU from concurrent requests. The
planner picked the parallel plan because the search's LIKE prefilter halves its row estimate.
Reversible with ALTER TABLE tips_tip RESET (parallel_workers). The lock taken (SHARE UPDATE
EXCLUSIVE) lets new tips in while it runs.
"""

from django.db import migrations

from traceobject.migrations_sql import postgresql_only

FORWARD = ["ALTER TABLE tips_tip SET (parallel_workers = 0)"]
BACKWARD = ["ALTER TABLE tips_tip RESET (parallel_workers)"]


class Migration(migrations.Migration):
    dependencies = [("tips", "0005_scale_indexes")]

    operations = [migrations.RunPython(postgresql_only(FORWARD), postgresql_only(BACKWARD))]
