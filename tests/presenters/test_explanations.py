"""The plain-words texts (issue 13 items 3 and 10): one per method, normalization and
built-in profile, checked against what the engine does."""

import numpy as np
import pytest

from selector import engine
from selector.models import Method, Normalization
from selector.presenters import explanations
from selector.presenters.snapshot import entered_cells
from selector.services.catalogue.builtin_catalogue import PROFILES

MATRIX = np.array([[4.0, 30.0], [3.0, 20.0], [5.0, 60.0]])
DIRECTIONS = np.array([1, -1])


@pytest.mark.parametrize("method", Method.values)
def test_every_method_has_two_whole_sentences(method):
    text = explanations.method_explanation(method)

    sentences = [s for s in text.split(". ") if s]
    assert len(sentences) == 2 and text.endswith(".")
    assert all(s[0].isupper() for s in sentences)


@pytest.mark.parametrize("normalization", [n for n in Normalization.values if n])
def test_every_normalization_has_one_sentence(normalization):
    text = explanations.normalization_explanation(normalization)

    assert text.endswith(".") and text.count(". ") == 0
    assert Normalization(normalization).label.lower() in text.lower()


def test_min_max_says_the_lowest_candidate_gets_0_as_the_engine_does():
    text = explanations.normalization_explanation("minmax")
    result = engine.evaluate(MATRIX, [1, 1], DIRECTIONS, method="wsm")

    assert "the lowest candidate gets 0 on that criterion" in text
    assert result.contributions[1, 0] == 0  # ROI 3, the lowest
    assert result.contributions[2, 1] == 0  # price 60, the most expensive


def test_promethee_is_said_to_use_no_normalization():
    assert not engine.default_normalization("promethee2")
    assert "no normalization" in explanations.normalization_explanation(None)


@pytest.mark.parametrize("method", Method.values)
def test_the_stability_text_says_exact_where_the_engine_is_exact(method):
    stable = engine.stability(MATRIX, [0.5, 0.5], DIRECTIONS, method=method)

    text = explanations.stability_explanation(method)

    assert ("computed exactly" in text) == stable.exact
    assert ("searched on a grid" in text) == (not stable.exact)


def test_vikor_alone_has_no_contribution_text():
    for method in Method.values:
        result = engine.evaluate(MATRIX, [1, 1], DIRECTIONS, method=method)
        text = explanations.contribution_explanation(method)
        assert bool(text) == (result.contributions is not None), method


def test_wsm_contributions_add_up_to_the_score_as_said():
    result = engine.evaluate(MATRIX, [3, 1], DIRECTIONS, method="wsm")

    assert "add up to the score" in explanations.contribution_explanation("wsm")
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.scores)


def test_survey_draws_name_the_respondents_and_centre_on_the_weights():
    text = explanations.monte_carlo_explanation(2000, 599.0)

    assert "2,000 weight vectors" in text and "600 respondents" in text
    assert "Dirichlet distribution centered on these weights" in text
    assert "uniformly" not in text


def test_draws_without_concentration_are_uniform_not_around_the_weights():
    first_in = explanations.first_in_explanation(20000, None)
    draws = explanations.monte_carlo_explanation(20000, None, bounds=True)

    assert "20,000 weight draws, spread uniformly over all weight vectors" in first_in
    assert "spread uniformly over all weight vectors" in draws
    assert "centered" not in first_in + draws
    assert draws.endswith("each draw also picks the score at random between them.")


def test_every_builtin_profile_has_guidance():
    for spec in PROFILES:
        assert explanations.profile_guidance(spec.slug).startswith("Use it ")
    assert explanations.profile_guidance("someone-elses") == ""


def test_entered_cells_read_the_snapshot_values_bounds_evidence_and_fills():
    inputs = {
        "tools": [{"id": 1, "name": "A"}, {"id": 2, "name": "B"}],
        "criteria": [
            {"key": "roi", "name": "ROI", "direction": "benefit", "unit": ""},
            {"key": "price", "name": "Price", "direction": "cost", "unit": "USD"},
        ],
        "matrix": [[4.0, 30.0], [3.0, 60.0]],
        "bounds": {
            "low": [[3.5, 30.0], [3.0, 60.0]],
            "high": [[4.5, 30.0], [3.0, 60.0]],
        },
        "evidence": [["Case study", ""], ["", ""]],
        "filled_as_worst": [{"tool": "B", "criterion": "price", "value": 60.0}],
    }

    cells = entered_cells(inputs)

    assert cells["A"][0] == {
        "value": 4.0,
        "unit": "",
        "low": 3.5,
        "high": 4.5,
        "evidence": "Case study",
        "filled": False,
    }
    assert cells["A"][1]["low"] is None and cells["A"][1]["unit"] == "USD"
    assert cells["B"][1]["filled"] and not cells["B"][0]["filled"]
    old = {k: v for k, v in inputs.items() if k not in ("evidence", "bounds")}
    assert [c["evidence"] for c in entered_cells(old)["A"]] == ["", ""]
    assert entered_cells(old)["A"][0]["low"] is None


def test_a_runs_explanations_follow_its_snapshot_and_robustness():
    inputs = {"method": "topsis", "normalization": None, "bounds": {"low": []}}
    robustness = {"samples": 2000, "concentration": None}

    said = explanations.run_explanations(inputs, robustness)

    assert said["method"] == explanations.method_explanation("topsis")
    assert said["normalization"].startswith("Vector normalization")  # its default
    assert "searched on a grid" in said["stability"]
    assert "2,000 weight draws, spread uniformly" in said["first_in"]
    assert said["monte_carlo"].endswith("at random between them.")
    assert explanations.run_explanations(inputs, {})["first_in"] == ""
