"""Benchmark: single sourcing through the planner against the textbook formulation, same HiGHS.

OR-Library CFLP cases with every customer single-sourced (the single-source capacitated facility
location problem, SSCFLP). For each case it solves

* ``planner``  - the converted workbook plus one SourcingRules row per customer
  (``single_source``), through the whole pipeline (:func:`planner.api.solve_data`);
* ``textbook`` - ``min sum f_i y_i + sum a_ij x_ij``, ``sum_i x_ij = 1``,
  ``sum_j d_j x_ij <= s_i y_i``, ``x_ij <= y_i``, x and y binary, straight in highspy,

both to a 1e-9 gap with one thread, and prints the objectives (they must agree) and the
HiGHS seconds of each. The ratio says how much the planner's formulation (assignment
binaries and big-M links derived from the data, ``planner/model/bounds.py``) costs HiGHS.

Usage::

    python bench/bench_single_source.py                    # cap41 cap71 cap101 cap131
    python bench/bench_single_source.py --cases cap64,cap134 --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import time

import highspy
import numpy as np

from planner.api import SolveOptions, solve_data
from planner.benchmarks import benchmarks_dir, orlib_customer_id, orlib_to_input, read_orlib_cap


def textbook(inst) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    m, n = inst.n_sites, inst.n_customers
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 1e-9)
    ny = m
    h.addVars(ny + m * n, np.zeros(ny + m * n), np.ones(ny + m * n))
    cost = [inst.fixed_costs[i] for i in range(m)] + [inst.costs[i][j] for i in range(m) for j in range(n)]
    h.changeColsCost(len(cost), np.arange(len(cost)), np.array(cost, dtype=float))
    h.changeColsIntegrality(
        len(cost), np.arange(len(cost)), np.array([highspy.HighsVarType.kInteger] * len(cost))
    )

    def x(i: int, j: int) -> int:
        return ny + i * n + j

    for j in range(n):
        h.addRow(1.0, 1.0, m, np.array([x(i, j) for i in range(m)]), np.ones(m))
    for i in range(m):
        idx = [x(i, j) for j in range(n)] + [i]
        val = [inst.demands[j] for j in range(n)] + [-inst.capacities[i]]
        h.addRow(-highspy.kHighsInf, 0.0, len(idx), np.array(idx), np.array(val, dtype=float))
        for j in range(n):
            h.addRow(-highspy.kHighsInf, 0.0, 2, np.array([x(i, j), i]), np.array([1.0, -1.0]))
    t = time.perf_counter()
    h.run()
    return h.getInfo().objective_function_value, time.perf_counter() - t


def planner_case(inst) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    data = orlib_to_input(inst)
    rules = data["SourcingRules"]
    rows = [
        {"rule": f"ONE_{j}", "product": "X", "destination": orlib_customer_id(j), "single_source": True}
        for j in range(inst.n_customers)
    ]
    from planner.tables import from_records

    records = {
        name: frame.drop(columns=["_row"], errors="ignore").to_dict("records")
        for name, frame in data.tables.items()
    }
    records["SourcingRules"] = rows
    del rules
    sol = solve_data(
        from_records(records, dict(data.settings)), SolveOptions(mip_gap=1e-9, threads=1, time_limit=600)
    )
    return sol.objective, sol.timings["solve"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="cap41,cap71,cap101,cap131")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    root = benchmarks_dir() / "orlib_cflp" / "instances"
    print(f"{'case':<8} {'planner':>14} {'textbook':>14} {'planner s':>10} {'textbook s':>11} {'ratio':>6}")
    for case in args.cases.split(","):
        inst = read_orlib_cap(root / f"{case}.txt")
        runs_p = [planner_case(inst) for _ in range(args.repeat)]
        runs_t = [textbook(inst) for _ in range(args.repeat)]
        tp = statistics.median(r[1] for r in runs_p)
        tt = statistics.median(r[1] for r in runs_t)
        print(
            f"{case:<8} {runs_p[0][0]:>14,.2f} {runs_t[0][0]:>14,.2f} {tp:>10.2f} {tt:>11.2f} {tp / tt:>6.1f}"
        )


if __name__ == "__main__":
    main()
