"""Tiny deterministic models whose optimum is worked out by hand in each docstring."""

from __future__ import annotations

from typing import Any

import pytest

from planner.api import solve_data
from planner.config import SolveOptions
from planner.errors import InfeasibleError
from planner.solution import Solution, balance_residuals
from planner.tables import from_records

TIGHT = SolveOptions(mip_gap=1e-9, time_limit=60)


def periods(n: int) -> list[dict[str, Any]]:
    return [{"period": f"P{i}"} for i in range(1, n + 1)]


def solve(records: dict[str, list[dict[str, Any]]], **settings: Any) -> Solution:
    sol = solve_data(from_records(records, settings), TIGHT)
    assert sol.proven_optimal
    # invariants of every solve: balances close, components add up to the objective
    assert balance_residuals(sol, sol.extra["network"]).empty
    if not settings.get("risk_weight"):
        assert sol.expected_cost == pytest.approx(sol.objective, rel=1e-9, abs=1e-9)
    return sol


def cost(sol: Solution, component: str) -> float:
    c = sol.costs
    sc = sol.scenarios.set_index("scenario")["probability"]
    part = c[c["component"] == component]
    return float((part["cost"] * part["scenario"].map(sc)).sum())


def chain(n_periods: int = 1) -> dict[str, list[dict[str, Any]]]:
    """Mine M (unlimited, 1/t) -> demand region D by lane L (free)."""
    return {
        "Periods": periods(n_periods),
        "Products": [{"product": "X", "value": 10}],
        "Sites": [
            {"site": "M", "type": "mine", "country": "AU"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [{"process": "mine", "site": "M", "cost_variable": 1}],
        "ProcessFlows": [{"process": "mine", "product": "X", "direction": "out", "quantity": 1}],
        "Lanes": [{"lane": "L", "origin": "M", "destination": "D"}],
        "Demand": [
            {"site": "D", "product": "X", "period": f"P{i}", "quantity": 1, "shortage_penalty": 100}
            for i in range(1, n_periods + 1)
        ],
    }


@pytest.mark.covers("c_balance_node")
def test_transit_time_shifts_arrival_by_whole_periods() -> None:
    """Transit 1: demand of P1 cannot be reached (short, 100); P2 and P3 are shipped in P1 and P2.

    cost = 100 (P1 short) + 2 x 1 (mining) = 102.
    """
    rec = chain(3)
    rec["Lanes"][0]["transit_periods"] = 1
    sol = solve(rec)
    assert sol.objective == pytest.approx(102.0)
    flows = sol.flows.set_index("period")
    assert flows.loc["P1", "arrival_period"] == "P2"
    assert flows.loc["P2", "arrival_period"] == "P3"
    assert "P3" not in flows.index  # a shipment in P3 would arrive after the horizon
    short = sol.shortages.set_index("period")["shortage"]
    assert short.to_dict() == {"P1": 1.0, "P2": 0.0, "P3": 0.0}


def separation_case() -> dict[str, list[dict[str, Any]]]:
    """Site S mines CONC (1/t) and separates it (1/t): 1 t CONC -> 0.2 NDPR + 0.05 DYTB; NDPR may be
    discarded at 0.5/t; demand 1 t DYTB and 1 t NDPR in P1."""
    return {
        "Periods": periods(1),
        "Products": [
            {"product": "CONC"},
            {"product": "NDPR", "cost_disposal": 0.5},
            {"product": "DYTB"},
        ],
        "Sites": [{"site": "S", "type": "refinery", "country": "AU"}],
        "Processes": [
            {"process": "mine", "site": "S", "cost_variable": 1},
            {"process": "sep", "site": "S", "cost_variable": 1},
        ],
        "ProcessFlows": [
            {"process": "mine", "product": "CONC", "direction": "out", "quantity": 1},
            {"process": "sep", "product": "CONC", "direction": "in", "quantity": 1},
            {"process": "sep", "product": "NDPR", "direction": "out", "quantity": 0.2},
            {"process": "sep", "product": "DYTB", "direction": "out", "quantity": 0.05},
        ],
        "Demand": [
            {"site": "S", "product": "DYTB", "period": "P1", "quantity": 1, "shortage_penalty": 1e4},
            {"site": "S", "product": "NDPR", "period": "P1", "quantity": 1, "shortage_penalty": 1e4},
        ],
    }


@pytest.mark.covers("c_balance_node")
def test_joint_production_with_co_product_disposal() -> None:
    """Separation: 1 t CONC -> 0.2 NDPR + 0.05 DYTB. Demand 1 DYTB needs 20 t CONC (cost 20 x 2 = 40),
    which also yields 4 t NDPR: 1 is demanded, 3 are discarded at 0.5 each (1.5). Total 41.5.
    """
    rec = separation_case()
    sol = solve(rec)
    assert sol.objective == pytest.approx(41.5)
    assert sol.disposal["quantity"].sum() == pytest.approx(3.0)
    assert cost(sol, "disposal") == pytest.approx(1.5)


@pytest.mark.covers("c_balance_node")
def test_alternative_recipes_pick_the_cheaper_low_dy_grade() -> None:
    """Two recipes make MAG: standard uses 0.03 DY per t, low-Dy 0.01 DY at +2 cost per t.
    DY costs 500/t. Standard: 0.03 x 500 = 15/t; low-Dy: 5 + 2 = 7/t. 10 t of demand -> 70.
    """
    rec = {
        "Periods": periods(1),
        "Products": [{"product": "DY"}, {"product": "MAG"}],
        "Sites": [{"site": "G", "type": "magnet_plant", "country": "JP"}],
        "Processes": [
            {"process": "std", "site": "G"},
            {"process": "lowdy", "site": "G", "cost_variable": 2},
        ],
        "ProcessFlows": [
            {"process": "std", "product": "DY", "direction": "in", "quantity": 0.03},
            {"process": "std", "product": "MAG", "direction": "out", "quantity": 1},
            {"process": "lowdy", "product": "DY", "direction": "in", "quantity": 0.01},
            {"process": "lowdy", "product": "MAG", "direction": "out", "quantity": 1},
        ],
        "Contracts": [{"contract": "K", "supplier": "G", "product": "DY", "price": 500}],
        "Demand": [{"site": "G", "product": "MAG", "period": "P1", "quantity": 10, "shortage_penalty": 1e4}],
    }
    sol = solve(rec)
    assert sol.objective == pytest.approx(70.0)
    made = sol.production[sol.production["direction"] == "out"].set_index("process")["quantity"]
    assert made.to_dict() == {"lowdy": pytest.approx(10.0)}


@pytest.mark.covers("c_capacity_process", "c_capacity_option_open", "c_lanes_open")
@pytest.mark.parametrize(("demand", "built"), [(4.0, False), (6.0, True)])
def test_capacity_option_pays_off_only_above_a_demand_level(demand: float, built: bool) -> None:
    """Local plant (candidate, opening 0) has no capacity until option X (+10, build cost 50) is built;
    it saves 10/t against the import (cost 11/t vs 1/t). Build iff 10 x demand > 50, i.e. demand > 5.
    demand 4: 4 x 11 = 44 without building; demand 6: 50 + 6 = 56 < 66.
    """
    rec = {
        "Periods": periods(1),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "P", "type": "refinery", "country": "US", "status": "candidate"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [{"process": "make", "site": "P", "cost_variable": 1, "capacity": 0}],
        "ProcessFlows": [{"process": "make", "product": "X", "direction": "out", "quantity": 1}],
        "CapacityOptions": [
            {"option": "XP", "site": "P", "process": "make", "capacity_added": 10, "cost_build": 50}
        ],
        "Contracts": [{"contract": "IMP", "supplier": "D", "product": "X", "price": 11}],
        "Lanes": [{"lane": "L", "origin": "P", "destination": "D"}],
        "Demand": [
            {"site": "D", "product": "X", "period": "P1", "quantity": demand, "shortage_penalty": 1e4}
        ],
    }
    sol = solve(rec)
    expected = 50 + demand if built else 11 * demand
    assert sol.objective == pytest.approx(expected)
    decision = sol.decisions.set_index("id").loc["XP", "value"]
    assert decision == (1.0 if built else 0.0)


@pytest.mark.covers("c_lanes_capacity")
def test_qualification_lead_time_forces_stock() -> None:
    """Contract K (price 5) ends after P1; the new supplier N (price 1) needs lane LQ qualified
    (cost 3, lead time 2: usable from P3). Demand 1 in P1..P4 at D, storage at D costs 0.5/t/period.
    Optimal: buy 2 in P1 (1 held through P1 -> 0.5), qualify, buy P3 and P4 from N.
    cost = 10 + 0.5 + 3 + 2 = 15.5 (the alternative, P2 short at 100, is dearer).
    """
    sol = solve(lead_time_records())
    assert sol.objective == pytest.approx(15.5)
    stock = sol.inventory.set_index("period")["stock"]
    assert stock.to_dict() == {"P1": 1.0, "P2": 0.0, "P3": 0.0, "P4": 0.0}
    assert set(sol.flows["period"]) == {"P3", "P4"}
    assert sol.decisions.set_index("id").loc["LQ", "value"] == 1.0


def lead_time_records() -> dict[str, list[dict[str, Any]]]:
    """The case of :func:`test_qualification_lead_time_forces_stock`."""
    return {
        "Periods": periods(4),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "D", "type": "demand_region", "country": "US"},
            {"site": "N", "type": "supplier", "country": "AU"},
        ],
        "Contracts": [
            {"contract": "K", "supplier": "D", "product": "X", "price": 5, "end_period": "P1"},
            {"contract": "KN", "supplier": "N", "product": "X", "price": 1},
        ],
        "Lanes": [
            {
                "lane": "LQ",
                "origin": "N",
                "destination": "D",
                "qualification": True,
                "cost_qualification": 3,
                "lead_time_qualification": 2,
                "capacity": 10,
            },
        ],
        "Inventory": [{"site": "D", "product": "X", "cost_holding": 0.5}],
        "Demand": [
            {"site": "D", "product": "X", "period": f"P{i}", "quantity": 1, "shortage_penalty": 100}
            for i in range(1, 5)
        ],
    }


