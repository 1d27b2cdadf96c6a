"""The public results: counted from the data, cached until a service changes objects or tips."""

from dataclasses import dataclass

from objects import cache
from objects.models import TraceObject


@dataclass(frozen=True)
class Results:
    tips_received: int
    objects_published: int
    objects_identified: int
    countries_traced: int


def _count() -> Results:
    from tips.models import Tip

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
    return cache.cached_value("results", cache.STATS, _count)
