"""Lane capacity and qualification. See models/formulation.md#lanes."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.model.bounds import FlowBounds
from planner.model.index import ModelIndex
from planner.model.variables import qualify_var
from planner.network import Network


def add_lane_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Shipments on a lane within its capacity, and only once the lane is qualified.

    .. math::
        \sum_{p,g} F_{l,p,g,t} \le \bar F_{l,t}\, Q_l^{[l \in L^{qual}]} \qquad (\texttt{c\_lanes\_capacity})

    Before its qualification lead time a qualified lane has no flow variables at all. A lane qualified
    at the reveal (:math:`l \in L^{wait}`) uses :math:`Q_{l,w}` of the scenario node and its lead time
    counts from the reveal period (Network.lane_usable_from), so it never carries at ROOT.
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
        return total <= (cap * qualify_var(m, lane, w) if lane in qual else cap)

    m.c_lanes_capacity = pyo.Constraint(index, rule=rule, doc="lane capacity")


def own_production_only(net: Network, ix: ModelIndex, bounds: FlowBounds, site: str, product: str) -> bool:
    """Can ``site`` hold ``product`` only by making it there in the same period?

    Not when it can receive it by lane, buy it or store it.
    """
    if (site, product) in net.inventory.index or ix.purchases_at.get((site, product)):
        return False
    return not bounds.lanes_into[(site, product)]


def add_lane_open_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Strong link of shipments to the open decision of a site that can only ship its own output.

    .. math::
        \sum_g F_{l,p,g,t} \le M_{l,p,t}\, O_{o(l)} \qquad (\texttt{c\_lanes\_open})

    for lanes leaving a gated site :math:`o(l)` that holds :math:`p` only from its own processes,
    where :math:`M_{l,p,t}` is the smallest of the lane capacity, the site's most output of
    :math:`p` in :math:`t` (process capacity plus every option unit), and, when the destination is a
    pure sink for :math:`p` (no storage, use, disposal or onward lane), its
    demand in the arrival period. Redundant for integer solutions, it tightens the relaxation as
    the strong formulation of facility location does (:math:`x_{ij} \le d_j y_i`).
    """
    gated = set(net.gated_sites)
    flow_bounds = FlowBounds(net, ix)
    groups: dict[tuple[str, str, int, str], list[Any]] = defaultdict(list)
    for key in ix.flow:
        groups[(key[0], key[1], key[3], key[4])].append(key)
    bounds: dict[tuple[str, str, int, str], float] = {}
    checked: dict[tuple[str, str], bool] = {}
    for (lane, p, t, w), keys in groups.items():
        origin, dest = flow_bounds.origin[lane], flow_bounds.destination[lane]
        if origin not in gated:
            continue
        if (origin, p) not in checked:
            checked[(origin, p)] = own_production_only(net, ix, flow_bounds, origin, p)
        if not checked[(origin, p)]:
            continue
        candidates = [net.p("Lanes", "capacity", lane, t, w), flow_bounds.production(origin, p, t, w)]
        if flow_bounds.is_pure_sink(dest, p):
            candidates.append(flow_bounds.demand(dest, p, ix.arrival_period[keys[0]], w))
        bound = min(candidates)
        if math.isfinite(bound):
            bounds[(lane, p, t, w)] = bound

    def rule(_m: Any, lane: str, p: str, t: int, w: str) -> Any:
        origin = flow_bounds.origin[lane]
        return sum(m.v_flow[k] for k in groups[(lane, p, t, w)]) <= bounds[(lane, p, t, w)] * m.v_open[origin]

    m.c_lanes_open = pyo.Constraint(list(bounds), rule=rule, doc="shipments need an open origin")
