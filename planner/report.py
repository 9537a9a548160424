"""Assemble the manager's report: what goes on which sheet, in plain pandas (no Pyomo, no openpyxl).

:func:`build_report` turns a solution, its network and its metrics into a
:class:`ReportContent`: the Summary page (KPI tiles, findings, notes, charts) and
the detail sheets, each a list of :class:`Block` tables with display column names,
value kinds (money, t, %, days ...) and highlight rules. The writer
(:func:`planner.io.report_writer.write_report`) only lays this out; every number
and every sentence is decided here.

Sheet order: Summary, Decisions, Costs, Scenarios, Flows & dependency, Inventory,
Shortages, Licences, Inputs, Run info.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from planner.metrics import (
    ASSUMED_CONFIDENCE,
    KPI_COVER,
    KPI_CVAR,
    KPI_DEPENDENCY,
    KPI_EXPECTED_COST,
    KPI_SERVICE,
    KPI_SHORTAGE,
    KPI_VSS,
    KPI_WORST_COST,
    STAGE_LABELS,
    Metrics,
    compute_metrics,
    finding_records,
    fmt_money,
    fmt_pct,
    fmt_tonnes,
    most_dependent_stage,
    stage_phrase,
)
from planner.schema import TABLES

if TYPE_CHECKING:
    from planner.network import Network
    from planner.solution import Solution

Kind = Literal["text", "money", "t", "pct", "days", "int", "num", "hhi", "seconds", "general"]
ChartKind = Literal["barh", "col", "stacked_pct", "line", "combo", "scatter"]

SUMMARY = "Summary"
DECISIONS = "Decisions"
COSTS = "Costs"
SCENARIOS = "Scenarios"
FLOWS = "Flows & dependency"
INVENTORY = "Inventory"
SHORTAGES = "Shortages"
LICENCES = "Licences"
INPUTS = "Inputs"
RUN_INFO = "Run info"
RESILIENCE = "Resilience"
FRONTIER = "Frontier"
SHEET_ORDER = (SUMMARY, DECISIONS, COSTS, SCENARIOS, FLOWS, INVENTORY, SHORTAGES, LICENCES, INPUTS, RUN_INFO)

MAX_COUNTRIES_IN_CHART = 5
MAX_SERIES_IN_CHART = 8


@dataclass
class Block:
    """One table on a sheet.

    ``kinds`` maps a column to how its numbers read (money, t, %, days...); unlisted
    columns are text or plain numbers. ``highlight`` maps a column to a rule:
    ``"positive"`` (red when > 0), ``"below:<column>"`` (amber when below that
    column's value), ``"under_one"`` (red when < 100%), ``"over_half"`` (amber when > 50%).
    ``total_row`` marks the last row as a total (bold). ``row_kinds`` gives a kind per
    row for columns that mix units (e.g. a Measure / Value list). ``wrap`` lets long
    text wrap (raising its rows) rather than be cut at the column edge.
    """

    key: str
    title: str
    frame: pd.DataFrame
    kinds: dict[str, Kind] = field(default_factory=dict)
    highlight: dict[str, str] = field(default_factory=dict)
    total_row: bool = False
    row_kinds: dict[str, list[Kind]] = field(default_factory=dict)
    wrap: bool = True


@dataclass
class ChartSpec:
    """A native chart on the Summary page, drawn from a block on a detail sheet.

    ``rows`` limits the chart to the block's first data rows (None = every row).
    ``secondary`` lists series drawn as a line on a second axis (``combo`` charts).
    """

    kind: ChartKind
    title: str
    sheet: str
    block: str
    x: str
    series: list[str]
    y_title: str
    y_kind: Kind
    rows: int | None = None
    secondary: list[str] = field(default_factory=list)
    secondary_title: str = ""
    secondary_kind: Kind = "num"


@dataclass
class Tile:
    """One KPI tile: a label, a big number, a line of detail; ``assumed`` marks A/U inputs."""

    label: str
    value: float | None
    kind: Kind
    detail: str
    assumed: bool = False
    alert: bool = False


@dataclass
class SheetSpec:
    """A detail sheet: title, one-line description, its summary blocks and its wide tables.

    The ``blocks`` stack down the left-hand side; ``detail`` (the long table engineers
    audit and filter) and then the ``extra`` tables sit side by side to their right.
    With ``freeze`` the header row the first block and every side table share stays
    in view. ``print_tables`` limits printing to the left-hand blocks and that many side
    tables (None = everything). ``filter_key`` names the block that gets the sheet's
    autofilter (default: ``detail``, else the longest block). ``freeze=False`` (Run info)
    just stacks the blocks.
    """

    name: str
    title: str
    description: str
    blocks: list[Block]
    detail: Block | None = None
    extra: list[Block] = field(default_factory=list)
    freeze: bool = True
    print_tables: int | None = None
    filter_key: str | None = None

    @property
    def side(self) -> list[Block]:
        """The tables to the right of the left-hand stack, in order."""
        return ([self.detail] if self.detail is not None else []) + list(self.extra)


@dataclass
class ReportContent:
    """Everything the report shows, decided; the writer only lays it out."""

    title: str
    subtitle: str
    currency: str
    mass_unit: str
    tiles: list[Tile]
    findings: list[str]
    finding_sheets: list[str]
    notes: list[str]
    alerts: list[str]
    assumption_note: str
    charts: list[ChartSpec]
    sheets: list[SheetSpec]
    scenario_lines: list[str] = field(default_factory=list)
    input_path: str | None = None
    metrics: Metrics | None = None


# ----------------------------------------------------------------------------- helpers


def _expected_label(names: Iterable[str]) -> str:
    label = "Expected"
    taken = set(names)
    while label in taken:
        label += " (weighted)"
    return label


def _scenario_columns(scenarios: Iterable[str], reserved: Iterable[str]) -> dict[str, str]:
    """Column header per scenario, renamed where it would clash with another column of the table."""
    taken = set(reserved)
    out: dict[str, str] = {}
    for s in scenarios:
        name = s
        while name in taken:
            name += " (scenario)"
        taken.add(name)
        out[s] = name
    return out


def _site_info(net: Network) -> tuple[dict[str, str], dict[str, str]]:
    sites = net.sites
    names = (
        {str(k): ("" if v is None else str(v)) for k, v in sites["name"].items()} if "name" in sites else {}
    )
    countries = {str(k): str(v) for k, v in sites["country"].items()}
    return names, countries


def _stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


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
        pur = pur[(pur["stage"] == 1) & (pur["scenario"] == first_scen)] if len(pur) else pur
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


def _scenarios_sheet(m: Metrics) -> SheetSpec:
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
            "Shortage penalties": sc["shortage_cost"].astype(float),
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
    return SheetSpec(
        SCENARIOS,
        "Scenarios",
        "Each licence scenario's cost and service. Here-and-now cost is the same in every scenario; recourse "
        "cost is what operations cost once the scenario is known.",
        blocks,
    )


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
    flows = sol.flows.rename(
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
        Block("supply", "Output by stage, country and scenario", supply, {"Quantity": "t", "Share": "pct"}),
    ]
    return SheetSpec(
        FLOWS,
        "Flows & dependency",
        f"Output of each supply-chain stage (production plus contract purchases) by the producing country; "
        f"{c} is the country whose export controls the workbook models. HHI above 2,500 = highly concentrated.",
        blocks,
        Block("flows", "Shipments", flows, {"Quantity": "t", "Stage": "int"}),
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
    if len(detail):  # shortfalls first, largest on top; the rest in workbook order
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
            "By site, product, period and scenario",
            detail,
            {"Demand": "t", "Served": "t", "Short": "t", "% short": "pct"},
            highlight={"Short": "positive", "% short": "positive"},
        ),
    )


def _confidence_label(value: object) -> str:
    """A row's confidence tag as the register shows it; blank is 'unrated', not sourced."""
    text = (
        "" if value is None or (isinstance(value, float) and value != value) else str(value).strip().upper()
    )
    return text or "unrated"


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
            Block("licence_shipped", "Shipped under licence", shipped, {"Shipped": "t", "Stage": "int"}),
        ],
        Block(
            "applications",
            "Applications",
            apps,
            {"Approval share": "pct", "Applied": "t", "Approved": "t", "Stage": "int"},
        ),
    )


