"""Two-stage stochastic behaviour and the export-licence mechanism, on hand-solvable cases."""

from __future__ import annotations

from typing import Any

import pytest

from planner.api import solve_data, stochastic_values
from planner.config import SolveOptions
from planner.solution import Solution, balance_residuals
from planner.tables import from_records
from tests.behaviour.test_hand_solved import periods

TIGHT = SolveOptions(mip_gap=1e-9, time_limit=60)


def solve(records: dict[str, list[dict[str, Any]]], **settings: Any) -> Solution:
    sol = solve_data(from_records(records, settings), TIGHT)
    assert sol.proven_optimal
    assert balance_residuals(sol, sol.extra["network"]).empty
    return sol


def ban_case(q: float) -> dict[str, list[dict[str, Any]]]:
    """CN mine (1/t) ships to D under licence rule R; AU supplier costs 11/t. Demand 1 at D in P2.
    Scenario BAN (probability q) sets the approval share to 0 from P2 (the reveal period).
    A stockpile bought in P1 (before the outcome is known) and held one period at D costs 1 + 2.
    """
    return {
        "Periods": periods(2),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "CN", "type": "mine", "country": "CN"},
            {"site": "AU", "type": "supplier", "country": "AU"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [{"process": "mine", "site": "CN", "cost_variable": 1}],
        "ProcessFlows": [{"process": "mine", "product": "X", "direction": "out", "quantity": 1}],
        "Contracts": [{"contract": "KAU", "supplier": "AU", "product": "X", "price": 11}],
        "Lanes": [
            {"lane": "LCN", "origin": "CN", "destination": "D"},
            {"lane": "LAU", "origin": "AU", "destination": "D"},
        ],
        "Inventory": [{"site": "D", "product": "X", "cost_holding": 2}],
        "Demand": [{"site": "D", "product": "X", "period": "P2", "quantity": 1, "shortage_penalty": 100}],
        "ExportControls": [{"rule": "R", "country": "CN", "product": "X"}],
        "Scenarios": [
            {"scenario": "NORMAL", "probability": 1 - q},
            {"scenario": "BAN", "probability": q},
        ],
        "ScenarioChanges": [
            {
                "scenario": "BAN",
                "table": "ExportControls",
                "filter": "rule=R",
                "column": "approval_share",
                "value": 0,
            }
        ],
    }


@pytest.mark.covers("c_licence_ship")
@pytest.mark.parametrize(("q", "stock"), [(0.15, 0.0), (0.25, 1.0)])
def test_ban_makes_stockpile_pay_off_above_threshold_probability(q: float, stock: float) -> None:
    """Without stock: (1-q) x 1 + q x 11. With stock (decided in P1): 1 + 2 = 3 in every scenario.
    Stock iff q (11 - 1) > 2, i.e. q > 0.2. q = 0.15: 0.85 + 1.65 = 2.5; q = 0.25: 3.
    """
    sol = solve(ban_case(q), reveal_period="P2")
    expected = 3.0 if stock else (1 - q) * 1 + q * 11
    assert sol.objective == pytest.approx(expected)
    p1 = sol.inventory[sol.inventory["period"] == "P1"]
    assert set(p1["stock"]) == {stock}
    assert set(p1["stage"]) == {1}  # a here-and-now decision, equal in every scenario


@pytest.mark.covers("c_licence_ship")
def test_ban_scenario_blocks_covered_shipments_only() -> None:
    sol = solve(ban_case(0.15), reveal_period="P2")
    ban = sol.flows[sol.flows["scenario"] == "BAN"]
    assert set(ban["lane"]) == {"LAU"}
    normal = sol.flows[sol.flows["scenario"] == "NORMAL"]
    assert set(normal["lane"]) == {"LCN"}
    shipped = sol.licence_shipped.set_index("scenario")["shipped"]
    assert shipped.to_dict() == {"NORMAL": pytest.approx(1.0)}


@pytest.mark.covers("c_licence_ship")
@pytest.mark.parametrize(("delay", "short_periods"), [(0, []), (1, ["P1"]), (2, ["P1", "P2"])])
def test_review_delay_shifts_deliveries(delay: int, short_periods: list[str]) -> None:
    """Only supply: CN mine (1/t) under a licence with review delay d. Covered shipments in t need an
    application in t - d, so the first d periods go short: cost = 100 d + (4 - d)."""
    rec = ban_case(0.0)
    rec["Periods"] = periods(4)
    rec["Scenarios"] = []
    rec["ScenarioChanges"] = []
    rec["Contracts"] = []
    rec["Inventory"] = []
    rec["Lanes"] = rec["Lanes"][:1]
    rec["Demand"] = [
        {"site": "D", "product": "X", "period": f"P{i}", "quantity": 1, "shortage_penalty": 100}
        for i in range(1, 5)
    ]
    rec["ExportControls"][0]["review_delay"] = delay
    sol = solve(rec)
    assert sol.objective == pytest.approx(100 * delay + (4 - delay))
    short = sol.shortages[sol.shortages["shortage"] > 0.5]["period"].tolist()
    assert short == short_periods
    decided = sorted(sol.licences["period"])  # periods in which filed volume is decided
    assert decided == [f"P{i}" for i in range(1 + delay, 5)]


