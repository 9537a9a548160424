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

import contextlib
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties

from planner.errors import InputError
from planner.io.excel_writer import save_atomically
from planner.io.results_writer import put
from planner.metrics import CURRENCY_SYMBOLS
from planner.report import SUMMARY, Block, ChartSpec, ReportContent, SheetSpec, Tile

log = logging.getLogger(__name__)

NAVY = "1F3864"
GREY = "595959"
LIGHT = "F2F5FA"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TILE_FILL = PatternFill("solid", fgColor=LIGHT)
ALERT_FILL = PatternFill("solid", fgColor="FDE9E7")
RED_FILL = PatternFill("solid", fgColor="FFC7CE")
AMBER_FILL = PatternFill("solid", fgColor="FFEB9C")
THIN = Side(style="thin", color="B4C6E7")

# Summary grid: margin column A, then four tiles of two columns with narrow gaps between.
TILE_COL_WIDTH = 16.0
GAP_COL_WIDTH = 2.0
TILE_COLUMNS = ((2, 3), (5, 6), (8, 9), (11, 12))
LAST_SUMMARY_COL = 12
CHART_WIDTH_CM = 12.6
CHART_HEIGHT_CM = 7.6
CHART_ROWS = 16
BOLD = 1.15
"""How much wider a bold header's characters are than the width unit (a plain digit)."""
PICTURE_WIDTH_PX = 1000
"""Width of a picture on the Summary (about the width of the tiles)."""
# series colours: the first series (the controlling country in the supply mix) in red
PALETTE = ("C00000", "4472C4", "70AD47", "FFC000", "7F7F7F", "5B9BD5", "9E480E", "264478")
LINE_PALETTE = ("4472C4", "ED7D31", "70AD47", "7F7F7F", "C00000", "FFC000", "264478", "9E480E")
BAR_COLOUR = "4472C4"
MAX_MIX_COLOURS = 5  # countries named in the supply-mix chart; a sixth series is "Other" (grey)
LEFT_ROWS_ON_FIRST_PAGE = 36
WRAP_WIDTH = 60  # widest column; longer text wraps
MAX_WRAP_LINES = 6  # rows a landscape page holds at a typical fit-to-width scale
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str) -> str:
    """A valid Excel sheet name: no ``[]:*?/\\``, at most 31 characters."""
    clean = _INVALID_SHEET_CHARS.sub("-", name).strip("'") or "Sheet"
    return clean[:31]


# ----------------------------------------------------------------------------- formats


MAX_UNIT_CHARS = 24
"""Longest currency or unit text a number format carries (Excel allows 255 characters per format,
and a money format holds its unit twice); longer text is cut with an ellipsis."""


def _literal(text: str) -> str:
    """``text`` as literal text of an Excel number format: quoted, a quote inside written ``"\\""``.

    Control characters are dropped and text longer than :data:`MAX_UNIT_CHARS` is cut, so that
    any Settings ``currency`` or ``mass_unit`` gives a format Excel opens.
    """
    clean = "".join(ch for ch in str(text) if ch.isprintable())
    if len(clean) > MAX_UNIT_CHARS:
        clean = clean[: MAX_UNIT_CHARS - 1] + "\u2026"
    return '"' + clean.replace('"', '"\\""') + '"'


def _currency_affixes(currency: str) -> tuple[str, str]:
    sym = CURRENCY_SYMBOLS.get(currency.upper())
    if sym:
        return _literal(sym), ""
    return "", " " + _literal(currency)


def _decimals(values: list[float]) -> int:
    finite = [abs(v) for v in values if v is not None and isinstance(v, (int, float)) and math.isfinite(v)]
    top = max(finite, default=0.0)
    if top >= 1000:
        return 0
    if top >= 10:
        return 1
    return 2


