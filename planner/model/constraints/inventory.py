"""Stock limits (tagged mode) and days-of-cover targets. See models/formulation.md#inventory."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.model.variables import inventory_bounds_table
from planner.network import Network


def cover_index(net: Network, ix: ModelIndex) -> tuple[list[tuple[str, str, int, str]], set[tuple[str, str]]]:
    """Total-inventory keys with a cover target, and the (site, product) pairs whose target is soft."""
    targets = {
        (n, p): bool(net.inventory.at[(n, p), "cover_hard"])
        for n, p in net.inventory.index
        if float(net.inventory.at[(n, p), "cover_days"]) > 0
    }
    keys = [k for k in ix.inventory_total if (k[0], k[1]) in targets]
    soft = {np_ for np_, hard in targets.items() if not hard}
    return keys, soft


def _total(m: Any, ix: ModelIndex, by_total: dict[Any, list[Any]], key: tuple[str, str, int, str]) -> Any:
    return sum(m.v_inventory[k] for k in by_total[key])


def add_inventory_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Stock limits on the total over tags, and days-of-cover targets.

    .. math::
        \underline I_{n,p,t} \le \sum_g I_{n,p,g,t} \le \bar I_{n,p} \qquad (\texttt{c\_inventory\_level},
        \text{tagged mode; otherwise variable bounds})

    .. math::
        \sum_g I_{n,p,g,t} + S^{cov}_{n,p,t} \ge \frac{\delta^{cov}_{n,p}}{\ell_t}
        \Big(\sum_{d} D_{d,t} + \sum_{k,g} a^{in}_{k,p} X_{n,k,g,t}\Big) \qquad (\texttt{c\_inventory\_cover})

    :math:`S^{cov}` exists only for soft targets (penalised by Settings.cover_penalty). The daily use
    of period t is its demand and use over its own length :math:`\ell_t = w_t \ell`: the mutable
    ``p_cover_factor`` holds :math:`\delta^{cov}/\ell` (reference length) and the row divides by :math:`w_t`.
    """
    by_total: dict[tuple[str, str, int, str], list[Any]] = defaultdict(list)
    for k in ix.inventory:
        by_total[(k[0], k[1], k[3], k[4])].append(k)

    if ix.tagged:
        stock_limits = inventory_bounds_table(net)
        last = len(net.periods) - 1

        def level_rule(_m: Any, n: str, p: str, t: int, w: str) -> Any:
            lo, hi = stock_limits[(n, p, t == last)]
            return (lo, _total(m, ix, by_total, (n, p, t, w)), hi)

        m.c_inventory_level = pyo.Constraint(ix.inventory_total, rule=level_rule, doc="stock limits")

    keys, soft = cover_index(net, ix)
    length = float(net.settings["period_length_days"])
    # mutable, so that a days-of-cover sweep can change it and re-solve without rebuilding
    m.p_cover_factor = pyo.Param(
        sorted({(k[0], k[1]) for k in keys}),
        mutable=True,
        initialize=lambda _m, n, p: float(net.inventory.at[(n, p), "cover_days"]) / length,
        doc="cover days / reference period length",
    )

    def rule(_m: Any, n: str, p: str, t: int, w: str) -> Any:
        factor = m.p_cover_factor[n, p]
        if net.period_weight[t] != 1.0:
            factor = factor / net.period_weight[t]  # cover_days / length_t
        use = sum(net.p("Demand", "quantity", d, t, w) for d in ix.demand_at.get((n, p, t), ()))
        use_expr = factor * use
        for proc, q in ix.consume.get((n, p), ()):
            for g in ix.tags:
                if (n, proc, g, t, w) in ix.activity_set:
                    use_expr = use_expr + factor * q * m.v_activity[n, proc, g, t, w]
        lhs = _total(m, ix, by_total, (n, p, t, w))
        if (n, p) in soft:
            lhs = lhs + m.v_cover_short[n, p, t, w]
        return lhs >= use_expr

    m.c_inventory_cover = pyo.Constraint(keys, rule=rule, doc="days-of-cover target")
    add_stock_targets(m, net, ix, by_total)


def add_stock_targets(m: Any, net: Network, ix: ModelIndex, by_total: dict[Any, list[Any]]) -> None:
    r"""Breachable floors and the closing-stock target.

    .. math::
        \sum_g I_{n,p,g,t} + S^{floor}_{n,p,t} \ge \underline I_{n,p} \qquad (\texttt{c\_inventory\_floor},
        \text{pairs with a floor penalty})

    .. math::
        \sum_g I_{n,p,g,T} + S^{close}_{n,p} \ge \kappa\, I^0_{n,p} \qquad (\texttt{c\_inventory\_closing})

    :math:`S^{floor}` costs Inventory.floor_penalty per unit and period, :math:`S^{close}` the
    product's value (its replacement cost) at the end of the horizon; :math:`\kappa` is
    Settings.closing_stock_share.
    """
    last = len(net.periods) - 1
    share = float(net.settings.get("closing_stock_share", 1.0))

    def floor_rule(_m: Any, n: str, p: str, t: int, w: str) -> Any:
        target = float(net.inventory.at[(n, p), "min_stock"])
        return _total(m, ix, by_total, (n, p, t, w)) + m.v_floor_short[n, p, t, w] >= target

    m.c_inventory_floor = pyo.Constraint(
        list(m.v_floor_short.index_set()), rule=floor_rule, doc="breachable floor"
    )

    def closing_rule(_m: Any, n: str, p: str, w: str) -> Any:
        target = share * float(net.inventory.at[(n, p), "initial_stock"])
        return _total(m, ix, by_total, (n, p, last, w)) + m.v_closing_short[n, p, w] >= target

    m.c_inventory_closing = pyo.Constraint(
        list(m.v_closing_short.index_set()), rule=closing_rule, doc="closing-stock target"
    )
