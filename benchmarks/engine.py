"""Benchmark of selector.engine against bare numpy, pymcdm and scikit-criteria.

Run from the repository root: `python benchmarks/engine.py` (or `make bench`);
`--quick` uses small sizes. Every time is the median of 5 runs after one
warm-up run, all in this one process. Exits non-zero if another library ranks
the same problem differently; missing targets are reported, not fatal (this is
a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from functools import partial
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selector.engine import ENGINE_VERSION, evaluate, smaa  # noqa: E402

try:
    from pymcdm import methods as pymcdm_methods
    from pymcdm import normalizations as pymcdm_normalizations
except ImportError:  # a dev dependency: say so and leave its columns out
    pymcdm_methods = None
try:
    import skcriteria
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.agg.topsis import TOPSIS as SkcTOPSIS
    from skcriteria.pipelines import mkpipe
    from skcriteria.preprocessing.invert_objectives import MinMaxInverter
    from skcriteria.preprocessing.scalers import VectorScaler
except ImportError:
    skcriteria = None

REPEATS = 5
CRITERIA = 20
TARGETS = {
    "evaluate_vs_bare": 1.2,  # engine time / bare numpy time, at most
    "evaluate_vs_pymcdm": 10.0,  # pymcdm default call / engine, at least
    "smaa_seconds": {"wsm": 0.4, "topsis": 0.6},
    "smaa_vs_pymcdm": 100.0,
    "smaa_peak_bytes": 1 << 30,
}


def median_times(calls: dict) -> dict[str, float]:
    """Median wall time of REPEATS runs of each call, after one warm-up run each.

    The calls take turns (a, b, c, a, b, c, ...), so a change in the machine's
    load during the measurement hits all of them alike and the ratios hold.
    """
    for call in calls.values():
        call()
    times = {name: [] for name in calls}
    for _ in range(REPEATS):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def cpu_seconds(call) -> float:
    """Median CPU time of the process (all threads) over REPEATS runs of call."""
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return statistics.median(times)


def problem(n: int, seed: int = 0):
    """Random n x 20 matrix, Dirichlet weights, every fourth criterion a cost."""
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1.0, 100.0, (n, CRITERIA))
    weights = rng.dirichlet(np.ones(CRITERIA))
    directions = np.where(np.arange(CRITERIA) % 4 == 0, -1, 1)
    return matrix, weights, directions


def ordinal_ranks(scores: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    order = np.argsort(-scores if higher_is_better else scores)
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


# --- the same formulas in bare numpy: scores and (ordinal) ranks, no checks -------


def bare_wsm(matrix, weights, directions):
    lo, hi = matrix.min(axis=0), matrix.max(axis=0)
    normalised = (matrix - np.where(directions > 0, lo, hi)) * (directions / (hi - lo))
    scores = normalised @ (weights / weights.sum())
    return scores, ordinal_ranks(scores)


def bare_topsis(matrix, weights, directions):
    weighted = (
        matrix / np.sqrt((matrix * matrix).sum(axis=0)) * (weights / weights.sum())
    )
    best = np.where(directions > 0, weighted.max(axis=0), weighted.min(axis=0))
    worst = np.where(directions > 0, weighted.min(axis=0), weighted.max(axis=0))
    to_best = np.sqrt(((weighted - best) ** 2).sum(axis=1))
    to_worst = np.sqrt(((weighted - worst) ** 2).sum(axis=1))
    scores = to_worst / (to_best + to_worst)
    return scores, ordinal_ranks(scores)


BARE = {"wsm": bare_wsm, "topsis": bare_topsis}


def pymcdm_body(method: str):
    normalization = {
        "wsm": pymcdm_normalizations.minmax_normalization,
        "topsis": pymcdm_normalizations.vector_normalization,
    }[method]
    return {"wsm": pymcdm_methods.WSM, "topsis": pymcdm_methods.TOPSIS}[method](
        normalization
    )


def skcriteria_run(method: str, matrix, weights, directions):
    """mkdm + pipeline, as a scikit-criteria user would write it; returns ranks."""
    warnings.filterwarnings("ignore", module="skcriteria")  # TOPSIS warns on costs
    objectives = [max if d > 0 else min for d in directions]
    steps = {
        "wsm": [MinMaxInverter(), WeightedSumModel()],  # min-max, costs inverted
        "topsis": [VectorScaler(target="matrix"), SkcTOPSIS()],
    }[method]
    dm = skcriteria.mkdm(matrix, objectives=objectives, weights=weights)
    return mkpipe(*steps).evaluate(dm).rank_


# --- evaluate --------------------------------------------------------------------


def evaluate_case(method: str, n: int) -> tuple[list[str], dict[str, float], bool]:
    """One row of the evaluate table, the times behind it, and whether all agree."""
    matrix, weights, directions = problem(n)
    args = (matrix, weights, directions)
    ranks = evaluate(*args, method).ranks
    calls = {
        "engine": partial(evaluate, *args, method),
        "bare": partial(BARE[method], *args),
    }
    agree = {"bare numpy": np.array_equal(BARE[method](*args)[1], ranks)}
    if pymcdm_methods:
        body = pymcdm_body(method)
        calls["pymcdm"] = partial(body, *args)
        calls["novalid"] = partial(body, *args, validation=False)
        agree["pymcdm"] = np.array_equal(ordinal_ranks(body(*args)), ranks)
    if skcriteria:
        calls["skc"] = partial(skcriteria_run, method, *args)
        agree["scikit-criteria"] = np.array_equal(skcriteria_run(method, *args), ranks)
    times = median_times(calls)
    engine = times["engine"]
    cells = [
        method,
        f"{n:,}",
        ms(engine),
        ms(times["bare"]),
        ratio(engine / times["bare"]),
    ]
    for other in ("pymcdm", "novalid"):
        cells.append(ms(times[other]) if other in times else "-")
    for other in ("pymcdm", "novalid"):
        cells.append(ratio(times[other] / engine) if other in times else "-")
    cells += (
        [ms(times["skc"]), ratio(times["skc"] / engine)]
        if "skc" in times
        else ["-"] * 2
    )
    differ = [name for name, same in agree.items() if not same]
    cells.append("NO: " + ", ".join(differ) if differ else "yes")
    return cells, times, not differ


def bench_evaluate(sizes) -> tuple[list[list[str]], list[str], bool]:
    rows, verdicts, all_agree = [], [], True
    for method in ("wsm", "topsis"):
        for n in sizes:
            cells, times, agree = evaluate_case(method, n)
            rows.append(cells)
            all_agree &= agree
            if n != max(sizes):
                continue
            case = f"evaluate {method} at {n:,} x {CRITERIA}"
            vs_bare = times["engine"] / times["bare"]
            limit = TARGETS["evaluate_vs_bare"]
            verdicts.append(
                verdict(
                    f"{case}: {vs_bare:.2f}x bare numpy",
                    vs_bare <= limit,
                    f"<= {limit}x",
                )
            )
            if "pymcdm" in times:
                speedup = times["pymcdm"] / times["engine"]
                least = TARGETS["evaluate_vs_pymcdm"]
                verdicts.append(
                    verdict(
                        f"{case}: {speedup:.0f}x faster than pymcdm's default call",
                        speedup >= least,
                        f">= {least:.0f}x",
                    )
                )
    return rows, verdicts, all_agree


# --- smaa ------------------------------------------------------------------------


def pymcdm_smaa_seconds(method, matrix, drawn, directions, validation: bool) -> float:
    """Seconds for a per-sample loop over pymcdm: score, rank, count."""
    body = pymcdm_body(method)
    n = len(matrix)
    counts = np.zeros((n, n))
    start = time.perf_counter()
    for w in drawn:
        ranks = ordinal_ranks(body(matrix, w, directions, validation=validation))
        counts[np.arange(n), ranks - 1] += 1
    return time.perf_counter() - start


def peak_bytes(run) -> int:
    """Peak memory traced while run() runs (numpy arrays included)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_smaa(
    samples: int, tools: int, subsets: dict
) -> tuple[list[list[str]], list[str]]:
    rows, verdicts = [], []
    matrix, weights, directions = problem(tools, seed=1)
    drawn = np.random.default_rng(0).dirichlet(np.ones(CRITERIA), max(subsets.values()))
    for method in ("wsm", "topsis"):
        args = (matrix, weights, directions, method)
        run = partial(smaa, *args, samples=samples)
        engine = median_times({"engine": run})["engine"]
        cpu = cpu_seconds(run)
        peak = peak_bytes(run)
        size = f"{samples:,} x {tools:,} x {CRITERIA}"
        cells = [method, size, f"{engine:.3f}", f"{cpu:.3f}", f"{peak / 2**20:.0f} MiB"]
        loop = None
        for validation in (True, False):
            if not pymcdm_methods:
                cells += ["-", "-"]
                continue
            subset = subsets[validation]
            measured = pymcdm_smaa_seconds(
                method, matrix, drawn[:subset], directions, validation
            )
            extrapolated = measured * samples / subset
            loop = extrapolated if validation else loop
            cells += [
                f"{extrapolated:.1f} (from {subset:,})",
                ratio(extrapolated / engine),
            ]
        rows.append(cells)
        limit = TARGETS["smaa_seconds"][method]
        verdicts.append(
            verdict(f"smaa {method}: {engine:.3f} s", engine < limit, f"< {limit} s")
        )
        if loop is not None:
            least = TARGETS["smaa_vs_pymcdm"]
            verdicts.append(
                verdict(
                    f"smaa {method}: {loop / engine:.0f}x faster than the pymcdm loop "
                    "(default call)",
                    loop / engine >= least,
                    f">= {least:.0f}x",
                )
            )
        verdicts.append(
            verdict(
                f"smaa {method}: peak memory {peak / 2**20:.0f} MiB",
                peak < TARGETS["smaa_peak_bytes"],
                "< 1024 MiB",
            )
        )
    return rows, verdicts


