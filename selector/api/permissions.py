"""API permissions beyond DRF's IsAuthenticated.

Workspace roles are not checked here: querysets hide other workspaces (404) and the
services refuse viewers (403), so pages, API and tasks share one rule.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class IsStaffOrReadOnly(permissions.BasePermission):
    """Anyone signed in may read; only staff may change the shared catalogue."""

    message = _("Only staff can change criteria and weight profiles.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)
