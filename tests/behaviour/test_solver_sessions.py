"""Many solves in one process, whatever options each uses; HiGHS's errors reported as errors.

HiGHS keeps one task scheduler per process. Before planner reset it, a solve with
``threads=1`` after one with ``threads=2`` failed with an error status that planner
reported as "stopped without a plan", and every test after it failed the same way.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import highspy
import numpy as np
import pytest

from planner.api import check, read, solve_data
from planner.cli import main
from planner.config import SolveOptions
from planner.errors import HighsError, InputError
from planner.highs_options import check_option
from planner.io.excel_writer import write_input_workbook
from planner.model.build import build_model, kept_out_of_gc
from planner.network import build_network
from planner.synthetic import synthetic_network
from tests.conftest import build_data

TINY = Path(__file__).resolve().parents[2] / "inputs" / "tiny.xlsx"


def _objective(data: object, **options: object) -> float:
    sol = solve_data(data, SolveOptions(mip_gap=0.0, **options))  # type: ignore[arg-type]
    assert sol.proven_optimal
    return float(sol.objective)


def test_threads_two_one_default_two_on_one_model_give_one_optimum() -> None:
    data = synthetic_network()
    values = [_objective(data, threads=t) for t in (2, 1, None, 2)]
    assert values == pytest.approx([values[0]] * 4, rel=1e-9)


def test_threads_change_across_models_and_options() -> None:
    """Alternate two models and vary threads, gap, seed, time limit and a presolve rule."""
    big, small = synthetic_network(), read(TINY)
    runs = [
        (big, {"threads": 2}),
        (small, {"threads": 1, "random_seed": 7}),
        (big, {"threads": None, "time_limit": 120.0}),
        (small, {"threads": 2, "highs_options": {"presolve": "off"}}),
        (big, {"threads": 1, "highs_options": {"presolve_rule_off": 0}}),
        (small, {"threads": None}),
    ]
    values = [_objective(d, **o) for d, o in runs]
    assert values[0::2] == pytest.approx([values[0]] * 3, rel=1e-9)
    assert values[1::2] == pytest.approx([1_290_000.0] * 3, rel=1e-9)  # README, solved by hand


def test_a_scheduler_set_up_outside_planner_is_reset() -> None:
    """Another library in the process ran HiGHS with 3 threads first; planner's solve still works."""
    highspy.Highs.resetGlobalScheduler(True)  # what the other library has to do before its own run
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 3)
    h.addVars(1, np.array([0.0]), np.array([1.0]))
    h.changeColsIntegrality(1, np.array([0]), np.array([highspy.HighsVarType.kInteger]))
    assert h.run() == highspy.HighsStatus.kOk
    assert _objective(read(TINY), threads=1) == pytest.approx(1_290_000.0, rel=1e-9)


def test_an_option_highs_refuses_is_an_error_quoting_highs() -> None:
    with pytest.raises(HighsError, match="not one of") as err:
        solve_data(read(TINY), SolveOptions(highs_options={"presolve": "maybe"}))
    assert err.value.exit_code == 70
    assert "raise the time limit" not in str(err.value)
    with pytest.raises(HighsError, match="below lower bound"):
        solve_data(read(TINY), SolveOptions(highs_options={"mip_feasibility_tolerance": -1}))


def test_check_option_in_highs_own_words() -> None:
    assert check_option("presolve", "off") is None
    assert check_option("mip_heuristic_effort", "0.2") is None
    assert "unknown" in str(check_option("no_such_option", 1))
    assert "whole number" in str(check_option("mip_max_nodes", "many"))
    assert "set by planner" in str(check_option("threads", 2))


