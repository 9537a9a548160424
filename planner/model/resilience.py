"""Resilience LPs: time to survive, performance impact, stockpile sizing. See models/formulation.md#resilience.

All three share one block of constraints over a window of length :math:`t` periods,
built by :func:`_window` on the rates of :class:`planner.resilience.Rates`:

.. math::
    u_{n,p} + \\sum_{l \\to n} F_{l,p} + \\sum_k a^{out}_{k,p} X_k + \\sum_c B_c
    - \\sum_{l \\from n} F_{l,p} - \\sum_k a^{in}_{k,p} X_k \\ge d_{n,p}\\, t - U_{n,p}

.. math::
    X_k \\le \\bar x_k t,\\quad \\sum_p F_{l,p} \\le \\bar f_l t,\\quad B_c \\le \\bar b_c t,\\quad
    u_{n,p} \\le s^0_{n,p} + s_{n,p}

with everything at a cut site, on a lane touching it or on a lane covered by a cut
licence fixed to 0.
"""

from __future__ import annotations

import math
from typing import Any

import pyomo.environ as pyo

from planner.config import SolveOptions
from planner.resilience import Node, Rates
from planner.solve import solve_model

T_CAP = 1000.0
"""TTS at or above this many periods is reported as covered (the network outlasts the outage)."""


def _window(
    b: Any,
    r: Rates,
    node: Node | None,
    t: Any,
    shortage: bool,
    extra_stock: Any = None,
) -> None:
    """Add the survival constraints for one cut node to block ``b`` (window length ``t``: a number or a Var)."""
    down_sites = set(node.sites) if node else set()
    down_lanes = {lane for rule in (node.rules if node else ()) for lane in r.licence_lanes.get(rule, set())}
    procs = [k for k in r.processes if k[0] not in down_sites]
    lanes = {
        lane: v
        for lane, v in r.lanes.items()
        if v[0] not in down_sites and v[1] not in down_sites and lane not in down_lanes
    }
    contracts = {c: v for c, v in r.contracts.items() if v[0] not in down_sites}
    pairs = sorted(r.pairs())
    b.X = pyo.Var(procs, domain=pyo.NonNegativeReals)
    flow_keys = [(lane, p) for lane, (_o, _d, prods, _c) in lanes.items() for p in prods]
    b.F = pyo.Var(flow_keys, domain=pyo.NonNegativeReals)
    b.B = pyo.Var(list(contracts), domain=pyo.NonNegativeReals)
    stock_keys = [k for k in r.stock if k[0] not in down_sites]
    b.u = pyo.Var(stock_keys, domain=pyo.NonNegativeReals)
    demand_keys = [k for k in pairs if r.demand.get(k, 0.0) > 0]
    b.U = pyo.Var(demand_keys if shortage else [], domain=pyo.NonNegativeReals)

    def balance(_b: Any, n: str, p: str) -> Any:
        expr = 0.0
        if (n, p) in b.u:
            expr += b.u[n, p]
        for lane, (o, d, prods, _c) in lanes.items():
            if p in prods:
                if d == n:
                    expr += b.F[lane, p]
                if o == n:
                    expr -= b.F[lane, p]
        for site, proc in procs:
            if site != n:
                continue
            for q_p, q in r.recipe_out[proc]:
                if q_p == p:
                    expr += q * b.X[site, proc]
            for q_p, q in r.recipe_in[proc]:
                if q_p == p:
                    expr -= q * b.X[site, proc]
        for c, (s, cp, _m) in contracts.items():
            if s == n and cp == p:
                expr += b.B[c]
        need = r.demand.get((n, p), 0.0) * t
        if shortage and (n, p) in b.U:
            expr += b.U[n, p]
        if isinstance(expr, float) and isinstance(need, float):
            return pyo.Constraint.Feasible if expr >= need - 1e-9 else pyo.Constraint.Infeasible
        return expr >= need

    b.balance = pyo.Constraint(pairs, rule=balance)
    b.cap_process = pyo.Constraint(
        [k for k in procs if not math.isinf(r.processes[k])],
        rule=lambda _b, n, k: b.X[n, k] <= r.processes[(n, k)] * t,
    )
    b.cap_lane = pyo.Constraint(
        [lane for lane, v in lanes.items() if not math.isinf(v[3]) and v[2]],
        rule=lambda _b, lane: sum(b.F[lane, p] for p in lanes[lane][2]) <= lanes[lane][3] * t,
    )
    b.cap_contract = pyo.Constraint(
        [c for c, v in contracts.items() if not math.isinf(v[2])],
        rule=lambda _b, c: b.B[c] <= contracts[c][2] * t,
    )
    b.stock = pyo.Constraint(
        stock_keys,
        rule=lambda _b, n, p: (
            b.u[n, p]
            <= r.stock[(n, p)]
            + (extra_stock[n, p] if extra_stock is not None and (n, p) in extra_stock else 0.0)
        ),
    )


