"""Regimes revealed in steps: a three-stage scenario tree (issue #17, item 2).

Settings.reveal_period_2 and Scenarios.stage1_group declare the tree: before reveal_period every
scenario shares the ROOT node, between the reveals the scenarios of one stage1_group share the
group's node, after reveal_period_2 each scenario has its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pyomo.environ as pyo
import pytest

from planner.api import solve_data
from planner.config import SolveOptions
from planner.errors import Issue
from planner.model.stochastic import scenario_creator
from planner.network import ROOT, build_network
from planner.solution import Solution, balance_residuals
from planner.tables import InputData, from_records
from planner.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "inputs"))
from build_tiny import TINY_OBJECTIVE, build_data  # noqa: E402

EXACT = SolveOptions(mip_gap=0.0, time_limit=60)
PERIODS = ("P1", "P2", "P3")


def tree_records(grouped: bool = True) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """EU needs 10 t of MAG in each of P1..P3 (shortage 1,000/t; money in $1,000). CN sells at 50/t,
    JP at 80/t (at most 10 t a period) once lane JP-EU is qualified: 200 one-off, lead time 0, decided
    at the reveal. EU may hold up to 6 t at 10/t per period. Scenarios: OPEN (0.5), TENSE_OK (0.25) and
    TENSE_BAN (0.25); only TENSE_BAN stops CN licences, from P3. Reveals: P2 tells OPEN from TENSE
    (stage1_group TENSE of TENSE_OK and TENSE_BAN), P3 tells TENSE_OK from TENSE_BAN. With
    ``grouped=False`` the stage1_group is blank: every scenario is known at P2 (one reveal)."""
    group = "TENSE" if grouped else ""
    records: dict[str, list[dict[str, Any]]] = {
        "Periods": [{"period": p} for p in PERIODS],
        "Products": [{"product": "MAG", "stage": "magnet", "value": 50}],
        "Sites": [
            {"site": "CN", "type": "supplier", "country": "CN"},
            {"site": "JP", "type": "supplier", "country": "JP"},
            {"site": "EU", "type": "demand_region", "country": "DE"},
        ],
        "Contracts": [
            {"contract": "K_CN", "supplier": "CN", "product": "MAG", "price": 50},
            {"contract": "K_JP", "supplier": "JP", "product": "MAG", "price": 80},
        ],
        "Lanes": [
            {"lane": "CN-EU", "origin": "CN", "destination": "EU", "product": "MAG"},
            {
                "lane": "JP-EU",
                "origin": "JP",
                "destination": "EU",
                "product": "MAG",
                "capacity": 10,
                "qualification": True,
                "cost_qualification": 200,
                "lead_time_qualification": 0,
                "decide": "at_reveal",
            },
        ],
        "Demand": [
            {"site": "EU", "product": "MAG", "period": p, "quantity": 10, "shortage_penalty": 1000}
            for p in PERIODS
        ],
        "Inventory": [{"site": "EU", "product": "MAG", "max_stock": 6, "cost_holding": 10}],
        "ExportControls": [{"rule": "CN_MAG", "country": "CN", "product": "MAG", "approval_share": 1.0}],
        "Scenarios": [
            {"scenario": "OPEN", "probability": 0.5},
            {"scenario": "TENSE_OK", "probability": 0.25, "stage1_group": group},
            {"scenario": "TENSE_BAN", "probability": 0.25, "stage1_group": group},
        ],
        "ScenarioChanges": [
            {
                "scenario": "TENSE_BAN",
                "table": "ExportControls",
                "filter": "rule=CN_MAG",
                "column": "approval_share",
                "action": "set",
                "value": 0.0,
                "start_period": "P3",
            }
        ],
    }
    settings = {"reveal_period": "P2", "reveal_period_2": "P3", "shortage_penalty": 1000, "mip_gap": 0.0}
    return records, settings


def tree_data(grouped: bool = True) -> InputData:
    records, settings = tree_records(grouped)
    return from_records(records, settings)


def solve(data: InputData) -> Solution:
    assert [i for i in validate(data) if i.severity == "error"] == []
    sol = solve_data(data, EXACT)
    assert sol.proven_optimal
    assert balance_residuals(sol, sol.extra["network"]).empty
    assert sol.expected_cost == pytest.approx(sol.objective, rel=1e-9, abs=1e-9)
    return sol


def test_tree_nodes_follow_the_stage1_groups() -> None:
    net = build_network(tree_data())
    assert net.multi_reveal
    assert [net.node(t, "TENSE_BAN") for t in range(3)] == [ROOT, "TENSE", "TENSE_BAN"]
    assert [net.node(t, "OPEN") for t in range(3)] == [ROOT, "OPEN", "OPEN"]
    assert net.nodes() == [
        (0, ROOT),
        (1, "OPEN"),
        (1, "TENSE"),
        (2, "OPEN"),
        (2, "TENSE_OK"),
        (2, "TENSE_BAN"),
    ]
    assert net.node_scenarios("TENSE") == ["TENSE_OK", "TENSE_BAN"]
    assert net.node(0, "TENSE") == ROOT
    assert net.node(1, "TENSE") == "TENSE"


def test_three_stage_tree_solved_by_hand_costs_1660() -> None:
    """Money in $1,000. P1 (ROOT): buy 10 t from CN (500); stock for later costs 50 + 10 a period,
    never below buying at the first reveal (P2) and holding one period (60), so none.

    P2, node OPEN (CN stays open): buy 10 t from CN, stock nothing (60 > 50), P3 from CN:
    OPEN = 500 + 500 + 500 = 1,500; no JP qualification.

    P2, node TENSE (TENSE_OK and TENSE_BAN cannot be told apart; each 0.5 given TENSE): qualify JP-EU
    at the first reveal (200) or not, and stock s <= 6 t for P3 at 60 a tonne.

    * Qualified: a tonne needed in P3 costs 0.5 x 50 + 0.5 x 80 = 65 > 60, so s = 6; P3 buys 4 t from
      CN (TENSE_OK, 200) or JP (TENSE_BAN, 320). TENSE_OK = 500 + 500 + 200 + 360 + 200 = 1,760,
      TENSE_BAN = 500 + 500 + 200 + 360 + 320 = 1,880: 1,820 given TENSE.
    * Not qualified: a P3 tonne costs 0.5 x 50 + 0.5 x 1,000 = 525 > 60, s = 6; TENSE_OK = 1,560,
      TENSE_BAN = 1,000 + 360 + 4 x 1,000 = 5,360: 3,460 given TENSE.

    So TENSE qualifies and stocks 6 t, in both TENSE scenarios alike (TENSE_OK alone would do neither).
    E = 0.5 x 1,500 + 0.25 x 1,760 + 0.25 x 1,880 = **1,660**.
    """
    sol = solve(tree_data())
    assert sol.objective == pytest.approx(1_660.0, rel=1e-9)
    totals = sol.scenarios.set_index("scenario")["total_cost"]
    assert totals["OPEN"] == pytest.approx(1_500.0, rel=1e-9)
    assert totals["TENSE_OK"] == pytest.approx(1_760.0, rel=1e-9)
    assert totals["TENSE_BAN"] == pytest.approx(1_880.0, rel=1e-9)
    m = sol.extra["model"]
    # the P2 decision is one per stage-1 node: shared by TENSE_OK and TENSE_BAN, different from OPEN
    stock = {w: float(m.v_inventory["EU", "MAG", "", 1, w].value) for w in ("OPEN", "TENSE")}
    assert stock == pytest.approx({"OPEN": 0.0, "TENSE": 6.0})
    assert ("EU", "MAG", "", 1, "TENSE_OK") not in m.v_inventory
    by_scen = sol.inventory.set_index(["period", "scenario"])["stock"]
    assert by_scen[("P2", "TENSE_OK")] == pytest.approx(6.0)
    assert by_scen[("P2", "TENSE_BAN")] == pytest.approx(6.0)
    assert by_scen[("P2", "OPEN")] == pytest.approx(0.0)
    # the waited qualification is taken at the first reveal, per stage-1 node
    qual = {k: round(float(v.value), 6) for k, v in m.v_qualify_wait.items()}
    assert qual == {("JP-EU", "OPEN"): 0.0, ("JP-EU", "TENSE"): 1.0}
    # stage costs: ROOT is stage 1 (P1 purchases); a TENSE node cost counts in both its scenarios
    assert float(m.e_cost_stage1()) == pytest.approx(500.0, rel=1e-9)
    assert float(m.e_cost_stage2["TENSE_OK"]()) == pytest.approx(1_260.0, rel=1e-9)
    stages = sol.scenarios.set_index("scenario")
    assert stages.at["TENSE_BAN", "stage1_cost"] == pytest.approx(500.0, rel=1e-9)
    assert stages.at["TENSE_BAN", "stage2_cost"] == pytest.approx(1_380.0, rel=1e-9)


def test_knowing_the_branch_at_the_first_reveal_is_worth_65() -> None:
    """The same case with the stage1_group left blank: every scenario is known at P2 (one reveal).
    OPEN = TENSE_OK = 1,500 (no stock, no JP); TENSE_BAN knows the ban at P2: stock 6 (360), qualify
    JP (200) and buy 4 t there (320), 1,000 + 880 = 1,880 (without JP: 1,360 + 4,000; without stock:
    1,000 + 200 + 800 = 2,000). E = 0.75 x 1,500 + 0.25 x 1,880 = 1,595, 65 below the tree's 1,660."""
    sol = solve(tree_data(grouped=False))
    assert not sol.extra["network"].multi_reveal
    assert sol.objective == pytest.approx(1_595.0, rel=1e-9)


