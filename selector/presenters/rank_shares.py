"""Rank acceptabilities as people read them: every rank (or the first few and "lower")
in whole percentages that add up to exactly 100 in each tool's row.

Shared by the result page's chart and the Monte Carlo batch's table, so both show the
same numbers.
"""

import math

from django.utils.translation import gettext

# With more tools than this, ranks beyond the first RANK_COLUMNS are summed into one
# "lower" column; with this many or fewer, every rank has its own column.
RANK_COLUMNS = 5


def _shown(tools: int) -> int:
    """How many ranks get a column of their own (a "lower" of one rank would not do)."""
    return tools if tools <= RANK_COLUMNS + 1 else RANK_COLUMNS


def rank_labels(tools: int) -> list[str]:
    """Column labels for ``tools`` ranks: "Rank 1" ... and "Lower" when they are many."""
    shown = _shown(tools)
    labels = [gettext("Rank %(rank)s") % {"rank": r + 1} for r in range(shown)]
    return labels + ([gettext("Lower")] if shown < tools else [])


def has_lower(tools: int) -> bool:
    """Whether ``tools`` ranks end with a "lower" column (sixth or below)."""
    return _shown(tools) < tools


def grouped_shares(shares: list[float]) -> list[float]:
    """One tool's shares per rank, the ranks beyond the shown ones summed as "lower"."""
    shown = _shown(len(shares))
    lower = shares[shown:]
    return list(shares[:shown]) + ([math.fsum(lower)] if lower else [])


def whole_percents(shares: list[float]) -> list[int]:
    """Shares (summing to 1) as whole percentages summing to exactly 100: each rounded
    down, then the points left over go to the largest remainders (largest remainder
    method), ties to the earlier rank. All zeros stay zeros."""
    total = math.fsum(shares)
    if total <= 0:
        return [0] * len(shares)
    exact = [100 * share / total for share in shares]
    whole = [math.floor(value) for value in exact]
    left = 100 - sum(whole)
    by_remainder = sorted(range(len(exact)), key=lambda i: (whole[i] - exact[i], i))
    for i in by_remainder[:left]:
        whole[i] += 1
    return whole


def percent_rows(acceptability: list[list[float]]) -> list[list[int]]:
    """Each tool's row of rank shares, grouped and in whole percentages."""
    return [whole_percents(grouped_shares(row)) for row in acceptability]
