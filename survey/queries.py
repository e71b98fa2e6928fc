"""Reads of survey data shaped for pages and the API (one query per list)."""

from itertools import groupby

from django.db.models import Count, QuerySet

from survey.models import Benchmark, Survey


def surveys_with_counts() -> QuerySet[Survey]:
    return Survey.objects.annotate(benchmark_count=Count("benchmarks")).order_by(
        "-published", "slug"
    )


def survey_benchmarks(survey: Survey, *, category: str | None = None) -> QuerySet:
    # Through the related manager, so each figure's ``survey`` is this one, not a query.
    benchmarks = survey.benchmarks.order_by("position", "id")
    if category:
        benchmarks = benchmarks.filter(category=category)
    return benchmarks


def group_by_category(benchmarks) -> list[tuple[str, list[Benchmark]]]:
    """Group figures by category, categories in order of their first figure."""
    rows = sorted(benchmarks, key=lambda row: row.position)
    first_position = {}
    for row in rows:
        first_position.setdefault(row.category, row.position)
    rows.sort(key=lambda row: (first_position[row.category], row.position))
    return [
        (category, list(items))
        for category, items in groupby(rows, key=lambda r: r.category)
    ]
