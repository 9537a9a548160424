"""Days-of-cover targets. See models/formulation.md#inventory."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.network import Network


def cover_index(net: Network, ix: ModelIndex) -> tuple[list[tuple[str, str, int, str]], set[tuple[str, str]]]:
    """Inventory keys with a cover target, and the (site, product) pairs whose target is soft."""
    targets = {
        (n, p): bool(net.inventory.at[(n, p), "cover_hard"])
        for n, p in net.inventory.index
        if float(net.inventory.at[(n, p), "cover_days"]) > 0
    }
    keys = [k for k in ix.inventory if (k[0], k[1]) in targets]
    soft = {np_ for np_, hard in targets.items() if not hard}
    return keys, soft


def add_inventory_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""End-of-period stock covers a number of days of the period's demand and use.

    .. math::
        I_{n,p,t} + S^{cov}_{n,p,t} \ge \frac{\delta^{cov}_{n,p}}{\ell}
        \Big(\sum_{d} D_{d,t} + \sum_k a^{in}_{k,p} X_{n,k,t}\Big) \qquad (\texttt{c\_inventory\_cover})

    :math:`S^{cov}` exists only for soft targets (penalised by Settings.cover_penalty).
    """
    keys, soft = cover_index(net, ix)
    length = float(net.settings["period_length_days"])

    def rule(_m: Any, n: str, p: str, t: int, w: str) -> Any:
        factor = float(net.inventory.at[(n, p), "cover_days"]) / length
        use = sum(net.p("Demand", "quantity", d, t, w) for d in ix.demand_at.get((n, p, t), ()))
        use_expr = factor * use
        for proc, q in ix.consume.get((n, p), ()):
            if (n, proc, t, w) in ix.activity_set:
                use_expr = use_expr + factor * q * m.v_activity[n, proc, t, w]
        lhs = m.v_inventory[n, p, t, w]
        if (n, p) in soft:
            lhs = lhs + m.v_cover_short[n, p, t, w]
        return lhs >= use_expr

    m.c_inventory_cover = pyo.Constraint(keys, rule=rule, doc="days-of-cover target")
