"""The AHP page's form: pairwise judgements on Saaty's scale, and where to save them."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from selector.models import Criterion
from selector.services.catalogue.texts import localized

# Saaty's fundamental scale, as "how many times more important is A than B".
SAATY_CHOICES = [
    ("9", "9"),
    ("8", "8"),
    ("7", "7"),
    ("6", "6"),
    ("5", "5"),
    ("4", "4"),
    ("3", "3"),
    ("2", "2"),
    ("1", "1"),
    ("1/2", "1/2"),
    ("1/3", "1/3"),
    ("1/4", "1/4"),
    ("1/5", "1/5"),
    ("1/6", "1/6"),
    ("1/7", "1/7"),
    ("1/8", "1/8"),
    ("1/9", "1/9"),
]
# Each choice as one sentence, so a translator can put the names where French wants
# them: "a" is the first criterion of the pair, "b" the second.
SAATY_SENTENCES = {
    2: _("%(value)s — %(a)s equally to moderately"),
    3: _("%(value)s — %(a)s moderately more important"),
    4: _("%(value)s — %(a)s moderately to strongly"),
    5: _("%(value)s — %(a)s strongly more important"),
    6: _("%(value)s — %(a)s strongly to very strongly"),
    7: _("%(value)s — %(a)s very strongly more important"),
    8: _("%(value)s — %(a)s very to extremely"),
    9: _("%(value)s — %(a)s extremely more important"),
}
SAATY_SENTENCES_REVERSED = {
    2: _("%(value)s — %(b)s equally to moderately (%(n)s)"),
    3: _("%(value)s — %(b)s moderately more important (%(n)s)"),
    4: _("%(value)s — %(b)s moderately to strongly (%(n)s)"),
    5: _("%(value)s — %(b)s strongly more important (%(n)s)"),
    6: _("%(value)s — %(b)s strongly to very strongly (%(n)s)"),
    7: _("%(value)s — %(b)s very strongly more important (%(n)s)"),
    8: _("%(value)s — %(b)s very to extremely (%(n)s)"),
    9: _("%(value)s — %(b)s extremely more important (%(n)s)"),
}


def _pair_choices(a: Criterion, b: Criterion) -> list[tuple[str, str]]:
    names = {"a": localized(a, "name"), "b": localized(b, "name")}
    choices = []
    for value, _label in SAATY_CHOICES:
        if value == "1":
            label = gettext("1 — %(a)s and %(b)s equally important") % names
        elif "/" in value:
            n = int(value.split("/")[1])
            label = SAATY_SENTENCES_REVERSED[n] % {**names, "value": value, "n": n}
        else:
            label = SAATY_SENTENCES[int(value)] % {**names, "value": value}
        choices.append((value, label))
    return choices


def pair_field_name(a: str, b: str) -> str:
    return f"pair__{a}__{b}"


class AhpForm(forms.Form):
    """Pairwise judgements for the chosen criteria, plus where to save the weights."""

    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    slug = forms.CharField(label=_("Slug"), max_length=80, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    confirm_inconsistent = forms.BooleanField(
        required=False,
        label=_("Save even though the consistency ratio is above 0.10"),
    )

    def __init__(self, *args, criteria: list[Criterion], target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.target = target
        self.pairs = []
        for i, a in enumerate(criteria):
            for b in criteria[i + 1 :]:
                name = pair_field_name(a.key, b.key)
                choices = _pair_choices(a, b)
                # Revising a profile derived with AHP starts from its judgements.
                stored = target.ahp_judgement(a.key, b.key) if target else None
                self.fields[name] = forms.ChoiceField(
                    choices=choices,
                    initial=stored if stored in dict(choices) else "1",
                    label=gettext("%(a)s vs %(b)s")
                    % {"a": localized(a, "name"), "b": localized(b, "name")},
                )
                self.pairs.append((a, b, name))
        if target is None:
            self.fields["name"].required = True
            self.fields["slug"].required = True

    def pair_fields(self):
        return [(a, b, self[name]) for a, b, name in self.pairs]

    def judgements(self) -> dict[tuple[str, str], str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {(a.key, b.key): data.get(name, "1") for a, b, name in self.pairs}
