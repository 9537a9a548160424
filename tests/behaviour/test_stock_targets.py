"""The end of the horizon and stock floors mean what a planner means (formulation §5.5, §6)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.behaviour.test_hand_solved import periods
from tests.behaviour.test_licence_risk import solve

Records = dict[str, list[dict[str, Any]]]


def stock_only(floor_penalty: float | None) -> Records:
    """D holds 10 t (min_stock 10) and needs 10 t in P1; nothing can reach it. Value 0."""
    inv: dict[str, Any] = {"site": "D", "product": "X", "initial_stock": 10, "min_stock": 10}
    if floor_penalty is not None:
        inv["floor_penalty"] = floor_penalty
    return {
        "Periods": periods(1),
        "Products": [{"product": "X"}],
        "Sites": [{"site": "D", "type": "demand_region", "country": "US"}],
        "Inventory": [inv],
        "Demand": [{"site": "D", "product": "X", "period": "P1", "quantity": 10, "shortage_penalty": 100}],
    }


@pytest.mark.covers("c_inventory_floor")
@pytest.mark.parametrize(("penalty", "cost"), [(None, 1000.0), (5.0, 50.0)])
def test_a_safety_stock_is_drawn_in_an_emergency_at_its_penalty(penalty: float | None, cost: float) -> None:
    """Hard floor (no penalty): the 10 t are never drawn, 10 t short: 1,000. With floor_penalty 5:
    drawing the safety stock costs 10 x 5 = 50 < 1,000, so it is drawn and nobody goes short."""
    sol = solve(stock_only(penalty))
    assert sol.objective == pytest.approx(cost)


def closing_case() -> Records:
    """D opens with 5 t of X (value 20/t) and needs 5 t in P1 and in P2; a mine sells X at 1/t."""
    return {
        "Periods": periods(2),
        "Products": [{"product": "X", "value": 20}],
        "Sites": [
            {"site": "M", "type": "mine", "country": "AU"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [{"process": "mine", "site": "M", "cost_variable": 1}],
        "ProcessFlows": [{"process": "mine", "product": "X", "direction": "out", "quantity": 1}],
        "Lanes": [{"lane": "L", "origin": "M", "destination": "D"}],
        "Inventory": [{"site": "D", "product": "X", "initial_stock": 5}],
        "Demand": [
            {"site": "D", "product": "X", "period": f"P{i}", "quantity": 5, "shortage_penalty": 100}
            for i in (1, 2)
        ],
    }


@pytest.mark.covers("c_inventory_closing")
@pytest.mark.parametrize(("share", "cost", "closing"), [(None, 10.0, 5.0), (0.0, 5.0, 0.0), (0.4, 7.0, 2.0)])
def test_the_plan_ends_with_the_stock_it_began_with(share: float | None, cost: float, closing: float) -> None:
    """Default (target = opening stock): the 5 t drawn are rebuilt at 1/t rather than charged at
    their value (20/t): 10 mined, cost 10, 5 t at the end. closing_stock_share 0: run the stock
    down, cost 5. Share 0.4: end with 2 t, cost 7. Stock above the target earns nothing, so
    nothing is bought for it."""
    settings = {} if share is None else {"closing_stock_share": share}
    sol = solve(closing_case(), **settings)
    assert sol.objective == pytest.approx(cost)
    end = sol.inventory[sol.inventory["period"] == "P2"]["stock"].sum()
    assert end == pytest.approx(closing)


@pytest.mark.covers("c_inventory_closing")
def test_a_stock_that_cannot_be_rebuilt_is_paid_for_at_its_value() -> None:
    """One period, nothing can reach D: serving the 5 t from the opening stock costs its value,
    5 x 20 = 100, against 500 for the shortage; the plan draws it and the scenario stays feasible."""
    rec = closing_case()
    rec["Periods"] = periods(1)
    rec["Demand"] = rec["Demand"][:1]
    for key in ("Processes", "ProcessFlows", "Lanes"):
        rec[key] = []
    rec["Sites"] = rec["Sites"][1:]
    sol = solve(rec)
    assert sol.objective == pytest.approx(100.0)
    assert sol.shortages["shortage"].sum() == pytest.approx(0.0)


def test_a_build_is_paid_when_it_becomes_available() -> None:
    """Periods of one year, 10%/yr discount. An option (lead time 2, cost_build 100) is the only way to
    serve 5 t in P3: its capex is booked in P3, discounted: 100 / 1.1^2 = 82.64 (was 100 at t = 0)."""
    rec: Records = {
        "Periods": periods(3),
        "Products": [{"product": "X"}, {"product": "Y"}],
        "Sites": [
            {"site": "M", "type": "mine", "country": "AU"},
            {"site": "P", "type": "magnet_plant", "country": "US"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [
            {"process": "mine", "site": "M"},
            {"process": "make", "site": "P", "capacity": 0},
        ],
        "ProcessFlows": [
            {"process": "mine", "product": "X", "direction": "out", "quantity": 1},
            {"process": "make", "product": "X", "direction": "in", "quantity": 1},
            {"process": "make", "product": "Y", "direction": "out", "quantity": 1},
        ],
        "CapacityOptions": [
            {
                "option": "B",
                "site": "P",
                "process": "make",
                "capacity_added": 10,
                "cost_build": 100,
                "lead_time": 2,
            }
        ],
        "Lanes": [
            {"lane": "L1", "origin": "M", "destination": "P"},
            {"lane": "L2", "origin": "P", "destination": "D"},
        ],
        "Demand": [{"site": "D", "product": "Y", "period": "P3", "quantity": 5, "shortage_penalty": 1000}],
    }
    sol = solve(rec, discount_rate=0.1, period_length_days=365.25)
    assert sol.objective == pytest.approx(100 / 1.1**2)
