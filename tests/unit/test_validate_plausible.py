"""Valid entries that would silently change the plan get a located warning with what to do."""

from __future__ import annotations

from typing import Any

from planner.errors import Issue
from tests.conftest import valid_records
from tests.unit.test_validate import issues_after


def only(issues: list[Issue], code: str) -> Issue:
    (issue,) = [i for i in issues if i.code == code]
    assert issue.severity == "warning"
    return issue


def test_valid_network_has_none_of_these_warnings() -> None:
    assert issues_after(lambda r: None) == []


def test_a_contract_without_a_price() -> None:
    issue = only(issues_after(lambda r: r["Contracts"][0].pop("price")), "blank_price")
    assert (issue.sheet, issue.row, issue.column) == ("Contracts", 2, "price")
    assert "costs nothing" in issue.message
    assert "enter the price" in issue.message


def test_a_coproduct_that_can_be_neither_discarded_nor_stored() -> None:
    def joint(r: dict[str, list[dict[str, Any]]]) -> None:
        r["Products"].append({"product": "LA", "name": "Lanthanum"})
        r["ProcessFlows"].append({"process": "MINING", "product": "LA", "direction": "out", "quantity": 0.5})

    stuck = {i.value: i for i in issues_after(joint) if i.code == "stuck_coproduct"}
    assert set(stuck) == {"LA", "CONC"}  # both outputs of the mine can be neither discarded nor stored
    issue = stuck["LA"]
    assert (issue.sheet, issue.column) == ("ProcessFlows", "product")
    assert issue.row == len(valid_records()["ProcessFlows"]) + 2
    assert "set Products.cost_disposal or add an Inventory row" in issue.message


def test_scenarios_without_a_reveal_period() -> None:
    issue = only(issues_after(lambda r: None, settings={"mip_gap": 0.01}), "no_reveal")
    assert (issue.sheet, issue.column) == ("Settings", "reveal_period")
    assert "perfect-foresight" in issue.message


def test_an_end_use_that_no_demand_carries_and_a_misspelt_class() -> None:
    def rules(r: dict[str, list[dict[str, Any]]]) -> None:
        r["ExportControls"][0]["end_use"] = "defence"
        for d in r["Demand"]:
            d["customer_class"] = "defense"
        r["Demand"][1].pop("shortage_penalty")

    issues = issues_after(rules)
    rule = only(issues, "end_use_unmatched")
    assert (rule.sheet, rule.row, rule.column, rule.value) == ("ExportControls", 2, "end_use", "defence")
    assert "Demand.customer_class" in rule.message
    cls = only(issues, "class_unmatched")
    assert (cls.sheet, cls.row, cls.column, cls.value) == ("Demand", 2, "customer_class", "defense")
    assert "did you mean" in cls.message.lower()


def test_a_segment_class_that_no_rule_names_is_not_a_warning() -> None:
    def rules(r: dict[str, list[dict[str, Any]]]) -> None:
        r["ExportControls"][0]["end_use"] = "defence"
        for d in r["Demand"]:
            d["customer_class"] = "automotive"
        r["Demand"][1].pop("shortage_penalty")

    assert [i for i in issues_after(rules) if i.code == "class_unmatched"] == []


def test_a_country_code_that_is_not_iso() -> None:
    def uk(r: dict[str, list[dict[str, Any]]]) -> None:
        r["Sites"][2]["country"] = "UK"
        r["Groups"][1]["member"] = "UK"

    issues = [i for i in issues_after(uk) if i.code == "country_code"]
    assert [(i.sheet, i.row, i.column) for i in issues] == [("Sites", 4, "country"), ("Groups", 3, "member")]
    assert "did you mean GB?" in issues[0].message
    assert not [
        i for i in issues_after(lambda r: r["Sites"][2].update(country="XR")) if i.code == "country_code"
    ]


def test_a_tariff_typed_as_a_percentage() -> None:
    issue = only(issues_after(lambda r: r["Lanes"][0].update(tariff_rate=25)), "tariff_percent")
    assert (issue.sheet, issue.row, issue.column) == ("Lanes", 2, "tariff_rate")
    assert "did you mean 0.25?" in issue.message


def test_a_share_typed_as_a_percentage_is_an_error_with_the_likely_value() -> None:
    issues = issues_after(lambda r: r["SourcingRules"][0].update(max_share=60))
    (issue,) = [i for i in issues if i.column == "max_share"]
    assert issue.severity == "error"
    assert "did you mean 0.6?" in issue.message


def test_a_date_in_a_period_cell_names_the_period_that_holds_it() -> None:
    issues = issues_after(lambda r: r["Demand"][0].update(period="2026-04-01"))
    (issue,) = [i for i in issues if i.code == "unknown_period"]
    assert (issue.sheet, issue.row, issue.column) == ("Demand", 2, "period")
    assert "the period that holds it is 'P2'" in issue.message


def test_a_safety_stock_penalty_that_outweighs_the_shortage_it_protects() -> None:
    """Two periods, shortage penalty 1,000 at DR/MAG: a floor penalty of 600 a period would cost 1,200
    if the stock stays drawn to the end, more than the shortage: warn, and say 500 is the most."""

    def floor(r: dict[str, list[dict[str, Any]]]) -> None:
        r["Inventory"].append(
            {"site": "DR", "product": "MAG", "initial_stock": 5, "min_stock": 5, "floor_penalty": 600}
        )

    issue = only(issues_after(floor), "floor_penalty_high")
    assert (issue.sheet, issue.row, issue.column) == ("Inventory", 3, "floor_penalty")
    assert "use at most 500" in issue.message


def test_an_implausible_magnitude_is_a_warning_and_the_solvers_infinity_an_error() -> None:
    issue = only(issues_after(lambda r: r["Sites"][1].update(cost_fixed=1e15)), "implausible_magnitude")
    assert (issue.sheet, issue.row, issue.column) == ("Sites", 3, "cost_fixed")
    assert "check the unit" in issue.message
    (error,) = [
        i for i in issues_after(lambda r: r["Sites"][1].update(cost_fixed=1e300)) if i.severity == "error"
    ]
    assert (error.sheet, error.row, error.column, error.code) == ("Sites", 3, "cost_fixed", "beyond_solver")
    assert "reads as infinite" in error.message


def test_an_implausible_setting_is_a_warning_at_its_row() -> None:
    from tests.unit.test_validate import VALID_SETTINGS

    issues = issues_after(lambda r: None, {**VALID_SETTINGS, "shortage_penalty": 1e13})
    assert only(issues, "implausible_magnitude").column == "value"
