"""Evaluations as rendered and as sent, with the options of their ranking method."""

import math
from itertools import islice

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from selector import engine
from selector.api.serializers.fields import (
    NumberField,
    SlugLookupField,
    VisibleToolField,
    VisibleWorkspaceField,
    WeightsField,
)
from selector.limits import MAX_ERRORS
from selector.models import Evaluation, Method, Normalization, WeightProfile


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0},
            {
                "type": "object",
                "additionalProperties": {"type": "number", "minimum": 0},
            },
        ],
        "description": "One threshold for every criterion, or one per criterion key, "
        "in the criterion's own units.",
    }
)
class ThresholdField(serializers.Field):
    """A PROMETHEE threshold: one number, or {criterion key: number}."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            bad = {
                str(key): [gettext("A finite number >= 0 is required.")]
                for key in islice(
                    (key for key, value in data.items() if not _threshold(value)),
                    MAX_ERRORS,
                )
            }
            if bad:
                raise serializers.ValidationError(bad)
            return {str(key): float(value) for key, value in data.items()}
        if not _threshold(data):
            raise serializers.ValidationError(
                gettext("Send a finite number >= 0, or one per criterion key.")
            )
        return float(data)

    def to_representation(self, value):
        return value


def _threshold(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


class MethodOptionsSerializer(serializers.Serializer):
    """Options of the chosen method (each method's textbook default when left out); an
    option no method takes is refused by name."""

    v = NumberField(
        required=False,
        min_value=0,
        max_value=1,
        help_text="VIKOR: weight of the group utility against the worst regret "
        "(default 0.5).",
    )
    preference = serializers.ChoiceField(
        choices=engine.PREFERENCES,
        required=False,
        help_text="PROMETHEE II preference function (default usual); ushape needs q, "
        "vshape p, level and linear both.",
    )
    q = ThresholdField(required=False, help_text="PROMETHEE II indifference threshold.")
    p = ThresholdField(required=False, help_text="PROMETHEE II preference threshold.")

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = islice(
                (key for key in data if key not in self.fields), MAX_ERRORS
            )
            errors = {
                str(key): [
                    gettext(
                        "No method takes an option %(option)s; the options are "
                        "%(options)s."
                    )
                    % {"option": repr(str(key)[:80]), "options": ", ".join(self.fields)}
                ]
                for key in unknown
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class EvaluationSerializer(serializers.ModelSerializer):
    tools = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    profile = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    weights = serializers.DictField(
        source="weight_overrides",
        child=serializers.FloatField(),
        read_only=True,
        help_text="Weights by criterion key that replace the profile's.",
    )
    options = MethodOptionsSerializer(source="method_options", read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "workspace",
            "name",
            "tools",
            "profile",
            "method",
            "options",
            "normalization",
            "missing_scores",
            "weights",
            "created_at",
            "updated_at",
        ]


class EvaluationInputSerializer(serializers.Serializer):
    workspace = VisibleWorkspaceField()
    name = serializers.CharField(max_length=150)
    tools = VisibleToolField(many=True)
    profile = SlugLookupField(slug_field="slug", queryset=WeightProfile.objects.all())
    method = serializers.ChoiceField(choices=Method.choices, default=Method.WSM)
    normalization = serializers.ChoiceField(
        choices=Normalization.choices, default="", allow_blank=True
    )
    missing_scores = serializers.ChoiceField(
        choices=Evaluation.MissingScores.choices, default=Evaluation.MissingScores.BLOCK
    )
    weights = WeightsField(
        required=False,
        help_text="Weights replacing the profile's, by criterion key; null drops one.",
    )
    options = MethodOptionsSerializer(
        required=False,
        help_text="The method's options (kept while the method stays the same).",
    )


class EvaluationUpdateSerializer(EvaluationInputSerializer):
    workspace = None
