"""Forms of the tool pages: they parse and display; the rules live in
``services.tools`` (errors mapped back with ``apply_service_errors``)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from selector.models import TOOL_FIELDS, Criterion, Tool
from selector.numbers import entered_number


def score_field_name(key: str) -> str:
    return f"score_{key}"


def score_field(criterion: Criterion) -> forms.FloatField:
    attrs = {"step": "any", "placeholder": criterion.scale_label}
    if criterion.scale_min is not None:
        attrs["min"] = criterion.scale_min
    if criterion.scale_max is not None:
        attrs["max"] = criterion.scale_max
    return forms.FloatField(
        label=criterion.shown_name,
        required=False,
        help_text=gettext("%(scale)s · %(direction)s")
        % {
            "scale": criterion.scale_label,
            "direction": str(criterion.get_direction_display()).lower(),
        },
        widget=forms.NumberInput(attrs=attrs),
    )


def _kept_parts(score) -> str:
    """What saving the form keeps of a score beyond its value (the form shows only the
    value; services.tools keeps the bounds and evidence of a bare value)."""
    parts = []
    if score.low is not None or score.high is not None:
        low = "…" if score.low is None else entered_number(score.low)
        high = "…" if score.high is None else entered_number(score.high)
        parts.append(
            gettext("range %(low)s to %(high)s kept") % {"low": low, "high": high}
        )
    if score.evidence:
        parts.append(gettext("evidence kept"))
    return "".join(f" · {part}" for part in parts)


class ToolForm(forms.ModelForm):
    """A tool's facts plus one optional score field per criterion; the tool's price is
    its ``price`` score's field."""

    class Meta:
        model = Tool
        fields = list(TOOL_FIELDS)
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        existing = {}
        if self.instance.pk:
            existing = {s.criterion_id: s for s in self.instance.scores.all()}
        for criterion in self.criteria:
            field = score_field(criterion)
            score = existing.get(criterion.pk)
            if score is not None:
                field.initial = entered_number(score.value)
                field.help_text += _kept_parts(score)
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
    q = forms.CharField(label=_("Search"), required=False)
    category = forms.ChoiceField(
        choices=[("", _("All categories")), *Tool.Category.choices], required=False
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, one tool per row; see the export for columns."),
    )


# The score grid ------------------------------------------------------------------------


def _as_number(text: str | None) -> float | None | str:
    """``text`` as a float, None when empty, or itself when it is not a number."""
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


@dataclass
class GridCell:
    """One tool x criterion cell: what is stored, what the page showed, what came back."""

    tool: Tool
    criterion: Criterion
    stored: float | None
    value: str = ""  # what the input holds
    shown: str | None = None  # what the page showed (None: posted by no page)
    clear: bool = False
    posted: bool = False
    error: str = ""

    @property
    def suffix(self) -> str:
        return f"{self.tool.pk}-{self.criterion.key}"

    @property
    def widget(self) -> dict:
        return score_field(self.criterion).widget.attrs

    @property
    def offers_clear(self) -> bool:
        return self.stored is not None or bool(self.shown) or self.clear

    def read(self, data) -> None:
        """Take this cell's fields from ``data``, if a page or client posted any."""
        name, clear = f"cell-{self.suffix}", f"clear-{self.suffix}"
        self.posted = name in data or clear in data
        self.value = self.shown = entered_number(self.stored)
        if self.posted:
            self.value = data.get(name, "").strip()
            self.shown = data.get(f"shown-{self.suffix}")
            self.clear = clear in data
            if not self.clear and self.unchanged:
                # Left alone: show what is stored now, however old the page was.
                self.value = self.shown = entered_number(self.stored)

    @property
    def unchanged(self) -> bool:
        if self.shown is None:
            return self.value == ""
        return self.value == self.shown.strip() or _as_number(self.value) == _as_number(
            self.shown
        )

    def change(self) -> tuple[str | None, float | None] | None:
        """(new value or None to clear, the value the page showed), or None when the
        cell is to be left alone; sets ``error`` when the user's wish is unclear."""
        if not self.posted or (self.unchanged and not self.clear):
            return None
        shown = _as_number(self.shown)
        if isinstance(shown, str):
            self.error = gettext(
                "This page's copy of the cell is unreadable: reload the page."
            )
        elif self.clear and self.value and not self.unchanged:
            self.error = gettext("Enter either a new score or Clear, not both.")
        elif not self.clear and not self.value:
            self.error = gettext(
                "To remove this score, tick Clear; erasing it saves nothing."
            )
        return None if self.error else (None if self.clear else self.value, shown)


class ScoreGridForm:
    """The score grid: tools x criteria, read into only the cells the user changed.

    Each cell posts its input ``cell-<tool id>-<key>``, the value the page showed
    (hidden ``shown-...``) and, once scored, a ``clear-...`` checkbox. An input still
    holding what the page showed is left alone, so a page loaded before someone else's
    change never undoes it; an erased input is an error (clearing is the checkbox);
    a cell posted without ``shown-`` (one cell from a script) is written when not empty.
    """

    def __init__(self, data=None, *, tools, criteria):
        self.criteria = list(criteria)
        self.rows = []
        for tool in tools:
            stored = {s.criterion_id: s.value for s in tool.scores.all()}
            cells = [GridCell(tool, c, stored.get(c.pk)) for c in self.criteria]
            for cell in cells:
                cell.read(data or {})
            self.rows.append({"tool": tool, "cells": cells})
        self.changes: dict[Tool, dict[str, str | None]] = {}
        self.expected: dict[tuple[int, str], float | None] = {}

    def cells(self):
        return (cell for row in self.rows for cell in row["cells"])

    def is_valid(self) -> bool:
        """Collect ``changes`` and ``expected`` for ``save_score_grid``."""
        for cell in self.cells():
            change = cell.change()
            if change is None:
                continue
            value, shown = change
            self.changes.setdefault(cell.tool, {})[cell.criterion.key] = value
            if cell.shown is not None:
                self.expected[(cell.tool.pk, cell.criterion.key)] = shown
        return not any(cell.error for cell in self.cells())

    def apply_service_errors(self, error: ValidationError) -> None:
        """Mark the cells ``save_score_grid`` refused; a cell someone else changed now
        shows that value as its base, so saving again replaces it deliberately."""
        by_suffix = {cell.suffix: cell for cell in self.cells()}
        for key, problems in error.error_dict.items():
            cell = by_suffix.get(key.replace(":", "-", 1))
            if cell is None:
                continue
            cell.error = " ".join(message for p in problems for message in p.messages)
            if any(p.code == "stale" for p in problems):
                cell.shown = entered_number(cell.stored)
