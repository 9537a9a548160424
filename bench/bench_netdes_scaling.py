"""Benchmark: extensive-form size and time against the number of scenarios (netdes).

Takes one netdes network (default network-10-30-H-01: 10 nodes, 50 arcs, 30
scenarios) and builds and solves the extensive form for 1, 5, 20, 30 and 50
scenarios:

* n <= 30: the file's first n scenarios, probabilities renormalised to sum to 1
  (n = 30 is the published instance, so its objective is checked against the
  proven optimum);
* n > 30: the 30 scenarios cycled; copy c (c = 1, 2, ...) of scenario k has
  every unit cost multiplied by ``1 + 0.03 c`` (capacities and supplies are
  kept, so every copy stays feasible), with probabilities scaled so the total
  is 1. This is deterministic, so runs are comparable.

Prints, per scenario count: model size (rows/columns from the solver hand-off),
conversion, validation, network, model build and hand-off times, build time per
scenario, HiGHS time, total wall time, peak memory, objective, status and gap.

Usage::

    python bench/bench_netdes_scaling.py
    python bench/bench_netdes_scaling.py --instance network-10-30-L-01 --counts 1,10,100 --time-limit 120
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from planner.benchmarks import (
    NetdesInstance,
    NetdesScenario,
    benchmarks_dir,
    netdes_to_input,
    read_netdes,
    read_optimal_values,
)

REPO = Path(__file__).resolve().parent.parent


def with_scenarios(inst: NetdesInstance, count: int) -> NetdesInstance:
    """``inst`` with ``count`` scenarios: a prefix of its own, or its own cycled and perturbed."""
    k0 = inst.n_scenarios
    scenarios: list[NetdesScenario] = []
    weights: list[float] = []
    for k in range(count):
        base = inst.scenarios[k % k0]
        copy = k // k0
        if copy == 0:
            scenarios.append(base)
        else:
            fc = 1.0 + 0.03 * copy
            cost = tuple(tuple(v * fc for v in row) for row in base.cost)
            scenarios.append(NetdesScenario(cost=cost, capacity=base.capacity, supply=base.supply))
        weights.append(inst.probabilities[k % k0])
    total = sum(weights)
    return replace(
        inst,
        name=f"{inst.name}_s{count}",
        scenarios=tuple(scenarios),
        probabilities=tuple(w / total for w in weights),
    )


def _peak_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024.0 if sys.platform != "darwin" else rss / 2**20


def run(inst: NetdesInstance, time_limit: float, threads: int) -> dict[str, Any]:
    """Convert, build and solve one variant; return the measurements."""
    from planner.api import SolveOptions, solve_data

    t0 = time.perf_counter()
    data = netdes_to_input(inst, time_limit=time_limit)
    convert = time.perf_counter() - t0
    sol = solve_data(data, SolveOptions(mip_gap=1e-9, time_limit=time_limit, threads=threads))
    total = time.perf_counter() - t0
    tm = sol.timings
    result = sol.extra.get("solve_result")
    highs = getattr(result, "highs", None)
    rows = cols = None
    if highs is not None:
        lp = highs.getLp()
        rows, cols = int(lp.num_row_), int(lp.num_col_)
    n = inst.n_scenarios
    prep = tm.get("validate", 0.0) + tm.get("network", 0.0) + tm.get("build", 0.0) + tm.get("handoff", 0.0)
    return {
        "scenarios": n,
        "rows": rows,
        "cols": cols,
        "changes": len(data["ScenarioChanges"]),
        "convert_s": convert,
        "validate_s": tm.get("validate"),
        "network_s": tm.get("network"),
        "build_s": tm.get("build"),
        "handoff_s": tm.get("handoff"),
        "prep_per_scenario_s": prep / n,
        "highs_s": tm.get("solve"),
        "total_s": total,
        "peak_mb": _peak_mb(),
        "objective": sol.objective,
        "status": sol.status,
        "gap": sol.gap,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instance", default="network-10-30-H-01", help="netdes case id")
    ap.add_argument("--counts", default="1,5,20,30,50", help="comma-separated scenario counts")
    ap.add_argument("--time-limit", type=float, default=300.0, help="HiGHS time limit per run (s)")
    ap.add_argument("--threads", type=int, default=1, help="HiGHS threads (0 = automatic)")
    ap.add_argument(
        "--out", type=Path, default=None, help="CSV path (default reports/bench_netdes_<time>.csv)"
    )
    args = ap.parse_args(argv)

    root = benchmarks_dir() / "netdes"
    inst = read_netdes(root / "instances" / f"{args.instance}.dat")
    published = {
        r["case_id"]: float(r["optimal_value"]) for r in read_optimal_values(root / "optimal_values.csv")
    }
    counts = [int(c) for c in args.counts.split(",") if c.strip()]
    print(
        f"{inst.name}: {inst.n_nodes} nodes, {len(inst.arcs)} arcs, {inst.n_scenarios} scenarios in the file; "
        f"time limit {args.time_limit:g} s, threads {args.threads}",
        flush=True,
    )
    results: list[dict[str, Any]] = []
    for n in counts:
        r = run(with_scenarios(inst, n), args.time_limit, args.threads)
        if n == inst.n_scenarios and inst.name in published:
            r["published"] = published[inst.name]
        results.append(r)
        check = (
            f"  published {r['published']:.1f} diff {r['objective'] - r['published']:+.3f}"
            if "published" in r
            else ""
        )
        print(
            f"S={n:<4} rows {r['rows']:>6} cols {r['cols']:>6}  convert {r['convert_s']:.2f}s  "
            f"validate {r['validate_s']:.2f}s  network {r['network_s']:.2f}s  build {r['build_s']:.2f}s  "
            f"handoff {r['handoff_s']:.2f}s  per scenario {1000 * r['prep_per_scenario_s']:.1f} ms  "
            f"highs {r['highs_s']:.2f}s  total {r['total_s']:.2f}s  peak {r['peak_mb']:.0f} MB  "
            f"obj {r['objective']:.2f}  {r['status']}  gap {r['gap']:.1e}{check}",
            flush=True,
        )
    out = args.out or REPO / "reports" / f"bench_netdes_{datetime.now():%Y%m%d-%H%M%S}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    cols = list(results[0]) + (["published"] if "published" not in results[0] else [])
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(results)
    print(f"results written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
