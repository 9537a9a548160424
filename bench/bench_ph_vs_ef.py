"""Extensive form against progressive hedging over MPI, by scenario count (issue 17, item 6).

Usage: python bench/bench_ph_vs_ef.py [--scenarios 10 50 100 200] [--ranks 2] [--iterations 10]
       [--size small] [--time-limit 600]

For each scenario count S, a synthetic network (planner.synthetic) with S scenarios is solved
(1) as planner's extensive form (HiGHS, gap 0, one solve) and (2) by `mpiexec -n R planner solve
--decompose ph` (R ranks: hub + xhatshuffle at 2, + Lagrangian at 3). Printed per S: EF wall
seconds and objective; PH wall seconds (whole command: start-up, PH, evaluation solve), its lower
and upper bounds and relative bound gap, and whether the bounds enclose the EF optimum. Wall times
include Python start-up for PH (each rank imports Pyomo and mpi-sppy): on a 2-core machine that
is part of the price of decomposition.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planner.api import solve_data
from planner.config import SolveOptions
from planner.io.excel_writer import write_input_workbook
from planner.synthetic import synthetic_network

ROOT = Path(__file__).resolve().parents[1]
MPIEXEC = Path(sys.executable).parent / "mpiexec"
SIZES = {
    "small": dict(mines=3, refineries=2, plants=2, regions=2, periods=5),
    "medium": dict(mines=6, refineries=4, plants=4, regions=3, periods=8),
}


def ph_run(workbook: Path, ranks: int, iterations: int, time_limit: float, tmp: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = tmp / f"ph-{ranks}"
    cmd = [str(MPIEXEC), "-n", str(ranks), sys.executable, "-m", "planner.cli", "solve", str(workbook), "-q"]
    cmd += ["--out", str(out), "--decompose", "ph", "--ph-iterations", str(iterations), "--gap", "0"]
    cmd += ["--time-limit", str(time_limit)]
    t = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp)
    wall = time.perf_counter() - t
    if result.returncode != 0:
        raise SystemExit(result.stdout[-2000:] + result.stderr[-2000:])
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    ph = json.loads((folder / "manifest.json").read_text())["decomposition"]
    return {
        "wall": wall,
        "lower": ph["lower_bound"],
        "upper": ph["upper_bound"],
        "gap": ph["gap"],
        "ph_s": ph["seconds"],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, nargs="+", default=[10, 50, 100, 200])
    ap.add_argument("--ranks", type=int, nargs="+", default=[2])
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--time-limit", type=float, default=600.0)
    args = ap.parse_args()
    print(f"size {args.size}, PH iterations {args.iterations}, ranks {args.ranks}")
    print(
        "S     EF s    EF objective     "
        + "  ".join(f"PH{r} s   lower        upper        gap     in" for r in args.ranks)
    )
    for s in args.scenarios:
        data = synthetic_network(**SIZES[args.size], scenarios=s, seed=1)
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            workbook = tmp / "synthetic.xlsx"
            write_input_workbook(data, workbook)
            t = time.perf_counter()
            ef = solve_data(data, SolveOptions(mip_gap=0.0, time_limit=args.time_limit))
            ef_wall = time.perf_counter() - t
            line = f"{s:<5} {ef_wall:7.1f}  {ef.objective:14,.1f}  "
            for r in args.ranks:
                ph = ph_run(workbook, r, args.iterations, args.time_limit, tmp)
                inside = ph["lower"] <= ef.objective * (1 + 1e-6) and ef.objective <= ph["upper"] * (1 + 1e-6)
                line += f"  {ph['wall']:6.1f}  {ph['lower']:11,.1f}  {ph['upper']:11,.1f}  {ph['gap']:6.2%}  {'yes' if inside else 'NO'}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
