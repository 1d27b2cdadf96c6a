from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator


class CappedCountPaginator(Paginator):
    """Counts at most STAFF_LIST_COUNT_CAP + 1 rows, so a list over a million rows never runs an
    unbounded COUNT(*); past the cap the list says "cap+" and the last pages are not linked."""

    @cached_property
    def count(self):
        cap = settings.STAFF_LIST_COUNT_CAP
        return self.object_list.order_by()[: cap + 1].count()
