"""Explain infeasibility in business terms: IIS members -> workbook rows.

Takes the members of an irreducible infeasible subset as plain
``(component name, index, side)`` triples (the solve layer reads them from
HiGHS) and says which workbook rows they come from. No Pyomo here.
"""

from __future__ import annotations

import os
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


def _scen(w: str, net: Network | None = None) -> str:
    alone = net is not None and len(getattr(net, "scenarios", ())) == 1
    return "" if w == ROOT or alone else f", scenario {w}"


def _when(net: Network, t: int, w: str) -> str:
    return f"period {_period(net, t)}{_scen(w, net)}"


def _tag(g: str) -> str:
    return f" (material of origin {g})" if g else ""


DEBUG = False
"""Set by ``planner --debug``: lines also carry the solver's raw names (as does ``PLANNER_DEBUG=1``)."""


def debugging() -> bool:
    return DEBUG or os.environ.get("PLANNER_DEBUG") == "1"


def _num(value: float | None) -> str:
    return "?" if value is None else f"{value:,.6g}"


def _bound(side: str, value: float | None, unit: str) -> str:
    """ "at least 10 t" / "at most 10 t" / "exactly 10 t" for the bound that binds."""
    word = {"lower": "at least", "upper": "at most", "both": "exactly"}.get(side, "limited to")
    return f"{word} {_num(value)}{' ' + unit if unit else ''}"


def _unit(net: Network) -> str:
    return str(net.settings.get("mass_unit", "t") or "")


def _side_word(side: str) -> str:
    return {"lower": "its minimum", "upper": "its maximum", "both": "its exact value"}.get(side, "its limit")


def explain_member(
    component: str, index: Any, side: str, net: Network, value: float | None = None
) -> str | None:
    """One line for one IIS member, or None for members that add nothing a user can act on.

    ``side`` is the bound of the member that binds: ``lower``, ``upper`` or ``both`` (from the
    IIS bound status); ``value`` is that bound for a variable (None for a row).
    """
    idx = index if isinstance(index, tuple) else (index,)
    unit = _unit(net)
    if component.startswith("v_"):
        if side not in ("lower", "upper", "both"):
            return None  # in the conflict, but none of its bounds is
        return _variable_line(component, idx, side, net, value, unit)
    return _row_line(component, idx, side, net)


def _variable_line(
    component: str, idx: tuple[Any, ...], side: str, net: Network, value: float | None, unit: str
) -> str | None:
    nonneg = side == "lower" and (value is None or value == 0)
    if component == "v_shortage":
        return None  # shortage bounds (0 <= U <= D) are never the business cause
    if (
        component
        in ("v_flow", "v_activity", "v_disposal", "v_unused", "v_serve", "v_use", "v_inventory", "v_open")
        + ("v_build", "v_qualify", "v_assign", "v_build_wait", "v_qualify_wait", "v_assign_wait")
        + ("v_sign_wait",)
        and nonneg
    ):
        return None  # non-negativity
    if component in ("v_cover_short", "v_floor_short", "v_closing_short", "v_cvar_excess") and nonneg:
        return None
    if component == "v_purchase":
        c, t, w = idx
        where = _row_of(net, "Contracts", c)
        column = {"lower": "min_per_period, take", "upper": "max_per_period"}.get(side, "min/max_per_period")
        what = "sales" if c in net.sell_contracts else "purchases"
        return f"contract {c}, {_when(net, t, w)}: {what} {_bound(side, value, unit)} ({where} {column})"
    if component == "v_inventory":
        n, p, g, t, w = idx
        where = _row_of(net, "Inventory", (n, p))
        last = t == len(net.periods) - 1
        column = {"lower": "end_stock_min/min_stock" if last else "min_stock", "upper": "max_stock"}.get(
            side, "min_stock/max_stock"
        )
        return f"stock of {p}{_tag(g)} at {n}, end of {_when(net, t, w)}: {_bound(side, value, unit)} ({where} {column})"
    if component == "v_flow":
        lane, p, g, t, w = idx
        return (
            f"lane {lane}, {p}{_tag(g)}, {_when(net, t, w)}: shipments {_bound(side, value, unit)} "
            f"({_row_of(net, 'Lanes', lane)})"
        )
    if component == "v_activity":
        n, k, g, t, w = idx
        return (
            f"process {k} at {n}{_tag(g)}, {_when(net, t, w)}: activity {_bound(side, value, unit)} "
            f"({_row_of(net, 'Processes', k)})"
        )
    if component == "v_build":
        (o,) = idx
        return f"capacity option {o}: units built {_bound(side, value, '')} (CapacityOptions {'max_units' if side == 'upper' else 'row'})"
    if component == "v_build_wait":
        o, s = idx
        return f"capacity option {o} built at the reveal in {s}: units built {_bound(side, value, '')} (CapacityOptions {'max_units' if side == 'upper' else 'row'})"
    if component == "v_qualify_wait":
        lane, s = idx
        return f"lane {lane} qualified at the reveal in {s}: at most once ({_row_of(net, 'Lanes', lane)} qualification)"
    if component == "v_open":
        (n,) = idx
        state = "opened at most once (its capacity counts once)" if side == "upper" else "must be open"
        return f"site {n}: {state} ({_row_of(net, 'Sites', n)} status)"
    if component == "v_qualify":
        (lane,) = idx
        return f"lane {lane}: qualified at most once ({_row_of(net, 'Lanes', lane)} qualification)"
    if component == "v_assign":
        return f"single-source assignment {', '.join(map(str, idx))}: {_side_word(side)} (SourcingRules single_source)"
    if component == "v_disposal":
        n, p, *_rest = idx
        return f"discarding {p} at {n}: {_bound(side, value, unit)} (Products.cost_disposal)"
    return f"{_human(component)} {', '.join(map(str, idx))}: {_bound(side, value, '')}"