def _three_products(lane_products: list[str], capacity: float) -> dict[str, list[dict[str, Any]]]:
    """Supplier N sells X, Y and Z at 1; D buys each locally at 5 or from N over qualified lanes
    (qualification 3 each, no lead time), one per entry of ``lane_products``; demand 1 of each."""
    return {
        "Periods": periods(1),
        "Products": [{"product": p} for p in "XYZ"],
        "Sites": [
            {"site": "D", "type": "demand_region", "country": "US"},
            {"site": "N", "type": "supplier", "country": "AU"},
        ],
        "Contracts": [{"contract": f"K{p}", "supplier": "D", "product": p, "price": 5} for p in "XYZ"]
        + [{"contract": f"N{p}", "supplier": "N", "product": p, "price": 1} for p in "XYZ"],
        "Lanes": [
            {
                "lane": f"Q{i}",
                "origin": "N",
                "destination": "D",
                "product": carried,
                "qualification": True,
                "cost_qualification": 3,
                "capacity": capacity,
            }
            for i, carried in enumerate(lane_products)
        ],
        "Demand": [
            {"site": "D", "product": p, "period": "P1", "quantity": 1, "shortage_penalty": 100} for p in "XYZ"
        ],
    }


@pytest.mark.covers("c_lanes_capacity")
@pytest.mark.parametrize(
    ("lane_products", "capacity", "expected", "qualified", "shipped"),
    [
        # one lane for X and Y: one qualification (3), X and Y at 1, Z locally at 5
        (["X Y"], 10, 3 + 1 + 1 + 5, 1, 2),
        # blank = every product N holds: Z comes over the same qualified lane too
        ([""], 10, 3 + 1 + 1 + 1, 1, 3),
        # a lane per product: each qualification (3 + 1 = 4) beats buying locally (5)
        (["X", "Y"], 10, 4 + 4 + 5, 2, 2),
        # one lane, capacity 1 shared by X and Y: 3 + 1, the other two locally
        (["X Y"], 1, 3 + 1 + 5 + 5, 1, 1),
    ],
)
def test_one_qualification_covers_every_product_of_a_lane_list(
    lane_products: list[str], capacity: float, expected: float, qualified: int, shipped: float
) -> None:
    """Lanes.product "X Y" is one lane: one qualification and one capacity for both products."""
    sol = solve(_three_products(lane_products, capacity))
    assert sol.objective == pytest.approx(expected)
    assert cost(sol, "qualification") == pytest.approx(3 * qualified)
    assert float(sol.flows["quantity"].sum()) == pytest.approx(shipped)


