"""Diversification rules: share caps and single sourcing. See models/formulation.md#sourcing."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo

from planner.errors import ModelBuildError
from planner.model.bounds import FlowBounds
from planner.model.index import ModelIndex
from planner.network import Network, _blank


@dataclass
class SourcingSets:
    """Lanes and origin groups each sourcing rule looks at."""

    lanes: dict[str, list[str]] = field(default_factory=dict)  # rule -> inbound lanes
    groups: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (rule, label) -> origin sites
    assign: list[tuple[str, str]] = field(default_factory=list)  # (rule, origin site)


def sourcing_sets(net: Network, ix: ModelIndex) -> SourcingSets:
    """Derive the lanes, origin groups and single-source pairs of every rule."""
    out = SourcingSets()
    for r in net.sourcing.itertuples(index=False):
        rule, prod = str(r.rule), str(r.product)
        dest = None if _blank(r.destination) else str(r.destination)
        lanes = [
            str(ln.lane)
            for ln in net.lanes.itertuples(index=False)
            if prod in net.lane_products[str(ln.lane)] and (dest is None or str(ln.destination) == dest)
        ]
        out.lanes[rule] = lanes
        origins = {str(net.lanes.at[lane, "origin"]) for lane in lanes}
        if float(r.max_share) < 1.0:
            if _blank(r.group):
                by_country: dict[str, set[str]] = defaultdict(set)
                for o in sorted(origins):  # row order must not depend on PYTHONHASHSEED
                    by_country[net.site_country(o)].add(o)
                for country, members in by_country.items():
                    out.groups[(rule, country)] = members
            else:
                g = str(r.group)
                members = net.groups.get(g, set())
                if net.group_kind.get(g) == "site":
                    chosen = {o for o in origins if o in members}
                else:
                    chosen = {o for o in origins if net.site_country(o) in members}
                out.groups[(rule, g)] = chosen
        if bool(r.single_source) and dest is not None:
            out.assign += [(rule, o) for o in sorted(origins)]
    return out


def add_sourcing_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""At most a share of a product's receipts from one group; single sourcing by assignment.

    Receipts are counted in the period they *arrive* (:math:`t_f + 	au_f = a`), so sources with
    different transit times are compared on the same deliveries:

    .. math::
        \sum_{f \in F_{r,a}: o(f) \in G} F_f \le \sigma_r \sum_{f \in F_{r,a}} F_f
        \qquad (	exttt{c\_sourcing\_share})

    .. math::
        \sum_g F_{l,p,g,t} \le M_{l,p,t}\, A_{r,o(l)} \quad (	exttt{c\_sourcing\_single\_link}), \qquad
        \sum_o A_{r,o} \le 1 \quad (	exttt{c\_sourcing\_single\_one})

    with :math:`M` the smallest bound the data give (:class:`planner.model.bounds.FlowBounds`):
    the demand in the arrival period at a pure sink (the textbook :math:`x_{ij} \le d_j y_{ij}`),
    else the lane capacity, what the origin can have had, or what the destination can absorb.
    """
    ss: SourcingSets = m.sourcing_sets
    flows_by: dict[tuple[str, int, str], list[tuple[str, str, str, int, str]]] = defaultdict(list)
    for key in ix.flow:
        flows_by[(key[0], key[3], key[4])].append(key)
    product_of = {str(r.rule): str(r.product) for r in net.sourcing.itertuples(index=False)}
    share_of = {str(r.rule): float(r.max_share) for r in net.sourcing.itertuples(index=False)}

    # receipts of each rule by arrival period and arrival node
    by_lane: dict[str, list[Any]] = defaultdict(list)
    for key in ix.flow:
        by_lane[key[0]].append(key)
    arriving: dict[tuple[str, int, str], list[Any]] = defaultdict(list)
    for rule in sorted({r for r, _label in ss.groups}):
        p = product_of[rule]
        for lane in ss.lanes[rule]:
            for key in by_lane[lane]:
                if key[1] != p:
                    continue
                a = ix.arrival_period[key]
                for node in {net.node(a, s) for s in net.node_scenarios(key[4], ix.scenarios)}:
                    arriving[(rule, a, node)].append(key)
    by_rule: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for rule, a, node in sorted(arriving):
        by_rule[rule].append((a, node))
    share_index = [(rule, label, a, node) for (rule, label) in ss.groups for a, node in by_rule[rule]]

    def share_rule(_m: Any, rule: str, label: str, a: int, node: str) -> Any:
        members = ss.groups[(rule, label)]
        keys = arriving[(rule, a, node)]
        part = [m.v_flow[k] for k in keys if str(net.lanes.at[k[0], "origin"]) in members]
        if not part:
            return pyo.Constraint.Skip
        return sum(part) <= share_of[rule] * sum(m.v_flow[k] for k in keys)

    m.c_sourcing_share = pyo.Constraint(share_index, rule=share_rule, doc="share cap")

    bounds = FlowBounds(net, ix)
    big_m: dict[tuple[str, str, int, str], float] = {}
    for rule in sorted({r for r, _ in ss.assign}):
        p = product_of[rule]
        for lane in ss.lanes[rule]:
            for t, w in ix.nodes:
                keys = [k for k in flows_by.get((lane, t, w), ()) if k[1] == p]
                if not keys:
                    continue
                bound = bounds.flow(lane, p, t, w, ix.arrival_period[keys[0]])
                if math.isinf(bound):
                    raise ModelBuildError(
                        f"SourcingRules rule {rule}: single sourcing of {p} needs a finite bound on lane {lane} in "
                        f"{net.periods[t]}, but the lane, its origin and its destination are all unlimited; give "
                        "the lane a capacity (Lanes.capacity)"
                    )
                big_m[(rule, lane, t, w)] = bound

    def link_rule(_m: Any, rule: str, lane: str, t: int, w: str) -> Any:
        origin = str(net.lanes.at[lane, "origin"])
        flow = sum(m.v_flow[k] for k in flows_by[(lane, t, w)] if k[1] == product_of[rule])
        return flow <= big_m[(rule, lane, t, w)] * m.v_assign[rule, origin]

    now_links = [k for k in big_m if k[0] not in net.wait_rules]
    m.c_sourcing_single_link = pyo.Constraint(now_links, rule=link_rule, doc="single-source link")
    rules = sorted({r for r, _ in ss.assign if r not in net.wait_rules})

    def one_rule(_m: Any, rule: str) -> Any:
        return sum(m.v_assign[r, o] for r, o in ss.assign if r == rule) <= 1

    m.c_sourcing_single_one = pyo.Constraint(rules, rule=one_rule, doc="one source")
    add_sourcing_wait_constraints(m, net, ix, big_m, flows_by, product_of)


