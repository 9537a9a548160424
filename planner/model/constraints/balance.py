"""Mass balance per site, product, period and node. See models/formulation.md#balance."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.network import Network


def add_balance_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Material in equals material out at every site, product, period and node.

    .. math::
        I_{n,p,t-1} + \sum_{l \in L^{in}_{n,p,t}} F_{l,p,t-\tau_l} + \sum_k a^{out}_{k,p} X_{n,k,t}
        + \sum_{c} B_{c,t}
        = I_{n,p,t} + \sum_{l \in L^{out}_{n}} F_{l,p,t} + \sum_k a^{in}_{k,p} X_{n,k,t}
        + \sum_{d} (D_{d,t} - U_{d}) + W_{n,p,t}

    with :math:`I_{n,p,-1}` the initial stock (``c_balance``).
    """
    inv0 = {k: float(v) for k, v in net.inventory["initial_stock"].items()}

    def rule(_m: Any, n: str, p: str, t: int, w: str) -> Any:
        lhs = 0.0
        const = 0.0  # constant inflow - constant outflow
        if (n, p) in inv0:
            if t == 0:
                const += inv0[(n, p)]
            else:
                lhs -= m.v_inventory[n, p, t - 1, ix.prev_node(net, t, w)]
            lhs += m.v_inventory[n, p, t, w]
        for key in ix.arrivals.get((n, p, t, w), ()):
            lhs -= m.v_flow[key]
        for key in ix.departures.get((n, p, t, w), ()):
            lhs += m.v_flow[key]
        for proc, q in ix.produce.get((n, p), ()):
            if (n, proc, t, w) in ix.activity_set:
                lhs -= q * m.v_activity[n, proc, t, w]
        for proc, q in ix.consume.get((n, p), ()):
            if (n, proc, t, w) in ix.activity_set:
                lhs += q * m.v_activity[n, proc, t, w]
        for c in ix.purchases_at.get((n, p), ()):
            if (c, t, w) in ix.purchase_set:
                lhs -= m.v_purchase[c, t, w]
        for d in ix.demand_at.get((n, p, t), ()):
            const -= net.p("Demand", "quantity", d, t, w)
            lhs -= m.v_shortage[d, w]
        if (n, p, t, w) in ix.disposal_set:
            lhs += m.v_disposal[n, p, t, w]
        if isinstance(lhs, float):
            return pyo.Constraint.Feasible
        # variable outflow - variable inflow == constant inflow - constant outflow
        return lhs == const

    m.c_balance = pyo.Constraint(ix.balance, rule=rule, doc="mass balance")