def test_one_reveal_workbooks_keep_their_objective() -> None:
    """tiny (one reveal, no tree columns) still solves to its hand value 1,290,000; the ungrouped case
    above solves to 1,595 with or without a reveal_period_2 that no stage1_group uses (the same tree)."""
    assert solve(build_data()).objective == pytest.approx(TINY_OBJECTIVE, rel=1e-9)
    records, settings = tree_records(grouped=False)
    del settings["reveal_period_2"]
    one = from_records(records, settings)
    assert build_network(one).nodes() == build_network(tree_data(grouped=False)).nodes()
    assert solve(one).objective == pytest.approx(1_595.0, rel=1e-9)


def test_mpisppy_scenario_creator_attaches_the_tree() -> None:
    """mpi-sppy's tree: ROOT (stage 1: P1's operations), ROOT_0 = OPEN and ROOT_1 = TENSE (stage 2, in
    the order the groups first appear: P2's operations and the JP qualification taken at the first
    reveal), leaves ROOT_k_j per scenario. Every stage-2 node has as many non-anticipative variables
    (mpi-sppy needs it), conditional probability the group's (0.5 each); the leaf's 0.25 / 0.5 follows
    from ``_mpisppy_probability``. The TENSE node's cost is what TENSE fixes: 16 t from CN at P2 (800),
    6 t held (60) and the JP qualification (200), 1,060 (the hand solution of the test above)."""
    pytest.importorskip("mpisppy")
    from planner.model.stochastic import mpisppy_tree, stage2_nodes

    net = build_network(tree_data())
    assert stage2_nodes(net) == {"OPEN": 0, "TENSE": 1}
    assert mpisppy_tree(net) == (
        ["OPEN", "TENSE_OK", "TENSE_BAN"],
        ["ROOT", "ROOT_0", "ROOT_1", "ROOT_0_0", "ROOT_1_0", "ROOT_1_1"],
    )
    models = {s: scenario_creator(s, net=net) for s in net.scenarios}  # alive: their vars keep their names
    nodes = {s: m._mpisppy_node_list for s, m in models.items()}
    assert {s: [(n.name, n.stage, n.cond_prob) for n in lst] for s, lst in nodes.items()} == {
        "OPEN": [("ROOT", 1, 1.0), ("ROOT_0", 2, 0.5)],
        "TENSE_OK": [("ROOT", 1, 1.0), ("ROOT_1", 2, 0.5)],
        "TENSE_BAN": [("ROOT", 1, 1.0), ("ROOT_1", 2, 0.5)],
    }
    names = {s: [[v.name for v in n.nonant_vardata_list] for n in lst] for s, lst in nodes.items()}
    assert names["TENSE_OK"] == names["TENSE_BAN"]
    assert names["OPEN"][0] == names["TENSE_OK"][0]
    assert all(v.endswith(",ROOT]") for v in names["OPEN"][0])
    assert "v_purchase[K_CN,0,ROOT]" in names["OPEN"][0]
    assert names["TENSE_OK"][1] == [
        "v_qualify_wait[JP-EU,TENSE]",
        "v_flow[CN-EU,MAG,,1,TENSE]",
        "v_flow[JP-EU,MAG,,1,TENSE]",
        "v_purchase[K_CN,1,TENSE]",
        "v_purchase[K_JP,1,TENSE]",
        "v_inventory[EU,MAG,,1,TENSE]",
        "v_shortage[1,TENSE]",
        "v_apply[CN_MAG,MAG,1,TENSE]",
    ]
    # OPEN is its own group: its P3 variables (also labelled OPEN) stay at the leaf
    assert names["OPEN"][1] == [v.replace("TENSE", "OPEN") for v in names["TENSE_OK"][1]]
    m = scenario_creator("TENSE_BAN", net=net)
    for var in m.component_data_objects(pyo.Var):
        var.value = 0.0
    m.v_purchase["K_CN", 1, "TENSE"].value = 16.0
    m.v_inventory["EU", "MAG", "", 1, "TENSE"].value = 6.0
    m.v_qualify_wait["JP-EU", "TENSE"].value = 1.0
    m.v_purchase["K_JP", 2, "TENSE_BAN"].value = 4.0  # a leaf cost, not the node's
    assert float(m.e_cost_stage2_node()) == pytest.approx(1_060.0, rel=1e-9)


