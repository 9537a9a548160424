"""Metrics computed from solution tables and the network only (pure pandas, no Pyomo).

:func:`compute_metrics` turns a :class:`~planner.solution.Solution` and its
:class:`~planner.network.Network` into a :class:`Metrics` record of plain numbers
and DataFrames: costs (expected, worst scenario, CVaR, by component), service
levels and tonnes short, dependency on the controlling country and concentration
(HHI) per supply-chain stage, licence volumes, stockpile days of cover, and which
KPIs rest on input rows marked as assumptions. :func:`findings` turns those numbers
into a few ranked, plain-language sentences for the report's first page.

Conventions
-----------
* Solution tables repeat first-stage rows in every scenario, so any per-scenario sum
  is that scenario's total and ``expected = sum_s p_s * x_s``.
* "worst" means the scenario with the highest cost or shortage (lowest service).
* Shares are fractions (0.12 = 12%); HHI is on the 0-10,000 scale (sum of squared
  percentage shares; above 2,500 counts as highly concentrated).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.schema import PRODUCT_STAGES

if TYPE_CHECKING:  # planner.solution imports the Pyomo model; metrics must not
    from planner.network import Network
    from planner.solution import Solution

DEFAULT_CONTROLLING_COUNTRY = "CN"
ASSUMED_CONFIDENCE = ("A", "U", "")
"""Confidence tags a KPI is flagged for: assumption, unconfirmed, and blank (unrated, not sourced)."""
HHI_HIGH = 2500.0

STAGE_LABELS = {
    "ore": "Mining (ore)",
    "concentrate": "Mining / concentrate",
    "oxide": "Separation / oxide",
    "metal": "Metal / alloy",
    "magnet": "Magnet",
    "scrap": "Scrap / recycling",
    "other": "Other",
}

# KPI names (also the labels the report shows) and the input tables that feed each one.
KPI_EXPECTED_COST = "Expected total cost"
KPI_WORST_COST = "Worst-scenario cost"
KPI_CVAR = "CVaR of total cost"
KPI_SERVICE = "Service level"
KPI_SHORTAGE = "Tonnes short"
KPI_DEPENDENCY = "Controlling-country share"
KPI_HHI = "Supply concentration (HHI)"
KPI_LICENCES = "Licence volumes"
KPI_COVER = "Days of cover"
KPI_VSS = "VSS / EVPI"

_COST_TABLES = (
    "Demand",
    "Contracts",
    "Processes",
    "Lanes",
    "CapacityOptions",
    "Inventory",
    "ExportControls",
    "Sites",
    "Products",
    "Scenarios",
    "ScenarioChanges",
)
_SUPPLY_TABLES = (
    "Demand",
    "Contracts",
    "Processes",
    "Lanes",
    "CapacityOptions",
    "Inventory",
    "ExportControls",
    "Scenarios",
    "ScenarioChanges",
)
_DEPENDENCY_TABLES = (
    "Sites",
    "Products",
    "Processes",
    "ProcessFlows",
    "Contracts",
    "Demand",
    "ExportControls",
    "ScenarioChanges",
)
KPI_INPUTS: dict[str, tuple[str, ...]] = {
    KPI_EXPECTED_COST: _COST_TABLES,
    KPI_WORST_COST: _COST_TABLES,
    KPI_CVAR: _COST_TABLES,
    KPI_SERVICE: _SUPPLY_TABLES,
    KPI_SHORTAGE: _SUPPLY_TABLES,
    KPI_DEPENDENCY: _DEPENDENCY_TABLES,
    KPI_HHI: _DEPENDENCY_TABLES,
    KPI_LICENCES: ("ExportControls", "Demand", "Contracts", "Processes", "ScenarioChanges"),
    KPI_COVER: ("Inventory", "Demand", "Processes", "ProcessFlows", "ScenarioChanges"),
    KPI_VSS: _COST_TABLES,
}
"""Input tables each KPI is computed from. Demand, capacity, price and licence
parameters feed every cost and service KPI, so an A/U row in any of them flags it."""


@dataclass
class Finding:
    """One plain-language finding, the figures it quotes, and how much it matters.

    ``impact`` (in currency) ranks findings; ``values`` holds every number quoted in
    ``text`` as it appears in the metrics tables; ``sheet`` is where to check them.
    """

    topic: str
    text: str
    impact: float
    sheet: str
    values: dict[str, float] = field(default_factory=dict)


@dataclass
class Metrics:
    """Every KPI of one solution, as plain numbers and DataFrames.

    Scalar KPIs
        ``expected_cost`` (probability-weighted total cost), ``worst_cost`` /
        ``worst_scenario``, ``cvar`` (CVaR at ``cvar_alpha`` of total cost; from the
        model when ``risk_weight`` > 0, else computed), ``first_stage_cost``,
        ``expected_service`` / ``worst_service`` (``worst_service_scenario``),
        ``expected_shortage`` / ``worst_shortage`` in tonnes (``worst_shortage_scenario``).

    Tables (long format; ``scenario`` is a scenario id)
        ``scenarios`` per-scenario costs and service (the Solution table plus shortage,
        holding and stage costs by name); ``costs`` (component, scenario, probability,
        cost); ``costs_expected`` (component, expected, share); ``shortage_by_product``
        (product, demand, expected_shortage, worst_shortage, worst_scenario,
        worst_share); ``shortage_by_scenario`` (product, scenario, demand, shortage,
        share); ``shortage_detail`` (site, product, period, scenario, demand, shortage,
        share); ``supply`` (stage, country, scenario, quantity, share);
        ``supply_expected`` (stage, country, quantity, share); ``dependency`` (stage,
        scenario, supply, controlling, share, hhi); ``dependency_expected`` (stage,
        supply, controlling, share, hhi, worst_share, worst_scenario);
        ``licence_volumes`` (rule, products, scenario, applied, approved, shipped,
        approval_rate, shipped_value); ``cover`` (site, product, period, scenario, stock, use,
        use_per_day, days_of_cover, target_days); ``stock_by_period`` (period,
        scenario, stock); ``assumptions`` (kpi, table, rows, assumed_rows,
        excel_rows, flagged).
    """

    currency: str
    mass_unit: str
    period_length_days: float
    periods: list[str]
    scenario_ids: list[str]
    probability: dict[str, float]
    controlling_country: str
    cvar_alpha: float
    risk_weight: float
    status: str
    proven_optimal: bool
    objective: float
    bound: float
    gap: float
    message: str
    expected_cost: float
    worst_cost: float
    worst_scenario: str
    cvar: float
    cvar_source: str
    first_stage_cost: float
    expected_service: float
    worst_service: float
    worst_service_scenario: str
    expected_shortage: float
    worst_shortage: float
    worst_shortage_scenario: str
    scenarios: pd.DataFrame
    costs: pd.DataFrame
    costs_expected: pd.DataFrame
    shortage_by_product: pd.DataFrame
    shortage_by_scenario: pd.DataFrame
    shortage_detail: pd.DataFrame
    supply: pd.DataFrame
    supply_expected: pd.DataFrame
    dependency: pd.DataFrame
    dependency_expected: pd.DataFrame
    licence_volumes: pd.DataFrame
    cover: pd.DataFrame
    stock_by_period: pd.DataFrame
    assumptions: pd.DataFrame
    stochastic: dict[str, float] | None = None
    stochastic_per_scenario: pd.DataFrame | None = None
    manifest: dict[str, Any] | None = None
    site_names: dict[str, str] = field(default_factory=dict)
    wait_capex: float = 0.0  # expected capacity and qualification cost of decisions taken at the reveal
    product_names: dict[str, str] = field(default_factory=dict)
    product_values: dict[str, float] = field(default_factory=dict)
    scenario_descriptions: dict[str, str] = field(default_factory=dict)
    period_days: list[float] = field(default_factory=list)  # each period's length (Periods.length_days)

    @property
    def flagged_kpis(self) -> list[str]:
        """KPIs that rest on at least one input row marked A (assumption) or U (unconfirmed)."""
        a = self.assumptions
        if a.empty:
            return []
        return [str(k) for k in dict.fromkeys(a.loc[a["flagged"], "kpi"])]

    def assumed_tables(self, kpi: str) -> list[str]:
        """Input tables with A/U rows that feed ``kpi``."""
        a = self.assumptions
        if a.empty:
            return []
        return [str(t) for t in a.loc[(a["kpi"] == kpi) & a["flagged"], "table"]]


# ----------------------------------------------------------------------------- helpers


def cvar(costs: Sequence[float], probabilities: Sequence[float], alpha: float) -> float:
    """CVaR_alpha of a discrete cost distribution: the mean of the worst (1 - alpha) probability mass.

    Equals min_eta eta + 1/(1-alpha) sum_s p_s max(0, c_s - eta) (Rockafellar-Uryasev), so it
    matches the model's linearisation at the optimum. alpha = 0 gives the mean.
    """
    if len(costs) != len(probabilities) or not costs:
        raise ValueError("costs and probabilities must be non-empty and of equal length")
    tail = 1.0 - alpha
    if tail <= 0:
        return max(costs)
    remaining = tail
    total = 0.0
    for c, p in sorted(zip(costs, probabilities, strict=True), key=lambda cp: -cp[0]):
        take = min(p, remaining)
        total += take * c
        remaining -= take
        if remaining <= 1e-15:
            break
    return total / tail


def hhi(quantities: Iterable[float]) -> float:
    """Herfindahl-Hirschman index of a set of quantities, 0-10,000 (one supplier = 10,000).

    Zero and negative quantities are ignored; no positive quantity gives NaN.
    """
    q = [float(x) for x in quantities if float(x) > 0]
    total = sum(q)
    if total <= 0:
        return math.nan
    return sum((100.0 * x / total) ** 2 for x in q)


def days_of_cover(stock: float, use_per_period: float, period_length_days: float) -> float:
    """Days the stock lasts at the period's rate of use (demand + consumption); NaN without use."""
    if use_per_period <= 0:
        return math.nan
    return stock / (use_per_period / period_length_days)


