"""The detail sheets about the plan: Decisions, Costs, Scenarios, Flows & dependency, Inventory,
Shortages and Licences."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.metrics import (
    Metrics,
    fmt_pct,
)
from planner.report.content import (
    COSTS,
    DECISIONS,
    FLOWS,
    INVENTORY,
    LICENCES,
    MAX_COUNTRIES_IN_CHART,
    MAX_SERIES_IN_CHART,
    SCENARIOS,
    SHORTAGES,
    Block,
    Kind,
    SheetSpec,
    _expected_label,
    _scenario_columns,
    _site_info,
    _stage_label,
)

if TYPE_CHECKING:
    from planner.network import Network
    from planner.solution import Solution

# ----------------------------------------------------------------------------- sheets


def _decisions_sheet(sol: Solution, net: Network, m: Metrics) -> SheetSpec:
    names, countries = _site_info(net)
    d = sol.decisions.copy()
    rows = []
    for r in d.itertuples(index=False):
        ident = str(r.id)
        name, country = names.get(ident, ""), countries.get(ident, "")
        if ident in net.options.index:
            site = str(net.options.at[ident, "site"])
            name = f"{net.options.at[ident, 'process']} at {site}"
            country = countries.get(site, "")
        elif ident in net.lanes.index:
            o, dst = str(net.lanes.at[ident, "origin"]), str(net.lanes.at[ident, "destination"])
            name = f"{o} -> {dst}"
            country = f"{countries.get(o, '')} -> {countries.get(dst, '')}"
        rows.append(
            {
                "Decision": str(r.decision),
                "Id": ident,
                "Name": name,
                "Country": country,
                "Value": float(r.value),
                "Cost": float(r.cost),
                "Effective": str(r.effective_period),
                "_taken": float(r.value) > 0.5
                and not str(r.decision).startswith(("do not", "keep candidate")),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["Decision", "Id", "Name", "Country", "Value", "Cost", "Effective", "_taken"]
    )
    if len(frame):
        frame = frame.sort_values(["_taken", "Cost"], ascending=[False, False], kind="stable")
    frame = frame.drop(columns="_taken").reset_index(drop=True)
    blocks = [
        Block(
            "decisions",
            "Strategic decisions (taken once, before the scenario is known; 'at the reveal in S': taken in scenario S "
            "only, once it is known)",
            frame,
            {"Value": "num", "Cost": "money"},
        )
    ]
    reveal = net.reveal
    if reveal > 0:
        last = net.periods[reveal - 1]
        first_scen = m.scenario_ids[0] if m.scenario_ids else ""
        cov = m.cover[
            (m.cover["period"] == last) & (m.cover["scenario"] == first_scen) & (m.cover["stock"] > 1e-9)
        ]
        stock = pd.DataFrame(
            {
                "Site": cov["site"],
                "Product": cov["product"],
                "Period": cov["period"],
                "Stock": cov["stock"].astype(float),
                "Days of cover": cov["days_of_cover"].astype(float),
            }
        ).reset_index(drop=True)
        blocks.append(
            Block(
                "stock_at_reveal",
                f"Stock held at the end of {last} (before the scenario is known)",
                stock,
                {"Stock": "t", "Days of cover": "days"},
            )
        )
        pur = sol.purchases
        if len(pur):
            bought = pur["side"] != "sell" if "side" in pur.columns else True
            pur = pur[(pur["stage"] == 1) & (pur["scenario"] == first_scen) & bought]
        if len(pur):
            g = pur.groupby(["contract", "supplier", "product"], as_index=False, sort=False)["quantity"].sum()
            g = g[g["quantity"] > 1e-9]
            blocks.append(
                Block(
                    "stage1_purchases",
                    f"Contract purchases up to {last}",
                    pd.DataFrame(
                        {
                            "Contract": g["contract"],
                            "Supplier": g["supplier"],
                            "Product": g["product"],
                            "Quantity": g["quantity"],
                        }
                    ).reset_index(drop=True),
                    {"Quantity": "t"},
                )
            )
    return SheetSpec(
        DECISIONS,
        "Decisions",
        "What to commit to now: sites opened or closed, capacity built, lanes qualified, and the stock and "
        "purchases made before the licence outcome is known.",
        blocks,
    )


def _costs_sheet(sol: Solution, m: Metrics) -> tuple[SheetSpec, int]:
    exp_label = _expected_label(m.scenario_ids)
    ce = m.costs_expected.copy()
    piv = (
        m.costs.pivot_table(index="component", columns="scenario", values="cost", aggfunc="sum", sort=False)
        if len(m.costs)
        else pd.DataFrame()
    )
    frame = pd.DataFrame(
        {"Component": ce["component"], exp_label: ce["expected"].astype(float), "Share": ce["share"]}
    )
    scol = _scenario_columns(m.scenario_ids, ["Component", exp_label, "Share"])
    for s in m.scenario_ids:
        frame[scol[s]] = [
            float(piv.at[c, s]) if s in piv.columns and c in piv.index else 0.0 for c in ce["component"]
        ]
    frame["_abs"] = frame[exp_label].abs()
    frame = (
        frame.sort_values("_abs", ascending=False, kind="stable").drop(columns="_abs").reset_index(drop=True)
    )
    nonzero = int((frame[exp_label].abs() > 1e-9).sum())
    total = {
        "Component": "Total",
        exp_label: float(frame[exp_label].sum()),
        "Share": 1.0 if len(frame) else 0.0,
    }
    for s in m.scenario_ids:
        total[scol[s]] = float(frame[scol[s]].sum())
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    kinds: dict[str, Kind] = {exp_label: "money", "Share": "pct"}
    kinds.update({scol[s]: "money" for s in m.scenario_ids})

    recon = pd.DataFrame(
        {
            "Item": [
                "Expected total cost (sum of components)",
                "Risk weight",
                f"CVaR {fmt_pct(m.cvar_alpha)} of total cost",
                "Expected cost + weight x CVaR",
                "Objective reported by the solver",
                "Difference",
            ],
            "Value": [
                m.expected_cost,
                m.risk_weight,
                m.cvar,
                m.expected_cost + m.risk_weight * m.cvar,
                m.objective,
                m.objective - (m.expected_cost + m.risk_weight * m.cvar),
            ],
        }
    )
    by_period = pd.DataFrame()
    if len(sol.costs):
        bp = sol.costs.pivot_table(
            index="period", columns="scenario", values="cost", aggfunc="sum", sort=False
        )
        order = [p for p in m.periods if p in bp.index]
        by_period = pd.DataFrame({"Period": order})
        pcol = _scenario_columns(m.scenario_ids, ["Period", exp_label])
        for s in m.scenario_ids:
            by_period[pcol[s]] = [float(bp.at[p, s]) if s in bp.columns else 0.0 for p in order]
        by_period[exp_label] = (
            sum(m.probability[s] * by_period[pcol[s]] for s in m.scenario_ids) if m.scenario_ids else 0.0
        )
    detail = sol.costs.rename(
        columns={
            "component": "Component",
            "period": "Period",
            "scenario": "Scenario",
            "stage": "Stage",
            "cost": "Cost",
        }
    )
    blocks = [
        Block("cost_components", "Cost by component", frame, kinds, total_row=True),
        Block(
            "reconciliation",
            "Reconciliation with the objective",
            recon,
            row_kinds={"Value": ["money", "num", "money", "money", "money", "money"]},
        ),
        Block(
            "cost_periods",
            "Cost by period",
            by_period,
            {c: "money" for c in by_period.columns if c != "Period"},
        ),
    ]
    detail_block = Block(
        "costs_detail",
        "Every cost row (stage 1 = here-and-now, repeated in each scenario)",
        detail,
        {"Cost": "money", "Stage": "int"},
    )
    return (
        SheetSpec(
            COSTS,
            "Costs",
            f"Costs in {m.currency}, as the model counts them (discounted where Settings.discount_rate > 0). "
            f"'{exp_label}' weights each scenario by its probability.",
            blocks,
            detail_block,
        ),
        nonzero,
    )


def _recourse_blocks(sol: Solution, net: Network, m: Metrics) -> list[Block]:
    """What the recourse changes, scenario by scenario: each buyer country's sources (share of the
    tonnes its demand sites receive from the reveal on) and where shortage falls (t by demand site)."""
    scen = [str(s) for s in m.scenario_ids]
    names = _scenario_columns(scen, ("Buyer", "From", "Demand site"))
    out: list[Block] = []
    sites = {str(x) for x in net.demand["site"]} if len(net.demand) else set()
    f = sol.flows
    if len(f) and sites:
        start = net.periods[net.reveal] if 0 < net.reveal < len(net.periods) else None
        if start is not None:
            f = f[f["period"].astype(str).map(lambda p: net.periods.index(p) >= net.reveal)]
        f = f[f["destination"].astype(str).isin(sites) & (f["quantity"] > ZERO)]
        if len(f):
            g = f.groupby(["destination_country", "origin_country", "scenario"])["quantity"].sum().unstack()
            g = g.reindex(columns=scen).fillna(0.0)
            share = g / g.groupby(level=0).transform("sum").where(lambda x: x > ZERO)
            share = share.fillna(0.0).reset_index()
            share.columns = ["Buyer", "From", *[names[s] for s in scen]]
            share = share[(share[[names[s] for s in scen]] > 0.0005).any(axis=1)]
            since = f" from {start}" if start else ""
            out.append(
                Block(
                    "recourse_sources",
                    f"Where each buyer's supply comes from, by scenario (share of tonnes received{since})",
                    share.reset_index(drop=True),
                    {names[s]: "pct" for s in scen},
                )
            )
    sh = sol.shortages
    if len(sh) and float(sh["shortage"].sum()) > ZERO:
        t = sh.groupby(["site", "scenario"])["shortage"].sum().unstack().reindex(columns=scen).fillna(0.0)
        t = t[(t > ZERO).any(axis=1)].reset_index()
        t.columns = ["Demand site", *[names[s] for s in scen]]
        out.append(
            Block(
                "recourse_shortage",
                "Where shortage falls, by scenario (t over the horizon)",
                t,
                {names[s]: "t" for s in scen},
                highlight={names[s]: "positive" for s in scen},
            )
        )
    return out


def _scenarios_sheet(m: Metrics, sol: Solution | None = None, net: Network | None = None) -> SheetSpec:
    sc = m.scenarios
    exp_label = _expected_label(m.scenario_ids)
    frame = pd.DataFrame(
        {
            "Scenario": sc["scenario"].astype(str),
            "Description": [m.scenario_descriptions.get(str(x), "") for x in sc["scenario"]],
            "Probability": sc["probability"].astype(float),
            "Total cost": sc["total_cost"].astype(float),
            "Here-and-now cost": sc["stage1_cost"].astype(float),
            "Recourse cost": sc["stage2_cost"].astype(float),
            "Shortage penalties": sc["shortage_cost"]
            .astype(float)
            .clip(lower=0.0),  # no "-$0" from solver dust
            "Demand": sc["demand"].astype(float),
            "Shortage": sc["shortage"].astype(float),
            "Service level": sc["service_level"].astype(float),
        }
    )
    p = frame["Probability"]
    exp_row: dict[str, Any] = {
        "Scenario": exp_label,
        "Description": "probability-weighted",
        "Probability": float(p.sum()),
    }
    for c in frame.columns[3:]:
        exp_row[c] = float((p * frame[c]).sum())
    frame = pd.concat([frame, pd.DataFrame([exp_row])], ignore_index=True)
    kinds: dict[str, Kind] = {
        "Probability": "pct",
        "Total cost": "money",
        "Here-and-now cost": "money",
        "Recourse cost": "money",
        "Shortage penalties": "money",
        "Demand": "t",
        "Shortage": "t",
        "Service level": "pct",
    }
    risk_rows: list[tuple[str, float, Kind]] = [
        ("Expected total cost", m.expected_cost, "money"),
        (f"Worst-scenario cost ({m.worst_scenario})", m.worst_cost, "money"),
        (f"CVaR {fmt_pct(m.cvar_alpha)} of total cost ({m.cvar_source})", m.cvar, "money"),
        ("Risk weight on CVaR in the objective", m.risk_weight, "num"),
        ("Objective", m.objective, "money"),
    ]
    st = m.stochastic or {}
    for key, label in (
        ("VSS", "VSS: value of the stochastic solution"),
        ("EVPI", "EVPI: expected value of perfect information"),
        ("RP", "RP: recourse problem objective"),
        ("WS", "WS: wait-and-see objective"),
        ("EEV", "EEV: expected cost of the expected-value plan"),
    ):
        if key in st:
            risk_rows.append((label, st[key], "money"))
    risk = pd.DataFrame(
        {
            "Measure": [r[0] for r in risk_rows],
            "Value": [r[1] if math.isfinite(r[1]) else None for r in risk_rows],
        }
    )
    blocks = [
        Block(
            "scenarios",
            "Scenarios",
            frame,
            kinds,
            highlight={"Shortage": "positive", "Service level": "under_one"},
            total_row=True,
        ),
        Block("risk", "Risk measures", risk, row_kinds={"Value": [r[2] for r in risk_rows]}),
    ]
    ps = m.stochastic_per_scenario
    if ps is not None and len(ps):
        cols = {
            "scenario": "Scenario",
            "probability": "Probability",
            "recourse_cost": "Cost of this plan",
            "wait_and_see_cost": "Cost if known in advance",
            "ev_plan_cost": "Cost of the average-scenario plan",
        }
        f = ps.rename(columns=cols)[[c for c in cols.values() if c in ps.rename(columns=cols).columns]]
        # an infinite EV-plan cost (the average plan breaks a hard constraint) is written as a blank
        blocks.append(
            Block(
                "stochastic",
                "Value of planning for the scenarios",
                f,
                {
                    "Probability": "pct",
                    **{c: "money" for c in f.columns if c not in ("Scenario", "Probability")},
                },
            )
        )
    if sol is not None and net is not None and len(m.scenario_ids) > 1:
        blocks += _recourse_blocks(sol, net, m)
    return SheetSpec(
        SCENARIOS,
        "Scenarios",
        "Each licence scenario's cost and service. Here-and-now cost is the same in every scenario; recourse "
        "cost is what operations cost once the scenario is known; the last tables show what the recourse "
        "changes: where each buyer's supply comes from and where shortage falls.",
        blocks,
    )


ZERO = 1e-9
"""Quantities at or below this are zero: such rows are left off the printed detail tables."""


def _flows_sheet(sol: Solution, m: Metrics) -> SheetSpec:
    c = m.controlling_country
    de = m.dependency_expected
    dep = pd.DataFrame(
        {
            "Stage": [_stage_label(s) for s in de["stage"]],
            "Supply": de["supply"].astype(float),
            f"From {c}": de["controlling"].astype(float),
            f"{c} share": de["share"].astype(float),
            "HHI": de["hhi"].astype(float),
            f"Highest {c} share": de["worst_share"].astype(float),
            "In scenario": de["worst_scenario"].astype(str),
        }
    )
    # chart data: share of expected supply per stage by country (controlling country first, top N + other)
    se = m.supply_expected
    mix = pd.DataFrame({"Stage": [_stage_label(s) for s in de["stage"]]})
    if len(se):
        totals = se.groupby("country")["quantity"].sum().sort_values(ascending=False)
        top = [x for x in totals.index if x != c][: MAX_COUNTRIES_IN_CHART - (1 if c in totals.index else 0)]
        countries = ([c] if c in totals.index else []) + [str(x) for x in top]
        for country in countries:
            mix[country] = [
                float(se.loc[(se["stage"] == s) & (se["country"] == country), "share"].sum())
                for s in de["stage"]
            ]
        rest = [float(1.0 - mix.loc[i, countries].sum()) for i in range(len(mix))]
        if any(r > 1e-6 for r in rest):
            other = "Other"
            while other in mix.columns:
                other += "*"
            mix[other] = [max(0.0, r) for r in rest]
    by_s = pd.DataFrame(
        {
            "Stage": [_stage_label(s) for s in m.dependency["stage"]],
            "Scenario": m.dependency["scenario"],
            "Supply": m.dependency["supply"].astype(float),
            f"From {c}": m.dependency["controlling"].astype(float),
            f"{c} share": m.dependency["share"].astype(float),
            "HHI": m.dependency["hhi"].astype(float),
        }
    )
    supply = pd.DataFrame(
        {
            "Stage": [_stage_label(s) for s in m.supply["stage"]],
            "Country": m.supply["country"],
            "Scenario": m.supply["scenario"],
            "Quantity": m.supply["quantity"].astype(float),
            "Share": m.supply["share"].astype(float),
        }
    )
    supply = supply[supply["Quantity"] > ZERO].reset_index(drop=True)
    if len(supply):  # one row per stage and country, one column per scenario: short enough to print
        scol = _scenario_columns(m.scenario_ids, ["Stage", "Country"])
        wide = supply.pivot_table(
            index=["Stage", "Country"], columns="Scenario", values="Quantity", aggfunc="sum", sort=False
        ).fillna(0.0)
        supply = pd.DataFrame({"Stage": [k[0] for k in wide.index], "Country": [k[1] for k in wide.index]})
        for s in m.scenario_ids:
            supply[scol[s]] = wide[s].to_numpy(dtype=float) if s in wide.columns else 0.0
    by_s = by_s[by_s["Supply"] > ZERO].reset_index(drop=True)
    shipped = sol.flows[sol.flows["quantity"] > ZERO] if len(sol.flows) else sol.flows
    flows = shipped.rename(
        columns={
            "lane": "Lane",
            "origin": "Origin",
            "destination": "Destination",
            "origin_country": "From",
            "destination_country": "To",
            "product": "Product",
            "origin_tag": "Origin tag",
            "period": "Period",
            "arrival_period": "Arrives",
            "scenario": "Scenario",
            "stage": "Stage",
            "quantity": "Quantity",
        }
    )
    blocks = [
        Block(
            "dependency",
            f"Dependency on {c} by stage (expected over scenarios)",
            dep,
            {"Supply": "t", f"From {c}": "t", f"{c} share": "pct", "HHI": "hhi", f"Highest {c} share": "pct"},
            highlight={f"{c} share": "over_half", f"Highest {c} share": "over_half"},
        ),
        Block(
            "supply_mix",
            "Share of each stage's output by country (expected)",
            mix,
            {col: "pct" for col in mix.columns[1:]},
        ),
        Block(
            "dependency_by_scenario",
            f"Dependency on {c} by stage and scenario",
            by_s,
            {"Supply": "t", f"From {c}": "t", f"{c} share": "pct", "HHI": "hhi"},
            highlight={f"{c} share": "over_half"},
        ),
        Block(
            "supply",
            "Output by stage and country, per scenario",
            supply,
            {col: "t" for col in supply.columns if col not in ("Stage", "Country")},
        ),
    ]
    return SheetSpec(
        FLOWS,
        "Flows & dependency",
        f"Output of each supply-chain stage (production plus contract purchases) by the producing country; "
        f"{c} is the country whose export controls the workbook models. HHI above 2,500 = highly concentrated. "
        "The shipments table on the right is for the screen (filter it) and is not printed.",
        blocks,
        Block(
            "flows",
            "Shipments (nonzero rows; every row is in the run folder's flows table)",
            flows.reset_index(drop=True),
            {"Quantity": "t", "Stage": "int"},
        ),
        print_tables=0,  # the tables on the left are the printed view of the flows
    )


def _inventory_sheet(m: Metrics) -> SheetSpec:
    cov = m.cover
    frame = pd.DataFrame(
        {
            "Site": cov["site"],
            "Product": cov["product"],
            "Period": cov["period"],
            "Scenario": cov["scenario"],
            "Stock": cov["stock"].astype(float),
            "Use in period": cov["use"].astype(float),
            "Days of cover": cov["days_of_cover"].astype(float),
            "Target": cov["target_days"].astype(float),
        }
    )
    traj = pd.DataFrame({"Period": list(m.periods)})
    sbp = m.stock_by_period
    tcol = _scenario_columns(m.scenario_ids[:MAX_SERIES_IN_CHART], ["Period"])
    scen = list(tcol.values())
    for s, col in tcol.items():
        g = sbp[sbp["scenario"] == s].set_index("period")["stock"] if len(sbp) else pd.Series(dtype=float)
        traj[col] = [float(g.get(p, 0.0)) for p in m.periods]
    peak = pd.DataFrame(columns=["Site", "Product", "Peak stock", "Period", "Scenario"])
    held = cov[cov["stock"] > 1e-9]
    if len(held):
        idx = held.groupby(["site", "product"], sort=False)["stock"].idxmax()
        pk = held.loc[idx.to_numpy()]
        peak = (
            pd.DataFrame(
                {
                    "Site": pk["site"],
                    "Product": pk["product"],
                    "Peak stock": pk["stock"].astype(float),
                    "Period": pk["period"],
                    "Scenario": pk["scenario"],
                }
            )
            .sort_values("Peak stock", ascending=False)
            .reset_index(drop=True)
        )
        # a peak below 1/10,000 of the largest prints as "0 t" beside thousands of tonnes
        peak = peak[peak["Peak stock"] >= 1e-4 * float(peak["Peak stock"].max())].reset_index(drop=True)
    lengths = (
        f"with {(m.period_days[0] if m.period_days else m.period_length_days):g}-day periods"
        if len(set(m.period_days)) <= 1
        else "each period's demand and use spread over its own length (Periods.length_days)"
    )
    return SheetSpec(
        INVENTORY,
        "Inventory and stockpiles",
        f"End-of-period stock (all origin tags) and days of cover = stock / ((demand + use in production) per day), "
        f"{lengths}. Amber: below the workbook's cover target.",
        [
            Block(
                "stock_trajectory",
                "Total stock by period and scenario (all sites and products)",
                traj,
                {s: "t" for s in scen},
            ),
            Block("peak_stock", "Peak stock per site and product", peak, {"Peak stock": "t"}),
        ],
        Block(
            "cover",
            "Stock and days of cover",
            frame,
            {"Stock": "t", "Use in period": "t", "Days of cover": "days", "Target": "days"},
            highlight={"Days of cover": "below:Target"},
        ),
    )


def _shortages_sheet(sol: Solution, m: Metrics) -> SheetSpec:
    bp = m.shortage_by_product
    prod = pd.DataFrame(
        {
            "Product": bp["product"],
            "Demand (expected)": bp["demand"].astype(float),
            "Short (expected)": bp["expected_shortage"].astype(float),
            "Short (worst)": bp["worst_shortage"].astype(float),
            "Worst scenario": bp["worst_scenario"],
            "Worst % short": bp["worst_share"].astype(float),
        }
    )
    bs = m.shortage_by_scenario
    by_s = pd.DataFrame(
        {
            "Product": bs["product"],
            "Scenario": bs["scenario"],
            "Demand": bs["demand"].astype(float),
            "Short": bs["shortage"].astype(float),
            "% short": bs["share"].astype(float),
        }
    )
    sh = sol.shortages
    detail = pd.DataFrame(
        {
            "Site": sh["site"],
            "Product": sh["product"],
            "Period": sh["period"],
            "Customer class": sh["customer_class"],
            "Scenario": sh["scenario"],
            "Demand": sh["demand"].astype(float),
            "Served": sh["served"].astype(float),
            "Short": sh["shortage"].astype(float),
            "% short": (sh["shortage"] / sh["demand"]).where(sh["demand"] > 0, 0.0).astype(float),
        }
    )
    # only the shortfalls, largest on top: rows of demand met in full are the run folder's shortages table
    detail = detail[detail["Short"] > ZERO]
    if len(detail):
        detail = detail.sort_values("Short", ascending=False, kind="stable").reset_index(drop=True)
    return SheetSpec(
        SHORTAGES,
        "Shortages",
        "Demand not delivered, by product, scenario and period. Red: a shortage.",
        [
            Block(
                "shortage_products",
                "Tonnes short by product",
                prod,
                {
                    "Demand (expected)": "t",
                    "Short (expected)": "t",
                    "Short (worst)": "t",
                    "Worst % short": "pct",
                },
                highlight={"Short (worst)": "positive", "Short (expected)": "positive"},
            ),
            Block(
                "shortage_scenarios",
                "By product and scenario",
                by_s,
                {"Demand": "t", "Short": "t", "% short": "pct"},
                highlight={"Short": "positive"},
            ),
        ],
        Block(
            "shortage_detail",
            "Shortfalls by site, product, period and scenario (rows with a shortage only; every row is in the "
            "run folder's shortages table)"
            if len(detail)
            else "No shortfall in any site, product, period or scenario",
            detail,
            {"Demand": "t", "Served": "t", "Short": "t", "% short": "pct"},
            highlight={"Short": "positive", "% short": "positive"},
        ),
    )


def _licences_sheet(sol: Solution, m: Metrics) -> SheetSpec:
    lv = m.licence_volumes
    vol = pd.DataFrame(
        {
            "Rule": lv["rule"],
            "Products": lv["products"],
            "Scenario": lv["scenario"],
            "Applied": lv["applied"].astype(float),
            "Approved": lv["approved"].astype(float),
            "Shipped": lv["shipped"].astype(float),
            "Approval rate": lv["approval_rate"].astype(float),
        }
    )
    apps = sol.licences.rename(
        columns={
            "rule": "Rule",
            "product": "Product",
            "period": "Period",
            "scenario": "Scenario",
            "stage": "Stage",
            "approval_share": "Approval share",
            "applied": "Applied",
            "approved": "Approved",
        }
    )
    shipped = sol.licence_shipped.rename(
        columns={
            "rule": "Rule",
            "product": "Product",
            "origin": "Origin",
            "period": "Period",
            "scenario": "Scenario",
            "stage": "Stage",
            "shipped": "Shipped",
        }
    )
    return SheetSpec(
        LICENCES,
        "Export licences",
        "Per export-control rule: the volume the buyers file for (their requirement, decided in the period "
        "shown), the share approved, and what ships under licence, per scenario.",
        [
            Block(
                "licence_volumes",
                "Licence volumes by rule and scenario",
                vol,
                {"Applied": "t", "Approved": "t", "Shipped": "t", "Approval rate": "pct"},
            ),
        ],
        Block(
            "applications",
            "Applications",
            apps,
            {"Approval share": "pct", "Applied": "t", "Approved": "t", "Stage": "int"},
        ),
        [Block("licence_shipped", "Shipped under licence", shipped, {"Shipped": "t", "Stage": "int"})],
    )
