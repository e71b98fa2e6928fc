"""The verdict at the top of a result, and what it would take another tool to win.

Both are read from a run's stored robustness output (rank acceptability, stability
intervals with who takes over at their ends, what it would take), never stored as
text, so a translation or a change of wording applies to every run. Sentences are
whole, with named placeholders, for the translators.

The rule for a robust winner: the tool ranked first (alone) is first in at least
half of the weight draws, and no criterion's current weight lies within
FRAGILE_MARGIN of a weight at which another tool takes first place (an end of the
stability interval inside 0-100%; an end at 0% or 100%, where nothing changes, does
not count). A tie for first has no robust winner.
"""

import math
from dataclasses import dataclass

from django.utils.translation import gettext

from selector.formats import entered, percent
from selector.presenters.rank_shares import percent_rows
from selector.presenters.snapshot import shown_criteria

# A winner first in fewer than this share of the draws is fragile.
FRAGILE_SHARE = 0.5
# ... and so is one whose weights lie at most this far (a share, 5 percentage
# points) from a weight at which another tool would take first place.
FRAGILE_MARGIN = 0.05
EDGE = 1e-9  # an interval end this close to 0 or 1 is that end
# rows "What it would take" shows
WHAT_IT_TAKES_ROWS = 5


@dataclass(frozen=True)
class Change:
    """A weight at which another tool would take first place."""

    criterion: str  # its name
    weight: float  # the criterion's current weight share
    limit: float  # the share beyond which `rival` is first
    rival: str

    @property
    def distance(self) -> float:
        return abs(self.limit - self.weight)


def nearest_change(stability: list[dict], criteria: list[dict], runner_up: str):
    """The weight change closest to the current weights that makes another tool
    first, or None when no single weight can. Runs stored before the rival was
    kept name the runner-up."""
    name_of = {c["key"]: c["name"] for c in criteria}
    changes = []
    for row in stability:
        rivals = row.get("takes_over") or [None, None]
        for end, rival in zip(row["top"], rivals, strict=False):
            if EDGE < end < 1 - EDGE:
                changes.append(
                    Change(
                        name_of.get(row["criterion"], row["criterion"]),
                        row["weight"],
                        end,
                        rival or runner_up,
                    )
                )
    return min(changes, key=lambda change: change.distance, default=None)


def run_verdict(inputs: dict, robustness: dict | None, results) -> dict | None:
    """{"sentence", "robust_winner"} for a done run, or None without robustness.

    ``results`` are the run's rows ordered by rank (``tool_name``, ``rank``)."""
    robustness = robustness or {}
    acceptability = robustness.get("acceptability")
    if not acceptability or not results:
        return None
    first = [r.tool_name for r in results if r.rank == 1]
    if len(first) > 1:
        return {"sentence": _tie_sentence(first), "robust_winner": False}
    winner = first[0]
    runner_up = next((r.tool_name for r in results if r.rank > 1), "")
    index = {tool["name"]: i for i, tool in enumerate(inputs["tools"])}
    share = acceptability[index[winner]][0]
    shown = percent_rows(acceptability)[index[winner]][0]
    change = nearest_change(
        robustness.get("stability") or [], shown_criteria(inputs), runner_up
    )
    draws_fragile = share < FRAGILE_SHARE
    weight_fragile = change is not None and change.distance <= FRAGILE_MARGIN + EDGE
    values = {"winner": winner, "share": percent(shown / 100), "runner_up": runner_up}
    if change is not None:
        values.update(
            rival=change.rival,
            criterion=change.criterion,
            limit=percent(change.limit),
            weight=percent(change.weight),
        )
    sentence = _sentence(draws_fragile, weight_fragile, change) % values
    if weight_fragile and change.rival != runner_up:
        # The tool a weight change puts first is not the one ranked second now.
        sentence += " " + gettext("The runner-up is %(runner_up)s.") % values
    return {
        "sentence": sentence,
        "robust_winner": not (draws_fragile or weight_fragile),
    }


def _tie_sentence(first: list[str]) -> str:
    if len(first) == 2:
        return gettext(
            "%(first)s and %(second)s tie for first place: neither is a robust "
            "choice over the other."
        ) % {"first": first[0], "second": first[1]}
    return gettext(
        "%(tools)s and %(last)s tie for first place: none is a robust choice over "
        "the others."
    ) % {"tools": ", ".join(first[:-1]), "last": first[-1]}


