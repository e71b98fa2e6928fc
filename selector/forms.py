"""Forms parse and display; the rules live in selector.services (errors mapped back here)."""

from django import forms
from django.core.exceptions import ValidationError

from selector.models import (
    TOOL_FIELDS,
    Criterion,
    Evaluation,
    Method,
    Normalization,
    Tool,
    WeightProfile,
)


def apply_service_errors(
    form: forms.Form, error: ValidationError, field_for=None
) -> None:
    """Attach a service's ValidationError to the form fields it names (else the form)."""
    field_for = field_for or (lambda key: key)
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = field_for(key)
        if field not in form.fields:
            field = None
        for message in messages:
            form.add_error(field, message)


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


def weight_field_name(profile: WeightProfile, key: str) -> str:
    return f"weight_{profile.pk}_{key}"


def threshold_field_name(threshold: str, profile: WeightProfile, key: str) -> str:
    return f"{threshold}_{profile.pk}_{key}"


PREFERENCE_CHOICES = [
    ("usual", "Usual: any advantage counts in full"),
    ("ushape", "U-shape: an advantage counts in full beyond q"),
    ("vshape", "V-shape: an advantage counts more and more up to p"),
    ("level", "Level: half between q and p, in full beyond p"),
    ("linear", "Linear: more and more from q to p, in full beyond p"),
]


class EvaluationForm(forms.ModelForm):
    """The evaluation builder: tools, profile, method and a weight slider per criterion."""

    tools = forms.ModelMultipleChoiceField(
        queryset=Tool.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Evaluation
        fields = [
            "name",
            "tools",
            "profile",
            "method",
            "normalization",
            "missing_scores",
        ]
        widgets = {"missing_scores": forms.RadioSelect}

    # The methods' own options (shown by the page for the chosen method only).
    vikor_v = forms.FloatField(
        label="Compromise (VIKOR v)",
        required=False,
        min_value=0,
        max_value=1,
        initial=0.5,
        help_text="From 0 to 1: higher favours the tool that is best overall, lower "
        "the one whose weakest criterion is least bad.",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    preference = forms.ChoiceField(
        label="Preference function (PROMETHEE II)",
        choices=PREFERENCE_CHOICES,
        required=False,
        initial="usual",
        help_text="How much an advantage on a criterion counts. q: the largest "
        "difference that does not matter; p: the smallest that counts in full; both "
        "per criterion, in its own units, next to its weight.",
    )

    def __init__(self, *args, workspace, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        options = self.instance.method_options if self.instance.pk else {}
        if "v" in options:
            self.fields["vikor_v"].initial = options["v"]
        if "preference" in options:
            self.fields["preference"].initial = options["preference"]
        self.fields["tools"].queryset = workspace.tools.all()
        self.fields["profile"].queryset = WeightProfile.objects.all()
        self.fields["profile"].empty_label = None
        self.fields["method"].choices = Method.choices
        self.fields["normalization"].choices = Normalization.choices
        self.profiles = list(profiles)
        overrides = self.instance.weight_overrides if self.instance.pk else {}
        for profile in self.profiles:
            for weight in profile.weights.all():
                key = weight.criterion.key
                own = self.instance.pk and self.instance.profile_id == profile.pk
                self.fields[weight_field_name(profile, key)] = forms.FloatField(
                    label=weight.criterion.name,
                    required=False,
                    min_value=0,
                    initial=overrides.get(key, weight.value) if own else weight.value,
                    widget=forms.NumberInput(
                        attrs={
                            "type": "range",
                            "min": 0,
                            "max": 100,
                            "step": "0.5",
                            "data-survey-value": weight.value,
                            "data-criterion": key,
                        }
                    ),
                )
                for threshold in ("q", "p"):
                    given = options.get(threshold) if own else None
                    self.fields[threshold_field_name(threshold, profile, key)] = (
                        forms.FloatField(
                            label=f"{threshold} for {weight.criterion.name}",
                            required=False,
                            min_value=0,
                            initial=given.get(key)
                            if isinstance(given, dict)
                            else given,
                            widget=forms.NumberInput(
                                attrs={"class": "threshold", "step": "any"}
                            ),
                        )
                    )

    def _post_clean(self):
        pass  # the service validates and saves

    def weight_groups(self):
        """Per profile: its slider fields with their weights (for the template)."""
        return [
            {
                "profile": profile,
                "rows": [
                    {
                        "weight": weight,
                        "field": self[weight_field_name(profile, weight.criterion.key)],
                        "q": self[
                            threshold_field_name("q", profile, weight.criterion.key)
                        ],
                        "p": self[
                            threshold_field_name("p", profile, weight.criterion.key)
                        ],
                    }
                    for weight in profile.weights.all()
                ],
            }
            for profile in self.profiles
        ]

    def weight_overrides(self) -> dict[str, float]:
        """The chosen profile's slider values that differ from the survey's weights."""
        profile = self.cleaned_data["profile"]
        chosen = next((p for p in self.profiles if p.pk == profile.pk), None)
        overrides = {}
        for weight in chosen.weights.all() if chosen else ():
            value = self.cleaned_data.get(
                weight_field_name(chosen, weight.criterion.key)
            )
            if value is not None and value != weight.value:
                overrides[weight.criterion.key] = value
        return overrides

    def method_options(self) -> dict:
        """The chosen method's options: VIKOR v; PROMETHEE II preference and the
        thresholds entered for the chosen profile's criteria (a threshold left blank
        for every criterion is not sent)."""
        data, method = self.cleaned_data, self.cleaned_data["method"]
        if method == "vikor" and data.get("vikor_v") is not None:
            return {"v": data["vikor_v"]}
        if method != "promethee2":
            return {}
        options = {"preference": data.get("preference") or "usual"}
        profile = data["profile"]
        chosen = next((p for p in self.profiles if p.pk == profile.pk), None)
        for threshold in ("q", "p"):
            values = {
                weight.criterion.key: data.get(
                    threshold_field_name(threshold, chosen, weight.criterion.key)
                )
                for weight in (chosen.weights.all() if chosen else ())
            }
            given = {key: value for key, value in values.items() if value is not None}
            if given:
                options[threshold] = given
        return options

    def service_field(self, key: str) -> str:
        if key.startswith("weights"):
            return "profile"
        if key == "options.v":
            return "vikor_v"
        if key.startswith("options."):
            threshold, _, criterion = key.removeprefix("options.").partition(".")
            if criterion:
                return threshold_field_name(
                    threshold, self.cleaned_data["profile"], criterion
                )
        if key.startswith("options"):
            return "preference"
        return key
