"""Shortlist's decision engine: pure numpy, no Django.

evaluate() scores and ranks tools with WSM, WPM, TOPSIS, VIKOR or PROMETHEE II;
smaa() measures how often each tool takes each rank under uncertain weights;
stability() finds how far each weight can move before the ranking changes;
ahp_weights(), rank_order_centroid() and survey_concentration() produce weights
and weight uncertainty. Every bad input raises EngineError (a ValueError).
Result types live next to their functions: evaluation.Evaluation,
robustness.SMAAResult and robustness.Stability.
"""

from .errors import EngineError
from .evaluation import evaluate
from .robustness import smaa, stability
from .weights import ahp_weights, rank_order_centroid, survey_concentration

ENGINE_VERSION = "1.0.0"

__all__ = [
    "ENGINE_VERSION",
    "EngineError",
    "ahp_weights",
    "evaluate",
    "rank_order_centroid",
    "smaa",
    "stability",
    "survey_concentration",
]
