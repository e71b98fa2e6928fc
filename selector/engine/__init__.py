"""Shortlist's decision engine: pure numpy, no Django.

evaluate() scores and ranks tools with WSM, WPM, TOPSIS, VIKOR or PROMETHEE II;
smaa() measures how often each tool takes each rank under uncertain weights, and
merge_smaa() (all at once) or SMAAMerge (one chunk at a time) joins the chunks of
one such study run apart; stability() finds how far each weight can move before
the ranking changes; what_it_takes() finds the score each tool would need on one
criterion to rank first; ahp_weights(),
rank_order_centroid() and survey_concentration() produce weights and weight
uncertainty. METHOD_OPTIONS, PREFERENCES, check_method_options() and
default_normalization() say what each method accepts, for checks before a run.
Every bad input raises EngineError (a ValueError).

Result types live next to their functions: evaluation.RankingResult,
smaa.SMAAResult, stability.Stability and what_it_takes.WhatItTakes. The modules
smaa, stability and what_it_takes are hidden here by their functions of the same
name; importlib reaches them.
"""

from .errors import EngineError
from .evaluation import evaluate
from .problem import METHOD_OPTIONS, check_method_options, default_normalization
from .promethee import PREFERENCES
from .smaa import smaa
from .smaa_merge import SMAAMerge, merge_smaa
from .stability import stability
from .weights import ahp_weights, rank_order_centroid, survey_concentration
from .what_it_takes import what_it_takes

ENGINE_VERSION = "1.0.0"

__all__ = [
    "ENGINE_VERSION",
    "METHOD_OPTIONS",
    "PREFERENCES",
    "SMAAMerge",
    "EngineError",
    "ahp_weights",
    "check_method_options",
    "default_normalization",
    "evaluate",
    "merge_smaa",
    "rank_order_centroid",
    "smaa",
    "stability",
    "survey_concentration",
    "what_it_takes",
]
