"""Lane capacity and qualification. See models/formulation.md#lanes."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.network import Network


def add_lane_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Shipments on a lane within its capacity, and only once the lane is qualified.

    .. math::
        \sum_{p,g} F_{l,p,g,t} \le \bar F_{l,t}\, Q_l^{[l \in L^{qual}]} \qquad (\texttt{c\_lanes\_capacity})

    Before its qualification lead time a qualified lane has no flow variables at all.
    """
    by_lane_node: dict[tuple[str, int, str], list[tuple[str, str, str, int, str]]] = defaultdict(list)
    for key in ix.flow:
        by_lane_node[(key[0], key[3], key[4])].append(key)
    qual = {str(lane) for lane in net.lanes.index if bool(net.lanes.at[lane, "qualification"])}
    index = [
        k
        for k in by_lane_node
        if k[0] in qual or not math.isinf(net.p("Lanes", "capacity", k[0], k[1], k[2]))
    ]

    def rule(_m: Any, lane: str, t: int, w: str) -> Any:
        cap = net.p("Lanes", "capacity", lane, t, w)
        total = sum(m.v_flow[k] for k in by_lane_node[(lane, t, w)])
        return total <= (cap * m.v_qualify[lane] if lane in qual else cap)

    m.c_lanes_capacity = pyo.Constraint(index, rule=rule, doc="lane capacity")
