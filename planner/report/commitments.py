"""Page one of the report: what to commit to now, and why.

:func:`commitments` lists each here-and-now decision the plan takes (open a site, build
capacity, qualify a lane, build up stock before the licence outcome is known) with its quantity,
when it takes effect, its full cost over the horizon (one-off plus running cost, discounted as
the objective is) and the scenarios in which it is used, i.e. what it protects against. Decisions
not to act ("do not build", "keep candidate closed", ...) go to a footnote.

The costs are recomputed from the network's data with the objective's own terms
(:func:`planner.model.objective.cost_terms`): one-off costs in the period they are paid, running
costs in every period the capacity exists, each times ``Network.discount``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.metrics import Metrics, fmt_money, fmt_pct, fmt_tonnes
from planner.report.content import Block

if TYPE_CHECKING:
    from planner.network import Network
    from planner.solution import Solution

TOL = 1e-6
USED = "Protects against (used in)"
USED_AND_WORTH = "Protects against (used in; without it, re-solved)"
MAX_NAMES_IN_FOOTNOTE = 3
DETAIL_COLUMNS = ["Commit to", "Quantity", "When", "Cost over the horizon", "What the cost covers", USED]
PAGE_ONE_ROWS = 8
"""Grouped rows page one shows; the rest are summed in one line (every row is on the Decisions sheet)."""


@dataclass
class Commitments:
    """The page-one table, the footnote of decisions not taken, and the total committed cost.

    ``rows`` are the decisions one by one (the Decisions sheet's first table, ``detail``); ``groups``
    join the rows page one reads as one commitment (the lanes qualified from one supplier by the
    same date, the stock built up at one site) and carry ``_key`` and the ``_design`` / ``_stock``
    removal :func:`planner.model.sweeps.plan_without` values. ``one_off`` is the discounted
    one-off part (opening, building, qualifying, closing): it equals the Costs sheet's capacity plus
    qualification components. Rows keep ``_id`` (the workbook id) and ``_one_off``.
    """

    block: Block
    footnote: str
    total: float
    one_off: float
    rows: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    detail: Block | None = None


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def site_name(net: Network, site: str) -> str:
    """A site's name from Sites.name, or its id where it has none."""
    if site in net.sites.index and "name" in net.sites.columns:
        name = _text(net.sites.at[site, "name"])
        if name:
            return name
    return site


def _product_name(net: Network, product: str) -> str:
    if product in net.products.index and "name" in net.products.columns:
        name = _text(net.products.at[product, "name"])
        if name:
            return name
    return product


def _process_name(net: Network, process: str) -> str:
    if process in net.processes.index and "name" in net.processes.columns:
        name = _text(net.processes.at[process, "name"])
        if name:
            return name
    return process


def _lane_name(net: Network, lane: str, with_products: bool = True) -> str:
    """``lane Shin-Etsu -> EU automotive``: the sites' names (ids where unnamed); the lane's products
    are added when another lane joins the same two sites (unless ``with_products`` is false: the
    caller names them)."""
    o, d = str(net.lanes.at[lane, "origin"]), str(net.lanes.at[lane, "destination"])
    name = f"lane {site_name(net, o)} -> {site_name(net, d)}"
    lanes = net.lanes
    twins = lanes[(lanes["origin"].astype(str) == o) & (lanes["destination"].astype(str) == d)]
    if len(twins) > 1 and with_products:
        products = net.lane_products.get(lane, [])
        name += f" ({', '.join(products)})" if products else f" ({lane})"
    return name


def _option_name(net: Network, option: str) -> str:
    site, process = str(net.options.at[option, "site"]), str(net.options.at[option, "process"])
    return f"{_process_name(net, process)} at {site_name(net, site)}"


def _scenarios_text(m: Metrics, used: list[str]) -> str:
    """``BAN (30%)``; ``every scenario``; ``no scenario (kept in reserve)``."""
    if not used:
        return "no scenario"
    if len(used) == len(m.scenario_ids) and len(used) > 1:
        return "every scenario"
    missing = [s for s in m.scenario_ids if s not in used]
    if len(used) > 2 and len(missing) < len(used):
        share = sum(m.probability.get(s, 0.0) for s in used)
        return f"every scenario but {', '.join(missing)} ({fmt_pct(share)} likely)"
    share = sum(m.probability.get(s, 0.0) for s in used)
    names = ", ".join(used)
    return f"{names} ({fmt_pct(share)} likely)" if len(used) > 1 else f"{names} ({fmt_pct(share)})"


def _running(net: Network, first: int, per_period: float) -> tuple[float, int]:
    """Discounted running cost from period ``first`` to the end, and the number of periods."""
    periods = [t for t in net.T if t >= first]
    return sum(net.discount[t] * per_period * net.period_weight[t] for t in periods), len(periods)


def _discounted(net: Network) -> str:
    rate = float(net.settings.get("discount_rate") or 0.0)
    return ", discounted" if rate > 0 else ""


def _option_row(sol: Solution, net: Network, m: Metrics, option: str, units: float) -> dict[str, Any]:
    o = net.options.loc[option]
    site, process = str(o["site"]), str(o["process"])
    last = len(net.periods) - 1
    avail = net.option_available[option]
    t_build = min(avail, last)
    build = float(o["cost_build"]) * units
    running, n_running = _running(net, avail, float(o["cost_fixed"]) * units)
    cost = net.discount[t_build] * build + running
    out = net.recipe_out.get(process, [])
    product, qty = (out[0][0], float(out[0][1])) if out else ("", 1.0)
    per_year = 365.25 / float(net.settings.get("period_length_days") or 91.3125)
    added = float(o["capacity_added"]) * units * qty * per_year
    n_units = round(units)
    quantity = f"{n_units:g} module{'s' if n_units != 1 else ''}" + (
        f", +{fmt_tonnes(added, m.mass_unit)}/yr of {_short_product(net, product)}" if product else ""
    )
    covers = [f"build {fmt_money(build, m.currency)}"] if build else []
    if running:
        covers.append(
            f"running {fmt_money(float(o['cost_fixed']) * units, m.currency)} a period x {n_running}"
        )
    # used: the process at the site runs above the capacity it had without the option
    prod = sol.production
    rows = prod[(prod["site"] == site) & (prod["process"] == process)] if len(prod) else prod
    used = []
    if len(rows):
        act = (
            rows.drop_duplicates(["period", "scenario", "origin_tag"])
            .groupby(["period", "scenario"])["activity"]
            .sum()
        )
        pos = {p: i for i, p in enumerate(net.periods)}
        for s in m.scenario_ids:
            for (period, scen), a in act.items():
                t = pos.get(period, -1)
                if scen != s or t < avail:
                    continue
                base = net.p("Processes", "capacity", process, t, net.node(t, s))
                if float(a) > base + TOL:
                    used.append(s)
                    break
    effective = net.periods[avail] if avail < len(net.periods) else "after the horizon"
    return {
        "Commit to": f"Build capacity: {_option_name(net, option)}",
        "Quantity": quantity,
        "When": f"available {effective}",
        "Cost over the horizon": cost,
        "What the cost covers": ("; ".join(covers) or "no cost in the workbook") + _discounted(net),
        USED: _scenarios_text(m, used),
        "_id": option,
        "_one_off": net.discount[t_build] * build,
        "_group": f"build {option}",
        "_design": [("v_build", option)],
    }


def lane_use(sol: Solution, net: Network, lane: str) -> tuple[dict[str, float], dict[str, float]]:
    """What a lane carries in the plan: tonnes a year in each scenario, counted over the periods the
    lane can carry (from its qualification to the horizon's end), and tonnes per product over the
    horizon, all scenarios together, in the order of the lane's products. Page one and the README's
    answer (:mod:`planner.docs`) both read a qualification's use from here."""
    fl = sol.flows
    on = fl[(fl["lane"] == lane) & (fl["quantity"] > TOL)] if len(fl) else fl
    last = len(net.periods) - 1
    years = sum(net.period_days[min(net.lane_usable_from(lane), last) :]) / 365.25 if net.period_days else 1.0
    total = on.groupby("scenario")["quantity"].sum() if len(on) else pd.Series(dtype=float)
    per_year = {str(s): float(total.get(s, 0.0)) / max(years, 1e-9) for s in sol.scenarios["scenario"]}
    by_product = on.groupby("product")["quantity"].sum() if len(on) else pd.Series(dtype=float)
    return per_year, {p: float(by_product.get(p, 0.0)) for p in net.lane_products.get(lane, [])}


def _lane_row(sol: Solution, net: Network, m: Metrics, lane: str) -> dict[str, Any]:
    last = len(net.periods) - 1
    lead = int(net.lanes.at[lane, "lead_time_qualification"])
    one_off = float(net.lanes.at[lane, "cost_qualification"])
    t_q = min(lead, last)
    per_year, by_product = lane_use(sol, net, lane)
    used = [s for s in m.scenario_ids if per_year.get(s, 0.0) > 0]
    expected = sum(m.probability.get(s, 0.0) * q for s, q in per_year.items())
    shipped = [p for p, q in by_product.items() if q > TOL]
    # a lane listing several products names those the plan ships over it
    for_what = f" for {', '.join(shipped)}" if len(by_product) > 1 and shipped else ""
    return {
        "Commit to": f"Qualify {_lane_name(net, lane, with_products=not for_what)}{for_what}",
        "Quantity": f"{fmt_tonnes(expected, m.mass_unit)}/yr expected" if used else "",
        "When": f"by {net.periods[lead]}" if lead < len(net.periods) else "after the horizon",
        "Cost over the horizon": net.discount[t_q] * one_off,
        "What the cost covers": f"qualification {fmt_money(one_off, m.currency)}{_discounted(net)}",
        USED: _scenarios_text(m, used) if used else "no scenario",
        "_id": lane,
        "_one_off": net.discount[t_q] * one_off,
        "_group": f"qualify from {net.lanes.at[lane, 'origin']} by {lead}",
        "_design": [("v_qualify", lane)],
        "_lane": lane,
        "_shipped": shipped,
        "_tonnes": expected,
        "_used": used,
    }


def _site_row(sol: Solution, net: Network, m: Metrics, site: str) -> dict[str, Any]:
    s = net.sites.loc[site]
    last = len(net.periods) - 1
    first = net.site_first_period[site]
    opening = float(s["cost_opening"])
    running, n_running = _running(net, first, float(s["cost_fixed"]))
    cost = net.discount[min(first, last)] * opening + running
    covers = [f"opening {fmt_money(opening, m.currency)}"] if opening else []
    if running:
        covers.append(f"running {fmt_money(float(s['cost_fixed']), m.currency)} a period x {n_running}")
    prod, fl = sol.production, sol.flows
    used = [
        sc
        for sc in m.scenario_ids
        if (
            len(prod) and ((prod["site"] == site) & (prod["scenario"] == sc) & (prod["activity"] > TOL)).any()
        )
        or (
            len(fl)
            and (
                ((fl["origin"] == site) | (fl["destination"] == site))
                & (fl["scenario"] == sc)
                & (fl["quantity"] > TOL)
            ).any()
        )
    ]
    return {
        "Commit to": f"Open site {site_name(net, site)}",
        "Quantity": "",
        "When": f"open from {net.periods[first]}" if first < len(net.periods) else "after the horizon",
        "Cost over the horizon": cost,
        "What the cost covers": ("; ".join(covers) or "no cost in the workbook") + _discounted(net),
        USED: _scenarios_text(m, used),
        "_id": site,
        "_one_off": net.discount[min(first, last)] * opening,
        "_group": f"open {site}",
        "_design": [("v_open", site)],
    }


def _stock_rows(sol: Solution, net: Network, m: Metrics) -> list[dict[str, Any]]:
    """Stock built up before the reveal: buy X t of P at S by period T (from Y t)."""
    reveal = net.reveal
    inv = sol.inventory
    if reveal <= 0 or not len(inv) or not m.scenario_ids:
        return []
    first_scen = m.scenario_ids[0]
    by_period = inv.groupby(["site", "product", "period", "scenario"], sort=False)["stock"].sum()
    last_root = net.periods[reveal - 1]
    initial = net.inventory["initial_stock"] if len(net.inventory) else pd.Series(dtype=float)
    rows = []
    keys = sorted({(str(a), str(b)) for a, b, _, _ in by_period.index})
    for site, product in keys:
        held = float(by_period.get((site, product, last_root, first_scen), 0.0))
        start = float(initial.get((site, product), 0.0)) if len(initial) else 0.0
        if held <= start + TOL:
            continue
        holding = 0.0
        for t in range(reveal):
            stock_t = float(by_period.get((site, product, net.periods[t], first_scen), 0.0))
            try:
                rate = net.p("Inventory", "cost_holding", (site, product), t, "ROOT")
            except KeyError:
                rate = 0.0
            holding += net.discount[t] * rate * stock_t
        used = []
        for s in m.scenario_ids:
            later = [float(by_period.get((site, product, p, s), 0.0)) for p in net.periods[reveal:]]
            if later and min(later) < held - TOL:
                used.append(s)
        rows.append(
            {
                "Commit to": f"Buy {fmt_tonnes(held - start, m.mass_unit)} of {_product_name(net, product)} at "
                f"{site_name(net, site)} by {last_root} (from {fmt_tonnes(start, m.mass_unit)})",
                "Quantity": f"hold {fmt_tonnes(held, m.mass_unit)}",
                "When": f"by {last_root}",
                "Cost over the horizon": holding,
                "What the cost covers": f"holding to {last_root}{_discounted(net)}",
                USED: f"drawn on in {_scenarios_text(m, used)}" if used else "not drawn on in any scenario",
                "_id": f"{site}/{product}",
                "_one_off": 0.0,
                "_group": f"stock at {site}",
                "_stock": [(site, product)],
                "_product": product,
                "_held": held,
                "_start": start,
                "_used": used,
            }
        )
    return rows


def _short_product(net: Network, product: str) -> str:
    """A product's name without its parenthetical (``Sintered NdFeB magnet, H grade ~2.5% Dy``)."""
    return _product_name(net, product).split(" (")[0]


def _common_family(names: list[str]) -> str:
    """The leading ``", "``-separated words every name shares (``Sintered NdFeB magnet``), or ""."""
    split = [n.split(", ") for n in names]
    common: list[str] = []
    for words in zip(*split, strict=False):
        if len(set(words)) != 1:
            break
        common.append(words[0])
    if any(len(w) <= len(common) for w in split):  # a name would be left empty
        common = common[: min(len(w) for w in split) - 1]
    return ", ".join(common)


def _join_stock(net: Network, m: Metrics, rows: list[dict[str, Any]]) -> dict[str, Any]:
    site = rows[0]["_stock"][0][0]
    held = sum(r["_held"] for r in rows)
    start = sum(r["_start"] for r in rows)
    used = sorted({s for r in rows for s in r["_used"]}, key=m.scenario_ids.index)
    names = [_short_product(net, r["_product"]) for r in rows]
    family = _common_family(names)
    parts = "; ".join(
        f"{name[len(family) + 2 :] if family else name} +{fmt_tonnes(r['_held'] - r['_start'], m.mass_unit)}"
        for name, r in zip(names, rows, strict=True)
    )
    when = rows[0]["When"]
    return {
        "Commit to": f"Buy {fmt_tonnes(held - start, m.mass_unit)}{f' of {family}' if family else ''} for stock "
        f"at {site_name(net, site)} {when} (from {fmt_tonnes(start, m.mass_unit)}): {parts}",
        "Quantity": f"hold {fmt_tonnes(held, m.mass_unit)}",
        "When": when,
        "Cost over the horizon": sum(float(r["Cost over the horizon"]) for r in rows),
        "What the cost covers": rows[0]["What the cost covers"],
        USED: f"drawn on in {_scenarios_text(m, used)}" if used else "not drawn on in any scenario",
    }


def _join_lanes(net: Network, m: Metrics, rows: list[dict[str, Any]]) -> dict[str, Any]:
    origin = str(net.lanes.at[rows[0]["_lane"], "origin"])
    by_dest: dict[str, list[str]] = {}
    for r in rows:
        dest = str(net.lanes.at[r["_lane"], "destination"])
        by_dest.setdefault(dest, []).extend(
            r.get("_shipped") or net.lane_products.get(r["_lane"], []) or [r["_lane"]]
        )
    to = "; ".join(f"{site_name(net, d)} ({', '.join(dict.fromkeys(ps))})" for d, ps in by_dest.items())
    used = sorted({s for r in rows for s in r["_used"]}, key=m.scenario_ids.index)
    one_off = float(net.lanes.at[rows[0]["_lane"], "cost_qualification"])
    same = all(float(net.lanes.at[r["_lane"], "cost_qualification"]) == one_off for r in rows)
    tonnes = sum(r["_tonnes"] for r in rows)
    return {
        "Commit to": f"Qualify {len(rows)} lanes from {site_name(net, origin)} to {to}",
        "Quantity": f"{fmt_tonnes(tonnes, m.mass_unit)}/yr expected" if tonnes > TOL else "",
        "When": rows[0]["When"],
        "Cost over the horizon": sum(float(r["Cost over the horizon"]) for r in rows),
        "What the cost covers": (
            f"{len(rows)} qualifications at {fmt_money(one_off, m.currency)}{_discounted(net)}"
            if same
            else f"{len(rows)} qualifications{_discounted(net)}"
        ),
        USED: _scenarios_text(m, used) if used else "no scenario",
    }


def group_rows(net: Network, m: Metrics, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Page one's rows: the decisions of one ``_group`` (lanes from one supplier qualified by the same
    date, stock built up at one site) joined into one commitment; design commitments first in the
    order of their first row (by cost), then stock by tonnes bought. Each carries ``_key`` and the
    ``_design`` / ``_stock`` removal that values it."""
    by_group: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_group.setdefault(str(r.get("_group") or r["_id"]), []).append(r)
    out = []
    for key, members in by_group.items():
        if len(members) == 1:
            joined = {c: members[0][c] for c in DETAIL_COLUMNS}
        elif key.startswith("stock at "):
            joined = _join_stock(net, m, members)
        else:
            joined = _join_lanes(net, m, members)
        joined.update(
            {
                "_key": key,
                "_design": [d for r in members for d in r.get("_design", [])],
                "_stock": [k for r in members for k in r.get("_stock", [])],
                "_ids": [r["_id"] for r in members],
                "_bought": sum(float(r.get("_held", 0.0)) - float(r.get("_start", 0.0)) for r in members),
            }
        )
        out.append(joined)
    designs = [g for g in out if not g["_stock"]]
    stock = sorted((g for g in out if g["_stock"]), key=lambda g: -float(g["_bought"]))
    return designs + stock


SIGN = {"above": "≥", "below": "≤"}
SHORT_NOTE = 60
"""Longest note of a commitment's value that page one quotes as it is; longer ones are summarised."""


def break_even(
    rise: dict[str, float], probability: dict[str, float], tol: float = 0.0
) -> list[dict[str, Any]]:
    """Where a commitment stops paying as one scenario's probability moves, the others keeping their ratios.

    With ``r_s`` the plan's cost rise without the commitment in scenario ``s`` (``rise``) and ``p``
    the scenario probabilities, its value is ``V = sum_s p_s r_s``. Moving ``p_s`` to ``q`` and
    scaling the others by ``(1 - q) / (1 - p_s)`` gives ``V(q) = q r_s + (1 - q) A_s`` with
    ``A_s = sum_{k != s} p_k r_k / (1 - p_s)``, which is zero at ``q* = A_s / (A_s - r_s)``: a root in
    (0, 1) exactly when ``r_s`` and ``A_s`` differ in sign. Rises within ``tol`` of zero count as zero.
    Each row: ``scenario``, ``probability`` (today's), ``break_even`` (q*) and ``pays`` = ``"above"``
    (it pays while the probability stays above q*, r_s > 0) or ``"below"``; the scenarios it protects
    against (``above``) first, each group sorted by how far the probability must move, as a ratio,
    the nearest first. Both plans (with and without the
    commitment) keep the operations they were solved with, so q* is the break-even of the
    commitment against the plan's best alternative at today's probabilities.
    """
    r = {s: (0.0 if abs(v) <= tol else float(v)) for s, v in rise.items() if s in probability}
    rows: list[dict[str, Any]] = []
    for s, r_s in r.items():
        p_s = float(probability[s])
        if p_s >= 1.0 or r_s == 0.0:
            continue
        a_s = sum(float(probability[k]) * v for k, v in r.items() if k != s) / (1.0 - p_s)
        if a_s == 0.0 or (a_s > 0) == (r_s > 0):
            continue
        q = a_s / (a_s - r_s)
        rows.append(
            {"scenario": s, "probability": p_s, "break_even": q, "pays": "above" if r_s > 0 else "below"}
        )
    return sorted(
        rows,
        key=lambda x: (
            x["pays"] != "above",
            abs(math.log(max(x["break_even"], 1e-12) / max(x["probability"], 1e-12))),
        ),
    )


def one_signed(rise: dict[str, float], tol: float) -> str:
    """``"any"`` when the cost rises without the commitment in some scenario and falls in none (it pays
    whatever the probabilities), ``"none"`` when it falls in some and rises in none (it never pays),
    else ``""`` (a break-even exists: :func:`break_even`). Rises within ``tol`` of zero count as zero."""
    if any(v > tol for v in rise.values()) and all(v >= -tol for v in rise.values()):
        return "any"
    if any(v < -tol for v in rise.values()) and all(v <= tol for v in rise.values()):
        return "none"
    return ""


def break_even_summary(rise: dict[str, float], probability: dict[str, float]) -> str:
    """:func:`break_even` as one cell, the nearest first: ``P(BAN) ≥ 4.00%; P(OPEN) ≤ 96.00%`` (the
    probabilities between which the commitment pays; rises within 1e-9 of the largest count as zero);
    ``any probabilities`` or ``no probabilities`` as :func:`one_signed` says."""
    tol = 1e-9 * max([abs(v) for v in rise.values()] + [1.0])
    signed = one_signed(rise, tol)
    if signed:
        return "any probabilities" if signed == "any" else "no probabilities"
    return "; ".join(
        f"P({b['scenario']}) {SIGN[b['pays']]} {b['break_even']:.2%}"
        for b in break_even(rise, probability, tol)
    )


def worth_table(points: list[dict[str, Any]], probability: dict[str, float]) -> pd.DataFrame:
    """The run folder's ``commitment_values`` table: one row per valued commitment, its cost rise per
    scenario in columns ``rise <scenario>`` and its break-even probabilities (:func:`break_even`) as
    ``<scenario> above|below <q*>`` in ``break_even``."""
    rows = []
    for point in points:
        rise = point.get("rise") or {}
        row = {k: v for k, v in point.items() if k != "rise"}
        row["break_even"] = break_even_summary(rise, probability)
        row.update({f"rise {s}": rise.get(s) for s in probability})
        rows.append(row)
    return pd.DataFrame(rows)


def break_even_text(point: dict[str, Any], m: Metrics) -> str:
    """``pays while P(S4_BROAD_BAN) >= 1.1%`` (the nearest break-even of :func:`break_even`), or
    ``pays whatever the odds`` (the scenarios' probabilities) when no scenario's cost falls with the
    commitment (every rise >= 0), ``would pay if P(S4) >= 9.0%`` for one that does not pay today, or
    ``pays in no scenario`` when no scenario's cost rises without it."""
    rise = point.get("rise") or {}
    value = point.get("value")
    if not rise or value is None:
        return ""
    tol = 1e-6 * max(abs(m.objective), 1.0)
    signed = one_signed(rise, tol)
    if signed:
        return "pays whatever the odds" if signed == "any" else "pays in no scenario"
    rows = break_even(rise, m.probability, tol)
    if not rows:
        return ""
    b = rows[0]
    verb = "pays while" if value > tol else "would pay if"
    return f"{verb} P({b['scenario']}) {SIGN[b['pays']]} {b['break_even']:.1%}"


def worth_text(point: dict[str, Any], m: Metrics) -> str:
    """``+$41M expected (+$0.8B in S4_BROAD_BAN)``: what the plan costs more without a commitment
    (page one reads "...; without it <this>").

    Both sides of the difference are solves of the same fixed-design model proven optimal, so the
    difference is exact up to the solver's feasibility tolerance (not the main solve's MIP gap).
    """
    if point.get("note"):
        note = str(point["note"])
        if len(note) <= SHORT_NOTE:
            return note
        if "time limit" in note.lower():  # the solver's full words stay in tables.xlsx (commitment_values)
            return "not valued: the run's time limit ran out first (raise --time-limit)"
        return "not valued (why: commitment_values in tables.xlsx)"
    value = point.get("value")
    if value is None:
        return "the plan is infeasible"
    scale = max(abs(m.objective), 1.0)
    worst = float(point.get("worst_rise") or 0.0)
    if abs(value) <= 1e-6 * scale:
        if worst > 1e-6 * scale:
            return f"+{fmt_money(worst, m.currency)} in {point['worst_scenario']} only"
        return "the plan does as well"
    if value < 0:  # the main solve stopped within its gap with a commitment that does not pay
        gap = f" (inside the main solve's {m.gap:.2%} gap)" if m.gap > 0 else ""
        pays = break_even_text(point, m)
        return f"the plan does {fmt_money(-value, m.currency)} better{gap}" + (f"; {pays}" if pays else "")
    text = f"+{fmt_money(value, m.currency)} expected"
    if point.get("worst_scenario") and worst > value * 1.01:
        text += f" (+{fmt_money(worst, m.currency)} in {point['worst_scenario']})"
    short = float(point.get("shortage_rise") or 0.0)
    if short > 0.5:
        text += f"; {fmt_tonnes(short, m.mass_unit)} more short"
    pays = break_even_text(point, m)
    return f"{text}; {pays}" if pays else text


def _names(items: list[str]) -> str:
    if len(items) <= MAX_NAMES_IN_FOOTNOTE:
        return ", ".join(items)
    return (
        ", ".join(items[:MAX_NAMES_IN_FOOTNOTE])
        + f" and {len(items) - MAX_NAMES_IN_FOOTNOTE} more (Decisions sheet)"
    )


def _with_total(frame: pd.DataFrame, columns: list[str], total: float) -> pd.DataFrame:
    if not len(frame):
        return frame
    total_row = {
        **dict.fromkeys(columns, ""),
        "Commit to": "Total of these commitments",
        "Cost over the horizon": total,
    }
    return pd.concat([frame, pd.DataFrame([total_row], columns=columns)], ignore_index=True)


def commitments(
    sol: Solution,
    net: Network,
    m: Metrics,
    worth: list[dict[str, Any]] | None = None,
    page_rows: int = PAGE_ONE_ROWS,
) -> Commitments:
    """The here-and-now decisions of the plan as page one shows them (see the module docstring).

    ``worth`` (points of :func:`planner.model.sweeps.plan_without`, keyed by ``key`` = a group's
    ``_key``) fills the column of what the plan costs more without a commitment; page one shows at
    most ``page_rows`` groups and sums the rest in one line.
    """
    rows: list[dict[str, Any]] = []
    not_taken: dict[str, list[str]] = {}
    for r in sol.decisions.itertuples(index=False):
        decision, ident, value = str(r.decision), str(r.id), float(r.value)
        if decision == "build capacity" and ident in net.options.index:
            rows.append(_option_row(sol, net, m, ident, value))
        elif decision == "qualify lane" and ident in net.lanes.index:
            rows.append(_lane_row(sol, net, m, ident))
        elif decision == "open site" and ident in net.sites.index:
            rows.append(_site_row(sol, net, m, ident))
        elif decision == "close site":
            rows.append(
                {
                    "Commit to": f"Close site {site_name(net, ident)}",
                    "Quantity": "",
                    "When": f"from {net.periods[0]}",
                    "Cost over the horizon": float(r.cost),
                    "What the cost covers": "closing cost",
                    USED: "",
                    "_id": ident,
                    "_one_off": float(r.cost),
                }
            )
        elif decision == "single source":
            rows.append(
                {
                    "Commit to": f"Single-source {ident}",
                    "Quantity": "",
                    "When": f"from {r.effective_period}",
                    "Cost over the horizon": 0.0,
                    "What the cost covers": "",
                    USED: "",
                    "_id": ident,
                    "_one_off": 0.0,
                }
            )
        elif decision == "do not build" and ident in net.options.index:
            not_taken.setdefault("build", []).append(_option_name(net, ident))
        elif decision == "do not qualify" and ident in net.lanes.index:
            not_taken.setdefault("qualify", []).append(_lane_name(net, ident))
        elif decision == "keep candidate closed":
            not_taken.setdefault("open", []).append(site_name(net, ident))
        elif decision == "keep site open":
            not_taken.setdefault("close", []).append(site_name(net, ident))
    rows.sort(key=lambda x: -float(x["Cost over the horizon"]))
    rows += _stock_rows(sol, net, m)
    frame = pd.DataFrame(rows, columns=[*DETAIL_COLUMNS, "_id", "_one_off"])
    total = float(frame["Cost over the horizon"].sum()) if len(frame) else 0.0
    groups = group_rows(net, m, rows)
    valued = {str(p["key"]): p for p in worth or []}
    for g in groups:
        if g["_key"] in valued:
            text = worth_text(valued[g["_key"]], m)
            g[USED] = f"{g[USED]}; without it {text}" if g[USED] else f"without it {text}"
    shown = pd.DataFrame(groups[:page_rows], columns=DETAIL_COLUMNS)
    rest = groups[page_rows:]
    if rest:
        shown = pd.concat(
            [
                shown,
                pd.DataFrame(
                    [
                        {
                            **dict.fromkeys(DETAIL_COLUMNS, ""),
                            "Commit to": f"{len(rest)} smaller commitments (see the Decisions sheet)",
                            "Cost over the horizon": sum(float(g["Cost over the horizon"]) for g in rest),
                        }
                    ],
                    columns=DETAIL_COLUMNS,
                ),
            ],
            ignore_index=True,
        )
    # page one has six columns: with values, what the cost covers gives way (the Decisions sheet has it)
    # five columns when valued: what it protects against and what it is worth share the widest one
    if valued:
        shown = shown.drop(columns=["What the cost covers"]).rename(columns={USED: USED_AND_WORTH})
    parts = []
    for key, label in (
        ("build", "Do not build"),
        ("qualify", "Do not qualify"),
        ("open", "Do not open"),
        ("close", "Keep open (do not close)"),
    ):
        if not_taken.get(key):
            parts.append(f"{label}: {_names(not_taken[key])}.")
    if any(r["Commit to"].startswith("Buy ") for r in rows):
        parts.append(
            "Stock: the cost is holding until the licence outcome is known (the material is in purchases)."
        )
    if not valued and groups:
        parts.append(
            "What each commitment is worth: planner solve --worth 3 re-solves the plan without each."
        )
    if valued:
        parts.append(
            f"Cost: one-off plus running cost to the end of the horizon{_discounted(net)} (Decisions sheet). "
            f"Without it: what the plan adds in expected cost without that commitment, re-solved to proven "
            f"optimality with its other designs held ({len(valued)} largest). Pays while: the probability "
            f"of one scenario, the others in proportion, at which the commitment stops paying."
        )
    footnote = " ".join(parts)
    title = "What we commit to now (before the licence outcome is known), and why"
    if not len(frame):
        title = "What we commit to now: nothing beyond today's network (no site, capacity, lane or stock decision)"
    block = Block(
        "commitments",
        title,
        _with_total(shown, list(shown.columns), total),
        {"Cost over the horizon": "money"},
        total_row=bool(len(frame)),
    )
    detail = Block(
        "commitments",
        "Each here-and-now decision, one by one (page one groups them)",
        _with_total(frame[DETAIL_COLUMNS].copy(), DETAIL_COLUMNS, total).reset_index(drop=True),
        {"Cost over the horizon": "money"},
        total_row=bool(len(frame)),
    )
    one_off = float(frame["_one_off"].sum()) if len(frame) else 0.0
    return Commitments(block, footnote, total, one_off, rows, groups, detail)


def worth_groups(page: Commitments, largest: int) -> list[dict[str, Any]]:
    """The removals to value for page one's ``largest`` commitments by cost, plus the largest stock
    build-up (stock is what must be bought before the reveal, and its holding cost understates it)."""
    valuable = [g for g in page.groups if g["_design"] or g["_stock"]]
    chosen = sorted((g for g in valuable if g["_design"]), key=lambda g: -float(g["Cost over the horizon"]))[
        :largest
    ]
    stock = [g for g in valuable if g["_stock"]]
    if stock and largest > 0:
        chosen.append(max(stock, key=lambda g: float(g["_bought"])))
    return [{"key": g["_key"], "design": g["_design"], "stock": g["_stock"]} for g in chosen]


__all__ = [
    "USED_AND_WORTH",
    "Commitments",
    "break_even",
    "break_even_summary",
    "break_even_text",
    "worth_table",
    "commitments",
    "group_rows",
    "one_signed",
    "worth_groups",
    "worth_text",
]
