"""Resilience analytics data: disruption nodes and the network as rates (no Pyomo).

Simchi-Levi et al. (Interfaces 45(5), 2015) measure, per node, the time to survive
(TTS: how long all demand can still be met after the node is cut, from inventory in
place and the rest of the network) against the time to recover (TTR, input data), the
performance impact (PI: the least loss while the node is down for its TTR) and the
Risk Exposure Index (REI = PI / max PI). This module prepares the data; the linear
programs are in :mod:`planner.model.resilience` (see models/formulation.md#resilience).

The network is read as *rates per period* over a window of length t: capacities,
contract maxima and demand scale with t, stock does not. Transit times are ignored
(as in the published method). The window opens at a stated period: the reveal period
when a plan is stressed (the first period in which a disruption can strike the plan), with
the plan's builds and the stock the plan holds at the end of the here-and-now periods;
capacities, contract maxima and demand are those of that period in the base data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from planner.network import ROOT, Network, _blank


@dataclass(frozen=True)
class Node:
    """Something that can be cut: sites (a site or a country) or the licences of export rules."""

    name: str
    kind: str  # site | country | licence
    target: str
    ttr: float | None
    sites: frozenset[str] = frozenset()
    rules: frozenset[str] = frozenset()


@dataclass
class Rates:
    """The network as rates per period (what the resilience LPs need)."""

    processes: dict[tuple[str, str], float]  # (site, process) -> capacity per period (inf = unlimited)
    recipe_in: dict[str, list[tuple[str, float]]]
    recipe_out: dict[str, list[tuple[str, float]]]
    lanes: dict[str, tuple[str, str, list[str], float]]  # lane -> (origin, destination, products, capacity)
    contracts: dict[str, tuple[str, str, float]]  # contract -> (supplier, product, max per period)
    demand: dict[tuple[str, str], float]  # (site, product) -> mean demand per period
    penalty: dict[tuple[str, str], float]  # (site, product) -> mean shortage penalty per t
    stock: dict[tuple[str, str], float]  # (site, product) -> initial stock
    storage: dict[
        tuple[str, str], tuple[float, float]
    ]  # (site, product) -> (unit cost of extra stock, most extra)
    licence_lanes: dict[str, set[str]] = field(default_factory=dict)  # rule -> covered lanes
    period_days: float = 91.25  # length of the period whose rates these are (the window's unit)
    horizon_periods: float = 1.0  # the horizon in units of that period (its number of periods when equal)

    def pairs(self) -> set[tuple[str, str]]:
        """Every (site, product) that appears anywhere."""
        out = set(self.demand) | set(self.stock)
        for site, proc in self.processes:
            out |= {(site, p) for p, _ in self.recipe_in[proc] + self.recipe_out[proc]}
        for o, d, prods, _cap in self.lanes.values():
            out |= {(o, p) for p in prods} | {(d, p) for p in prods}
        out |= {(s, p) for s, p, _ in self.contracts.values()}
        return out


def network_rates(
    net: Network,
    plan: dict[str, float] | None = None,
    period: int | None = None,
    stock: dict[tuple[str, str], float] | None = None,
) -> Rates:
    """Rates of ``net`` in ``period``; ``plan`` maps decision ids (sites opened, options built, lanes
    qualified) to values, ``stock`` the stock in place when the window opens (default: opening stock).

    Without a plan, candidate sites, options and lanes needing qualification are left out
    (the network as it stands); closable sites count as open. Options count once available
    by ``period``. Without a period: first-period capacities and the mean demand per period
    over the horizon (the network as it stands); with one: that period's capacities and demand.
    With periods of unequal length the rates are per that period (first or ``period``): its capacities
    (already scaled by its length), and the horizon's demand and holding cost spread over the horizon
    counted in units of its length.
    """
    plan = plan or {}
    mean_demand = period is None
    period = 0 if period is None else period
    # the horizon in units of this period's length (= the number of periods when all are equal)
    horizon = sum(d / net.period_days[period] for d in net.period_days)
    gated_candidates = {str(s) for s in net.sites.index if net.sites.at[s, "status"] == "candidate"}
    processes: dict[tuple[str, str], float] = {}
    for site, proc in net.process_sites:
        if site in gated_candidates and plan.get(site, 0.0) < 0.5:
            continue
        cap = net.p("Processes", "capacity", proc, period, ROOT)
        for o in net.options.itertuples(index=False):
            if (
                str(o.site) == site
                and str(o.process) == proc
                and net.option_available[str(o.option)] <= period
            ):
                share = net.option_share(str(o.option), period)  # ramp-up
                added = float(o.capacity_added) * net.period_weight[period]
                cap += (added if share == 1.0 else added * share) * plan.get(str(o.option), 0.0)
        processes[(site, proc)] = cap
    lanes: dict[str, tuple[str, str, list[str], float]] = {}
    for ln in net.lanes.itertuples(index=False):
        lane = str(ln.lane)
        if bool(ln.qualification) and plan.get(lane, 0.0) < 0.5:
            continue
        lanes[lane] = (
            str(ln.origin),
            str(ln.destination),
            list(net.lane_products[lane]),
            net.p("Lanes", "capacity", lane, period, ROOT),
        )
    contracts = {
        str(c.contract): (
            str(c.supplier),
            str(c.product),
            net.p("Contracts", "max_per_period", str(c.contract), period, ROOT),
        )
        for c in net.contracts.itertuples(index=False)
    }
    demand: dict[tuple[str, str], float] = defaultdict(float)
    pen_sum: dict[tuple[str, str], float] = defaultdict(float)
    default_pen = float(net.settings["shortage_penalty"])
    for d, row in enumerate(net.demand.itertuples(index=False)):
        if not mean_demand and str(row.period) != net.periods[period]:
            continue
        key = (str(row.site), str(row.product))
        t_row = net.periods.index(str(row.period))
        q = net.p("Demand", "quantity", d, t_row, ROOT) / (horizon if mean_demand else 1)
        pen = float(row.shortage_penalty) if not math.isnan(float(row.shortage_penalty)) else default_pen
        demand[key] += q
        pen_sum[key] += pen * q
    penalty = {k: (pen_sum[k] / demand[k] if demand[k] > 0 else default_pen) for k in demand}
    if stock is None:
        stock = opening_stock(net)
    storage: dict[tuple[str, str], tuple[float, float]] = {}
    for i in net.inventory.itertuples(index=False):
        key = (str(i.site), str(i.product))
        hold = net.p("Inventory", "cost_holding", key, period, ROOT) * horizon
        unit = hold if hold > 0 else 1e-3 * max(1.0, net.p("Products", "value", key[1], period, ROOT))
        most = (
            math.inf if math.isnan(float(i.max_stock)) else max(0.0, float(i.max_stock) - stock.get(key, 0.0))
        )
        storage[key] = (unit, most)
    licence_lanes: dict[str, set[str]] = defaultdict(set)
    rules = net.data["ExportControls"]
    for r in rules.itertuples(index=False):
        country = str(r.country)
        members = net.groups.get(str(r.destination_group), set()) if not _blank(r.destination_group) else None
        for lane, (orig, dest, prods, _cap) in lanes.items():
            if str(r.product) not in prods or net.site_country(orig) != country:
                continue
            dest_country = net.site_country(dest)
            if (members is None and dest_country != country) or (
                members is not None and dest_country in members
            ):
                licence_lanes[str(r.rule)].add(lane)
    return Rates(
        processes=processes,
        recipe_in=net.recipe_in,
        recipe_out=net.recipe_out,
        lanes=lanes,
        contracts=contracts,
        demand=dict(demand),
        penalty=penalty,
        stock=stock,
        storage=storage,
        licence_lanes=dict(licence_lanes),
        period_days=net.period_days[period],
        horizon_periods=horizon,
    )


def disruption_nodes(net: Network) -> list[Node]:
    """Every node of the analysis: Disruptions rows, sites with ttr_periods, and (without TTR)
    every other supply site, every supplying country and every export rule. Demand regions are
    customers, not supply nodes: a country node cuts its supply sites only."""
    nodes: list[Node] = []
    seen: set[tuple[str, str]] = set()
    country_sites: dict[str, set[str]] = defaultdict(set)  # supply sites only: customers are not cut
    for s in net.sites.itertuples(index=False):
        if s.type != "demand_region":
            country_sites[str(s.country)].add(str(s.site))
    for r in net.data["Disruptions"].itertuples(index=False):
        kind, target = str(r.kind), str(r.target)
        parts = [p.strip() for p in target.split("+")]  # several targets cut at once
        sites: set[str] = set()
        if kind == "site":
            sites = set(parts)
        elif kind == "country":
            sites = set().union(*(country_sites.get(p, set()) for p in parts))
        rules = set(parts) if kind == "licence" else set()
        nodes.append(
            Node(str(r.disruption), kind, target, float(r.ttr_periods), frozenset(sites), frozenset(rules))
        )
        seen.add((kind, target))
    supply = [str(s.site) for s in net.sites.itertuples(index=False) if s.type != "demand_region"]
    for site in supply:
        if ("site", site) in seen:
            continue
        ttr = float(net.sites.at[site, "ttr_periods"])
        nodes.append(Node(site, "site", site, None if math.isnan(ttr) else ttr, frozenset({site})))
    for country in sorted({net.site_country(s) for s in supply}):
        if ("country", country) not in seen:
            nodes.append(
                Node(f"country {country}", "country", country, None, frozenset(country_sites[country]))
            )
    for rule in sorted({str(r) for r in net.data["ExportControls"]["rule"]}):
        if ("licence", rule) not in seen:
            nodes.append(Node(f"licence {rule}", "licence", rule, None, rules=frozenset({rule})))
    return nodes


def plan_decisions(decisions: Any) -> dict[str, float]:
    """Decision values of a solution's decisions table, for :func:`network_rates`."""
    return {str(r.id): float(r.value) for r in decisions.itertuples(index=False)}


def opening_stock(net: Network) -> dict[tuple[str, str], float]:
    """Initial stock per (site, product) of every Inventory row."""
    return {
        (str(i.site), str(i.product)): float(i.initial_stock) for i in net.inventory.itertuples(index=False)
    }


def plan_window(net: Network, inventory: Any) -> tuple[int, dict[tuple[str, str], float]]:
    """Where a stress of a plan starts: the reveal period, with the plan's here-and-now stock.

    The stock is the plan's total stock per (site, product) at the end of the last period before
    the reveal (the same in every scenario); with the reveal in the first period, the opening
    stock. ``inventory`` is a solution's inventory table.
    """
    start = max(net.reveal, 0)
    stock = opening_stock(net)
    if start == 0 or inventory is None or len(inventory) == 0:
        return start, stock
    before = net.periods[start - 1]
    rows = inventory[(inventory["period"] == before) & (inventory["scenario"] == net.scenarios[0])]
    for (site, product), q in rows.groupby(["site", "product"])["stock"].sum().items():
        stock[(str(site), str(product))] = float(q)
    return start, stock
