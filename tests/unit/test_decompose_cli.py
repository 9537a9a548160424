"""``planner solve --decompose``: what is refused, before any MPI work starts, and how."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from planner.io.excel_writer import write_input_workbook
from planner.tables import from_records
from tests.behaviour.test_licence_risk import ban_case
from tests.unit.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "inputs" / "tiny.xlsx"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--decompose", "benders"], "--decompose takes ph, not 'benders'"),
        (["--decompose", "ph", "--vss"], "--vss is not available with --decompose ph"),
        (["--decompose", "ph", "--ph-iterations", "0"], "--ph-iterations must be at least 1"),
        (["--decompose", "ph", "--ph-rho", "-1"], "--ph-rho must be a positive number"),
    ],
)
def test_bad_decompose_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    runs = tmp_path / "runs"
    code, out = run(["solve", str(TINY), "--out", str(runs), *extra], capsys)
    assert code == 2
    assert expected in out
    assert "Traceback" not in out
    assert not runs.exists()


def test_ph_refuses_a_risk_averse_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workbook = tmp_path / "cvar.xlsx"
    write_input_workbook(from_records(ban_case(0.25), {"reveal_period": "P2", "risk_weight": 0.5}), workbook)
    runs = tmp_path / "runs"
    code, out = run(["solve", str(workbook), "--out", str(runs), "--decompose", "ph"], capsys)
    assert code == 2
    assert "risk-neutral" in out
    assert "risk_weight" in out
    assert not runs.exists()


@pytest.mark.skipif(importlib.util.find_spec("mpi4py") is None, reason="mpi4py is not installed")
def test_ph_on_one_rank_says_how_many_it_needs(tmp_path: Path) -> None:
    """Without mpiexec a process is one MPI rank: too few for a hub and a spoke."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "planner.cli", "solve", str(TINY), "--out", str(tmp_path / "runs")]
    result = subprocess.run(
        [*cmd, "--decompose", "ph"], capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "at least 2 MPI ranks" in result.stderr
    assert "mpiexec -n 2" in result.stderr
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(
    ("ranks", "cylinders"),
    [
        (2, ["ph_hub", "xhatshuffle"]),
        (4, ["ph_hub", "xhatshuffle"]),
        (3, ["ph_hub", "lagrangian", "xhatshuffle"]),
        (6, ["ph_hub", "lagrangian", "xhatshuffle"]),
    ],
)
def test_rank_layouts(ranks: int, cylinders: list[str]) -> None:
    from planner.model.ph import cylinders_for

    assert cylinders_for(ranks) == cylinders


@pytest.mark.parametrize("ranks", [1, 5, 7])
def test_rank_counts_without_a_layout_are_refused(ranks: int) -> None:
    from planner.model.ph import cylinders_for

    with pytest.raises(ValueError, match="MPI ranks"):
        cylinders_for(ranks)


def test_launcher_rank_reads_the_launchers_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from planner.decompose import launcher_rank

    for name in ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"):
        monkeypatch.delenv(name, raising=False)
    assert launcher_rank() == 0
    monkeypatch.setenv("PMI_RANK", "3")
    assert launcher_rank() == 3