def _errors(data: InputData) -> list[Issue]:
    return [i for i in validate(data) if i.severity == "error"]


def test_validator_locates_a_stage1_group_naming_another_scenario() -> None:
    records, settings = tree_records()
    records["Scenarios"][2]["stage1_group"] = "TENSE_OK"
    (issue,) = _errors(from_records(records, settings))
    assert (issue.sheet, issue.row, issue.column, issue.code) == (
        "Scenarios",
        4,
        "stage1_group",
        "tree_label",
    )
    assert "another scenario" in issue.message
    assert "label of its own" in issue.message


def test_validator_locates_a_tree_without_its_second_reveal() -> None:
    records, settings = tree_records()
    del settings["reveal_period_2"]
    issues = _errors(from_records(records, settings))
    assert {(i.sheet, i.row, i.column, i.code) for i in issues} == {
        ("Scenarios", 3, "stage1_group", "tree_without_reveal_2"),
        ("Scenarios", 4, "stage1_group", "tree_without_reveal_2"),
    }
    assert all("reveal_period_2" in i.message for i in issues)


def test_validator_locates_a_second_reveal_not_after_the_first() -> None:
    records, settings = tree_records()
    settings["reveal_period_2"] = "P1"
    issues = _errors(from_records(records, settings))
    assert [(i.sheet, i.column, i.code) for i in issues if i.code == "reveal_order"] == [
        ("Settings", "value", "reveal_order")
    ]


