"""Design decisions that can wait for the reveal (``decide = at_reveal``), solved by hand (issue #17, item 1).

A waited decision is a recourse decision: one value per scenario, taken at the reveal period,
effective from the reveal plus its lead time, paid only in the scenarios that take it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from planner.api import solve_data, stochastic_values
from planner.config import SolveOptions
from planner.model.stochastic import design_values, first_stage_values, nonanticipative_vars
from planner.model.variables import FIRST_STAGE_VARS, WAIT_VARS
from planner.solution import Solution, balance_residuals
from planner.tables import InputData, from_records

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "inputs"))
from build_tiny import TINY_OBJECTIVE, build_records  # noqa: E402

EXACT = SolveOptions(mip_gap=0.0, time_limit=60)


def tiny_variant(decide: str, lead: int = 0) -> InputData:
    """inputs/tiny.xlsx with the JP-EU qualification decided ``decide`` and lead time ``lead``."""
    records, settings = build_records()
    (jp,) = [r for r in records["Lanes"] if r["lane"] == "JP-EU"]
    jp["decide"] = decide
    jp["lead_time_qualification"] = lead
    return from_records(records, settings)


def solve(data: InputData) -> Solution:
    sol = solve_data(data, EXACT)
    assert sol.proven_optimal
    assert balance_residuals(sol, sol.extra["network"]).empty
    assert sol.expected_cost == pytest.approx(sol.objective, rel=1e-9, abs=1e-9)
    return sol


def values(sol: Solution, name: str) -> dict[Any, float]:
    return {k: round(float(v.value or 0.0), 6) for k, v in getattr(sol.extra["model"], name).items()}


def test_tiny_with_japanese_qualification_at_the_reveal_costs_1150() -> None:
    """tiny (inputs/build_tiny.py, money in $1,000): 10 t of MAG in P1 and P2 at EU; CN at 50/t,
    JP at 80/t once lane JP-EU is qualified (200 one-off, lead time 0); stock at EU up to 6 t at 10/t;
    shortage 1,000/t; BAN (p = 0.3) stops CN exports from P2, OPEN (p = 0.7) does not; reveal P2.

    Decided now (today): qualify now in both scenarios, 500 + 200 + 10 x (0.7 x 50 + 0.3 x 80) = 1,290.

    Decided at the reveal (lead time 0, so JP-EU can carry in P2 itself):

    * P1 (ROOT, shared): buy 10 t from CN = 500. A tonne stocked for P2 costs 50 + 10 = 60 in both
      scenarios, while the P2 tonne it replaces costs 0.7 x 50 + 0.3 x 80 = 59 in expectation
      (OPEN buys from CN, BAN from JP once qualified), so stock nothing.
    * OPEN: buy 10 t from CN = 500, no qualification: 500 + 500 = 1,000.
    * BAN: qualify JP-EU at the reveal (200) and buy 10 t from JP (800): 500 + 200 + 800 = 1,500
      (without it, 10 t short = 10,000).

    E = 0.7 x 1,000 + 0.3 x 1,500 = 1,150 < 1,290: the qualification is paid only in BAN (0.3 x 200
    instead of 200). JP-EU is qualified in BAN only, and the first stage holds no JP-EU qualification.
    """
    now = solve(tiny_variant("now"))
    assert now.objective == pytest.approx(TINY_OBJECTIVE, rel=1e-9)

    sol = solve(tiny_variant("at_reveal"))
    assert sol.objective == pytest.approx(1_150_000.0, rel=1e-9)
    totals = sol.scenarios.set_index("scenario")["total_cost"]
    assert totals["OPEN"] == pytest.approx(1_000_000.0, rel=1e-9)
    assert totals["BAN"] == pytest.approx(1_500_000.0, rel=1e-9)
    assert values(sol, "v_qualify_wait") == {("JP-EU", "OPEN"): 0.0, ("JP-EU", "BAN"): 1.0}
    assert values(sol, "v_qualify") == {}

    m = sol.extra["model"]
    first = first_stage_values(m)
    assert not any(name in WAIT_VARS or "JP-EU" in str(index) for name, index in first)
    assert {v.parent_component().name for v in nonanticipative_vars(m)}.isdisjoint(WAIT_VARS)
    assert set(design_values(m)) == set(FIRST_STAGE_VARS)
    assert "JP-EU" not in design_values(m)["v_qualify"]
    # the qualification cost is a second-stage cost of BAN only
    costs = sol.costs[sol.costs["component"] == "qualification"].set_index("scenario")["cost"]
    assert costs.get("OPEN", 0.0) == pytest.approx(0.0, abs=1e-6)
    assert costs["BAN"] == pytest.approx(200_000.0, rel=1e-9)
    assert float(m.e_cost_stage1()) == pytest.approx(500_000.0, rel=1e-9)  # P1 purchases only
    decisions = sol.decisions.set_index("decision")
    assert decisions.loc["qualify lane at the reveal in BAN", "id"] == "JP-EU"
    assert decisions.loc["qualify lane at the reveal in BAN", "effective_period"] == "P2"


def test_findings_do_not_call_a_waited_qualification_here_and_now() -> None:
    """The JP-EU qualification is taken at the reveal in BAN only: 0.3 x 200,000 = 60,000 in expectation,
    none of it committed before the licence outcome is known."""
    from planner.metrics import compute_metrics, finding_records

    sol = solve(tiny_variant("at_reveal"))
    m = compute_metrics(sol, sol.extra["network"])
    assert m.wait_capex == pytest.approx(60_000.0, rel=1e-9)
    (decisions,) = [f for f in finding_records(m) if f.topic == "decisions"]
    assert "Here-and-now" not in decisions.text
    assert "decided at the reveal" in decisions.text
    now = solve(tiny_variant("now"))
    assert compute_metrics(now, now.extra["network"]).wait_capex == 0.0


def test_vss_and_evpi_run_with_a_decision_at_the_reveal() -> None:
    """RP = 1,150 (above). Wait-and-see, each scenario alone (money in $1,000):

    * OPEN: CN in both periods, 500 + 500 = 1,000.
    * BAN: P1 10 t from CN (500) plus 6 t stocked for P2 (6 x 60 = 360, cheaper than JP's 80),
      then qualify JP (200) for the last 4 t (320): 500 + 360 + 200 + 320 = 1,380.

    WS = 0.7 x 1,000 + 0.3 x 1,380 = 1,114, so EVPI = 1,150 - 1,114 = 36. The EV plan (P1: 10 t from
    CN, no stock, the only first-stage decisions left) is the recourse plan, so EEV = 1,150 and VSS = 0.
    """
    out = stochastic_values(tiny_variant("at_reveal"), EXACT)
    assert out["RP"] == pytest.approx(1_150_000.0, rel=1e-9)
    assert out["WS"] == pytest.approx(1_114_000.0, rel=1e-9)
    assert out["EVPI"] == pytest.approx(36_000.0, rel=1e-6)
    assert out["EEV"] == pytest.approx(1_150_000.0, rel=1e-9)
    assert out["VSS"] == pytest.approx(0.0, abs=1e-3)


@pytest.mark.parametrize(("decide", "expected"), [("at_reveal", 2_200_000.0), ("now", 1_290_000.0)])
def test_a_waited_qualification_with_lead_time_1_cannot_carry_in_the_reveal_period(
    decide: str, expected: float
) -> None:
    """tiny with lead time 1 on the JP-EU qualification (money in $1,000).

    Decided now, the lead time counts from P1, so JP-EU carries from P2 in both scenarios: the plan
    of tiny, 500 + 200 + 10 x 59 = 1,290.

    Decided at the reveal (P2), it could carry only from P3, after the horizon: no JP supply at all.
    Then each tonne stocked in P1 costs 60 and saves 0.7 x 50 + 0.3 x 1,000 = 335, so stock the most,
    6 t: E = 500 + 6 x 60 + 0.7 x 4 x 50 + 0.3 x 4 x 1,000 = 2,200 (BAN is 4 t short). Were the waited
    qualification usable in the reveal period itself, the optimum would be 1,150 instead.
    """
    sol = solve(tiny_variant(decide, lead=1))
    assert sol.objective == pytest.approx(expected, rel=1e-9)
    jp = sol.flows[sol.flows["lane"] == "JP-EU"]
    if decide == "at_reveal":
        assert jp.empty or float(jp["quantity"].abs().sum()) == pytest.approx(0.0, abs=1e-9)
        assert set(values(sol, "v_qualify_wait").values()) == {0.0}
        stock = sol.inventory.set_index(["period", "scenario"])["stock"]
        assert stock[("P1", "OPEN")] == pytest.approx(6.0)
        assert stock[("P1", "BAN")] == pytest.approx(6.0)
    else:
        assert values(sol, "v_qualify") == {"JP-EU": 1.0}


def plant_case(decide: str, lead: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Closable plant F (capacity 10/period, 1 per unit) serves D (10 t per period, shortage 100/t);
    option X adds 5/period at F for 100. Scenario UP (p = 0.4) raises P2 demand to 15; FLAT (p = 0.6)
    does not; reveal P2."""
    return {
        "Periods": [{"period": "P1"}, {"period": "P2"}],
        "Products": [{"product": "X", "value": 10}],
        "Sites": [
            {"site": "F", "type": "magnet_plant", "country": "DE", "closable": True},
            {"site": "D", "type": "demand_region", "country": "DE"},
        ],
        "Processes": [{"process": "make", "site": "F", "cost_variable": 1, "capacity": 10}],
        "ProcessFlows": [{"process": "make", "product": "X", "direction": "out", "quantity": 1}],
        "CapacityOptions": [
            {
                "option": "X",
                "site": "F",
                "process": "make",
                "capacity_added": 5,
                "cost_build": 100,
                "lead_time": lead,
                "decide": decide,
            }
        ],
        "Lanes": [{"lane": "FD", "origin": "F", "destination": "D"}],
        "Demand": [
            {"site": "D", "product": "X", "period": p, "quantity": 10, "shortage_penalty": 100}
            for p in ("P1", "P2")
        ],
        "Scenarios": [{"scenario": "UP", "probability": 0.4}, {"scenario": "FLAT", "probability": 0.6}],
        "ScenarioChanges": [
            {
                "scenario": "UP",
                "table": "Demand",
                "filter": "period=P2",
                "column": "quantity",
                "action": "set",
                "value": 15,
                "start_period": "P2",
            }
        ],
    }


@pytest.mark.covers("c_capacity_option_open_wait", "c_capacity_process")
@pytest.mark.parametrize(
    ("decide", "lead", "expected"),
    [("now", 0, 122.0), ("at_reveal", 0, 62.0), ("at_reveal", 1, 220.0)],
)
def test_capacity_option_built_at_the_reveal_only_where_needed(
    decide: str, lead: int, expected: float
) -> None:
    """P1 and FLAT's P2 make 10 (10 each); UP's P2 needs 15 against a capacity of 10.

    * now: build X (100) for both scenarios, 100 + 10 + 0.6 x 10 + 0.4 x 15 = 122 (not building:
      10 + 0.6 x 10 + 0.4 x (10 + 5 x 100) = 220).
    * at the reveal, lead 0: build in UP only, 10 + 0.6 x 10 + 0.4 x (100 + 15) = 62.
    * at the reveal, lead 1: X would add capacity from P3, after the horizon; not built, 220.
    """
    sol = solve(from_records(plant_case(decide, lead), {"reveal_period": "P2"}))
    assert sol.objective == pytest.approx(expected, rel=1e-9)
    if decide == "at_reveal":
        built = values(sol, "v_build_wait")
        assert built == (
            {("X", "UP"): 1.0, ("X", "FLAT"): 0.0} if lead == 0 else {("X", "UP"): 0.0, ("X", "FLAT"): 0.0}
        )
        assert values(sol, "v_build") == {}
        # built where needed only: the build cost is UP's
        capex = sol.costs[sol.costs["component"] == "capacity"].set_index("scenario")["cost"]
        assert capex.get("FLAT", 0.0) == pytest.approx(0.0, abs=1e-9)
        assert capex.get("UP", 0.0) == pytest.approx(100.0 if lead == 0 else 0.0, abs=1e-9)


def two_source_case(demand_in_p1: bool, decide: str) -> dict[str, list[dict[str, Any]]]:
    """D needs 10 t (shortage 100/t) in P2, and in P1 too when ``demand_in_p1``; single-source rule S
    at D. Mine A (AU) costs 1/t, mine B (JP) 3/t; lanes A-D and B-D carry 10 t per period. In scenario
    CUT (p = 0.3) lane A-D carries nothing from P2 on; OPEN (p = 0.7) it does. Reveal P2."""
    periods = ("P1", "P2") if demand_in_p1 else ("P2",)
    return {
        "Periods": [{"period": "P1"}, {"period": "P2"}],
        "Products": [{"product": "X", "value": 10}],
        "Sites": [
            {"site": "A", "type": "mine", "country": "AU"},
            {"site": "B", "type": "mine", "country": "JP"},
            {"site": "D", "type": "demand_region", "country": "DE"},
        ],
        "Processes": [
            {"process": "mineA", "site": "A", "cost_variable": 1},
            {"process": "mineB", "site": "B", "cost_variable": 3},
        ],
        "ProcessFlows": [
            {"process": "mineA", "product": "X", "direction": "out", "quantity": 1},
            {"process": "mineB", "product": "X", "direction": "out", "quantity": 1},
        ],
        "Lanes": [
            {"lane": "AD", "origin": "A", "destination": "D", "capacity": 10},
            {"lane": "BD", "origin": "B", "destination": "D", "capacity": 10},
        ],
        "Demand": [
            {"site": "D", "product": "X", "period": p, "quantity": 10, "shortage_penalty": 100}
            for p in periods
        ],
        "SourcingRules": [
            {"rule": "S", "product": "X", "destination": "D", "single_source": True, "decide": decide}
        ],
        "Scenarios": [{"scenario": "OPEN", "probability": 0.7}, {"scenario": "CUT", "probability": 0.3}],
        "ScenarioChanges": [
            {
                "scenario": "CUT",
                "table": "Lanes",
                "filter": "lane=AD",
                "column": "capacity",
                "action": "set",
                "value": 0,
                "start_period": "P2",
            }
        ],
    }


@pytest.mark.covers("c_sourcing_single_link_wait", "c_sourcing_single_one_wait")
@pytest.mark.parametrize(
    ("demand_in_p1", "decide", "expected"),
    [(False, "now", 30.0), (False, "at_reveal", 16.0), (True, "now", 60.0), (True, "at_reveal", 60.0)],
)
def test_single_source_assigned_at_the_reveal(demand_in_p1: bool, decide: str, expected: float) -> None:
    """Demand in P2 only:

    * now: one source for both scenarios: A costs 0.7 x 10 + 0.3 x 10 x 100 = 307, B 10 x 3 = 30; B, 30.
    * at the reveal: A in OPEN (10), B in CUT (30): 0.7 x 10 + 0.3 x 30 = 16.

    Demand in P1 and P2: the P1 receipts are shipped before the reveal, so their origin is the source
    in every scenario, waited or not. Source A: 10 + 0.7 x 10 + 0.3 x 1,000 = 317; source B: 30 + 30 = 60;
    nothing in P1: 1,000 + ... So 60 both ways. (Were the P1 origin not binding after the reveal,
    A in P1 and B in CUT would give 10 + 0.7 x 10 + 0.3 x 30 = 26.)
    """
    sol = solve(from_records(two_source_case(demand_in_p1, decide), {"reveal_period": "P2"}))
    assert sol.objective == pytest.approx(expected, rel=1e-9)
    if decide == "at_reveal":
        assigned = {k for k, v in values(sol, "v_assign_wait").items() if v > 0.5}
        if demand_in_p1:
            assert assigned == {("S", "B", "OPEN"), ("S", "B", "CUT")}
        else:
            assert assigned == {("S", "A", "OPEN"), ("S", "B", "CUT")}
        assert values(sol, "v_assign") == {}


def contract_case(decide: str) -> dict[str, list[dict[str, Any]]]:
    """D needs 10 t in P1 and in P2 (shortage 1,000/t). Spot contract S at A: 50/t, no minimum.
    Contract K at B: 30/t, take-or-pay 'pay' with a minimum and maximum of 10 t per period, signed
    ``decide``. In scenario LOW (p = 0.5) the P2 demand is 0; in HIGH (p = 0.5) it stays 10. Reveal P2."""
    return {
        "Periods": [{"period": "P1"}, {"period": "P2"}],
        "Products": [{"product": "X", "value": 10}],
        "Sites": [
            {"site": "A", "type": "supplier", "country": "AU"},
            {"site": "B", "type": "supplier", "country": "JP"},
            {"site": "D", "type": "demand_region", "country": "DE"},
        ],
        "Contracts": [
            {"contract": "S", "supplier": "A", "product": "X", "price": 50},
            {
                "contract": "K",
                "supplier": "B",
                "product": "X",
                "price": 30,
                "min_per_period": 10,
                "max_per_period": 10,
                "take_or_pay": "pay",
                "decide": decide,
            },
        ],
        "Lanes": [
            {"lane": "AD", "origin": "A", "destination": "D"},
            {"lane": "BD", "origin": "B", "destination": "D"},
        ],
        "Demand": [
            {"site": "D", "product": "X", "period": p, "quantity": 10, "shortage_penalty": 1000}
            for p in ("P1", "P2")
        ],
        "Scenarios": [{"scenario": "HIGH", "probability": 0.5}, {"scenario": "LOW", "probability": 0.5}],
        "ScenarioChanges": [
            {
                "scenario": "LOW",
                "table": "Demand",
                "filter": "period=P2",
                "column": "quantity",
                "action": "set",
                "value": 0,
                "start_period": "P2",
            }
        ],
    }


@pytest.mark.covers("c_contracts_sign", "c_contracts_pay")
@pytest.mark.parametrize(("decide", "expected"), [("now", 600.0), ("at_reveal", 650.0)])
def test_contract_signed_at_the_reveal(decide: str, expected: float) -> None:
    """Signed now (committed, as every contract today): P1 10 t from K (300); P2 HIGH 10 t from K
    (300), LOW pays the unused minimum (300): 300 + 300 = 600.

    Signed at the reveal: nothing can be bought under K in P1 (before the reveal), so P1 buys spot
    (500); in P2, HIGH signs K (300) and LOW does not (0): 500 + 0.5 x 300 = 650. Were K usable
    before the reveal, the optimum would be 300 + 0.5 x 300 = 450.
    """
    sol = solve(from_records(contract_case(decide), {"reveal_period": "P2"}))
    assert sol.objective == pytest.approx(expected, rel=1e-9)
    if decide == "at_reveal":
        assert values(sol, "v_sign_wait") == {("K", "HIGH"): 1.0, ("K", "LOW"): 0.0}
        p = sol.purchases
        bought = p.groupby(["contract", "period", "scenario"])["quantity"].sum()
        assert bought.get(("K", "P1", "HIGH"), 0.0) == pytest.approx(0.0, abs=1e-9)
        assert bought[("S", "P1", "HIGH")] == pytest.approx(10.0)
        assert bought[("K", "P2", "HIGH")] == pytest.approx(10.0)
        assert bought.get(("K", "P2", "LOW"), 0.0) == pytest.approx(0.0, abs=1e-9)
        assert all(name != "v_sign_wait" for name, _ in first_stage_values(sol.extra["model"]))


@pytest.mark.covers("c_contracts_take_wait")
def test_take_contract_signed_at_the_reveal_must_take_its_minimum_where_signed() -> None:
    """As above with K 'take' and a minimum of 6 t (maximum 10): HIGH signs and takes 10 t from K
    (300); LOW does not sign (signing would force 6 t it cannot place: nothing stores or discards X,
    so it would be infeasible). 500 + 0.5 x 300 = 650; K bought only in HIGH."""
    rec = contract_case("at_reveal")
    rec["Contracts"][1].update(take_or_pay="take", min_per_period=6)
    sol = solve(from_records(rec, {"reveal_period": "P2"}))
    assert sol.objective == pytest.approx(650.0, rel=1e-9)
    assert values(sol, "v_sign_wait") == {("K", "HIGH"): 1.0, ("K", "LOW"): 0.0}


def test_no_row_before_the_reveal_depends_on_one_scenarios_waited_decision() -> None:
    """In the full-feature case (an option, a qualification, a single-source rule and a contract at the
    reveal), no constraint row of a ROOT node holds a waited variable, except the single-source links
    of pre-reveal receipts, which hold one row per scenario (the same receipt binds every scenario)."""
    from pyomo.core.expr.visitor import identify_variables

    from planner.model.build import build_model
    from planner.network import ROOT, build_network
    from tests.model_cases import full_feature_records

    m = build_model(build_network(from_records(*full_feature_records())))
    assert all(len(getattr(m, name)) > 0 for name in WAIT_VARS)
    leaks = []
    per_scenario = []
    for con in m.component_objects(pyo_constraint(), descend_into=True):
        for index, row in con.items():
            if not (isinstance(index, tuple) and ROOT in index):
                continue
            waited = [v for v in identify_variables(row.body) if v.parent_component().name in WAIT_VARS]
            if con.name == "c_sourcing_single_link_wait":
                per_scenario.append(index)
            elif waited:
                leaks.append((con.name, index, [v.name for v in waited]))
    assert leaks == []
    scen = set(m.idx.scenarios)
    by_flow: dict[Any, set[str]] = {}
    for rule, lane, t, _w, s in per_scenario:
        by_flow.setdefault((rule, lane, t), set()).add(s)
    assert by_flow
    assert all(v == scen for v in by_flow.values())


def pyo_constraint() -> Any:
    import pyomo.environ as pyo

    return pyo.Constraint
