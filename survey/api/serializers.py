from rest_framework import serializers

from survey.models import Benchmark, Survey


class BenchmarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Benchmark
        fields = [
            "category",
            "key",
            "label",
            "value",
            "unit",
            "evidence",
            "evidence_level",
        ]


class SurveySerializer(serializers.ModelSerializer):
    benchmark_count = serializers.IntegerField(read_only=True)
    evidence_levels = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="What each figure's evidence_level means (quoted, press, secondary, "
        "single), in the survey file's words.",
    )
    report_url = serializers.URLField(source="url", read_only=True)
    url = serializers.HyperlinkedIdentityField(
        view_name="api:survey-detail", lookup_field="slug"
    )

    class Meta:
        model = Survey
        fields = [
            "slug",
            "title",
            "publisher",
            "published",
            "year",
            "respondents",
            "population",
            "note",
            "evidence_levels",
            "report_url",
            "benchmark_count",
            "url",
        ]


class SurveyDetailSerializer(SurveySerializer):
    benchmarks = serializers.SerializerMethodField()

    class Meta(SurveySerializer.Meta):
        fields = [*SurveySerializer.Meta.fields, "benchmarks"]

    def get_benchmarks(self, survey) -> list[dict]:
        rows = self.context["benchmarks"]
        return BenchmarkSerializer(rows, many=True).data
