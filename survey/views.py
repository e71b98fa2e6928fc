from django.shortcuts import get_object_or_404, render

from survey.models import Survey
from survey.queries import group_by_category, survey_benchmarks, surveys_with_counts


def survey_list(request):
    return render(
        request, "survey/survey_list.html", {"surveys": surveys_with_counts()}
    )


def survey_detail(request, slug: str):
    survey = get_object_or_404(Survey, slug=slug)
    categories = group_by_category(survey_benchmarks(survey))
    charts = [
        {
            "id": f"chart-{category}",
            "title": rows[0].category_label,
            "unit": rows[0].unit_label,
            "labels": [row.shown_label for row in rows],
            "values": [row.value for row in rows],
        }
        for category, rows in categories
        if len({row.unit for row in rows}) == 1
    ]
    return render(
        request,
        "survey/survey_detail.html",
        {"survey": survey, "categories": categories, "charts": charts},
    )
