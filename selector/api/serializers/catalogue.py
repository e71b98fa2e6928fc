"""Criteria and weight profiles: how they render, and what a staff member may send."""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from selector.api.serializers.fields import SlugLookupField, WeightsField
from selector.models import Criterion, WeightProfile


class CriterionSerializer(serializers.ModelSerializer):
    parent = SlugLookupField(
        slug_field="key",
        queryset=Criterion.objects.all(),
        allow_null=True,
        required=False,
    )
    benchmark = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = [
            "key",
            "name",
            "description",
            "kind",
            "scale_min",
            "scale_max",
            "unit",
            "direction",
            "parent",
            "benchmark",
            "builtin",
        ]
        read_only_fields = ["builtin"]
        validators = []
        extra_kwargs = {"key": {"validators": []}}

    @extend_schema_field(
        inline_serializer(
            "CriterionBenchmark",
            fields={
                "survey": serializers.CharField(),
                "category": serializers.CharField(),
                "key": serializers.CharField(),
                "value": serializers.FloatField(),
                "unit": serializers.CharField(),
            },
            allow_null=True,
        )
    )
    def get_benchmark(self, criterion):
        benchmark = criterion.benchmark
        if benchmark is None:
            return None
        return {
            "survey": benchmark.survey.slug,
            "category": benchmark.category,
            "key": benchmark.key,
            "value": benchmark.value,
            "unit": benchmark.unit,
        }


class ProfileSerializer(serializers.ModelSerializer):
    survey = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    weights = serializers.SerializerMethodField()

    class Meta:
        model = WeightProfile
        fields = [
            "slug",
            "name",
            "description",
            "survey",
            "builtin",
            "updated_at",
            "weights",
        ]

    @extend_schema_field(
        serializers.DictField(
            child=serializers.FloatField(),
            help_text="Relative weights by criterion key; normalized to 100% in use.",
        )
    )
    def get_weights(self, profile) -> dict:
        return {weight.criterion.key: weight.value for weight in profile.weights.all()}


class ProfileInputSerializer(serializers.ModelSerializer):
    weights = WeightsField(
        help_text="Relative weights by criterion key; they replace the profile's.",
    )

    class Meta:
        model = WeightProfile
        fields = ["slug", "name", "description", "weights"]
        validators = []
        extra_kwargs = {"slug": {"validators": []}}
