"""Finite upper bounds on what can ship on a lane in a period, from the data alone (no Pyomo).

Big-M constraints (single sourcing, the strong open link) are only as tight as their bound.
:class:`FlowBounds` derives the smallest bound the data allow for a shipment of product p on
lane l leaving in period t at node w, from four independent limits:

- the lane's capacity;
- what the origin can have had of p by t: initial stock plus, each period up to t, its
  production capacity (options at their most units), contract maxima and inbound lane
  capacities;
- what the destination can absorb from the arrival period a on: its demand for p, its
  storage limit, its processes' input at capacity, its outbound lane capacities and its sale
  contracts' maxima (unbounded where it can discard p);
- for a pure sink (demand only), its demand in the arrival period (the textbook
  ``x_ij <= d_j y_ij`` of facility location).

Each limit is +inf when a term in it is unlimited; the bound is the smallest.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache

from planner.model.index import ModelIndex
from planner.network import ROOT, Network


class FlowBounds:
    """Upper bounds on shipments per (lane, product, period, node); see the module docstring."""

    def __init__(self, net: Network, ix: ModelIndex) -> None:
        self.net = net
        self.ix = ix
        self.options_at: dict[tuple[str, str], float] = defaultdict(float)
        for o in net.options.itertuples(index=False):
            self.options_at[(str(o.site), str(o.process))] += float(o.capacity_added) * float(
                o.max_units if bool(o.integer) else 1
            )
        # lane ends as dicts, looked up once per lane rather than as DataFrame cells per shipment
        lane_ids = [str(lane) for lane in net.lanes.index]
        self.origin = dict(zip(lane_ids, (str(o) for o in net.lanes["origin"].tolist()), strict=True))
        self.destination = dict(
            zip(lane_ids, (str(d) for d in net.lanes["destination"].tolist()), strict=True)
        )
        self._pure_sink: dict[tuple[str, str], bool] = {}
        self.lanes_into: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.lanes_out: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ln in net.lanes.itertuples(index=False):
            for p in net.lane_products[str(ln.lane)]:
                self.lanes_into[(str(ln.destination), p)].append(str(ln.lane))
                self.lanes_out[(str(ln.origin), p)].append(str(ln.lane))
        self.supply = cache(self._supply)
        self.absorption = cache(self._absorption)

    # ------------------------------------------------------------------ pieces
    def production(self, site: str, p: str, t: int, w: str) -> float:
        """Most output of p at a site in (t, w): process capacity plus every option unit (scaled by w_t)."""
        net = self.net
        weight = net.period_weight[t]
        return sum(
            q * (net.p("Processes", "capacity", proc, t, w) + self.options_at[(site, proc)] * weight)
            for proc, q in self.ix.produce.get((site, p), ())
        )

    def demand(self, site: str, p: str, t: int, w: str) -> float:
        """Demand for p at a site in period t, the largest over the scenarios of node w."""
        net = self.net
        rows = self.ix.demand_at.get((site, p, t), ())
        if not rows:
            return 0.0
        nodes = {net.node(t, s) for s in net.node_scenarios(w, self.ix.scenarios)}
        return max(sum(net.p("Demand", "quantity", d, t, node) for d in rows) for node in nodes)

    def _supply(self, site: str, p: str, t: int, w: str) -> float:
        """What the site can have had of p by the end of t (cumulative; +inf when unlimited)."""
        net = self.net
        total = (
            float(net.inventory.at[(site, p), "initial_stock"]) if (site, p) in net.inventory.index else 0.0
        )
        contracts = self.ix.purchases_at.get((site, p), [])
        for tau in range(t + 1):
            node = ROOT if w == ROOT else net.node(tau, w)  # the one path through (t, w)
            total += self.production(site, p, tau, node)
            total += sum(net.p("Contracts", "max_per_period", c, tau, node) for c in contracts)
            total += sum(net.p("Lanes", "capacity", lane, tau, node) for lane in self.lanes_into[(site, p)])
            if math.isinf(total):
                return math.inf
        return total

    def _absorption(self, site: str, p: str, a: int, w: str) -> float:
        """What the site can take of p from period a to the end of the horizon (+inf when unlimited)."""
        net = self.net
        if not math.isnan(float(net.products.at[p, "cost_disposal"])):
            return math.inf
        total = 0.0
        if (site, p) in net.inventory.index:
            total += float(net.inventory.at[(site, p), "max_stock"])
        for tau in range(a, len(net.periods)):
            total += self.demand(site, p, tau, w)
            for proc, q in self.ix.consume.get((site, p), ()):
                total += q * (
                    self._most("Processes", "capacity", proc, tau, w) + self.options_at[(site, proc)]
                )
            total += sum(self._most("Lanes", "capacity", lane, tau, w) for lane in self.lanes_out[(site, p)])
            total += sum(
                self._most("Contracts", "max_per_period", c, tau, w)
                for c in self.ix.sales_at.get((site, p), ())
            )
            if math.isinf(total) or math.isnan(total):
                return math.inf
        return total

    def _most(self, table: str, column: str, key: object, tau: int, w: str) -> float:
        """The largest value of a parameter in period tau over the scenarios that pass through w."""
        net = self.net
        return max(
            net.p(table, column, key, tau, net.node(tau, s)) for s in net.node_scenarios(w, self.ix.scenarios)
        )

    def is_pure_sink(self, site: str, p: str) -> bool:
        """Every unit of p arriving at the site must serve its demand there (no storage, use, disposal, lane
        out or sale)."""
        if (site, p) not in self._pure_sink:
            net = self.net
            self._pure_sink[(site, p)] = (
                (site, p) not in net.inventory.index
                and not self.ix.consume.get((site, p))
                and math.isnan(float(net.products.at[p, "cost_disposal"]))
                and not self.lanes_out[(site, p)]
                and not self.ix.sales_at.get((site, p))
            )
        return self._pure_sink[(site, p)]

    # ------------------------------------------------------------------ the bound
    def flow(self, lane: str, p: str, t: int, w: str, arrival: int) -> float:
        """Smallest data-derived upper bound on shipments of p on ``lane`` leaving in (t, w)."""
        net = self.net
        origin, dest = self.origin[lane], self.destination[lane]
        candidates = [
            net.p("Lanes", "capacity", lane, t, w),
            self.supply(origin, p, t, w),
            self.absorption(dest, p, arrival, w),
        ]
        if self.is_pure_sink(dest, p):
            candidates.append(self.demand(dest, p, arrival, w))
        return min(candidates)
