"""Decision variables.

First-stage variables (one value for every scenario) are listed in
:data:`FIRST_STAGE_VARS`; operational variables are indexed by a node ``w``
that is ROOT before the reveal period, so their ROOT entries are first-stage too.
Design decisions a row defers to the reveal (``decide = at_reveal``) are the
:data:`WAIT_VARS`: indexed by the scenario node at the reveal, they are second-stage. With two
reveals they are taken at the first one: ``c_wait_nonanticipative`` ties the values of the
scenarios of one Scenarios.stage1_group together.
"""

from __future__ import annotations

import math
from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.network import ROOT, Network

FIRST_STAGE_VARS = ("v_open", "v_build", "v_qualify", "v_assign")
WAIT_VARS = ("v_build_wait", "v_qualify_wait", "v_assign_wait", "v_sign_wait")
"""Design decisions taken at the reveal (one per scenario, last index the scenario): second stage."""


def build_var(m: Any, o: str, w: str) -> Any:
    """Units of option ``o`` built, as seen at node ``w``: :math:`Y_o` or, decided at the reveal, :math:`Y_{o,w}`.

    A waited option adds capacity only from the reveal period on (Network.option_available), where
    ``w`` is a scenario; asking for it at ROOT is a builder error.
    """
    if o in m.net.wait_options:
        if w == ROOT:
            raise ValueError(f"option {o} is decided at the reveal: it has no value before the reveal period")
        return m.v_build_wait[o, m.idx.wait_node(m.net, w)]
    return m.v_build[o]


def qualify_var(m: Any, lane: str, w: str) -> Any:
    """Qualification of ``lane`` as seen at node ``w``: :math:`Q_l` or, decided at the reveal, :math:`Q_{l,w}`."""
    if lane in m.net.wait_lanes:
        if w == ROOT:
            raise ValueError(
                f"lane {lane} is qualified at the reveal: it has no value before the reveal period"
            )
        return m.v_qualify_wait[lane, m.idx.wait_node(m.net, w)]
    return m.v_qualify[lane]


def _ub(x: float) -> float | None:
    return None if math.isinf(x) or math.isnan(x) else x


def floor_index(net: Network, ix: ModelIndex) -> list[tuple[str, str, int, str]]:
    """Total-stock keys of (site, product) pairs whose min_stock is breachable (floor_penalty set)."""
    inv = net.inventory
    soft = {
        k
        for k in inv.index
        if not math.isnan(float(inv.at[k, "floor_penalty"])) and float(inv.at[k, "min_stock"]) > 0
    }
    return [k for k in ix.inventory_total if (k[0], k[1]) in soft]


def closing_index(net: Network, ix: ModelIndex) -> list[tuple[str, str, str]]:
    """(site, product, node) of the last period for pairs with a closing-stock target."""
    share = float(net.settings.get("closing_stock_share", 1.0))
    last = len(net.periods) - 1
    return [
        (n, p, w)
        for n, p, t, w in ix.inventory_total
        if t == last and share > 0 and float(net.inventory.at[(n, p), "initial_stock"]) > 0
    ]


def inventory_bounds_table(net: Network) -> dict[tuple[str, str, bool], tuple[float, float | None]]:
    """Least and most total stock of every (site, product) at the end of a period, keyed
    ``(site, product, t is the last period)`` (the end-of-horizon minimum applies to the last only).

    Read once from the Inventory columns, so that a family looks its bounds up in a dict rather
    than as DataFrame cells per period and node.
    """
    inv = net.inventory
    cols = {
        c: [float(x) for x in inv[c].tolist()]
        for c in ("min_stock", "floor_penalty", "end_stock_min", "max_stock")
    }
    out: dict[tuple[str, str, bool], tuple[float, float | None]] = {}
    for i, (n, p) in enumerate(inv.index):
        lo = cols["min_stock"][i] if math.isnan(cols["floor_penalty"][i]) else 0.0
        hi = _ub(cols["max_stock"][i])
        out[(n, p, False)] = (lo, hi)
        out[(n, p, True)] = (max(lo, cols["end_stock_min"][i]), hi)
    return out


