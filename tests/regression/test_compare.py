"""planner compare RUN_A RUN_B: differences between two run folders, checked against tiny's hand values.

Run A is ``inputs/tiny.xlsx`` (OPEN 0.7 / BAN 0.3): qualify JP-EU (200,000) and buy CN, or JP
in BAN; expected cost 1,290,000 (OPEN 1,200,000; BAN 1,500,000). Run B solves OPEN alone: no
qualification, 20 t from CN at 50,000: 1,000,000. Expected purchases in A: 500,000 in P1 plus
0.7 x 500,000 + 0.3 x 800,000 in P2 = 1,090,000. EU's expected magnet receipts in A are
10 + 0.7 x 10 = 17 t Chinese of 20 t (85%); in B all 20 t (100%).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from planner.api import compare
from planner.errors import InputError
from tests.regression.test_cli_solve import ROOT, planner_cmd

TINY = ROOT / "inputs" / "tiny.xlsx"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("compare")
    folders = []
    for name, extra in (("a", []), ("b", ["--scenarios", "OPEN"])):
        out = base / name
        result = planner_cmd("solve", str(TINY), "--out", str(out), "-q", *extra, cwd=base)
        assert result.returncode == 0, result.stderr
        (folder,) = [p for p in out.iterdir() if p.is_dir()]
        folders.append(folder)
    return folders[0], folders[1]


def test_compare_reports_hand_values(runs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = runs
    before = {p: p.read_bytes() for p in (*a.iterdir(), *b.iterdir())}
    result = planner_cmd("compare", str(a), str(b), "--out", "diff.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert {p: p.read_bytes() for p in before} == before  # run folders are only read
    sheets = pd.read_excel(tmp_path / "diff.xlsx", sheet_name=None)
    assert list(sheets) == ["Summary", "Decisions", "Costs", "Scenarios", "Shortages", "Dependency"]

    summary = sheets["Summary"].set_index("measure")
    cost = summary.loc["expected cost"]
    assert (float(cost["A"]), float(cost["B"]), float(cost["B - A"])) == pytest.approx(
        (1_290_000, 1_000_000, -290_000)
    )
    assert cost["note"] == "B costs less"

    dec = sheets["Decisions"]
    assert dec[["change", "decision", "id"]].values.tolist() == [["only in A", "qualify lane", "JP-EU"]]
    assert float(dec["cost B - A"].iloc[0]) == pytest.approx(-200_000)

    costs = sheets["Costs"].set_index("component")
    assert float(costs.loc["purchase", "A"]) == pytest.approx(1_090_000)
    assert float(costs.loc["qualification", "B - A"]) == pytest.approx(-200_000)
    assert float(costs["A"].sum()) == pytest.approx(1_290_000)

    dep = sheets["Dependency"].set_index("origin_country")
    assert float(dep.loc["CN", "share A"]) == pytest.approx(0.85)
    assert float(dep.loc["CN", "share B"]) == pytest.approx(1.0)
    assert sheets["Shortages"].empty


def test_same_run_twice_has_no_differences(runs: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = runs
    compare(a, a, tmp_path / "same.xlsx")
    sheets = pd.read_excel(tmp_path / "same.xlsx", sheet_name=None)
    assert set(sheets["Decisions"]["change"]) == {"same"}
    assert sheets["Summary"].set_index("measure").loc["expected cost", "note"] == "same cost"


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such run folder"),
        ("file", "not a run folder"),
        ("empty", "not a run folder"),
        ("partial", "did not finish"),
    ],
)
def test_compare_refuses_what_is_not_a_finished_run(
    runs: tuple[Path, Path], tmp_path: Path, setup: str, message: str
) -> None:
    a, _ = runs
    other = tmp_path / "other"
    if setup == "file":
        other.write_text("x")
    elif setup == "empty":
        other.mkdir()
    elif setup == "partial":
        other.mkdir()
        (other / "RUN-INCOMPLETE.json").write_text("{}")
    with pytest.raises(InputError, match=message):  # the CLI prints it and exits 2
        compare(a, other, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_compare_does_not_overwrite_without_force(runs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = runs
    target = tmp_path / "diff.xlsx"
    target.write_bytes(b"keep")
    with pytest.raises(InputError, match="already exists"):
        compare(a, b, target)
    assert target.read_bytes() == b"keep"
    assert compare(a, b, target, force=True) == target
    assert pd.read_excel(target, sheet_name="Summary").shape[0] > 0


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["saa", "--sample", "10", "--replications", "2", "--evaluate", "10"], "saa"),
        (["replay", "--evaluate", "10"], "replay"),
    ],
)
def test_saa_and_replay_write_a_run_folder(tmp_path: Path, args: list[str], label: str) -> None:
    result = planner_cmd(args[0], str(TINY), *args[1:], "--out", "runs", "--gap", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (folder,) = list((tmp_path / "runs").iterdir())
    assert folder.name.startswith(f"tiny-{label}-")
    assert {p.name for p in folder.iterdir()} == {f"{label}.json", "tables.xlsx", "solver.log", "report.xlsx"}
    manifest = json.loads((folder / f"{label}.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest[label]


def test_a_risk_averse_run_is_compared_by_expected_cost(runs: tuple[Path, Path], tmp_path: Path) -> None:
    """tiny at risk weight 0.5 (CVaR 95% = the BAN cost, two scenarios): qualifying and stocking s t
    in P1 costs OPEN 1,200 + 10s and BAN 1,500 - 20s ($1,000s), so E = 1,290 + s and the objective
    1,290 + s + 0.5 (1,500 - 20s) falls with s: s = 6 (the cap), E = 1,296, objective 1,986. Against
    the risk-neutral run A the objectives are not comparable; the expected cost is 6,000 higher."""
    import openpyxl

    workbook = tmp_path / "tiny_cvar.xlsx"
    wb = openpyxl.load_workbook(TINY)
    wb["Settings"].append(["risk_weight", 0.5])
    wb.save(workbook)
    out = tmp_path / "runs"
    result = planner_cmd("solve", str(workbook), "--out", str(out), "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (averse,) = [p for p in out.iterdir() if p.is_dir()]
    a, _ = runs
    summary = pd.read_excel(compare(a, averse, tmp_path / "diff.xlsx"), sheet_name="Summary").set_index(
        "measure"
    )
    objective = summary.loc["objective"]
    assert float(objective["B"]) == pytest.approx(1_986_000)
    assert str(objective["note"]).startswith("not comparable: the runs minimise different objectives")
    cost = summary.loc["expected cost"]
    assert (float(cost["A"]), float(cost["B"]), float(cost["B - A"])) == pytest.approx(
        (1_290_000, 1_296_000, 6_000)
    )
    assert str(cost["note"]).startswith("B costs more in expectation")
