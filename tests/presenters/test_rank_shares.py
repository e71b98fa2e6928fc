"""Rank acceptability rows shown in whole percentages that add up to 100 (issue 13
item 7), checked on small cases worked out by hand."""

from selector.models import Run, RunResult
from selector.presenters import explain_run
from selector.presenters.rank_shares import (
    grouped_shares,
    percent_rows,
    rank_labels,
    whole_percents,
)


def test_thirds_round_to_34_33_33_not_33_33_33():
    # 33.33.. each: floors give 99, the one point left goes to the first (a tie).
    assert whole_percents([1 / 3, 1 / 3, 1 / 3]) == [34, 33, 33]


def test_the_point_left_goes_to_the_largest_remainder():
    # 12.6, 37.7, 49.7 -> floors 12, 37, 49 (98); remainders .6, .7, .7 -> 12, 38, 50.
    assert whole_percents([0.126, 0.377, 0.497]) == [12, 38, 50]


def test_a_row_of_zeros_stays_zeros():
    assert whole_percents([0.0, 0.0]) == [0, 0]


def test_six_tools_get_six_rank_columns():
    assert rank_labels(6) == [f"Rank {r}" for r in range(1, 7)]


def test_eight_tools_get_five_ranks_and_lower():
    assert rank_labels(8) == [f"Rank {r}" for r in range(1, 6)] + ["Lower"]
    row = [0.5, 0.2, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03]
    # Ranks 6 to 8 sum to 0.04 + 0.03 + 0.03 = 0.10.
    assert grouped_shares(row) == [0.5, 0.2, 0.1, 0.05, 0.05, 0.1]
    assert percent_rows([row]) == [[50, 20, 10, 5, 5, 10]]


def test_every_row_sums_to_exactly_100():
    rows = [
        [0.123, 0.456, 0.421, 0.0],
        [0.2222, 0.2222, 0.2222, 0.3334],
        [0.001, 0.001, 0.998, 0.0],
    ]
    assert [sum(row) for row in percent_rows(rows)] == [100, 100, 100]


def test_first_in_matches_the_charts_rank_1_share():
    # A's row 25.4, 25.4, 25.4, 23.8: floors 25, 25, 25, 23 leave 2 points, which go
    # to the remainders .8 and the first .4: 26, 25, 25, 24, so A is first in 26%
    # (plain rounding says 25). The other rows are rotations of it.
    rows = [
        [0.254, 0.254, 0.254, 0.238],  # A: 26, 25, 25, 24
        [0.238, 0.254, 0.254, 0.254],  # B: 24, 26, 25, 25
        [0.254, 0.238, 0.254, 0.254],  # C: 26, 24, 25, 25
        [0.254, 0.254, 0.238, 0.254],  # D: 26, 25, 24, 25
    ]
    names = "ABCD"
    run = Run(
        inputs={
            "tools": [{"id": i, "name": n} for i, n in enumerate(names)],
            "criteria": [{"key": "roi", "name": "ROI", "direction": "benefit"}],
            "weights": [1.0],
            "matrix": [[1.0]] * 4,
            "method": "wsm",
        },
        robustness={"acceptability": rows},
    )
    results = [
        RunResult(tool_name=n, rank=r + 1, score=1.0, contributions={})
        for r, n in enumerate(names)
    ]
    explained = explain_run(run, results)
    assert [row["first"] for row in explained["ranking"]] == [26, 24, 26, 26]
    chart = explained["acceptability_chart"]["datasets"]
    assert [d["data"][0] for d in chart] == [26, 25, 25, 24]
    assert chart[0]["data"] == [26, 24, 26, 26]
