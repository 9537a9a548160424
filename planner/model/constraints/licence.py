"""Export licences: applications, approval share and review delay. See models/formulation.md#licence."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.network import Network


def add_licence_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Covered shipments need licensed volume: the approved share of applications whose review ends then.

    An application :math:`A_{r,p,o,t}` reserves material at the origin in period :math:`t`
    (it leaves the origin balance); the review ends in :math:`t + \delta_{r,t}` when the
    whole volume returns to the origin balance and the approved share may ship:

    .. math::
        \sum_{l \in L_{r,p,o},\, g} F_{l,p,g,t'} \le \sum_{t:\, t + \delta_{r,t} = t'} \rho_{r,t}\, A_{r,p,o,t}
        \qquad t' \in [t^{start}_r, t^{end}_r] \qquad (\texttt{c\_licence\_ship})

    A ban is :math:`\rho = 0`. Periods outside the rule's window need no licence.
    """
    flows_by: dict[tuple[str, int, str], list[Any]] = defaultdict(list)
    for key in ix.flow:
        flows_by[(key[0], key[3], key[4])].append(key)

    index = []
    for (rule, prod, origin), ch in ix.channels.items():
        for t, w in ix.nodes:
            if ch.start <= t <= ch.end:
                index.append((rule, prod, origin, t, w))

    def rule_fn(_m: Any, rule: str, prod: str, origin: str, t: int, w: str) -> Any:
        ch = ix.channels[(rule, prod, origin)]
        shipped = [
            m.v_flow[k]
            for lane in ch.lanes
            for k in flows_by.get((lane, t, w), ())
            if k[1] == prod and (not ix.tagged or k[2] == ch.tag)
        ]
        if not shipped:
            return pyo.Constraint.Skip
        licensed = 0.0
        for key in ix.reviewed.get((rule, prod, origin, t, w), ()):
            share = net.p("ExportControls", "approval_share", (rule, prod), key[3], key[4])
            if share:
                licensed = licensed + share * m.v_apply[key]
        return sum(shipped) <= licensed

    m.c_licence_ship = pyo.Constraint(index, rule=rule_fn, doc="licensed shipments")
