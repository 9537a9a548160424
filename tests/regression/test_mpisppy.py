"""mpi-sppy, driven by planner's scenario_creator, reproduces planner's own extensive form."""

from __future__ import annotations

from typing import Any

import pytest

from planner.api import solve_data
from planner.config import SolveOptions
from planner.network import build_network
from planner.tables import from_records
from tests.behaviour.test_licence_risk import ban_case
from tests.behaviour.test_multistage import tree_data
from tests.model_cases import full_feature_records

pytest.importorskip("mpisppy")


def _ef_objective(data: object) -> float:
    from mpisppy.opt.ef import ExtensiveForm

    from planner.model.stochastic import scenario_creator

    net = build_network(data)  # type: ignore[arg-type]
    ef = ExtensiveForm(
        {"solver": "highs", "solver_options": {"mip_rel_gap": 1e-9}},
        net.scenarios,
        scenario_creator,
        scenario_creator_kwargs={"net": net},
    )
    ef.solve_extensive_form()
    return float(ef.get_objective_value())


@pytest.mark.parametrize("q", [0.15, 0.25])
def test_mpisppy_extensive_form_matches_planner(q: float) -> None:
    data = from_records(ban_case(q), {"reveal_period": "P2"})
    assert _ef_objective(data) == pytest.approx(
        solve_data(data, SolveOptions(mip_gap=1e-9)).objective, rel=1e-9
    )


def test_mpisppy_matches_planner_on_the_full_feature_case_risk_neutral() -> None:
    records, settings = full_feature_records()
    settings = {**settings, "risk_weight": 0.0}
    data = from_records(records, settings)
    expected = solve_data(data, SolveOptions(mip_gap=1e-9), validate=False).objective
    assert _ef_objective(data) == pytest.approx(expected, rel=1e-7)


def _tree_ef() -> Any:
    """mpi-sppy's ExtensiveForm of the hand-solved three-stage tree of tests/behaviour/test_multistage.py,
    with the node names and scenario order of planner's mpisppy_tree."""
    from mpisppy.opt.ef import ExtensiveForm

    from planner.model.stochastic import mpisppy_tree, scenario_creator

    net = build_network(tree_data())
    names, nodes = mpisppy_tree(net)
    ef = ExtensiveForm(
        {"solver": "highs", "solver_options": {"mip_rel_gap": 1e-9}},
        names,
        scenario_creator,
        scenario_creator_kwargs={"net": net},
        all_nodenames=nodes,
    )
    ef.solve_extensive_form()
    return ef


def test_mpisppy_extensive_form_of_the_three_stage_tree_costs_1660() -> None:
    """Hand value 1,660 (test_three_stage_tree_solved_by_hand_costs_1660), planner's own extensive
    form alike."""
    ef = _tree_ef()
    assert float(ef.get_objective_value()) == pytest.approx(1_660.0, rel=1e-9)
    planner_ef = solve_data(tree_data(), SolveOptions(mip_gap=0.0)).objective
    assert float(ef.get_objective_value()) == pytest.approx(planner_ef, rel=1e-9)


def test_the_stage2_node_binds_the_scenarios_of_a_group() -> None:
    """TENSE_OK alone would neither qualify JP nor stock at P2 (1,500); in mpi-sppy's EF its copy of the
    TENSE node takes TENSE_BAN's decisions: JP qualified, 6 t held, 16 t bought from CN. Without the
    stage-2 nodes (ROOT only) each TENSE scenario knows its future at P2: the one-reveal value 1,595."""
    ef = _tree_ef()
    values = {}
    for s in ("TENSE_OK", "TENSE_BAN"):
        m = getattr(ef.ef, s)
        values[s] = (
            m.v_qualify_wait["JP-EU", "TENSE"].value,
            m.v_inventory["EU", "MAG", "", 1, "TENSE"].value,
            m.v_purchase["K_CN", 1, "TENSE"].value,
        )
    assert values["TENSE_OK"] == pytest.approx((1.0, 6.0, 16.0), abs=1e-6)
    assert values["TENSE_BAN"] == pytest.approx((1.0, 6.0, 16.0), abs=1e-6)
    open_m = ef.ef.OPEN
    assert open_m.v_inventory["EU", "MAG", "", 1, "OPEN"].value == pytest.approx(0.0, abs=1e-6)

    from planner.model.stochastic import scenario_creator

    def root_only(name: str, **kwargs: Any) -> Any:
        m = scenario_creator(name, **kwargs)
        del m._mpisppy_node_list[1:]
        return m

    from mpisppy.opt.ef import ExtensiveForm

    net = build_network(tree_data())
    two_stage = ExtensiveForm(
        {"solver": "highs", "solver_options": {"mip_rel_gap": 1e-9}},
        net.scenarios,
        root_only,
        scenario_creator_kwargs={"net": net},
    )
    two_stage.solve_extensive_form()
    assert float(two_stage.get_objective_value()) == pytest.approx(1_595.0, rel=1e-9)


def test_two_stage_workbooks_attach_only_the_root() -> None:
    from planner.model.stochastic import mpisppy_tree, scenario_creator

    data = from_records(ban_case(0.25), {"reveal_period": "P2"})
    net = build_network(data)
    assert mpisppy_tree(net) == (net.scenarios, ["ROOT"])
    m = scenario_creator(net.scenarios[0], net=net)
    assert [n.name for n in m._mpisppy_node_list] == ["ROOT"]
    assert not hasattr(m, "e_cost_stage2_node")
