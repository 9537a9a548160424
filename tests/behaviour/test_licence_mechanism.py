"""The export-licence mechanism bites as licensing does (issue: licences that bite; formulation §5.7).

One hand-solved case per audit finding. Each docstring derives the optimum by hand; each
fails on the mechanism before this change (noted as "before:"), where an application moved
material and the refused share could be filed again.

Common setting: product X, a Chinese mine ``CN`` (1 per t), US demand ``D`` with a shortage
penalty of 100 per t, rule ``R`` on X from CN to every other country.
"""

from __future__ import annotations

from typing import Any

import pytest

from planner.api import solve_data
from planner.errors import InputError
from planner.tables import from_records
from tests.behaviour.test_hand_solved import periods
from tests.behaviour.test_licence_risk import TIGHT, solve

Records = dict[str, list[dict[str, Any]]]


def base(n_periods: int, demand: float, rule: dict[str, Any] | None = None) -> Records:
    """CN mine (1/t, unlimited) ships X to D under rule R; demand ``demand`` in every period."""
    return {
        "Periods": periods(n_periods),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "CN", "type": "mine", "country": "CN"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Processes": [{"process": "mine", "site": "CN", "cost_variable": 1}],
        "ProcessFlows": [{"process": "mine", "product": "X", "direction": "out", "quantity": 1}],
        "Lanes": [{"lane": "LCN", "origin": "CN", "destination": "D"}],
        "Demand": [
            {"site": "D", "product": "X", "period": f"P{i}", "quantity": demand, "shortage_penalty": 100}
            for i in range(1, n_periods + 1)
        ],
        "ExportControls": [{"rule": "R", "country": "CN", "product": "X", **(rule or {})}],
    }


def add_plant(rec: Records, **process: Any) -> None:
    """A US magnet plant P whose process ``make`` turns 1 t of X into 1 t of MAG (``process``: extra
    Processes columns, e.g. a capacity)."""
    rec["Products"].append({"product": "MAG"})
    rec["Sites"].append({"site": "P", "type": "magnet_plant", "country": "US"})
    rec["Processes"].append({"process": "make", "site": "P", **process})
    rec["ProcessFlows"] += [
        {"process": "make", "product": "X", "direction": "in", "quantity": 1},
        {"process": "make", "product": "MAG", "direction": "out", "quantity": 1},
    ]


# ------------------------------------------------------------------ 1. partial approval denies volume


@pytest.mark.covers("c_licence_ship", "c_licence_file")
def test_half_approval_with_no_delay_licenses_half_the_requirement() -> None:
    """2 t available, 2 t demanded, 50% approval, delay 0. The buyers file for their requirement
    (2 t); half is licensed: 1 t ships, 1 t is short. Cost 1 x 1 + 1 x 100 = 101.
    Before: the application left and re-entered the same balance row; 4 t "applied", 2 t shipped, cost 2."""
    rec = base(1, 2.0, {"approval_share": 0.5})
    rec["Processes"][0]["capacity"] = 2
    sol = solve(rec)
    assert sol.objective == pytest.approx(101.0)
    assert sol.licences["applied"].sum() == pytest.approx(2.0)
    assert sol.licences["approved"].sum() == pytest.approx(1.0)
    assert sol.licence_shipped["shipped"].sum() == pytest.approx(1.0)


def test_one_percent_approval_carries_one_percent_of_the_reference_volume() -> None:
    """ExportControls.reference_volume 50 t/period, 1% approval: 0.5 t licensed a period whatever the
    demand (60 t): ships 0.5, short 59.5; cost 0.5 + 5,950 = 5,950.5."""
    rec = base(1, 60.0, {"approval_share": 0.01, "reference_volume": 50})
    sol = solve(rec)
    assert sol.licence_shipped["shipped"].sum() == pytest.approx(0.5)
    assert sol.objective == pytest.approx(0.5 + 59.5 * 100)


# ------------------------------------------------------------------ 2. refused volume is not re-filed


