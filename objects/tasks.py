"""Objects work done later than the request (traceobject/tasks.py says how it runs).

Rebuilds and the sweep share one lock, so they run one at a time in the order they were
deferred: the sweep that follows a batch of rebuilds never deletes a file a rebuild is still
writing.
"""

from objects import services
from objects.models import ObjectImage
from traceobject import tasks

MEDIA_LOCK = "objects-media"


@tasks.task(name="objects.image_rebuild", retry=tasks.TRANSIENT_RETRY, lock=MEDIA_LOCK)
def image_rebuild(image_id: int) -> None:
    """An original that cannot be decoded (imaging.ImageRejected) fails the job at once; a
    storage or database that does not answer is tried again."""
    image = ObjectImage.objects.select_related("trace_object").filter(pk=image_id).first()
    if image is None:  # deleted since: its files went with it
        return
    services.object_image_rebuild(image=image)


@tasks.task(name="objects.media_sweep", retry=tasks.TRANSIENT_RETRY, lock=MEDIA_LOCK)
def media_sweep() -> None:
    services.object_media_sweep()


def image_rebuild_later(*, image: ObjectImage) -> bool:
    return tasks.defer(image_rebuild, queueing_lock=f"image-{image.pk}", image_id=image.pk)


def media_rebuild_later() -> int:
    """Every image's derivatives, then the sweep, for the worker; returns the images queued."""
    queued = 0
    for pk in ObjectImage.objects.order_by("pk").values_list("pk", flat=True).iterator():
        queued += tasks.defer(image_rebuild, queueing_lock=f"image-{pk}", image_id=pk)
    tasks.defer(media_sweep, queueing_lock="media-sweep")
    return queued