def _sentence(draws_fragile: bool, weight_fragile: bool, change) -> str:
    """The verdict's sentence with its placeholders, by case."""
    more = change is not None and change.limit > change.weight
    if draws_fragile and weight_fragile:
        if more:
            return gettext(
                "%(winner)s ranks first, but the lead is fragile: it is first in "
                "only %(share)s of weight draws, and %(rival)s would win if "
                "%(criterion)s weighed more than %(limit)s (now %(weight)s)."
            )
        return gettext(
            "%(winner)s ranks first, but the lead is fragile: it is first in only "
            "%(share)s of weight draws, and %(rival)s would win if %(criterion)s "
            "weighed less than %(limit)s (now %(weight)s)."
        )
    if draws_fragile:
        return gettext(
            "%(winner)s ranks first, but the lead is fragile: it is first in only "
            "%(share)s of weight draws; the runner-up is %(runner_up)s."
        )
    if weight_fragile:
        if more:
            return gettext(
                "%(winner)s ranks first, but the lead is fragile: %(rival)s would "
                "win if %(criterion)s weighed more than %(limit)s (now %(weight)s)."
            )
        return gettext(
            "%(winner)s ranks first, but the lead is fragile: %(rival)s would win "
            "if %(criterion)s weighed less than %(limit)s (now %(weight)s)."
        )
    if change is None:
        return gettext(
            "%(winner)s is the robust choice: first in %(share)s of weight draws, "
            "and no single weight, however far it moves, puts another tool first."
        )
    if more:
        return gettext(
            "%(winner)s is the robust choice: first in %(share)s of weight draws; "
            "%(rival)s would win only if %(criterion)s weighed more than %(limit)s."
        )
    return gettext(
        "%(winner)s is the robust choice: first in %(share)s of weight draws; "
        "%(rival)s would win only if %(criterion)s weighed less than %(limit)s."
    )


# What it would take --------------------------------------------------------------


def what_it_takes_rows(inputs: dict, robustness: dict | None, results) -> list[dict]:
    """Per tool, the smallest change of one of its own scores that changes who is
    first, smallest relative change first (at most WHAT_IT_TAKES_ROWS rows).

    Each row: {"tool", "criterion", "from", "to", "tie", "change" (share of the
    criterion's range), "sentence"}. [] for runs stored without it."""
    stored = (robustness or {}).get("what_it_takes")
    if not stored:
        return []
    ranges = stored.get("ranges") or {}
    criteria = {c["key"]: c for c in shown_criteria(inputs)}
    first = {r.tool_name for r in results if r.rank == 1}
    rows = []
    for tool, entries in zip(inputs["tools"], stored.get("tools") or [], strict=False):
        candidates = [
            _row(
                tool["name"],
                criteria[key],
                entry,
                ranges.get(key),
                tool["name"] in first,
            )
            for key, entry in entries.items()
            if entry is not None and key in criteria
        ]
        if candidates:
            rows.append(min(candidates, key=lambda row: row["change"]))
    rows.sort(key=lambda row: (row["change"], row["tool"]))
    return rows[:WHAT_IT_TAKES_ROWS]


def _row(tool: str, criterion: dict, entry: dict, span, winner: bool) -> dict:
    low, high = span or (
        min(entry["from"], entry["to"]),
        max(entry["from"], entry["to"]),
    )
    width = high - low
    change = abs(entry["to"] - entry["from"]) / width if width > 0 else 0.0
    values = {
        "tool": tool,
        "criterion": criterion["name"],
        "value": shown_value(entry["to"], entry["to"] - entry["from"], width),
        "current": entered(entry["from"]),
        "rival": entry.get("rival") or "",
    }
    return {
        "tool": tool,
        "criterion": criterion["name"],
        "from": entry["from"],
        "to": entry["to"],
        "tie": entry["tie"],
        "winner": winner,
        "change": change,
        "sentence": _change_sentence(winner, entry["tie"]) % values,
    }


def _change_sentence(winner: bool, tie: bool) -> str:
    if winner and tie:
        return gettext(
            "%(tool)s would share first place with %(rival)s with %(criterion)s "
            "%(value)s instead of %(current)s."
        )
    if winner:
        return gettext(
            "%(tool)s would lose first place to %(rival)s with %(criterion)s "
            "%(value)s instead of %(current)s."
        )
    if tie:
        return gettext(
            "%(tool)s would tie for first with %(criterion)s %(value)s instead of "
            "%(current)s."
        )
    return gettext(
        "%(tool)s would rank first with %(criterion)s %(value)s instead of %(current)s."
    )


def shown_value(value: float, moved: float, width: float) -> str:
    """A found value to the precision its range warrants (two significant digits
    of the range: 4.6 on a 1-5 scale, 148 on 0-240), rounded in the direction it
    moved so that the number shown still does it; "4", not "4.0". The search's own
    overshoot (a millionth of the range) is not rounded up to a whole step."""
    decimals = 0 if width <= 0 else max(0, 1 - math.floor(math.log10(width)))
    factor = 10**decimals
    if moved > 0:
        value = math.ceil(value * factor - 1e-3) / factor
    elif moved < 0:
        value = math.floor(value * factor + 1e-3) / factor
    else:
        value = round(value, decimals)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return entered(0.0 if text == "-0" else float(text))