def add_variables(m: Any, net: Network, ix: ModelIndex, relax: bool = False) -> None:
    """Create every variable with its domain and bounds."""
    nonneg = pyo.NonNegativeReals
    binary = pyo.UnitInterval if relax else pyo.Binary

    # --- first stage
    m.v_open = pyo.Var(net.gated_sites, domain=binary, doc="site open (candidate) or kept open (closable)")
    opts = list(net.options.index)

    def build_domain(_m: Any, o: str) -> Any:
        if relax:
            return nonneg
        return pyo.NonNegativeIntegers if bool(net.options.at[o, "integer"]) else pyo.Binary

    def build_bounds(_m: Any, o: str) -> tuple[float, float]:
        units = float(net.options.at[o, "max_units"]) if bool(net.options.at[o, "integer"]) else 1.0
        return (0.0, units)

    now_opts = [o for o in opts if o not in net.wait_options]
    m.v_build = pyo.Var(now_opts, domain=build_domain, bounds=build_bounds, doc="capacity option units built")
    qual = [str(lane) for lane in net.lanes.index if bool(net.lanes.at[lane, "qualification"])]
    m.v_qualify = pyo.Var(
        [q for q in qual if q not in net.wait_lanes], domain=binary, doc="lane / supplier qualified"
    )
    m.v_assign = pyo.Var(m.idx_assign, domain=binary, doc="single-source assignment")

    # --- design decisions taken at the reveal: one per node of the (first) reveal (second stage)
    scen = list(ix.reveal_nodes)
    wait_opts = [(o, s) for o in opts if o in net.wait_options for s in scen]
    m.v_build_wait = pyo.Var(
        wait_opts,
        domain=lambda _m, o, s: build_domain(_m, o),
        bounds=lambda _m, o, s: build_bounds(_m, o),
        doc="capacity option units built at the reveal, per scenario",
    )
    m.v_qualify_wait = pyo.Var(
        [(q, s) for q in qual if q in net.wait_lanes for s in scen],
        domain=binary,
        doc="lane / supplier qualified at the reveal, per scenario",
    )
    m.v_assign_wait = pyo.Var(
        m.idx_assign_wait, domain=binary, doc="single-source assignment made at the reveal, per scenario"
    )
    m.v_sign_wait = pyo.Var(
        [(str(c), s) for c in net.contracts.index if str(c) in net.wait_contracts for s in scen],
        domain=binary,
        doc="contract signed at the reveal, per scenario",
    )

    # --- operational (per node)
    m.v_activity = pyo.Var(ix.activity, domain=nonneg, doc="process activity (by output tag)")
    m.v_flow = pyo.Var(ix.flow, domain=nonneg, doc="shipment leaving in period t")

    # the 'take' minimum of a contract signed at the reveal is a row (c_contracts_take_wait), not a bound
    take_min = {
        str(c): kind == "take" and str(c) not in net.wait_contracts
        for c, kind in net.contracts["take_or_pay"].items()
    }

    def purchase_bounds(_m: Any, c: str, t: int, w: str) -> tuple[float, float | None]:
        take = take_min[c]
        lo = net.p("Contracts", "min_per_period", c, t, w) if take else 0.0
        return (lo, _ub(net.p("Contracts", "max_per_period", c, t, w)))

    m.v_purchase = pyo.Var(ix.purchase, domain=nonneg, bounds=purchase_bounds, doc="contract purchase")
    m.v_unused = pyo.Var(ix.unused, domain=nonneg, doc="take-or-pay volume paid for but not taken")

    if ix.tagged:
        # totals are bounded by c_inventory_level; tags carry no bounds of their own
        m.v_inventory = pyo.Var(ix.inventory, domain=nonneg, doc="stock at end of period (by tag)")
    else:
        stock_limits = inventory_bounds_table(net)
        last = len(net.periods) - 1

        def inv_bounds(_m: Any, n: str, p: str, g: str, t: int, w: str) -> tuple[float, float | None]:
            return stock_limits[(n, p, t == last)]

        m.v_inventory = pyo.Var(ix.inventory, domain=nonneg, bounds=inv_bounds, doc="stock at end of period")

    def short_bounds(_m: Any, d: int, w: str) -> tuple[float, float]:
        return (0.0, max(0.0, net.p("Demand", "quantity", d, ix.demand_period[d], w)))

    m.v_shortage = pyo.Var(ix.shortage, domain=nonneg, bounds=short_bounds, doc="unmet demand")
    m.v_serve = pyo.Var(ix.serve, domain=nonneg, doc="demand served from material of a tag")
    m.v_use = pyo.Var(ix.use, domain=nonneg, doc="input of a tag used by a process variant")
    m.v_disposal = pyo.Var(ix.disposal, domain=nonneg, doc="units discarded")
    m.v_cover_short = pyo.Var(m.idx_cover_soft, domain=nonneg, doc="stock below a soft cover target")
    m.v_floor_short = pyo.Var(floor_index(net, ix), domain=nonneg, doc="stock below a breachable floor")
    m.v_closing_short = pyo.Var(closing_index(net, ix), domain=nonneg, doc="closing stock below its target")
