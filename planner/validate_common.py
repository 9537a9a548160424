"""Helpers shared by the validator's checks: blank cells, records, located issues, suggestions."""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from planner.errors import Issue
from planner.tables import ROW, InputData

SOLVER_INFINITY = 1e20
"""HiGHS's infinity: a bound or cost this large is read as infinite, so no entry may reach it."""

IMPLAUSIBLE = 1e12
"""A quantity, cost or penalty this large (in the column's unit) is no supply chain's: warn."""


def is_blank(value: Any) -> bool:
    """True for None, NaN and empty text (how a blank cell looks in a table)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip() == ""


def rows(data: InputData, sheet: str) -> Iterator[dict[Any, Any]]:
    """Records of one table as dicts (including ``_row``)."""
    frame = data.tables.get(sheet)
    if frame is None or frame.empty:
        return iter(())
    return iter(frame.to_dict("records"))


def row(record: dict[Any, Any]) -> int | None:
    value = record.get(ROW)
    return int(value) if value is not None and not is_blank(value) else None


def ids(data: InputData, sheet: str, column: str) -> set[str]:
    frame = data.tables.get(sheet)
    if frame is None or frame.empty:
        return set()
    return {str(v) for v in frame[column].tolist() if not is_blank(v)}


def periods(data: InputData) -> list[str]:
    return [str(v) for v in data.tables["Periods"]["period"].tolist() if not is_blank(v)]


def period_index(data: InputData) -> dict[str, int]:
    """Period -> position in time (first occurrence wins when a period is duplicated)."""
    index: dict[str, int] = {}
    for i, p in enumerate(periods(data)):
        index.setdefault(p, i)
    return index


def did_you_mean(value: Any, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(value), sorted(options), n=2)
    if not close:
        return ""
    return " Did you mean " + " or ".join(repr(c) for c in close) + "?"


def err(sheet: str, row: int | None, column: str | None, value: Any, message: str, code: str) -> Issue:
    return Issue("error", sheet, row, column, value, message, code)


def warn(sheet: str, row: int | None, column: str | None, value: Any, message: str, code: str) -> Issue:
    return Issue("warning", sheet, row, column, value, message, code)


def process_sites(data: InputData) -> dict[str, set[str]]:
    """Process id -> sites that run it (its site, or every site of its site_type)."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for record in rows(data, "Sites"):
        if not is_blank(record["site"]) and not is_blank(record["type"]):
            by_type[record["type"]].add(record["site"])
    out: dict[str, set[str]] = {}
    for record in rows(data, "Processes"):
        if is_blank(record["process"]):
            continue
        if not is_blank(record["site"]):
            out[record["process"]] = {record["site"]}
        elif not is_blank(record["site_type"]):
            out[record["process"]] = set(by_type.get(record["site_type"], set()))
        else:
            out[record["process"]] = set()
    return out