@pytest.mark.covers("c_contracts_pay")
@pytest.mark.parametrize(("kind", "expected"), [("take", 2 * (6 + 1.0)), ("pay", 2 * 6.0)])
def test_take_or_pay_minimum(kind: str, expected: float) -> None:
    """Contract min 3 per period at price 2, demand 1 per period over 2 periods.
    take: 3 taken each period (6), 2 surplus discarded at 0.5 (1) -> 14.
    pay: 1 taken, 2 paid but not taken (6 in all per period) -> 12.
    """
    rec = {
        "Periods": periods(2),
        "Products": [{"product": "X", "cost_disposal": 0.5}],
        "Sites": [{"site": "D", "type": "demand_region", "country": "US"}],
        "Contracts": [
            {
                "contract": "K",
                "supplier": "D",
                "product": "X",
                "price": 2,
                "min_per_period": 3,
                "take_or_pay": kind,
            }
        ],
        "Demand": [
            {"site": "D", "product": "X", "period": f"P{i}", "quantity": 1, "shortage_penalty": 100}
            for i in (1, 2)
        ],
    }
    sol = solve(rec)
    assert sol.objective == pytest.approx(expected)
    if kind == "pay":
        assert sol.purchases["unused_paid"].sum() == pytest.approx(4.0)


