"""An evaluation's tools side by side: tools as columns, their facts and entered scores
as rows, the best value of each score row marked (highest for a benefit criterion,
lowest for a cost one; every tied value is marked; a missing score is never best)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from selector.models import PRICE, Criterion, Score, Tool
from selector.shipped_texts import shipped

# The facts rows, in order: (key, label). ``price`` is the price score, shown with its
# range; ``url`` is a link; the choices are shown by their labels; a text the demo
# ships ("Several" providers) in the reader's language.
FACTS = (
    ("vendor", _("Vendor")),
    ("category", _("Category")),
    ("model_provider", _("Model provider")),
    ("openness", _("Open or closed")),
    ("deployment", _("Deployment")),
    (PRICE, _("Price (USD/seat/month)")),
    ("url", _("URL")),
)
CHOICES = {"category", "openness", "deployment"}


@dataclass(frozen=True)
class FactRow:
    key: str
    label: str
    cells: list  # per tool: its text, its price Score, or "" when not given


@dataclass(frozen=True)
class ScoreCell:
    score: Score | None  # None: missing
    best: bool = False


@dataclass(frozen=True)
class ScoreRow:
    criterion: Criterion
    cells: list[ScoreCell]


def best_columns(values: Sequence[float | None], direction: str) -> set[int]:
    """The positions of the best of ``values`` (None: missing, never best): the
    highest for a benefit criterion, the lowest for a cost one, every tie included."""
    present = [value for value in values if value is not None]
    if not present:
        return set()
    best = min(present) if direction == Criterion.Direction.COST else max(present)
    return {column for column, value in enumerate(values) if value == best}


def _fact(tool: Tool, key: str, scores: dict[str, Score]):
    if key == PRICE:
        return scores.get(PRICE) or ""
    if key in CHOICES:
        return getattr(tool, f"get_{key}_display")()
    return shipped(getattr(tool, key))


def comparison_table(tools: Sequence[Tool], criteria: Sequence[Criterion]) -> dict:
    """The side-by-side table of ``tools`` (their scores prefetched) on ``criteria``
    (``selectors.compared_tools``): ``tools``, ``facts`` and ``scores`` rows."""
    by_tool = [{s.criterion.key: s for s in tool.scores.all()} for tool in tools]
    facts = [
        FactRow(
            key, label, [_fact(t, key, s) for t, s in zip(tools, by_tool, strict=True)]
        )
        for key, label in FACTS
    ]
    scores = []
    for criterion in criteria:
        row = [scores_of.get(criterion.key) for scores_of in by_tool]
        best = best_columns(
            [None if s is None else s.value for s in row], criterion.direction
        )
        cells = [ScoreCell(s, column in best) for column, s in enumerate(row)]
        scores.append(ScoreRow(criterion, cells))
    return {"tools": list(tools), "facts": facts, "scores": scores}
