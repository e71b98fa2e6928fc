"""Every write of the decision domain, one module per aggregate.

- ``workspaces``: workspaces and the roles that may change them;
- ``tools`` and ``tool_csv``: tools, their scores, the score grid, CSV in and out;
- ``evaluations``: evaluations, their weights and their methods' options;
- ``catalogue``: criteria and weight profiles (history, deriving, AHP, built-ins);
- ``computation``: a run's snapshot of its inputs, and the engine turning it into
  results;
- ``runs``: starting, claiming and executing runs; ``sweeps``: what no worker will;
- ``batches``: many runs started together, and settling them; ``batch_results``:
  what a finished batch found;
- ``ranking``: rankings that store nothing (the rank API, previews, comparisons);
- ``demo``: the demo workspace.

Functions are keyword-only, atomic, check the caller's role or permission, and
validate with ``full_clean`` so the same rules hold for pages, the API, tasks and
imports.
"""