def test_take_or_pay_minimum_no_storage_can_absorb_is_infeasible_with_named_row() -> None:
    """Must take 3 per period, demand 1, no storage, no disposal: infeasible, naming the contract row."""
    rec = {
        "Periods": periods(1),
        "Products": [{"product": "X"}],
        "Sites": [{"site": "D", "type": "demand_region", "country": "US"}],
        "Contracts": [{"contract": "K", "supplier": "D", "product": "X", "price": 2, "min_per_period": 3}],
        "Demand": [{"site": "D", "product": "X", "period": "P1", "quantity": 1}],
    }
    with pytest.raises(InfeasibleError) as err:
        solve_data(from_records(rec), TIGHT)
    text = str(err.value)
    assert "Contracts row 2" in text
    assert "min_per_period" in text


def test_infeasibility_names_the_binding_minimum_in_business_terms() -> None:
    """Must take 10 per period, demand 5, storage at most 4: the lines name the minimum that binds
    (not "at most inf"), the business object and its workbook row, never the solver's names (#15)."""
    from planner.diagnose import explain_members

    rec = {
        "Periods": periods(2),
        "Products": [{"product": "MAG"}],
        "Sites": [
            {"site": "CN", "type": "supplier", "country": "CN"},
            {"site": "EU", "type": "demand_region", "country": "DE"},
        ],
        "Lanes": [{"lane": "CN-EU", "origin": "CN", "destination": "EU", "product": "MAG"}],
        "Contracts": [
            {"contract": "K", "supplier": "CN", "product": "MAG", "price": 2, "min_per_period": 10}
        ],
        "Inventory": [{"site": "EU", "product": "MAG", "max_stock": 4}],
        "Demand": [{"site": "EU", "product": "MAG", "period": p, "quantity": 5} for p in ("P1", "P2")],
    }
    with pytest.raises(InfeasibleError) as err:
        solve_data(from_records(rec), TIGHT)
    lines = err.value.explanation
    assert any(
        line.startswith("contract K, period P")
        and "purchases at least 10 t (Contracts row 2 min_per_period" in line
        for line in lines
    ), lines
    assert any(
        "stock of MAG at EU" in line and "at most 4 t (Inventory row 2 max_stock)" in line for line in lines
    )
    assert not any("inf" in line.split(":")[-1] for line in lines), lines
    assert not any("v_" in line or "c_" in line or "[" in line for line in lines), lines
    # the raw names only on request (planner --debug / PLANNER_DEBUG=1)
    raw = explain_members([("v_purchase", ("K", 1, "base"), "lower", 10.0)], _net(rec), debug=False)
    assert raw == ["contract K, period P2: purchases at least 10 t (Contracts row 2 min_per_period, take)"]
    debug = explain_members([("v_purchase", ("K", 1, "base"), "lower", 10.0)], _net(rec), debug=True)
    assert debug[0].endswith("[v_purchase[K, 1, base] (lower)]")


def _net(rec: dict[str, Any]) -> Any:
    from planner.network import build_network

    return build_network(from_records(rec))


@pytest.mark.covers("c_sourcing_share")
def test_share_cap_forces_a_dearer_supplier() -> None:
    """CN supplies at 1/t, AU at 3/t; at most 60% of X from any one country. Demand 10:
    CN 6, AU 4 -> 6 + 12 = 18."""
    rec = {
        "Periods": periods(1),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "CN", "type": "supplier", "country": "CN"},
            {"site": "AU", "type": "supplier", "country": "AU"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Contracts": [
            {"contract": "KC", "supplier": "CN", "product": "X", "price": 1},
            {"contract": "KA", "supplier": "AU", "product": "X", "price": 3},
        ],
        "Lanes": [
            {"lane": "LC", "origin": "CN", "destination": "D"},
            {"lane": "LA", "origin": "AU", "destination": "D"},
        ],
        "SourcingRules": [{"rule": "DIV", "product": "X", "max_share": 0.6}],
        "Demand": [{"site": "D", "product": "X", "period": "P1", "quantity": 10, "shortage_penalty": 100}],
    }
    sol = solve(rec)
    assert sol.objective == pytest.approx(18.0)
    by_origin = sol.flows.groupby("origin")["quantity"].sum()
    assert by_origin.to_dict() == {"AU": pytest.approx(4.0), "CN": pytest.approx(6.0)}


