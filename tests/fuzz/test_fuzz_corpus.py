"""The fuzz corpus (#15): every malformed workbook is refused with a location and a hint, accepted
with a located warning, or accepted because it is valid; never exit 70, never a traceback, never
more than 30 s or 1 GB.

Cases come from ``tests/fuzz/corpus.py`` (seeded, deterministic). A case that fails today is
listed in ``KNOWN_FAILURES`` with the reason, and runs as a strict xfail: when the fix lands the
case XPASSes, which fails the run, and its entry must be removed here.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.corpus import (
    ANY,
    FILE,
    FLAG,
    REFUSE,
    SAME_OR_FLAG,
    TINY,
    VALID,
    Case,
    cases,
)

# case_id -> why it fails today (one line, quoted in the xfail reason; "#15: ..."); "solve:<case_id>"
# entries belong to test_solve_never_exits_70. When a fix lands the case XPASSes (strict), which
# fails the run: remove its entry here. Every case passes today.
KNOWN_FAILURES: dict[str, str] = {}

TIME_LIMIT_S = 30.0
MEMORY_LIMIT_BYTES = 1 << 30
ALLOWED_EXIT = {0, 1, 2}
# words of a message that tells the user what to do (or what is expected instead)
HINT = re.compile(
    r"\b(add|use|fix|check|remove|keep|save|open|fill|give|change|leave|raise|correct|delete|rename|"
    r"expected|expects|must|should|did you mean|choose|move|set|make|split|drop|replace|enter|"
    r"write|start|spell|declare|refusing|not part of|ignored|at most|at least)\b",
    re.IGNORECASE,
)
LINE = re.compile(
    r"^(?P<severity>ERROR|WARNING) +(?P<sheet>.+?)(?: row (?P<row>\d+))?(?:,? column '(?P<column>[^']*)')?"
    r"(?: \(value: .*?\))?: (?P<message>.*)$"
)


@dataclass(frozen=True)
class Seen:
    """One issue as the command line printed it."""

    severity: str
    sheet: str
    row: int | None
    column: str | None
    message: str


def _param(case: Case, prefix: str = "") -> Any:
    reason = KNOWN_FAILURES.get(prefix + case.case_id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.case_id, marks=marks)


def _small() -> list[Any]:
    return [_param(c) for c in cases() if not c.big]


def _big() -> list[Any]:
    return [_param(c) for c in cases() if c.big]


# ---------------------------------------------------------------------------------------------
# running planner validate


def run_in_process(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, list[Seen], float]:
    """Run the CLI in-process; return exit code, output, the issues it printed, wall time."""
    import planner.cli as cli

    seen: list[Seen] = []
    original = cli.format_issue

    def spy(issue: Any) -> str:
        seen.append(Seen(issue.severity, issue.sheet or FILE, issue.row, issue.column, issue.message))
        return original(issue)

    monkeypatch.setattr(cli, "format_issue", spy)
    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    t0 = time.perf_counter()
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    elapsed = time.perf_counter() - t0
    out = capsys.readouterr()
    code = info.value.code
    return (0 if code is None else int(code)), out.out + out.err, seen, elapsed


def run_subprocess(argv: list[str], cwd: Path) -> tuple[int, str, list[Seen], float, int]:
    """Run the CLI in a child process; return exit code, output, issues, wall time, peak RSS (bytes)."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    env.pop("PLANNER_DEBUG", None)
    out_path = cwd / "out.txt"
    t0 = time.perf_counter()
    with out_path.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner.cli", *argv],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
        )
        deadline = t0 + TIME_LIMIT_S * 2
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out_path.read_text(encoding="utf-8", errors="replace")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return proc.returncode, text, _parse(text), elapsed, int(usage.ru_maxrss) * scale


def _parse(text: str) -> list[Seen]:
    found = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            found.append(
                Seen(
                    m["severity"].lower(),
                    m["sheet"],
                    int(m["row"]) if m["row"] else None,
                    m["column"],
                    m["message"],
                )
            )
    return found


# ---------------------------------------------------------------------------------------------
# the contract


def _matches(issue: Seen, case: Case, severities: tuple[str, ...]) -> bool:
    sheet, row, column = case.where
    if issue.severity not in severities:
        return False
    if case.about and not re.search(case.about, issue.message, re.IGNORECASE):
        return False
    if sheet is not None and issue.sheet != sheet:
        # a file-level refusal that names the sheet in its message also points at it
        if not (issue.sheet == FILE and sheet != FILE and f"'{sheet}'" in issue.message):
            return False
        return row is None and column is None
    if row is not None and issue.row != row:
        return False
    if column is not None and issue.column != column:
        return False
    return not case.cell or (issue.row is not None and bool(issue.column))


