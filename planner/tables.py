"""InputData: the typed tables read from a workbook (the reader's output).

Every sheet of :data:`planner.schema.TABLES` is present as a DataFrame whose
columns are the schema columns (in schema order) plus ``_row``, the Excel row
number the record came from (``0`` for records that were not read from a sheet).
Blank cells hold the column default; a blank cell without a default holds
``None`` (str/period columns) or ``NaN`` (float/int columns).

Column dtypes: ``str`` and ``period`` -> Python ``str`` (or ``None``) in an
object column; ``float`` -> float64; ``int`` -> float64 holding whole numbers
(NaN when blank); ``bool`` -> bool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import Issue
from planner.schema import TABLES, TableSpec, default_settings

ROW = "_row"


@dataclass
class InputData:
    """Tables and settings of one workbook, plus what the reader noticed."""

    tables: dict[str, pd.DataFrame]
    settings: dict[str, Any]
    path: Path | None = None
    sha256: str = ""
    issues: list[Issue] = field(default_factory=list)
    present_sheets: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def empty_table(spec: TableSpec) -> pd.DataFrame:
    """An empty DataFrame with the schema columns of ``spec`` and ``_row``."""
    cols: dict[str, pd.Series] = {}
    for c in spec.all_columns:
        dtype: Any = object
        if c.dtype in ("float", "int"):
            dtype = "float64"
        elif c.dtype == "bool":
            dtype = bool
        cols[c.name] = pd.Series([], dtype=dtype)
    cols[ROW] = pd.Series([], dtype="int64")
    return pd.DataFrame(cols)


def from_records(
    records: dict[str, list[dict[str, Any]]], settings: dict[str, Any] | None = None
) -> InputData:
    """Build InputData from plain Python records (tests, converters, generators).

    Missing columns and blank values (None, "") take their schema default, as blank cells of a
    workbook do; missing tables are empty. Values
    are coerced to the schema dtypes; ``_row`` is the position the record would
    have in a sheet (header = row 1, so the first record is row 2).
    """
    tables: dict[str, pd.DataFrame] = {}
    for spec in TABLES:
        rows = records.get(spec.name, [])
        if not rows:
            tables[spec.name] = empty_table(spec)
            continue
        unknown = set().union(*(r.keys() for r in rows)) - set(spec.column_names) - {ROW}
        if unknown:
            raise KeyError(f"{spec.name}: unknown columns {sorted(unknown)}")
        data: dict[str, list[Any]] = {}
        for c in spec.all_columns:
            # a None or "" cell is blank: it takes the column default, as in a workbook
            vals = [c.default if r.get(c.name) is None or r.get(c.name) == "" else r[c.name] for r in rows]
            if c.dtype in ("float", "int"):
                data[c.name] = [float("nan") if v is None or v == "" else float(v) for v in vals]
            elif c.dtype == "bool":
                data[c.name] = [bool(v) if v is not None else bool(c.default) for v in vals]
            else:
                data[c.name] = pd.Series([None if v is None else str(v) for v in vals], dtype=object)
        frame = pd.DataFrame(data)
        frame[ROW] = [int(r.get(ROW, i + 2)) for i, r in enumerate(rows)]
        tables[spec.name] = frame
    merged = default_settings()
    merged.update(settings or {})
    return InputData(tables=tables, settings=merged, present_sheets=tuple(k for k, v in records.items() if v))


def period_lengths(data: InputData) -> list[float]:
    """Length in days of every period (Periods.length_days; blank = Settings.period_length_days).

    The one place lengths are read from the tables: :func:`planner.network.build_network` keeps them
    on the Network (``period_days``, ``period_weight``) and every model and report module reads them
    there; the validator's plausibility checks, which run before a Network exists, call this.
    """
    reference = float(data.settings["period_length_days"])
    frame = data.tables["Periods"]
    if "length_days" not in frame.columns:
        return [reference] * len(frame)
    out = []
    for v in frame["length_days"].tolist():
        try:
            number = float(v)
        except (TypeError, ValueError):
            number = float("nan")
        out.append(reference if number != number else number)  # NaN (blank): the reference length
    return out
