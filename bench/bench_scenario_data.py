"""Scenario data at scale (issue #17 item 7): validate, network build and model build per family.

Two synthetic cases (:mod:`planner.synthetic`):

* ``changes``: a 50-node network (15 mines, 12 refineries, 12 plants, 11 regions), 24 periods,
  30 scenarios and 82,603 ScenarioChanges rows; times ``planner.validate.validate`` and
  ``planner.network.build_network``.
* ``model``: the ``large`` case of ``bench/bench_model_size.py`` (about 134k variables); times the
  network build and ``build_model`` split by constraint family (the build steps of
  :func:`planner.model.build.build_model`, run one by one).

Usage::

    python bench/bench_scenario_data.py                    # both cases, 3 runs each
    python bench/bench_scenario_data.py --cases changes --repeat 5
    python bench/bench_scenario_data.py --cases model --profile   # cProfile of one model build

Prints medians over ``--repeat`` runs of CPU seconds of this process (``time.process_time``: the
work is single-threaded, so on an idle machine it is the wall time; on the shared machine wall time
follows the load). Compare ratios.

Measured 2026-11-29 on the shared 2-core machine (load 5-8), medians of 3, before -> after the
changes of issue #17 item 7: validate 44.35 s -> 3.04 s, build_network 20.41 s -> 1.77 s
(82,603 rows); at 133,786 variables add_lane_open_constraints 2.65 s -> 0.25 s, build_model
6.40 s -> 4.53 s.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from collections.abc import Callable
from typing import Any

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.model.build import CONSTRAINT_FAMILIES
from planner.model.constraints.inventory import cover_index
from planner.model.constraints.sourcing import sourcing_sets
from planner.model.index import build_index
from planner.model.objective import add_objective
from planner.model.variables import add_variables
from planner.network import build_network
from planner.synthetic import synthetic_network
from planner.validate import validate

CHANGES_CASE = dict(
    mines=15, refineries=12, plants=12, regions=11, periods=24, scenarios=30, scenario_changes=82_573
)
MODEL_CASE = dict(mines=60, refineries=40, plants=40, regions=30, periods=16, scenarios=10)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


def changes_case() -> dict[str, float]:
    data = synthetic_network(**CHANGES_CASE)
    t_validate, issues = timed(lambda: validate(data))
    errors = [i for i in issues if i.severity == "error"]
    assert not errors, errors[:3]
    t_network, _ = timed(lambda: build_network(data))
    return {"rows": float(len(data["ScenarioChanges"])), "validate": t_validate, "network": t_network}


def model_steps(net: Any) -> dict[str, float]:
    """Seconds of each step of build_model (same steps, same order)."""
    out: dict[str, float] = {}
    scen = list(net.scenarios)
    t_all = time.process_time()
    with PauseGC():
        m = pyo.ConcreteModel(name="planner")
        t0 = time.process_time()
        ix = build_index(net, scen)
        m.idx = ix
        m.net = net
        m.sourcing_sets = sourcing_sets(net, ix)
        m.idx_assign = [(r, o) for r, o in m.sourcing_sets.assign if r not in net.wait_rules]
        m.idx_assign_wait = [
            (r, o, s) for r, o in m.sourcing_sets.assign if r in net.wait_rules for s in ix.reveal_nodes
        ]
        keys, soft = cover_index(net, ix)
        m.idx_cover_soft = [k for k in keys if (k[0], k[1]) in soft]
        out["index"] = time.process_time() - t0
        out["variables"], _ = timed(lambda: add_variables(m, net, ix))
        for family in CONSTRAINT_FAMILIES:
            out[family.__name__.removeprefix("add_")], _ = timed(lambda f=family: f(m, net, ix))
        out["objective"], _ = timed(lambda: add_objective(m, net, ix))
    out["model"] = time.process_time() - t_all
    out["vars"] = float(sum(1 for _ in m.component_data_objects(pyo.Var)))
    return out


def model_case(profile: bool) -> dict[str, float]:
    data = synthetic_network(**MODEL_CASE)
    t_network, net = timed(lambda: build_network(data))
    if profile:
        prof = cProfile.Profile()
        prof.enable()
    out = model_steps(net)
    if profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    out["network"] = t_network
    out["total"] = t_network + out["model"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="changes,model")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="cProfile one model build (model case)")
    args = ap.parse_args()
    for case in args.cases.split(","):
        if case == "changes":
            runs = [changes_case() for _ in range(args.repeat)]
        else:
            runs = [model_case(args.profile) for _ in range(1 if args.profile else args.repeat)]
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(
            f"{case}: "
            + "  ".join(
                f"{k} {v:,.0f}" if k in ("rows", "vars") else f"{k} {v:.2f}s" for k, v in med.items()
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
