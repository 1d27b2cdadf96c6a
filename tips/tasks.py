"""Tips work done later than the request (traceobject/tasks.py says how it runs)."""

import logging

from objects.models import TraceObject
from tips.services import leads_recompute, tip_purge
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


@tasks.task(name="tips.leads_recompute", retry=tasks.TRANSIENT_RETRY)
def object_leads_recompute(object_id: int) -> None:
    obj = TraceObject.objects.filter(pk=object_id).first()
    if obj is None:  # deleted since the job was deferred: no leads left to propose
        return
    leads_recompute(obj=obj)


def leads_recompute_later(*, obj: TraceObject) -> bool:
    """Propose the object's leads again, later. A burst of calls for one object (a
    flood of tips on it) leaves one waiting job, which reads every tip when it runs; returns
    False when one was waiting already."""
    return tasks.defer(object_leads_recompute, queueing_lock=f"object-{obj.pk}", object_id=obj.pk)
