"""The report's rank-acceptability chart geometry: one bar per tool in rank order,
each segment as wide as its whole percentage of the bar, side by side from the left."""

import pytest

from selector.presenters.report_chart import (
    BAR_WIDTH,
    COLORS,
    LABEL_WIDTH,
    LEGEND_HEIGHT,
    MIN_LABELLED_WIDTH,
    ROW_HEIGHT,
    acceptability_svg,
)

CHART = {
    "labels": ["C", "B", "A"],
    "datasets": [
        {"label": "Rank 1", "data": [90, 10, 0]},
        {"label": "Rank 2", "data": [10, 87, 3]},
        {"label": "Rank 3", "data": [0, 3, 97]},
    ],
}


def test_no_chart_draws_nothing():
    assert acceptability_svg(None) is None


def test_each_segment_is_its_share_of_the_bar_and_they_follow_one_another():
    svg = acceptability_svg(CHART)
    c, b, a = svg["rows"]
    assert [row["tool"] for row in svg["rows"]] == ["C", "B", "A"]
    # C: 90% then 10% (its 0% for rank 3 draws nothing)
    assert [s["width"] for s in c["segments"]] == [
        pytest.approx(0.9 * BAR_WIDTH),
        pytest.approx(0.1 * BAR_WIDTH),
    ]
    assert [s["x"] for s in c["segments"]] == [
        LABEL_WIDTH,
        pytest.approx(LABEL_WIDTH + 0.9 * BAR_WIDTH),
    ]
    # B: 10%, 87%, 3%, ending where the bar ends
    ends = [s["x"] + s["width"] for s in b["segments"]]
    assert ends[-1] == pytest.approx(LABEL_WIDTH + BAR_WIDTH)
    assert [s["fill"] for s in b["segments"]] == list(COLORS[:3])
    # A's 0% for rank 1 is left out, so its first segment is rank 2's color
    assert a["segments"][0]["fill"] == COLORS[1]
    assert a["segments"][0]["x"] == LABEL_WIDTH


def test_rows_stack_under_the_legend_and_narrow_segments_have_no_label():
    svg = acceptability_svg(CHART)
    assert [row["y"] for row in svg["rows"]] == [
        LEGEND_HEIGHT + i * ROW_HEIGHT for i in range(3)
    ]
    assert svg["height"] == LEGEND_HEIGHT + 3 * ROW_HEIGHT
    a_rank2 = svg["rows"][2]["segments"][0]  # 3% of the bar
    assert a_rank2["width"] < MIN_LABELLED_WIDTH and a_rank2["text"] == ""
    assert svg["rows"][0]["segments"][0]["text"] == "90%"
    assert [item["label"] for item in svg["legend"]] == ["Rank 1", "Rank 2", "Rank 3"]