def expected(frame: pd.DataFrame, by: list[str], value: str, probability: dict[str, float]) -> pd.DataFrame:
    """Probability-weighted sum of ``value`` over the ``scenario`` column, grouped by ``by``.

    A group missing in some scenario counts as zero there.
    """
    if frame.empty:
        return pd.DataFrame(columns=[*by, value])
    w = frame["scenario"].map(probability).fillna(0.0).astype(float)
    tmp = frame[by].copy()
    tmp[value] = frame[value].astype(float) * w
    return tmp.groupby(by, sort=False, as_index=False)[value].sum()


def _grid(frame: pd.DataFrame, keys: list[str], scenarios: list[str], values: list[str]) -> pd.DataFrame:
    """``frame`` summed by keys + scenario, with every key combination present in every scenario."""
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "scenario", *values])
    g = frame.groupby([*keys, "scenario"], sort=False, as_index=False)[values].sum()
    combos = g[keys].drop_duplicates()
    full = combos.merge(pd.DataFrame({"scenario": scenarios}), how="cross")
    out = full.merge(g, on=[*keys, "scenario"], how="left")
    out[values] = out[values].fillna(0.0).astype(float)
    return out


def _controlling_country(net: Network) -> str:
    ec = net.data.tables.get("ExportControls")
    if ec is None or ec.empty:
        return DEFAULT_CONTROLLING_COUNTRY
    counts = ec["country"].dropna().astype(str).str.strip().str.upper().value_counts()
    return str(counts.index[0]) if len(counts) else DEFAULT_CONTROLLING_COUNTRY


def _stage_order(stages: Iterable[str]) -> list[str]:
    order = {s: i for i, s in enumerate(PRODUCT_STAGES)}
    return sorted(dict.fromkeys(stages), key=lambda s: (order.get(s, len(order)), s))


def _worst(frame: pd.DataFrame, key: str, value: str, highest: bool = True) -> tuple[float, str]:
    if frame.empty:
        return 0.0, ""
    idx = frame[value].astype(float).idxmax() if highest else frame[value].astype(float).idxmin()
    return float(frame.at[idx, value]), str(frame.at[idx, key])


# ----------------------------------------------------------------------------- pieces


def _wait_capex(sol: Solution, prob: dict[str, float]) -> float:
    """Expected capacity and qualification cost booked to scenario nodes: decisions taken at the reveal."""
    c = sol.costs
    if c.empty or "stage" not in c.columns:
        return 0.0
    part = c[(c["stage"] == 2) & c["component"].isin(("capacity", "qualification"))]
    return float(
        sum(prob.get(str(s), 0.0) * float(v) for s, v in zip(part["scenario"], part["cost"], strict=True))
    )


