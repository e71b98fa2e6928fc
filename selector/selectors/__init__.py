"""Reads of the decision domain, scoped to what a user may see, with their joins done.

Selectors never raise ``Http404``: a row the user may not see is ``None`` (or absent
from a queryset), and the views and the API decide what that means for them. One
module per area (workspaces, catalogue, tools, runs); every name is importable from
here.
"""

from selector.selectors.catalogue import (
    WeightLine,
    WeightRow,
    compared_tools,
    criteria,
    criterion_usage,
    evaluations_using,
    missing_scores,
    profile_criteria,
    profile_index,
    profiles,
    weight_lines,
    weight_rows,
)
from selector.selectors.runs import (
    FIRST_PLACES,
    RESULTS_BY_RANK,
    WEIGHTS_USED,
    batch_progress,
    batch_runs,
    batches_for,
    batches_with_progress,
    evaluation_batches,
    has_finished_run,
    latest_done_run,
    latest_done_snapshot,
    own_done_runs,
    report_runs,
    run_history,
    run_list_for,
    runs_for,
    runs_with_results,
)
from selector.selectors.tools import (
    comparable_evaluations,
    evaluations_for,
    tool_search,
    tools_for,
)
from selector.selectors.workspaces import (
    DEMO_USERNAME,
    DEMO_WORKSPACE,
    membership_for,
    memberships_of,
    visible,
    workspaces_for,
    workspaces_with_role,
)

__all__ = [
    "DEMO_USERNAME",
    "DEMO_WORKSPACE",
    "FIRST_PLACES",
    "RESULTS_BY_RANK",
    "WEIGHTS_USED",
    "WeightLine",
    "WeightRow",
    "batch_progress",
    "batch_runs",
    "batches_for",
    "batches_with_progress",
    "comparable_evaluations",
    "compared_tools",
    "criteria",
    "criterion_usage",
    "evaluation_batches",
    "evaluations_for",
    "evaluations_using",
    "has_finished_run",
    "latest_done_run",
    "latest_done_snapshot",
    "own_done_runs",
    "membership_for",
    "memberships_of",
    "missing_scores",
    "profile_criteria",
    "profile_index",
    "profiles",
    "run_history",
    "run_list_for",
    "runs_for",
    "report_runs",
    "runs_with_results",
    "tool_search",
    "tools_for",
    "visible",
    "weight_lines",
    "weight_rows",
    "workspaces_for",
    "workspaces_with_role",
]