@pytest.mark.covers("c_licence_ship", "c_licence_file")
@pytest.mark.parametrize(("advance", "shipped"), [(0, 3.0), (None, 4.0)])
def test_refused_volume_is_lost_not_refiled(advance: int | None, shipped: float) -> None:
    """Four quarters, 2 t demand each, 50% approval, review one quarter, no storage.
    Filings (cumulative) may not exceed the requirement through H periods ahead.
    - H = 0: at most 2 t filed a quarter; filings of P1-P3 are decided in P2-P4 at 50%: 1 t each,
      3 t shipped, 5 t short: cost 3 + 500 = 503.
    - H blank (one year = 3 quarters ahead): all 8 t of the year's requirement can be filed, half
      is licensed: 4 t ship (2 t in each of two quarters; P1 has no decided filing), 4 t short: 404.
    Before: the refused half came back to the mine to be filed again; here (no storage, no
    disposal) that chain had nowhere to end, so nothing shipped at all: cost 800."""
    rule: dict[str, Any] = {"approval_share": 0.5, "review_delay": 1}
    if advance is not None:
        rule["advance_periods"] = advance
    sol = solve(base(4, 2.0, rule))
    assert sol.licence_shipped["shipped"].sum() == pytest.approx(shipped)
    assert sol.objective == pytest.approx(shipped + (8 - shipped) * 100)
    assert sol.licences["approved"].sum() == pytest.approx(shipped)


# ------------------------------------------------------------------ 3. no free storage


@pytest.mark.covers("c_licence_ship")
def test_an_application_stores_nothing() -> None:
    """The CN mine can produce only in P1 (capacity 0 in P2); a Chinese customer DCN wants 1 t in P2;
    nothing can be stored. The only way to carry a tonne into P2 would be to park it in a licence
    review (delay 1) and take it back: that is not possible, so 1 t is short: cost 100.
    Before: applied in P1, the tonne returned to CN in P2 and was sold domestically: cost 1."""
    rec = base(2, 0.0, {"review_delay": 1})
    rec["Demand"] = [{"site": "DCN", "product": "X", "period": "P2", "quantity": 1, "shortage_penalty": 100}]
    rec["Sites"].append({"site": "DCN", "type": "demand_region", "country": "CN"})
    rec["Lanes"].append({"lane": "LDOM", "origin": "CN", "destination": "DCN"})
    rec["ScenarioChanges"] = [
        {
            "scenario": "",
            "table": "Processes",
            "filter": "process=mine",
            "column": "capacity",
            "action": "set",
            "value": 0,
            "start_period": "P2",
        }
    ]
    sol = solve(rec)
    assert sol.objective == pytest.approx(100.0)


# ------------------------------------------------------------------ 4. outcome unknown when filing


@pytest.mark.covers("c_licence_ship")
def test_an_application_filed_before_the_reveal_is_decided_under_the_scenario() -> None:
    """Review one period; demand 1 t at D in P2; an Australian supplier at 11/t. Scenario BAN (50%)
    refuses every licence from P2 (the reveal). The P1 application is decided in P2, under BAN's
    regime: no Chinese tonne arrives in BAN. Expected cost 0.5 x 1 + 0.5 x 11 = 6.
    Before: the P1 application got the base share (1), so BAN shipped Chinese material too: cost 1."""
    rec = base(2, 0.0, {"review_delay": 1})
    rec["Demand"] = [{"site": "D", "product": "X", "period": "P2", "quantity": 1, "shortage_penalty": 100}]
    rec["Sites"].append({"site": "AU", "type": "supplier", "country": "AU"})
    rec["Contracts"] = [{"contract": "KAU", "supplier": "AU", "product": "X", "price": 11}]
    rec["Lanes"].append({"lane": "LAU", "origin": "AU", "destination": "D"})
    rec["Scenarios"] = [{"scenario": "OPEN", "probability": 0.5}, {"scenario": "BAN", "probability": 0.5}]
    rec["ScenarioChanges"] = [
        {
            "scenario": "BAN",
            "table": "ExportControls",
            "filter": "rule=R",
            "column": "approval_share",
            "value": 0,
        }
    ]
    sol = solve(rec, reveal_period="P2")
    assert sol.objective == pytest.approx(6.0)
    ban = sol.flows[sol.flows["scenario"] == "BAN"]
    assert set(ban["lane"]) == {"LAU"}


# ------------------------------------------------------------------ 5. end use per shipment


