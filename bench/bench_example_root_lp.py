"""Benchmark: how the MIP's root LP is solved on the buyer's-seat example (issue #12).

The staged example (``inputs/example/build.py``: nine scenarios, 25 periods, origin-content tags)
hands HiGHS about 412k columns and 228k rows (292k x 115k after presolve) with 47 integers. Its
time is the root LP. This script solves the planning run (or the 2025 status-quo variant with
``--status-quo``) with each ``mip_lp_solver`` choice, one fresh subprocess per run, and prints
wall time, HiGHS time, time outside HiGHS / time in HiGHS, objective, gap and status.

Usage::

    python bench/bench_example_root_lp.py                        # ipm and simplex, 900 s each
    python bench/bench_example_root_lp.py --solvers ipm --repeat 3
    python bench/bench_example_root_lp.py --status-quo --repeat 5

Measured 2026-11-29 on the shared 2-core machine (HiGHS 1.16.0, 2 threads, gap 0.5%; other jobs
running): ``simplex`` (HiGHS's choice) had not finished the root LP after 540 s; ``ipm`` solved
the MIP at the root in 253 s of HiGHS time (gap 0.36%), 273 s to solution tables. The status-quo
variant: 9.8 s with ``ipm`` against 14.4 s with ``choose`` (whole script, build included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import importlib.util, json, sys, time
spec = importlib.util.spec_from_file_location("bx", sys.argv[1])
bx = importlib.util.module_from_spec(spec); spec.loader.exec_module(bx)
from planner.api import SolveOptions, solve_data
t = time.perf_counter()
data = bx.build_data(status_quo=sys.argv[2] == "1")
opts = SolveOptions(mip_gap=0.005, time_limit=float(sys.argv[4]), highs_options={"mip_lp_solver": sys.argv[3]})
sol = solve_data(data, opts)
print(json.dumps({"wall": time.perf_counter() - t, "highs": sol.timings.get("solve", float("nan")),
                  "objective": sol.objective, "gap": sol.gap, "proven": sol.proven_optimal}))
"""


def run_one(solver: str, status_quo: bool, time_limit: float) -> dict[str, float]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(ROOT / "inputs/example/build.py"),
            "1" if status_quo else "0",
            solver,
            str(time_limit),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {
            "wall": float("nan"),
            "highs": float("nan"),
            "objective": float("nan"),
            "gap": float("nan"),
            "proven": False,
            "error": out.stderr[-300:],
        }
    return json.loads(lines[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--solvers", default="ipm,simplex")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=900.0)
    ap.add_argument("--status-quo", action="store_true")
    args = ap.parse_args()
    for solver in args.solvers.split(","):
        runs = [run_one(solver, args.status_quo, args.time_limit) for _ in range(args.repeat)]
        walls = [r["wall"] for r in runs]
        highs = [r["highs"] for r in runs]
        wall, inside = statistics.median(walls), statistics.median(highs)
        print(
            f"{solver:8s} median wall {wall:7.1f} s  HiGHS {inside:7.1f} s  outside/inside "
            f"{(wall - inside) / inside:5.2f}  objective {runs[-1]['objective']:,.0f}  gap {runs[-1]['gap']:.3%}  "
            f"proven {runs[-1]['proven']}  ({time.strftime('%Y-%m-%d %H:%M')})"
        )


if __name__ == "__main__":
    main()
