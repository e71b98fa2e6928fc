"""The evaluation builder's form: it parses and displays; the rules live in
``services.evaluations`` (errors mapped back with ``apply_service_errors``)."""

from operator import attrgetter

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from selector import engine
from selector.models import (
    MAX_ID,
    Evaluation,
    Method,
    Normalization,
    Tool,
    WeightProfile,
)


def weight_field_name(profile: WeightProfile, key: str) -> str:
    return f"weight_{profile.pk}_{key}"


def threshold_field_name(threshold: str, profile: WeightProfile, key: str) -> str:
    return f"{threshold}_{profile.pk}_{key}"


# What each of the engine's PROMETHEE II preference functions means, in words.
PREFERENCE_WORDS = {
    "usual": _("Usual: any advantage counts in full"),
    "ushape": _("U-shape: an advantage counts in full beyond q"),
    "vshape": _("V-shape: an advantage counts more and more up to p"),
    "level": _("Level: half between q and p, in full beyond p"),
    "linear": _("Linear: more and more from q to p, in full beyond p"),
}
PREFERENCE_CHOICES = [(name, PREFERENCE_WORDS[name]) for name in engine.PREFERENCES]


class ToolChoiceField(forms.ModelMultipleChoiceField):
    """Tools by id; a value no database row could have is refused by the form, before
    any query (SQLite cannot even compare an integer beyond 64 bits)."""

    def _check_values(self, value):
        for pk in value:
            if not (str(pk).isdigit() and 0 < int(pk) <= MAX_ID):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:40]},
                )
        return super()._check_values(value)


class EvaluationForm(forms.ModelForm):
    """The evaluation builder: tools, profile, method and a weight slider per criterion."""

    tools = ToolChoiceField(
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
        label=_("Compromise (VIKOR v)"),
        required=False,
        min_value=0,
        max_value=1,
        initial=0.5,
        help_text=_(
            "From 0 to 1: higher favors the tool that is best overall, lower "
            "the one whose weakest criterion is least bad."
        ),
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    preference = forms.ChoiceField(
        label=_("Preference function (PROMETHEE II)"),
        choices=PREFERENCE_CHOICES,
        required=False,
        initial="usual",
        help_text=_(
            "How much an advantage on a criterion counts. q: the largest "
            "difference that does not matter; p: the smallest that counts in full; "
            "both per criterion, in its own units, next to its weight."
        ),
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
        self.fields["profile"].label_from_instance = attrgetter("shown_name")
        self.fields["method"].choices = Method.choices
        self.fields["normalization"].choices = Normalization.choices
        self.profiles = list(profiles)
        overrides = self.instance.weight_overrides if self.instance.pk else {}
        for profile in self.profiles:
            for weight in profile.weights.all():
                key = weight.criterion.key
                own = self.instance.pk and self.instance.profile_id == profile.pk
                self.fields[weight_field_name(profile, key)] = forms.FloatField(
                    label=weight.criterion.shown_name,
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
                            label=gettext("%(threshold)s for %(criterion)s")
                            % {
                                "threshold": threshold,
                                "criterion": weight.criterion.shown_name,
                            },
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
