"""planner's command line and run folders under misuse (#15): bad options, bad paths, full disks.

Every user error exits 2 with a sentence and no traceback, before anything is solved where
the error can be seen then, and leaves no run folder behind.
"""

from __future__ import annotations

import csv
import errno
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.config import MAX_SEED, MAX_THREADS, SolveOptions, option_problem
from planner.errors import InputError, NonOptimalError
from planner.io.results_writer import csv_safe, without_negative_zero, write_tables_files
from planner.runfolder import MARKER, PARTIAL_SUFFIX, clean_stale, clean_stale_temporaries

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "inputs" / "tiny.xlsx"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the console entry point in-process; return (exit code, stdout + stderr)."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    out = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out.out + out.err


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.xlsx"
    path.write_bytes(TINY.read_bytes())
    return path


def user_error(code: int, out: str) -> None:
    assert code == 2, out
    assert "Traceback" not in out
    assert "internal error" not in out


# ---------------------------------------------------------------------------------------------
# numeric options


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--threads", "-1"], "--threads must be a whole number from 0 (automatic) to 1024"),
        (["--threads", "100000"], "--threads must be a whole number from 0 (automatic) to 1024"),
        (["--gap", "5"], "--gap must be at least 0 and below 1"),
        (["--gap", "1"], "--gap must be at least 0 and below 1"),
        (["--gap", "nan"], "--gap must be at least 0 and below 1"),
        (["--time-limit", "nan"], "--time-limit must be a number of seconds >= 0 (0 = no limit)"),
        (["--time-limit", "inf"], "--time-limit must be a number of seconds >= 0"),
        (["--time-limit", "-1"], "--time-limit must be a number of seconds >= 0"),
        (["--seed", "-1"], "--seed must be a whole number from 0 to 2,147,483,647"),
        (["--seed", str(2**31)], "--seed must be a whole number from 0 to 2,147,483,647"),
    ],
)
@pytest.mark.parametrize("command", ["solve", "stress", "frontier"])
def test_numeric_options_are_refused_before_anything_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, args: list[str], expected: str
) -> None:
    runs = tmp_path / "runs"
    code, out = run([command, str(tmp_path / "missing.xlsx"), "--out", str(runs), *args], capsys)
    user_error(code, out)
    assert expected in out
    assert not runs.exists()


def test_option_bounds() -> None:
    assert option_problem("threads", MAX_THREADS) is None
    assert option_problem("threads", 0) is None
    assert option_problem("random_seed", MAX_SEED) is None
    assert option_problem("random_seed", 0) is None
    assert option_problem("mip_gap", 0.0) is None
    assert option_problem("mip_gap", 0.999) is None
    assert option_problem("time_limit", 0) is None  # 0 = no limit
    assert option_problem("threads", 1.5) is not None
    assert option_problem("threads", True) is not None


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("threads", 100000, "threads must be a whole number from 0 (automatic) to 1024"),
        ("mip_gap", 1, "mip_gap must be at least 0 and below 1"),
        ("random_seed", 2**31, "random_seed must be a whole number from 0 to 2,147,483,647"),
    ],
)
def test_settings_values_get_the_same_checks_with_their_row(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, value: int, expected: str
) -> None:
    wb = load_workbook(tiny)
    ws = wb["Settings"]
    for row in range(2, ws.max_row + 1):  # replace the row if the setting is there already
        if ws.cell(row, 1).value == setting:
            ws.delete_rows(row)
            break
    ws.append([setting, value])
    row = ws.max_row
    wb.save(tiny)
    runs = tmp_path / "runs"
    code, out = run(["solve", str(tiny), "--out", str(runs)], capsys)
    user_error(code, out)
    assert f"Settings row {row}, column 'value'" in out
    assert expected in out
    assert not runs.exists() or not any(runs.iterdir())


