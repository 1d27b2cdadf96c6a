from django.contrib import admin

from backoffice.models import AuditEntry
from traceobject.paginator import CappedCountPaginator


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: supervisors read and filter the log; nobody edits or deletes a line."""

    list_display = ["at", "actor_name", "action", "target_type", "target_id", "detail"]
    list_filter = ["action", "target_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "=target_id"]
    show_full_result_count = False
    paginator = CappedCountPaginator
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