def test_a_settings_row_with_a_bad_highs_option_is_a_located_error(tmp_path: Path) -> None:
    """highs_presolve = maybe: the validator names the Settings row, HiGHS's reason, and what to do."""
    data = build_data(settings={"mip_gap": 0.01, "highs_options": {"presolve": "maybe", "mip_max_nodes": 5}})
    path = tmp_path / "wb.xlsx"
    write_input_workbook(data, path)
    back = read(path)
    assert back.settings["highs_options"] == {"presolve": "maybe", "mip_max_nodes": 5}
    with pytest.raises(InputError) as err:
        check(back)
    bad = [i for i in err.value.issues if i.code == "bad_solver_option"]
    assert len(bad) == 1
    issue = bad[0]
    assert (issue.sheet, issue.column, issue.value) == ("Settings", "value", "maybe")
    assert issue.row is not None
    assert issue.row >= 2
    assert "not one of" in issue.message


def test_a_valid_highs_setting_reaches_the_solver() -> None:
    """highs_mip_max_improving_sols = 1 stops at the first plan: the option was passed on."""
    data = build_data(settings={"mip_gap": 0.0, "highs_options": {"mip_max_improving_sols": 1}})
    check(data)
    big = synthetic_network()
    big.settings["highs_options"] = {"mip_max_improving_sols": 1}
    sol = solve_data(big, SolveOptions(mip_gap=0.0))
    assert not sol.proven_optimal


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--highs-option", "presolve=maybe"], "not one of"),
        (["--highs-option", "presolve"], "NAME=VALUE"),
        (["--threads", "-1"], "--threads must be a whole number from 0 (automatic) to 1024"),
        (["--gap", "2"], "--gap must be at least 0 and below 1"),
    ],
)
def test_cli_refuses_bad_solver_options_before_solving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["solve", "--out", str(tmp_path), *argv])
    out = capsys.readouterr()
    assert info.value.code == 2
    assert expected in out.err
    assert "Traceback" not in out.err
    assert not any(tmp_path.iterdir())


def test_a_model_built_in_kept_out_of_gc_is_frozen_until_the_outermost_block_ends() -> None:
    """build_model freezes what it built inside kept_out_of_gc (the collector no longer walks
    it); leaving the outermost block unfreezes, and a model dropped then is still collected."""

    def walked(obj: object) -> bool:  # gc.get_objects() lists the generations the collector walks
        return any(o is obj for o in gc.get_objects())

    net = build_network(synthetic_network())
    with kept_out_of_gc():
        with kept_out_of_gc():
            m = build_model(net)
            assert gc.get_freeze_count() > sum(1 for _ in m.component_data_objects())
        assert not walked(m)  # an inner block leaves the model frozen
        assert not walked(m.c_balance_node)
        ref = weakref.ref(m)
    assert gc.get_freeze_count() == 0
    assert walked(m)
    del m
    gc.collect()
    assert ref() is None  # a Pyomo model is cyclic: only the collector frees it


def test_outside_kept_out_of_gc_build_model_freezes_nothing() -> None:
    build_model(build_network(synthetic_network()))
    assert gc.get_freeze_count() == 0


def test_kept_out_of_gc_leaves_a_host_applications_frozen_objects_alone() -> None:
    net = build_network(synthetic_network())
    gc.freeze()  # the host's own objects
    host = gc.get_freeze_count()
    try:
        with kept_out_of_gc():
            build_model(net)
            assert gc.get_freeze_count() <= host  # the model was not frozen
        assert 0 < gc.get_freeze_count() <= host  # nor were the host's objects unfrozen
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("scale", [0, -3, 4])
def test_progress_reports_cost_in_currency_whatever_the_objective_scale(scale: int) -> None:
    """HiGHS's callbacks see the cost times 2^user_objective_scale; the progress reports do not:
    tiny's last new plan costs its optimum 1,290,000 and no reported bound exceeds it."""
    events: list[dict[str, float]] = []
    opts = SolveOptions(threads=1, random_seed=0, highs_options={"user_objective_scale": scale})
    sol = solve_data(read(TINY), opts, progress=events.append)
    assert sol.objective == pytest.approx(1_290_000)
    plans = [e for e in events if e["event"] == "incumbent"]
    assert plans
    assert plans[-1]["objective"] == pytest.approx(1_290_000)
    assert all(e["bound"] <= 1_290_000 * (1 + 1e-9) for e in events if "bound" in e)
