"""The sentences a result says, in French: whole sentences with the criterion's French
name from the run's snapshot, French percentages ("94 %" with a narrow no-break
space) and decimal commas; the English ones unchanged; old snapshots without the
French names fall back to English. Every number below is worked out by hand."""

import pytest
from django.utils import translation

from selector.models import RunResult
from selector.presenters import method_label, order_sentence, stability_sentence
from selector.presenters.rank_shares import rank_labels
from selector.presenters.snapshot import shown_source
from selector.presenters.verdict import run_verdict, shown_value, what_it_takes_rows

N, S = "\u202f", "\u00a0"  # narrow no-break space, no-break space
INPUTS = {
    "tools": [{"id": 1, "name": "Outil A"}, {"id": 2, "name": "Outil B"}],
    "criteria": [
        {
            "key": "roi",
            "name": "Measurable ROI",
            "name_fr": "Retour sur investissement mesurable",
            "direction": "benefit",
            "kind": "rating",
            "scale_min": 1,
            "scale_max": 5,
        },
        {"key": "price", "name": "Price", "name_fr": "Prix", "direction": "cost"},
    ],
}
RESULTS = [
    RunResult(tool_name="Outil A", rank=1),
    RunResult(tool_name="Outil B", rank=2),
]
# Outil A first in 94% of the draws; ROI at 30%, Outil B first above 70%.
ROBUSTNESS = {
    "acceptability": [[0.94, 0.06], [0.06, 0.94]],
    "stability": [
        {
            "criterion": "roi",
            "weight": 0.3,
            "top": [0.0, 0.7],
            "takes_over": [None, "Outil B"],
        },
        {
            "criterion": "price",
            "weight": 0.7,
            "top": [0.0, 1.0],
            "takes_over": [None, None],
        },
    ],
}


def test_the_robust_verdict_in_french():
    with translation.override("fr"):
        found = run_verdict(INPUTS, ROBUSTNESS, RESULTS)
    assert found["robust_winner"] is True
    assert found["sentence"] == (
        f"Outil A est le choix robuste{S}: premier dans 94{N}% des tirages de poids"
        f"{N}; Outil B ne l'emporterait que si le poids du critère Retour sur "
        f"investissement mesurable dépassait 70{N}%."
    )


def test_the_same_verdict_in_english_is_unchanged():
    with translation.override("en"):
        found = run_verdict(INPUTS, ROBUSTNESS, RESULTS)
    assert found["sentence"] == (
        "Outil A is the robust choice: first in 94% of weight draws; Outil B would "
        "win only if Measurable ROI weighed more than 70%."
    )


def test_a_snapshot_without_french_names_says_them_in_english():
    old = {
        **INPUTS,
        "criteria": [
            {k: v for k, v in c.items() if k != "name_fr"} for c in INPUTS["criteria"]
        ],
    }
    with translation.override("fr"):
        found = run_verdict(old, ROBUSTNESS, RESULTS)
    assert "le poids du critère Measurable ROI dépassait 70" in found["sentence"]


def test_a_fragile_verdict_in_french():
    # Outil A first in 40% of the draws, the runner-up named.
    fragile = {**ROBUSTNESS, "acceptability": [[0.4, 0.6], [0.6, 0.4]]}
    with translation.override("fr"):
        found = run_verdict(INPUTS, fragile, RESULTS)
    assert found["sentence"] == (
        f"Outil A arrive en tête, mais son avance est fragile{S}: il n'est premier "
        f"que dans 40{N}% des tirages de poids{N}; le deuxième est Outil B."
    )


@pytest.mark.parametrize(
    ("top", "english", "french"),
    [
        (
            [0.18, 0.44],
            "Outil A stays first while ROI's weight is between 18% and 44% (now 30%).",
            f"Outil A reste en tête tant que le poids du critère ROI est compris entre "
            f"18{N}% et 44{N}% (actuellement 30{N}%).",
        ),
        (
            [0.0, 1.0],
            "Outil A stays first whatever ROI's weight (now 30%).",
            f"Outil A reste en tête quel que soit le poids du critère ROI "
            f"(actuellement 30{N}%).",
        ),
    ],
)
def test_stability_sentences(top, english, french):
    row = {"top": top, "weight": 0.3, "order": [0.0, 0.11]}
    with translation.override("en"):
        assert stability_sentence("Outil A", "ROI", row) == english
        assert order_sentence("Prix", row) == (
            "The whole order holds while Prix's weight is below 11%."
        )
    with translation.override("fr"):
        assert stability_sentence("Outil A", "ROI", row) == french
        assert order_sentence("Prix", row) == (
            f"L'ordre complet tient tant que le poids du critère Prix ne dépasse pas "
            f"11{N}%."
        )


def test_what_it_would_take_in_french_with_a_decimal_comma():
    # Outil B ties Outil A with ROI 4.1 instead of 3 (range 1-5: 2.5% moves).
    stored = {
        "what_it_takes": {
            "ranges": {"roi": [1, 5]},
            "tools": [{}, {"roi": {"from": 3.0, "to": 4.1, "tie": True}}],
        }
    }
    with translation.override("fr"):
        rows = what_it_takes_rows(INPUTS, stored, RESULTS)
        assert shown_value(4.5333, 0.5, 4.0) == "4,6"
    assert rows[0]["sentence"] == (
        "Outil B serait ex æquo en tête avec 4,1 au lieu de 3 sur le critère "
        "Retour sur investissement mesurable."
    )
    with translation.override("en"):
        rows = what_it_takes_rows(INPUTS, stored, RESULTS)
    assert rows[0]["sentence"] == (
        "Outil B would tie for first with Measurable ROI 4.1 instead of 3."
    )


def test_method_labels_and_rank_labels_in_french():
    with translation.override("fr"):
        assert method_label("vikor", {"v": 0.25}).endswith("(v = 0,25)")
        assert method_label("promethee2", {"preference": "linear", "q": 1, "p": 2}) == (
            "PROMETHEE II (préférence linéaire, seuils q et p)"
        )
        assert rank_labels(7) == [
            "Rang 1",
            "Rang 2",
            "Rang 3",
            "Rang 4",
            "Rang 5",
            "Au-delà",
        ]
    with translation.override("en"):
        assert method_label("promethee2", {"preference": "linear", "q": 1}) == (
            "PROMETHEE II (linear preference, threshold q)"
        )
        assert rank_labels(7)[-2:] == ["Rank 5", "Lower"]


def test_a_figures_evidence_level_is_named_in_french():
    source = {
        "benchmark": {
            "value": 30,
            "label": "Measurable ROI",
            "label_fr": "ROI mesurable",
            "evidence_level": "press",
            "evidence_meaning": "a press summary of the report",
            "evidence_meaning_fr": "un résumé de presse du rapport",
        }
    }
    with translation.override("fr"):
        shown = shown_source(source)["benchmark"]
    assert shown["evidence_text"] == "presse\u00a0: un résumé de presse du rapport"
    assert shown["value_text"] == "30\u202f%"
    assert shown_source(source)["benchmark"]["evidence_text"] == (
        "press: a press summary of the report"
    )