def _inputs_sheet(net: Network, m: Metrics) -> SheetSpec:
    """Digest of the inputs' provenance, the KPIs resting on assumptions, and a copy of every table."""
    data = net.data
    digest_rows = []
    register_rows = []
    echo: list[Block] = []
    for spec in TABLES:
        if spec.name == "Settings":
            continue
        frame = data.tables.get(spec.name)
        if frame is None or frame.empty:
            continue
        conf = frame["confidence"].fillna("").astype(str).str.strip().str.upper()
        counts = conf.value_counts()
        sources = frame["source"].fillna("").astype(str).str.strip()
        digest_rows.append(
            {
                "Table": spec.name,
                "Rows": len(frame),
                **{tag: int(counts.get(tag, 0)) for tag in ("S", "S2", "D", "A", "U")},
                "Unrated": int(counts.get("", 0)),
                "Sources cited": int(sources[sources != ""].nunique()),
            }
        )
        key_cols = [c for c in spec.key if c in frame.columns] or [spec.columns[0].name]
        hit = frame[conf.isin(ASSUMED_CONFIDENCE)]
        for _, r in hit.iterrows():
            register_rows.append(
                {
                    "Table": spec.name,
                    "Excel row": int(r["_row"]) if "_row" in r else None,
                    "Key": " / ".join("" if r[k] is None else str(r[k]) for k in key_cols),
                    "Confidence": _confidence_label(r["confidence"]),
                    "Source": "" if r["source"] is None else str(r["source"]),
                }
            )
        cols = ["_row", *[c.name for c in spec.all_columns]]
        shown = frame[[c for c in cols if c in frame.columns]].copy()
        keep = [
            c
            for c in shown.columns
            if c in ("_row", "source", "confidence")
            or c in spec.key
            or not (shown[c].isna().all() or (shown[c].astype(str) == "").all())
        ]
        shown = shown[keep].rename(columns={"_row": "row"})
        kinds: dict[str, Kind] = {"row": "int"}
        for c in spec.columns:
            if c.name in shown.columns and c.dtype in ("float", "int"):
                kinds[c.name] = "int" if c.dtype == "int" else "num"
        echo.append(
            Block(
                f"input_{spec.name}",
                f"{spec.name} ({len(frame)} rows)",
                shown.reset_index(drop=True),
                kinds,
                wrap=False,
            )
        )
    digest = pd.DataFrame(
        digest_rows, columns=["Table", "Rows", "S", "S2", "D", "A", "U", "Unrated", "Sources cited"]
    )
    a = m.assumptions
    flagged = a[a["flagged"]] if len(a) else a
    kpis = pd.DataFrame(
        {
            "KPI": flagged["kpi"] if len(flagged) else [],
            "Input table": flagged["table"] if len(flagged) else [],
            "Rows": flagged["rows"] if len(flagged) else [],
            "Marked A/U": flagged["assumed_rows"] if len(flagged) else [],
        }
    ).reset_index(drop=True)
    settings = pd.DataFrame(
        {
            "Setting": list(net.settings.keys()),
            "Value": ["" if v is None else str(v) for v in net.settings.values()],
        }
    )
    tables = [
        Block(
            "digest",
            "Input tables and the confidence of their rows",
            digest,
            {t: "int" for t in ("Rows", "S", "S2", "D", "A", "U", "Unrated", "Sources cited")},
            wrap=False,
        ),
        Block(
            "kpi_assumptions",
            "KPIs that rest on rows marked A or U",
            kpis,
            {"Rows": "int", "Marked A/U": "int"},
            wrap=False,
        ),
        Block(
            "assumption_register",
            "Rows marked A (assumption) or U (unconfirmed)",
            pd.DataFrame(register_rows, columns=["Table", "Excel row", "Key", "Confidence", "Source"]),
            {"Excel row": "int"},
            wrap=False,
        ),
        Block("settings", "Settings", settings, wrap=False),
    ]
    src = str(data.path) if data.path else "(built in code)"
    return SheetSpec(
        INPUTS,
        "Inputs",
        f"Provenance of the inputs ({src}) and a copy of every input table, side by side (only the first "
        "three tables print). Confidence: S sourced, S2 secondary source, D derived, A assumption, "
        "U unconfirmed. 'row' / 'Excel row' is the row in the input workbook.",
        [],
        detail=tables[0],
        extra=[*tables[1:], *echo],
        print_tables=3,
        filter_key="assumption_register",
    )


