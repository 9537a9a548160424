"""mpi-sppy, driven by planner's scenario_creator, reproduces planner's own extensive form."""

from __future__ import annotations

import pytest

from planner.api import solve_data
from planner.config import SolveOptions
from planner.network import build_network
from planner.tables import from_records
from tests.behaviour.test_licence_risk import ban_case
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
