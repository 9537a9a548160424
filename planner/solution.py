"""Solution tables keyed by the workbook's own ids, extracted from a solved model.

Rows of decisions taken before the reveal period (node ROOT) are repeated in
every scenario with ``stage = 1``, so every table can be summed per scenario and
weighted by probability. Rows of a stage1_group node of a three-stage tree (between the
two reveals) are repeated in each scenario of the group with ``stage = 2`` ("after the
first reveal").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from planner.io.results_writer import without_negative_zero
from planner.model.objective import COMPONENTS
from planner.network import ROOT, Network
from planner.solve import SolveResult

ZERO = 1e-9

FLOW_COLUMNS = (
    "lane",
    "origin",
    "destination",
    "origin_country",
    "destination_country",
    "product",
    "origin_tag",
    "period",
    "arrival_period",
    "scenario",
    "stage",
    "quantity",
)
"""Columns of Solution.flows."""

PRODUCTION_COLUMNS = (
    "site",
    "process",
    "origin_tag",
    "product",
    "direction",
    "period",
    "scenario",
    "stage",
    "activity",
    "quantity",
)
"""Columns of Solution.production."""


@dataclass
class Solution:
    """Every result table of one solve, plus the headline numbers."""

    status: str
    objective: float
    bound: float
    gap: float
    proven_optimal: bool
    message: str
    timings: dict[str, float]
    scenarios: pd.DataFrame
    costs: pd.DataFrame
    flows: pd.DataFrame
    production: pd.DataFrame
    purchases: pd.DataFrame
    inventory: pd.DataFrame
    shortages: pd.DataFrame
    disposal: pd.DataFrame
    decisions: pd.DataFrame
    licences: pd.DataFrame
    licence_shipped: pd.DataFrame
    extra: dict[str, Any] = field(default_factory=dict)

    TABLES = (
        "scenarios",
        "costs",
        "flows",
        "production",
        "purchases",
        "inventory",
        "shortages",
        "disposal",
        "decisions",
        "licences",
        "licence_shipped",
    )

    def tables(self) -> dict[str, pd.DataFrame]:
        """All solution tables by name."""
        return {name: getattr(self, name) for name in self.TABLES}

    @property
    def expected_cost(self) -> float:
        """Probability-weighted total cost (equals the objective when risk_weight = 0)."""
        sc = self.scenarios
        return float((sc["probability"] * sc["total_cost"]).sum())


def _val(v: Any) -> float:
    x = v.value
    return 0.0 if x is None else float(x)


def _expand(
    rows: list[dict[str, Any]], node_key: str, scenarios: list[str], net: Network | None = None
) -> pd.DataFrame:
    """One row per scenario through each row's node: stage 1 at ROOT, stage 2 at every other node
    (a stage1_group node of a three-stage tree is repeated for each of its scenarios)."""
    out: list[dict[str, Any]] = []
    for r in rows:
        w = r.pop(node_key)
        if w == ROOT:
            for s in scenarios:
                out.append({**r, "scenario": s, "stage": 1})
        elif net is None or w in scenarios:
            out.append({**r, "scenario": w, "stage": 2})
        else:
            for s in net.node_scenarios(w, scenarios):
                out.append({**r, "scenario": s, "stage": 2})
    return pd.DataFrame(out)


def _frame(
    rows: list[dict[str, Any]], columns: list[str], scenarios: list[str], net: Network | None = None
) -> pd.DataFrame:
    df = _expand(rows, "_node", scenarios, net)
    if df.empty:
        return pd.DataFrame(columns=columns)
    return df[columns]


def extract_solution(m: Any, net: Network, result: SolveResult) -> Solution:
    """Read every variable into tables keyed by workbook ids."""
    ix = m.idx
    scen = ix.scenarios
    per = net.periods

    flows = []
    for key in ix.flow:
        q = _val(m.v_flow[key])
        if q > ZERO:
            lane, p, g, t, w = key
            flows.append(
                {
                    "lane": lane,
                    "origin": str(net.lanes.at[lane, "origin"]),
                    "destination": str(net.lanes.at[lane, "destination"]),
                    "origin_country": net.site_country(str(net.lanes.at[lane, "origin"])),
                    "destination_country": net.site_country(str(net.lanes.at[lane, "destination"])),
                    "product": p,
                    "origin_tag": g,
                    "period": per[t],
                    "arrival_period": per[ix.arrival_period[key]],
                    "quantity": q,
                    "_node": w,
                }
            )
    flow_cols = list(FLOW_COLUMNS)

    production = []
    for key in ix.activity:
        a = _val(m.v_activity[key])
        if a > ZERO:
            n, k, g, t, w = key
            base = {"site": n, "process": k, "origin_tag": g, "period": per[t], "activity": a, "_node": w}
            for p, q in net.recipe_out[k]:
                production.append({**base, "product": p, "direction": "out", "quantity": q * a})
            for p, q in net.recipe_in[k]:
                production.append({**base, "product": p, "direction": "in", "quantity": q * a})
    prod_cols = list(PRODUCTION_COLUMNS)

    purchases = []
    unused_keys = set(ix.unused)
    for key in ix.purchase:
        c, t, w = key
        purchases.append(
            {
                "contract": c,
                "side": "sell" if c in net.sell_contracts else "buy",
                "supplier": str(net.contracts.at[c, "supplier"]),
                "product": str(net.contracts.at[c, "product"]),
                "period": per[t],
                "quantity": _val(m.v_purchase[key]),
                "unused_paid": _val(m.v_unused[key]) if key in unused_keys else 0.0,
                "_node": w,
            }
        )
    pur_cols = [
        "contract",
        "side",
        "supplier",
        "product",
        "period",
        "scenario",
        "stage",
        "quantity",
        "unused_paid",
    ]

    inventory = [
        {
            "site": n,
            "product": p,
            "origin_tag": g,
            "period": per[t],
            "stock": _val(m.v_inventory[(n, p, g, t, w)]),
            "_node": w,
        }
        for (n, p, g, t, w) in ix.inventory
    ]
    inv_cols = ["site", "product", "origin_tag", "period", "scenario", "stage", "stock"]

    shortages = []
    for d, w in ix.shortage:
        row = net.demand.loc[d]
        t = ix.demand_period[d]
        qty = net.p("Demand", "quantity", d, t, w)
        short = _val(m.v_shortage[(d, w)])
        shortages.append(
            {
                "site": str(row["site"]),
                "product": str(row["product"]),
                "period": per[t],
                "customer_class": str(row["customer_class"]),
                "demand": qty,
                "served": qty - short,
                "shortage": short,
                "_node": w,
            }
        )
    short_cols = [
        "site",
        "product",
        "period",
        "customer_class",
        "scenario",
        "stage",
        "demand",
        "served",
        "shortage",
    ]

    disposal = []
    for key in ix.disposal:
        q = _val(m.v_disposal[key])
        if q > ZERO:
            n, p, g, t, w = key
            disposal.append(
                {"site": n, "product": p, "origin_tag": g, "period": per[t], "quantity": q, "_node": w}
            )
    disp_cols = ["site", "product", "origin_tag", "period", "scenario", "stage", "quantity"]

    licences = []
    for (rule, prod, t, w), (share, (const, lin)) in getattr(m, "licence_terms", {}).items():
        applied = const + sum(c * _val(v) for v, c in lin)
        licences.append(
            {
                "rule": rule,
                "product": prod,
                "period": per[t],
                "approval_share": share,
                "applied": applied,
                "approved": share * applied,
                "_node": w,
            }
        )
    lic_cols = ["rule", "product", "period", "scenario", "stage", "approval_share", "applied", "approved"]
    licence_df = _frame(licences, lic_cols, scen, net)
    if len(licence_df):
        licence_df = licence_df[licence_df["applied"] > ZERO].reset_index(drop=True)
    declared: dict[tuple[str, str, str, int, str], float] = {}
    for key in getattr(m, "v_licence_declared", {}):
        rule, lane, p, g, t, w = key
        origin = str(net.lanes.at[lane, "origin"])
        k = (rule, p, origin, t, w)
        declared[k] = declared.get(k, 0.0) + _val(m.v_licence_declared[key])
    shipped_by: dict[tuple[str, str, str, int, str], float] = {}
    for (rule, prod, origin), ch in ix.channels.items():
        for lane in ch.lanes:
            for g in ch.tags:
                for t, w in ix.nodes:
                    key5 = (lane, prod, g, t, w)
                    if key5 in ix.flow_set and ch.start <= t <= ch.end:
                        k = (rule, prod, origin, t, w)
                        shipped_by[k] = shipped_by.get(k, 0.0) + _val(m.v_flow[key5])
    shipped_rows = []
    for (rule, prod, origin, t, w), q in shipped_by.items():
        q -= declared.get((rule, prod, origin, t, w), 0.0)  # declared for customers the rule does not cover
        if q > ZERO:
            shipped_rows.append(
                {"rule": rule, "product": prod, "origin": origin, "period": per[t], "shipped": q, "_node": w}
            )
    licence_shipped = _frame(
        shipped_rows, ["rule", "product", "origin", "period", "scenario", "stage", "shipped"], scen, net
    )

    decisions = _decisions(m, net)

    # costs from the very terms that built the objective
    acc: dict[tuple[str, int, str], float] = {}
    for term in m.cost_term_list:
        val = term.coef * (1.0 if term.var is None else _val(term.var))
        k = (term.component, term.t, term.node)
        acc[k] = acc.get(k, 0.0) + val
    cost_rows = [{"component": c, "period": per[t], "cost": v, "_node": w} for (c, t, w), v in acc.items()]
    costs = _frame(cost_rows, ["component", "period", "scenario", "stage", "cost"], scen, net)

    by_scen = (
        costs.groupby(["scenario", "stage"])["cost"].sum().unstack(fill_value=0.0) if len(costs) else None
    )
    sc_rows = []
    short_df = _frame(shortages, short_cols, scen, net)
    for s in scen:
        s1 = (
            float(by_scen.at[s, 1])
            if by_scen is not None and 1 in by_scen.columns and s in by_scen.index
            else 0.0
        )
        s2 = (
            float(by_scen.at[s, 2])
            if by_scen is not None and 2 in by_scen.columns and s in by_scen.index
            else 0.0
        )
        sd = short_df[short_df["scenario"] == s] if len(short_df) else short_df
        demand_total = float(sd["demand"].sum()) if len(sd) else 0.0
        short_total = float(sd["shortage"].sum()) if len(sd) else 0.0
        sc_rows.append(
            {
                "scenario": s,
                "probability": net.probability[s],
                "stage1_cost": s1,
                "stage2_cost": s2,
                "total_cost": s1 + s2,
                "demand": demand_total,
                "shortage": short_total,
                "service_level": 1.0 - short_total / demand_total if demand_total > 0 else 1.0,
            }
        )
    scenarios = pd.DataFrame(sc_rows)

    extra: dict[str, Any] = {}
    if hasattr(m, "e_cvar"):
        extra["cvar"] = float(m.e_cvar())
        extra["var"] = _val(m.v_var)

    sol = Solution(
        status=result.status,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        proven_optimal=result.proven_optimal,
        message=result.message,
        timings=dict(result.timings),
        scenarios=scenarios,
        costs=costs,
        flows=_frame(flows, flow_cols, scen, net),
        production=_frame(production, prod_cols, scen, net),
        purchases=_frame(purchases, pur_cols, scen, net),
        inventory=_frame(inventory, inv_cols, scen, net),
        shortages=short_df,
        disposal=_frame(disposal, disp_cols, scen, net),
        decisions=decisions,
        licences=licence_df,
        licence_shipped=licence_shipped,
        extra=extra,
    )
    for name in Solution.TABLES:
        setattr(sol, name, without_negative_zero(getattr(sol, name)))
    return sol


def _decisions(m: Any, net: Network) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    per = net.periods
    for site in m.v_open:
        v = round(_val(m.v_open[site]), 6)
        s = net.sites.loc[site]
        if s["status"] == "candidate":
            rows.append(
                {
                    "decision": "open site" if v > 0.5 else "keep candidate closed",
                    "id": site,
                    "value": v,
                    "cost": float(s["cost_opening"]) * v,
                    "effective_period": per[net.site_first_period[site]],
                }
            )
        else:
            rows.append(
                {
                    "decision": "keep site open" if v > 0.5 else "close site",
                    "id": site,
                    "value": v,
                    "cost": float(s["cost_closing"]) * (1 - v),
                    "effective_period": per[net.site_first_period[site]],
                }
            )
    for o in m.v_build:
        v = round(_val(m.v_build[o]), 6)
        rows.append(
            {
                "decision": "build capacity" if v > 0.5 else "do not build",
                "id": o,
                "value": v,
                "cost": float(net.options.at[o, "cost_build"]) * v,
                "effective_period": per[net.option_available[o]]
                if net.option_available[o] < len(per)
                else "after horizon",
            }
        )
    for lane in m.v_qualify:
        v = round(_val(m.v_qualify[lane]), 6)
        lead = int(net.lanes.at[lane, "lead_time_qualification"])
        rows.append(
            {
                "decision": "qualify lane" if v > 0.5 else "do not qualify",
                "id": lane,
                "value": v,
                "cost": float(net.lanes.at[lane, "cost_qualification"]) * v,
                "effective_period": per[lead] if lead < len(per) else "after horizon",
            }
        )
    for key in m.v_assign:
        v = round(_val(m.v_assign[key]), 6)
        if v > 0.5:
            rows.append(
                {
                    "decision": "single source",
                    "id": f"{key[0]}: {key[1]}",
                    "value": v,
                    "cost": 0.0,
                    "effective_period": per[0],
                }
            )
    rows += _wait_decisions(m, net)
    return pd.DataFrame(rows, columns=["decision", "id", "value", "cost", "effective_period"])


def _wait_decisions(m: Any, net: Network) -> list[dict[str, Any]]:
    """Rows of the design decisions taken at the reveal: one per decision and scenario ("... in <scenario>")."""
    rows: list[dict[str, Any]] = []
    per = net.periods

    def when(t: int) -> str:
        return per[t] if t < len(per) else "after horizon"

    for o, s in m.v_build_wait:
        v = round(_val(m.v_build_wait[o, s]), 6)
        rows.append(
            {
                "decision": f"{'build capacity' if v > 0.5 else 'do not build'} at the reveal in {s}",
                "id": o,
                "value": v,
                "cost": float(net.options.at[o, "cost_build"]) * v,
                "effective_period": when(net.option_available[o]),
            }
        )
    for lane, s in m.v_qualify_wait:
        v = round(_val(m.v_qualify_wait[lane, s]), 6)
        rows.append(
            {
                "decision": f"{'qualify lane' if v > 0.5 else 'do not qualify'} at the reveal in {s}",
                "id": lane,
                "value": v,
                "cost": float(net.lanes.at[lane, "cost_qualification"]) * v,
                "effective_period": when(net.lane_usable_from(lane)),
            }
        )
    for c, s in m.v_sign_wait:
        v = round(_val(m.v_sign_wait[c, s]), 6)
        rows.append(
            {
                "decision": f"{'sign contract' if v > 0.5 else 'do not sign'} at the reveal in {s}",
                "id": c,
                "value": v,
                "cost": 0.0,
                "effective_period": per[net.reveal],
            }
        )
    for r, o, s in m.v_assign_wait:
        v = round(_val(m.v_assign_wait[r, o, s]), 6)
        if v > 0.5:
            rows.append(
                {
                    "decision": f"single source at the reveal in {s}",
                    "id": f"{r}: {o}",
                    "value": v,
                    "cost": 0.0,
                    "effective_period": per[net.reveal],
                }
            )
    return rows


def balance_residuals(sol: Solution, net: Network) -> pd.DataFrame:
    """Recompute every mass balance from the solution tables; returns rows whose residual is not ~0.

    in  = stock(t-1) + arrivals + production + purchases + licence volume back from review
    out = stock(t) + departures + consumption + served + discarded + sold + licence volume applied for

    Origin tags are summed: the check is on the total of each product.
    """
    per_index = {p: i for i, p in enumerate(net.periods)}
    init = {k: float(v) for k, v in net.inventory["initial_stock"].items()}
    acc: dict[tuple[str, str, str, str], float] = {}

    def add(site: str, prod: str, period: str, scen: str, q: float) -> None:
        k = (site, prod, period, scen)
        acc[k] = acc.get(k, 0.0) + q

    for r in sol.flows.itertuples(index=False):
        add(r.destination, r.product, r.arrival_period, r.scenario, r.quantity)
        add(r.origin, r.product, r.period, r.scenario, -r.quantity)
    for r in sol.production.itertuples(index=False):
        add(r.site, r.product, r.period, r.scenario, r.quantity if r.direction == "out" else -r.quantity)
    for r in sol.purchases.itertuples(index=False):  # a sale (side sell) leaves the network
        add(r.supplier, r.product, r.period, r.scenario, -r.quantity if r.side == "sell" else r.quantity)
    for r in sol.shortages.itertuples(index=False):
        add(r.site, r.product, r.period, r.scenario, -r.served)
    for r in sol.disposal.itertuples(index=False):
        add(r.site, r.product, r.period, r.scenario, -r.quantity)
    stock: dict[tuple[str, str, str, str], float] = {}
    for r in sol.inventory.itertuples(index=False):
        k = (r.site, r.product, r.period, r.scenario)
        stock[k] = stock.get(k, 0.0) + r.stock
    for (site, prod, period, scen), q in stock.items():
        add(site, prod, period, scen, -q)
        t = per_index[period]
        prev = init.get((site, prod), 0.0) if t == 0 else stock[(site, prod, net.periods[t - 1], scen)]
        add(site, prod, period, scen, prev)
    rows = [
        {"site": k[0], "product": k[1], "period": k[2], "scenario": k[3], "residual": v}
        for k, v in acc.items()
        if not math.isclose(v, 0.0, abs_tol=1e-6 * max(1.0, abs(v)))
    ]
    return pd.DataFrame(rows, columns=["site", "product", "period", "scenario", "residual"])


__all__ = [
    "COMPONENTS",
    "FLOW_COLUMNS",
    "PRODUCTION_COLUMNS",
    "Solution",
    "balance_residuals",
    "extract_solution",
]
