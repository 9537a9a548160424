"""``planner solve --decompose ph`` under ``mpiexec -n 2``: PH's bounds enclose planner's own EF optimum.

Two ranks run mpi-sppy's PH hub (its iteration-0 wait-and-see bound is the lower bound) and an
xhatshuffle spoke (the upper bound); see planner/model/ph.py for why that is the two-rank layout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.api import solve_data
from planner.config import SolveOptions
from planner.io.excel_writer import write_input_workbook
from planner.synthetic import synthetic_network

ROOT = Path(__file__).resolve().parents[2]
MPIEXEC = Path(sys.executable).parent / "mpiexec"


def _mpi_missing() -> str | None:
    for module in ("mpi4py", "mpisppy"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (pip install -e '.[dev]' brings mpich, mpi4py and mpi-sppy)"
    if not MPIEXEC.exists():
        return f"no mpiexec next to {sys.executable} (the mpich wheel installs it there)"
    return None


pytestmark = pytest.mark.skipif(_mpi_missing() is not None, reason=str(_mpi_missing()))


def test_ph_on_two_ranks_brackets_the_extensive_form_optimum(tmp_path: Path) -> None:
    data = synthetic_network(mines=3, refineries=2, plants=2, regions=2, periods=5, scenarios=3, seed=1)
    workbook = tmp_path / "synthetic.xlsx"
    write_input_workbook(data, workbook)
    ef = solve_data(data, SolveOptions(mip_gap=0.0)).objective

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    cmd = [str(MPIEXEC), "-n", "2", sys.executable, "-m", "planner.cli", "solve", str(workbook)]
    cmd += ["--out", str(tmp_path / "runs"), "--decompose", "ph", "--ph-iterations", "3", "--gap", "0"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr

    (folder,) = (tmp_path / "runs").iterdir()
    assert {p.name for p in folder.iterdir()} == {"manifest.json", "report.xlsx", "tables.xlsx", "solver.log"}
    manifest = json.loads((folder / "manifest.json").read_text())
    ph = manifest["decomposition"]
    assert ph["method"] == "ph"
    assert ph["mpi_ranks"] == 2
    assert ph["cylinders"] == ["ph_hub", "xhatshuffle"]
    assert 1 <= ph["iterations"] <= 3
    assert ph["seconds"] > 0
    assert ph["first_stage"]
    lower, upper = ph["lower_bound"], ph["upper_bound"]
    tol = 1e-6 * abs(ef)
    assert lower <= ef + tol
    assert ef <= upper + tol
    assert ph["gap"] == pytest.approx((upper - lower) / abs(upper), rel=1e-9)
    # the plan: the extensive form with the first stage fixed at the best xhat, priced as PH priced it
    assert manifest["result"]["objective"] == pytest.approx(upper, rel=1e-6)
    assert "progressive hedging on 2 MPI ranks" in result.stdout


def test_ph_over_the_three_stage_tree_brackets_its_hand_optimum(tmp_path: Path) -> None:
    """The hand-solved three-stage tree of tests/behaviour/test_multistage.py (optimum 1,660) under PH on
    two ranks, its nodes ROOT, ROOT_k per stage1_group and the leaves passed as ``all_nodenames``. The
    hub's bound is the wait-and-see value, every scenario known from the start: OPEN = TENSE_OK = 1,500
    and TENSE_BAN 1,880, E = 0.5 x 1,500 + 0.25 x 1,500 + 0.25 x 1,880 = 1,595."""
    from tests.behaviour.test_multistage import tree_data

    workbook = tmp_path / "tree.xlsx"
    write_input_workbook(tree_data(), workbook)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    cmd = [str(MPIEXEC), "-n", "2", sys.executable, "-m", "planner.cli", "solve", str(workbook)]
    cmd += ["--out", str(tmp_path / "runs"), "--decompose", "ph", "--ph-iterations", "5", "--gap", "0"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (folder,) = (tmp_path / "runs").iterdir()
    manifest = json.loads((folder / "manifest.json").read_text())
    ph = manifest["decomposition"]
    assert ph["lower_bound"] == pytest.approx(1_595.0, rel=1e-6)
    assert ph["lower_bound"] <= 1_660.0 <= ph["upper_bound"] + 1e-6
    # the plan: the tree's extensive form with the root's decisions fixed at the best xhat's
    assert 1_660.0 - 1e-6 <= manifest["result"]["objective"] <= ph["upper_bound"] + 1e-6
