"""The admin's forms: they show the catalogue services' rules next to the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from selector.models import Criterion, WeightProfile
from selector.services.catalogue.rules import (
    criterion_problems,
    key_problem,
    validate_weights,
)
from selector.services.catalogue.texts import localized
from survey.models import Survey


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        # The same rules as the service, shown next to the fields.
        for name, message in criterion_problems(self.instance).items():
            self.add_error(name if name in self.fields else None, message)


class WeightInlineFormSet(BaseInlineFormSet):
    """Checks the whole set of weights with the service's rules before saving."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = weights_from_formset(self)[0]
        try:
            validate_weights(weights)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


def weights_from_formset(formset) -> tuple[dict, dict]:
    """(value by criterion key, benchmark by criterion key) of the rows that remain."""
    weights, benchmarks = {}, {}
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("criterion"):
            continue
        key = data["criterion"].key
        weights[key] = data.get("value")
        benchmarks[key] = data.get("benchmark")
    return weights, benchmarks


class WeightProfileForm(forms.ModelForm):
    class Meta:
        model = WeightProfile
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        problem = key_problem(
            self.instance.slug,
            model=WeightProfile,
            field_name="slug",
            exclude_pk=self.instance.pk,
        )
        if problem and "slug" not in self.errors:
            self.add_error("slug", problem)


class SurveyChoiceField(forms.ModelChoiceField):
    """Surveys by their title in the reader's language."""

    def label_from_instance(self, obj: Survey) -> str:
        return f"{localized(obj, 'title')} ({obj.publisher}, {obj.year})"


class DeriveFromSurveyForm(forms.Form):
    survey = SurveyChoiceField(label=_("Survey"), queryset=Survey.objects.all())
    category = forms.CharField(
        label=_("Category"),
        help_text=_("A category of shares, e.g. app_selection_criteria."),
    )
    slug = forms.CharField(label=_("Slug"), max_length=80)
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False
    )