def _run_info_sheet(
    sol: Solution, net: Network, m: Metrics, manifest: dict[str, Any] | None, now: datetime
) -> SheetSpec:
    from planner import __version__

    man = manifest or {}
    inp = man.get("input", {})
    ver = man.get("versions", {})
    opts = man.get("options", {})
    res = man.get("result", {})
    solve_result = sol.extra.get("solve_result")
    solver = ver.get("solver") or getattr(solve_result, "solver", "") or "HiGHS"
    data = net.data
    gap = sol.gap
    rows: list[tuple[str, Any, Kind]] = [
        ("Planner version", ver.get("planner", __version__), "text"),
        ("Input file", inp.get("file") or (str(data.path) if data.path else "(built in code)"), "text"),
        ("Input SHA-256", inp.get("sha256") or data.sha256 or "(not read from a file)", "text"),
        ("Run started (UTC)", man.get("started_utc") or "-", "text"),
        ("Report written (UTC)", now.astimezone(UTC).isoformat(timespec="seconds"), "text"),
        ("Solver", solver, "text"),
        ("Status", res.get("status", sol.status), "text"),
        ("Proven optimal", "yes" if sol.proven_optimal else "no", "text"),
        ("Objective", float(sol.objective), "money"),
        ("Best bound", float(sol.bound), "money"),
        ("Gap", "n/a" if not math.isfinite(gap) else f"{gap:.4%}", "text"),
        ("Solver message", sol.message or "-", "text"),
        ("Time limit", opts.get("time_limit", net.settings.get("time_limit")), "seconds"),
        ("MIP gap setting", opts.get("mip_gap", net.settings.get("mip_gap")), "general"),
        ("Threads (0 = automatic)", opts.get("threads", net.settings.get("threads")), "general"),
        ("Random seed", opts.get("random_seed", net.settings.get("random_seed")), "general"),
        ("Scenarios solved", ", ".join(m.scenario_ids), "text"),
        ("Periods", f"{len(m.periods)} ({m.periods[0]} to {m.periods[-1]})" if m.periods else "0", "text"),
    ]
    run = pd.DataFrame({"Item": [r[0] for r in rows], "Value": [r[1] for r in rows]})
    seconds = man.get("seconds") or sol.timings
    timings = pd.DataFrame({"Stage": list(seconds.keys()), "Seconds": [float(v) for v in seconds.values()]})
    total = {"Stage": "Total", "Seconds": float(timings["Seconds"].sum()) if len(timings) else 0.0}
    timings = pd.concat([timings, pd.DataFrame([total])], ignore_index=True)
    blocks = [
        Block("run", "Run", run, row_kinds={"Value": [r[2] for r in rows]}),
        Block("timings", "Wall time per stage", timings, {"Seconds": "seconds"}, total_row=True),
    ]
    if ver:
        blocks.append(
            Block(
                "versions",
                "Versions",
                pd.DataFrame({"Package": list(ver.keys()), "Version": [str(v) for v in ver.values()]}),
            )
        )
    settings = man.get("settings") or net.settings
    blocks.append(
        Block(
            "run_settings",
            "Settings used",
            pd.DataFrame(
                {
                    "Setting": list(settings.keys()),
                    "Value": ["" if v is None else str(v) for v in settings.values()],
                }
            ),
        )
    )
    return SheetSpec(
        RUN_INFO,
        "Run information",
        "How this plan was produced, for reproducing and auditing it.",
        blocks,
        freeze=False,
    )


