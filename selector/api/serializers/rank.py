"""The stateless rank API's request and answer: criteria, alternatives and method in,
rows ordered by rank out."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from selector.api.errors import PayloadTooLarge
from selector.api.serializers.evaluations import MethodOptionsSerializer
from selector.api.serializers.fields import KEY_PATTERN, NumberField, not_a_number
from selector.formats import number
from selector.limits import MAX_ERRORS
from selector.models import Criterion, Method, Normalization
from selector.services.ranking import MAX_ALTERNATIVES, MAX_CRITERIA

NORMALIZATIONS = [choice for choice in Normalization.values if choice]
MAX_NAME_LENGTH = 200


class RankCriterionSerializer(serializers.Serializer):
    key = serializers.RegexField(
        KEY_PATTERN, help_text="Letters, digits, - and _ (at most 60)."
    )
    direction = serializers.ChoiceField(choices=Criterion.Direction.choices)
    weight = NumberField(min_value=0)


class RankAlternativeSerializer(serializers.Serializer):
    """Documents one alternative; ``AlternativesField`` parses them in one pass."""

    name = serializers.CharField(max_length=MAX_NAME_LENGTH)
    values = serializers.DictField(
        child=serializers.FloatField(), help_text="Values by criterion key."
    )


@extend_schema_field(RankAlternativeSerializer(many=True))
class AlternativesField(serializers.Field):
    """The alternatives, parsed in a tight loop: up to a million values per request.

    Only their shape is checked here; whether the numbers can be ranked (finite, under
    known criteria, names unique) is for ``services.ranking.rank_alternatives``.
    """

    def to_internal_value(self, data):
        if not isinstance(data, list):
            raise serializers.ValidationError(gettext("Send a list of alternatives."))
        if len(data) > MAX_ALTERNATIVES:
            raise PayloadTooLarge(
                gettext(
                    "%(count)s alternatives is more than the %(limit)s a request may "
                    "rank; split the data."
                )
                % {
                    "count": len(data),
                    "limit": number(MAX_ALTERNATIVES),
                }
            )
        errors, parsed = {}, []
        for i, item in enumerate(data):
            # As the service does, name at most MAX_ERRORS faulty alternatives.
            if len(errors) >= MAX_ERRORS:
                break
            problems = _shape_problems(item)
            if problems:
                errors[str(i)] = problems
            else:
                parsed.append({"name": item["name"].strip(), "values": item["values"]})
        if errors:
            raise serializers.ValidationError(errors)
        return parsed

    def to_representation(self, value):
        return value


def _shape_problems(item) -> list | dict:
    """What is wrong with the shape of one alternative (empty when nothing): it must be
    an object with a name and values that are numbers by criterion key."""
    if not isinstance(item, dict):
        return [gettext("Send an object {name, values}.")]
    problems = {}
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems["name"] = [gettext("A non-empty name is required.")]
    elif len(name) > MAX_NAME_LENGTH or "\x00" in name:
        problems["name"] = [
            gettext("A name is at most %(limit)s characters of text.")
            % {"limit": MAX_NAME_LENGTH}
        ]
    values = item.get("values")
    if not isinstance(values, dict):
        problems["values"] = [gettext("Send the values as an object by criterion key.")]
        return problems
    not_numbers = {}
    for key, value in values.items():
        problem = not_a_number(value)
        if problem:
            not_numbers[key] = [problem]
            if len(not_numbers) == MAX_ERRORS:  # as many as an answer lists
                break
    if not_numbers:
        problems["values"] = not_numbers
    return problems


class RankRequestSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Method.choices, default=Method.WSM)
    normalization = serializers.ChoiceField(
        choices=NORMALIZATIONS,
        allow_null=True,
        default=None,
        help_text="Omit or null for the method's textbook default.",
    )
    criteria = RankCriterionSerializer(many=True)
    alternatives = AlternativesField()
    options = MethodOptionsSerializer(required=False, default=dict)

    def to_internal_value(self, data):
        criteria = data.get("criteria") if isinstance(data, dict) else None
        if isinstance(criteria, list) and len(criteria) > MAX_CRITERIA:
            raise PayloadTooLarge(
                gettext(
                    "%(count)s criteria is more than the %(limit)s a request may use."
                )
                % {"count": len(criteria), "limit": MAX_CRITERIA}
            )
        return super().to_internal_value(data)

    def validate_criteria(self, value):
        if not value:
            raise serializers.ValidationError(gettext("Send at least one criterion."))
        return value


class RankRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    contributions = serializers.DictField(child=serializers.FloatField())


class RankResponseSerializer(serializers.Serializer):
    method = serializers.CharField()
    normalization = serializers.CharField(allow_null=True)
    options = MethodOptionsSerializer(help_text="The options sent, as used.")
    ranking = RankRowSerializer(many=True)
