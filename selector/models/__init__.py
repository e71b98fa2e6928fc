"""The decision domain: workspaces, criteria, weight profiles, tools, evaluations, runs.

Models hold data and the invariants of a single row (``clean``); every write goes
through ``selector.services``. One module per aggregate; import them from here.
"""

from selector.models.catalogue import Criterion, Weight, WeightProfile
from selector.models.evaluations import Evaluation, Method, Normalization
from selector.models.runs import Batch, Run, RunResult
from selector.models.tools import TOOL_FIELDS, Score, Tool
from selector.models.workspaces import Membership, Workspace

__all__ = [
    "TOOL_FIELDS",
    "Batch",
    "Criterion",
    "Evaluation",
    "Membership",
    "Method",
    "Normalization",
    "Run",
    "RunResult",
    "Score",
    "Tool",
    "Weight",
    "WeightProfile",
    "Workspace",
]
