"""How long what_it_takes() adds to a run, next to the run's SMAA and stability.

Run from the repository root: `python benchmarks/what_it_takes.py [tools criteria]`
(default 20 x 10, the size issue 13 budgets at well under a second for WSM). Every
time is the median of 5 runs after one warm-up, the calls taking turns so that a
change in the machine's load hits them alike. A benchmark, not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selector.engine import smaa, stability, what_it_takes  # noqa: E402

REPEATS = 5
CASES = {
    "wsm": {},
    "wpm": {},
    "topsis": {},
    "vikor": {},
    "promethee2": {"preference": "linear", "q": 0.2, "p": 1.0},
}


def median_times(calls: dict) -> dict[str, float]:
    for call in calls.values():
        call()
    times = {name: [] for name in calls}
    for _ in range(REPEATS):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    tools, criteria = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (20, 10)
    rng = np.random.default_rng(0)
    matrix = rng.uniform(1, 5, (tools, criteria))
    weights = rng.dirichlet(np.ones(criteria))
    directions = np.where(rng.random(criteria) < 0.3, -1, 1)
    low, high = np.ones(criteria), np.full(criteria, 5.0)
    print(f"{tools} tools x {criteria} criteria, median of {REPEATS} (ms)")
    print(f"{'method':<12}{'what_it_takes':>15}{'smaa 2000':>12}{'stability':>12}")
    for method, options in CASES.items():
        args = (matrix, weights, directions, method)
        found = median_times(
            {
                "what": partial(what_it_takes, *args, lower=low, upper=high, **options),
                "smaa": partial(smaa, *args, samples=2000, **options),
                "stability": partial(stability, *args, **options),
            }
        )
        print(
            f"{method:<12}{found['what'] * 1e3:>15.0f}{found['smaa'] * 1e3:>12.0f}"
            f"{found['stability'] * 1e3:>12.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
