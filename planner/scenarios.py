"""Scenario-change filters: one parser and one matcher for the validator and the network builder.

A filter is ``"column=value; column2=value"`` (blank = every row). Column names are
normalised like headers (:func:`planner.schema.normalize_name`); text is compared
exactly, numbers by value, booleans accept TRUE/yes/y/1.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from planner.schema import ColumnSpec, TableSpec, normalize_name


def parse_filter(text: str) -> tuple[list[tuple[str, str]], str | None]:
    """Parse a filter into (normalised column, value) pairs; the second item is a syntax error message."""
    pairs: list[tuple[str, str]] = []
    for part in str(text or "").split(";"):
        if not part.strip():
            continue
        if part.count("=") != 1:
            return [], f"cannot read {part.strip()!r}: write column=value pairs separated by ';'"
        col, value = (s.strip() for s in part.split("="))
        if not col or not value:
            return [], f"cannot read {part.strip()!r}: write column=value pairs separated by ';'"
        pairs.append((normalize_name(col), value))
    return pairs, None


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, float) and math.isnan(v))


def cell_matches(column: ColumnSpec, cell: Any, wanted: str) -> bool:
    """Does one cell match the filter value ``wanted``?"""
    if _blank(cell):
        return wanted == ""
    if column.dtype in ("float", "int"):
        try:
            return float(cell) == float(wanted)
        except ValueError:
            return False
    if column.dtype == "bool":
        return bool(cell) == (wanted.strip().lower() in ("true", "yes", "y", "1"))
    return str(cell) == wanted


def filter_mask(frame: pd.DataFrame, spec: TableSpec, pairs: list[tuple[str, str]]) -> np.ndarray:
    """Boolean mask of the rows of ``frame`` (a ``spec`` table) matching every pair."""
    mask = np.ones(len(frame), dtype=bool)
    for col, wanted in pairs:
        c = spec.column(col)
        mask &= np.fromiter((cell_matches(c, v, wanted) for v in frame[c.name]), dtype=bool, count=len(frame))
    return mask
