"""Sparse index sets of the model, derived from a Network (plain Python, no Pyomo).

Built once per model and kept on the model as ``m.idx`` so that constraint
families, the objective and solution extraction share one definition.

Origin tags
-----------
When an export control has a ``content_threshold``, material is tracked by
origin tag: ``"C"`` (carries controlling-country content at or above the
threshold) or ``"F"`` (free of it). Otherwise there is one tag, ``""``, and the
tag index disappears from every sum.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from planner.network import ROOT, Network, _blank

Node = tuple[int, str]
UNTAGGED = ""
CONTROLLED = "C"
FREE = "F"


@dataclass
class LicenceChannel:
    """Covered shipments of one export rule, product and origin site."""

    rule: str
    product: str
    origin: str
    tag: str
    lanes: list[str]
    start: int
    end: int


@dataclass
class ModelIndex:
    """Index lists and adjacency maps of one built model."""

    scenarios: list[str]
    nodes: list[Node]
    tags: tuple[str, ...]
    controlling_country: str | None
    activity: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # (site, process, tag, t, w)
    use: list[tuple[str, str, str, str, str, int, str]] = field(default_factory=list)  # (n, k, g, p, h, t, w)
    flow: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # (lane, product, tag, t, w)
    purchase: list[tuple[str, int, str]] = field(default_factory=list)  # (contract, t, w)
    unused: list[tuple[str, int, str]] = field(default_factory=list)  # pay contracts
    inventory: list[tuple[str, str, str, int, str]] = field(
        default_factory=list
    )  # (site, product, tag, t, w)
    inventory_total: list[tuple[str, str, int, str]] = field(default_factory=list)  # (site, product, t, w)
    shortage: list[tuple[int, str]] = field(default_factory=list)  # (demand row, w)
    serve: list[tuple[int, str, str]] = field(default_factory=list)  # (demand row, tag, w) tagged mode
    disposal: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    balance: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    apply: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # (rule, product, origin, t, w)
    channels: dict[tuple[str, str, str], LicenceChannel] = field(default_factory=dict)
    # adjacency: (site, product, tag, t, w) -> keys
    arrivals: dict[tuple[str, str, str, int, str], list[tuple[str, str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    departures: dict[tuple[str, str, str, int, str], list[tuple[str, str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # licence: (rule, product, origin, t', w') -> application keys whose review ends in t'
    reviewed: dict[tuple[str, str, str, int, str], list[tuple[str, str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    review_end: dict[tuple[str, str, str, int, str], int] = field(default_factory=dict)
    produce: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=lambda: defaultdict(list))
    consume: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=lambda: defaultdict(list))
    purchases_at: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    purchase_tag: dict[str, str] = field(default_factory=dict)
    demand_at: dict[tuple[str, str, int], list[int]] = field(default_factory=lambda: defaultdict(list))
    demand_period: dict[int, int] = field(default_factory=dict)
    arrival_period: dict[tuple[str, str, str, int, str], int] = field(default_factory=dict)
    activity_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    inventory_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    disposal_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    flow_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    purchase_set: set[tuple[str, int, str]] = field(default_factory=set)
    initial_tag: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def tagged(self) -> bool:
        """True when material is tracked by origin tag."""
        return len(self.tags) > 1

    def prev_node(self, net: Network, t: int, w: str) -> str:
        """Node of period t-1 on the path to (t, w)."""
        return ROOT if t - 1 < net.reveal else w

    def site_tag(self, net: Network, site: str) -> str:
        """Tag of material that originates at ``site`` (mined, bought or held there at the start)."""
        if not self.tagged:
            return UNTAGGED
        return CONTROLLED if net.site_country(site) == self.controlling_country else FREE

    def output_tags(self, net: Network, site: str, process: str) -> tuple[str, ...]:
        """Tags a process can give its output at a site."""
        if not self.tagged:
            return (UNTAGGED,)
        if net.site_country(site) == self.controlling_country or not net.recipe_in[process]:
            return (self.site_tag(net, site),)
        return (CONTROLLED, FREE)


def _content_country(net: Network) -> str | None:
    ec = net.data["ExportControls"]
    countries = {str(r.country) for r in ec.itertuples(index=False) if not _blank(r.content_threshold)}
    if len(countries) > 1:
        from planner.errors import InputError, Issue

        raise InputError(
            "content rules of more than one controlling country",
            [
                Issue(
                    "error",
                    "ExportControls",
                    None,
                    "content_threshold",
                    ", ".join(sorted(countries)),
                    "origin-content tracking supports one controlling country; keep content_threshold "
                    "on the rules of one country only",
                )
            ],
        )
    return next(iter(countries)) if countries else None


def site_end_uses(net: Network) -> dict[str, set[str]]:
    """Customer classes of each site's demand; sites without demand count as civil users."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in net.demand.itertuples(index=False):
        out[str(r.site)].add(str(r.customer_class))
    return {str(s): (out[str(s)] or {"civil"}) for s in net.sites.index}