@pytest.mark.covers("c_sourcing_single_link", "c_sourcing_single_one")
def test_single_sourcing_takes_the_cheaper_capable_supplier_for_all_periods() -> None:
    """Demand 10 in P1 and P2. Supplier A costs 1 in both periods, B costs 2 in P1 and 0.5 in P2.
    Without the rule: P1 from A, P2 from B -> 10 + 5 = 15. Single sourcing allows one origin for the
    whole horizon: A -> 20, B -> 25; so A, cost 20.
    """
    rec = {
        "Periods": periods(2),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "A", "type": "supplier", "country": "AU"},
            {"site": "B", "type": "supplier", "country": "BR"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Contracts": [
            {"contract": "KA", "supplier": "A", "product": "X", "price": 1},
            {"contract": "KB1", "supplier": "B", "product": "X", "price": 2, "end_period": "P1"},
            {"contract": "KB2", "supplier": "B", "product": "X", "price": 0.5, "start_period": "P2"},
        ],
        "Lanes": [
            {"lane": "LA", "origin": "A", "destination": "D"},
            {"lane": "LB", "origin": "B", "destination": "D"},
        ],
        "Demand": [
            {"site": "D", "product": "X", "period": f"P{i}", "quantity": 10, "shortage_penalty": 100}
            for i in (1, 2)
        ],
    }
    assert solve(rec).objective == pytest.approx(15.0)
    rec["SourcingRules"] = [{"rule": "ONE", "product": "X", "destination": "D", "single_source": True}]
    sol = solve(rec)
    assert sol.objective == pytest.approx(20.0)
    assert set(sol.flows["origin"]) == {"A"}


def test_shortage_when_capacity_is_short() -> None:
    """Capacity 3, demand 5, mining 1/t, penalty 100: 3 + 2 x 100 = 203."""
    rec = chain(1)
    rec["Processes"][0]["capacity"] = 3
    rec["Demand"][0]["quantity"] = 5
    sol = solve(rec)
    assert sol.objective == pytest.approx(203.0)
    assert sol.shortages["shortage"].sum() == pytest.approx(2.0)
    assert sol.scenarios.loc[0, "service_level"] == pytest.approx(0.6)


def test_discounting_by_period() -> None:
    """Yearly rate 10%, periods of one year: P2 costs are divided by 1.1, P3 by 1.21.
    Mining 1/t, demand 1 per period: 1 + 1/1.1 + 1/1.21."""
    sol = solve(chain(3), discount_rate=0.10, period_length_days=365.25)
    assert sol.objective == pytest.approx(1 + 1 / 1.1 + 1 / 1.21)


@pytest.mark.covers("c_inventory_cover")
def test_soft_days_of_cover_target_priced_by_penalty() -> None:
    """Quarter periods (91.25 d); 45 days of cover on demand 2/period means end stock >= 45/91.25 x 2.
    Holding 1/t/period < cover penalty 5, so the stock is held: P1 buys 2 + 0.98630 (mining 1/t),
    P2 buys 2 and keeps the stock. cost = mining 4 + 0.98630 + holding 2 x 0.98630 = 6.9589."""
    rec = chain(2)
    for d in rec["Demand"]:
        d["quantity"] = 2
    rec["Inventory"] = [{"site": "D", "product": "X", "cost_holding": 1, "cover_days": 45}]
    sol = solve(rec, cover_penalty=5.0)
    target = 45 / 91.25 * 2
    assert sol.objective == pytest.approx(4 + target + 2 * target)
    assert sol.inventory["stock"].tolist() == pytest.approx([target, target])


def test_end_of_horizon_valuation_keeps_stock() -> None:
    """Buying at 1 with end value share 0.5 of value 10 credits 5 per t left at the end; with storage
    capped at 3 the plan keeps 3 t: cost = 1 (demand) + 3 x 1 - 3 x 5 = -11."""
    rec = chain(1)
    rec["Inventory"] = [{"site": "D", "product": "X", "max_stock": 3}]
    sol = solve(rec, end_value_share=0.5)
    assert sol.objective == pytest.approx(-11.0)
    assert cost(sol, "end_value") == pytest.approx(-15.0)


