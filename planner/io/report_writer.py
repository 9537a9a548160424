"""Lay out a :class:`~planner.report.ReportContent` as an .xlsx workbook for managers.

Summary first (KPI tiles, findings, notes and native charts), then one sheet per
detail topic. Number formats carry their units (currency, t, %, days); header
rows are frozen and filterable; shortages are highlighted; every sheet prints
landscape, fitted to the page width, with its header rows repeated.

Every text cell is written as text (never a formula), so a workbook value such as
``=HYPERLINK(...)`` or ``+1`` shows literally. The file is written to a temporary
file and renamed when complete; an existing report is only replaced with
``force=True``, and the input workbook is never written.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from planner.errors import InputError
from planner.io.excel_writer import save_atomically
from planner.io.report_charts import (
    _place_charts,
    _place_pictures,
)
from planner.io.report_format import (
    ALERT_FILL,
    AMBER_FILL,
    BOLD,
    GAP_COL_WIDTH,
    GREY,
    HEADER_FILL,
    LAST_SUMMARY_COL,
    LEFT_ROWS_ON_FIRST_PAGE,
    MAX_WRAP_LINES,
    NAVY,
    RED_FILL,
    THIN,
    TILE_COL_WIDTH,
    TILE_COLUMNS,
    TILE_FILL,
    WRAP_WIDTH,
    _display_len,
    _is_num,
    _merge_text,
    _Placed,
    _plain,
    number_format,
    sheet_title,
    tile_format,
)
from planner.io.results_writer import put
from planner.report import SUMMARY, Block, ReportContent, SheetSpec, Tile

log = logging.getLogger(__name__)

# ----------------------------------------------------------------------------- blocks


def _write_block(
    ws: Any,
    block: Block,
    title_row: int,
    col: int,
    currency: str,
    mass_unit: str,
    widths: dict[int, float],
) -> _Placed:
    frame = block.frame
    header_row = title_row + 1
    put(ws, title_row, col, block.title).font = Font(bold=True, size=11, color=NAVY)
    cols = [str(c) for c in frame.columns]
    formats: dict[str, str | None] = {}
    for name in cols:
        kind = block.kinds.get(name, "text")
        values = [_plain(v) for v in frame[name].tolist()]
        if kind == "text" and any(_is_num(v) for v in values):
            kind = "num"
        formats[name] = number_format(kind, [v for v in values if _is_num(v)], currency, mass_unit)
    row_formats: dict[str, list[str | None]] = {}
    for name, kinds in block.row_kinds.items():
        row_formats[name] = [
            number_format(k, [_plain(v)] if _is_num(_plain(v)) else [], currency, mass_unit)
            for k, v in zip(kinds, frame[name].tolist(), strict=False)
        ]
    text_align = {
        name: Alignment(horizontal="left", indent=1 if j > 0 else 0)
        for j, name in enumerate(cols)
        if formats[name] is None or name in block.row_kinds
    }
    for j, name in enumerate(cols):
        c = put(ws, header_row, col + j, name)
        c.font = Font(bold=True, color=NAVY)
        c.fill = HEADER_FILL
        left = formats[name] is None or name in block.row_kinds
        c.alignment = Alignment(
            wrap_text=True,
            vertical="bottom",
            horizontal="left" if left else "right",
            indent=1 if left and j > 0 else 0,
        )
        c.border = Border(bottom=THIN)
    n = len(frame)
    last_total = block.total_row and n > 0
    # long text (sources, descriptions) wraps in a column of WRAP_WIDTH instead of spilling over
    wrap = {
        name: Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1 if j > 0 else 0)
        for j, name in enumerate(cols)
        if block.wrap
        and formats[name] is None
        and any(_display_len(_plain(v), None) > WRAP_WIDTH for v in frame[name].tolist())
    }
    for i, row in enumerate(frame.itertuples(index=False)):
        r = header_row + 1 + i
        total = last_total and i == n - 1
        for j, value in enumerate(row):
            name = cols[j]
            v = _plain(value)
            cell = put(ws, r, col + j, v)
            fmt = (
                row_formats[name][i] if name in row_formats and i < len(row_formats[name]) else formats[name]
            )
            if _is_num(v) and fmt:
                cell.number_format = fmt
                if name in block.row_kinds:  # a list of mixed values reads best aligned left
                    cell.alignment = Alignment(horizontal="left", indent=1 if j > 0 else 0)
            elif isinstance(v, str):
                cell.number_format = "@"
                if name in wrap:
                    cell.alignment = wrap[name]
                    lines = min(MAX_WRAP_LINES, math.ceil(_display_len(v, None) / (WRAP_WIDTH - 2)))
                    if lines > 1:
                        current = ws.row_dimensions[r].height or 15.0
                        ws.row_dimensions[r].height = max(current, 15.0 * lines)
                elif name in text_align:
                    cell.alignment = text_align[name]
            if total:
                cell.font = Font(bold=True)
                cell.border = Border(top=THIN)
    # widths: longest shown value or a header word, within limits
    for j, name in enumerate(cols):
        fmt = formats[name]
        sample = [_plain(v) for v in frame[name].tolist()[:500]]
        data_len = max((_display_len(v, fmt) for v in sample), default=0)
        # headers are bold: about 15% wider than the plain digits the width unit counts
        head_len = BOLD * max(len(name) if len(name) <= 16 else 0, *(len(w) for w in name.split()))
        want = min(float(WRAP_WIDTH), max(8.0, float(max(data_len, math.ceil(head_len))) + 2))
        widths[col + j] = max(widths.get(col + j, 0.0), want)
    _highlight(ws, block, header_row, col, n - (1 if last_total else 0))
    maxima: dict[str, float] = {}
    minima: dict[str, float] = {}
    for name in cols:
        nums = [float(v) for v in (_plain(x) for x in frame[name].tolist()) if _is_num(v)]
        maxima[name] = max((abs(v) for v in nums), default=0.0)
        minima[name] = min(nums, default=0.0)
    return _Placed(ws, header_row, col, {name: col + j for j, name in enumerate(cols)}, n, maxima, minima)


def _highlight(ws: Any, block: Block, header_row: int, col: int, n: int) -> None:
    if n <= 0:
        return
    cols = [str(c) for c in block.frame.columns]
    first, last = header_row + 1, header_row + n
    for name, rule in block.highlight.items():
        if name not in cols:
            continue
        letter = get_column_letter(col + cols.index(name))
        rng = f"{letter}{first}:{letter}{last}"
        if rule == "positive":
            ws.conditional_formatting.add(
                rng,
                CellIsRule(
                    operator="greaterThan", formula=["0.000001"], fill=RED_FILL, font=Font(color="9C0006")
                ),
            )
        elif rule == "under_one":
            ws.conditional_formatting.add(
                rng,
                CellIsRule(
                    operator="lessThan", formula=["0.999999"], fill=RED_FILL, font=Font(color="9C0006")
                ),
            )
        elif rule == "over_half":
            ws.conditional_formatting.add(
                rng, CellIsRule(operator="greaterThan", formula=["0.5"], fill=AMBER_FILL)
            )
        elif rule.startswith("below:"):
            other = rule.split(":", 1)[1]
            if other not in cols:
                continue
            o = get_column_letter(col + cols.index(other))
            formula = f"AND(ISNUMBER({letter}{first}),{o}{first}>0,{letter}{first}<{o}{first})"
            ws.conditional_formatting.add(rng, FormulaRule(formula=[formula], fill=AMBER_FILL))


def _print_setup(ws: Any, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = False
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "&A - page &P of &N"


def _sheet_heading(ws: Any, title: str, description: str) -> None:
    put(ws, 1, 1, title).font = Font(bold=True, size=14, color=NAVY)
    put(ws, 2, 1, description).font = Font(italic=True, size=9, color=GREY)
    ws.row_dimensions[1].height = 22


def _wrap_description(ws: Any, description: str, last_col: int, widths: dict[int, float]) -> None:
    """Wrap a sheet's description over the printed columns when it is longer than they are wide
    (a narrow print area would otherwise cut it at the page edge)."""
    width = sum(widths.get(c, 8.43) for c in range(1, last_col + 1))
    per_line = max(20.0, width * 11 / 9 * 0.95)
    lines = math.ceil(len(description) / per_line)
    if lines <= 1 or last_col < 2:
        return
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)
    ws.cell(row=2, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 12.0 * min(lines, MAX_WRAP_LINES) + 2


def _header_lines(block: Block, placed: _Placed, widths: dict[int, float]) -> int:
    lines = 1
    for name in block.frame.columns:
        w = widths.get(placed.columns[str(name)], 10.0)
        lines = max(lines, math.ceil(BOLD * len(str(name)) / max(1.0, w - 1)))
    return min(3, lines)


def _write_sheet(ws: Any, sheet: SheetSpec, content: ReportContent) -> dict[str, _Placed]:
    """Summary blocks stacked on the left, the detail (and extra) tables to their right; row 4 frozen."""
    _sheet_heading(ws, sheet.title, sheet.description)
    widths: dict[int, float] = {}
    placed: dict[str, _Placed] = {}
    row = 3
    left_cols = 0
    for block in sheet.blocks:
        placed[block.key] = _write_block(ws, block, row, 1, content.currency, content.mass_unit, widths)
        row += len(block.frame) + 4
        left_cols = max(left_cols, block.frame.shape[1])
    col = left_cols + 2 if sheet.blocks else 1
    print_cols, print_rows = left_cols, row - 3
    for i, block in enumerate(sheet.side):
        if col > 1:
            widths.setdefault(col - 1, 3.0)  # the gap column
        placed[block.key] = _write_block(ws, block, 3, col, content.currency, content.mass_unit, widths)
        col += max(1, block.frame.shape[1]) + 1
        if sheet.print_tables is None or i < sheet.print_tables:
            shown = len(block.frame) if sheet.print_rows is None else min(len(block.frame), sheet.print_rows)
            print_cols, print_rows = col - 2, max(print_rows, shown + 4)
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    for block in [*sheet.blocks, *sheet.side]:
        p = placed[block.key]
        height = 15.0 * _header_lines(block, p, widths)
        current = ws.row_dimensions[p.header_row].height or 15.0
        ws.row_dimensions[p.header_row].height = max(current, height)
    if sheet.freeze:
        ws.freeze_panes = "A5"
    # Printed pages repeat the sheet title, and the header row too when it only heads the
    # detail table from page 2 on (the left-hand blocks end on page 1); else it would sit
    # over rows of another table.
    printed_side = bool(sheet.side) and sheet.print_tables != 0
    repeat_header = sheet.freeze and printed_side and row - 4 <= LEFT_ROWS_ON_FIRST_PAGE
    _print_setup(ws, "1:4" if repeat_header else "1:2")
    if sheet.print_tables is not None or sheet.print_rows is not None:
        ws.print_area = f"A1:{get_column_letter(max(1, print_cols))}{max(4, print_rows)}"
    _wrap_description(ws, sheet.description, max(1, print_cols), widths)
    # one autofilter per sheet
    by_key = {b.key: b for b in [*sheet.blocks, *sheet.side]}
    target = by_key.get(sheet.filter_key or "") or sheet.detail
    if target is None:
        target = max(sheet.blocks, key=lambda b: len(b.frame), default=None)
    if target is not None and target.frame.shape[1] and len(target.frame):
        p = placed[target.key]
        last_col = get_column_letter(p.first_col + target.frame.shape[1] - 1)
        ws.auto_filter.ref = (
            f"{get_column_letter(p.first_col)}{p.header_row}:{last_col}{p.header_row + p.n_rows}"
        )
    return placed


# ----------------------------------------------------------------------------- summary


def _tile(ws: Any, row: int, cols: tuple[int, int], tile: Tile, content: ReportContent) -> None:
    a, b = cols
    for r in range(row, row + 3):
        ws.merge_cells(start_row=r, start_column=a, end_row=r, end_column=b)
        for c in (a, b):
            cell = ws.cell(row=r, column=c)
            cell.fill = TILE_FILL
            cell.border = Border(
                left=THIN if c == a else None,
                right=THIN if c == b else None,
                top=THIN if r == row else None,
                bottom=THIN if r == row + 2 else None,
            )
    label = tile.label + (" *" if tile.assumed else "")
    lab = put(ws, row, a, label)
    lab.font = Font(size=9, bold=True, color=GREY)
    lab.alignment = Alignment(horizontal="left", vertical="bottom", indent=1)
    val = put(ws, row + 1, a, tile.value if tile.value is not None and math.isfinite(tile.value) else "n/a")
    val.font = Font(size=20, bold=True, color="C00000" if tile.alert else NAVY)
    val.alignment = Alignment(horizontal="left", vertical="center", indent=1)
    if tile.value is not None and math.isfinite(tile.value):
        val.number_format = tile_format(
            tile.kind, tile.value, content.currency, content.mass_unit, tile.digits
        )
    det = put(ws, row + 2, a, tile.detail)
    det.font = Font(size=8, italic=True, color=GREY)
    det.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True, indent=1)


# page one's commitments table on the Summary grid: (first column, last column) per table column
COMMITMENT_SPANS = ((2, 5), (6, 6), (7, 8), (9, 9), (10, 11), (12, 12))
COMMITMENT_SPANS_WIDE_LAST = ((2, 5), (6, 6), (7, 8), (9, 9), (10, 12))
"""Five columns: the last (what a commitment protects against and is worth) spans three grid columns."""


def _span_width(a: int, b: int) -> float:
    return sum(
        GAP_COL_WIDTH if not any(c in pair for pair in TILE_COLUMNS) else TILE_COL_WIDTH
        for c in range(a, b + 1)
    )


def _write_summary_table(ws: Any, row: int, block: Block, content: ReportContent) -> int:
    """A small table (page one's commitments) on the Summary's tile grid, each column merged across
    :data:`COMMITMENT_SPANS`; long text wraps. Returns the first free row below it."""
    frame = block.frame
    spans = COMMITMENT_SPANS if frame.shape[1] >= len(COMMITMENT_SPANS) else COMMITMENT_SPANS_WIDE_LAST
    cols = [str(c) for c in frame.columns][: len(spans)]
    put(ws, row, 2, block.title).font = Font(bold=True, size=13, color=NAVY)
    row += 1
    formats = {
        name: number_format(
            block.kinds.get(name, "text"),
            [v for v in (_plain(x) for x in frame[name].tolist()) if _is_num(v)],
            content.currency,
            content.mass_unit,
        )
        for name in cols
    }
    n = len(frame)
    for i in range(-1, n):
        total = block.total_row and i == n - 1
        lines = 1
        for name, (a, b) in zip(cols, spans, strict=False):
            value = name if i < 0 else _plain(frame[name].iloc[i])
            if b > a:
                ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)
            cell = put(ws, row, a, value)
            numeric = i >= 0 and _is_num(value) and formats[name] is not None
            if numeric:
                cell.number_format = formats[name]
            elif isinstance(value, str):
                cell.number_format = "@"
            right = formats[name] is not None
            cell.alignment = Alignment(
                wrap_text=True,
                vertical="top" if i >= 0 else "bottom",
                horizontal="right" if right else "left",
                indent=0 if right or a == 2 else (2 if a == COMMITMENT_SPANS[4][0] else 1),
            )
            size = 9
            if i < 0:
                cell.font = Font(bold=True, size=size, color=NAVY)
                for c in range(a, b + 1):
                    ws.cell(row=row, column=c).fill = HEADER_FILL
                    ws.cell(row=row, column=c).border = Border(bottom=THIN)
            else:
                cell.font = Font(bold=total, size=size)
                if total:
                    for c in range(a, b + 1):
                        ws.cell(row=row, column=c).border = Border(top=THIN)
            if isinstance(value, str) and value:
                per_line = max(4.0, _span_width(a, b) * 1.2 * 11 / size - 2)
                lines = max(lines, math.ceil(_display_len(value, None) / per_line))
        ws.row_dimensions[row].height = 11.5 * min(lines, MAX_WRAP_LINES) + 2
        row += 1
    return row


def _write_summary(ws: Any, content: ReportContent) -> int:
    """Page one: title, notes, what we commit to now and the tiles; returns the first free row."""
    ws.column_dimensions["A"].width = GAP_COL_WIDTH
    for c in range(2, LAST_SUMMARY_COL + 1):
        is_gap = not any(c in pair for pair in TILE_COLUMNS)
        ws.column_dimensions[get_column_letter(c)].width = GAP_COL_WIDTH if is_gap else TILE_COL_WIDTH
    ws.sheet_view.showGridLines = False
    put(ws, 1, 2, content.title).font = Font(bold=True, size=18, color=NAVY)
    ws.row_dimensions[1].height = 28
    _merge_text(ws, 2, content.subtitle, Font(size=9, color=GREY), height_per_line=13)
    row = 3
    for alert in content.alerts:
        _merge_text(ws, row, alert, Font(bold=True, size=10, color="C00000"), fill=ALERT_FILL)
        row += 1
    for note in content.notes:
        _merge_text(ws, row, note, Font(size=9, italic=True, color=GREY), height_per_line=13)
        row += 1
    row += 1
    if content.commitments is not None:
        row = _write_summary_table(ws, row, content.commitments, content)
        if content.commitment_note:
            _merge_text(
                ws, row, content.commitment_note, Font(size=8, italic=True, color=GREY), height_per_line=11
            )
            row += 1
        row += 1
    for i in range(0, len(content.tiles), 4):
        for tile, cols in zip(content.tiles[i : i + 4], TILE_COLUMNS, strict=False):
            _tile(ws, row, cols, tile, content)
        ws.row_dimensions[row].height = 18
        ws.row_dimensions[row + 1].height = 34
        ws.row_dimensions[row + 2].height = 24
        ws.row_dimensions[row + 3].height = 8
        row += 4
    put(ws, row, 2, content.assumption_note).font = Font(size=8, italic=True, color=GREY)
    return row + 2


def _write_findings(ws: Any, content: ReportContent, row: int) -> int:
    """Key findings and the scenario list, on a printed page of their own (under the tiles with
    ``content.findings_on_page_one``); returns the first free row."""
    if row > 1 and not content.findings_on_page_one:
        ws.row_breaks.append(Break(id=row - 1))
    put(ws, row, 2, "Key findings").font = Font(bold=True, size=13, color=NAVY)
    row += 1
    for i, text in enumerate(content.findings, start=1):
        sheet = content.finding_sheets[i - 1] if i - 1 < len(content.finding_sheets) else ""
        line = f"{i}. {text}" + (f"  [{sheet}]" if sheet else "")
        _merge_text(ws, row, line, Font(size=10))
        row += 1
    if content.scenario_lines:
        row += 1
        put(ws, row, 2, "Scenarios").font = Font(bold=True, size=11, color=NAVY)
        row += 1
        for line in content.scenario_lines:
            _merge_text(ws, row, line, Font(size=9, color=GREY), height_per_line=13)
            row += 1
    return row + 1


# ----------------------------------------------------------------------------- entry point


def build_workbook(content: ReportContent) -> Workbook:
    """The report as an openpyxl Workbook (not saved)."""
    wb = Workbook()
    summary = wb.active
    summary.title = sheet_title(SUMMARY)
    sheets = {}
    for sheet in content.sheets:
        name = sheet_title(sheet.name)
        if name in sheets or name == summary.title:
            raise ValueError(f"duplicate sheet name {name!r}")
        sheets[name] = wb.create_sheet(name)
    placed: dict[tuple[str, str], _Placed] = {}
    for sheet in content.sheets:
        name = sheet_title(sheet.name)
        for key, p in _write_sheet(sheets[name], sheet, content).items():
            placed[(name, key)] = p
    # page one: the commitments and the tiles; page two: the flow picture; then findings and charts
    row = _write_summary(summary, content)
    row = _place_pictures(summary, content, row)
    row = _write_findings(summary, content, row)
    last = _place_charts(summary, content, placed, row)
    summary.print_area = f"A1:{get_column_letter(LAST_SUMMARY_COL)}{max(last, row)}"
    _print_setup(summary, None)
    wb.active = 0
    return wb


def write_report(content: ReportContent, path: str | Path, force: bool = False) -> Path:
    """Write the report workbook to ``path`` atomically and return the path.

    Raises :class:`~planner.errors.InputError` when ``path`` exists and ``force`` is
    False, or when ``path`` is the input workbook the report was made from.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError(f"the report must be an .xlsx file, got {target.name!r}")
    if content.input_path:
        try:
            same = Path(content.input_path).resolve() == target.resolve()
        except OSError:
            same = False
        if same:
            raise InputError(
                f"refusing to write the report over the input workbook {target}; choose another file name"
            )
    if target.exists() and not force:
        raise InputError(
            f"the report {target} already exists; choose another file name or pass force=True "
            "(--force on the command line) to replace it"
        )
    wb = build_workbook(content)
    save_atomically(wb, target)
    log.info("wrote report %s", target)
    return target


__all__ = ["build_workbook", "number_format", "sheet_title", "tile_format", "write_report"]
