"""Diversification rules: share caps and single sourcing. See models/formulation.md#sourcing."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.network import Network, _blank


@dataclass
class SourcingSets:
    """Lanes and origin groups each sourcing rule looks at."""

    lanes: dict[str, list[str]] = field(default_factory=dict)  # rule -> inbound lanes
    groups: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (rule, label) -> origin sites
    assign: list[tuple[str, str]] = field(default_factory=list)  # (rule, origin site)
    big_m: dict[str, float] = field(default_factory=dict)


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
                for o in origins:
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
            # big-M: horizon demand at the destination plus what it can store
            demand = sum(
                max(
                    net.p("Demand", "quantity", d, ix.demand_period[d], w)
                    for w in net.node_scenarios(w0, ix.scenarios)
                )
                for (n, p, _t), ds in ix.demand_at.items()
                if n == dest and p == prod
                for d in ds
                for w0 in {net.node(ix.demand_period[d], s) for s in ix.scenarios}
            )
            stock = (
                float(net.inventory.at[(dest, prod), "max_stock"])
                if (dest, prod) in net.inventory.index
                else 0.0
            )
            out.big_m[rule] = demand + (demand if math.isnan(stock) else stock)
    return out


def add_sourcing_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""At most a share of a product's receipts from one group; single sourcing by assignment.

    .. math::
        \sum_{l \in L_r: o(l) \in G,\, g} F_{l,p,g,t} \le \sigma_r \sum_{l \in L_r,\, g} F_{l,p,g,t}
        \qquad (\texttt{c\_sourcing\_share})

    .. math::
        \sum_g F_{l,p,g,t} \le M_r\, A_{r,o(l)} \quad (\texttt{c\_sourcing\_single\_link}), \qquad
        \sum_o A_{r,o} \le 1 \quad (\texttt{c\_sourcing\_single\_one})
    """
    ss: SourcingSets = m.sourcing_sets
    flows_by: dict[tuple[str, int, str], list[tuple[str, str, str, int, str]]] = defaultdict(list)
    for key in ix.flow:
        flows_by[(key[0], key[3], key[4])].append(key)
    product_of = {str(r.rule): str(r.product) for r in net.sourcing.itertuples(index=False)}
    share_of = {str(r.rule): float(r.max_share) for r in net.sourcing.itertuples(index=False)}

    share_index = [(rule, label, t, w) for (rule, label) in ss.groups for t, w in ix.nodes]

    def share_rule(_m: Any, rule: str, label: str, t: int, w: str) -> Any:
        p = product_of[rule]
        members = ss.groups[(rule, label)]
        total = 0.0
        part = 0.0
        for lane in ss.lanes[rule]:
            for key in flows_by.get((lane, t, w), ()):
                if key[1] != p:
                    continue
                total = total + m.v_flow[key]
                if str(net.lanes.at[lane, "origin"]) in members:
                    part = part + m.v_flow[key]
        if isinstance(total, float):
            return pyo.Constraint.Skip
        return part <= share_of[rule] * total

    m.c_sourcing_share = pyo.Constraint(share_index, rule=share_rule, doc="share cap")

    link_index = [
        (rule, lane, t, w)
        for rule in sorted({r for r, _ in ss.assign})
        for lane in ss.lanes[rule]
        for t, w in ix.nodes
        if any(k[1] == product_of[rule] for k in flows_by.get((lane, t, w), ()))
    ]

    def link_rule(_m: Any, rule: str, lane: str, t: int, w: str) -> Any:
        origin = str(net.lanes.at[lane, "origin"])
        flow = sum(m.v_flow[k] for k in flows_by[(lane, t, w)] if k[1] == product_of[rule])
        return flow <= ss.big_m[rule] * m.v_assign[rule, origin]

    m.c_sourcing_single_link = pyo.Constraint(link_index, rule=link_rule, doc="single-source link")
    rules = sorted({r for r, _ in ss.assign})

    def one_rule(_m: Any, rule: str) -> Any:
        return sum(m.v_assign[r, o] for r, o in ss.assign if r == rule) <= 1

    m.c_sourcing_single_one = pyo.Constraint(rules, rule=one_rule, doc="one source")
