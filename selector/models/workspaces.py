"""Workspaces and who belongs to them, with which role."""

from django.conf import settings
from django.db import models


class Workspace(models.Model):
    """A team's private space: its tools, evaluations and runs are seen only by members."""

    name = models.CharField(max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="workspaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer"
        EDITOR = "editor", "Editor"
        OWNER = "owner", "Owner"

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user"], name="membership_unique_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.workspace}"

    @property
    def can_edit(self) -> bool:
        return self.role in (self.Role.EDITOR, self.Role.OWNER)
