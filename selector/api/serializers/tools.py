"""Candidate tools with their scores by criterion key, as rendered and as sent."""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from selector.api.serializers.fields import ScoresField, VisibleWorkspaceField
from selector.models import LIST_PRICE, PRICE, TOOL_FIELDS, Tool
from selector.numbers import cents


class ToolSerializer(serializers.ModelSerializer):
    list_price = serializers.SerializerMethodField()
    scores = serializers.SerializerMethodField()

    class Meta:
        model = Tool
        fields = [
            "id",
            "workspace",
            *TOOL_FIELDS,
            LIST_PRICE,
            "scores",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "string",
            "format": "decimal",
            "nullable": True,
            "readOnly": True,
            "deprecated": True,
            "description": "The price score (scores.price.value, USD per seat per "
            "month) to the cent, or null without one; kept for older clients.",
        }
    )
    def get_list_price(self, tool) -> str | None:
        price = next((s for s in tool.scores.all() if s.criterion.key == PRICE), None)
        return None if price is None else f"{cents(price.value):f}"

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

    list_price = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        write_only=True,
        help_text="Deprecated: writes the price score's value (bounds and evidence "
        "stay); sent with scores.price, the two must agree to the cent. Null changes "
        "nothing.",
    )

    class Meta:
        model = Tool
        fields = ["workspace", *TOOL_FIELDS, LIST_PRICE, "scores"]
        validators = []


class ToolUpdateSerializer(ToolInputSerializer):
    class Meta(ToolInputSerializer.Meta):
        fields = [
            name for name in ToolInputSerializer.Meta.fields if name != "workspace"
        ]