# ----------------------------------------------------------------------------- summary


def _tiles(m: Metrics) -> list[Tile]:
    flagged = set(m.flagged_kpis)
    n = len(m.scenario_ids)
    tiles = [
        Tile(
            "Expected total cost",
            m.expected_cost,
            "money",
            f"probability-weighted over {n} scenario{'s' if n != 1 else ''}",
            KPI_EXPECTED_COST in flagged,
        ),
        Tile(
            "Worst-scenario cost",
            m.worst_cost,
            "money",
            f"in '{m.worst_scenario}'",
            KPI_WORST_COST in flagged,
        ),
        Tile(
            f"CVaR {fmt_pct(m.cvar_alpha)}",
            m.cvar,
            "money",
            f"mean cost of the worst {fmt_pct(1 - m.cvar_alpha)} of outcomes",
            KPI_CVAR in flagged,
        ),
        Tile(
            "Here-and-now cost",
            m.first_stage_cost,
            "money",
            "committed before the scenario is known",
            KPI_EXPECTED_COST in flagged,
        ),
        Tile(
            "Expected service level",
            m.expected_service,
            "pct",
            f"worst {fmt_pct(m.worst_service)} in '{m.worst_service_scenario}'"
            if m.worst_service < 1 - 1e-9
            else "all demand met in every scenario",
            KPI_SERVICE in flagged,
            alert=m.worst_service < 1 - 1e-9,
        ),
        Tile(
            "Tonnes short (expected)",
            m.expected_shortage,
            "t",
            f"worst {fmt_tonnes(m.worst_shortage, m.mass_unit)} in '{m.worst_shortage_scenario}'"
            if m.worst_shortage > 1e-9
            else "no shortage in any scenario",
            KPI_SHORTAGE in flagged,
            alert=m.expected_shortage > 1e-9,
        ),
    ]
    r = most_dependent_stage(m)
    if r is not None:
        tiles.append(
            Tile(
                f"Highest {m.controlling_country} share",
                float(r["share"]),
                "pct",
                f"of {stage_phrase(str(r['stage']))} output; supply HHI {float(r['hhi']):,.0f}",
                KPI_DEPENDENCY in flagged,
                alert=float(r["share"]) > 0.5,
            )
        )
    else:
        tiles.append(Tile(f"Highest {m.controlling_country} share", None, "pct", "no supply in the plan"))
    st = m.stochastic or {}
    if "VSS" in st:
        evpi = st.get("EVPI", math.nan)
        tiles.append(
            Tile(
                "Value of stochastic plan",
                st["VSS"] if math.isfinite(st["VSS"]) else None,
                "money",
                f"VSS; EVPI {fmt_money(evpi, m.currency)}"
                if math.isfinite(evpi)
                else "VSS (average-scenario plan infeasible)",
                KPI_VSS in flagged,
            )
        )
    else:
        cov = m.cover
        if len(cov) and float(cov["stock"].max()) > 1e-9:
            r = cov.loc[cov["stock"].astype(float).idxmax()]
            tiles.append(
                Tile(
                    "Peak stock held",
                    float(r["stock"]),
                    "t",
                    f"{r['product']} at {r['site']}, {r['period']}",
                    KPI_COVER in flagged,
                )
            )
        else:
            tiles.append(Tile("Peak stock held", 0.0, "t", "no stock held", KPI_COVER in flagged))
    return tiles


