"""Candidate tools with their scores by criterion key, as rendered and as sent."""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from selector.api.serializers.fields import ScoresField, VisibleWorkspaceField
from selector.models import TOOL_FIELDS, Tool


class ToolSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = ["id", "workspace", *TOOL_FIELDS, "scores", "created_at", "updated_at"]

    @extend_schema_field(
        serializers.DictField(
            child=inline_serializer(
                "ScoreDetail",
                fields={
                    "value": serializers.FloatField(),
                    "low": serializers.FloatField(allow_null=True),
                    "high": serializers.FloatField(allow_null=True),
                    "evidence": serializers.CharField(),
                },
            ),
            help_text="Scores by criterion key.",
        )
    )
    def get_scores(self, tool) -> dict:
        return {
            score.criterion.key: {
                "value": score.value,
                "low": score.low,
                "high": score.high,
                "evidence": score.evidence,
            }
            for score in tool.scores.all()
        }


class ToolInputSerializer(serializers.ModelSerializer):
    workspace = VisibleWorkspaceField()
    scores = ScoresField(
        required=False,
        help_text='Scores by criterion key, e.g. {"roi": 4, "price": 30}; null '
        "removes one.",
    )

    class Meta:
        model = Tool
        fields = ["workspace", *TOOL_FIELDS, "scores"]
        validators = []


class ToolUpdateSerializer(ToolInputSerializer):
    class Meta(ToolInputSerializer.Meta):
        fields = [
            name for name in ToolInputSerializer.Meta.fields if name != "workspace"
        ]