# --- output ----------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:.0f}x"


def verdict(what: str, ok: bool, target: str) -> str:
    return f"  [{'met' if ok else 'MISSED'}] {what} (target {target})"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)
    ]

    def line(cells):
        return "  ".join(
            cell.rjust(width) for cell, width in zip(cells, widths, strict=True)
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


EVALUATE_NOTE = """\
evaluate(): times in ms, {criteria} criteria (every 4th a cost). bare = the same
formula written plainly in numpy (scores and ordinal ranks, no checks). pymcdm:
WSM with min-max and TOPSIS with vector normalisation, its default call (which
validates the input) and validation=False; its ranking step is not timed.
scikit-criteria: mkdm + pipeline (MinMaxInverter + WSM, VectorScaler + TOPSIS).
'same ranks': every library ranks the tools exactly as the engine does."""

SMAA_NOTE = """\
smaa(): {samples:,} weight samples (uniform Dirichlet) x {tools:,} tools x {criteria}
criteria; engine wall time in s, the CPU time it took (all threads, so a busy
machine shows as wall >> cpu) and peak memory traced by tracemalloc. The pymcdm
loop scores, ranks and counts one sample at a time; it is timed on the subset
of samples shown and EXTRAPOLATED linearly to {samples:,}, not measured in full."""

EVALUATE_HEADER = [
    "method",
    "tools",
    "engine",
    "bare",
    "engine/bare",
    "pymcdm",
    "pymcdm novalid",
    "pymcdm/engine",
    "novalid/engine",
    "skcriteria",
    "skc/engine",
    "same ranks",
]
SMAA_HEADER = [
    "method",
    "size",
    "engine s",
    "cpu s",
    "peak",
    "pymcdm loop s",
    "loop/engine",
    "novalid loop s",
    "novalid/engine",
]


def versions() -> str:
    found = [f"engine {ENGINE_VERSION}", f"numpy {np.__version__}"]
    if pymcdm_methods:
        from importlib.metadata import version

        found.append(f"pymcdm {version('pymcdm')}")
    else:
        found.append("pymcdm not installed (its columns are left out)")
    if skcriteria:
        found.append(f"scikit-criteria {skcriteria.VERSION}")
    else:
        found.append("scikit-criteria not installed")
    return ", ".join(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, for a smoke run"
    )
    quick = parser.parse_args().quick
    sizes = (200, 2_000) if quick else (1_000, 100_000)
    samples, tools = (1_000, 200) if quick else (10_000, 1_000)
    subsets = {True: 50, False: 200} if quick else {True: 100, False: 1_000}

    print("Engine benchmark:", versions())
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; "
        f"median of {REPEATS} runs after a warm-up, all in one process\n"
    )
    print(EVALUATE_NOTE.format(criteria=CRITERIA))
    rows, verdicts, same = bench_evaluate(sizes)
    print(table(EVALUATE_HEADER, rows), end="\n\n")
    print(SMAA_NOTE.format(samples=samples, tools=tools, criteria=CRITERIA))
    smaa_rows, smaa_verdicts = bench_smaa(samples, tools, subsets)
    print(table(SMAA_HEADER, smaa_rows), end="\n\n")
    heading = (
        "Targets (set for the full sizes; --quick is a smoke run):"
        if quick
        else "Targets:"
    )
    print(heading, *verdicts, *smaa_verdicts, sep="\n")
    if not same:
        print("\nRANKINGS DIFFER: see the 'same ranks' column.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
