"""Periods of unequal length (Periods.length_days): hand-solved optima (formulation §3, §5.2, §5.5, §6).

Reference length l = Settings.period_length_days = 30 days in every case here; a period of
length_days l_t weighs w_t = l_t / l. Figures per period (capacity, fixed and holding costs) count
w_t times in period t; demand is the period's own; discounting runs on the days elapsed.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from planner.metrics import compute_metrics
from planner.network import build_network
from tests.behaviour.test_hand_solved import cost, solve
from tests.unit.test_validate import issues_after

Records = dict[str, list[dict[str, Any]]]
REF = {"period_length_days": 30.0}


def two_periods(*lengths: float) -> list[dict[str, Any]]:
    return [{"period": f"P{i}", "length_days": d} for i, d in enumerate(lengths, start=1)]


def plant(capacity: float | None, demand: list[float], lengths: tuple[float, ...]) -> Records:
    """Plant M (1/t, capacity per reference period) -> demand region D by a free lane; penalty 100/t."""
    proc: dict[str, Any] = {"process": "make", "site": "M", "cost_variable": 1}
    if capacity is not None:
        proc["capacity"] = capacity
    return {
        "Periods": two_periods(*lengths),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "M", "type": "magnet_plant", "country": "US"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [proc],
        "ProcessFlows": [{"process": "make", "product": "X", "direction": "out", "quantity": 1}],
        "Lanes": [{"lane": "L", "origin": "M", "destination": "D"}],
        "Demand": [
            {"site": "D", "product": "X", "period": f"P{i}", "quantity": q, "shortage_penalty": 100}
            for i, q in enumerate(demand, start=1)
        ],
    }


def test_network_keeps_lengths_weights_and_scaled_capacity() -> None:
    """30 and 60 days, reference 30: weights 1 and 2; capacity 10 per reference period is 10, then 20."""
    from planner.tables import from_records

    net = build_network(from_records(plant(10, [15, 25], (30, 60)), REF))
    assert net.period_days == [30.0, 60.0]
    assert net.period_weight == [1.0, 2.0]
    assert [net.p("Processes", "capacity", "make", t, "base") for t in net.T] == [10.0, 20.0]
    assert [net.p("Demand", "quantity", d, t, "base") for d, t in ((0, 0), (1, 1))] == [15.0, 25.0]


@pytest.mark.covers("c_capacity_process")
@pytest.mark.parametrize(
    ("demand_p2", "short", "objective"),
    [
        # P1: capacity 10 x 1 = 10 < 15: make 10, short 5. P2: capacity 10 x 60/30 = 20 < 25: make 20,
        # short 5 (not 15, as it would be with a 30-day P2). No storage. cost = 1 x (10 + 20) + 100 x (5 + 5)
        (25.0, {"P1": 5.0, "P2": 5.0}, 30.0 + 1000.0),
        # P2 demand 18 <= 20: make 18, nobody short in P2. cost = 1 x (10 + 18) + 100 x 5 = 528
        (18.0, {"P1": 5.0, "P2": 0.0}, 28.0 + 500.0),
    ],
)
def test_capacity_per_reference_period_scales_with_length(
    demand_p2: float, short: dict[str, float], objective: float
) -> None:
    sol = solve(plant(10, [15, demand_p2], (30, 60)), **REF)
    assert sol.objective == pytest.approx(objective)
    assert sol.shortages.set_index("period")["shortage"].to_dict() == pytest.approx(short)


def test_all_lengths_blank_is_the_reference_length() -> None:
    """Blank length_days = 30 (the reference): P2 capacity 10 < 25, short 15: 1 x 20 + 100 x (5 + 15) = 2020."""
    rec = plant(10, [15, 25], (30, 60))
    for p in rec["Periods"]:
        p.pop("length_days")
    sol = solve(rec, **REF)
    assert sol.objective == pytest.approx(2020.0)


@pytest.mark.covers("c_capacity_process")
def test_fixed_costs_option_capacity_and_holding_scale_with_length() -> None:
    """30 and 60 days (w = 1, 2). M: capacity 5/ref period (5, then 10), cost 1/t, fixed 100/ref period.
    Option O at M: +5/ref period (+5, then +10), fixed 10/ref period once available, no build cost.
    D needs 10 in P1 and 20 in P2 (penalty 100) and keeps a hard floor of 4 t (its opening stock),
    holding 1/t per ref period (1, then 2).

    Without O: short 5 + 10 = 15 (1,500). With O capacity is 10 then 20, exactly the demand: build it.
    production 10 + 20 = 30; site fixed 100 x 1 + 100 x 2 = 300; option fixed 10 x 1 + 10 x 2 = 30;
    holding 4 x 1 + 4 x 2 = 12. Total 372 (against 15 + 1,500 + 300 + 12 = 1,827 without O).
    """
    rec = plant(5, [10, 20], (30, 60))
    rec["Sites"][0]["cost_fixed"] = 100
    rec["CapacityOptions"] = [
        {"option": "O", "site": "M", "process": "make", "capacity_added": 5, "cost_fixed": 10}
    ]
    rec["Inventory"] = [{"site": "D", "product": "X", "initial_stock": 4, "min_stock": 4, "cost_holding": 1}]
    sol = solve(rec, **REF)
    assert sol.objective == pytest.approx(372.0)
    assert cost(sol, "fixed") == pytest.approx(330.0)
    assert cost(sol, "holding") == pytest.approx(12.0)
    assert cost(sol, "processing") == pytest.approx(30.0)
    assert sol.shortages["shortage"].sum() == pytest.approx(0.0)


def test_floor_penalty_scales_with_length() -> None:
    """D holds 10 t (min_stock 10, floor_penalty 5/t per ref period) and needs 10 t in P1; nothing reaches
    it; P1 30 days, P2 60 days. Drawing the floor in P1 leaves it 10 t short at the end of P1 (10 x 5 x 1)
    and of P2 (10 x 5 x 2): 150 < 1,000 for the shortage. Closing target off (share 0). Total 150."""
    rec: Records = {
        "Periods": two_periods(30, 60),
        "Products": [{"product": "X"}],
        "Sites": [{"site": "D", "type": "demand_region", "country": "US"}],
        "Inventory": [
            {"site": "D", "product": "X", "initial_stock": 10, "min_stock": 10, "floor_penalty": 5}
        ],
        "Demand": [{"site": "D", "product": "X", "period": "P1", "quantity": 10, "shortage_penalty": 100}],
    }
    sol = solve(rec, closing_stock_share=0.0, **REF)
    assert sol.objective == pytest.approx(150.0)


def test_discounting_runs_on_the_days_elapsed() -> None:
    """P1 30 days, P2 90 days, P3 30 days; 10% a year; mining 1/t, demand 1 a period, unlimited capacity.
    P2 starts 30 days in, P3 120 days in: cost = 1 + 1.1^(-30/365.25) + 1.1^(-120/365.25)
    = 1 + 0.99220 + 0.96918 = 2.96138 (with 30-day periods throughout P3 would start 60 days in)."""
    rec = plant(None, [1, 1, 1], (30, 90, 30))
    sol = solve(rec, discount_rate=0.10, **REF)
    expected = 1 + 1.1 ** (-30 / 365.25) + 1.1 ** (-120 / 365.25)
    assert expected == pytest.approx(2.96138, abs=1e-5)
    assert sol.objective == pytest.approx(expected, rel=1e-9)
    net = sol.extra["network"]
    assert net.period_years == pytest.approx([0.0, 30 / 365.25, 120 / 365.25])


@pytest.mark.covers("c_inventory_cover")
def test_cover_target_uses_the_period_own_length() -> None:
    """P1 30 days, P2 60 days; D needs 6 t in each; hard target 15 days of cover; holding 1/t per ref
    period (1, then 2); mining 1/t, unlimited.
    Daily use: P1 6/30 = 0.2 t/day, P2 6/60 = 0.1 t/day, so end stock >= 15 x 0.2 = 3 after P1 and
    >= 15 x 0.1 = 1.5 after P2 (with the reference length, 3 both times).
    mining: P1 6 + 3 = 9, P2 6 - 3 + 1.5 = 4.5 (13.5); holding 3 x 1 + 1.5 x 2 = 6. Total 19.5."""
    rec = plant(None, [6, 6], (30, 60))
    rec["Inventory"] = [
        {"site": "D", "product": "X", "cost_holding": 1, "cover_days": 15, "cover_hard": True}
    ]
    sol = solve(rec, **REF)
    assert sol.objective == pytest.approx(19.5)
    assert sol.inventory.set_index("period")["stock"].to_dict() == pytest.approx({"P1": 3.0, "P2": 1.5})
    cover = compute_metrics(sol, sol.extra["network"]).cover.set_index("period")
    assert cover["use_per_day"].to_dict() == pytest.approx({"P1": 0.2, "P2": 0.1})
    assert cover["days_of_cover"].to_dict() == pytest.approx({"P1": 15.0, "P2": 15.0})


def test_year_ahead_counts_periods_mostly_within_a_year() -> None:
    """Licence filing window (blank advance_periods): the following periods whose midpoint is less than
    365.25 days after the start of t. 12 months of 30.4375 days, then quarters of 91.3125:
    from the first month, the 11 other months (the first quarter's midpoint is 410.9 days away);
    from the last month (starts at day 334.8), the quarters with midpoints 76.1, 167.4, 258.7 and 350.0
    days later (4; the fifth is 441.3); from the first quarter, 3, as with quarters throughout.
    Equal lengths give the former default round(365.25 / l) - 1."""
    from planner.network import year_ahead_periods

    months, quarters = [365.25 / 12] * 12, [365.25 / 4] * 8
    ahead = year_ahead_periods(months + quarters)
    assert ahead[0] == 11
    assert ahead[11] == 4
    assert ahead[12] == 3
    assert year_ahead_periods([91.25] * 8)[:5] == [3, 3, 3, 3, 3]
    assert year_ahead_periods([365.25 / 12] * 24)[0] == 11
    assert math.isclose(sum(months), 365.25)


def test_non_positive_length_is_an_error_with_its_cell() -> None:
    issues = issues_after(lambda r: r["Periods"][1].update(length_days=0))
    (issue,) = [i for i in issues if i.sheet == "Periods" and i.severity == "error"]
    assert (issue.row, issue.column) == (3, "length_days")
    assert "> 0" in issue.message


def test_start_dates_that_disagree_with_lengths_warn_with_both_numbers() -> None:
    """P1 starts 2026-01-01 and P2 2026-04-01 (90 days apart); a length of 30 days is 60 days off."""
    issues = issues_after(lambda r: r["Periods"][0].update(length_days=30))
    (issue,) = [i for i in issues if i.code == "length_vs_start_date"]
    assert issue.severity == "warning"
    assert (issue.sheet, issue.row, issue.column) == ("Periods", 2, "length_days")
    assert "90 days apart" in issue.message
    assert "30 days" in issue.message
    assert issues_after(lambda r: r["Periods"][0].update(length_days=91)) == []  # 1 day off: fine


@pytest.mark.covers("c_capacity_process")
def test_option_ramps_up_over_its_ramp_periods() -> None:
    """Four 30-day periods. M has no capacity of its own (0); option O adds 12/period, ramp_periods 2,
    free to build: it adds 12 x min(1, (k + 1) / 3) = 4, 8, 12, 12 in P1..P4. D needs 12 each period
    (penalty 100), making costs 1/t. Build O: make 4 + 8 + 12 + 12 = 36, short 8 + 4 = 12:
    36 + 1,200 = 1,236 (without the ramp it would be 48)."""
    rec = plant(0, [12, 12, 12, 12], (30, 30, 30, 30))
    rec["CapacityOptions"] = [
        {"option": "O", "site": "M", "process": "make", "capacity_added": 12, "ramp_periods": 2}
    ]
    sol = solve(rec, **REF)
    assert sol.objective == pytest.approx(1236.0)
    short = sol.shortages.set_index("period")["shortage"].to_dict()
    assert short == pytest.approx({"P1": 8.0, "P2": 4.0, "P3": 0.0, "P4": 0.0})
    net = sol.extra["network"]
    assert [net.option_share("O", t) for t in net.T] == pytest.approx([1 / 3, 2 / 3, 1.0, 1.0])
