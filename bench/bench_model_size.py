"""Build and hand-off time of planner's own model as it grows (synthetic networks).

Usage: python bench/bench_model_size.py [--sizes small,medium,large] [--repeat 3] [--solve]

Prints per size: variables, constraints, build s, hand-off s (std-form compile + passModel),
and with --solve the HiGHS time, total, the ratio (total - HiGHS) / HiGHS and peak memory.
Medians over --repeat runs; the machine is shared and noisy.

``--split`` times the hand-off in CPU seconds of this process (``time.process_time``), step by
step: ``build`` (build_network + build_model), ``compile`` (planner.standard_form.compile_model;
``--compiler pyomo`` times Pyomo's LinearStandardFormCompiler instead, which gives the same matrix),
``lists`` (planner.solve._to_highs: bounds, integrality and the HiGHS arrays) and ``pass``
(highspy passModel), with the nonzeros, inside ``kept_out_of_gc`` as ``planner.api.solve_data``
runs them; ``numpy`` times a matrix of the same shape and nonzeros assembled with numpy and passed
to HiGHS, and ``ratio`` is total / numpy (the issue's yardstick: 30 s against 0.46 s, 65x), which
reads the same on a faster or slower machine. ``--profile FILE`` writes a cProfile of one
build + hand-off of the first size.

``xlarge`` is the size of issue #17 item 7 (645,533 variables, 1,635,773 nonzeros).
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import time

from planner.config import SolveOptions
from planner.model.build import build_model, kept_out_of_gc
from planner.network import build_network
from planner.solve import solve_model
from planner.standard_form import compile_model
from planner.synthetic import synthetic_network
from planner.tables import InputData

SIZES = {
    "small": dict(mines=4, refineries=3, plants=3, regions=3, periods=8, scenarios=3),
    "medium": dict(mines=20, refineries=12, plants=12, regions=10, periods=16, scenarios=5),
    "large": dict(mines=60, refineries=40, plants=40, regions=30, periods=16, scenarios=10),
    "xlarge": dict(mines=150, refineries=100, plants=100, regions=60, periods=16, scenarios=20),
}


def one(size: dict[str, int], solve: bool, time_limit: float) -> dict[str, float]:
    data = synthetic_network(**size)
    gc.collect()
    with kept_out_of_gc():  # as planner.api.solve_data builds, hands off and solves
        return _one(data, solve, time_limit)


def _one(data: InputData, solve: bool, time_limit: float) -> dict[str, float]:
    t0 = time.perf_counter()
    net = build_network(data)
    m = build_model(net)
    t_build = time.perf_counter() - t0
    nvar = sum(1 for _ in m.component_data_objects(ctype=__import__("pyomo.environ").environ.Var))
    ncon = sum(1 for _ in m.component_data_objects(ctype=__import__("pyomo.environ").environ.Constraint))
    out = {"vars": nvar, "cons": ncon, "build": t_build}
    if solve:
        res = solve_model(m, SolveOptions(time_limit=time_limit, mip_gap=0.01, threads=0, random_seed=0))
        out.update(
            handoff=res.timings["handoff"], highs=res.timings["solve"], load=res.timings["load"], gap=res.gap
        )
    else:
        t1 = time.perf_counter()
        compile_model(m)
        out["handoff"] = time.perf_counter() - t1
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def split(size: dict[str, int], compiler: str = "planner") -> dict[str, float]:
    """CPU seconds of each step of build + hand-off (see the module docstring)."""
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    from planner.highs_options import quiet_highs
    from planner.solve import _to_highs

    data = synthetic_network(**size)
    gc.collect()  # the previous repeat's garbage is not this one's time
    with kept_out_of_gc():  # as planner.api.solve_data builds and hands off
        t0 = time.process_time()
        m = build_model(build_network(data))
        t1 = time.process_time()
        info = (
            compile_model(m)
            if compiler == "planner"
            else LinearStandardFormCompiler().write(m, mixed_form=True)
        )
        t2 = time.process_time()
        lp, _cols = _to_highs(info)
        t3 = time.process_time()
        h = quiet_highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
        t4 = time.process_time()
    return {
        "vars": float(info.A.shape[1]),
        "nnz": float(info.A.nnz),
        "numpy": numpy_reference(info.A.shape, info.A.nnz),
        "build": t1 - t0,
        "compile": t2 - t1,
        "lists": t3 - t2,
        "pass": t4 - t3,
        "total": t4 - t0,
    }


def numpy_reference(shape: tuple[int, int], nnz: int) -> float:
    """CPU seconds to assemble a column-wise matrix of the same shape and nonzeros with numpy and pass
    it to HiGHS: the floor that issue #17 measured (0.46 s at xlarge) and compares build plus
    hand-off with (65x), so the ratio reads the same on a faster or slower machine."""
    import highspy
    import numpy as np

    from planner.highs_options import quiet_highs

    rng = np.random.default_rng(0)
    t0 = time.process_time()
    nrow, ncol = shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = ncol, nrow
    lp.col_cost_ = rng.random(ncol)
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.full(ncol, highspy.kHighsInf)
    lp.row_lower_ = np.zeros(nrow)
    lp.row_upper_ = np.ones(nrow)
    per_col = np.diff(np.linspace(0, nnz, ncol + 1).astype(np.int64))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.concatenate(([0], np.cumsum(per_col)))
    lp.a_matrix_.index_ = (np.arange(nnz) % nrow).astype(np.int32)  # distinct rows within a column
    lp.a_matrix_.value_ = rng.random(nnz)
    h = quiet_highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return time.process_time() - t0


def profile(size: dict[str, int], path: str) -> None:
    """cProfile of one build + hand-off, saved to ``path``; prints the top 25 by cumulative and own time."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.runcall(split, size)
    prof.dump_stats(path)
    for key in ("cumulative", "tottime"):
        pstats.Stats(path).sort_stats(key).print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="small,medium")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--solve", action="store_true")
    ap.add_argument("--time-limit", type=float, default=300)
    ap.add_argument("--split", action="store_true", help="CPU seconds per hand-off step (see the docstring)")
    ap.add_argument(
        "--compiler", choices=("planner", "pyomo"), default="planner", help="standard-form compiler to time"
    )
    ap.add_argument("--profile", metavar="FILE", help="cProfile one build + hand-off of the first size")
    args = ap.parse_args()
    if args.profile:
        profile(SIZES[args.sizes.split(",")[0]], args.profile)
        return
    if args.split:
        for name in args.sizes.split(","):
            runs = [split(SIZES[name], args.compiler) for _ in range(args.repeat)]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(
                f"{name:7s} vars {med['vars']:>9,.0f} nnz {med['nnz']:>10,.0f} build {med['build']:6.2f}s "
                f"compile {med['compile']:6.2f}s lists {med['lists']:6.2f}s pass {med['pass']:6.2f}s "
                f"total {med['total']:6.2f}s numpy {med['numpy']:5.2f}s ratio {med['total'] / med['numpy']:4.0f}x "
                f"(CPU, median of {args.repeat}, {args.compiler} compiler)",
                flush=True,
            )
        return
    for name in args.sizes.split(","):
        runs = [one(SIZES[name], args.solve, args.time_limit) for _ in range(args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        line = f"{name:7s} vars {med['vars']:>9,.0f} cons {med['cons']:>9,.0f} build {med['build']:7.2f}s handoff {med['handoff']:7.2f}s"
        if args.solve:
            total = med["build"] + med["handoff"] + med["highs"] + med["load"]
            line += f" highs {med['highs']:7.2f}s total {total:7.2f}s ratio {(total - med['highs']) / med['highs']:.2f} gap {med['gap']:.2%}"
        line += f" peak {med['peak_mb']:,.0f} MB"
        print(line, flush=True)


if __name__ == "__main__":
    main()
