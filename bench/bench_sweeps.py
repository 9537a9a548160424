"""A sweep on one built model against k cold builds and solves (issue 7).

Usage: python bench/bench_sweeps.py [--size medium] [--repeat 3]

Days-of-cover curve (0, 30, 60, 90, 180 days) and a 5-point cost-risk frontier on a synthetic
network: median seconds of the sweep (one build, one hand-off, k warm re-solves) and of k
cold runs (build + hand-off + solve each), and their ratio.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time

from planner.config import SolveOptions
from planner.model.build import build_model
from planner.model.sweeps import cover_curve, cover_policy_rows, frontier
from planner.network import build_network
from planner.solve import solve_model
from planner.synthetic import synthetic_network

SIZES = {
    "small": dict(mines=6, refineries=4, plants=4, regions=3, periods=8, scenarios=3),
    "medium": dict(mines=12, refineries=8, plants=8, regions=6, periods=12, scenarios=4),
}
DAYS = [0.0, 30.0, 60.0, 90.0, 180.0]
WEIGHTS = [0.0, 0.25, 0.5, 0.75, 1.0]


def cold_cover(net, opts):  # type: ignore[no-untyped-def]
    for level in DAYS:
        pol = copy.copy(net)
        inv = net.inventory.copy()
        for k in cover_policy_rows(net):
            inv.at[k, "cover_days"] = max(level, 1e-9)
        pol.inventory = inv
        pol.settings = {**net.settings, "cover_penalty": 5e3}
        solve_model(build_model(pol), opts)


def cold_frontier(net, opts):  # type: ignore[no-untyped-def]
    for w in WEIGHTS:
        pol = copy.copy(net)
        pol.settings = {**net.settings, "risk_weight": w / max(1e-6, 1 - w) if w < 1 else 1e6}
        solve_model(build_model(pol), opts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="medium")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    net = build_network(synthetic_network(**SIZES[args.size]))
    opts = SolveOptions(mip_gap=0.01, time_limit=120, threads=0, random_seed=0)
    runs = {
        "cover sweep": lambda: cover_curve(net, DAYS, opts, penalty=5e3),
        "cover cold": lambda: cold_cover(net, opts),
        "frontier sweep": lambda: frontier(net, WEIGHTS, opts),
        "frontier cold": lambda: cold_frontier(net, opts),
    }
    med = {}
    for name, fn in runs.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        med[name] = statistics.median(times)
        print(f"{name:15s} median {med[name]:7.2f} s over {args.repeat} runs", flush=True)
    for kind in ("cover", "frontier"):
        print(f"{kind}: cold / sweep = {med[kind + ' cold'] / med[kind + ' sweep']:.2f}x")


if __name__ == "__main__":
    main()