def _charts(m: Metrics, nonzero_components: int, has_mix: bool, exp_label: str) -> list[ChartSpec]:
    c = m.controlling_country
    charts = [
        ChartSpec(
            "barh",
            f"Expected cost by component ({m.currency})",
            COSTS,
            "cost_components",
            "Component",
            [exp_label],
            m.currency,
            "money",
            rows=max(1, nonzero_components),
        ),
        ChartSpec(
            "combo",
            "Cost and shortage by scenario",
            SCENARIOS,
            "scenarios",
            "Scenario",
            ["Total cost"],
            f"Total cost ({m.currency})",
            "money",
            rows=len(m.scenario_ids),
            secondary=["Shortage"],
            secondary_title=f"Shortage ({m.mass_unit})",
            secondary_kind="t",
        ),
    ]
    if has_mix:
        charts.append(
            ChartSpec(
                "stacked_pct",
                f"Output by country and stage ({c} first, expected)",
                FLOWS,
                "supply_mix",
                "Stage",
                [],  # every country column
                "share of stage output",
                "pct",
            )
        )
    charts.append(
        ChartSpec(
            "line",
            f"Stock held by scenario ({m.mass_unit}, all sites)",
            INVENTORY,
            "stock_trajectory",
            "Period",
            [],
            f"stock ({m.mass_unit})",
            "t",
        )
    )
    return charts


