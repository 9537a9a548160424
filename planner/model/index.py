"""Sparse index sets of the model, derived from a Network (plain Python, no Pyomo).

Built once per model and kept on the model as ``m.idx`` so that constraint
families, the objective and solution extraction share one definition.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from planner.network import ROOT, Network, _blank

Node = tuple[int, str]


@dataclass
class ModelIndex:
    """Index lists and adjacency maps of one built model."""

    scenarios: list[str]
    nodes: list[Node]
    activity: list[tuple[str, str, int, str]] = field(default_factory=list)  # (site, process, t, w)
    flow: list[tuple[str, str, int, str]] = field(default_factory=list)  # (lane, product, t, w)
    purchase: list[tuple[str, int, str]] = field(default_factory=list)  # (contract, t, w)
    unused: list[tuple[str, int, str]] = field(default_factory=list)  # pay contracts
    inventory: list[tuple[str, str, int, str]] = field(default_factory=list)  # (site, product, t, w)
    shortage: list[tuple[int, str]] = field(default_factory=list)  # (demand row, w)
    disposal: list[tuple[str, str, int, str]] = field(default_factory=list)
    balance: list[tuple[str, str, int, str]] = field(default_factory=list)
    # adjacency: (site, product, t, w) -> keys
    arrivals: dict[tuple[str, str, int, str], list[tuple[str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    departures: dict[tuple[str, str, int, str], list[tuple[str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    produce: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=lambda: defaultdict(list))
    consume: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=lambda: defaultdict(list))
    purchases_at: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    demand_at: dict[tuple[str, str, int], list[int]] = field(default_factory=lambda: defaultdict(list))
    demand_period: dict[int, int] = field(default_factory=dict)
    arrival_period: dict[tuple[str, str, int, str], int] = field(default_factory=dict)
    activity_set: set[tuple[str, str, int, str]] = field(default_factory=set)
    inventory_set: set[tuple[str, str, int, str]] = field(default_factory=set)
    disposal_set: set[tuple[str, str, int, str]] = field(default_factory=set)
    flow_set: set[tuple[str, str, int, str]] = field(default_factory=set)
    purchase_set: set[tuple[str, int, str]] = field(default_factory=set)

    def prev_node(self, net: Network, t: int, w: str) -> str:
        """Node of period t-1 on the path to (t, w)."""
        return ROOT if t - 1 < net.reveal else w


def build_index(net: Network, scenarios: list[str]) -> ModelIndex:
    """Derive every sparse index list for ``scenarios``."""
    nodes = net.nodes(scenarios)
    ix = ModelIndex(scenarios=list(scenarios), nodes=nodes)
    T = len(net.periods)

    for site, proc in net.process_sites:
        for p, q in net.recipe_out[proc]:
            ix.produce[(site, p)].append((proc, q))
        for p, q in net.recipe_in[proc]:
            ix.consume[(site, p)].append((proc, q))
        first = net.site_first_period[site]
        ix.activity += [(site, proc, t, w) for t, w in nodes if t >= first]

    for ln in net.lanes.itertuples(index=False):
        lane = str(ln.lane)
        usable_from = int(ln.lead_time_qualification) if bool(ln.qualification) else 0
        for p in net.lane_products[lane]:
            for t, w in nodes:
                if t < usable_from:
                    continue
                transit = int(round(net.p("Lanes", "transit_periods", lane, t, w)))
                a = t + transit
                if a >= T:
                    continue
                key = (lane, p, t, w)
                ix.flow.append(key)
                ix.arrival_period[key] = a
                ix.departures[(str(ln.origin), p, t, w)].append(key)
                for s in net.node_scenarios(w, scenarios):
                    dest_key = (str(ln.destination), p, a, net.node(a, s))
                    if key not in ix.arrivals[dest_key]:
                        ix.arrivals[dest_key].append(key)

    for c in net.contracts.itertuples(index=False):
        cid = str(c.contract)
        start = net.periods.index(c.start_period) if not _blank(c.start_period) else 0
        end = net.periods.index(c.end_period) if not _blank(c.end_period) else T - 1
        ix.purchases_at[(str(c.supplier), str(c.product))].append(cid)
        for t, w in nodes:
            if start <= t <= end:
                ix.purchase.append((cid, t, w))
                if c.take_or_pay == "pay":
                    ix.unused.append((cid, t, w))

    for site, prod in net.inventory.index:
        ix.inventory += [(site, prod, t, w) for t, w in nodes]

    for d, row in enumerate(net.demand.itertuples(index=False)):
        t = net.periods.index(str(row.period))
        ix.demand_period[d] = t
        ix.demand_at[(str(row.site), str(row.product), t)].append(d)
        ix.shortage += sorted({(d, net.node(t, s)) for s in scenarios}, key=lambda k: k[1])

    pairs = set(net.holdable) | {(site, prod) for site, prod, _ in ix.demand_at}
    for site, prod in sorted(pairs):
        disposable = not math.isnan(float(net.products.at[prod, "cost_disposal"]))
        for t, w in nodes:
            ix.balance.append((site, prod, t, w))
            if disposable and (site, prod) in net.holdable:
                ix.disposal.append((site, prod, t, w))

    ix.activity_set = set(ix.activity)
    ix.inventory_set = set(ix.inventory)
    ix.disposal_set = set(ix.disposal)
    ix.flow_set = set(ix.flow)
    ix.purchase_set = set(ix.purchase)
    return ix
