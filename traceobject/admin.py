"""The one base class of every admin in the back-office (objects, tips, backoffice and Django's
own user and group admins, through explicit subclasses in backoffice/admin.py).

It lives in the core so that every app's admin can inherit it without importing an app above
its own. The back-office site refuses an admin that does not inherit it (system check
backoffice.E002), and one that overrides a method of the lookup allow-list ahead of it, which
would bypass it (GATE_METHODS).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from traceobject.admin_lookups import LookupAllowList

# The allow-list's methods (traceobject.admin_lookups). A subclass of BackofficeModelAdmin that
# overrides one of them would filter, order or search past it, so the system check refuses that.
GATE_METHODS = (
    "lookup_allowed",
    "to_field_allowed",
    "get_list_filter",
    "get_search_fields",
    "get_ordering",
    "get_changelist",
    "response_action",
)


class BackofficeModelAdmin(LookupAllowList):
    """Filters, orders and searches only by what the admin declares, never by a secret
    (traceobject.admin_lookups); a missing object is a 404."""

    def get_object(self, request, object_id, from_field=None):
        """The object, or a 404 where Django's admin would redirect to its index with a message
        naming the id (change, delete and history pages alike).

        Someone who may neither view nor change the model gets the 403 Django would give them
        first, so a missing id and a forbidden one look the same to them.
        """
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            raise Http404(f"No {self.opts.verbose_name} with this id")
        return obj