def _same_as_tiny(path: Path) -> bool:
    """Does the reader return exactly the tables and settings of tiny.xlsx?"""
    from planner.errors import InputError
    from planner.io.excel_reader import read_workbook

    try:
        got = read_workbook(path)
    except InputError:
        return False
    want = read_workbook(TINY)
    if got.issues != want.issues or set(got.present_sheets) != set(want.present_sheets):
        return False
    for name, frame in want.tables.items():
        if not frame.equals(got.tables[name]):
            return False
    return _settings_equal(got.settings, want.settings)


def _settings_equal(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.keys() != b.keys():
        return False
    for k, v in a.items():
        w = b[k]
        both_nan = isinstance(v, float) and isinstance(w, float) and math.isnan(v) and math.isnan(w)
        if not both_nan and v != w:
            return False
    return True


def check_contract(case: Case, path: Path, code: int, out: str, seen: list[Seen], elapsed: float) -> None:
    """Assert what every case must satisfy, then what its expectation asks."""
    shown = "\n".join(out.splitlines()[:25])
    assert code in ALLOWED_EXIT, f"exit {code} (70 = internal error):\n{shown}"
    assert "Traceback" not in out, shown
    assert "internal error" not in out, shown
    assert elapsed < TIME_LIMIT_S, f"took {elapsed:.1f} s"
    errors = [i for i in seen if i.severity == "error"]
    if code == 2:
        assert errors, f"exit 2 without a located ERROR line:\n{shown}"
    for issue in seen:
        assert issue.sheet, issue
        assert issue.message.strip(), issue
        unquoted = re.sub(r"'[^']*'|\"[^\"]*\"", "", issue.message)  # not a word inside a quoted id
        assert HINT.search(unquoted), f"no hint of what to do: {issue}"
    located = f"expected an issue at {case.where} (cell={case.cell}); got:\n{shown}"
    if case.expect == REFUSE:
        assert code == 2, f"accepted (exit {code}); expected a refusal:\n{shown}"
        assert any(_matches(i, case, ("error",)) for i in errors), located
    elif case.expect == FLAG:
        assert any(_matches(i, case, ("error", "warning")) for i in seen), (
            f"silently accepted (exit {code}); " + located
        )
    elif case.expect == SAME_OR_FLAG:
        if not any(_matches(i, case, ("error", "warning")) for i in seen):
            assert _same_as_tiny(path), f"data changed without an issue about it (exit {code}):\n{shown}"
    elif case.expect == VALID:
        assert code == 0, f"a valid workbook was refused:\n{shown}"
        assert not errors, shown
    else:
        assert case.expect == ANY


# ---------------------------------------------------------------------------------------------
# tests


def test_corpus_is_large_deterministic_and_covers_every_family() -> None:
    from collections import Counter

    from tests.fuzz import corpus

    all_cases = cases()
    assert len(all_cases) >= 300
    counts = Counter(c.family for c in all_cases)
    assert set(counts) == set(corpus.FAMILIES)
    assert all(n >= 5 for n in counts.values()), counts
    corpus.cases.cache_clear()
    again = corpus.cases()
    assert [(c.case_id, c.expect, c.where) for c in again] == [
        (c.case_id, c.expect, c.where) for c in all_cases
    ]
    known = {c.case_id for c in all_cases} | {f"solve:{c}" for c in SOLVE_CASES}
    assert set(KNOWN_FAILURES) <= known, sorted(set(KNOWN_FAILURES) - known)


@pytest.mark.parametrize("case", _small())
def test_validate_case(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = case.build(tmp_path / f"case{case.suffix}")
    code, out, seen, elapsed = run_in_process(["validate", str(path)], capsys, monkeypatch)
    check_contract(case, path, code, out, seen, elapsed)


@pytest.mark.parametrize("case", _big())
def test_validate_big_case_in_time_and_memory(case: Case, tmp_path: Path) -> None:
    path = case.build(tmp_path / f"case{case.suffix}")
    code, out, seen, elapsed, peak = run_subprocess(["validate", str(path)], tmp_path)
    assert peak < MEMORY_LIMIT_BYTES, f"peak memory {peak / 2**20:,.0f} MiB"
    check_contract(case, path, code, out, seen, elapsed)


# representative workbooks that validate clean (or should be refused first): solving them must not
# end in an internal error (exit 70)
SOLVE_CASES = tuple(c.case_id for c in cases() if c.solve)


@pytest.mark.parametrize("case", [_param(c, "solve:") for c in cases() if c.solve])
def test_solve_never_exits_70(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = case.build(tmp_path / f"case{case.suffix}")
    argv = ["solve", str(path), "--out", str(tmp_path / "runs"), "--quiet"]
    code, out, _, elapsed = run_in_process(argv, capsys, monkeypatch)
    shown = "\n".join(out.splitlines()[:25])
    assert code != 70, f"internal error:\n{shown}"
    assert "Traceback" not in out, shown
    assert code in (0, 2, 3), f"exit {code}:\n{shown}"
    assert elapsed < TIME_LIMIT_S * 2, f"took {elapsed:.1f} s"
