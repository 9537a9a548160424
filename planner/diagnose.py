"""Explain infeasibility in business terms: IIS members -> workbook rows.

Takes the members of an irreducible infeasible subset as plain
``(component name, index, side)`` triples (the solve layer reads them from
HiGHS) and says which workbook rows they come from. No Pyomo here.
"""

from __future__ import annotations

from typing import Any

from planner.network import ROOT, Network
from planner.tables import ROW


def _period(net: Network, t: int) -> str:
    return net.periods[t]


def _row_of(net: Network, table: str, frame_key: Any) -> str:
    try:
        frames = {
            "Contracts": net.contracts,
            "Inventory": net.inventory,
            "Processes": net.processes,
            "Lanes": net.lanes,
            "Sites": net.sites,
        }
        row = int(frames[table].loc[frame_key][ROW])
        return f"{table} row {row}" if row else table
    except (KeyError, TypeError, ValueError):
        return table


def _scen(w: str) -> str:
    return "" if w == ROOT else f", scenario {w}"


def explain_member(component: str, index: Any, side: str, net: Network) -> str | None:
    """One line for one IIS member, or None for members that add nothing a user can act on."""
    idx = index if isinstance(index, tuple) else (index,)
    if component == "c_balance_node":
        n, p, _g, t, w = idx
        return f"material balance of {p} at site {n} in {_period(net, t)}{_scen(w)}: every unit must be used, stored, shipped or (if Products.cost_disposal is set) discarded"
    if component == "v_purchase":
        c, t, w = idx
        where = _row_of(net, "Contracts", c)
        if side == "lower":
            return f"{where}: contract {c} must take at least {net.p('Contracts', 'min_per_period', c, t, w):g} in {_period(net, t)}{_scen(w)} (min_per_period, take)"
        return f"{where}: contract {c} allows at most {net.p('Contracts', 'max_per_period', c, t, w):g} in {_period(net, t)}{_scen(w)} (max_per_period)"
    if component == "v_inventory":
        n, p, _g, t, w = idx
        where = _row_of(net, "Inventory", (n, p))
        inv = net.inventory.loc[(n, p)]
        if side == "upper":
            return f"{where}: stock of {p} at {n} is capped at max_stock {float(inv['max_stock']):g}"
        last = t == len(net.periods) - 1
        what = "end_stock_min/min_stock" if last else "min_stock"
        return f"{where}: stock of {p} at {n} must be at least {what} in {_period(net, t)}{_scen(w)}"
    if component == "c_capacity_process":
        n, k, t, w = idx
        return (
            f"{_row_of(net, 'Processes', k)}: capacity of process {k} at {n} in {_period(net, t)}{_scen(w)}"
        )
    if component == "c_lanes_capacity":
        lane, t, w = idx
        return f"{_row_of(net, 'Lanes', lane)}: capacity of lane {lane} in {_period(net, t)}{_scen(w)}"
    if component == "c_inventory_cover":
        n, p, t, w = idx
        return f"{_row_of(net, 'Inventory', (n, p))}: hard days-of-cover target of {p} at {n} in {_period(net, t)}{_scen(w)}"
    if component == "c_inventory_level":
        n, p, t, w = idx
        return f"{_row_of(net, 'Inventory', (n, p))}: stock limits (min_stock, max_stock, end_stock_min) of {p} at {n} in {_period(net, t)}{_scen(w)}"
    if component == "c_licence_ship":
        rule, p, t, w = idx
        return (
            f"ExportControls rule {rule}: shipments of {p} in {_period(net, t)}{_scen(w)} need licensed volume "
            "(approval_share x reference_volume, after review_delay)"
        )
    if component == "v_shortage":
        return None  # shortage bounds (0 <= U <= D) are never the business cause
    if component in ("v_flow", "v_activity", "v_disposal", "v_unused") and side == "lower":
        return None  # non-negativity
    return f"{component}[{', '.join(map(str, idx))}] ({side})"


def explain_members(members: list[tuple[str, Any, str]], net: Network) -> list[str]:
    """Lines for every IIS member a user can act on, without duplicates, in a stable order."""
    out: list[str] = []
    for comp, idx, side in members:
        line = explain_member(comp, idx, side, net)
        if line and line not in out:
            out.append(line)
    return out
