"""Write solution tables for engineers: one .xlsx with a sheet per table, or CSV/Parquet files.

Text cells are always written as text: a value from the workbook that starts with
``=``, ``+``, ``-``, ``@``, tab or carriage return never becomes a formula (xlsx: a text cell;
CSV: a leading single quote, :func:`planner.io.excel_writer.text_safe`). Numbers are written
as numbers, -0.0 as 0.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planner.io.excel_writer import _umask, save_atomically, text_safe

_BOLD = Font(bold=True)


def without_negative_zero(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every -0.0 in its float columns turned into 0.0 (a solver's -0 is no decision)."""
    floats = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c])]
    if not floats:
        return frame
    out = frame.copy()
    for c in floats:
        out[c] = out[c] + 0.0  # IEEE 754: -0.0 + 0.0 == +0.0; every other value is unchanged
    return out


def put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one cell; strings are stored as text even when they look like a formula."""
    if isinstance(value, float) and math.isnan(value):
        value = None
    elif isinstance(value, float) and value == 0:
        value = 0.0  # never -0
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def write_frame(ws: Any, frame: pd.DataFrame, number_format: str = "#,##0.00") -> None:
    """Write a DataFrame with a bold, frozen, filtered header row and sensible widths."""
    cols = [str(c) for c in frame.columns]
    for j, name in enumerate(cols, start=1):
        put(ws, 1, j, name).font = _BOLD
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for j, value in enumerate(row, start=1):
            if hasattr(value, "item"):
                value = value.item()
            cell = put(ws, i, j, value)
            if isinstance(value, float):
                cell.number_format = number_format
    ws.freeze_panes = "A2"
    if cols:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(1, len(frame) + 1)}"
    for j, name in enumerate(cols, start=1):
        sample = [len(str(v)) for v in frame.iloc[:200, j - 1].tolist()] if len(frame) else []
        ws.column_dimensions[get_column_letter(j)].width = min(
            40, max(10, len(name) + 2, *(s + 2 for s in sample))
        )


def write_tables_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table (sheet names cut to Excel's 31 characters), written atomically."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in tables.items():
        write_frame(wb.create_sheet(name[:31]), without_negative_zero(frame))
    save_atomically(wb, path)


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with formula-like text cells neutralised (:func:`text_safe`); numbers untouched."""
    out = frame.copy()
    for c in out.columns:
        if not (pd.api.types.is_object_dtype(out[c]) or pd.api.types.is_string_dtype(out[c])):
            continue
        out[c] = out[c].map(lambda v: text_safe(v, typed=False))
    out.columns = [text_safe(str(c), typed=False) for c in out.columns]
    return out


def write_tables_files(tables: dict[str, pd.DataFrame], directory: Path, fmt: str = "csv") -> list[Path]:
    """Every table as ``<name>.csv`` (or ``.parquet``) in ``directory``; each file written atomically."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, frame in tables.items():
        target = directory / f"{name}.{fmt}"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        os.close(fd)
        try:
            if fmt == "parquet":
                without_negative_zero(frame).to_parquet(tmp, index=False)
            else:
                # CRLF line ends (RFC 4180) make the csv module quote a text holding a carriage return
                csv_safe(without_negative_zero(frame)).to_csv(tmp, index=False, lineterminator="\r\n")
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        out.append(target)
    return out
