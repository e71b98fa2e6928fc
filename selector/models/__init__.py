"""The decision domain: workspaces, criteria, weight profiles, tools, evaluations, runs.

Models hold data and the invariants of a single row (``clean``); every write goes
through ``selector.services``. One module per aggregate; import them from here.
"""

from selector.models.catalogue import Criterion, Weight, WeightProfile
from selector.models.evaluations import Evaluation, Method, Normalization
from selector.models.runs import Batch, Run, RunResult
from selector.models.tools import LIST_PRICE, PRICE, TOOL_FIELDS, Score, Tool
from selector.models.workspaces import Membership, Workspace

# The largest row id the databases can hold (a signed 64-bit integer): a larger one
# names no row, and SQLite cannot even compare it.
MAX_ID = 2**63 - 1

__all__ = [
    "LIST_PRICE",
    "MAX_ID",
    "PRICE",
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
