"""Origin content through recipes (tagged mode). See models/formulation.md#content."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.model.index import CONTROLLED, PARTIAL, ModelIndex
from planner.network import Network, _blank


def content_threshold(net: Network) -> float:
    """The smallest content threshold of the content rules (the strictest)."""
    ec = net.data["ExportControls"]
    values = [
        float(r.content_threshold) for r in ec.itertuples(index=False) if not _blank(r.content_threshold)
    ]
    return min(values) if values else 0.0


def add_content_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Inputs of each process variant, by tag, and the content limit of partial output.

    .. math::
        \sum_h E_{n,k,g,p,h,t} = a^{in}_{k,p}\, X_{n,k,g,t} \qquad (\texttt{c\_content\_use})

    .. math::
        \sum_p v_p\, (E_{n,k,P,p,C,t} + \theta\, E_{n,k,P,p,P,t}) \le \theta \sum_p v_p\, a^{in}_{k,p}\, X_{n,k,P,t}
        \qquad (\texttt{c\_content\_share})

    Output of a variant inherits its tag :math:`g`. The partial variant P may carry controlled
    content below the threshold :math:`\theta` (by value :math:`v_p`, Products.value; by mass
    where every input value is 0): C inputs count in full and P inputs at :math:`\theta`, so
    content accumulates across stages. The free variant F uses F inputs only (the index has no
    other), the controlled variant C anything.
    """
    if not ix.tagged:
        return
    uses: dict[tuple[str, str, str, str, int, str], list[Any]] = defaultdict(list)
    for key in ix.use:
        n, k, g, p, h, t, w = key
        uses[(n, k, g, p, t, w)].append(key)
    use_index = [(n, k, g, p, t, w) for (n, k, g, t, w) in ix.activity for p, _q in net.recipe_in[k]]
    qty = {(k, p): q for k in net.recipe_in for p, q in net.recipe_in[k]}

    def use_rule(_m: Any, n: str, k: str, g: str, p: str, t: int, w: str) -> Any:
        keys = uses.get((n, k, g, p, t, w), [])
        lhs = sum(m.v_use[u] for u in keys) if keys else 0.0
        return lhs == qty[(k, p)] * m.v_activity[n, k, g, t, w]

    m.c_content_use = pyo.Constraint(use_index, rule=use_rule, doc="inputs of a variant by tag")

    theta = content_threshold(net)
    share_index = [key for key in ix.activity if key[2] == PARTIAL and net.recipe_in[key[1]]]

    def share_rule(_m: Any, n: str, k: str, g: str, t: int, w: str) -> Any:
        values = {p: net.p("Products", "value", p, t, w) for p, _q in net.recipe_in[k]}
        weight = values if any(values.values()) else {p: 1.0 for p in values}
        counted = {CONTROLLED: 1.0, PARTIAL: theta}
        controlled = sum(
            weight[p] * counted[u[4]] * m.v_use[u]
            for p, _q in net.recipe_in[k]
            for u in uses.get((n, k, g, p, t, w), [])
            if u[4] in counted
        )
        total = sum(weight[p] * q for p, q in net.recipe_in[k])
        if isinstance(controlled, float):
            return pyo.Constraint.Skip
        return controlled <= theta * total * m.v_activity[n, k, g, t, w]

    m.c_content_share = pyo.Constraint(share_index, rule=share_rule, doc="content below threshold")