@pytest.mark.covers("c_licence_ship", "c_licence_declared_flow", "c_licence_declared_use")
def test_a_defence_ban_leaves_civil_customers_at_the_same_site_served() -> None:
    """D has 1 t of civil demand (penalty 100) and 1 t of defence demand (penalty 1,000) in P1; rule R
    covers defence end use only and approves nothing. Civil demand is served from China (declared
    civil); defence goes short: cost 1 + 1,000 = 1,001.
    Before: the whole site was covered: both short, cost 1,100."""
    rec = base(1, 0.0, {"end_use": "defence", "approval_share": 0.0})
    rec["Demand"] = [
        {"site": "D", "product": "X", "period": "P1", "quantity": 1, "shortage_penalty": 100},
        {
            "site": "D",
            "product": "X",
            "period": "P1",
            "quantity": 1,
            "shortage_penalty": 1000,
            "customer_class": "defence",
        },
    ]
    sol = solve(rec)
    assert sol.objective == pytest.approx(1001.0)
    short = (
        sol.shortages.set_index("customer_class")["shortage"] if "customer_class" in sol.shortages else None
    )
    if short is not None:
        assert short["defence"] == pytest.approx(1.0)


@pytest.mark.covers("c_licence_ship")
def test_a_defence_ban_covers_the_plant_that_supplies_defence() -> None:
    """Chinese oxide goes to a US plant P that makes magnets (1:1) only for a defence customer
    (1 t, penalty 1,000). The plant is a defence end user for the rule: nothing is licensed,
    the defence customer goes short: cost 1,000.
    Before: a site without demand counted as civil, the ban did not apply: cost 1."""
    rec = base(1, 0.0, {"end_use": "defence", "approval_share": 0.0})
    add_plant(rec)
    rec["Lanes"] = [
        {"lane": "LCN", "origin": "CN", "destination": "P"},
        {"lane": "LP", "origin": "P", "destination": "D"},
    ]
    rec["Demand"] = [
        {
            "site": "D",
            "product": "MAG",
            "period": "P1",
            "quantity": 1,
            "shortage_penalty": 1000,
            "customer_class": "defence",
        }
    ]
    sol = solve(rec)
    assert sol.objective == pytest.approx(1000.0)


# ------------------------------------------------------------------ 6. one definition of coverage


@pytest.mark.covers("c_licence_ship")
@pytest.mark.parametrize("other_content_rule", [False, True])
def test_reexport_through_china_is_covered_with_or_without_content_tracking(other_content_rule: bool) -> None:
    """Australian X (1/t) reaches D only through a Chinese hub; rule R bans X exports from China.
    Shipments from the hub are exports from China whatever the material's origin: D goes short
    (cost 100), whether or not another rule (on product Y) switches on content tracking.
    Before: with the content rule, Australian material at the hub was 'free' and not covered: cost 1."""
    rec = base(1, 1.0, {"approval_share": 0.0})
    rec["Sites"] = [
        {"site": "AU", "type": "mine", "country": "AU"},
        {"site": "HUB", "type": "warehouse", "country": "CN"},
        {"site": "D", "type": "demand_region", "country": "US"},
    ]
    rec["Processes"][0]["site"] = "AU"
    rec["Lanes"] = [
        {"lane": "L1", "origin": "AU", "destination": "HUB"},
        {"lane": "L2", "origin": "HUB", "destination": "D"},
    ]
    if other_content_rule:
        rec["Products"].append({"product": "Y"})
        rec["ExportControls"].append(
            {"rule": "R2", "country": "CN", "product": "Y", "content_threshold": 0.25}
        )
    sol = solve(rec)
    assert sol.objective == pytest.approx(100.0)


# ------------------------------------------------------------------ 7. origin content accumulates


