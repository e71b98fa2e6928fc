from rest_framework import serializers

from survey.models import Benchmark, Survey


class BenchmarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Benchmark
        fields = ["category", "key", "label", "value", "unit", "evidence", "confirmed"]


class SurveySerializer(serializers.ModelSerializer):
    benchmark_count = serializers.IntegerField(read_only=True)
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
