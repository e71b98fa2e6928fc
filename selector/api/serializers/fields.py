"""Fields that several resources' serializers share: numbers, scores, weights, lookups
by key or slug, and ids of the caller's workspaces, tools and evaluations.

They check shapes only (a number is a JSON number, not text or true/false; a mapping
by criterion key has keys that could be one); what the values may be is for the
services. Mappings stop at ``limits.MAX_ERRORS`` errors.
"""

import json
import math
import re

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from selector.limits import MAX_ERRORS
from selector.models import Evaluation, Tool
from selector.selectors import visible, workspaces_for

KEY_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
LOOKUP_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")  # criterion keys, profile slugs


def not_a_number(value) -> str | None:
    """Why ``value`` (parsed JSON) is not a number, or None when it is one: text
    (``"1"``) and booleans are not numbers, whatever Python thinks."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _not_a_number(value)
    return None


def _not_a_number(value) -> str:
    if isinstance(value, str):
        return gettext("A number is required, not the text %(text)s.") % {
            "text": json.dumps(value[:40])
        }
    if isinstance(value, list):
        return gettext("A number is required, not a list.")
    if isinstance(value, dict):
        return gettext("A number is required, not an object.")
    return gettext("A number is required, not %(value)s.") % {
        "value": json.dumps(value)  # true, false, null
    }


class NumberField(serializers.FloatField):
    """A JSON number a float can hold (not text, not a boolean), as a float."""

    def to_internal_value(self, data):
        problem = not_a_number(data)
        if problem:
            raise serializers.ValidationError(problem)
        try:
            number = float(data)
        except OverflowError:  # an integer too large for a float
            number = math.inf
        if not math.isfinite(number):
            raise serializers.ValidationError(gettext("A finite number is required."))
        return number


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
                gettext(
                    "Send a number, an object {value, low, high, evidence}, or null."
                )
            )
        unknown = set(data) - {"value", "low", "high", "evidence"}
        if unknown:
            raise serializers.ValidationError(
                gettext("Unknown key %(key)s.") % {"key": repr(sorted(unknown)[0])}
            )
        errors = {}
        for name in ("value", "low", "high"):
            given = data.get(name)
            if given is not None or name == "value":  # the bounds may be null
                problem = not_a_number(given)
                if problem:
                    errors[name] = [problem]
        evidence = data.get("evidence") or ""
        if not isinstance(evidence, str):
            errors["evidence"] = [gettext("evidence must be text.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data

    def to_representation(self, value):
        return value


class ByCriterionKeyField(serializers.DictField):
    """A mapping by criterion key: keys that could not be one are refused by name, and
    the values by ``child``; at most ``MAX_ERRORS`` errors are collected."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_a_dict", input_type=type(data).__name__)
        cleaned, errors = {}, {}
        for key, value in data.items():
            if len(errors) >= MAX_ERRORS:
                break
            if not isinstance(key, str) or not KEY_PATTERN.match(key):
                errors[str(key)[:80]] = [
                    gettext(
                        "%(key)s is not a criterion key (letters, digits, - and _)."
                    )
                    % {"key": repr(str(key)[:80])}
                ]
                continue
            try:
                cleaned[key] = self.child.run_validation(value)
            except serializers.ValidationError as error:
                errors[key] = error.detail
        if errors:
            raise serializers.ValidationError(errors)
        return cleaned


class ScoresField(ByCriterionKeyField):
    """Scores by criterion key; values are checked by ``services.save_tool``."""

    child = ScoreField(allow_null=True)


class WeightsField(ByCriterionKeyField):
    """Weights by criterion key, each a number or null; the services check their values
    (at least zero, one above zero)."""

    child = NumberField(allow_null=True)


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