def test_validator_refuses_a_group_mate_that_differs_before_the_second_reveal() -> None:
    records, settings = tree_records()
    records["ScenarioChanges"][0]["start_period"] = "P2"
    (issue,) = _errors(from_records(records, settings))
    assert (issue.sheet, issue.row, issue.column) == ("ScenarioChanges", 2, "start_period")
    assert "shares stage1_group 'TENSE' with TENSE_OK" in issue.message


def test_sampled_draws_keep_their_regime_branch() -> None:
    """A sample of the tree (no Distributions: each draw is a regime) keeps the stage1_group of each
    regime, so the sampled model has the same tree: one TENSE node at P2 for the TENSE draws, one node
    per OPEN draw (the objective is not checked here: the probabilities are sampled)."""
    from planner.sampling import sample_data

    sampled = sample_data(tree_data(), 40, seed=3)
    net = build_network(sampled)
    groups = {s: net.stage1_group[s] for s in net.scenarios}
    assert {g for s, g in groups.items() if "TENSE" in s} == {"TENSE"}
    assert all(g == s for s, g in groups.items() if s.endswith("_OPEN"))
    assert {w for t, w in net.nodes() if t == 1} == {"TENSE"} | {
        s for s in net.scenarios if s.endswith("_OPEN")
    }


