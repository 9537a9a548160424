"""planner solve / stress / frontier from the command line, as a user runs them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.io.excel_writer import write_input_workbook
from planner.tables import from_records
from tests.behaviour.test_licence_risk import ban_case

ROOT = Path(__file__).resolve().parents[2]


def planner_cmd(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("planner")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "planner.cli"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture
def ban_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "ban.xlsx"
    write_input_workbook(from_records(ban_case(0.25), {"reveal_period": "P2"}), path)
    return path


def test_solve_writes_a_run_folder_with_report_tables_log_and_manifest(
    ban_workbook: Path, tmp_path: Path
) -> None:
    before = ban_workbook.read_bytes()
    result = planner_cmd("solve", str(ban_workbook), "--out", str(tmp_path / "runs"), "--vss", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name.startswith("ban-")
    for name in ("report.xlsx", "tables.xlsx", "solver.log", "manifest.json"):
        assert (folder / name).stat().st_size > 0, name
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["result"]["objective"] == pytest.approx(3.0)
    assert manifest["result"]["proven_optimal"] is True
    # hand values in tests/behaviour/test_licence_risk.py (VSS 0: the EV plan stocks too)
    assert manifest["stochastic"]["VSS"] == pytest.approx(0.0, abs=1e-9)
    assert manifest["stochastic"]["EVPI"] == pytest.approx(1.5)
    assert len(manifest["input"]["sha256"]) == 64
    assert {"read", "validate", "build", "handoff", "solve", "report"} <= set(manifest["seconds"])
    assert "Summary" in load_workbook(folder / "report.xlsx", read_only=True).sheetnames
    assert ban_workbook.read_bytes() == before  # the input is only read


def test_solver_log_names_every_solve_of_a_vss_run(tmp_path: Path) -> None:
    """The run folder's solver.log holds the main solve and each VSS solve, each titled (#15)."""
    result = planner_cmd(
        "solve", str(ROOT / "inputs" / "tiny.xlsx"), "--out", str(tmp_path / "runs"), "--vss", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "runs").iterdir()
    log = (folder / "solver.log").read_text()
    titles = [line for line in log.splitlines() if line.startswith("==== planner: ")]
    assert titles[0] == "==== planner: main solve (the plan) ===="
    assert sum("wait-and-see solve" in t for t in titles) >= 2  # one per scenario
    assert any("expected-value (EV) solve" in t for t in titles)
    assert any("EEV solve" in t for t in titles)
    # HiGHS's own log of each solve follows its title
    assert len(re.findall(r"^(?:MIP|LP) +has \d+ rows", log, flags=re.M)) >= len(titles)


def test_report_copy_is_not_overwritten_without_force(ban_workbook: Path, tmp_path: Path) -> None:
    target = tmp_path / "board.xlsx"
    target.write_bytes(b"keep me")
    result = planner_cmd(
        "solve", str(ban_workbook), "--out", str(tmp_path / "r"), "--report", str(target), cwd=tmp_path
    )
    assert result.returncode == 2
    assert target.read_bytes() == b"keep me"
    assert "Traceback" not in result.stdout + result.stderr
    forced = planner_cmd(
        "solve",
        str(ban_workbook),
        "--out",
        str(tmp_path / "r"),
        "--report",
        str(target),
        "--force",
        cwd=tmp_path,
    )
    assert forced.returncode == 0, forced.stderr
    assert target.read_bytes()[:2] == b"PK"