def number_format(kind: str, values: list[float], currency: str, mass_unit: str) -> str | None:
    """Excel number format (with its unit) for a column of ``kind``; None for text."""
    d = _decimals(values)
    frac = "." + "0" * d if d else ""
    if kind == "money":
        pre, post = _currency_affixes(currency)
        dm = 0 if max((abs(v) for v in values if _is_num(v)), default=0.0) >= 100 else 2
        f = "#,##0" + ("." + "0" * dm if dm else "")
        return f"{pre}{f}{post};-{pre}{f}{post}"
    if kind == "t":
        return f"#,##0{frac} {_literal(mass_unit)}"
    if kind == "pct":
        return "0.0%"
    if kind == "days":
        return '#,##0 "days"' if d < 2 else '0.0 "days"'

    if kind == "hhi":
        return "#,##0"
    if kind == "int":
        return "0"
    if kind == "seconds":
        return '0.00 "s"'
    if kind == "num":
        return "#,##0" if d == 0 else "#,##0.00"
    if kind == "general":
        return "General"
    return None


def tile_format(
    kind: str, value: float | None, currency: str, mass_unit: str, digits: int | None = None
) -> str:
    """Big-number format for a KPI tile: $4.1M, 93.1%, 1,234 t; ``digits`` decimals of millions
    or billions ($1.283M)."""
    v = abs(value) if value is not None and math.isfinite(value) else 0.0
    if kind == "money":
        pre, post = _currency_affixes(currency)
        frac = "." + "0" * (1 if digits is None else digits) if digits != 0 else ""
        if v >= 1e9:
            body = f'#,##0{frac},,,"B"'
        elif v >= 1e6:
            body = f'#,##0{frac},,"M"'
        elif v >= 1e4:
            body = '#,##0,"k"'
        elif v >= 100:
            body = "#,##0"
        else:
            body = "#,##0.00"
        return f"{pre}{body}{post};-{pre}{body}{post}"
    if kind == "pct":
        return "0.0%"
    if kind == "t":
        return (
            f"#,##0 {_literal(mass_unit)}"
            if v >= 100
            else f"#,##0.0 {_literal(mass_unit)}"
            if v >= 1
            else f"0.00 {_literal(mass_unit)}"
        )
    return number_format(kind, [v], currency, mass_unit) or "General"


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _plain(value: Any) -> Any:
    """A Python scalar Excel can hold (None for NaN/inf/NA)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (pd.Timestamp,)):
        return value.to_pydatetime()
    return value


def _display_len(value: Any, fmt: str | None) -> int:
    if value is None:
        return 0
    if _is_num(value):
        unit = re.findall(r'"([^"]*)"', fmt or "")
        body = f"{abs(float(value)):,.2f}" if fmt is None or ".00" in fmt else f"{abs(float(value)):,.0f}"
        return len(body) + sum(len(u) for u in unit[:2]) + 2
    # report fonts (and LibreOffice's stand-ins) run wider than Excel's column unit
    return math.ceil(1.1 * max((len(line) for line in str(value).splitlines()), default=0))


# ----------------------------------------------------------------------------- blocks


@dataclass
class _Placed:
    """Where a block landed: for chart references and filters."""

    ws: Any
    header_row: int
    first_col: int
    columns: dict[str, int]
    n_rows: int
    maxima: dict[str, float]
    minima: dict[str, float]


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


def _merge_text(
    ws: Any, row: int, text: str, font: Font, height_per_line: float = 15.0, fill: Any = None
) -> None:
    put(ws, row, 2, text)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=LAST_SUMMARY_COL)
    cell = ws.cell(row=row, column=2)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if fill is not None:
        cell.fill = fill
    chars_per_line = (TILE_COL_WIDTH * 8 + GAP_COL_WIDTH * 3) * 1.15 * (11.0 / max(8.0, float(font.sz or 11)))
    lines = max(1, math.ceil(len(text) / chars_per_line))
    ws.row_dimensions[row].height = height_per_line * lines + 3


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


def _span_width(a: int, b: int) -> float:
    return sum(
        GAP_COL_WIDTH if not any(c in pair for pair in TILE_COLUMNS) else TILE_COL_WIDTH
        for c in range(a, b + 1)
    )


def _write_summary_table(ws: Any, row: int, block: Block, content: ReportContent) -> int:
    """A small table (page one's commitments) on the Summary's tile grid, each column merged across
    :data:`COMMITMENT_SPANS`; long text wraps. Returns the first free row below it."""
    frame = block.frame
    cols = [str(c) for c in frame.columns][: len(COMMITMENT_SPANS)]
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
        for name, (a, b) in zip(cols, COMMITMENT_SPANS, strict=False):
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


def _ref(placed: _Placed, column: str, rows: int, with_header: bool) -> Reference:
    c = placed.columns[column]
    first = placed.header_row if with_header else placed.header_row + 1
    return Reference(placed.ws, min_col=c, max_col=c, min_row=first, max_row=placed.header_row + rows)


def _axis_format(kind: str, top: float, content: ReportContent) -> str:
    if kind == "money":
        pre, post = _currency_affixes(content.currency)
        if top >= 1e9:
            return f'{pre}#,##0.0,,,"B"{post}'
        if top >= 1e6:
            return f'{pre}#,##0.0,,"M"{post}'
        if top >= 1e4:
            return f'{pre}#,##0,"k"{post}'
        return f"{pre}#,##0{post}"
    if kind == "pct":
        return "0%"
    if kind == "t":
        return (
            f"#,##0 {_literal(content.mass_unit)}" if top >= 10 else f"#,##0.0 {_literal(content.mass_unit)}"
        )
    return "General"


def _rich(size: int, bold: bool = False, color: str | None = None) -> CharacterProperties:
    return CharacterProperties(sz=size, b=bold, solidFill=color)


def _title(text: str, size: int = 1100, bold: bool = True) -> Title:
    """A chart or axis title in a readable size (openpyxl's default is 18 pt)."""
    cp = _rich(size, bold, NAVY if bold else GREY)
    para = Paragraph(pPr=ParagraphProperties(defRPr=cp), r=[RegularTextRun(rPr=cp, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _text(size: int = 800) -> RichText:
    cp = _rich(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=cp), endParaRPr=cp)])


def _style_axes(chart: Any, y_title: str) -> None:
    # openpyxl >= 3.1 marks axes as deleted unless told otherwise; Excel then hides them
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False
        axis.txPr = _text(800)
    chart.y_axis.title = _title(y_title, 800, bold=False)


def _scatter(
    spec: ChartSpec, placed: _Placed, content: ReportContent, series: list[str], rows: int, top: float
) -> Any:
    """An x-y chart (numbers on both axes), lines with markers: e.g. a cost-risk frontier."""
    chart = ScatterChart()
    xs = _ref(placed, spec.x, rows, with_header=False)
    for i, s in enumerate(series):
        ser = Series(_ref(placed, s, rows, with_header=False), xs, title=s)
        ser.marker.symbol = "circle"
        ser.marker.size = 7
        ser.graphicalProperties.line.solidFill = LINE_PALETTE[i % len(LINE_PALETTE)]
        ser.graphicalProperties.line.width = 22000
        ser.smooth = False
        chart.series.append(ser)
    chart.title = _title(spec.title)
    _style_axes(chart, spec.y_title)
    chart.x_axis.title = _title(spec.x, 800, bold=False)
    chart.y_axis.number_format = _axis_format(spec.y_kind, top, content)
    chart.x_axis.number_format = _axis_format(spec.y_kind, placed.maxima.get(spec.x, 0.0), content)
    chart.legend = None
    chart.width = CHART_WIDTH_CM
    chart.height = CHART_HEIGHT_CM
    return chart


def _fit_axis(chart: Any, placed: _Placed, series: list[str], kind: str, content: ReportContent) -> None:
    """A value axis around the data (close values, e.g. cost estimates, stay apart) with enough
    decimals of millions to tell its ticks apart; for line charts, whose height carries no meaning."""
    lo = min(placed.minima.get(s, 0.0) for s in series)
    hi = max(placed.maxima.get(s, 0.0) for s in series)
    if lo <= 0 or hi <= lo:
        return
    step = 10.0 ** math.floor(math.log10(max(hi - lo, 1e-9 * hi)))
    chart.y_axis.scaling.min = math.floor(lo / step) * step
    chart.y_axis.scaling.max = math.ceil(hi / step) * step
    chart.y_axis.majorUnit = (
        step / 2 if (chart.y_axis.scaling.max - chart.y_axis.scaling.min) / step < 4 else step
    )
    if kind == "money" and hi >= 1e6:
        digits = min(3, max(1, -math.floor(math.log10(chart.y_axis.majorUnit / 1e6))))
        pre, post = _currency_affixes(content.currency)
        chart.y_axis.number_format = f'{pre}#,##0.{"0" * digits},,"M"{post}'


def _build_chart(spec: ChartSpec, placed: _Placed, content: ReportContent) -> Any | None:
    rows = spec.rows if spec.rows is not None else placed.n_rows
    rows = min(rows, placed.n_rows)
    if rows <= 0:
        return None
    series = spec.series or [c for c in placed.columns if c != spec.x and c not in spec.lines]
    series = [s for s in series if s in placed.columns]
    if not series:
        return None
    lines = [s for s in spec.lines if s in placed.columns] if spec.kind == "col" else []
    cats = _ref(placed, spec.x, rows, with_header=False)
    top = max((placed.maxima.get(s, 0.0) for s in [*series, *lines]), default=0.0)
    chart: Any
    if spec.kind == "scatter":
        return _scatter(spec, placed, content, series, rows, top)
    if spec.kind in ("barh", "col", "stacked_pct", "combo"):
        chart = BarChart()
        chart.type = "bar" if spec.kind == "barh" else "col"
        if spec.kind == "stacked_pct":
            chart.grouping = "stacked"
            chart.overlap = 100
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = 1
        chart.gapWidth = 60
    else:
        chart = LineChart()
    for s in series:
        chart.add_data(_ref(placed, s, rows, with_header=True), titles_from_data=True)
    chart.set_categories(cats)
    chart.title = _title(spec.title)
    _style_axes(chart, spec.y_title)
    chart.y_axis.number_format = _axis_format(spec.y_kind, top, content)
    if not spec.zero and spec.kind == "line":
        _fit_axis(chart, placed, [*series, *lines], spec.y_kind, content)
    if (
        spec.zero
        and spec.y_kind in ("money", "t")
        and min(placed.minima.get(s, 0.0) for s in [*series, *lines]) >= 0
    ):
        chart.y_axis.scaling.min = 0  # bars that do not start at zero exaggerate differences
    if spec.kind == "barh":
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top
        chart.y_axis.crosses = "max"  # keep the value axis at the bottom once categories are reversed
        chart.legend = None
    if spec.kind == "line":
        for i, ser in enumerate(chart.series):
            ser.smooth = False
            colour = spec.colours[i] if i < len(spec.colours) else LINE_PALETTE[i % len(LINE_PALETTE)]
            ser.graphicalProperties.line.solidFill = colour
            ser.graphicalProperties.line.width = 22000  # EMU, about 1.75 pt
    elif spec.kind == "stacked_pct":
        for i, ser in enumerate(chart.series):
            colour = (
                "D9D9D9" if i == len(chart.series) - 1 and i >= MAX_MIX_COLOURS else PALETTE[i % len(PALETTE)]
            )
            ser.graphicalProperties.solidFill = colour
            ser.graphicalProperties.line.solidFill = colour
    else:
        for i, ser in enumerate(chart.series):
            colour = BAR_COLOUR if len(chart.series) == 1 else PALETTE[i % len(PALETTE)]
            if i < len(spec.colours):
                colour = spec.colours[i]
            ser.graphicalProperties.solidFill = colour
            ser.graphicalProperties.line.solidFill = colour
    if lines:  # on the columns' own axes (a LineChart shares the BarChart's axis ids)
        overlay = LineChart()
        for s in lines:
            overlay.add_data(_ref(placed, s, rows, with_header=True), titles_from_data=True)
        overlay.set_categories(cats)
        for i, ser in enumerate(overlay.series):
            colour = ("C00000", "7F7F7F", "ED7D31")[i % 3]
            ser.smooth = False
            ser.marker.symbol = "none"
            ser.graphicalProperties.line.solidFill = colour
            ser.graphicalProperties.line.width = 25400  # EMU, 2 pt
            if i:
                ser.graphicalProperties.line.dashStyle = "dash"
        chart += overlay
    if spec.kind == "combo" and spec.secondary:
        line = LineChart()
        for s in spec.secondary:
            if s in placed.columns:
                line.add_data(_ref(placed, s, rows, with_header=True), titles_from_data=True)
        line.set_categories(cats)
        line.y_axis.axId = 200
        line.y_axis.title = _title(spec.secondary_title, 800, bold=False)
        top2 = max((placed.maxima.get(s, 0.0) for s in spec.secondary), default=0.0)
        line.y_axis.number_format = _axis_format(spec.secondary_kind, top2, content)
        line.y_axis.crosses = "max"
        line.y_axis.scaling.min = 0
        line.y_axis.delete = False
        line.y_axis.txPr = _text(800)
        line.y_axis.majorGridlines = None
        for ser in line.series:  # markers only: scenarios are categories, not a sequence
            ser.marker.symbol = "circle"
            ser.marker.size = 8
            ser.marker.graphicalProperties = GraphicalProperties(solidFill=PALETTE[0])
            ser.marker.graphicalProperties.line.solidFill = PALETTE[0]
            ser.graphicalProperties.line.noFill = True
            ser.smooth = False
        chart += line
    if chart.legend is not None:
        chart.legend.position = "b"
        chart.legend.txPr = _text(800)
    chart.width = CHART_WIDTH_CM
    chart.height = CHART_HEIGHT_CM
    return chart


CHARTS_PER_PAGE = 4


def _place_charts(ws: Any, content: ReportContent, placed: dict[tuple[str, str], _Placed], row: int) -> int:
    if not content.charts:
        return row
    ws.row_breaks.append(Break(id=row - 1))  # charts start a new printed page
    put(ws, row, 2, "Charts").font = Font(bold=True, size=13, color=NAVY)
    row += 1
    slot = 0
    for spec in content.charts:
        p = placed.get((sheet_title(spec.sheet), spec.block))
        if p is None:
            continue
        chart = _build_chart(spec, p, content)
        if chart is None:
            continue
        col = "B" if slot % 2 == 0 else "H"
        anchor_row = row + (slot // 2) * CHART_ROWS
        if slot and slot % CHARTS_PER_PAGE == 0:
            ws.row_breaks.append(Break(id=anchor_row - 1))  # two rows of charts per printed page
        ws.add_chart(chart, f"{col}{anchor_row}")
        slot += 1
    return row + ((slot + 1) // 2) * CHART_ROWS


def _place_pictures(ws: Any, content: ReportContent, row: int) -> int:
    """Each picture on a printed page of its own (after page one); returns the first free row."""
    import io

    from openpyxl.drawing.image import Image

    for pic in content.pictures:
        ws.row_breaks.append(Break(id=row - 1))
        put(ws, row, 2, pic.title).font = Font(bold=True, size=13, color=NAVY)
        if pic.caption:
            _merge_text(ws, row + 1, pic.caption, Font(size=9, color="555555"))
        image = Image(io.BytesIO(pic.png))
        scale = PICTURE_WIDTH_PX / image.width
        image.width, image.height = PICTURE_WIDTH_PX, int(image.height * scale)
        ws.add_image(image, f"B{row + 2}")
        row += 3 + int(image.height / 20) + 1  # default row height is 20 px
    return row


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