def accumulation_case() -> Records:
    """Oxide OX: CN 10/t, AU 30/t. Vietnam makes metal MET from OX (1:1). Korea makes a magnet MAG
    from 1 MET + 1 DY; DY: CN 10/t, JP 50/t. Values 100 per t of OX, MET and DY. Rule R bans MAG
    to the US above 25% Chinese content by value (200 per t of inputs: at most 50 Chinese)."""
    return {
        "Periods": periods(1),
        "Products": [
            {"product": "OX", "value": 100},
            {"product": "MET", "value": 100},
            {"product": "DY", "value": 100},
            {"product": "MAG", "value": 200},
        ],
        "Sites": [
            {"site": "CN", "type": "refinery", "country": "CN"},
            {"site": "AU", "type": "refinery", "country": "AU"},
            {"site": "JP", "type": "refinery", "country": "JP"},
            {"site": "VN", "type": "metal_plant", "country": "VN"},
            {"site": "KR", "type": "magnet_plant", "country": "KR"},
            {"site": "US", "type": "demand_region", "country": "US"},
        ],
        "Processes": [
            {"process": "oxcn", "site": "CN", "cost_variable": 10},
            {"process": "dycn", "site": "CN", "cost_variable": 10},
            {"process": "oxau", "site": "AU", "cost_variable": 30},
            {"process": "dyjp", "site": "JP", "cost_variable": 50},
            {"process": "metal", "site": "VN"},
            {"process": "magnet", "site": "KR"},
        ],
        "ProcessFlows": [
            {"process": "oxcn", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "dycn", "product": "DY", "direction": "out", "quantity": 1},
            {"process": "oxau", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "dyjp", "product": "DY", "direction": "out", "quantity": 1},
            {"process": "metal", "product": "OX", "direction": "in", "quantity": 1},
            {"process": "metal", "product": "MET", "direction": "out", "quantity": 1},
            {"process": "magnet", "product": "MET", "direction": "in", "quantity": 1},
            {"process": "magnet", "product": "DY", "direction": "in", "quantity": 1},
            {"process": "magnet", "product": "MAG", "direction": "out", "quantity": 1},
        ],
        "Lanes": [
            {"lane": "L1", "origin": "CN", "destination": "VN", "product": "OX"},
            {"lane": "L2", "origin": "AU", "destination": "VN", "product": "OX"},
            {"lane": "L3", "origin": "VN", "destination": "KR", "product": "MET"},
            {"lane": "L4", "origin": "CN", "destination": "KR", "product": "DY"},
            {"lane": "L5", "origin": "JP", "destination": "KR", "product": "DY"},
            {"lane": "L6", "origin": "KR", "destination": "US", "product": "MAG"},
        ],
        "Demand": [
            {"site": "US", "product": "MAG", "period": "P1", "quantity": 1, "shortage_penalty": 10_000}
        ],
        "ExportControls": [
            {"rule": "R", "country": "CN", "product": "MAG", "content_threshold": 0.25, "approval_share": 0.0}
        ],
    }


@pytest.mark.covers("c_content_use", "c_content_share")
def test_content_accumulates_across_stages() -> None:
    """A share s of the metal made with 25% Chinese oxide (cost 25 a tonne) counts at the 25% threshold
    in the magnet, the rest all-Australian (30); Chinese DY y: 100 y + 25 s <= 50. Cost
    25 s + 30 (1 - s) + 10 y + 50 (1 - y) = 80 - 5 s - 40 y; with y = 0.5 - 0.25 s: 60 + 5 s,
    least at s = 0: all-Australian metal and half Chinese DY, cost 60 (true content 25%).
    Before: metal below the threshold counted as content-free: 25% Chinese metal and half Chinese DY,
    cost 55, a magnet with 37.5% Chinese content passing a 25% rule."""
    sol = solve(accumulation_case())
    assert sol.objective == pytest.approx(60.0)


# ------------------------------------------------------------------ 8. sub-period review times


@pytest.mark.covers("c_licence_ship")
def test_a_review_of_seven_tenths_of_a_quarter() -> None:
    """Demand 1 t a quarter for four quarters, review 0.7 of a quarter, full approval, filing only
    for the current quarter (advance 0). Filed evenly through a quarter, 30% is decided in it and
    70% in the next: licensed 0.3, 1, 1, 1 -> 0.7 t short in P1. Cost 3.3 + 70 = 73.3."""
    sol = solve(base(4, 1.0, {"review_delay": 0.7, "advance_periods": 0}))
    assert sol.objective == pytest.approx(3.3 + 70.0)


def test_scenario_changes_that_make_whole_period_columns_fractional_are_refused() -> None:
    """add 0.5 to Lanes.transit_periods is refused with the ScenarioChanges row; add 0.5 to the
    (fractional) review delay is accepted and used."""
    rec = base(2, 1.0)
    rec["Scenarios"] = [{"scenario": "S", "probability": 1.0}]
    rec["ScenarioChanges"] = [
        {
            "scenario": "S",
            "table": "Lanes",
            "filter": "lane=LCN",
            "column": "transit_periods",
            "action": "add",
            "value": 0.5,
        }
    ]
    with pytest.raises(InputError) as err:
        solve_data(from_records(rec, {}), TIGHT)
    (issue,) = err.value.issues
    assert (issue.sheet, issue.row, issue.column) == ("ScenarioChanges", 2, "value")
    assert "whole numbers" in issue.message
    rec["ScenarioChanges"][0].update(
        {"table": "ExportControls", "filter": "rule=R", "column": "review_delay"}
    )
    rec["ExportControls"][0]["advance_periods"] = 0
    sol = solve(rec)
    # 50% of P1's filing is decided in P1: 0.5 t short in P1, none in P2. Cost 1.5 + 50.
    assert sol.objective == pytest.approx(1.5 + 50.0)


