"""Metrics on a tiny hand-made solution: every expected number is worked out in the docstrings."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from typing import Any

import pandas as pd
import pytest

from planner.metrics import (
    KPI_COVER,
    KPI_EXPECTED_COST,
    KPI_LICENCES,
    KPI_SERVICE,
    compute_metrics,
    cvar,
    days_of_cover,
    finding_records,
    findings,
    fmt_money,
    fmt_pct,
    fmt_tonnes,
    hhi,
)
from planner.network import Network, build_network
from planner.solution import FLOW_COLUMNS, PRODUCTION_COLUMNS, Solution
from planner.tables import from_records

PROB = {"A": 0.6, "B": 0.4}


def tiny_records(
    demand_confidence: str = "S", licence_confidence: str = "S"
) -> dict[str, list[dict[str, Any]]]:
    """CN and AU mines make concentrate, a Malaysian refinery makes oxide, a JP supplier sells oxide,
    demand for oxide at D (Germany) is 91.25 t per 91.25-day period, i.e. 1 t a day."""
    return {
        "Periods": [{"period": "P1"}, {"period": "P2"}],
        "Products": [
            {"product": "CONC", "stage": "concentrate", "value": 10},
            {"product": "OX", "name": "NdPr oxide", "stage": "oxide", "value": 100},
        ],
        "Sites": [
            {"site": "CNM", "type": "mine", "country": "CN"},
            {"site": "AUM", "type": "mine", "country": "AU"},
            {"site": "SEP", "type": "refinery", "country": "MY"},
            {"site": "JPS", "type": "supplier", "country": "JP"},
            {"site": "D", "type": "demand_region", "country": "DE"},
        ],
        "Processes": [
            {"process": "mine_cn", "site": "CNM"},
            {"process": "mine_au", "site": "AUM"},
            {"process": "sep", "site": "SEP"},
        ],
        "ProcessFlows": [
            {"process": "mine_cn", "product": "CONC", "direction": "out", "quantity": 1},
            {"process": "mine_au", "product": "CONC", "direction": "out", "quantity": 1},
            {"process": "sep", "product": "CONC", "direction": "in", "quantity": 4},
            {"process": "sep", "product": "OX", "direction": "out", "quantity": 1},
        ],
        "Lanes": [
            {"lane": "L1", "origin": "CNM", "destination": "SEP"},
            {"lane": "L2", "origin": "AUM", "destination": "SEP"},
            {"lane": "L3", "origin": "SEP", "destination": "D"},
            {"lane": "L4", "origin": "JPS", "destination": "D"},
        ],
        "Contracts": [{"contract": "K", "supplier": "JPS", "product": "OX", "price": 1}],
        "Demand": [
            {"site": "D", "product": "OX", "period": p, "quantity": 91.25, "confidence": demand_confidence}
            for p in ("P1", "P2")
        ],
        "Inventory": [{"site": "D", "product": "OX", "cost_holding": 2, "cover_days": 30, "max_stock": 50}],
        "ExportControls": [
            {"rule": "R1", "country": "CN", "product": "CONC", "confidence": licence_confidence}
        ],
        "Scenarios": [{"scenario": "A", "probability": 0.6}, {"scenario": "B", "probability": 0.4}],
    }


def tiny_network(**kw: str) -> Network:
    """The tiny network with every row rated S (sourced) unless a keyword says otherwise."""
    records = tiny_records(**kw)
    for table in records.values():
        for r in table:
            r.setdefault("confidence", "S")
    return build_network(from_records(records, {"risk_weight": 0.0, "cvar_alpha": 0.8}))


def _frame(rows: list[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def tiny_solution(cvar_from_model: float | None = None) -> Solution:
    """Scenario A (p 0.6) costs 10 + 20 = 30 and serves everything; B (p 0.4) costs 10 + 990 = 1000 and
    is 36.5 t short in P2 (40% of that period, 20% of the horizon's 182.5 t).

    Concentrate output: A: CN 30, AU 10 (CN share 75%, HHI 75^2 + 25^2 = 6,250); B: AU 20 (0%, 10,000).
    Expected: CN 0.6 x 30 = 18, AU 0.6 x 10 + 0.4 x 20 = 14 -> share 18 / 32 = 56.25%,
    HHI 56.25^2 + 43.75^2 = 5,078.125.
    Oxide: A: MY 10 + JP 5 (bought) -> HHI 66.7^2 + 33.3^2 = 5,555.6; B: MY 5 -> 10,000.
    Stock of OX at D at the end of P1: 20 t (tags C 5 + F 15) in both scenarios -> 20 days of cover
    at 1 t a day; 0 at the end of P2.
    Licence R1: A applies 10, 10 approved, 10 shipped; B applies 10, none approved or shipped.
    """
    scen = _frame(
        [("A", 0.6, 10.0, 20.0, 30.0, 182.5, 0.0, 1.0), ("B", 0.4, 10.0, 990.0, 1000.0, 182.5, 36.5, 0.8)],
        [
            "scenario",
            "probability",
            "stage1_cost",
            "stage2_cost",
            "total_cost",
            "demand",
            "shortage",
            "service_level",
        ],
    )
    costs = _frame(
        [
            ("purchase", "P1", "A", 1, 10.0),
            ("purchase", "P1", "B", 1, 10.0),
            ("processing", "P2", "A", 2, 20.0),
            ("shortage", "P2", "B", 2, 900.0),
            ("processing", "P2", "B", 2, 90.0),
        ],
        ["component", "period", "scenario", "stage", "cost"],
    )
    prod_cols = list(PRODUCTION_COLUMNS)
    production = _frame(
        [
            ("CNM", "mine_cn", "", "CONC", "out", "P2", "A", 2, 30.0, 30.0),
            ("AUM", "mine_au", "", "CONC", "out", "P2", "A", 2, 10.0, 10.0),
            ("AUM", "mine_au", "", "CONC", "out", "P2", "B", 2, 20.0, 20.0),
            ("SEP", "sep", "", "OX", "out", "P2", "A", 2, 10.0, 10.0),
            ("SEP", "sep", "", "CONC", "in", "P2", "A", 2, 10.0, 40.0),
            ("SEP", "sep", "", "OX", "out", "P2", "B", 2, 5.0, 5.0),
            ("SEP", "sep", "", "CONC", "in", "P2", "B", 2, 5.0, 20.0),
        ],
        prod_cols,
    )
    purchases = _frame(
        [("K", "JPS", "OX", "P2", "A", 2, 5.0, 0.0), ("K", "JPS", "OX", "P2", "B", 2, 0.0, 0.0)],
        ["contract", "supplier", "product", "period", "scenario", "stage", "quantity", "unused_paid"],
    )
    inventory = _frame(
        [
            ("D", "OX", "C", "P1", "A", 1, 5.0),
            ("D", "OX", "F", "P1", "A", 1, 15.0),
            ("D", "OX", "C", "P1", "B", 1, 5.0),
            ("D", "OX", "F", "P1", "B", 1, 15.0),
            ("D", "OX", "C", "P2", "A", 2, 0.0),
            ("D", "OX", "C", "P2", "B", 2, 0.0),
        ],
        ["site", "product", "origin_tag", "period", "scenario", "stage", "stock"],
    )
    shortages = _frame(
        [
            ("D", "OX", "P1", "civil", "A", 1, 91.25, 91.25, 0.0),
            ("D", "OX", "P1", "civil", "B", 1, 91.25, 91.25, 0.0),
            ("D", "OX", "P2", "civil", "A", 2, 91.25, 91.25, 0.0),
            ("D", "OX", "P2", "civil", "B", 2, 91.25, 54.75, 36.5),
        ],
        ["site", "product", "period", "customer_class", "scenario", "stage", "demand", "served", "shortage"],
    )
    licences = _frame(
        [
            ("R1", "CONC", "CNM", "P1", "P1", "A", 1, 1.0, 10.0, 10.0),
            ("R1", "CONC", "CNM", "P2", "P2", "B", 2, 0.0, 10.0, 0.0),
        ],
        [
            "rule",
            "product",
            "origin",
            "period",
            "review_end_period",
            "scenario",
            "stage",
            "approval_share",
            "applied",
            "approved",
        ],
    )
    shipped = _frame(
        [("R1", "CONC", "CNM", "P1", "A", 1, 10.0)],
        ["rule", "product", "origin", "period", "scenario", "stage", "shipped"],
    )
    empty_flows = pd.DataFrame(columns=list(FLOW_COLUMNS))
    extra: dict[str, Any] = {} if cvar_from_model is None else {"cvar": cvar_from_model}
    return Solution(
        status="optimal",
        objective=418.0,
        bound=418.0,
        gap=0.0,
        proven_optimal=True,
        message="",
        timings={"solve": 0.1},
        scenarios=scen,
        costs=costs,
        flows=empty_flows,
        production=production,
        purchases=purchases,
        inventory=inventory,
        shortages=shortages,
        disposal=pd.DataFrame(
            columns=["site", "product", "origin_tag", "period", "scenario", "stage", "quantity"]
        ),
        decisions=pd.DataFrame(columns=["decision", "id", "value", "cost", "effective_period"]),
        licences=licences,
        licence_shipped=shipped,
        extra=extra,
    )


# ----------------------------------------------------------------------------- building blocks


def test_cvar_takes_the_worst_tail_mass() -> None:
    assert cvar([30, 100], [0.6, 0.4], 0.8) == pytest.approx(100.0)
    assert cvar([30, 100], [0.6, 0.4], 0.5) == pytest.approx((0.4 * 100 + 0.1 * 30) / 0.5)  # 86
    assert cvar([30, 100], [0.6, 0.4], 0.0) == pytest.approx(58.0)  # the mean


def test_hhi_is_on_the_0_to_10000_scale() -> None:
    assert hhi([50, 50]) == pytest.approx(5000.0)
    assert hhi([30, 0, 0]) == pytest.approx(10000.0)
    assert hhi([75, 25]) == pytest.approx(6250.0)
    assert math.isnan(hhi([]))


def test_days_of_cover_is_stock_over_daily_use() -> None:
    assert days_of_cover(20.0, 91.25, 91.25) == pytest.approx(20.0)
    assert days_of_cover(20.0, 182.5, 91.25) == pytest.approx(10.0)
    assert math.isnan(days_of_cover(5.0, 0.0, 91.25))


def test_number_formatting_for_findings() -> None:
    assert fmt_money(4_100_000) == "$4.1M"
    assert fmt_money(5.25) == "$5.25"
    assert fmt_money(12_345, "CHF") == "12k CHF"
    assert fmt_pct(0.1234) == "12%"
    assert fmt_pct(0.012) == "1.2%"
    assert fmt_tonnes(1234.4) == "1,234 t"
    assert fmt_tonnes(12.34) == "12.3 t"


# ----------------------------------------------------------------------------- compute_metrics


def test_costs_service_and_shortage() -> None:
    m = compute_metrics(tiny_solution(), tiny_network())
    assert m.expected_cost == pytest.approx(0.6 * 30 + 0.4 * 1000)  # 418
    assert (m.worst_cost, m.worst_scenario) == (pytest.approx(1000.0), "B")
    assert (m.cvar, m.cvar_source) == (pytest.approx(1000.0), "computed")  # risk_weight 0: tail of 20% = B
    assert m.first_stage_cost == pytest.approx(10.0)
    assert m.expected_service == pytest.approx(0.6 * 1.0 + 0.4 * 0.8)
    assert (m.worst_service, m.worst_service_scenario) == (pytest.approx(0.8), "B")
    assert m.expected_shortage == pytest.approx(0.4 * 36.5)
    ce = m.costs_expected.set_index("component")["expected"]
    assert ce.to_dict() == pytest.approx(
        {"purchase": 10.0, "processing": 0.6 * 20 + 0.4 * 90, "shortage": 360.0}
    )
    assert ce.sum() == pytest.approx(m.expected_cost)
    by_p = m.shortage_by_product.set_index("product")
    assert by_p.at["OX", "expected_shortage"] == pytest.approx(14.6)
    assert by_p.at["OX", "worst_shortage"] == pytest.approx(36.5)
    assert by_p.at["OX", "worst_scenario"] == "B"
    assert by_p.at["OX", "worst_share"] == pytest.approx(36.5 / 182.5)


def test_cvar_comes_from_the_model_when_it_is_in_the_objective() -> None:
    net = build_network(from_records(tiny_records(), {"risk_weight": 0.5, "cvar_alpha": 0.8}))
    m = compute_metrics(tiny_solution(cvar_from_model=99.0), net)
    assert (m.cvar, m.cvar_source) == (99.0, "model")


def test_controlling_country_shares_and_hhi_per_stage_and_scenario() -> None:
    m = compute_metrics(tiny_solution(), tiny_network())
    assert m.controlling_country == "CN"
    dep = m.dependency.set_index(["stage", "scenario"])
    assert dep.at[("concentrate", "A"), "share"] == pytest.approx(0.75)
    assert dep.at[("concentrate", "A"), "hhi"] == pytest.approx(6250.0)
    assert dep.at[("concentrate", "B"), "share"] == pytest.approx(0.0)
    assert dep.at[("concentrate", "B"), "hhi"] == pytest.approx(10000.0)
    assert dep.at[("oxide", "A"), "hhi"] == pytest.approx((100 * 10 / 15) ** 2 + (100 * 5 / 15) ** 2)
    assert dep.at[("oxide", "B"), "hhi"] == pytest.approx(10000.0)
    exp = m.dependency_expected.set_index("stage")
    assert exp.at["concentrate", "share"] == pytest.approx(18 / 32)
    assert exp.at["concentrate", "hhi"] == pytest.approx(56.25**2 + 43.75**2)
    assert exp.at["concentrate", "worst_share"] == pytest.approx(0.75)
    assert exp.at["concentrate", "worst_scenario"] == "A"
    assert list(exp.index) == ["concentrate", "oxide"]  # supply-chain order
    sup = m.supply.set_index(["stage", "country", "scenario"])["quantity"]
    assert sup[("oxide", "JP", "A")] == pytest.approx(
        5.0
    )  # contract purchases count as the supplier's output


def test_licence_volumes_fill_every_rule_and_scenario() -> None:
    m = compute_metrics(tiny_solution(), tiny_network())
    lv = m.licence_volumes.set_index(["rule", "scenario"])
    assert lv.loc[("R1", "A"), ["applied", "approved", "shipped"]].tolist() == [10.0, 10.0, 10.0]
    assert lv.loc[("R1", "B"), ["applied", "approved", "shipped"]].tolist() == [10.0, 0.0, 0.0]
    assert lv.at[("R1", "B"), "approval_rate"] == pytest.approx(0.0)


def test_days_of_cover_sums_origin_tags() -> None:
    m = compute_metrics(tiny_solution(), tiny_network())
    cov = m.cover.set_index(["site", "product", "period", "scenario"])
    row = cov.loc[("D", "OX", "P1", "A")]
    assert row["stock"] == pytest.approx(20.0)  # tags C 5 + F 15
    assert row["use_per_day"] == pytest.approx(1.0)
    assert row["days_of_cover"] == pytest.approx(20.0)
    assert row["target_days"] == pytest.approx(30.0)
    assert cov.at[("D", "OX", "P2", "B"), "days_of_cover"] == pytest.approx(0.0)
    traj = m.stock_by_period.set_index(["period", "scenario"])["stock"]
    assert traj[("P1", "A")] == pytest.approx(20.0)


def test_kpis_resting_on_assumed_rows_are_flagged() -> None:
    clean = compute_metrics(tiny_solution(), tiny_network())
    assert clean.flagged_kpis == []
    m = compute_metrics(tiny_solution(), tiny_network(demand_confidence="A"))
    flagged = set(m.flagged_kpis)
    assert {KPI_EXPECTED_COST, KPI_SERVICE, KPI_COVER} <= flagged
    assert m.assumed_tables(KPI_SERVICE) == ["Demand"]
    row = m.assumptions[(m.assumptions["kpi"] == KPI_SERVICE) & (m.assumptions["table"] == "Demand")].iloc[0]
    assert row["excel_rows"] == "2, 3"  # both demand rows, as Excel rows
    unrated = compute_metrics(tiny_solution(), tiny_network(demand_confidence=""))
    assert KPI_SERVICE in unrated.flagged_kpis  # a blank confidence is unrated, not sourced
    only_licence = compute_metrics(tiny_solution(), tiny_network(licence_confidence="U"))
    assert KPI_LICENCES in only_licence.flagged_kpis
    assert KPI_COVER not in only_licence.flagged_kpis  # ExportControls does not feed days of cover


# ----------------------------------------------------------------------------- findings


def test_findings_quote_numbers_from_the_tables() -> None:
    m = compute_metrics(tiny_solution(), tiny_network())
    recs = finding_records(m)
    assert 3 <= len(recs) <= 6
    assert recs == sorted(recs, key=lambda f: -f.impact)
    short = next(f for f in recs if f.topic == "shortage")
    assert recs[0] is short  # 900 of penalties in B outrank the rest (CN output lost in B is worth 180)
    table = m.shortage_by_scenario.set_index(["product", "scenario"])
    assert short.values["share"] == table.at[("OX", "B"), "share"]
    assert short.text.startswith("In 'B' (40% likely), demand for NdPr oxide (OX) is ")
    quoted = re.search(r"\(OX\) is (\d+(?:\.\d)?)% short", short.text)
    assert quoted is not None
    assert float(quoted.group(1)) == pytest.approx(
        100 * table.at[("OX", "B"), "shortage"] / table.at[("OX", "B"), "demand"]
    )
    worst_period = m.shortage_detail.query("scenario == 'B' and period == 'P2'").iloc[0]
    assert f"worst is P2 at D, {fmt_pct(worst_period['share'])} short" in short.text  # 40%
    # no remedy that was never re-solved (issue: remedies checked by a solve)
    assert "would cost" not in short.text
    assert "more in stock" not in short.text
    dep = next(f for f in recs if f.topic == "dependency")
    assert dep.text.startswith(f"CN supplies {fmt_pct(18 / 32)} of concentrate output")
    assert findings(m) == [f.text for f in recs]


def test_metrics_and_report_modules_do_not_import_pyomo_or_openpyxl() -> None:
    code = "import sys, planner.metrics, planner.report; print(sorted(m for m in ('pyomo', 'openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
