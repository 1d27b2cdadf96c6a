"""Tips work done later than the request (traceobject/tasks.py says how it runs)."""

import logging

from objects.models import TraceObject
from tips.services import answers_recompute as object_groups_recompute
from tips.services import tip_purge
from traceobject import tasks

logger = logging.getLogger(__name__)


@tasks.task(name="tips.purge", retry=tasks.TRANSIENT_RETRY, cron="0 3 * * *")
def purge(timestamp: int) -> None:
    """Retention, every day at 03:00 UTC (`manage.py purge_tips` runs the same service)."""
    result = tip_purge()
    logger.info(
        "purge: deleted %s tips (%s messages, %s photos), erased contact details of %s",
        result.deleted_tips,
        result.deleted_messages,
        result.deleted_photos,
        result.erased_contacts,
    )


@tasks.task(name="tips.object_groups_recompute", retry=tasks.TRANSIENT_RETRY)
def groups_recompute(object_id: int) -> None:
    obj = TraceObject.objects.filter(pk=object_id).first()
    if obj is None:  # deleted since the job was deferred: nothing left to group
        return
    object_groups_recompute(obj=obj)


def groups_recompute_later(*, obj: TraceObject) -> bool:
    """Propose the object's groups of tips again, later. A burst of calls for one object (a
    flood of tips on it) leaves one waiting job, which reads every tip when it runs; returns
    False when one was waiting already."""
    return tasks.defer(groups_recompute, queueing_lock=f"object-{obj.pk}", object_id=obj.pk)