def test_infeasible_workbook_exits_3_naming_the_rows(tmp_path: Path) -> None:
    records = {
        "Periods": [{"period": "P1"}],
        "Products": [{"product": "X"}],
        "Sites": [{"site": "D", "type": "demand_region", "country": "US"}],
        "Contracts": [{"contract": "K", "supplier": "D", "product": "X", "price": 2, "min_per_period": 3}],
        "Demand": [{"site": "D", "product": "X", "period": "P1", "quantity": 1}],
    }
    path = tmp_path / "inf.xlsx"
    write_input_workbook(from_records(records), path)
    result = planner_cmd("solve", str(path), "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert result.returncode == 3
    assert "Contracts row 2" in result.stderr
    assert "purchases at least 3" in result.stderr
    assert "v_purchase" not in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    debug = planner_cmd("--debug", "solve", str(path), "--out", str(tmp_path / "d"), cwd=tmp_path)
    assert debug.returncode == 3
    assert "[v_purchase[K, 0, " in debug.stderr  # the solver's names, on request only


def test_stress_and_frontier_add_their_sheets(ban_workbook: Path, tmp_path: Path) -> None:
    stress = planner_cmd("stress", str(ban_workbook), "--out", str(tmp_path / "s"), "-q", cwd=tmp_path)
    assert stress.returncode == 0, stress.stderr
    assert "Disruptions ranked by Risk Exposure Index" in stress.stdout
    (folder,) = (tmp_path / "s").iterdir()
    assert "Resilience" in load_workbook(folder / "report.xlsx", read_only=True).sheetnames
    frontier = planner_cmd(
        "frontier", str(ban_workbook), "--points", "3", "--out", str(tmp_path / "f"), "-q", cwd=tmp_path
    )
    assert frontier.returncode == 0, frontier.stderr
    (folder,) = (tmp_path / "f").iterdir()
    assert "Frontier" in load_workbook(folder / "report.xlsx", read_only=True).sheetnames


def test_default_solve_runs_the_example(tmp_path: Path) -> None:
    """`planner solve` with no workbook solves the example network (what a new user runs first); one
    scenario here, as the nine take minutes (the README's solve is tested in test_readme_example)."""
    result = planner_cmd("solve", "--scenarios", "S1_EXTEND", "--out", str(tmp_path / "runs"), "-q", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "optimal" in result.stdout
    (folder,) = (tmp_path / "runs").iterdir()
    assert folder.name.startswith("example-")


def test_csv_tables_neutralise_formula_like_ids(tmp_path: Path) -> None:
    """A site id and a scenario name that a spreadsheet would run as formulas are written to the
    CSV tables with a leading quote; numbers stay numbers; the run folder's tables.xlsx keeps them
    as text cells, unchanged (#15)."""
    import csv

    link = '=HYPERLINK("http://evil.example","click")'
    names = {"D": link, "NORMAL": "@SUM(1)"}
    records = ban_case(0.25)
    for rows in records.values():
        for row in rows:
            for key, value in row.items():
                if value in names:
                    row[key] = names[value]
    path = tmp_path / "evil.xlsx"
    write_input_workbook(from_records(records, {"reveal_period": "P2"}), path)
    result = planner_cmd(
        "solve", str(path), "--out", str(tmp_path / "r"), "--tables", str(tmp_path / "t"), "-q", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    with (tmp_path / "t" / "inventory.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["site"] for r in rows} == {"'" + link}
    assert {r["scenario"] for r in rows} == {"'@SUM(1)", "BAN"}
    assert all(float(r["stock"]) >= 0 for r in rows)
    assert "'" not in "".join(r["stock"] for r in rows)
    (folder,) = (tmp_path / "r").iterdir()
    ws = load_workbook(folder / "tables.xlsx")["inventory"]
    cell = ws.cell(2, 1)
    assert (cell.value, cell.data_type) == (link, "s")


def test_stress_and_frontier_take_tables_report_and_scenarios(ban_workbook: Path, tmp_path: Path) -> None:
    for command, extra in (("stress", []), ("frontier", ["--points", "2"])):
        result = planner_cmd(
            command,
            str(ban_workbook),
            *extra,
            "--out",
            str(tmp_path / command),
            "--scenarios",
            "BAN",
            "--tables",
            str(tmp_path / f"t-{command}"),
            "--report",
            str(tmp_path / f"{command}.xlsx"),
            "-q",
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        scenarios = (tmp_path / f"t-{command}" / "scenarios.csv").read_text().splitlines()
        assert [line.split(",")[0] for line in scenarios[1:]] == ["BAN"]
        assert (tmp_path / f"{command}.xlsx").read_bytes()[:2] == b"PK"
        (folder,) = (tmp_path / command).iterdir()
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["command"][:2] == ["planner", command]
        assert manifest["options"]["scenarios"] == ["BAN"]
    assert (tmp_path / "t-stress" / "resilience_nodes.csv").exists()
    assert (tmp_path / "t-frontier" / "frontier.csv").exists()


def test_solve_worth_values_the_commitment_on_page_one(tmp_path: Path) -> None:
    """tiny: without lane JP-EU the plan stockpiles 6 t (2,200k) instead of qualifying (1,290k): +910k."""
    result = planner_cmd(
        "solve",
        str(ROOT / "inputs" / "tiny.xlsx"),
        "--out",
        str(tmp_path / "runs"),
        "--worth",
        "2",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    folder = next((tmp_path / "runs").iterdir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["options"]["worth"] == 2
    assert manifest["seconds"]["worth"] > 0
    values = load_workbook(folder / "tables.xlsx")["commitment_values"]
    rows = list(values.iter_rows(values_only=True))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["value"] == pytest.approx(910_000)
    summary = [
        str(c.value) for row in load_workbook(folder / "report.xlsx")["Summary"].iter_rows() for c in row
    ]
    assert any("without it +$910k expected (+$3.4M in BAN)" in t for t in summary)