def build_report(
    sol: Solution,
    net: Network,
    metrics: Metrics | None = None,
    stochastic: dict[str, Any] | None = None,
    manifest: dict[str, Any] | None = None,
    now: datetime | None = None,
    title: str = "Rare-earth magnet supply plan",
) -> ReportContent:
    """Decide the content of every sheet of the manager's report.

    ``metrics`` is computed when not given (from ``stochastic`` and ``manifest``, see
    :func:`planner.metrics.compute_metrics`); ``now`` stamps the run information.
    """
    m = (
        metrics
        if metrics is not None
        else compute_metrics(sol, net, stochastic=stochastic, manifest=manifest)
    )
    now = now or datetime.now(UTC)
    recs = finding_records(m)
    costs_sheet, nonzero = _costs_sheet(sol, m)
    flows_sheet = _flows_sheet(sol, m)
    has_mix = any(
        b.key == "supply_mix" and b.frame.shape[1] > 1 and len(b.frame) > 0 for b in flows_sheet.blocks
    )
    sheets = [
        _decisions_sheet(sol, net, m),
        costs_sheet,
        _scenarios_sheet(m),
        flows_sheet,
        _inventory_sheet(m),
        _shortages_sheet(sol, m),
        _licences_sheet(sol, m),
        _inputs_sheet(net, m),
        _run_info_sheet(sol, net, m, manifest, now),
    ]
    alerts = []
    if not m.proven_optimal:
        gap = "unknown" if not math.isfinite(m.gap) else f"{m.gap:.2%}"
        alerts.append(
            f"Not proven optimal, gap {gap}: the solver stopped before proving this is the cheapest plan; "
            f"a better plan may cost up to {gap} less than the objective ({sol.message or m.status})."
        )
    notes = []
    if m.risk_weight > 0:
        notes.append(
            f"The plan minimises expected cost + {m.risk_weight:g} x CVaR {fmt_pct(m.cvar_alpha)} "
            f"(objective {fmt_money(m.objective, m.currency)}), so it pays some expected cost to protect the bad scenarios."
        )
    flagged = m.flagged_kpis
    assumption_note = (
        "* rests on input rows marked A (assumption) or U (unconfirmed), or not rated at all; see the Inputs sheet."
        if flagged
        else "No KPI rests on input rows marked as assumptions (A), unconfirmed (U) or unrated."
    )
    periods = f"{m.periods[0]} to {m.periods[-1]}" if m.periods else ""
    solver = getattr(sol.extra.get("solve_result"), "solver", "") or (
        (manifest or {}).get("versions") or {}
    ).get("solver", "")
    subtitle = (
        f"{len(m.periods)} periods ({periods}), {len(m.scenario_ids)} scenario{'s' if len(m.scenario_ids) != 1 else ''}; "
        f"costs in {m.currency}, quantities in {m.mass_unit}. Solved: {m.status}"
        f"{f' by {solver}' if solver else ''}, report of {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
    )
    scenario_lines = [
        f"{s} ({fmt_pct(m.probability[s])}): {m.scenario_descriptions[s]}"
        if m.scenario_descriptions.get(s)
        else f"{s} ({fmt_pct(m.probability[s])})"
        for s in m.scenario_ids
    ]
    return ReportContent(
        title=title,
        subtitle=subtitle,
        currency=m.currency,
        mass_unit=m.mass_unit,
        tiles=_tiles(m),
        findings=[f.text for f in recs],
        finding_sheets=[f.sheet for f in recs],
        notes=notes,
        alerts=alerts,
        assumption_note=assumption_note,
        charts=_charts(m, nonzero, has_mix, _expected_label(m.scenario_ids)),
        sheets=sheets,
        scenario_lines=scenario_lines
        if len(scenario_lines) > 1 or any(m.scenario_descriptions.values())
        else [],
        input_path=str(net.data.path) if net.data.path else None,
        metrics=m,
    )