def test_api_options_are_checked_too() -> None:
    settings = {"time_limit": 60.0, "mip_gap": 0.0, "threads": 0, "random_seed": 0}
    with pytest.raises(InputError, match="threads must be a whole number"):
        SolveOptions(threads=-1).resolved(settings)
    with pytest.raises(InputError, match=r"Settings row 7.*mip_gap must be at least 0 and below 1"):
        SolveOptions().resolved({**settings, "mip_gap": 5.0}, {"mip_gap": 7})
    assert SolveOptions(threads=2).resolved(settings).threads == 2


def test_time_limit_zero_means_no_limit(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(["solve", str(tiny), "--out", str(tmp_path / "runs"), "--time-limit", "0", "-q"], capsys)
    assert code == 0, out
    code, out = run(["solve", "--help"], capsys)
    assert "0 = no limit" in " ".join(out.replace("│", " ").split())


# ---------------------------------------------------------------------------------------------
# the time limit covers the whole run


def test_time_limit_covers_building(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.api

    real = planner.api.build_model

    def slow_build(*args: object, **kwargs: object) -> object:
        time.sleep(1.5)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(planner.api, "build_model", slow_build)
    runs = tmp_path / "runs"
    code, out = run(["solve", str(tiny), "--out", str(runs), "--time-limit", "1"], capsys)
    assert code == 3, out
    assert "time limit of 1 s was used up by reading, checking and building the model" in out
    assert "raise --time-limit" in out
    assert "Traceback" not in out
    assert not any(runs.iterdir())  # the partial run folder is removed


def test_highs_gets_only_the_time_left() -> None:
    import planner.api as api

    data = api.read(TINY)
    opts = SolveOptions(time_limit=100.0)
    sol = api.solve_data(data, replace_deadline(opts, time.perf_counter() + 30.0))
    _, given = sol.extra["solve_result"].highs.getOptionValue("time_limit")
    assert 0 < float(given) <= 30.0
    with pytest.raises(NonOptimalError, match="used up by reading and checking the workbook"):
        api.solve_data(data, replace_deadline(opts, time.perf_counter() - 1.0))


def replace_deadline(opts: SolveOptions, deadline: float) -> SolveOptions:
    from dataclasses import replace

    return replace(opts, deadline=deadline)


# ---------------------------------------------------------------------------------------------
# paths


def test_out_under_a_file(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("user data")
    code, out = run(["solve", str(tiny), "--out", str(blocker / "runs")], capsys)
    user_error(code, out)
    assert "is under a file" in out
    assert blocker.read_text() == "user data"
    code, out = run(["solve", str(tiny), "--out", str(blocker)], capsys)
    user_error(code, out)
    assert "is a file; give a folder" in out


def test_tables_under_a_file(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("user data")
    code, out = run(
        ["solve", str(tiny), "--out", str(tmp_path / "runs"), "--tables", str(blocker / "t")], capsys
    )
    user_error(code, out)
    assert "--tables" in out
    assert "is under a file" in out
    assert not (tmp_path / "runs").exists()


def test_read_only_out(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access

    def access(path: object, mode: int, **kw: object) -> bool:  # root may write anywhere: pretend not
        if Path(str(path)) == locked and mode & os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    code, out = run(["solve", str(tiny), "--out", str(locked / "runs")], capsys)
    user_error(code, out)
    assert f"the folder {locked} is not writable" in out


def test_permission_denied_while_writing_exits_2(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.runfolder

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "runs"))

    monkeypatch.setattr(planner.runfolder, "start", refuse)
    code, out = run(["solve", str(tiny), "--out", str(tmp_path / "runs")], capsys)
    user_error(code, out)
    assert "permission denied; choose a folder you can write to (--out)" in out


def test_disk_full_exits_2_and_leaves_no_run_folder(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.io.results_writer

    def full(wb: object, path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(planner.io.results_writer, "save_atomically", full)
    runs = tmp_path / "runs"
    code, out = run(["solve", str(tiny), "--out", str(runs)], capsys)
    user_error(code, out)
    assert "the disk is full (or over quota) writing" in out
    assert "free some space or choose another --out" in out
    assert list(runs.iterdir()) == []


def test_disk_full_in_tables_names_tables(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: object, path: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    code, out = run(
        ["solve", str(tiny), "--out", str(tmp_path / "runs"), "--tables", str(tmp_path / "t")], capsys
    )
    user_error(code, out)
    assert "choose another --tables" in out
    assert [p.name for p in (tmp_path / "t").iterdir()] == []  # no temporary left behind


def test_frontier_points_zero(tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["frontier", str(tiny), "--points", "0", "--out", str(tmp_path / "runs")], capsys)
    user_error(code, out)
    assert "--points must be at least 2" in out


# ---------------------------------------------------------------------------------------------
# run folders: complete or clearly incomplete


def test_run_folder_is_complete_and_manifest_records_the_command(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run(["solve", "tiny.xlsx", "--out", "runs", "-q", "--seed", "3"], capsys)
    assert code == 0, out
    (folder,) = Path("runs").iterdir()
    assert not folder.name.startswith(".")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["command"] == ["planner", "solve", "tiny.xlsx", "--out", "runs", "-q", "--seed", "3"]
    assert manifest["input"]["file"] == "tiny.xlsx"  # as given, not absolute
    assert manifest["input"]["from_run_folder"] == os.path.join("..", "..", "tiny.xlsx")
    assert (folder / manifest["input"]["from_run_folder"]).resolve() == tiny.resolve()
    assert not (folder / MARKER).exists()
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.json",
        "report.xlsx",
        "solver.log",
        "tables.xlsx",
    ]


def test_stale_partial_folders_and_temporaries_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "runs"
    out.mkdir()
    dead = out / f".tiny-20260101-000000{PARTIAL_SUFFIX}"
    dead.mkdir()
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    import socket

    (dead / MARKER).write_text(json.dumps({"pid": int(child.stdout), "host": socket.gethostname()}))
    live = out / f".tiny-20260101-000001{PARTIAL_SUFFIX}"
    live.mkdir()
    (live / MARKER).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
    fresh_unmarked = out / f".tiny-20260101-000002{PARTIAL_SUFFIX}"
    fresh_unmarked.mkdir()
    old_unmarked = out / f".tiny-20260101-000003{PARTIAL_SUFFIX}"
    old_unmarked.mkdir()
    os.utime(old_unmarked, (time.time() - 3600, time.time() - 3600))
    user_hidden = out / ".mine"
    user_hidden.mkdir()
    user_partial = out / f".photos{PARTIAL_SUFFIX}"  # not a planner name
    user_partial.mkdir()
    os.utime(user_partial, (time.time() - 3600, time.time() - 3600))
    user_lookalike = out / f".tiny-20260101-000004{PARTIAL_SUFFIX}"  # planner's name, a user's file in it
    user_lookalike.mkdir()
    (user_lookalike / "notes.txt").write_text("mine")
    os.utime(user_lookalike, (time.time() - 3600, time.time() - 3600))
    (old_unmarked / "solver.log").write_text("log")
    (old_unmarked / ".report.ab12cd_3.xlsx.tmp").write_text("x")
    os.utime(old_unmarked, (time.time() - 3600, time.time() - 3600))
    user_file = out / f".notes{PARTIAL_SUFFIX}"
    user_file.write_text("a file, not a run folder")
    assert sorted(p.name for p in clean_stale(out)) == sorted([dead.name, old_unmarked.name])
    for kept in (live, fresh_unmarked, user_hidden, user_file, user_partial, user_lookalike):
        assert kept.exists(), kept

    tables = tmp_path / "tables"
    tables.mkdir()
    ours = tables / ".flows.ab12cd_3.tmp"
    ours_new = tables / ".costs.zz12cd_3.tmp"
    theirs = [tables / ".mydata.ab12cd_3.tmp", tables / "flows.tmp", tables / ".flows.csv"]
    for p in [ours, ours_new, *theirs]:
        p.write_text("x")
    for p in [ours, *theirs]:
        os.utime(p, (time.time() - 3600, time.time() - 3600))
    assert clean_stale_temporaries(tables, {"flows", "costs"}) == [ours]
    assert ours_new.exists()
    assert all(p.exists() for p in theirs)


# ---------------------------------------------------------------------------------------------
# CSV injection, -0.0


def test_csv_cells_are_neutralised_as_text_only(tmp_path: Path) -> None:
    link = '=HYPERLINK("http://evil.example","click")'
    frame = pd.DataFrame(
        {
            "id": [link, "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain", None],
            "scenario": ["=1", "B", "C", "D", "E", "F", "G", "H"],
            "quantity": [-5.0, -0.0, 1.5, 0.0, 2.0, 3.0, -1.0, math.nan],
            "count": [-1, 0, 1, 2, 3, 4, 5, 6],
        }
    )
    (path,) = write_tables_files({"flows": frame}, tmp_path, "csv")
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "scenario", "quantity", "count"]
    assert [r[0] for r in rows[1:]] == [
        "'" + link,
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTAB",
        "'\rCR",
        "plain",
        "",
    ]
    assert rows[1][1] == "'=1"
    assert [r[2] for r in rows[1:]] == [
        "-5.0",
        "0.0",
        "1.5",
        "0.0",
        "2.0",
        "3.0",
        "-1.0",
        "",
    ]  # numbers as numbers
    assert [r[3] for r in rows[1:]] == ["-1", "0", "1", "2", "3", "4", "5", "6"]
    assert csv_safe(frame)["quantity"].tolist()[:2] == [-5.0, -0.0]  # only text is touched


def test_solution_tables_never_show_negative_zero(tmp_path: Path) -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "value": [-0.0, -1e-3]})
    clean = without_negative_zero(frame)
    assert [math.copysign(1, v) for v in clean["value"]] == [1.0, -1.0]
    assert math.copysign(1, frame["value"][0]) == -1.0  # the input is not changed
    (path,) = write_tables_files({"decisions": frame}, tmp_path, "csv")
    assert path.read_text().splitlines() == ["id,value", "a,0.0", "b,-0.001"]


def test_solution_extract_has_no_negative_zero() -> None:
    import planner.api as api

    sol = api.solve_data(api.read(TINY))
    for name, frame in sol.tables().items():
        for col in frame.columns:
            if pd.api.types.is_float_dtype(frame[col]):
                assert not any(v == 0 and math.copysign(1, v) < 0 for v in frame[col]), (name, col)


# ---------------------------------------------------------------------------------------------
# help, banner, stress and frontier options


@pytest.mark.parametrize("command", ["", "solve", "stress", "frontier", "validate", "template"])
def test_flags_show_no_bool_metavar(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out = run([command, "--help"] if command else ["--help"], capsys)
    assert code == 0
    assert "<bool>" not in out
    assert "--help" in out


@pytest.mark.parametrize("command", ["stress", "frontier"])
def test_stress_and_frontier_take_report_tables_and_scenarios(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out = run([command, "--help"], capsys)
    assert code == 0
    for flag in ("--report", "--tables", "--tables-format", "--scenarios", "--force"):
        assert flag in out, flag


def test_no_highs_banner_from_the_api_or_quiet_cli(tmp_path: Path) -> None:
    script = (
        "import planner.api as api; "
        f"sol = api.solve_data(api.read({str(TINY)!r})); "
        "print('objective', sol.objective)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    api_run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert api_run.returncode == 0, api_run.stderr
    assert "Running HiGHS" not in api_run.stdout + api_run.stderr
    assert "objective" in api_run.stdout
    cli = subprocess.run(
        [sys.executable, "-m", "planner.cli", "solve", str(TINY), "--out", str(tmp_path / "r"), "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    assert "Running HiGHS" not in cli.stdout + cli.stderr
    assert "HiGHS" not in cli.stdout.split("optimal")[0]  # nothing before the summary