def add_sourcing_wait_constraints(
    m: Any,
    net: Network,
    ix: ModelIndex,
    big_m: dict[tuple[str, str, int, str], float],
    flows_by: dict[tuple[str, int, str], list[tuple[str, str, str, int, str]]],
    product_of: dict[str, str],
) -> None:
    r"""Single sourcing decided at the reveal: one assignment per scenario.

    .. math::
        \sum_g F_{l,p,g,t,w} \le M_{l,p,t}\, A^{src}_{r,o(l),s} \quad (s \text{ through } w)
        \quad (\texttt{c\_sourcing\_single\_link\_wait}), \qquad
        \sum_o A^{src}_{r,o,s} \le 1 \quad (\texttt{c\_sourcing\_single\_one\_wait})

    for rules :math:`r \in R^{wait}` (SourcingRules.decide = at_reveal), :math:`s` a node of the (first)
    reveal (the scenario; with two reveals its stage1_group, ModelIndex.wait_node). A receipt shipped before the
    reveal (node ROOT) binds its origin in *every* scenario (one row per scenario through the node):
    the rule still allows one origin over the whole horizon of a scenario, and nothing done before
    the reveal can depend on the scenario. Setting :math:`A^{src}_{r,o,s} = A^{src}_{r,o}` for all
    :math:`s` recovers the first-stage rule, so waiting never costs more.
    """
    index = [
        (rule, lane, t, w, s)
        for (rule, lane, t, w) in big_m
        if rule in net.wait_rules
        for s in dict.fromkeys(ix.wait_node(net, x) for x in net.node_scenarios(w, ix.scenarios))
    ]

    def link_rule(_m: Any, rule: str, lane: str, t: int, w: str, s: str) -> Any:
        origin = str(net.lanes.at[lane, "origin"])
        flow = sum(m.v_flow[k] for k in flows_by[(lane, t, w)] if k[1] == product_of[rule])
        return flow <= big_m[(rule, lane, t, w)] * m.v_assign_wait[rule, origin, s]

    m.c_sourcing_single_link_wait = pyo.Constraint(
        index, rule=link_rule, doc="single-source link (assignment at the reveal)"
    )
    pairs = sorted({(r, s) for r, _o, s in m.v_assign_wait})

    def one_rule(_m: Any, rule: str, s: str) -> Any:
        return sum(m.v_assign_wait[r, o, w] for r, o, w in m.v_assign_wait if r == rule and w == s) <= 1

    m.c_sourcing_single_one_wait = pyo.Constraint(pairs, rule=one_rule, doc="one source per scenario")