def _costs(sol: Solution, scen: list[str], prob: dict[str, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    costs = _grid(sol.costs[["component", "scenario", "cost"]], ["component"], scen, ["cost"])
    costs["probability"] = costs["scenario"].map(prob).astype(float) if len(costs) else []
    costs = costs[["component", "scenario", "probability", "cost"]]
    exp = expected(costs, ["component"], "cost", prob).rename(columns={"cost": "expected"})
    total = float(exp["expected"].sum()) if len(exp) else 0.0
    exp["share"] = exp["expected"] / total if total else 0.0
    return costs, exp.reset_index(drop=True)


def _shortages(
    sol: Solution, scen: list[str], prob: dict[str, float]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    sh = sol.shortages
    cols = ["site", "product", "period", "scenario", "demand", "shortage", "share"]
    if sh.empty:
        empty = pd.DataFrame(columns=cols)
        return (
            pd.DataFrame(
                columns=[
                    "product",
                    "demand",
                    "expected_shortage",
                    "worst_shortage",
                    "worst_scenario",
                    "worst_share",
                ]
            ),
            pd.DataFrame(columns=["product", "scenario", "demand", "shortage", "share"]),
            empty,
        )
    detail = sh.groupby(["site", "product", "period", "scenario"], sort=False, as_index=False)[
        ["demand", "shortage"]
    ].sum()
    detail["share"] = (detail["shortage"] / detail["demand"]).where(detail["demand"] > 0, 0.0)
    by_s = _grid(sh[["product", "scenario", "demand", "shortage"]], ["product"], scen, ["demand", "shortage"])
    by_s["share"] = (by_s["shortage"] / by_s["demand"]).where(by_s["demand"] > 0, 0.0)
    rows = []
    for product, g in by_s.groupby("product", sort=False):
        g = g.reset_index(drop=True)
        i = int(g["shortage"].idxmax())
        rows.append(
            {
                "product": product,
                "demand": float(sum(prob[s] * d for s, d in zip(g["scenario"], g["demand"], strict=True))),
                "expected_shortage": float(
                    sum(prob[s] * q for s, q in zip(g["scenario"], g["shortage"], strict=True))
                ),
                "worst_shortage": float(g.at[i, "shortage"]),
                "worst_scenario": str(g.at[i, "scenario"]) if g.at[i, "shortage"] > 0 else "",
                "worst_share": float(g.at[i, "share"]),
            }
        )
    by_p = (
        pd.DataFrame(rows)
        .sort_values("worst_shortage", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return by_p, by_s[["product", "scenario", "demand", "shortage", "share"]], detail[cols]


def _supply(
    sol: Solution, net: Network, scen: list[str], prob: dict[str, float], country: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Output of each stage (production out + contract purchases) by country of the producing site."""
    stage_of = {str(k): str(v) for k, v in net.products["stage"].items()}
    country_of = {str(k): str(v) for k, v in net.sites["country"].items()}
    parts = []
    prod = sol.production
    if len(prod):
        out = prod[prod["direction"] == "out"]
        parts.append(
            pd.DataFrame(
                {
                    "site": out["site"],
                    "product": out["product"],
                    "scenario": out["scenario"],
                    "quantity": out["quantity"],
                }
            )
        )
    pur = sol.purchases
    if len(pur) and "side" in pur.columns:  # a sale is not output of the stage
        pur = pur[pur["side"] != "sell"]
    if len(pur):
        parts.append(
            pd.DataFrame(
                {
                    "site": pur["supplier"],
                    "product": pur["product"],
                    "scenario": pur["scenario"],
                    "quantity": pur["quantity"],
                }
            )
        )
    raw = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["site", "product", "scenario", "quantity"])
    )
    raw = raw[raw["quantity"].astype(float) > 0]
    supply_cols = ["stage", "country", "scenario", "quantity", "share"]
    dep_cols = ["stage", "scenario", "supply", "controlling", "share", "hhi", "controlling_value"]
    dep_exp_cols = [
        "stage",
        "supply",
        "controlling",
        "share",
        "hhi",
        "worst_share",
        "worst_scenario",
        "controlling_value",
    ]
    if raw.empty:
        return (
            pd.DataFrame(columns=supply_cols),
            pd.DataFrame(columns=["stage", "country", "quantity", "share"]),
            pd.DataFrame(columns=dep_cols),
            pd.DataFrame(columns=dep_exp_cols),
        )
    value_of = {str(k): float(v) for k, v in net.products["value"].items()}
    raw = raw.assign(
        stage=raw["product"].map(stage_of).fillna("other"),
        country=raw["site"].map(country_of).fillna("?"),
        value=raw["quantity"].astype(float) * raw["product"].map(value_of).fillna(0.0),
    )
    raw_ctrl = raw[raw["country"] == country]
    ctrl_value = (
        expected(raw_ctrl, ["stage"], "value", prob).set_index("stage")["value"]
        if len(raw_ctrl)
        else pd.Series(dtype=float)
    )
    ctrl_by_scen = raw_ctrl.groupby(["stage", "scenario"])["value"].sum().to_dict() if len(raw_ctrl) else {}
    supply = raw.groupby(["stage", "country", "scenario"], as_index=False)["quantity"].sum()
    stages = _stage_order(supply["stage"])
    totals = supply.groupby(["stage", "scenario"])["quantity"].transform("sum")
    supply["share"] = supply["quantity"] / totals
    supply["_o"] = supply["stage"].map({s: i for i, s in enumerate(stages)})
    supply = supply.sort_values(["_o", "scenario", "quantity"], ascending=[True, True, False]).drop(
        columns="_o"
    )
    supply = supply.reset_index(drop=True)[supply_cols]

    sup_exp = expected(supply, ["stage", "country"], "quantity", prob)
    sup_exp["share"] = sup_exp["quantity"] / sup_exp.groupby("stage")["quantity"].transform("sum")
    sup_exp["_o"] = sup_exp["stage"].map({s: i for i, s in enumerate(stages)})
    sup_exp = (
        sup_exp.sort_values(["_o", "quantity"], ascending=[True, False])
        .drop(columns="_o")
        .reset_index(drop=True)
    )

    dep_rows = []
    for stage in stages:
        for s in scen:
            g = supply[(supply["stage"] == stage) & (supply["scenario"] == s)]
            total = float(g["quantity"].sum())
            ctrl = float(g.loc[g["country"] == country, "quantity"].sum())
            dep_rows.append(
                {
                    "stage": stage,
                    "scenario": s,
                    "supply": total,
                    "controlling": ctrl,
                    "share": ctrl / total if total > 0 else 0.0,
                    "hhi": hhi(g["quantity"]),
                    "controlling_value": float(ctrl_by_scen.get((stage, s), 0.0)),
                }
            )
    dep = pd.DataFrame(dep_rows, columns=dep_cols)
    exp_rows = []
    for stage in stages:
        g = sup_exp[sup_exp["stage"] == stage]
        d = dep[(dep["stage"] == stage) & (dep["supply"] > 0)]
        total = float(g["quantity"].sum())
        ctrl = float(g.loc[g["country"] == country, "quantity"].sum())
        worst_share, worst_s = _worst(d.reset_index(drop=True), "scenario", "share") if len(d) else (0.0, "")
        exp_rows.append(
            {
                "stage": stage,
                "supply": total,
                "controlling": ctrl,
                "share": ctrl / total if total > 0 else 0.0,
                "hhi": hhi(g["quantity"]),
                "worst_share": worst_share,
                "worst_scenario": worst_s,
                "controlling_value": float(ctrl_value.get(stage, 0.0)),
            }
        )
    return (
        supply,
        sup_exp[["stage", "country", "quantity", "share"]],
        dep,
        pd.DataFrame(exp_rows, columns=dep_exp_cols),
    )


def _licences(sol: Solution, net: Network, scen: list[str]) -> pd.DataFrame:
    cols = [
        "rule",
        "products",
        "scenario",
        "applied",
        "approved",
        "shipped",
        "approval_rate",
        "shipped_value",
    ]
    value_of = {str(k): float(v) for k, v in net.products["value"].items()}
    ec = net.data.tables.get("ExportControls")
    rules: dict[str, list[str]] = {}
    if ec is not None:
        for r, p in zip(ec["rule"], ec["product"], strict=True):
            rules.setdefault(str(r), [])
            if str(p) not in rules[str(r)]:
                rules[str(r)].append(str(p))
    for frame in (sol.licences, sol.licence_shipped):
        for r in frame["rule"] if len(frame) else []:
            rules.setdefault(str(r), [])
    if not rules:
        return pd.DataFrame(columns=cols)
    grid = pd.DataFrame([(r, s) for r in rules for s in scen], columns=["rule", "scenario"])
    if len(sol.licences):
        app = sol.licences.groupby(["rule", "scenario"], as_index=False)[["applied", "approved"]].sum()
        grid = grid.merge(app, on=["rule", "scenario"], how="left")
    else:
        grid["applied"] = 0.0
        grid["approved"] = 0.0
    if len(sol.licence_shipped):
        ls = sol.licence_shipped
        ls = ls.assign(shipped_value=ls["shipped"].astype(float) * ls["product"].map(value_of).fillna(0.0))
        shp = ls.groupby(["rule", "scenario"], as_index=False)[["shipped", "shipped_value"]].sum()
        grid = grid.merge(shp, on=["rule", "scenario"], how="left")
    else:
        grid["shipped"] = 0.0
        grid["shipped_value"] = 0.0
    nums = ["applied", "approved", "shipped", "shipped_value"]
    grid[nums] = grid[nums].fillna(0.0).astype(float)
    grid["products"] = grid["rule"].map(lambda r: ", ".join(rules[r]))
    grid["approval_rate"] = (grid["approved"] / grid["applied"]).where(grid["applied"] > 0)
    return grid[cols]


def _cover(sol: Solution, net: Network) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = [
        "site",
        "product",
        "period",
        "scenario",
        "stock",
        "use",
        "use_per_day",
        "days_of_cover",
        "target_days",
    ]
    inv = sol.inventory
    days_of = dict(zip(net.periods, net.period_days, strict=True))  # each period's own length
    if inv.empty:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=["period", "scenario", "stock"])
    keys = ["site", "product", "period", "scenario"]
    stock = inv.groupby(keys, sort=False, as_index=False)["stock"].sum()
    use_parts = []
    if len(sol.shortages):
        use_parts.append(sol.shortages[[*keys, "demand"]].rename(columns={"demand": "use"}))
    if len(sol.production):
        cons = sol.production[sol.production["direction"] == "in"]
        use_parts.append(cons[[*keys, "quantity"]].rename(columns={"quantity": "use"}))
    if use_parts:
        use = pd.concat(use_parts, ignore_index=True).groupby(keys, as_index=False)["use"].sum()
        cover = stock.merge(use, on=keys, how="left")
    else:
        cover = stock.assign(use=0.0)
    cover["use"] = cover["use"].fillna(0.0).astype(float)
    length = cover["period"].map(days_of).astype(float)
    cover["use_per_day"] = cover["use"] / length
    cover["days_of_cover"] = [
        days_of_cover(s, u, d) for s, u, d in zip(cover["stock"], cover["use"], length, strict=True)
    ]
    target = (
        {(str(k[0]), str(k[1])): float(v) for k, v in net.inventory["cover_days"].items()}
        if len(net.inventory)
        else {}
    )
    cover["target_days"] = [
        target.get((str(a), str(b)), 0.0) for a, b in zip(cover["site"], cover["product"], strict=True)
    ]
    order = {p: i for i, p in enumerate(net.periods)}
    by_period = stock.groupby(["period", "scenario"], as_index=False)["stock"].sum()
    by_period["_o"] = by_period["period"].map(order)
    by_period = by_period.sort_values(["_o", "scenario"]).drop(columns="_o").reset_index(drop=True)
    return cover[cols], by_period


def _scenario_descriptions(net: Network) -> dict[str, str]:
    sc = net.data.tables.get("Scenarios")
    if sc is None or sc.empty:
        return {}
    return {
        str(r.scenario): str(r.description).strip()
        for r in sc.itertuples(index=False)
        if r.description is not None and str(r.description).strip()
    }


def _assumptions(net: Network) -> pd.DataFrame:
    """For every KPI and feeding table: how many rows (in use) carry confidence A, U or none (unrated)."""
    tables = net.data.tables
    chosen = set(net.scenarios)
    assumed: dict[str, tuple[int, list[int]]] = {}
    for name in dict.fromkeys(t for ts in KPI_INPUTS.values() for t in ts):
        frame = tables.get(name)
        if frame is None or frame.empty:
            assumed[name] = (0, [])
            continue
        if name in ("Scenarios", "ScenarioChanges"):
            frame = frame[frame["scenario"].astype(str).isin(chosen)]
        conf = frame["confidence"].fillna("").astype(str).str.strip().str.upper()
        hit = frame[conf.isin(ASSUMED_CONFIDENCE)]
        rows = [int(r) for r in hit["_row"]] if "_row" in hit.columns else []
        assumed[name] = (len(frame), rows)
    out = []
    for kpi, feeding in KPI_INPUTS.items():
        for name in feeding:
            n, rows = assumed[name]
            shown = ", ".join(str(r) for r in rows[:20]) + (
                f", ... (+{len(rows) - 20})" if len(rows) > 20 else ""
            )
            out.append(
                {
                    "kpi": kpi,
                    "table": name,
                    "rows": n,
                    "assumed_rows": len(rows),
                    "excel_rows": shown,
                    "flagged": bool(rows),
                }
            )
    return pd.DataFrame(out, columns=["kpi", "table", "rows", "assumed_rows", "excel_rows", "flagged"])


# ----------------------------------------------------------------------------- main


def compute_metrics(
    sol: Solution,
    net: Network,
    stochastic: dict[str, Any] | None = None,
    manifest: dict[str, Any] | None = None,
) -> Metrics:
    """All KPIs of ``sol`` (solved on ``net``); ``stochastic`` is :func:`planner.api.stochastic_values`'s result.

    ``manifest`` (the run folder's manifest) is kept for the report's run information;
    when ``stochastic`` is not given, the VSS/EVPI numbers in ``manifest["stochastic"]``
    are used if present.
    """
    sc = sol.scenarios.copy()
    scen = [str(s) for s in sc["scenario"]]
    prob = {str(s): float(p) for s, p in zip(sc["scenario"], sc["probability"], strict=True)}
    settings = net.settings
    alpha = float(settings.get("cvar_alpha", 0.95))
    weight = float(settings.get("risk_weight", 0.0))
    country = _controlling_country(net)

    costs, costs_exp = _costs(sol, scen, prob)
    by_comp = (
        costs.pivot_table(index="scenario", columns="component", values="cost", aggfunc="sum")
        if len(costs)
        else None
    )
    for comp in ("shortage", "holding"):
        sc[f"{comp}_cost"] = [
            float(by_comp.at[s, comp]) if by_comp is not None and comp in by_comp.columns else 0.0
            for s in scen
        ]

    totals = [float(x) for x in sc["total_cost"]]
    probs = [prob[s] for s in scen]
    expected_cost = float(sum(p * c for p, c in zip(probs, totals, strict=True)))
    worst_cost, worst_scenario = _worst(sc, "scenario", "total_cost")
    model_cvar = sol.extra.get("cvar")
    if weight > 0 and model_cvar is not None:
        cvar_value, cvar_source = float(model_cvar), "model"
    else:
        cvar_value, cvar_source = cvar(totals, probs, alpha), "computed"

    worst_service, worst_service_s = _worst(sc, "scenario", "service_level", highest=False)
    worst_short, worst_short_s = _worst(sc, "scenario", "shortage")
    by_p, by_s, detail = _shortages(sol, scen, prob)
    supply, supply_exp, dep, dep_exp = _supply(sol, net, scen, prob, country)
    cover, stock_by_period = _cover(sol, net)

    stoch: dict[str, float] | None = None
    per_scenario = None
    source = stochastic if stochastic is not None else (manifest or {}).get("stochastic")
    if source:
        stoch = {k: float(source[k]) for k in ("RP", "WS", "EEV", "VSS", "EVPI") if k in source}
        ps = source.get("per_scenario")
        per_scenario = ps.copy() if isinstance(ps, pd.DataFrame) else None

    names = net.sites["name"] if "name" in net.sites.columns else pd.Series(dtype=object)
    pnames = net.products["name"] if "name" in net.products.columns else pd.Series(dtype=object)

    return Metrics(
        currency=str(settings.get("currency", "USD")),
        mass_unit=str(settings.get("mass_unit", "t")),
        period_length_days=float(settings.get("period_length_days", 91.25)),
        periods=list(net.periods),
        period_days=list(net.period_days),
        scenario_ids=scen,
        probability=prob,
        controlling_country=country,
        cvar_alpha=alpha,
        risk_weight=weight,
        status=sol.status,
        proven_optimal=bool(sol.proven_optimal),
        objective=float(sol.objective),
        bound=float(sol.bound),
        gap=float(sol.gap),
        message=sol.message,
        expected_cost=expected_cost,
        worst_cost=worst_cost,
        worst_scenario=worst_scenario,
        cvar=cvar_value,
        cvar_source=cvar_source,
        first_stage_cost=float(sc["stage1_cost"].iloc[0]) if len(sc) else 0.0,
        expected_service=float(sum(p * v for p, v in zip(probs, sc["service_level"], strict=True))),
        worst_service=worst_service,
        worst_service_scenario=worst_service_s,
        expected_shortage=float(sum(p * v for p, v in zip(probs, sc["shortage"], strict=True))),
        worst_shortage=worst_short,
        worst_shortage_scenario=worst_short_s if worst_short > 0 else "",
        scenarios=sc,
        costs=costs,
        costs_expected=costs_exp,
        wait_capex=_wait_capex(sol, prob),
        shortage_by_product=by_p,
        shortage_by_scenario=by_s,
        shortage_detail=detail,
        supply=supply,
        supply_expected=supply_exp,
        dependency=dep,
        dependency_expected=dep_exp,
        licence_volumes=_licences(sol, net, scen),
        cover=cover,
        stock_by_period=stock_by_period,
        assumptions=_assumptions(net),
        stochastic=stoch,
        stochastic_per_scenario=per_scenario,
        manifest=manifest,
        site_names={str(k): str(v) for k, v in names.items() if v not in (None, "")},
        product_names={str(k): str(v) for k, v in pnames.items() if v not in (None, "")},
        product_values={str(k): float(v) for k, v in net.products["value"].items()},
        scenario_descriptions=_scenario_descriptions(net),
    )


# ----------------------------------------------------------------------------- findings

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "AUD": "A$", "CAD": "C$"}


def fmt_money(value: float, currency: str = "USD", precise: bool = False) -> str:
    """``4_100_000`` -> ``$4.1M``; small amounts keep cents (``$5.25``). ``precise`` keeps enough
    digits to compare close estimates (``$1.272M``, ``$27.2k``); an infinite value is "unbounded"."""
    if not math.isfinite(value):
        return "unbounded"
    sym = CURRENCY_SYMBOLS.get(currency.upper())
    sign = "-" if value < 0 else ""
    v = abs(value)
    big, small = (3, 1) if precise else (1, 0)
    if v >= 1e9:
        num = f"{v / 1e9:,.{big}f}B"
    elif v >= 1e6:
        num = f"{v / 1e6:,.{big}f}M"
    elif v >= 1e4:
        num = f"{v / 1e3:,.{small}f}k"
    elif v >= 10:
        num = f"{v:,.0f}"
    else:
        num = f"{v:,.2f}"
    return f"{sign}{sym}{num}" if sym else f"{sign}{num} {currency}"


def fmt_tonnes(value: float, unit: str = "t") -> str:
    """``1234.5`` -> ``1,234 t``; ``12.34`` -> ``12.3 t``; ``0.125`` -> ``0.13 t``."""
    v = abs(value)
    num = f"{value:,.0f}" if v >= 100 else f"{value:,.1f}" if v >= 1 else f"{value:,.2f}"
    return f"{num} {unit}"


def fmt_pct(share: float) -> str:
    """``0.1234`` -> ``12%``; below 10% one decimal (``0.012`` -> ``1.2%``)."""
    p = 100.0 * share
    return f"{p:.0f}%" if abs(p) >= 10 or p == 0 else f"{p:.1f}%"


def _q(name: str) -> str:
    return f"'{name}'"


def _scenario_intro(m: Metrics, scenario: str, limit: int = 90) -> str:
    """``'SC4' (Full ban for 12 months ..., 10% likely)`` on a scenario's first mention."""
    desc = m.scenario_descriptions.get(scenario, "")
    if len(desc) > limit:
        desc = desc[: limit - 3].rstrip(" ,;") + "..."
    p = m.probability.get(scenario)
    likely = f"{fmt_pct(p)} likely" if p is not None else ""
    inner = "; ".join(x for x in (desc, likely) if x)
    return f"{_q(scenario)} ({inner})" if inner else _q(scenario)


_STAGE_PHRASE = {
    "ore": "mined ore",
    "concentrate": "concentrate",
    "oxide": "separated oxide",
    "metal": "metal and alloy",
    "magnet": "magnet",
    "scrap": "scrap",
    "other": "other (unstaged) product",
}


def _stage_label(stage: str) -> str:
    return _STAGE_PHRASE.get(stage, stage)


def _pname(m: Metrics, product: str) -> str:
    """A product as managers know it: its name when the workbook gives one, else its id."""
    return m.product_names.get(product) or product


def _finding_shortage(m: Metrics) -> Finding | None:
    by_s = m.shortage_by_scenario
    if by_s.empty or float(by_s["shortage"].max()) <= 1e-9:
        return None
    sc = m.scenarios.set_index("scenario")
    # worst scenario by shortage cost (then tonnes); in it, the product with most tonnes short
    pos = by_s[by_s["shortage"] > 1e-9]
    scen_rank = sorted(
        dict.fromkeys(pos["scenario"]),
        key=lambda s: (
            -float(sc.at[s, "shortage_cost"]),
            -float(pos.loc[pos["scenario"] == s, "shortage"].sum()),
        ),
    )
    s = scen_rank[0]
    row = pos[pos["scenario"] == s].sort_values("shortage", ascending=False).iloc[0]
    product = str(row["product"])
    det = m.shortage_detail
    det = det[(det["scenario"] == s) & (det["product"] == product) & (det["shortage"] > 1e-9)]
    worst = det.sort_values(["share", "shortage"], ascending=False).iloc[0]
    cost = float(sc.at[s, "shortage_cost"])
    named = _pname(m, product)
    label = f"{named} ({product})" if named != product else product
    text = (
        f"In {_scenario_intro(m, s)}, demand for {label} is {fmt_pct(float(row['share']))} short over the horizon "
        f"({fmt_tonnes(float(row['shortage']), m.mass_unit)} of {fmt_tonnes(float(row['demand']), m.mass_unit)}); "
        f"worst is {worst['period']} at {worst['site']}, {fmt_pct(float(worst['share']))} short"
    )
    values = {
        "share": float(row["share"]),
        "shortage": float(row["shortage"]),
        "demand": float(row["demand"]),
        "period_share": float(worst["share"]),
        "shortage_cost": cost,
    }
    # No remedy is proposed here: "hold X t more at the site" was never re-solved (a stock that
    # cannot be bought before the disruption prevents nothing). `planner stress` sizes stock by solving.
    text += f"; shortage penalties in that scenario total {fmt_money(cost, m.currency)}."
    return Finding("shortage", text, cost, "Shortages", values)


def _finding_spread(m: Metrics) -> Finding:
    if len(m.scenario_ids) <= 1:
        text = f"Total cost of the plan is {fmt_money(m.expected_cost, m.currency)} (one scenario, no risk spread)."
        return Finding("cost", text, 0.0, "Costs", {"expected_cost": m.expected_cost})
    over = (m.worst_cost - m.expected_cost) / abs(m.expected_cost) if m.expected_cost else 0.0
    level = fmt_pct(m.cvar_alpha)
    if abs(over) < 0.0005:
        text = (
            f"Expected total cost is {fmt_money(m.expected_cost, m.currency)} and every scenario costs about the same: "
            f"the plan absorbs the licence risk up front."
        )
        return Finding(
            "cost", text, 0.0, "Scenarios", {"expected_cost": m.expected_cost, "worst_cost": m.worst_cost}
        )
    text = (
        f"Expected total cost is {fmt_money(m.expected_cost, m.currency)}; the worst scenario, "
        f"{_scenario_intro(m, m.worst_scenario)}, "
        f"costs {fmt_money(m.worst_cost, m.currency)} ({fmt_pct(over)} more). "
        f"The average cost of the worst {fmt_pct(1 - m.cvar_alpha)} of outcomes (CVaR {level}) is "
        f"{fmt_money(m.cvar, m.currency)}."
    )
    return Finding(
        "cost",
        text,
        m.worst_cost - m.expected_cost,
        "Scenarios",
        {"expected_cost": m.expected_cost, "worst_cost": m.worst_cost, "over": over, "cvar": m.cvar},
    )


def most_dependent_stage(m: Metrics) -> pd.Series | None:
    """The ``dependency_expected`` row of the stage with the highest controlling-country share.

    Ties (joint production gives equal shares) go to the stage whose controlled output is worth more.
    """
    dep = m.dependency_expected
    if dep.empty:
        return None
    ranked = dep.assign(_s=dep["share"].astype(float).round(3)).sort_values(
        ["_s", "controlling_value"], ascending=False, kind="stable"
    )
    return ranked.drop(columns="_s").iloc[0]


def stage_phrase(stage: str) -> str:
    """A stage as a sentence names it: ``oxide`` -> ``separated oxide``."""
    return _STAGE_PHRASE.get(stage, stage)


def _finding_dependency(m: Metrics) -> Finding | None:
    dep = m.dependency_expected
    r = most_dependent_stage(m)
    if r is None or float(dep["controlling"].max()) <= 1e-9:
        return None
    stage = str(r["stage"])
    c = m.controlling_country
    conc = (
        "highly concentrated"
        if float(r["hhi"]) > HHI_HIGH
        else "moderately concentrated"
        if float(r["hhi"]) > 1500
        else "diversified"
    )
    what = f"{_stage_label(stage)} output" if stage != "other" or len(dep) > 1 else "the plan's output"
    text = (
        f"{c} supplies {fmt_pct(float(r['share']))} of {what} in expected terms "
        f"(supply HHI {float(r['hhi']):,.0f}, {conc})"
    )
    vals = {"share": float(r["share"]), "hhi": float(r["hhi"])}
    d = m.dependency[(m.dependency["stage"] == stage) & (m.dependency["supply"] > 0)]
    if len(d) > 1 and float(d["share"].max()) - float(d["share"].min()) > 0.005:
        lo = d.loc[d["share"].astype(float).idxmin()]
        hi = d.loc[d["share"].astype(float).idxmax()]
        text += (
            f"; it ranges from {fmt_pct(float(lo['share']))} in {_q(str(lo['scenario']))} "
            f"to {fmt_pct(float(hi['share']))} in {_q(str(hi['scenario']))}"
        )
        vals["low_share"] = float(lo["share"])
        vals["high_share"] = float(hi["share"])
    text += "."
    # money at stake: the value of the controlling country's output that the worst scenario loses
    expected_value = float(r["controlling_value"])
    lowest = float(d["controlling_value"].min()) if len(d) else expected_value
    impact = max(0.0, expected_value - lowest) or 0.1 * expected_value
    return Finding("dependency", text, impact, "Flows & dependency", vals)


def _finding_licences(m: Metrics) -> Finding | None:
    lv = m.licence_volumes
    if lv.empty or float(lv["applied"].max()) <= 1e-9:
        return None
    # the rule whose licensed shipments lose the most value between scenarios (else the most applied for)
    spread = lv.groupby("rule", sort=False)["shipped_value"].agg(lambda v: float(v.max() - v.min()))
    applied = lv.groupby("rule", sort=False)["applied"].sum()
    rule = str(spread.idxmax()) if float(spread.max()) > 1e-9 else str(applied.idxmax())
    g = lv[lv["rule"] == rule]
    exp_applied = float(sum(m.probability[s] * a for s, a in zip(g["scenario"], g["applied"], strict=True)))
    exp_approved = float(sum(m.probability[s] * a for s, a in zip(g["scenario"], g["approved"], strict=True)))
    exp_shipped = float(sum(m.probability[s] * a for s, a in zip(g["scenario"], g["shipped"], strict=True)))
    products = [p for p in str(g["products"].iloc[0]).split(", ") if p]
    covers = ", ".join(_pname(m, p) for p in products) if len(products) <= 2 else f"{len(products)} products"
    rate = exp_approved / exp_applied if exp_applied else 0.0
    text = (
        f"Under licence rule {rule} ({covers}) the plan applies for {fmt_tonnes(exp_applied, m.mass_unit)} in expected "
        f"terms, of which {fmt_tonnes(exp_approved, m.mass_unit)} ({fmt_pct(rate)}) is approved and "
        f"{fmt_tonnes(exp_shipped, m.mass_unit)} shipped"
    )
    lowest = g.loc[g["shipped"].astype(float).idxmin()]
    vals = {"applied": exp_applied, "approved": exp_approved, "shipped": exp_shipped, "rate": rate}
    if len(g) > 1 and float(g["shipped"].max()) - float(lowest["shipped"]) > 1e-6:
        text += f"; in {_q(str(lowest['scenario']))} only {fmt_tonnes(float(lowest['shipped']), m.mass_unit)} ships"
        vals["lowest_shipped"] = float(lowest["shipped"])
    text += "."
    # money at stake: the value of licensed shipments the worst scenario loses
    impact = float(g["shipped_value"].max() - g["shipped_value"].min())
    return Finding("licences", text, impact, "Licences", vals)


def _finding_stockpile(m: Metrics, value_of: dict[str, float]) -> Finding | None:
    cov = m.cover
    if cov.empty or float(cov["stock"].max()) <= 1e-9:
        return None
    r = cov.loc[cov["stock"].astype(float).idxmax()]
    exp_hold = float(m.costs_expected.loc[m.costs_expected["component"] == "holding", "expected"].sum())
    site, product = str(r["site"]), str(r["product"])
    same = cov[(cov["site"] == site) & (cov["product"] == product) & (cov["period"] == r["period"])]["stock"]
    where = (
        "every scenario"
        if len(m.scenario_ids) > 1 and float(same.max() - same.min()) <= 1e-9
        else _q(str(r["scenario"]))
    )
    text = (
        f"The plan holds up to {fmt_tonnes(float(r['stock']), m.mass_unit)} of {_pname(m, product)} at {site} "
        f"({r['period']}, {where})"
    )
    vals = {"stock": float(r["stock"]), "holding_cost": exp_hold}
    if not math.isnan(float(r["days_of_cover"])):
        text += f", {float(r['days_of_cover']):,.0f} days of cover"
        vals["days"] = float(r["days_of_cover"])
    text += f"; expected holding cost over the horizon is {fmt_money(exp_hold, m.currency)}."
    # what holding it costs: holding charges plus a 10% carrying charge on the value tied up
    impact = exp_hold + 0.1 * float(r["stock"]) * value_of.get(product, 0.0)
    return Finding("stockpile", text, impact, "Inventory", vals)


def _finding_vss(m: Metrics) -> Finding | None:
    st = m.stochastic
    if not st or "VSS" not in st or not math.isfinite(st["VSS"]):
        return None
    basis = f" of expected cost + {m.risk_weight:g} x CVaR" if m.risk_weight > 0 else ""
    tol = solver_tolerance(m)
    vals = {"VSS": st["VSS"]}
    if abs(st["VSS"]) <= tol:
        text = (
            f"Planning for all scenarios instead of the average one makes no difference beyond solver tolerance: "
            f"the VSS of {fmt_money(st['VSS'], m.currency)} is within the {fmt_pct(m.gap)} optimality gap "
            f"({fmt_money(tol, m.currency)})"
        )
        impact = 0.0
    else:
        text = (
            f"Planning for all scenarios instead of the average one saves {fmt_money(st['VSS'], m.currency)}{basis} "
            f"(value of the stochastic solution)"
        )
        impact = st["VSS"]
    if "EVPI" in st and math.isfinite(st["EVPI"]):
        if abs(st["EVPI"]) <= tol:
            text += "; knowing the licence outcome in advance is worth nothing beyond solver tolerance (EVPI)"
        else:
            text += f"; knowing the licence outcome in advance would be worth {fmt_money(st['EVPI'], m.currency)} (EVPI)"
        vals["EVPI"] = st["EVPI"]
    return Finding("vss", text + ".", impact, "Scenarios", vals)


def solver_tolerance(m: Metrics) -> float:
    """The money the solver's optimality gap leaves open: gap x |objective| (0 when the gap is unknown).

    A difference between two solves (VSS, EVPI, frontier points) smaller than this is within solver
    tolerance, not a finding.
    """
    gap = m.gap if math.isfinite(m.gap) and m.gap > 0 else 0.0
    return gap * abs(float(m.objective))


def _finding_first_stage(m: Metrics) -> Finding | None:
    ce = (
        m.costs_expected.set_index("component")["expected"]
        if len(m.costs_expected)
        else pd.Series(dtype=float)
    )
    total = float(sum(ce.get(c, 0.0) for c in ("capacity", "qualification")))
    capex = total - m.wait_capex  # decisions taken at the reveal are not here and now
    if total <= 1e-9:
        return None
    if capex <= 1e-9:
        text = (
            f"Capacity and qualifications decided at the reveal cost {fmt_money(total, m.currency)} in expectation, "
            f"{fmt_pct(total / m.expected_cost if m.expected_cost else 0.0)} of expected cost; nothing is committed "
            f"before the licence outcome is known (see Decisions)."
        )
        return Finding("decisions", text, total, "Decisions", {"capex": 0.0, "wait_capex": m.wait_capex})
    text = (
        f"Here-and-now commitments (new capacity, sites and qualifications) cost {fmt_money(capex, m.currency)} one-off, "
        f"{fmt_pct(capex / m.expected_cost if m.expected_cost else 0.0)} of expected cost; they are taken before the "
        f"licence outcome is known (see Decisions)."
    )
    if m.wait_capex > 1e-9:
        text = (
            text[:-1]
            + f"; decisions left to the reveal add {fmt_money(m.wait_capex, m.currency)} in expectation."
        )
    return Finding("decisions", text, capex, "Decisions", {"capex": capex})


def _finding_service_ok(m: Metrics) -> Finding:
    text = (
        f"All demand is met in every scenario (worst service level {fmt_pct(m.worst_service)})."
        if m.worst_shortage <= 1e-9
        else f"Expected service level is {fmt_pct(m.expected_service)}; the worst is {fmt_pct(m.worst_service)} "
        f"in {_q(m.worst_service_scenario)}."
    )
    return Finding("service", text, 0.0, "Shortages", {"worst_service": m.worst_service})


def finding_records(metrics: Metrics) -> list[Finding]:
    """3-6 findings ranked by impact (the money at stake), each with the figures it quotes.

    Impact: shortage = penalty cost in the scenario; cost spread = worst minus expected
    cost; dependency = value (Products.value) of the controlling country's expected output;
    licences = value of licensed shipments lost between the best and worst scenario; stockpile = expected holding
    cost plus 10% of the peak stock's value; VSS = VSS; commitments = first-stage capacity and
    qualification cost.
    A service-level finding is added when no shortage finding made the list.
    """
    m = metrics
    values = m.product_values
    cands: list[Finding | None] = [
        _finding_shortage(m),
        _finding_spread(m),
        _finding_dependency(m),
        _finding_licences(m),
        _finding_stockpile(m, values),
        _finding_vss(m),
        _finding_first_stage(m),
    ]
    found = [f for f in cands if f is not None]
    found.sort(key=lambda f: -f.impact)
    out = found[:6]
    # describe a scenario (description, probability) on its first mention only
    seen: set[str] = set()
    for f in out:
        for s in m.scenario_ids:
            intro = _scenario_intro(m, s)
            if intro != _q(s) and intro in f.text:
                if s in seen:
                    f.text = f.text.replace(intro, _q(s))
                seen.add(s)
    if len(out) < 3 or not any(f.topic in ("shortage", "service") for f in out):
        service = _finding_service_ok(m)
        out = out[:5] + [service] if len(out) >= 6 else [*out, service]
    return out


def findings(metrics: Metrics) -> list[str]:
    """3-6 plain-language findings generated from the metrics, most important first."""
    return [f.text for f in finding_records(metrics)]


__all__ = [
    "ASSUMED_CONFIDENCE",
    "DEFAULT_CONTROLLING_COUNTRY",
    "KPI_INPUTS",
    "STAGE_LABELS",
    "Finding",
    "Metrics",
    "compute_metrics",
    "cvar",
    "days_of_cover",
    "expected",
    "finding_records",
    "findings",
    "fmt_money",
    "fmt_pct",
    "fmt_tonnes",
    "hhi",
    "most_dependent_stage",
    "solver_tolerance",
    "stage_phrase",
]
