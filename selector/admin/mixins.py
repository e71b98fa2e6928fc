"""Behaviour shared by the admin classes whose deletes go through a service."""


class DeleteThroughServiceMixin:
    """Deletes go through the service (its checks, its history); the reasons it would
    refuse (``refusals``) are shown on the delete page instead of the delete button."""

    def refusals(self, obj) -> list[str]:
        raise NotImplementedError

    def delete_through_service(self, request, obj) -> None:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        reasons = list(
            dict.fromkeys(line for obj in objs for line in self.refusals(obj))
        )
        if reasons:
            protected = reasons
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through_service(request, obj)
