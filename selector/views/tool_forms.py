"""Forms of the tool pages: they parse and display; the rules live in
``services.tools`` (errors mapped back with ``apply_service_errors``)."""

from django import forms

from selector.models import TOOL_FIELDS, Criterion, Tool


def score_field_name(key: str) -> str:
    return f"score_{key}"


def score_field(criterion: Criterion) -> forms.FloatField:
    attrs = {"step": "any", "placeholder": criterion.scale_label}
    if criterion.scale_min is not None:
        attrs["min"] = criterion.scale_min
    if criterion.scale_max is not None:
        attrs["max"] = criterion.scale_max
    return forms.FloatField(
        label=criterion.name,
        required=False,
        help_text=f"{criterion.scale_label} · {criterion.get_direction_display().lower()}",
        widget=forms.NumberInput(attrs=attrs),
    )


class ToolForm(forms.ModelForm):
    """A tool's facts plus one optional score field per criterion."""

    class Meta:
        model = Tool
        fields = list(TOOL_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = {}
        if self.instance.pk:
            existing = {s.criterion_id: s.value for s in self.instance.scores.all()}
        for criterion in self.criteria:
            field = score_field(criterion)
            field.initial = existing.get(criterion.pk)
            self.fields[score_field_name(criterion.key)] = field

    def _post_clean(self):
        # Model validation (including the per-workspace name) happens in the service.
        pass

    @property
    def score_fields(self):
        return [self[score_field_name(c.key)] for c in self.criteria]

    @property
    def fact_fields(self):
        return [self[name] for name in TOOL_FIELDS]

    def tool_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in TOOL_FIELDS}

    def scores(self) -> dict:
        return {
            c.key: self.cleaned_data.get(score_field_name(c.key)) for c in self.criteria
        }

    def service_field(self, key: str) -> str:
        if key.startswith("scores."):
            return score_field_name(key.removeprefix("scores."))
        return key


class ToolFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    category = forms.ChoiceField(
        choices=[("", "All categories"), *Tool.Category.choices], required=False
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8, one tool per row; see the export for columns.",
    )