def test_changes_outside_a_columns_range_are_refused() -> None:
    """multiply approval_share by 5 would make it 5: refused, located."""
    rec = base(1, 1.0, {"approval_share": 0.5})
    rec["Scenarios"] = [{"scenario": "S", "probability": 1.0}]
    rec["ScenarioChanges"] = [
        {
            "scenario": "S",
            "table": "ExportControls",
            "filter": "rule=R",
            "column": "approval_share",
            "action": "multiply",
            "value": 5,
        }
    ]
    with pytest.raises(InputError, match="above its maximum 1"):
        solve_data(from_records(rec, {}), TIGHT)


@pytest.mark.parametrize(
    ("rule", "warned"),
    [
        ({"approval_share": 0.5}, True),
        ({"approval_share": 0.0}, False),
        ({"approval_share": 0.5, "reference_volume": 10}, False),
    ],
)
def test_a_partial_share_on_a_derived_plant_requirement_is_flagged(
    rule: dict[str, Any], warned: bool
) -> None:
    """A covered plant counts at installed capacity (an upper bound of what it buys): the validator
    says so at the ExportControls row when a share strictly between 0 and 1 rests on it."""
    from planner.validate import validate

    rec = base(1, 0.0, rule)
    add_plant(rec, capacity=10)
    issues = [i for i in validate(from_records(rec, {})) if i.code == "derived_requirement"]
    assert len(issues) == int(warned)
    if warned:
        assert (issues[0].sheet, issues[0].column) == ("ExportControls", "reference_volume")
        assert "P" in issues[0].message


def plant_case(capacity: float | None, reference_volume: float | None) -> Records:
    """CN mine (1/t) ships X to a US plant P, which makes MAG from X (1:1, no cost) for demand
    D of 2 t per period (penalty 100); rule R on X at 50% approval, filed against the plant's
    requirement (its capacity) unless a reference volume is given."""
    rule: dict[str, Any] = {"approval_share": 0.5}
    if reference_volume is not None:
        rule["reference_volume"] = reference_volume
    rec = base(1, 0.0, rule)
    rec["Demand"] = [{"site": "D", "product": "MAG", "period": "P1", "quantity": 2, "shortage_penalty": 100}]
    add_plant(rec, **({} if capacity is None else {"capacity": capacity}))
    rec["Lanes"] = [
        {"lane": "LCN", "origin": "CN", "destination": "P"},
        {"lane": "LPD", "origin": "P", "destination": "D"},
    ]
    return rec


@pytest.mark.parametrize(
    ("capacity", "reference_volume", "objective", "message"),
    [
        (2.0, None, 1.0 + 100.0, "installed capacity of 1 covered plant"),
        (None, None, 2.0, "the share denies nothing"),
        (None, 2.0, 1.0 + 100.0, None),
    ],
)
def test_a_plant_without_capacity_makes_the_derived_requirement_unlimited(
    capacity: float | None, reference_volume: float | None, objective: float, message: str | None
) -> None:
    """The requirement counts P at installed capacity. At capacity 2 the buyers file 2 t, half is
    licensed: 1 t of X ships (cost 1), 1 t of MAG is short (100): 101. With P's capacity blank the
    requirement is unlimited: the buyers file any volume, 50% of it covers the 2 t, nothing is
    short: cost 2, and the validator says the share denies nothing. A reference volume of 2 t
    restores 101 without a capacity."""
    from planner.validate import validate

    rec = plant_case(capacity, reference_volume)
    assert solve(rec).objective == pytest.approx(objective)
    issues = [i for i in validate(from_records(rec, {})) if i.code == "derived_requirement"]
    assert len(issues) == int(message is not None)
    if message:
        assert (issues[0].sheet, issues[0].row, issues[0].column) == ("ExportControls", 2, "reference_volume")
        assert message in issues[0].message
