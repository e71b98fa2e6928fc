"""The sentences the result page writes about robustness."""

import pytest

from selector.presenters import (
    method_label,
    order_sentence,
    percent,
    stability_sentence,
)


@pytest.mark.parametrize(
    ("share", "text"),
    [(0.53, "53%"), (0.004, "0%"), (-1e-12, "0%"), (-0.0, "0%"), (1.0, "100%")],
)
def test_a_share_reads_as_a_whole_percentage_never_minus_zero(share, text):
    assert percent(share) == text


@pytest.mark.parametrize(
    ("interval", "sentence"),
    [
        ((0.41, 0.56), "Glean stays first while ROI's weight is between 41% and 56%"),
        ((-1e-12, 0.13), "Glean stays first while ROI's weight is below 13%"),
        ((0.2, 1.0), "Glean stays first while ROI's weight is above 20%"),
        ((0.0, 1.0), "Glean stays first whatever ROI's weight"),
    ],
)
def test_the_winner_sentence_says_where_the_weight_may_go(interval, sentence):
    row = {"top": interval, "weight": 0.3}
    assert stability_sentence("Glean", "ROI", row) == f"{sentence} (now 30%)."


def test_the_order_sentence_uses_the_same_words():
    # The engine's interval can start a hair below zero: no "-0%".
    row = {"order": (-1e-13, 0.11)}
    assert order_sentence("Price", row) == (
        "The whole order holds while Price's weight is below 11%."
    )
    row = {"order": (0.5, 0.56)}
    assert order_sentence("ROI", row) == (
        "The whole order holds while ROI's weight is between 50% and 56%."
    )


@pytest.mark.parametrize(
    ("method", "options", "label"),
    [
        ("wsm", {}, "Weighted sum"),
        ("vikor", {"v": 0.25}, "VIKOR (v = 0.25)"),
        ("promethee2", {"preference": "usual"}, "PROMETHEE II"),
        (
            "promethee2",
            {"preference": "linear", "q": [1, 2], "p": [3, 4]},
            "PROMETHEE II (linear preference, thresholds q and p)",
        ),
        (
            "promethee2",
            {"preference": "vshape", "p": [3, 4]},
            "PROMETHEE II (vshape preference, threshold p)",
        ),
    ],
)
def test_the_method_label_says_which_options_ranked(method, options, label):
    assert method_label(method, options) == label
