"""The batches admin, read-only: the link target of the re-rank message."""

from django.contrib import admin

from selector.models import Batch


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "profile",
        "total",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["profile", "created_by"]
    readonly_fields = [f.name for f in Batch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
