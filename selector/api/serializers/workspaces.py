"""Workspaces as the caller sees them, with their role in each."""

from rest_framework import serializers

from selector.models import Workspace


class WorkspaceSerializer(serializers.ModelSerializer):
    role = serializers.CharField(
        read_only=True, help_text="Your role here: viewer, editor or owner."
    )

    class Meta:
        model = Workspace
        fields = ["id", "name", "role", "created_at"]