def build_index(net: Network, scenarios: list[str]) -> ModelIndex:
    """Derive every sparse index list for ``scenarios``."""
    nodes = net.nodes(scenarios)
    country = _content_country(net)
    tags: tuple[str, ...] = (CONTROLLED, FREE) if country else (UNTAGGED,)
    ix = ModelIndex(scenarios=list(scenarios), nodes=nodes, tags=tags, controlling_country=country)
    T = len(net.periods)

    # --- where each (site, product, tag) can hold material: seeds, then recipes and lanes
    have: set[tuple[str, str, str]] = set()
    for c in net.contracts.itertuples(index=False):
        ix.purchase_tag[str(c.contract)] = ix.site_tag(net, str(c.supplier))
        have.add((str(c.supplier), str(c.product), ix.purchase_tag[str(c.contract)]))
    for site, prod in net.inventory.index:
        ix.initial_tag[(site, prod)] = ix.site_tag(net, site)
        if float(net.inventory.at[(site, prod), "initial_stock"]) > 0:
            have.add((site, prod, ix.initial_tag[(site, prod)]))
    lanes = [
        (str(ln.lane), str(ln.origin), str(ln.destination), net.lane_products[str(ln.lane)])
        for ln in net.lanes.itertuples(index=False)
    ]
    changed = True
    while changed:
        changed = False
        for site, proc in net.process_sites:
            if all(any((site, p, g) in have for g in tags) for p, _ in net.recipe_in[proc]):
                for g in ix.output_tags(net, site, proc):
                    for p, _ in net.recipe_out[proc]:
                        if (site, p, g) not in have:
                            have.add((site, p, g))
                            changed = True
        for _lane, o, d, prods in lanes:
            for p in prods:
                for g in tags:
                    if (o, p, g) in have and (d, p, g) not in have:
                        have.add((d, p, g))
                        changed = True

    for site, proc in net.process_sites:
        for p, q in net.recipe_out[proc]:
            ix.produce[(site, p)].append((proc, q))
        for p, q in net.recipe_in[proc]:
            ix.consume[(site, p)].append((proc, q))
        first = net.site_first_period[site]
        for g in ix.output_tags(net, site, proc):
            for t, w in nodes:
                if t < first:
                    continue
                ix.activity.append((site, proc, g, t, w))
                if ix.tagged:
                    for p, _q in net.recipe_in[proc]:
                        for h in tags:
                            if (site, p, h) in have:
                                ix.use.append((site, proc, g, p, h, t, w))

    for ln in net.lanes.itertuples(index=False):
        lane = str(ln.lane)
        usable_from = int(ln.lead_time_qualification) if bool(ln.qualification) else 0
        for p in net.lane_products[lane]:
            for g in tags:
                if (str(ln.origin), p, g) not in have:
                    continue
                for t, w in nodes:
                    if t < usable_from:
                        continue
                    a = t + int(round(net.p("Lanes", "transit_periods", lane, t, w)))
                    if a >= T:
                        continue
                    key = (lane, p, g, t, w)
                    ix.flow.append(key)
                    ix.arrival_period[key] = a
                    ix.departures[(str(ln.origin), p, g, t, w)].append(key)
                    for s in net.node_scenarios(w, scenarios):
                        dest_key = (str(ln.destination), p, g, a, net.node(a, s))
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
        for t, w in nodes:
            ix.inventory_total.append((site, prod, t, w))
            for g in tags:
                if (site, prod, g) in have or g == ix.initial_tag[(site, prod)]:
                    ix.inventory.append((site, prod, g, t, w))

    for drow, row in enumerate(net.demand.itertuples(index=False)):
        td = net.periods.index(str(row.period))
        ix.demand_period[drow] = td
        ix.demand_at[(str(row.site), str(row.product), td)].append(drow)
        for wd in sorted({net.node(td, s) for s in scenarios}):
            ix.shortage.append((drow, wd))
            if ix.tagged:
                ix.serve += [(drow, g, wd) for g in tags if (str(row.site), str(row.product), g) in have]

    demand_pairs = {(site, prod) for site, prod, _ in ix.demand_at}
    triples = set(have) | {(s, p, g) for s, p in demand_pairs for g in tags if not ix.tagged}
    triples |= {(k[0], k[1], k[2]) for k in ix.inventory}
    for site, prod, g in sorted(triples):
        disposable = not math.isnan(float(net.products.at[prod, "cost_disposal"]))
        for t, w in nodes:
            ix.balance.append((site, prod, g, t, w))
            if disposable and (site, prod, g) in have:
                ix.disposal.append((site, prod, g, t, w))
    _licence_index(net, ix, have)

    ix.activity_set = set(ix.activity)
    ix.inventory_set = set(ix.inventory)
    ix.disposal_set = set(ix.disposal)
    ix.flow_set = set(ix.flow)
    ix.purchase_set = set(ix.purchase)
    return ix


