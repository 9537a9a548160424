"""Write InputData back to a workbook in the planner input format.

One sheet per table that has rows (schema order, header row 1 = schema column
names), plus a ``Settings`` sheet holding the settings that differ from their
defaults as ``setting``/``value`` rows. The file is written atomically: to a
temporary file in the target directory, then moved over the target with
:func:`os.replace`, so a reader never sees a half-written workbook.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planner.schema import HIGHS_PREFIX, HIGHS_SETTINGS, SETTINGS, TABLES, ColumnSpec, table
from planner.tables import InputData

logger = logging.getLogger(__name__)

_BOLD = Font(bold=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def save_atomically(wb: Workbook, path: Path) -> None:
    """Save ``wb`` to ``path`` via a temporary file in the same directory and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; a saved file gets the usual mode
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def cell_value(column: ColumnSpec, value: Any) -> Any:
    """Convert one DataFrame value to what the workbook cell should hold (None = blank)."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if column.dtype == "int":
        return int(value)
    if column.dtype == "float":
        return float(value)
    if column.dtype == "bool":
        return bool(value)
    text = str(value)
    return text if text != "" else None


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def text_safe(value: Any, typed: bool) -> Any:
    """A text cell that a spreadsheet will never run as a formula; other values unchanged.

    ``typed`` (xlsx): the cell is stored with type text, its value untouched, so ids stay as
    they are. Untyped (CSV): a text starting with one of :data:`FORMULA_PREFIXES` gets a
    leading single quote, as OWASP advises. Numbers are never changed.
    """
    if typed or not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return value
    return "'" + value


def append_text_safe(ws: Any, values: list[Any]) -> None:
    """Append a row; text cells stay text even when they start with =, +, - or @ (never a formula)."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _append_header(ws: Any, names: list[str]) -> None:
    ws.append(names)
    for cell in ws[1]:
        cell.font = _BOLD


def write_input_workbook(data: InputData, path: Path) -> None:
    """Write ``data`` as an input workbook at ``path`` (atomically, overwriting).

    Tables without rows are left out; ``Settings`` holds only settings whose
    value differs from the schema default. ``_row`` is not written.
    """
    # a normal (not write-only) workbook records each sheet's <dimension>, which spares
    # read-only readers (ours included) a full extra parse of every sheet
    wb = Workbook()
    wb.remove(wb.active)
    n_sheets = 0
    for spec in TABLES:
        if spec.name == "Settings":
            rows = [
                (s.key, data.settings[s.key])
                for s in SETTINGS
                if s.key in data.settings
                and data.settings[s.key] != s.default
                and data.settings[s.key] is not None
            ] + [(HIGHS_PREFIX + k, v) for k, v in data.settings.get(HIGHS_SETTINGS, {}).items()]
            if not rows:
                continue
            ws = wb.create_sheet("Settings")
            ws.column_dimensions["A"].width = 22
            ws.column_dimensions["B"].width = 16
            ws.freeze_panes = "A2"
            _append_header(ws, ["setting", "value"])
            for key, value in rows:
                append_text_safe(ws, [key, value])
            n_sheets += 1
            continue
        frame = data.tables.get(spec.name)
        if frame is None or frame.empty:
            continue
        ws = wb.create_sheet(spec.name)
        columns = list(spec.all_columns)
        for j, c in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(j)].width = max(10, min(40, len(c.name) + 4))
        ws.freeze_panes = "A2"
        _append_header(ws, [c.name for c in columns])
        present = [c for c in columns if c.name in frame.columns]
        values = {c.name: frame[c.name].tolist() for c in present}
        for i in range(len(frame)):
            append_text_safe(
                ws, [cell_value(c, values[c.name][i]) if c.name in values else None for c in columns]
            )
        n_sheets += 1
    if n_sheets == 0:
        ws = wb.create_sheet("Periods")
        _append_header(ws, [c.name for c in table("Periods").all_columns])
    save_atomically(wb, Path(path))
    logger.debug("wrote %d sheets to %s", n_sheets, path)
