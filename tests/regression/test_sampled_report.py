"""The manager report of ``planner saa`` and ``planner replay`` (report.xlsx in the run folder).

On the teaching workbook with small samples: the report is in the folder and its manifest, the
Summary shows the numbers of the JSON and tables.xlsx, the Summary has native charts, and the
numbers a reader can check by hand (a quantile, the paired difference with its interval) match
an independent computation with numpy from the outcomes table.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from scipy.stats import t as student_t

from planner.api import run_replay, run_saa
from planner.cli import main
from planner.config import SolveOptions
from planner.replay import ReplayResult, summarise
from planner.report.sampled import paired_difference, replay_report, wilson

TINY = Path(__file__).resolve().parents[2] / "inputs" / "tiny.xlsx"
EXACT = SolveOptions(mip_gap=0.0, time_limit=60)


def cells(ws: Any) -> list[Any]:
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def numbers(ws: Any) -> list[float]:
    return [float(v) for v in cells(ws) if isinstance(v, (int, float)) and not isinstance(v, bool)]


def has(values: list[float], x: float) -> bool:
    return any(math.isclose(v, x, rel_tol=1e-9, abs_tol=1e-6) for v in values)


def table(ws: Any, header: str) -> pd.DataFrame:
    """The block whose first header cell reads ``header`` (down to its first empty row)."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == header:
                heads, col = [], c.column
                while ws.cell(c.row, col).value is not None:
                    heads.append(ws.cell(c.row, col).value)
                    col += 1
                rows, r = [], c.row + 1
                while ws.cell(r, c.column).value is not None:
                    rows.append([ws.cell(r, c.column + j).value for j in range(len(heads))])
                    r += 1
                return pd.DataFrame(rows, columns=heads)
    raise AssertionError(f"no table headed {header!r} on {ws.title}")


@pytest.fixture(scope="module")
def saa_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    return run_saa(TINY, tmp_path_factory.mktemp("saa"), 10, 3, 40, seed=1, options=EXACT)


@pytest.fixture(scope="module")
def replay_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    return run_replay(TINY, tmp_path_factory.mktemp("replay"), 40, seed=2, options=EXACT)


def test_saa_report_is_in_the_run_folder_with_the_json_numbers(saa_run: tuple[Path, Any]) -> None:
    folder, result = saa_run
    report = folder / "report.xlsx"
    assert report.is_file()
    manifest = json.loads((folder / "saa.json").read_text())
    assert manifest["files"]["report"] == str(report)
    assert {"tables", "solver_log", "saa", "report"} <= set(manifest["files"])
    est = manifest["saa"]
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames[0] == "Summary"
    summary = wb["Summary"]
    shown = numbers(summary)
    for key in ("upper_bound", "lower_bound", "gap", "gap_ci_upper"):
        assert has(shown, est[key]), key
    subtitle = str(summary.cell(2, 2).value)
    assert "N = 10" in subtitle
    assert "M = 3" in subtitle
    assert "K = 40" in subtitle
    assert "seed 1" in subtitle
    assert "MIP gap 0" in subtitle
    text = " ".join(str(v) for v in cells(summary))
    assert "With 95% confidence the plan is within" in text
    assert len(summary._charts) == 2
    # the replications of tables.xlsx, row for row
    reps = table(wb["Bounds"], "Replication")
    tables = pd.read_excel(folder / "tables.xlsx", sheet_name="replications")
    assert reps["Lower bound (proven)"].tolist() == pytest.approx(tables["bound"].tolist())
    assert reps["Gap"].tolist() == pytest.approx(tables["gap"].tolist())
    assert result.decisions["index"].astype(str).tolist() == table(wb["Plan"], "Decision")["What"].tolist()