def content_case(threshold: float | None) -> dict[str, list[dict[str, Any]]]:
    """CN oxide costs 10, AU oxide 30 (value 100 each); a Vietnamese plant makes 1 t MAG per t of
    oxide at 5 for US demand of 1 per period over 4 periods. Rule R61 bans MAG to the US with the
    given content threshold (None = direct exports from CN only)."""
    return {
        "Periods": periods(4),
        "Products": [{"product": "OX", "value": 100}, {"product": "MAG", "value": 200}],
        "Groups": [{"group": "WEST", "kind": "country", "member": "US"}],
        "Sites": [
            {"site": "CN1", "type": "refinery", "country": "CN"},
            {"site": "AU1", "type": "refinery", "country": "AU"},
            {"site": "VN1", "type": "magnet_plant", "country": "VN"},
            {"site": "US1", "type": "demand_region", "country": "US"},
        ],
        "Processes": [
            {"process": "cn", "site": "CN1", "cost_variable": 10},
            {"process": "au", "site": "AU1", "cost_variable": 30},
            {"process": "mag", "site": "VN1", "cost_variable": 5},
        ],
        "ProcessFlows": [
            {"process": "cn", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "au", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "mag", "product": "OX", "direction": "in", "quantity": 1},
            {"process": "mag", "product": "MAG", "direction": "out", "quantity": 1},
        ],
        "Lanes": [
            {"lane": "L1", "origin": "CN1", "destination": "VN1"},
            {"lane": "L2", "origin": "AU1", "destination": "VN1"},
            {"lane": "L3", "origin": "VN1", "destination": "US1"},
        ],
        "Demand": [
            {"site": "US1", "product": "MAG", "period": f"P{i}", "quantity": 1, "shortage_penalty": 1000}
            for i in range(1, 5)
        ],
        "ExportControls": [
            {
                "rule": "R61",
                "country": "CN",
                "product": "MAG",
                "destination_group": "WEST",
                "content_threshold": threshold,
                "approval_share": 0.0,
            }
        ],
    }


@pytest.mark.covers("c_content_use", "c_content_share", "c_balance_demand", "c_inventory_level")
@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (None, 4 * (10 + 5)),  # the Vietnamese magnet is not covered: cheap CN oxide
        (0.25, 4 * (0.25 * 10 + 0.75 * 30 + 5)),  # at most 25% CN content by value
        (0.001, 4 * (0.001 * 10 + 0.999 * 30 + 5)),  # the 0.1% rule
    ],
)
def test_content_rule_catches_third_country_magnet(threshold: float | None, expected: float) -> None:
    rec = content_case(threshold)
    rec["Inventory"] = [{"site": "US1", "product": "MAG"}]  # storage (tagged totals) at the demand site
    sol = solve(rec)
    assert sol.objective == pytest.approx(expected)
    assert sol.shortages["shortage"].sum() == pytest.approx(0.0)


def buyer_content_case(limit: bool, defence_penalty: float = 1000) -> dict[str, list[dict[str, Any]]]:
    """A US magnet plant (5/t) makes magnets from Chinese oxide (10/t) or Australian oxide (30/t).
    The US demand site wants 1 t of civil and 1 t of defence magnets in P1. A content rule R61
    (threshold 0.1%, approval 1: it refuses nothing) only defines what counts as Chinese content;
    the US magnet is made in the US, so no export rule covers it. ``limit`` sets the defence row's
    Demand.no_controlled_content (the buyer's own rule, as DFARS)."""
    return {
        "Periods": periods(1),
        "Products": [{"product": "OX", "value": 100}, {"product": "MAG", "value": 200}],
        "Groups": [{"group": "WEST", "kind": "country", "member": "US"}],
        "Sites": [
            {"site": "CN1", "type": "refinery", "country": "CN"},
            {"site": "AU1", "type": "refinery", "country": "AU"},
            {"site": "US2", "type": "magnet_plant", "country": "US"},
            {"site": "US1", "type": "demand_region", "country": "US"},
        ],
        "Processes": [
            {"process": "cn", "site": "CN1", "cost_variable": 10},
            {"process": "au", "site": "AU1", "cost_variable": 30},
            {"process": "mag", "site": "US2", "cost_variable": 5},
        ],
        "ProcessFlows": [
            {"process": "cn", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "au", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "mag", "product": "OX", "direction": "in", "quantity": 1},
            {"process": "mag", "product": "MAG", "direction": "out", "quantity": 1},
        ],
        "Lanes": [
            {"lane": "L1", "origin": "CN1", "destination": "US2"},
            {"lane": "L2", "origin": "AU1", "destination": "US2"},
            {"lane": "L3", "origin": "US2", "destination": "US1"},
        ],
        "Demand": [
            {"site": "US1", "product": "MAG", "period": "P1", "quantity": 1, "shortage_penalty": 1000},
            {
                "site": "US1",
                "product": "MAG",
                "period": "P1",
                "quantity": 1,
                "customer_class": "defence",
                "shortage_penalty": defence_penalty,
                "no_controlled_content": limit,
            },
        ],
        "ExportControls": [
            {
                "rule": "R61",
                "country": "CN",
                "product": "MAG",
                "destination_group": "WEST",
                "content_threshold": 0.001,
                "approval_share": 1.0,
            }
        ],
    }


