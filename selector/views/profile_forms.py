"""The AHP page's form: pairwise judgements on Saaty's scale, and where to save them."""

from django import forms

from selector.models import Criterion

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
SAATY_WORDS = {
    1: "equally important",
    2: "equally to moderately",
    3: "moderately more important",
    4: "moderately to strongly",
    5: "strongly more important",
    6: "strongly to very strongly",
    7: "very strongly more important",
    8: "very to extremely",
    9: "extremely more important",
}


def _pair_choices(a: Criterion, b: Criterion) -> list[tuple[str, str]]:
    choices = []
    for value, _ in SAATY_CHOICES:
        if value == "1":
            choices.append((value, f"1 — {a.name} and {b.name} equally important"))
        elif "/" in value:
            n = int(value.split("/")[1])
            choices.append((value, f"{value} — {b.name} {SAATY_WORDS[n]} ({n})"))
        else:
            choices.append((value, f"{value} — {a.name} {SAATY_WORDS[int(value)]}"))
    return choices


def pair_field_name(a: str, b: str) -> str:
    return f"pair__{a}__{b}"


class AhpForm(forms.Form):
    """Pairwise judgements for the chosen criteria, plus where to save the weights."""

    name = forms.CharField(max_length=150, required=False)
    slug = forms.CharField(max_length=80, required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    confirm_inconsistent = forms.BooleanField(
        required=False,
        label="Save even though the consistency ratio is above 0.10",
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
                    label=f"{a.name} vs {b.name}",
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