def _row_line(component: str, idx: tuple[Any, ...], side: str, net: Network) -> str | None:
    if component == "c_balance_node":
        n, p, g, t, w = idx
        return (
            f"material balance of {p}{_tag(g)} at site {n}, {_when(net, t, w)}: every unit must be used, "
            "stored, shipped or (if Products.cost_disposal is set) discarded"
        )
    if component == "c_capacity_process":
        n, k, t, w = idx
        return f"process {k} at {n}, {_when(net, t, w)}: activity at most its capacity ({_row_of(net, 'Processes', k)} capacity, plus options built)"
    if component == "c_lanes_capacity":
        lane, t, w = idx
        return f"lane {lane}, {_when(net, t, w)}: shipments at most its capacity ({_row_of(net, 'Lanes', lane)} capacity)"
    if component == "c_inventory_cover":
        n, p, t, w = idx
        return f"stock of {p} at {n}, {_when(net, t, w)}: at least the hard days-of-cover target ({_row_of(net, 'Inventory', (n, p))})"
    if component == "c_inventory_level":
        n, p, t, w = idx
        what = {"lower": "at least min_stock/end_stock_min", "upper": "at most max_stock"}.get(
            side, "within min_stock, max_stock, end_stock_min"
        )
        return f"stock of {p} at {n}, end of {_when(net, t, w)}: {what} ({_row_of(net, 'Inventory', (n, p))})"
    if component == "c_licence_ship":
        rule, p, t, w = idx
        return (
            f"ExportControls rule {rule}: shipments of {p}, {_when(net, t, w)}: at most the licensed volume "
            "(approval_share x reference_volume, after review_delay)"
        )
    if component == "c_balance_demand":
        return f"demand {', '.join(map(str, idx))}: served plus shortage equals the Demand quantity"
    bound = {"lower": "lower limit", "upper": "upper limit", "both": "equation"}.get(side, "limit")
    return f"{_human(component)} {', '.join(map(str, idx))} ({bound})"


def _human(component: str) -> str:
    """``c_sourcing_share`` -> ``sourcing share``: a component's name without its prefix."""
    name = component.split("_", 1)[1] if component[:2] in ("c_", "v_") else component
    return name.replace("_", " ")


def raw_name(component: str, index: Any, side: str) -> str:
    """The solver's name of an IIS member, for ``--debug``: ``v_flow[L1, CONC, , 1, BAN] (upper)``."""
    idx = index if isinstance(index, tuple) else (index,)
    return f"{component}[{', '.join(map(str, idx))}] ({side})"


def explain_members(members: list[tuple[Any, ...]], net: Network, debug: bool | None = None) -> list[str]:
    """Lines for every IIS member a user can act on, without duplicates, in a stable order.

    A member is ``(component, index, side)`` or ``(component, index, side, bound value)``. Each
    line names the business object and the bound that binds; with ``debug`` (default:
    :func:`debugging`) it ends with the solver's raw name in brackets.
    """
    show_raw = debugging() if debug is None else debug
    out: list[str] = []
    for member in members:
        comp, idx, side = member[:3]
        value = member[3] if len(member) > 3 else None
        line = explain_member(comp, idx, side, net, value)
        if line and show_raw:
            line += f" [{raw_name(comp, idx, side)}]"
        elif show_raw:
            line = f"(not a cause) [{raw_name(comp, idx, side)}]"
        if line and line not in out:
            out.append(line)
    return out
