"""Admins' writes and reads of criteria and weight profiles.

Every change goes through these functions, which validate where the data is saved
(finite, non-negative weights with one above zero; lower-case unique slugs; a
consistent scale), record who changed what in django-simple-history, and start the
re-ranking of the evaluations that follow an edited profile. Profile tools: derive
from a survey category's shares, derive with AHP (the engine's eigenvector and
consistency ratio), duplicate, compare, revert to an earlier version.

- ``rules``: the validation rules and the names shared below;
- ``criteria``: save, usage, delete;
- ``saving``: save a profile, re-rank its followers;
- ``history``: change log, versions, revert;
- ``deriving``: from a survey, duplicate;
- ``ahp``: pairwise judgements to weights;
- ``comparison``: weight rows, two profiles side by side.
"""

from selector.profiles.ahp import (
    MAX_CONSISTENCY_RATIO,
    AhpResult,
    ahp_matrix,
    ahp_preview,
    derive_profile_with_ahp,
    parse_judgement,
)
from selector.profiles.comparison import (
    Comparison,
    Ranking,
    WeightRow,
    compare_profiles,
    rank_under_profile,
    weight_rows,
)
from selector.profiles.criteria import (
    CriterionSave,
    criterion_usage,
    delete_criterion,
    save_criterion,
    usage_lines,
)
from selector.profiles.deriving import (
    benchmark_criteria,
    derive_profile_from_survey,
    duplicate_profile,
    survey_categories,
)
from selector.profiles.history import (
    Change,
    ChangeEntry,
    profile_change_log,
    profile_version,
    revert_profile,
)
from selector.profiles.rules import criterion_problems, key_problem, validate_weights
from selector.profiles.saving import (
    ProfileSave,
    Rerank,
    delete_profile,
    profile_usage_lines,
    save_profile,
    set_profile_weights,
    start_rerank,
)

__all__ = [
    "MAX_CONSISTENCY_RATIO",
    "AhpResult",
    "Change",
    "ChangeEntry",
    "Comparison",
    "CriterionSave",
    "ProfileSave",
    "Ranking",
    "Rerank",
    "WeightRow",
    "ahp_matrix",
    "ahp_preview",
    "benchmark_criteria",
    "compare_profiles",
    "criterion_problems",
    "criterion_usage",
    "delete_criterion",
    "delete_profile",
    "derive_profile_from_survey",
    "derive_profile_with_ahp",
    "duplicate_profile",
    "key_problem",
    "parse_judgement",
    "profile_change_log",
    "profile_usage_lines",
    "profile_version",
    "rank_under_profile",
    "revert_profile",
    "save_criterion",
    "save_profile",
    "set_profile_weights",
    "start_rerank",
    "survey_categories",
    "usage_lines",
    "validate_weights",
    "weight_rows",
]