@pytest.mark.covers("c_balance_demand", "c_content_share")
@pytest.mark.parametrize(
    ("limit", "defence_penalty", "expected", "short"),
    [
        (False, 1000, 2 * (10 + 5), 0.0),  # no buyer rule: both magnets from Chinese oxide
        (True, 1000, (10 + 5) + (0.001 * 10 + 0.999 * 30 + 5), 0.0),  # defence: at most 0.1% CN content
        (True, 20, (10 + 5) + 20, 1.0),  # a compliant magnet (34.98) costs more than the shortage (20)
    ],
)
def test_buyer_content_limit_serves_defence_demand_below_the_threshold(
    limit: bool, defence_penalty: float, expected: float, short: float
) -> None:
    """Demand.no_controlled_content: a US plant may not serve its defence customers with magnets
    made from Chinese oxide, though no export rule covers that domestic shipment. Hand values: civil
    15 (Chinese oxide); defence 0.001 x 10 + 0.999 x 30 + 5 = 34.98 (the partial variant, content
    at the threshold), or the shortage penalty when it is cheaper."""
    sol = solve(buyer_content_case(limit, defence_penalty))
    assert sol.objective == pytest.approx(expected)
    assert sol.shortages["shortage"].sum() == pytest.approx(short)


def test_buyer_content_limit_needs_a_content_rule() -> None:
    from planner.validate import validate

    rec = buyer_content_case(True)
    rec["ExportControls"][0]["content_threshold"] = None
    issues = [i for i in validate(from_records(rec, {})) if i.code == "content_limit_without_rule"]
    assert len(issues) == 1
    assert (issues[0].sheet, issues[0].column) == ("Demand", "no_controlled_content")
    assert issues[0].row is not None


def test_one_scenario_of_probability_one_equals_the_deterministic_model() -> None:
    det = ban_case(0.0)
    det["Scenarios"] = []
    det["ScenarioChanges"] = []
    one = ban_case(0.0)
    one["Scenarios"] = [{"scenario": "ONLY", "probability": 1.0}]
    one["ScenarioChanges"] = []
    a, b = solve(det), solve(one)
    assert a.objective == pytest.approx(b.objective, rel=1e-12)
    cols = ["lane", "product", "period", "quantity"]
    assert a.flows[cols].reset_index(drop=True).equals(b.flows[cols].reset_index(drop=True))


@pytest.mark.covers("c_objective_cvar")
def test_cvar_weight_buys_the_stockpile_earlier() -> None:
    """q = 0.15: risk neutral skips the stock (2.5 vs 3). CVaR_0.8 of 'no stock' is the mean of the worst
    20%: 0.15 x 11 + 0.05 x 1 -> 1.7 / 0.2 = 8.5; with stock it is 3. With weight 1:
    no stock 2.5 + 8.5 = 11 > stock 3 + 3 = 6, so the stock is bought."""
    sol = solve(ban_case(0.15), reveal_period="P2", risk_weight=1.0, cvar_alpha=0.8)
    assert sol.objective == pytest.approx(6.0)
    assert sol.extra["cvar"] == pytest.approx(3.0)


def test_vss_and_evpi_are_non_negative_and_match_hand_values() -> None:
    """q = 0.25: RP = 3 (stock). EV problem: approval share 0.75 in P2 licenses 0.75 t of the 1 t
    requirement; stocking x in P1 (1 + 2 a tonne, filed ahead) leaves 1 - x to file for P2:
    cost 3x + 0.75 (1 - x) + 11 x 0.25 (1 - x) = 3.5 - 0.5 x, so the EV plan stocks 1 t too:
    EEV = 3 and VSS = 0 (a share that denies volume is linear in the share: the mean scenario
    already sees the expected denial). WS: NORMAL 1, BAN 3 -> 0.75 + 0.75 = 1.5 -> EVPI = 1.5."""
    vals = stochastic_values(from_records(ban_case(0.25), {"reveal_period": "P2"}), TIGHT)
    assert vals["RP"] == pytest.approx(3.0)
    assert vals["EEV"] == pytest.approx(3.0)
    assert vals["WS"] == pytest.approx(1.5)
    assert vals["VSS"] == pytest.approx(0.0, abs=1e-9)
    assert vals["EVPI"] == pytest.approx(1.5)
    assert vals["VSS"] >= 0
    assert vals["EVPI"] >= 0


def test_expected_cost_does_not_decrease_as_ban_probability_rises() -> None:
    costs = [solve(ban_case(q), reveal_period="P2").objective for q in (0.0, 0.1, 0.2, 0.3, 0.6)]
    assert costs == sorted(costs)
