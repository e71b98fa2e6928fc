"""Fields that several resources' serializers share: scores, weights, lookups by key or
slug, and ids of the caller's workspaces, tools and evaluations."""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from selector.models import Evaluation, Tool
from selector.selectors import visible, workspaces_for

KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
LOOKUP_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")  # criterion keys, profile slugs


def _key_errors(mapping: dict, label: str) -> dict:
    return {
        str(key)[:80]: [
            f"{str(key)[:80]!r} is not a {label} key (letters, digits, - and _)."
        ]
        for key in mapping
        if not isinstance(key, str) or not KEY_PATTERN.match(key)
    }


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {
                "type": "object",
                "properties": {
                    "value": {"type": "number"},
                    "low": {"type": "number", "nullable": True},
                    "high": {"type": "number", "nullable": True},
                    "evidence": {"type": "string"},
                },
                "required": ["value"],
            },
        ],
        "nullable": True,
        "description": "A number, {value, low, high, evidence}, or null to remove it.",
    }
)
class ScoreField(serializers.Field):
    """One score as sent by a client: a number, an object with bounds, or null."""

    def to_internal_value(self, data):
        if (
            data is None
            or isinstance(data, (int, float))
            and not isinstance(data, bool)
        ):
            return data
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                "Send a number, an object {value, low, high, evidence}, or null."
            )
        unknown = set(data) - {"value", "low", "high", "evidence"}
        if unknown:
            raise serializers.ValidationError(f"Unknown key {sorted(unknown)[0]!r}.")
        evidence = data.get("evidence") or ""
        if not isinstance(evidence, str) or "\x00" in evidence:
            raise serializers.ValidationError("evidence must be text.")
        return data

    def to_representation(self, value):
        return value


class ByCriterionKeyField(serializers.DictField):
    """A mapping by criterion key: keys that could not be one are refused by name."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = _key_errors(data, "criterion")
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ScoresField(ByCriterionKeyField):
    """Scores by criterion key; values are checked by ``services.save_tool``."""

    child = ScoreField(allow_null=True)


class WeightsField(ByCriterionKeyField):
    """Weights by criterion key; values are checked by the services."""

    child = serializers.FloatField(allow_null=True)


class SlugLookupField(serializers.SlugRelatedField):
    """A row by its key or slug; text that cannot be one is "not found" without a
    query (PostgreSQL refuses some strings outright, e.g. with a NUL byte)."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not LOOKUP_PATTERN.match(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:80])
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class VisibleWorkspaceField(serializers.PrimaryKeyRelatedField):
    """A workspace of the caller's; others look as if they did not exist."""

    def get_queryset(self):
        return workspaces_for(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisibleToolField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return visible(Tool.objects.all(), self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class VisibleEvaluationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return visible(Evaluation.objects.all(), self.context["request"].user)
