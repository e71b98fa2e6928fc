"""What it would take, as a run stores it: searched over each criterion's scale."""

import pytest

from selector.services import computation, snapshots
from tests.factories import EvaluationFactory

pytestmark = pytest.mark.django_db

# three_tools under the app-selection weights 30/26/1 (min-max WSM, /57):
# A = (30 * .5 + 26 / 3 + .75) / 57, B = (0 + 26 + 1) / 57, C = 30 / 57: C first.


def stored(three_tools) -> dict:
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    _, robustness = computation.compute(snapshots.snapshot_inputs(evaluation))
    return robustness


def test_ratings_are_searched_over_their_scale_and_price_up_to_twice_its_top(
    three_tools,
):
    ranges = stored(three_tools)["what_it_takes"]["ranges"]
    assert ranges == {
        "roi": [1.0, 5.0],
        "industry_customization": [1.0, 5.0],
        "price": [0.0, 120.0],
    }


def test_b_needs_roi_above_4_1_as_the_min_max_scale_moves_by_hand(three_tools):
    # B's ROI t in [4, 5] makes the column's scale [4, t..5]: B gets 30 (t - 4) + 27
    # against C's 30 (A's ROI falls to 0), so B passes C from t = 4.1. Below 4, B is
    # the column's bottom and gains nothing.
    tools = stored(three_tools)["what_it_takes"]["tools"]
    b = tools[1]["roi"]
    assert b["from"] == 3.0
    assert b["to"] == pytest.approx(4.1, abs=1e-5)


def test_the_winner_loses_first_place_to_a_when_its_roi_falls_by_hand(three_tools):
    # C's ROI t in [4, 5]: the scale is [3, t], C stays at 1 (30), A gets
    # 30 / (t - 3) + 26 / 3 + .75, ahead once t < 3 + 30 / 20.58333 = 4.45749.
    tools = stored(three_tools)["what_it_takes"]["tools"]
    c = tools[2]["roi"]
    assert c["to"] == pytest.approx(3 + 30 / (30 - 26 / 3 - 0.75), abs=1e-5)
    assert c["rival"] == "A"
    assert c["tie"] is False


def test_stability_rows_name_who_takes_first_place_beyond_each_end(three_tools):
    rows = {row["criterion"]: row for row in stored(three_tools)["stability"]}
    # C leads on ROI: giving ROI less weight lets B (customisation) take over.
    assert rows["roi"]["takes_over"][0] == "B"
    for row in rows.values():
        for end, name in zip(row["top"], row["takes_over"], strict=True):
            assert (name is None) == (end <= 0 or end >= 1)


def test_a_chunk_of_a_monte_carlo_study_leaves_it_out(three_tools):
    evaluation = EvaluationFactory(
        workspace=three_tools[0].workspace, tools=three_tools
    )
    inputs = {**snapshots.snapshot_inputs(evaluation), "smaa_seed": [7, 0]}
    assert "what_it_takes" not in computation.robustness(inputs)


def test_search_ranges_follow_each_criterions_scale():
    inputs = {
        "matrix": [[4.0, 30.0, 12.0, 3.0], [2.0, 50.0, 20.0, 7.0]],
        "criteria": [
            {"key": "roi", "kind": "rating", "scale_min": 1, "scale_max": 5},
            {"key": "price", "kind": "quantity", "scale_min": 0, "scale_max": None},
            {"key": "latency", "kind": "quantity", "scale_min": 10, "scale_max": 90},
            {"key": "old"},  # a snapshot taken before the scale was kept
        ],
    }
    lower, upper = computation.search_ranges(inputs)
    assert lower.tolist() == [1.0, 0.0, 10.0, 0.0]
    assert upper.tolist() == [5.0, 100.0, 90.0, 14.0]
