"""Benchmark: OR-Library capa/capb/capc (100 sites x 1000 customers) through the planner.

Runs the 12 large CFLP cases of ``orlib_cflp/optimal_values.csv`` (capacities from
its ``capacity_override`` column), each in a fresh subprocess so that the peak
memory (``ru_maxrss``) belongs to that case alone, and prints per case:

* ``convert``  - OR-Library file -> InputData (:mod:`planner.benchmarks`);
* ``build``    - validate + network + Pyomo model construction;
* ``handoff``  - compiling the model and passing it to HiGHS;
* ``highs``    - HiGHS run time;
* ``total``    - wall time of the whole case, parse to solution tables;
* ``peak_mb``  - peak resident memory of the case's process;
* ``overhead`` - (total - highs) / highs, the share of time spent outside HiGHS;
* objective, published optimum, their difference, status and final gap.

Optionally (``--largest K``) it also builds and solves a scaled case: capa with
its 1000 customers replicated K times (100 x 1000K lanes, capacities x K), which
has no published optimum and only measures how far model building scales.

Usage::

    python bench/bench_cflp.py                       # 12 cases, 300 s each
    python bench/bench_cflp.py --cases capa_8000,capb --time-limit 60
    python bench/bench_cflp.py --uflp --largest 5

A CSV of the results is written under ``reports/`` (``--out`` to choose the path).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from planner.benchmarks import (
    OrlibInstance,
    benchmarks_dir,
    orlib_to_input,
    read_optimal_values,
    read_orlib_cap,
)

REPO = Path(__file__).resolve().parent.parent
LARGE = ("capa", "capb", "capc")
COLUMNS = (
    "case_id",
    "sites",
    "customers",
    "lanes",
    "convert_s",
    "build_s",
    "handoff_s",
    "highs_s",
    "extract_s",
    "total_s",
    "peak_mb",
    "overhead",
    "objective",
    "published",
    "diff",
    "status",
    "model_status",
    "gap",
    "error",
)


def _peak_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024.0 if sys.platform != "darwin" else rss / 2**20


def replicate_customers(inst: OrlibInstance, k: int) -> OrlibInstance:
    """``inst`` with every customer repeated ``k`` times and every capacity multiplied by ``k``."""
    caps = tuple(None if c is None else c * k for c in inst.capacities)
    return replace(
        inst,
        name=f"{inst.name}_x{k}",
        capacities=caps,
        demands=inst.demands * k,
        costs=tuple(row * k for row in inst.costs),
    )


def run_case(case: dict[str, str], time_limit: float, threads: int) -> dict[str, Any]:
    """Convert, build and solve one case in this process; return the measurements."""
    from planner.api import SolveOptions, solve_data

    t0 = time.perf_counter()
    root = benchmarks_dir() / "orlib_cflp"
    override = case.get("capacity_override", "")
    cap = float(override) if override not in ("", "ignore") else None
    inst = read_orlib_cap(root / case["file"], capacity_override=cap)
    scale = int(case.get("scale", "1") or 1)
    if scale > 1:
        inst = replicate_customers(inst, scale)
    data = orlib_to_input(inst, capacitated=case["problem"] == "CFLP", time_limit=time_limit)
    t_convert = time.perf_counter() - t0
    out: dict[str, Any] = {
        "case_id": case["case_id"],
        "sites": inst.n_sites,
        "customers": inst.n_customers,
        "lanes": len(data["Lanes"]),
        "convert_s": t_convert,
        "published": float(case["optimal_value"]) if case.get("optimal_value") else None,
    }
    try:
        sol = solve_data(data, SolveOptions(mip_gap=1e-9, time_limit=time_limit, threads=threads))
    except Exception as exc:  # report and go on with the next case
        out.update(
            error=f"{type(exc).__name__}: {exc}"[:500], total_s=time.perf_counter() - t0, peak_mb=_peak_mb()
        )
        return out
    total = time.perf_counter() - t0
    tm = sol.timings
    highs = tm.get("solve", float("nan"))
    result = sol.extra.get("solve_result")
    out.update(
        build_s=tm.get("validate", 0.0) + tm.get("network", 0.0) + tm.get("build", 0.0),
        handoff_s=tm.get("handoff", float("nan")),
        highs_s=highs,
        extract_s=tm.get("load", 0.0) + tm.get("extract", 0.0),
        total_s=total,
        peak_mb=_peak_mb(),
        overhead=(total - highs) / highs if highs > 0 else None,
        objective=sol.objective,
        diff=None if out["published"] is None else sol.objective - out["published"],
        status=sol.status,
        model_status=getattr(result, "model_status", ""),
        gap=sol.gap,
    )
    return out


def run_isolated(case: dict[str, str], time_limit: float, threads: int) -> dict[str, Any]:
    """Run one case in a fresh interpreter so its peak memory is its own."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(case)]
    cmd += ["--time-limit", str(time_limit), "--threads", str(threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT ") :]))
    tail = (proc.stderr or proc.stdout)[-500:]
    return {"case_id": case["case_id"], "error": f"worker exited with {proc.returncode}: {tail}"}


def _fmt(v: Any, spec: str) -> str:
    if v is None or v == "":
        return "-"
    try:
        return format(v, spec)
    except (TypeError, ValueError):
        return str(v)


def print_row(r: dict[str, Any]) -> None:
    """One line per case on stdout."""
    if r.get("error") and r.get("objective") is None:
        print(f"{r['case_id']:<14} ERROR {r['error']}")
        return
    print(
        f"{r['case_id']:<14} build {_fmt(r.get('build_s'), '7.2f')}s  handoff {_fmt(r.get('handoff_s'), '6.2f')}s  "
        f"highs {_fmt(r.get('highs_s'), '7.1f')}s  total {_fmt(r.get('total_s'), '7.1f')}s  "
        f"peak {_fmt(r.get('peak_mb'), '6.0f')} MB  overhead {_fmt(r.get('overhead'), '5.2f')}  "
        f"obj {_fmt(r.get('objective'), '15.3f')}  published {_fmt(r.get('published'), '15.3f')}  "
        f"diff {_fmt(r.get('diff'), '10.3f')}  {r.get('status', '')}/{r.get('model_status', '')}  "
        f"gap {_fmt(r.get('gap'), '.2e')}",
        flush=True,
    )


def select_cases(spec: str, uflp: bool) -> list[dict[str, str]]:
    """capa/b/c rows of the CSV, filtered by a comma-separated list of ids or prefixes."""
    rows = read_optimal_values(benchmarks_dir() / "orlib_cflp" / "optimal_values.csv")
    rows = [r for r in rows if r["case_id"].startswith(LARGE) and (uflp or r["problem"] == "CFLP")]
    if spec:
        wanted = [w.strip() for w in spec.split(",") if w.strip()]
        rows = [r for r in rows if any(r["case_id"] == w or r["case_id"].startswith(w + "_") for w in wanted)]
    return rows


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--time-limit", type=float, default=300.0, help="HiGHS time limit per case (s)")
    ap.add_argument("--threads", type=int, default=1, help="HiGHS threads (0 = automatic)")
    ap.add_argument("--cases", default="", help="comma-separated case ids or prefixes, e.g. capa,capc_5000")
    ap.add_argument("--uflp", action="store_true", help="also run capa/capb/capc as UFLP")
    ap.add_argument(
        "--largest", type=int, default=0, help="also run capa_8000 with customers replicated K times"
    )
    ap.add_argument(
        "--in-process", action="store_true", help="no subprocess per case (peak memory accumulates)"
    )
    ap.add_argument("--out", type=Path, default=None, help="CSV path (default reports/bench_cflp_<time>.csv)")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker is not None:
        res = run_case(json.loads(args.worker), args.time_limit, args.threads)
        print("RESULT " + json.dumps(res))
        return 0

    cases = select_cases(args.cases, args.uflp)
    if args.largest > 1:
        cases.append(
            {
                "case_id": f"capa_8000_x{args.largest}",
                "problem": "CFLP",
                "file": "instances/capa.txt",
                "capacity_override": "8000",
                "optimal_value": "",
                "scale": str(args.largest),
            }
        )
    if not cases:
        print("no case selected")
        return 1
    print(f"{len(cases)} case(s), time limit {args.time_limit:g} s, threads {args.threads}", flush=True)
    results: list[dict[str, Any]] = []
    for case in cases:
        r = (
            run_case(case, args.time_limit, args.threads)
            if args.in_process
            else run_isolated(case, args.time_limit, args.threads)
        )
        results.append(r)
        print_row(r)

    out = args.out or REPO / "reports" / f"bench_cflp_{datetime.now():%Y%m%d-%H%M%S}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in results:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in COLUMNS})
    print(f"results written to {out}")
    solved = [r for r in results if r.get("objective") is not None and r.get("published") is not None]
    matched = sum(abs(r["diff"]) <= max(0.01, 1e-6 * abs(r["published"])) for r in solved)
    proven = sum(r.get("status") == "optimal" for r in solved)
    print(f"{matched}/{len(solved)} objectives equal the published optimum, {proven} proven optimal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
