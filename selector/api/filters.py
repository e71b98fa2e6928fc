"""Query-string filters of the API lists."""

import django_filters
from django import forms

from selector.models import MAX_ID, Batch, Run, Tool
from selector.selectors import tool_search


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number within the database's range (else a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ToolFilter(django_filters.FilterSet):
    workspace = IdFilter(field_name="workspace_id")
    name = django_filters.CharFilter(
        field_name="name", lookup_expr="iexact", help_text="Exact name (any case)."
    )
    category = django_filters.ChoiceFilter(choices=Tool.Category.choices)
    search = django_filters.CharFilter(
        method="filter_search", help_text="Part of the name, vendor or model provider."
    )

    class Meta:
        model = Tool
        fields = ["workspace", "name", "category", "search"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(tool_search(value))


class EvaluationFilter(django_filters.FilterSet):
    workspace = IdFilter(field_name="workspace_id")


class RunFilter(django_filters.FilterSet):
    evaluation = IdFilter(field_name="evaluation_id")
    status = django_filters.ChoiceFilter(choices=Run.Status.choices)


class BatchFilter(django_filters.FilterSet):
    evaluation = IdFilter(field_name="evaluation_id")
    status = django_filters.ChoiceFilter(choices=Batch.Status.choices)
