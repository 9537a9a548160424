"""Regression: the manager's report built from a solved case, read back with openpyxl.

Checks that the Summary reconciles with the Costs sheet and the objective, that text from the
workbook never becomes a formula, that reports are never overwritten by accident and are
written atomically, and that LibreOffice opens the file (converted to PDF).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from planner.api import solve_data
from planner.errors import InputError
from planner.io.report_writer import write_report
from planner.metrics import fmt_pct
from planner.report import SHEET_ORDER, ReportContent, build_report
from planner.solution import Solution
from planner.tables import from_records
from tests.behaviour.test_licence_risk import ban_case, content_case
from tests.model_cases import full_feature_records

EVIL_NAME = '=HYPERLINK("http://evil","click")'


def report_case() -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """CN and AU mines, separation in CN, Malaysia and a candidate US plant, magnets in Japan and in
    China (site id "+1"), EU demand. Licences for oxide and magnets are cut in 'SC3 heavy-RE ban',
    which goes short even with the stockpile (EU storage is capped). The US refinery's name is a
    formula and a source note starts with "+": both must reach the report as text."""
    periods = [{"period": p} for p in ("2026Q3", "2026Q4", "2027Q1", "2027Q2")]
    recs: dict[str, list[dict[str, Any]]] = {
        "Periods": periods,
        "Products": [
            {"product": "CONC", "name": "Mixed RE concentrate", "stage": "concentrate", "value": 5000},
            {
                "product": "NDPR_OX",
                "name": "NdPr oxide",
                "stage": "oxide",
                "value": 60000,
                "cost_disposal": 10,
            },
            {"product": "MAG", "name": "Sintered NdFeB magnet", "stage": "magnet", "value": 90000},
        ],
        "Groups": [{"group": "WEST", "kind": "country", "member": c} for c in ("DE", "US", "JP", "AU")],
        "Sites": [
            {"site": "CN_MINE", "name": "Bayan Obo", "type": "mine", "country": "CN", "confidence": "S"},
            {"site": "AU_MINE", "name": "Mt Weld", "type": "mine", "country": "AU", "confidence": "S"},
            {"site": "CN_SEP", "name": "Baotou separation", "type": "refinery", "country": "CN"},
            {
                "site": "MY_SEP",
                "name": "Lynas Malaysia",
                "type": "refinery",
                "country": "MY",
                "cost_fixed": 20000,
            },
            {
                "site": "US_SEP",
                "name": '=HYPERLINK("http://evil","click")',
                "type": "refinery",
                "country": "US",
                "status": "candidate",
                "cost_opening": 2_000_000,
                "confidence": "A",
                "source": "+1 analyst guess",
            },
            {"site": "JP_MAG", "name": "Shin-Etsu", "type": "magnet_plant", "country": "JP"},
            {"site": "+1", "name": "Ningbo magnets", "type": "magnet_plant", "country": "CN"},
            {"site": "EU", "name": "EU automotive", "type": "demand_region", "country": "DE"},
        ],
        "Processes": [
            {"process": "mine_cn", "site": "CN_MINE", "cost_variable": 800, "capacity": 400},
            {
                "process": "mine_au",
                "site": "AU_MINE",
                "cost_variable": 1400,
                "capacity": 150,
                "confidence": "U",
            },
            {"process": "sep_cn", "site": "CN_SEP", "cost_variable": 7000, "capacity": 40},
            {"process": "sep_my", "site": "MY_SEP", "cost_variable": 9000, "capacity": 15},
            {
                "process": "sep_us",
                "site": "US_SEP",
                "cost_variable": 11000,
                "capacity": 15,
                "confidence": "A",
            },
            {"process": "mag", "site_type": "magnet_plant", "cost_variable": 15000, "capacity": 70},
        ],
        "ProcessFlows": [
            {"process": "mine_cn", "product": "CONC", "direction": "out", "quantity": 1},
            {"process": "mine_au", "product": "CONC", "direction": "out", "quantity": 1},
            *[
                {"process": k, "product": "CONC", "direction": "in", "quantity": 4}
                for k in ("sep_cn", "sep_my", "sep_us")
            ],
            *[
                {"process": k, "product": "NDPR_OX", "direction": "out", "quantity": 1}
                for k in ("sep_cn", "sep_my", "sep_us")
            ],
            {"process": "mag", "product": "NDPR_OX", "direction": "in", "quantity": 0.3},
            {"process": "mag", "product": "MAG", "direction": "out", "quantity": 1},
        ],
        "Lanes": [
            {"lane": "cn_mine_sep", "origin": "CN_MINE", "destination": "CN_SEP", "cost_flow": 20},
            {"lane": "au_my", "origin": "AU_MINE", "destination": "MY_SEP", "cost_flow": 60},
            {"lane": "au_us", "origin": "AU_MINE", "destination": "US_SEP", "cost_flow": 90},
            {"lane": "cn_sep_jp", "origin": "CN_SEP", "destination": "JP_MAG", "cost_flow": 150},
            {"lane": "cn_sep_cnmag", "origin": "CN_SEP", "destination": "+1", "cost_flow": 30},
            {"lane": "my_jp", "origin": "MY_SEP", "destination": "JP_MAG", "cost_flow": 120},
            {"lane": "us_jp", "origin": "US_SEP", "destination": "JP_MAG", "cost_flow": 300},
            {
                "lane": "jp_eu",
                "origin": "JP_MAG",
                "destination": "EU",
                "cost_flow": 400,
                "transit_periods": 1,
            },
            {"lane": "cnmag_eu", "origin": "+1", "destination": "EU", "cost_flow": 300},
        ],
        "Contracts": [
            {
                "contract": "K_LYNAS",
                "supplier": "MY_SEP",
                "product": "NDPR_OX",
                "price": 75000,
                "max_per_period": 8,
                "confidence": "A",
            },
        ],
        "Demand": [
            {
                "site": "EU",
                "product": "MAG",
                "period": p["period"],
                "quantity": q,
                "customer_class": "automotive",
                "shortage_penalty": 400_000,
                "confidence": "U" if i == 3 else "S",
            }
            for i, (p, q) in enumerate(zip(periods, (60, 75, 90, 90), strict=True))
        ],
        "Inventory": [
            {
                "site": "JP_MAG",
                "product": "NDPR_OX",
                "initial_stock": 5,
                "cost_holding": 900,
                "cover_days": 30,
            },
            {
                "site": "EU",
                "product": "MAG",
                "initial_stock": 10,
                "cost_holding": 1500,
                "cover_days": 20,
                "max_stock": 25,
            },
        ],
        "ExportControls": [
            {
                "rule": "MOFCOM_18",
                "country": "CN",
                "product": "NDPR_OX",
                "destination_group": "WEST",
                "approval_share": 0.9,
                "review_delay": 0,
                "confidence": "A",
            },
            {
                "rule": "MOFCOM_61",
                "country": "CN",
                "product": "MAG",
                "destination_group": "WEST",
                "approval_share": 0.95,
            },
        ],
        "Scenarios": [
            {"scenario": "SC1 status quo", "probability": 0.5},
            {"scenario": "SC2 slow licences", "probability": 0.3},
            {"scenario": "SC3 heavy-RE ban", "probability": 0.2},
        ],
        "ScenarioChanges": [
            {
                "scenario": "SC2 slow licences",
                "table": "ExportControls",
                "filter": "",
                "column": "approval_share",
                "value": 0.5,
            },
            {
                "scenario": "SC3 heavy-RE ban",
                "table": "ExportControls",
                "filter": "",
                "column": "approval_share",
                "value": 0.0,
                "confidence": "A",
            },
        ],
    }
    settings = {"reveal_period": "2026Q4", "risk_weight": 0.3, "cvar_alpha": 0.8, "mip_gap": 1e-6}
    return recs, settings


@pytest.fixture(scope="module")
def solved() -> Solution:
    records, settings = report_case()
    sol = solve_data(from_records(records, settings))
    assert sol.proven_optimal
    return sol


@pytest.fixture(scope="module")
def content(solved: Solution) -> ReportContent:
    return build_report(solved, solved.extra["network"])


@pytest.fixture(scope="module")
def report(content: ReportContent, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(content, tmp_path_factory.mktemp("report") / "report.xlsx")


def _find(ws: Any, value: str, column: int | None = None) -> Any:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value and (column is None or cell.column == column):
                return cell
    raise AssertionError(f"{value!r} not found on {ws.title}")


def _header_column(ws: Any, header_row: int, name: str, start: int = 1) -> int:
    for cell in ws[header_row]:
        if cell.column >= start and cell.value == name:
            return int(cell.column)
    raise AssertionError(f"no column {name!r} in row {header_row} of {ws.title}")


def test_sheets_in_order_with_valid_names(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames == list(SHEET_ORDER)
    assert all(len(n) <= 31 for n in wb.sheetnames)
    assert wb.active.title == "Summary"


def test_summary_reconciles_with_costs_sheet_and_objective(report: Path, solved: Solution) -> None:
    wb = openpyxl.load_workbook(report)
    summary = wb["Summary"]
    label = next(
        c for row in summary.iter_rows() for c in row if str(c.value or "").startswith("Expected total cost")
    )
    tile_value = summary.cell(row=label.row + 1, column=label.column).value
    assert "$" in summary.cell(row=label.row + 1, column=label.column).number_format

    costs = wb["Costs"]
    header = _find(costs, "Component", column=1).row
    exp_col = _header_column(costs, header, "Expected")
    total_cell = _find(costs, "Total", column=1)
    component_total = costs.cell(row=total_cell.row, column=exp_col).value
    components = [costs.cell(row=r, column=exp_col).value for r in range(header + 1, total_cell.row)]
    assert sum(components) == pytest.approx(component_total, rel=1e-9)

    scen = solved.scenarios
    expected = float((scen["probability"] * scen["total_cost"]).sum())
    assert tile_value == pytest.approx(expected, rel=1e-9)
    assert component_total == pytest.approx(expected, rel=1e-9)

    item = _find(costs, "Objective reported by the solver")
    assert costs.cell(row=item.row, column=item.column + 1).value == pytest.approx(solved.objective, rel=1e-9)
    combined = _find(costs, "Expected cost + weight x CVaR")
    assert costs.cell(row=combined.row, column=combined.column + 1).value == pytest.approx(
        solved.objective, rel=1e-6
    )


def test_shortage_finding_quotes_the_shortages_sheet(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    sh = wb["Shortages"]
    title = _find(sh, "By product and scenario")
    header = title.row + 1
    scen_col = _header_column(sh, header, "Scenario", start=title.column)
    share_col = _header_column(sh, header, "% short", start=title.column)
    row = next(
        r
        for r in range(header + 1, sh.max_row + 1)
        if sh.cell(row=r, column=scen_col).value == "SC3 heavy-RE ban"
    )
    share = sh.cell(row=row, column=share_col).value
    texts = [str(c.value) for c in wb["Summary"]["B"] if isinstance(c.value, str)]
    finding = next(t for t in texts if "'SC3 heavy-RE ban'" in t and "short over the horizon" in t)
    assert f"is {fmt_pct(share)} short over the horizon" in finding


def test_text_from_the_workbook_is_never_a_formula(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
    evil = _find(wb["Decisions"], EVIL_NAME)
    assert evil.data_type == "s"
    assert _find(wb["Inputs"], EVIL_NAME).data_type == "s"
    assert _find(wb["Inputs"], "+1 analyst guess").data_type == "s"
    plus = _find(wb["Flows & dependency"], "+1")
    assert plus.data_type == "s"


def test_charts_are_native_excel_charts(report: Path) -> None:
    with zipfile.ZipFile(report) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        media = [n for n in z.namelist() if n.startswith("xl/media/")]
        drawing = z.read("xl/drawings/drawing1.xml").decode()  # the Summary's drawing
        xml = [z.read(n).decode() for n in charts]
    assert len(charts) == 4
    assert drawing.count("<c:chart ") == 4  # all four on the Summary
    assert media == ["xl/media/image1.png"]  # native charts; the one picture is the flow picture
    assert sum("<barChart>" in x for x in xml) == 3  # cost breakdown, scenario combo, supply mix
    assert sum("<lineChart>" in x for x in xml) == 2  # stock trajectories, shortage line of the combo
    assert all("'Summary'" not in x for x in xml)  # data come from the detail sheets


def test_layout_freezes_filters_and_prints_landscape(report: Path) -> None:
    wb = openpyxl.load_workbook(report)
    for name in (
        "Decisions",
        "Costs",
        "Scenarios",
        "Flows & dependency",
        "Inventory",
        "Shortages",
        "Licences",
    ):
        ws = wb[name]
        assert ws.freeze_panes == "A5", name
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows in ("$1:$4", "$1:$2"), name
    # every cost row is a screen table: Costs prints its tables on the left only, under the title rows
    assert wb["Costs"].print_title_rows == "$1:$2"
    # component, expected, share and the three scenarios: columns A to F
    assert str(wb["Costs"].print_area).startswith("'Costs'!$A$1:$F$")
    assert wb["Flows & dependency"].auto_filter.ref
    sh = wb["Shortages"]
    assert any("greaterThan" in str(r.operator) for rng in sh.conditional_formatting for r in rng.rules)
    short_col = _header_column(sh, 4, "Short", start=8)
    assert sh.cell(row=5, column=short_col).number_format.endswith('"t"')
    for ws in wb.worksheets:
        for letter, dim in ws.column_dimensions.items():
            assert dim.width is None or dim.width <= 80, (ws.title, letter)


def test_not_proven_optimal_is_said_on_the_summary(solved: Solution, tmp_path: Path) -> None:
    stopped = dataclasses.replace(
        solved, proven_optimal=False, status="feasible", gap=0.034, message="time limit"
    )
    content = build_report(stopped, solved.extra["network"])
    path = write_report(content, tmp_path / "stopped.xlsx")
    summary = openpyxl.load_workbook(path)["Summary"]
    texts = [str(c.value) for c in summary["B"] if isinstance(c.value, str)]
    assert any(t.startswith("Not proven optimal, gap 3.40%") for t in texts)


def test_existing_report_is_not_overwritten_without_force(content: ReportContent, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous report")
    with pytest.raises(InputError, match="already exists"):
        write_report(content, target)
    assert target.read_bytes() == b"previous report"
    write_report(content, target, force=True)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Summary"


def test_the_input_workbook_is_never_written(content: ReportContent, tmp_path: Path) -> None:
    source = tmp_path / "inputs.xlsx"
    source.write_bytes(b"the workbook")
    with pytest.raises(InputError, match="input workbook"):
        write_report(dataclasses.replace(content, input_path=str(source)), source, force=True)
    assert source.read_bytes() == b"the workbook"


def test_failed_write_leaves_no_file(
    content: ReportContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_save(self: Any, filename: Any) -> None:
        Path(filename).write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_report(content, tmp_path / "report.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_report_opens_in_libreoffice(report: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; cannot check that the report opens")
    profile = tmp_path / "lo-profile"
    out = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.is_file(), out.stderr
    assert pdf.stat().st_size > 1000


def _small_cases() -> list[Any]:
    return [
        pytest.param(*full_feature_records(), id="full-feature"),
        pytest.param(ban_case(0.25), {"reveal_period": "P2"}, id="ban"),
        pytest.param(content_case(0.001), {}, id="one-scenario"),
    ]


@pytest.mark.parametrize(("records", "settings"), _small_cases())
def test_report_builds_for_every_model_case(records: Any, settings: dict[str, Any], tmp_path: Path) -> None:
    sol = solve_data(from_records(records, settings))
    content = build_report(sol, sol.extra["network"])
    assert 3 <= len(content.findings) <= 6
    wb = openpyxl.load_workbook(write_report(content, tmp_path / "r.xlsx"))
    assert wb.sheetnames == list(SHEET_ORDER)
    costs = wb["Costs"]
    total = _find(costs, "Total", column=1)
    assert costs.cell(row=total.row, column=2).value == pytest.approx(sol.expected_cost, rel=1e-9, abs=1e-9)


def _format_is_well_formed(fmt: str) -> bool:
    """Quotes balanced once backslash escapes are skipped, at most 255 characters (Excel's limit)."""
    quoted = False
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "\\" and not quoted:
            i += 2
            continue
        if ch == '"':
            quoted = not quoted
        i += 1
    return not quoted and len(fmt) <= 255


def test_currency_with_a_quote_and_a_long_unit_keep_every_number_format_valid(
    content: ReportContent, tmp_path: Path
) -> None:
    """Settings text inside number formats is escaped and cut: the report still opens (#15)."""
    odd = dataclasses.replace(content, currency='US"D', mass_unit="tonnes " + "x" * 293)
    path = write_report(odd, tmp_path / "odd.xlsx")
    wb = openpyxl.load_workbook(path)
    formats = {c.number_format for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    bad = sorted(f for f in formats if not _format_is_well_formed(f))
    assert not bad, bad[:3]
    money = [f for f in formats if "US" in f]
    assert money
    assert all('"US"\\""D"' in f for f in money), money[:3]
    tonnes = [f for f in formats if "tonnes" in f]
    assert tonnes
    assert all(len(f) < 60 and "\u2026" in f for f in tonnes), tonnes[:3]
