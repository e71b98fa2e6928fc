"""Shortlist's decision engine: pure numpy, no Django.

evaluate() scores and ranks tools with WSM, WPM, TOPSIS, VIKOR or PROMETHEE II;
smaa() measures how often each tool takes each rank under uncertain weights;
stability() finds how far each weight can move before the ranking changes;
ahp_weights(), rank_order_centroid() and survey_concentration() produce weights
and weight uncertainty. Every bad input raises EngineError (a ValueError).
Result types live next to their functions: evaluation.RankingResult,
smaa.SMAAResult and stability.Stability (the modules smaa and stability are
shadowed here by their functions; reach them through importlib if need be).
"""

from .errors import EngineError
from .evaluation import evaluate
from .smaa import smaa
from .stability import stability
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