def test_replay_report_summary_matches_the_json(replay_run: tuple[Path, Any]) -> None:
    folder, _ = replay_run
    report = folder / "report.xlsx"
    assert report.is_file()
    manifest = json.loads((folder / "replay.json").read_text())
    assert manifest["files"]["report"] == str(report)
    wb = openpyxl.load_workbook(report)
    summary = wb["Summary"]
    shown = numbers(summary)
    for plan in manifest["replay"]["plans"]:
        for key in ("expected_cost", "cost_p95", "cost_max", "share_of_draws_short"):
            assert has(shown, plan[key]), (plan["plan"], key)
    assert "40 draws sampled with seed 2" in str(summary.cell(2, 2).value)
    assert len(summary._charts) == 2
    # tiny: both plans qualify JP, so they cost the same in every draw
    text = " ".join(str(v) for v in cells(summary))
    assert "cost the same in every one of the 40 draws" in text


def test_replay_quantile_is_a_draw_value_checked_by_hand(replay_run: tuple[Path, Any]) -> None:
    folder, _ = replay_run
    outcomes = pd.read_excel(folder / "tables.xlsx", sheet_name="outcomes")
    plans = table(openpyxl.load_workbook(folder / "report.xlsx")["Plans"], "Measure").set_index("Measure")
    mine = outcomes[outcomes["plan"] == "plan"]
    every_draw = np.repeat(mine["total_cost"].to_numpy(float), mine["draws"].to_numpy(int))
    assert len(every_draw) == 40
    for label, q in (("Median", 0.5), ("90% quantile", 0.9), ("95% quantile", 0.95)):
        assert plans.at[label, "The plan"] == pytest.approx(np.quantile(every_draw, q, method="inverted_cdf"))
    assert plans.at["Expected cost", "The plan"] == pytest.approx(every_draw.mean())
    assert plans.at["Worst draw", "The plan"] == pytest.approx(every_draw.max())


def synthetic(shift: float, seed: int = 1, n: int = 120) -> ReplayResult:
    """Two plans on the same n draws: the expected-value plan costs ``shift`` more on average, with noise."""
    rng = np.random.default_rng(seed)
    base = 1_000_000 + rng.normal(0, 50_000, n)
    other = base + shift + rng.normal(0, 40_000, n)
    rows = [
        {
            "plan": name,
            "scenario": f"P{i:03d}",
            "draws": 1 + i % 3,  # merged identical draws count more than once
            "probability": 0.0,
            "total_cost": float(c[i]),
            "shortage": 0.0,
            "service_level": 1.0,
            "description": f"draw {i}",
        }
        for name, c in (("plan", base), ("expected-value plan", other))
        for i in range(n)
    ]
    out = pd.DataFrame(rows)
    return ReplayResult(
        evaluate=int(out["draws"].sum() // 2), seed=seed, outcomes=out, summary=summarise(out)
    )


def test_paired_difference_matches_a_t_interval_over_every_draw() -> None:
    res = synthetic(shift=30_000)
    o = res.outcomes
    a, b = o[o["plan"] == "plan"], o[o["plan"] == "expected-value plan"]
    d = np.repeat(a["total_cost"].to_numpy() - b["total_cost"].to_numpy(), a["draws"].to_numpy())
    half = student_t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d))
    got = paired_difference(o)
    assert got is not None
    assert got["mean"] == pytest.approx(d.mean())
    assert (got["low"], got["high"]) == pytest.approx((d.mean() - half, d.mean() + half))
    assert got["high"] < 0  # 30k a draw against noise of 40k over ~240 draws: beyond sampling error
    content = replay_report(res)
    assert "a difference beyond sampling error" in content.findings[0]
    assert "less in expectation" in content.findings[0]


def test_a_difference_inside_sampling_error_is_called_so() -> None:
    content = replay_report(synthetic(shift=0.0, seed=3, n=30))
    assert "no difference beyond sampling error" in content.findings[0]


def test_wilson_interval_of_a_share() -> None:
    lo, hi = wilson(0, 40)
    assert lo == 0.0
    assert hi == pytest.approx(0.0876, abs=1e-4)
    lo, hi = wilson(12, 40)
    assert lo < 0.3 < hi


def test_cli_prints_the_report_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["replay", str(TINY), "--evaluate", "10", "--out", str(tmp_path), "--gap", "0"])
    assert info.value.code in (0, None)
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("report "))
    path = Path(line.split(maxsplit=1)[1])
    assert path.name == "report.xlsx"
    assert path.is_file()