def _licence_index(net: Network, ix: ModelIndex, have: set[tuple[str, str, str]]) -> None:
    """Licence channels (rule, product, origin), application keys and review-end maps."""
    T = len(net.periods)
    end_uses = site_end_uses(net)
    for r in net.data["ExportControls"].itertuples(index=False):
        rule, prod, country = str(r.rule), str(r.product), str(r.country)
        start = net.periods.index(r.start_period) if not _blank(r.start_period) else 0
        end = net.periods.index(r.end_period) if not _blank(r.end_period) else T - 1
        content = not _blank(r.content_threshold)
        if _blank(r.destination_group):
            covered_dest = {str(s) for s in net.sites.index if net.site_country(str(s)) != country}
        else:
            members = net.groups.get(str(r.destination_group), set())
            covered_dest = {str(s) for s in net.sites.index if net.site_country(str(s)) in members}
        if r.end_use != "all":
            covered_dest = {s for s in covered_dest if r.end_use in end_uses[s]}
        by_origin: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ln in net.lanes.itertuples(index=False):
            lane, o, d = str(ln.lane), str(ln.origin), str(ln.destination)
            if prod not in net.lane_products[lane] or d not in covered_dest:
                continue
            if net.site_country(o) == country:
                tag = ix.site_tag(net, o) if ix.tagged else UNTAGGED
                by_origin[(o, tag)].append(lane)
            elif content and ix.tagged and net.site_country(d) != net.site_country(o):
                # third-country re-export of material carrying controlled content
                by_origin[(o, CONTROLLED)].append(lane)
        for (o, tag), lanes in by_origin.items():
            if (o, prod, tag) not in have and ix.tagged:
                continue
            ch = LicenceChannel(rule, prod, o, tag, sorted(lanes), start, end)
            ix.channels[(rule, prod, o)] = ch
            for t, w in ix.nodes:
                if t > end:
                    continue
                t2 = t + int(round(net.p("ExportControls", "review_delay", (rule, prod), t, w)))
                if t2 >= T:
                    continue  # the review would end after the horizon
                key = (rule, prod, o, t, w)
                ix.apply.append(key)
                ix.review_end[key] = t2
                for s in net.node_scenarios(w, ix.scenarios):
                    rk = (rule, prod, o, t2, net.node(t2, s))
                    if key not in ix.reviewed[rk]:
                        ix.reviewed[rk].append(key)
