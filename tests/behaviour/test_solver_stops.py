"""What a user gets when the solver stops early: a flagged plan, or a clear error and exit code."""

from __future__ import annotations

import math

import pytest

from planner.api import solve_data
from planner.config import SolveOptions
from planner.errors import NonOptimalError
from planner.synthetic import synthetic_network


def test_stopped_with_a_plan_returns_it_flagged_with_its_gap() -> None:
    """Stopping at the first improving solution (a deterministic stand-in for a time limit that
    hits with an incumbent) returns that plan, marked not proven optimal, with a gap above 0."""
    sol = solve_data(
        synthetic_network(), SolveOptions(mip_gap=0.0, highs_options={"mip_max_improving_sols": 1})
    )
    assert not sol.proven_optimal
    assert sol.status == "feasible"
    assert sol.gap > 0
    assert sol.message.startswith("not proven optimal")
    assert f"{sol.gap:.2%}" in sol.message
    assert sol.bound <= sol.objective
    assert math.isfinite(sol.objective)


def test_stopped_without_any_plan_raises_a_clear_error() -> None:
    with pytest.raises(NonOptimalError, match="without finding any feasible plan") as err:
        solve_data(synthetic_network(), SolveOptions(mip_gap=0.0, highs_options={"time_limit": 1e-9}))
    assert err.value.exit_code == 3
    assert "--time-limit" in str(err.value)
