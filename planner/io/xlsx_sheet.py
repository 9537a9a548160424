"""Stream one worksheet's XML into rows, as the cells are written, not as the sheet declares.

openpyxl's read-only worksheet trusts the sheet's ``<dimension>`` element (a stale
``A1:H2`` drops row 3; ``A1:XFD1048576`` pads every row to 16,384 cells), silently
skips a row whose number repeats, and hides row/column visibility. This module
parses the part itself with openpyxl's cell decoder (shared strings, dates,
booleans, errors) and keeps only non-blank cells, so the work is bounded by the
data present:

* rows are read whatever the declared dimension; a row number that repeats is
  reported (the first copy is read; the workbook is damaged and must be re-saved);
* whitespace-only cells are blank; columns past the header's last non-blank cell
  are not kept, only noted when they hold data (the reader warns about them);
* a formula cell holds its saved value; a formula without a saved value holds
  :data:`FORMULA_MISSING` and is listed (a computed empty text is a blank cell);
* hidden rows (also rows 0 points high) and columns, and whether the sheet has an AutoFilter,
  are recorded; a number cell holding NaN or INF is kept as that float (refused at its cell).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser


class _FormulaMissingType:
    """Marker for a formula cell without a saved value (reported separately)."""

    def __repr__(self) -> str:
        return "<formula without value>"


FORMULA_MISSING = _FormulaMissingType()


class DamagedCell(Exception):
    """A cell whose XML cannot be decoded; the message says which and why."""


class TooManyRows(Exception):
    """The sheet has more data rows than allowed."""


@dataclass
class SheetScan:
    """What one worksheet part holds (Excel row numbers; 0-based column positions)."""

    header: tuple[Any, ...] = ()
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    stray_columns: list[int] = field(default_factory=list)  # past the header, holding data
    missing_formulas: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, formula)
    duplicate_rows: list[int] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)  # among the data rows
    hidden_columns: list[int] = field(default_factory=list)  # within the header
    filtered: bool = False  # the sheet has an AutoFilter (its hidden rows are filtered out)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _true(flag: Any) -> bool:
    return str(flag).strip().lower() in ("1", "true")


def _non_finite(element: Any) -> dict[str, Any] | None:
    """A number cell holding NaN or (-)INF, as a cell holding that float (the reader refuses it
    at its row and column); None for anything else."""
    text = element.findtext(VALUE_TAG)
    ref = element.get("r")
    if element.get("t", "n") != "n" or not text or not ref:
        return None
    try:
        number = float(text)
        row, column = coordinate_to_tuple(ref)
    except (TypeError, ValueError):
        return None
    if math.isfinite(number):
        return None
    return {"row": row, "column": column, "value": number, "data_type": "n", "style_id": 0}


def _zero(height: Any) -> bool:
    """A row height of 0 points: the row is as good as hidden."""
    try:
        return height is not None and float(height) == 0.0
    except (TypeError, ValueError):
        return False


class _Parser(WorkSheetParser):
    """openpyxl's parser in data_only mode that also flags formulas without a saved value."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        try:
            cell: dict[str, Any] = super().parse_cell(element)
        except IndexError:  # t="s" pointing past the shared-strings table
            raise DamagedCell(
                f"cell {element.get('r', '?')} refers to entry {element.findtext(VALUE_TAG)} of the "
                f"shared-strings table, which has only {len(self.shared_strings)} entries"
            ) from None
        except ValueError:  # a number or date cell whose stored value is not one
            nonfinite = _non_finite(element)
            if nonfinite is not None:
                return nonfinite
            raise DamagedCell(
                f"cell {element.get('r', '?')} is stored as a number or date but holds "
                f"{element.findtext(VALUE_TAG)!r}"
            ) from None
        formula = element.find(FORMULA_TAG)
        if formula is not None and (cell["value"] is None or formula.get("t") == "shared"):
            text = self.parse_formula(element)  # also registers shared formulas for later cells
            if cell["value"] is None and not (
                element.get("t") == "str" and element.find(VALUE_TAG) is not None
            ):
                cell["value"] = FORMULA_MISSING
                cell["formula"] = text if isinstance(text, str) else str(getattr(text, "text", "") or "=")
        return cell


def scan_sheet(ws: Any, max_rows: int) -> SheetScan:
    """Read the worksheet part of openpyxl read-only worksheet ``ws``.

    Raises :class:`TooManyRows` past ``max_rows`` data rows and :class:`DamagedCell`
    for a cell that cannot be decoded; XML errors propagate (``ParseError``).
    """
    wb = ws.parent
    cells_by_row: dict[int, list[tuple[int, Any, str]]] = {}
    scan = SheetScan()
    hidden: set[int] = set()
    n_data = 0
    with wb._archive.open(ws._worksheet_path) as src:
        parser = _Parser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for idx, cells in parser.parse():
            if idx in cells_by_row:
                scan.duplicate_rows.append(idx)
                continue
            kept = [(c["column"], c["value"], c.get("formula", "")) for c in cells if not _blank(c["value"])]
            cells_by_row[idx] = kept
            if not kept:
                continue
            n_data += 1
            if n_data > max_rows + 1:  # the header and max_rows data rows
                raise TooManyRows
            attrs = parser.row_dimensions.get(str(idx))
            if attrs and (_true(attrs.get("hidden")) or _zero(attrs.get("ht"))):
                hidden.add(idx)
        hidden_cols = [
            (int(d["min"]), int(d.get("max", d["min"])))
            for d in parser.column_dimensions.values()
            if _true(d.get("hidden"))
        ]
        scan.filtered = getattr(parser, "auto_filter", None) is not None
    header_cells = cells_by_row.pop(1, [])
    width = max((col for col, _, _ in header_cells), default=0)
    header: list[Any] = [None] * width
    for col, value, formula in header_cells:
        header[col - 1] = value
        if value is FORMULA_MISSING:
            scan.missing_formulas.append((1, col - 1, formula))
    scan.header = tuple(header)
    stray: set[int] = set()
    for idx in sorted(cells_by_row):
        values: list[Any] = [None] * width
        for col, value, formula in cells_by_row[idx]:
            if col > width:
                stray.add(col - 1)
                continue
            values[col - 1] = value
            if value is FORMULA_MISSING:
                scan.missing_formulas.append((idx, col - 1, formula))
        if any(not _blank(v) for v in values):
            scan.rows.append((idx, tuple(values)))
            if idx in hidden:
                scan.hidden_rows.append(idx)
    if len(scan.rows) > max_rows:
        raise TooManyRows
    scan.stray_columns = sorted(stray)
    scan.hidden_columns = sorted(
        {j for lo, hi in hidden_cols for j in range(lo - 1, min(hi, width)) if not _blank(header[j])}
    )
    return scan
