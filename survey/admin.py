from django.contrib import admin

from survey.models import Benchmark, Survey


class BenchmarkInline(admin.TabularInline):
    model = Benchmark
    extra = 0
    fields = [
        "category",
        "key",
        "label",
        "label_fr",
        "value",
        "unit",
        "evidence_level",
        "position",
    ]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published", "respondents", "slug"]
    list_filter = ["publisher"]
    search_fields = ["title", "publisher", "slug", "population"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published"
    inlines = [BenchmarkInline]


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "label_fr",
        "survey",
        "category",
        "key",
        "value",
        "unit",
        "evidence_level",
    ]
    list_filter = ["survey", "category", "unit", "evidence_level"]
    list_select_related = ["survey"]
    search_fields = ["label", "key", "category", "evidence", "survey__title"]
    ordering = ["survey", "position"]
