"""Build and hand-off time of planner's own model as it grows (synthetic networks).

Usage: python bench/bench_model_size.py [--sizes small,medium,large] [--repeat 3] [--solve]

Prints per size: variables, constraints, build s, hand-off s (std-form compile + passModel),
and with --solve the HiGHS time, total, the ratio (total - HiGHS) / HiGHS and peak memory.
Medians over --repeat runs; the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from planner.config import SolveOptions
from planner.model.build import build_model
from planner.network import build_network
from planner.solve import solve_model
from planner.synthetic import synthetic_network

SIZES = {
    "small": dict(mines=4, refineries=3, plants=3, regions=3, periods=8, scenarios=3),
    "medium": dict(mines=20, refineries=12, plants=12, regions=10, periods=16, scenarios=5),
    "large": dict(mines=60, refineries=40, plants=40, regions=30, periods=16, scenarios=10),
    "xlarge": dict(mines=150, refineries=100, plants=100, regions=60, periods=16, scenarios=20),
}


def one(size: dict[str, int], solve: bool, time_limit: float) -> dict[str, float]:
    data = synthetic_network(**size)
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
        from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

        t1 = time.perf_counter()
        LinearStandardFormCompiler().write(m, mixed_form=True)
        out["handoff"] = time.perf_counter() - t1
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="small,medium")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--solve", action="store_true")
    ap.add_argument("--time-limit", type=float, default=300)
    args = ap.parse_args()
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
