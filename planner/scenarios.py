"""Scenario-change filters: one parser and one matcher for the validator and the network builder.

A filter is ``"column=value; column2=value"`` (blank = every row). Column names are
normalised like headers (:func:`planner.schema.normalize_name`); text is compared
exactly, numbers by value, booleans accept TRUE/yes/y/1; a list column (``Lanes.product``)
matches when the value is one of its ids or the whole cell.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from planner.schema import ColumnSpec, TableSpec, id_list, normalize_name


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
    return str(cell) == wanted or (column.many and wanted in id_list(cell))


def filter_mask(frame: pd.DataFrame, spec: TableSpec, pairs: list[tuple[str, str]]) -> np.ndarray:
    """Boolean mask of the rows of ``frame`` (a ``spec`` table) matching every pair."""
    mask = np.ones(len(frame), dtype=bool)
    for col, wanted in pairs:
        c = spec.column(col)
        mask &= np.fromiter((cell_matches(c, v, wanted) for v in frame[c.name]), dtype=bool, count=len(frame))
    return mask


class FilterIndex:
    """:func:`filter_mask` for many filters on one table, from an index of its distinct cells built once.

    ``FilterIndex(frame, spec).mask(pairs)`` equals ``filter_mask(frame, spec, pairs)``: each column's
    cells are grouped by distinct value, :func:`cell_matches` is asked once per distinct value and
    filter value, and the rows of the matching values make the mask. Tens of thousands of
    ScenarioChanges rows then cost one look-up each instead of a pass over the table.
    """

    def __init__(self, frame: pd.DataFrame, spec: TableSpec) -> None:
        self.frame = frame
        self.spec = spec
        self._groups: dict[str, list[tuple[Any, np.ndarray]]] = {}
        self._masks: dict[tuple[str, str], np.ndarray] = {}

    def _distinct(self, name: str) -> list[tuple[Any, np.ndarray]]:
        """(a cell value, the positions of every cell equal to it) for each distinct value of a column."""
        if name not in self._groups:
            positions: dict[Any, list[int]] = {}
            first: dict[Any, Any] = {}
            for i, v in enumerate(self.frame[name].tolist()):
                # blanks all match alike; type and text in the key keep 1, 1.0, True (and 0.0, -0.0) apart
                key = (None, None, None) if _blank(v) else (type(v), v, str(v))
                positions.setdefault(key, []).append(i)
                first.setdefault(key, v)
            self._groups[name] = [
                (first[k], np.asarray(rows, dtype=np.intp)) for k, rows in positions.items()
            ]
        return self._groups[name]

    def _column_mask(self, col: str, wanted: str) -> np.ndarray:
        key = (col, wanted)
        if key not in self._masks:
            c = self.spec.column(col)
            mask = np.zeros(len(self.frame), dtype=bool)
            for value, rows in self._distinct(c.name):
                if cell_matches(c, value, wanted):
                    mask[rows] = True
            self._masks[key] = mask
        return self._masks[key]

    def mask(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Boolean mask of the rows matching every pair (a new array)."""
        mask = np.ones(len(self.frame), dtype=bool)
        for col, wanted in pairs:
            mask &= self._column_mask(col, wanted)
        return mask
