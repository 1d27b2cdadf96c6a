"""The public results: counted from the data, cached until a service changes objects or tips.

A new tip does not make them stale: on a busy day a recount (every tip in the table) after each
tip would cost more than all the tips. "Tips received" is at most PUBLIC_STATS_SECONDS old;
every other change (a tip marked spam or purged, an object published or identified) shows at
once.
"""

from dataclasses import dataclass

from django.conf import settings

from objects.models import TraceObject
from tips.models import Tip
from traceobject import page_cache


@dataclass(frozen=True)
class Results:
    tips_received: int
    objects_published: int
    objects_identified: int
    countries_traced: int


def _count() -> Results:
    identified = TraceObject.objects.identified()
    return Results(
        # Spam is not a tip from the public; everything else that arrived counts.
        tips_received=Tip.objects.exclude(status=Tip.Status.SPAM).count(),
        objects_published=TraceObject.objects.published().count(),
        objects_identified=identified.count(),
        countries_traced=identified.exclude(traced_country="")
        .values("traced_country")
        .distinct()
        .count(),
    )


def public_results() -> Results:
    return page_cache.cached_value(
        "results", page_cache.STATS, _count, timeout=settings.PUBLIC_STATS_SECONDS
    )