def time_to_survive(r: Rates, node: Node, options: SolveOptions | None = None) -> float:
    """TTS of ``node`` in periods; ``math.inf`` when demand can be met indefinitely without it."""
    m = pyo.ConcreteModel()
    m.t = pyo.Var(bounds=(0.0, T_CAP))
    _window(m, r, node, m.t, shortage=False)
    m.objective = pyo.Objective(expr=m.t, sense=pyo.maximize)
    solve_model(m, options or SolveOptions())
    value = float(m.t.value or 0.0)
    return math.inf if value >= T_CAP * (1 - 1e-9) else value


def performance_impact(
    r: Rates, node: Node, ttr: float, options: SolveOptions | None = None
) -> tuple[float, float]:
    """(penalty cost, tonnes short) of the best response while ``node`` is down for ``ttr`` periods."""
    m = pyo.ConcreteModel()
    _window(m, r, node, float(ttr), shortage=True)
    m.objective = pyo.Objective(expr=sum(r.penalty.get(k, 0.0) * m.U[k] for k in m.U), sense=pyo.minimize)
    solve_model(m, options or SolveOptions())
    short = sum(float(m.U[k].value or 0.0) for k in m.U)
    return float(pyo.value(m.objective)), short


def size_stockpile(
    r: Rates, nodes: list[Node], options: SolveOptions | None = None
) -> tuple[dict[tuple[str, str], float], float, dict[str, float]]:
    """Cheapest extra stock at the storage sites so that every node with a TTR is survived (TTS >= TTR).

    One LP: a copy of the window per node, the extra stock :math:`s_{n,p}` shared. Shortage the
    stock cannot prevent (no storage where it is needed) stays possible at its penalty and is
    returned per node. Returns (extra stock by (site, product), its cost, tonnes short by node).
    """
    with_ttr = [n for n in nodes if n.ttr is not None and n.ttr > 0]
    m = pyo.ConcreteModel()
    keys = list(r.storage)
    m.s = pyo.Var(
        keys,
        domain=pyo.NonNegativeReals,
        bounds=lambda _m, n, p: (0.0, None if math.isinf(r.storage[(n, p)][1]) else r.storage[(n, p)][1]),
    )
    m.cases = pyo.Block(range(len(with_ttr)))
    for i, node in enumerate(with_ttr):
        _window(m.cases[i], r, node, float(node.ttr or 0.0), shortage=True, extra_stock=m.s)
    cost = sum(r.storage[k][0] * m.s[k] for k in keys)
    penalty = sum(r.penalty.get(k, 0.0) * m.cases[i].U[k] for i in range(len(with_ttr)) for k in m.cases[i].U)
    m.objective = pyo.Objective(expr=cost + penalty, sense=pyo.minimize)
    solve_model(m, options or SolveOptions())
    stock = {k: float(m.s[k].value or 0.0) for k in keys}
    short = {
        node.name: sum(float(m.cases[i].U[k].value or 0.0) for k in m.cases[i].U)
        for i, node in enumerate(with_ttr)
    }
    return stock, float(pyo.value(cost)) if keys else 0.0, short
