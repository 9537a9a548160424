"""Sparse index sets of the model, derived from a Network (plain Python, no Pyomo).

Built once per model and kept on the model as ``m.idx`` so that constraint
families, the objective and solution extraction share one definition.

Origin tags
-----------
When an export control has a ``content_threshold``, material is tracked by
origin tag: ``"C"`` (controlled: content at or above the threshold, or made in the
controlling country), ``"P"`` (partial: made abroad with some controlled content, below
the threshold; counted *at* the threshold when used again, so content accumulates
across stages without tracking mixtures) or ``"F"`` (free: no controlled content at
all). Otherwise there is one tag, ``""``, and the tag index disappears from every sum.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from planner.network import ROOT, Network, _blank

Node = tuple[int, str]
UNTAGGED = ""
CONTROLLED = "C"
PARTIAL = "P"
FREE = "F"


@dataclass
class LicenceChannel:
    """Covered shipments of one export rule, product and origin site.

    ``tags`` are the origin tags of the covered flows: every tag for a direct export from the
    controlling country (whatever the material's history), only ``C`` for a third-country
    re-export under a content rule.
    """

    rule: str
    product: str
    origin: str
    tags: tuple[str, ...]
    lanes: list[str]
    start: int
    end: int


@dataclass
class LicenceRule:
    """One export rule on one product: its covered channels and the destinations they serve."""

    rule: str
    product: str
    end_use: str
    start: int
    end: int
    destinations: set[str]
    channels: list[LicenceChannel]


@dataclass
class ModelIndex:
    """Index lists and adjacency maps of one built model."""

    scenarios: list[str]
    nodes: list[Node]
    reveal_nodes: list[str]  # nodes of the (first) reveal period: they index decisions taken at the reveal
    tags: tuple[str, ...]
    controlling_country: str | None
    activity: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # (site, process, tag, t, w)
    use: list[tuple[str, str, str, str, str, int, str]] = field(default_factory=list)  # (n, k, g, p, h, t, w)
    flow: list[tuple[str, str, str, int, str]] = field(default_factory=list)  # (lane, product, tag, t, w)
    purchase: list[tuple[str, int, str]] = field(default_factory=list)  # (contract, t, w), bought or sold
    unused: list[tuple[str, int, str]] = field(default_factory=list)  # pay contracts
    inventory: list[tuple[str, str, str, int, str]] = field(
        default_factory=list
    )  # (site, product, tag, t, w)
    inventory_total: list[tuple[str, str, int, str]] = field(default_factory=list)  # (site, product, t, w)
    shortage: list[tuple[int, str]] = field(default_factory=list)  # (demand row, w)
    serve: list[tuple[int, str, str]] = field(default_factory=list)  # (demand row, tag, w) tagged mode
    disposal: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    balance: list[tuple[str, str, str, int, str]] = field(default_factory=list)
    channels: dict[tuple[str, str, str], LicenceChannel] = field(default_factory=dict)
    licences: dict[tuple[str, str], LicenceRule] = field(default_factory=dict)  # (rule, product)
    # adjacency: (site, product, tag, t, w) -> keys
    arrivals: dict[tuple[str, str, str, int, str], list[tuple[str, str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    departures: dict[tuple[str, str, str, int, str], list[tuple[str, str, str, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    produce: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=lambda: defaultdict(list))
    consume: dict[tuple[str, str], list[tuple[str, float]]] = field(default_factory=lambda: defaultdict(list))
    purchases_at: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # buy
    sales_at: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))  # sell
    purchase_tag: dict[str, str] = field(default_factory=dict)  # a contract's origin tag (bought or sold)
    demand_at: dict[tuple[str, str, int], list[int]] = field(default_factory=lambda: defaultdict(list))
    demand_period: dict[int, int] = field(default_factory=dict)
    demand_class: dict[int, str] = field(default_factory=dict)  # demand row -> customer class
    arrival_period: dict[tuple[str, str, str, int, str], int] = field(default_factory=dict)
    activity_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    inventory_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    disposal_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    flow_set: set[tuple[str, str, str, int, str]] = field(default_factory=set)
    purchase_set: set[tuple[str, int, str]] = field(default_factory=set)
    initial_tag: dict[tuple[str, str], str] = field(default_factory=dict)
    _inputs: set[str] | None = None

    @property
    def tagged(self) -> bool:
        """True when material is tracked by origin tag."""
        return len(self.tags) > 1

    def prev_node(self, net: Network, t: int, w: str) -> str:
        """Node of period t-1 on the path to (t, w) (its parent when t is a reveal period)."""
        return ROOT if t - 1 < net.reveal else net.node(t - 1, w)

    def wait_node(self, net: Network, w: str) -> str:
        """The node of the (first) reveal on the path to node ``w``, which indexes the decisions taken at
        the reveal: the scenario with one reveal, the stage1_group label with two."""
        return net.node(net.reveal, w)

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
        if not any(p in self.inputs(net) for p, _q in net.recipe_out[process]):
            # outputs no process uses again: P and F are covered alike, P alone serves both
            return (CONTROLLED, PARTIAL)
        return (CONTROLLED, PARTIAL, FREE)

    def inputs(self, net: Network) -> set[str]:
        """Products some process uses as input (computed once)."""
        if self._inputs is None:
            self._inputs = {p for proc in net.recipe_in for p, _q in net.recipe_in[proc]}
        return self._inputs


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


def end_use_sites(net: Network, end_use: str) -> tuple[set[str], set[str]]:
    """Sites that are end users of class ``end_use`` for an export rule.

    Returns ``(demand_sites, upstream_sites)``: sites with demand of that class, and sites
    without such demand from which it can be reached by lanes (plants and warehouses that
    supply those customers: an exporter cannot tell which of their inputs ends up there,
    so all their receipts count as bound for that end use).
    """
    demand_sites = {
        str(r.site) for r in net.demand.itertuples(index=False) if str(r.customer_class) == end_use
    }
    upstream: dict[str, set[str]] = defaultdict(set)
    for ln in net.lanes.itertuples(index=False):
        upstream[str(ln.destination)].add(str(ln.origin))
    reach: set[str] = set()
    todo = list(demand_sites)
    while todo:
        site = todo.pop()
        for o in upstream.get(site, ()):
            if o not in reach and o not in demand_sites:
                reach.add(o)
                todo.append(o)
    return demand_sites, reach


def build_index(net: Network, scenarios: list[str]) -> ModelIndex:
    """Derive every sparse index list for ``scenarios``."""
    nodes = net.nodes(scenarios)
    country = _content_country(net)
    tags: tuple[str, ...] = (CONTROLLED, PARTIAL, FREE) if country else (UNTAGGED,)
    reveal_nodes = list(dict.fromkeys(net.node(net.reveal, s) for s in scenarios))
    ix = ModelIndex(
        scenarios=list(scenarios),
        nodes=nodes,
        reveal_nodes=reveal_nodes,
        tags=tags,
        controlling_country=country,
    )
    T = len(net.periods)

    # --- where each (site, product, tag) can hold material: seeds, then recipes and lanes
    have: set[tuple[str, str, str]] = set()
    for c in net.contracts.itertuples(index=False):
        ix.purchase_tag[str(c.contract)] = ix.site_tag(net, str(c.supplier))
        if str(c.contract) not in net.sell_contracts:  # a sale brings nothing in
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
                            if g == FREE and h != FREE:
                                continue  # free output is made from free inputs only
                            if (site, p, h) in have:
                                ix.use.append((site, proc, g, p, h, t, w))

    for ln in net.lanes.itertuples(index=False):
        lane = str(ln.lane)
        usable_from = net.lane_usable_from(
            lane
        )  # after the qualification lead time (from the reveal if waited)
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
        if cid in net.wait_contracts:
            start = max(start, net.reveal)  # signed at the reveal: nothing bought under it before
        if cid in net.sell_contracts:
            if (str(c.supplier), str(c.product), ix.purchase_tag[cid]) not in have:
                continue  # nothing of the site's own origin can be there to sell: no sale variable
            ix.sales_at[(str(c.supplier), str(c.product))].append(cid)
        else:
            ix.purchases_at[(str(c.supplier), str(c.product))].append(cid)
        for t, w in nodes:
            if start <= t <= end:
                ix.purchase.append((cid, t, w))
                # a sale is never 'pay' (the validator refuses one)
                if c.take_or_pay == "pay" and cid not in net.sell_contracts:
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
        ix.demand_class[drow] = str(row.customer_class)
        ix.demand_at[(str(row.site), str(row.product), td)].append(drow)
        for wd in sorted({net.node(td, s) for s in scenarios}):
            ix.shortage.append((drow, wd))
            if ix.tagged:
                allowed = [g for g in tags if not (g == CONTROLLED and bool(row.no_controlled_content))]
                ix.serve += [(drow, g, wd) for g in allowed if (str(row.site), str(row.product), g) in have]

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
    """Licence rules and their channels (rule, product, origin): one definition of coverage.

    A shipment of the rule's product is covered when it goes to a covered destination (a site in
    the destination group, or in any other country when the group is blank) and either leaves
    a site in the controlling country (any origin tag: material imported into that country and
    re-exported is an export from it), or, under a content rule, leaves a third-country site as
    C-tagged material for a site in another country. The same with and without content tracking.
    """
    T = len(net.periods)
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
        if str(r.end_use) != "all":
            users, upstream = end_use_sites(net, str(r.end_use))
            covered_dest &= users | upstream
        by_origin: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
        for ln in net.lanes.itertuples(index=False):
            lane, o, d = str(ln.lane), str(ln.origin), str(ln.destination)
            if prod not in net.lane_products[lane] or d not in covered_dest:
                continue
            if net.site_country(o) == country:
                by_origin[(o, ix.tags)].append(lane)
            elif content and ix.tagged and net.site_country(d) != net.site_country(o):
                by_origin[(o, (CONTROLLED,))].append(lane)
        lic = LicenceRule(rule, prod, str(r.end_use), start, end, covered_dest, [])
        for (o, tags), lanes in by_origin.items():
            tags = tuple(g for g in tags if (o, prod, g) in have) if ix.tagged else tags
            if not tags:
                continue
            ch = LicenceChannel(rule, prod, o, tags, sorted(lanes), start, end)
            ix.channels[(rule, prod, o)] = ch
            lic.channels.append(ch)
        ix.licences[(rule, prod)] = lic