def test_stochastic_values_on_the_tree() -> None:
    """Wait-and-see (each scenario alone, money in $1,000): OPEN 1,500; TENSE_OK 1,500 (no stock, no
    JP); TENSE_BAN 1,880 (stock 6 at 60, qualify JP 200, 4 t from JP 320, plus 1,000 for P1-P2), so
    WS = 0.5 x 1,500 + 0.25 x 1,500 + 0.25 x 1,880 = 1,595 and EVPI = 1,660 - 1,595 = 65. The only
    first-stage decision of the EV plan is P1's 10 t from CN (stock from P1 costs 70 a tonne, above
    buying at P2 and holding, 60), which the tree's plan takes too: EEV = 1,660, VSS = 0. The waited
    JP qualification is paid in the TENSE branch only: 0.5 x 200 = 100 in expectation."""
    from planner.api import stochastic_values
    from planner.metrics import compute_metrics

    out = stochastic_values(tree_data(), EXACT)
    assert out["RP"] == pytest.approx(1_660.0, rel=1e-9)
    assert out["WS"] == pytest.approx(1_595.0, rel=1e-9)
    assert out["EVPI"] == pytest.approx(65.0, rel=1e-6)
    assert out["EEV"] == pytest.approx(1_660.0, rel=1e-9)
    assert out["VSS"] == pytest.approx(0.0, abs=1e-6)
    sol = solve(tree_data())
    assert compute_metrics(sol, sol.extra["network"]).wait_capex == pytest.approx(100.0, rel=1e-9)


def test_validator_locates_a_second_reveal_that_is_not_a_period() -> None:
    records, settings = tree_records()
    settings["reveal_period_2"] = "P9"
    (issue,) = _errors(from_records(records, settings))
    assert (issue.sheet, issue.column, issue.code) == ("Settings", "value", "unknown_period")
    assert "reveal_period_2 'P9' is not a period" in issue.message


@pytest.mark.parametrize(("scenario", "cost"), [("OPEN", 1_000_000.0), ("BAN", 1_380_000.0)])
def test_a_model_of_one_scenario_of_the_network_is_that_scenarios_own_problem(
    scenario: str, cost: float
) -> None:
    """tiny, one scenario at a time, by hand ($1,000): OPEN buys 10 t from CN in each period, 1,000.
    BAN stocks the most allowed in P1 (6 t at 50 + 10 held, 60 a tonne, below JP's 80), qualifies
    JP (200) and buys the other 4 t there: 500 + 360 + 200 + 320 = 1,380. Built from the
    two-scenario network, the model must weigh the scenario by 1, not by its 0.7 or 0.3 (which
    gave 850 and 940, and for BAN a plan costing 1,500); the same as a one-scenario network."""
    from planner.api import solve
    from planner.model.build import build_model

    data = build_data()
    for net in (build_network(data), build_network(data, scenarios=[scenario])):
        m = build_model(net, scenarios=[scenario])
        result = solve(m, SolveOptions(threads=1, mip_gap=0.0))
        assert result.objective == pytest.approx(cost, rel=1e-9)
        assert m.e_cost_stage1() + m.e_cost_stage2[scenario]() == pytest.approx(cost, rel=1e-9)