def test_site_closing_saves_fixed_cost() -> None:
    """Two existing mines serve demand 1 per period over 4 periods; mine B is closable with fixed cost
    10/period and closing cost 5, mining 1/t at both. Closing B saves 40 - 5 = 35: cost = 4 + 5 = 9."""
    rec = chain(4)
    rec["Sites"].append(
        {"site": "B", "type": "mine", "country": "AU", "closable": True, "cost_fixed": 10, "cost_closing": 5}
    )
    rec["Processes"].append({"process": "mineb", "site": "B", "cost_variable": 1, "capacity": 10})
    rec["ProcessFlows"].append({"process": "mineb", "product": "X", "direction": "out", "quantity": 1})
    rec["Lanes"].append({"lane": "LB", "origin": "B", "destination": "D"})
    sol = solve(rec)
    assert sol.objective == pytest.approx(9.0)
    assert sol.decisions.set_index("id").loc["B", "decision"] == "close site"


def test_tariff_on_product_value() -> None:
    """Duty 25% of value 10 on lane L: 2.5 per t shipped; 1 t mined at 1 -> 3.5."""
    rec = chain(1)
    rec["Lanes"][0]["tariff_rate"] = 0.25
    sol = solve(rec)
    assert sol.objective == pytest.approx(3.5)
    assert cost(sol, "tariff") == pytest.approx(2.5)


def test_base_change_gives_a_capacity_profile_in_every_scenario() -> None:
    """A ScenarioChanges row without a scenario changes the base data from its start period on,
    before the reveal period too: capacity 3 doubled from P2 -> P1 short 2 (200), P2 none.
    cost = 100 x 2 + 3 + 5 = 208."""
    rec = chain(2)
    rec["Processes"][0]["capacity"] = 3
    for d in rec["Demand"]:
        d["quantity"] = 5
    rec["Scenarios"] = [{"scenario": "A", "probability": 0.5}, {"scenario": "B", "probability": 0.5}]
    rec["ScenarioChanges"] = [
        {
            "table": "Processes",
            "filter": "process=mine",
            "column": "capacity",
            "action": "multiply",
            "value": 2,
            "start_period": "P2",
        }
    ]
    sol = solve(rec, reveal_period="P2")
    assert sol.objective == pytest.approx(208.0)
    short = sol.shortages.groupby("period")["shortage"].max()
    assert short.to_dict() == {"P1": pytest.approx(2.0), "P2": pytest.approx(0.0)}


@pytest.mark.covers("c_lanes_open")
def test_strong_open_link_tightens_the_relaxation_to_the_integer_optimum() -> None:
    """Facility location: two candidate sites (capacity 10, opening cost 100, supply cost 1/t) and one
    customer needing 1 t. Optimum: open one site, 100 + 1 = 101. With only the capacity link
    (activity <= 10 x open) the LP relaxation opens 1/10 of a site: 10 + 1 = 11; the strong link
    (flow <= demand x open) lifts the relaxation to the integer optimum, 101."""
    from planner.model.build import build_model
    from planner.network import build_network
    from planner.solve import solve_model

    rec = {
        "Periods": periods(1),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "A", "type": "supplier", "country": "AU", "status": "candidate", "cost_opening": 100},
            {"site": "B", "type": "supplier", "country": "BR", "status": "candidate", "cost_opening": 100},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [{"process": "make", "site_type": "supplier", "cost_variable": 1, "capacity": 10}],
        "ProcessFlows": [{"process": "make", "product": "X", "direction": "out", "quantity": 1}],
        "Lanes": [
            {"lane": "LA", "origin": "A", "destination": "D"},
            {"lane": "LB", "origin": "B", "destination": "D"},
        ],
        "Demand": [{"site": "D", "product": "X", "period": "P1", "quantity": 1, "shortage_penalty": 1e4}],
    }
    assert solve(rec).objective == pytest.approx(101.0)
    relaxed = build_model(build_network(from_records(rec)), relax=True)
    assert len(relaxed.c_lanes_open) == 2
    assert solve_model(relaxed, TIGHT).objective == pytest.approx(101.0)
    relaxed.c_lanes_open.deactivate()
    assert solve_model(relaxed, TIGHT).objective == pytest.approx(11.0)
