from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator


class CappedCount(int):
    """A count that stopped at the cap: compares and pages as cap + 1, reads as "10000+"."""

    def __str__(self):
        return f"{int(self) - 1}+"


def capped_count(queryset) -> int:
    """COUNT(*) of at most STAFF_LIST_COUNT_CAP + 1 rows; past the cap it reads "10000+"."""
    cap = settings.STAFF_LIST_COUNT_CAP
    counted = queryset.order_by()[: cap + 1].count()
    return CappedCount(counted) if counted > cap else counted


class CappedCountPaginator(Paginator):
    """Counts at most STAFF_LIST_COUNT_CAP + 1 rows, so a list over a million rows never runs an
    unbounded COUNT(*); past the cap the count reads "cap+" wherever the admin shows it (the
    pagination line, the search's "results", "Select all ...") and the last pages are not
    linked."""

    @cached_property
    def count(self):
        return capped_count(self.object_list)