__all__ = [
    "SHEET_ORDER",
    "Block",
    "ChartSpec",
    "ReportContent",
    "SheetSpec",
    "Tile",
    "build_report",
]


# ----------------------------------------------------------------------------- resilience


def add_resilience(
    content: ReportContent, stress: dict[str, Any] | None = None, frontier: pd.DataFrame | None = None
) -> None:
    """Add the Resilience sheet (TTS/TTR/PI/REI, stockpile sizing, days-of-cover curve) and the
    Frontier sheet (cost against CVaR), with their charts, before Inputs and Run info."""
    import math

    new: list[SheetSpec] = []
    if stress is not None:
        nodes = stress["nodes"]
        horizon = max(1.0, float(nodes["ttr_periods"].max(skipna=True) or 1.0) * 2) if len(nodes) else 1.0
        table = pd.DataFrame(
            {
                "Node": nodes["node"],
                "Kind": nodes["kind"],
                "TTR (periods)": nodes["ttr_periods"],
                "TTS (periods)": [v if math.isfinite(v) else math.nan for v in nodes["tts_periods"]],
                "Covered": [
                    "n/a (no TTR)"
                    if pd.isna(r)
                    else ("covered (no limit)" if math.isinf(v) else ("yes" if c else "NO"))
                    for v, c, r in zip(
                        nodes["tts_periods"], nodes["covered"], nodes["ttr_periods"], strict=True
                    )
                ],
                "Impact (penalty)": nodes["pi_cost"],
                "Short during TTR": nodes["pi_shortage"],
                "REI": nodes["rei"],
            }
        )
        chart_rows = table.dropna(subset=["TTR (periods)"]).head(12)
        chart_frame = chart_rows[["Node", "TTS (periods)", "TTR (periods)"]].reset_index(drop=True)
        chart_frame["TTS (periods)"] = [  # capped for the chart only (no limit -> the cap)
            horizon if pd.isna(v) else min(float(v), horizon) for v in chart_frame["TTS (periods)"]
        ]
        stock = stress["stockpile"].rename(
            columns={
                "site": "Site",
                "product": "Product",
                "extra_stock": "Extra stock",
                "days_of_cover": "Days of demand",
                "cost": "Cost over the horizon",
                "cost_per_year": "Cost a year",
            }
        )
        curve = stress["cover_curve"]
        blocks = [
            Block(
                "nodes",
                "Time to survive against time to recover (Simchi-Levi): a node is covered when TTS >= TTR",
                table,
                kinds={
                    "TTR (periods)": "num",
                    "TTS (periods)": "num",
                    "Impact (penalty)": "money",
                    "Short during TTR": "t",
                    "REI": "pct",
                },
                highlight={"Short during TTR": "positive"},
            ),
            Block(
                "tts_chart",
                "TTS and TTR of the nodes with a TTR (TTS capped for the chart)",
                chart_frame,
                kinds={"TTS (periods)": "num", "TTR (periods)": "num"},
            ),
            Block(
                "stockpile",
                f"Cheapest extra stock that keeps TTS >= TTR for every node (cost {stress['stockpile_cost']:,.0f})",
                stock,
                kinds={
                    "Extra stock": "t",
                    "Days of demand": "days",
                    "Cost over the horizon": "money",
                    "Cost a year": "money",
                },
            ),
        ]
        values = stress.get("stockpile_values")
        if values is not None and len(values):
            blocks.append(
                Block(
                    "stockpile_values",
                    "Stock the plan builds before the reveal, valued by solve: expected cost without it (held at "
                    "its opening level) minus with it, and the scenarios it protects",
                    values.rename(
                        columns={
                            "site": "Site",
                            "product": "Product",
                            "opening": "Opening stock",
                            "stock": "Held",
                            "value": "Value",
                            "protects": "Protects",
                            "worst_rise": "Largest cost rise without it",
                        }
                    )[
                        [
                            "Site",
                            "Product",
                            "Opening stock",
                            "Held",
                            "Value",
                            "Protects",
                            "Largest cost rise without it",
                        ]
                    ],
                    kinds={
                        "Opening stock": "t",
                        "Held": "t",
                        "Value": "money",
                        "Largest cost rise without it": "money",
                    },
                )
            )
        if len(curve):
            cover = pd.DataFrame(
                {
                    "Days of cover": curve["days"],
                    "Expected cost": curve["expected_cost"],
                    "Worst shortage": curve["worst_shortage"],
                    "Expected shortage": curve["expected_shortage"],
                    "Policy missed": curve["cover_shortfall"],
                }
            )
            blocks.append(
                Block(
                    "cover_curve",
                    "Stockpile policy: importing regions hold N days of cover",
                    cover,
                    kinds={
                        "Days of cover": "days",
                        "Expected cost": "money",
                        "Worst shortage": "t",
                        "Expected shortage": "t",
                        "Policy missed": "t",
                    },
                )
            )
        new.append(
            SheetSpec(
                RESILIENCE,
                "Resilience",
                "Where the plan breaks and what it costs to make it hold. Rates of the reveal period with the "
                "plan's stock; transit times ignored (models/formulation.md#resilience).",
                blocks,
                freeze=False,
            )
        )
        content.charts.append(
            ChartSpec(
                "col",
                "Time to survive vs time to recover (periods)",
                RESILIENCE,
                "tts_chart",
                "Node",
                ["TTS (periods)", "TTR (periods)"],
                "periods",
                "num",
            )
        )
        if len(curve):
            content.charts.append(
                ChartSpec(
                    "combo",
                    "Days of cover: expected cost and worst shortage",
                    RESILIENCE,
                    "cover_curve",
                    "Days of cover",
                    ["Expected cost"],
                    f"Expected cost ({content.currency})",
                    "money",
                    secondary=["Worst shortage"],
                    secondary_title=f"Worst shortage ({content.mass_unit})",
                    secondary_kind="t",
                )
            )
    if frontier is not None and len(frontier):
        table = pd.DataFrame(
            {
                "Weight on CVaR": frontier["weight"],
                "CVaR": frontier["cvar"],
                "Expected cost": frontier["expected_cost"],
                "Worst cost": frontier["worst_cost"],
                "Worst scenario": frontier["worst_scenario"],
                "Expected shortage": frontier["expected_shortage"],
                "Worst shortage": frontier["worst_shortage"],
                "Decisions": frontier["decisions"],
            }
        )
        new.append(
            SheetSpec(
                FRONTIER,
                "Cost-risk frontier",
                "Each row minimises (1 - w) x expected cost + w x CVaR of total cost: w = 0 is risk neutral, "
                "w = 1 the most risk-averse plan.",
                [
                    Block(
                        "frontier",
                        "Frontier points",
                        table,
                        kinds={
                            "Weight on CVaR": "pct",
                            "CVaR": "money",
                            "Expected cost": "money",
                            "Worst cost": "money",
                            "Expected shortage": "t",
                            "Worst shortage": "t",
                        },
                    )
                ],
                freeze=False,
            )
        )
        content.charts.append(
            ChartSpec(
                "scatter",
                "Cost-risk frontier: expected cost against CVaR",
                FRONTIER,
                "frontier",
                "CVaR",
                ["Expected cost"],
                f"Expected cost ({content.currency})",
                "money",
            )
        )
    at = next(
        (i for i, sh in enumerate(content.sheets) if sh.name in (INPUTS, RUN_INFO)), len(content.sheets)
    )
    content.sheets[at:at] = new
