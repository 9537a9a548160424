"""planner.cli: exit codes, one line per problem, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from planner import __version__
from planner.cli import format_issue, main, sort_issues
from planner.errors import Issue
from planner.io.excel_writer import write_input_workbook
from tests.conftest import (
    BAD_INPUTS,
    build_data,
    make_formula_without_value,
    make_many_rows,
    valid_records,
)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the console entry point in-process; return (exit code, stdout + stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out.out + out.err


def write(tmp_path: Path, mutate=None, name: str = "wb.xlsx") -> Path:  # type: ignore[no-untyped-def]
    records = valid_records()
    if mutate:
        mutate(records)
    path = tmp_path / name
    write_input_workbook(build_data(records), path)
    return path


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["--version"], capsys)
    assert (code, out.strip()) == (0, f"planner {__version__}")
    code, out = run(["--help"], capsys)
    assert code == 0
    assert "template" in out
    assert "validate" in out


def test_validate_clean_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path)
    code, out = run(["validate", str(path)], capsys)
    assert code == 0
    assert out.strip() == f"0 errors, 0 warnings in {path}"


def test_validate_prints_every_problem_grouped_and_sorted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def mutate(r: dict) -> None:  # type: ignore[type-arg]
        r["Lanes"][3]["origin"] = "NOWHERE"
        r["Contracts"][0]["buyer"] = "PLANTX"
        r["ExportControls"][0]["country"] = "CN"
        r["Periods"].append({"period": "P1"})

    path = write(tmp_path, mutate)
    code, out = run(["validate", str(path)], capsys)
    lines = out.strip().splitlines()
    assert code == 2
    assert lines == [
        "ERROR  Periods row 4, column 'period' (value: 'P1'): duplicate period='P1': already on row 2; keep one row or change the id",
        "ERROR  Lanes row 5, column 'origin' (value: 'NOWHERE'): unknown site 'NOWHERE' (not in Sites.site); add the site to Sites or fix the spelling.",
        "ERROR  Contracts row 2, column 'buyer' (value: 'PLANTX'): unknown site 'PLANTX' (not in Sites.site); add the site to Sites or fix the spelling. Did you mean 'PLANT' or 'NEWPLANT'?",
        "WARNING ExportControls row 2, column 'country' (value: 'CN'): no site is in country 'CN', so this rule controls nothing; check the country code against Sites.country.",
        f"3 errors, 1 warning in {path}",
    ]
    assert "Traceback" not in out


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, lambda r: r["ExportControls"][0].update(country="CN"))
    code, out = run(["validate", str(path)], capsys)
    assert code == 0
    assert out.strip().endswith(f"0 errors, 1 warning in {path}")
    code, _ = run(["validate", "--strict", str(path)], capsys)
    assert code == 1


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_files_exit_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = BAD_INPUTS[kind](tmp_path / f"{kind}.xlsx")
    code, out = run(["validate", str(path)], capsys)
    assert code == 2
    assert "Traceback" not in out
    lines = out.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ERROR  workbook: ")
    assert lines[1] == f"1 error, 0 warnings in {path}"


def test_formula_without_value_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_formula_without_value(tmp_path / "f.xlsx")
    code, out = run(["validate", str(path)], capsys)
    assert code == 2
    assert "ERROR  Demand row 2, column 'quantity' (value: '=2*5'): formula has no saved value" in out
    assert "Traceback" not in out


def test_too_big_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_many_rows(tmp_path / "rows.xlsx", 30)
    code, out = run(["validate", "--max-rows", "10", str(path)], capsys)
    assert code == 2
    assert "more than 10 rows" in out
    assert "Traceback" not in out
    code, out = run(["validate", "--max-bytes", "1000", str(path)], capsys)
    assert code == 2
    assert "above the limit of 1,000" in out
    assert "Traceback" not in out


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.xlsx"
    code, out = run(["template", str(path)], capsys)
    assert code == 0
    assert path.exists()
    assert f"wrote template {path}" in out
    code, out = run(["template", str(path)], capsys)
    assert code == 2
    assert "already exists" in out
    assert "--force" in out
    assert "Traceback" not in out
    code, _ = run(["template", "--force", str(path)], capsys)
    assert code == 0


def test_internal_error_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.validate

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(planner.validate, "validate_workbook", broken)
    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    code, out = run(["validate", str(tmp_path / "x.xlsx")], capsys)
    assert code == 70
    assert out.strip() == "internal error: RuntimeError: kaput (run with PLANNER_DEBUG=1 for the traceback)"
    monkeypatch.setenv("PLANNER_DEBUG", "1")
    with pytest.raises(RuntimeError, match="kaput"):
        main(["validate", str(tmp_path / "x.xlsx")])


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["validate"], capsys)
    assert code == 2
    assert "Traceback" not in out


def test_format_and_sort_issues() -> None:
    issues = [
        Issue("warning", "Lanes", 7, None, None, "w"),
        Issue("error", "Lanes", 3, "origin", "X", "bad"),
        Issue("error", "Sites", None, None, None, "empty"),
        Issue("error", "", None, None, None, "file"),
    ]
    assert [format_issue(i) for i in sort_issues(issues)] == [
        "ERROR  workbook: file",
        "ERROR  Sites: empty",
        "ERROR  Lanes row 3, column 'origin' (value: 'X'): bad",
        "WARNING Lanes row 7: w",
    ]


def test_console_script_entry_point(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("planner")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "planner.cli"]
    bad = tmp_path / "bad.xlsx"
    bad.write_text("a,b\n1,2\n")
    result = subprocess.run([*cmd, "validate", str(bad)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "CSV" in result.stdout


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--report", "EXISTING"], "already exists; choose another name or add --force"),
        (["--report", "out.pdf"], "must be an .xlsx file"),
        (["--report", "INPUT"], "is the input workbook"),
        (["--tables", "EXISTING", "--tables-format", "csv"], "is a file; give a folder"),
    ],
)
def test_output_options_are_refused_before_anything_is_solved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], expected: str
) -> None:
    """A report that exists (without --force), is not .xlsx or is the input itself, and --tables that
    is a file, all exit 2 before the solve, leaving no run folder."""
    workbook = tmp_path / "in.xlsx"
    workbook.write_bytes((Path(__file__).resolve().parents[2] / "inputs" / "tiny.xlsx").read_bytes())
    existing = tmp_path / "existing.xlsx"
    existing.write_bytes(b"x")
    args = [{"EXISTING": str(existing), "INPUT": str(workbook)}.get(a, a) for a in extra]
    runs = tmp_path / "runs"
    code, out = run(["solve", str(workbook), "--out", str(runs), *args], capsys)
    assert code == 2
    assert expected in out
    assert "Traceback" not in out
    assert not runs.exists()


def test_frontier_points_below_two_are_refused_before_the_solve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs"
    tiny = Path(__file__).resolve().parents[2] / "inputs" / "tiny.xlsx"
    code, out = run(["frontier", str(tiny), "--points", "0", "--out", str(runs)], capsys)
    assert code == 2
    assert "--points must be at least 2" in out
    assert not runs.exists()


def test_progress_before_the_first_plan_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """HiGHS reports cost +inf and bound -inf until it has a plan and a bound: the line says so."""
    from planner.cli import _Progress

    progress = _Progress(quiet=False)
    progress({"event": "progress", "objective": float("inf"), "bound": float("-inf"), "gap": float("inf")})
    progress({"event": "incumbent", "objective": 1_290_000.0, "bound": 1_200_000.0, "gap": 0.0698})
    out = capsys.readouterr().out
    assert "searching no plan yet  no bound yet  gap -" in out
    assert "new plan  cost 1,290,000  bound 1,200,000  gap 6.98%" in out
    assert "inf" not in out
