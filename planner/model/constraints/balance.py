"""Mass balance per site, product, origin tag, period and node. See models/formulation.md#balance."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.model.linear import linear_sum
from planner.network import Network


def add_balance_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Material in equals material out at every site, product, tag, period and node.

    .. math::
        I_{n,p,g,t-1} + \sum_{l \in L^{in}} F_{l,p,g,t-\tau_l} + \mathrm{Prod}_{n,p,g,t} + \sum_{c \notin C^{sell}} B_{c,t}
        = I_{n,p,g,t} + \sum_{l \in L^{out}} F_{l,p,g,t} + \mathrm{Use}_{n,p,g,t} + \mathrm{Served}_{n,p,g,t}
        + W_{n,p,g,t} + \sum_{c \in C^{sell}} B_{c,t}

    with :math:`I_{n,p,g,-1}` the initial stock (``c_balance_node``). Untagged:
    :math:`\mathrm{Prod} = \sum_k a^{out}_{k,p} X_{n,k,t}`, :math:`\mathrm{Use} = \sum_k a^{in}_{k,p} X_{n,k,t}`,
    :math:`\mathrm{Served} = \sum_d (D_{d,t} - U_d)`. Tagged: production goes to the
    variant's tag, use is :math:`\sum_{k,g'} E_{n,k,g',p,g,t}` and served is :math:`\sum_d S_{d,g}`.
    """
    inv0 = {k: float(v) for k, v in net.inventory["initial_stock"].items()}
    use_by: dict[tuple[str, str, str, int, str], list[Any]] = defaultdict(list)
    for ukey in ix.use:
        use_by[(ukey[0], ukey[3], ukey[4], ukey[5], ukey[6])].append(ukey)
    serve_by: dict[tuple[int, str, str], Any] = {(d, g, w): (d, g, w) for d, g, w in ix.serve}

    def rule(_m: Any, n: str, p: str, g: str, t: int, w: str) -> Any:
        out: list[tuple[float, Any]] = []  # variable outflow - variable inflow, as (coefficient, variable)
        const = 0.0  # constant inflow - constant outflow
        if (n, p, g, t, w) in ix.inventory_set:
            if t == 0:
                if ix.initial_tag.get((n, p)) == g:
                    const += inv0[(n, p)]
            else:
                out.append((-1.0, m.v_inventory[n, p, g, t - 1, ix.prev_node(net, t, w)]))
            out.append((1.0, m.v_inventory[n, p, g, t, w]))
        for key in ix.arrivals.get((n, p, g, t, w), ()):
            out.append((-1.0, m.v_flow[key]))
        for key in ix.departures.get((n, p, g, t, w), ()):
            out.append((1.0, m.v_flow[key]))
        for proc, q in ix.produce.get((n, p), ()):
            if (n, proc, g, t, w) in ix.activity_set:
                out.append((-q, m.v_activity[n, proc, g, t, w]))
        if ix.tagged:
            for key in use_by.get((n, p, g, t, w), ()):
                out.append((1.0, m.v_use[key]))
        else:
            for proc, q in ix.consume.get((n, p), ()):
                if (n, proc, g, t, w) in ix.activity_set:
                    out.append((q, m.v_activity[n, proc, g, t, w]))
        for c in ix.purchases_at.get((n, p), ()):
            if (c, t, w) in ix.purchase_set and ix.purchase_tag[c] == g:
                out.append((-1.0, m.v_purchase[c, t, w]))
        for c in ix.sales_at.get((n, p), ()):
            if (c, t, w) in ix.purchase_set and ix.purchase_tag[c] == g:
                out.append((1.0, m.v_purchase[c, t, w]))
        for d in ix.demand_at.get((n, p, t), ()):
            if ix.tagged:
                if (d, g, w) in serve_by:
                    out.append((1.0, m.v_serve[d, g, w]))
            else:
                const -= net.p("Demand", "quantity", d, t, w)
                out.append((-1.0, m.v_shortage[d, w]))
        if (n, p, g, t, w) in ix.disposal_set:
            out.append((1.0, m.v_disposal[n, p, g, t, w]))
        lhs = linear_sum(out)
        if isinstance(lhs, float):
            return pyo.Constraint.Feasible
        return lhs == const

    m.c_balance_node = pyo.Constraint(ix.balance, rule=rule, doc="mass balance")

    if ix.tagged:

        def serve_rule(_m: Any, d: int, w: str) -> Any:
            t = ix.demand_period[d]
            served = sum(m.v_serve[d, g, w] for g in ix.tags if (d, g, w) in serve_by)
            return served + m.v_shortage[d, w] == net.p("Demand", "quantity", d, t, w)

        m.c_balance_demand = pyo.Constraint(ix.shortage, rule=serve_rule, doc="demand served or short")
