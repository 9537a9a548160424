"""Shared look of the report workbook: colours, column widths, sheet names, number formats with
their units, where a block landed (:class:`_Placed`) and merged text rows. Used by
:mod:`planner.io.report_writer` (tables, Summary) and :mod:`planner.io.report_charts` (charts and
pictures); only the I/O layer touches openpyxl."""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Side

from planner.io.results_writer import put
from planner.metrics import CURRENCY_SYMBOLS

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
