"""SAA and out-of-sample replay on a sampled synthetic network (issue 17, items 3-4).

Usage: python bench/bench_saa.py [--sample 200] [--replications 5] [--evaluate 500] [--size small]

The synthetic network (planner.synthetic) gets a Distributions sheet: the approval share of the
heavy-oxide licence rule is uniform on [0, 1] and demand in every region is scaled by a triangular
factor (0.8, 1.0, 1.3), both from the reveal on, so every draw is a scenario of its own. Printed:
seconds for one sampled extensive-form solve of N draws, for `saa` (candidate, M replications,
evaluation on K draws) and for `replay` on K draws, and the SAA bounds.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from planner.api import solve_data
from planner.config import SolveOptions
from planner.replay import replay
from planner.saa import saa
from planner.sampling import sample_data
from planner.synthetic import synthetic_network
from planner.tables import InputData, from_records

SIZES = {
    "small": dict(mines=3, refineries=2, plants=2, regions=2, periods=5),
    "medium": dict(mines=6, refineries=4, plants=4, regions=3, periods=8),
}
FACTORS = [
    {
        "factor": "HRE_APPROVAL",
        "table": "ExportControls",
        "filter": "rule=HRE",
        "column": "approval_share",
        "distribution": "uniform",
        "low": 0.0,
        "high": 1.0,
    },
    {
        "factor": "DEMAND",
        "table": "Demand",
        "column": "quantity",
        "action": "multiply",
        "distribution": "triangular",
        "low": 0.8,
        "mode": 1.0,
        "high": 1.3,
    },
]


def sampled_network(size: str) -> InputData:
    data = synthetic_network(**SIZES[size], scenarios=1, seed=1)
    base = from_records({"Scenarios": [{"scenario": "BASE", "probability": 1.0}]})
    tables = {
        **data.tables,
        "Scenarios": base["Scenarios"],
        "ScenarioChanges": data["ScenarioChanges"].iloc[0:0],
        "Distributions": from_records({"Distributions": FACTORS})["Distributions"],
    }
    return replace(data, tables=tables)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--replications", type=int, default=5)
    ap.add_argument("--evaluate", type=int, default=500)
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    args = ap.parse_args()
    data = sampled_network(args.size)
    opts = SolveOptions(mip_gap=1e-4, time_limit=3600)

    t = time.perf_counter()
    sol = solve_data(sample_data(data, args.sample, 0), opts)
    one = time.perf_counter() - t
    print(f"one sampled extensive form, {args.sample} draws: {one:.1f} s (objective {sol.objective:,.1f})")

    t = time.perf_counter()
    r = saa(data, args.sample, args.replications, args.evaluate, seed=0, options=opts)
    print(
        f"saa N={args.sample} M={args.replications} K={args.evaluate}: {time.perf_counter() - t:.1f} s; "
        f"lower bound {r.lower_bound:,.1f} [{r.lower_bound_ci[0]:,.1f}, {r.lower_bound_ci[1]:,.1f}], "
        f"plan's cost {r.upper_bound:,.1f} [{r.upper_bound_ci[0]:,.1f}, {r.upper_bound_ci[1]:,.1f}], "
        f"gap <= {r.gap_ci_upper:,.1f} (95%)"
    )
    t = time.perf_counter()
    rp = replay(data, args.evaluate, seed=1, options=opts)
    print(f"replay K={args.evaluate}: {time.perf_counter() - t:.1f} s")
    print(rp.summary.to_string(index=False))


if __name__ == "__main__":
    main()
