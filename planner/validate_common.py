"""Helpers shared by the validator's checks: blank cells, records, located issues, suggestions."""

from __future__ import annotations

import difflib
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

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


_NATIVE = (str, float, int, bool, type(None))


def records(frame: pd.DataFrame) -> list[dict[Any, Any]]:
    """``frame.to_dict("records")``, faster on long tables of plain cells.

    pandas builds each record cell by cell and boxes every cell of a text column; when every
    cell is already a plain Python value (text, number, bool, None) the records are zipped from
    the column lists instead, which is the same result at a fraction of the time. Any other cell
    (a date, a NumPy scalar) falls back to pandas.
    """
    columns = frame.columns.tolist()
    lists = [frame.iloc[:, i].tolist() for i in range(len(columns))]
    if not columns or not all(type(v) in _NATIVE for values in lists for v in values):
        return frame.to_dict("records")
    return [dict(zip(columns, values, strict=True)) for values in zip(*lists, strict=True)]


def rows(data: InputData, sheet: str) -> Iterator[dict[Any, Any]]:
    """Records of one table as dicts (including ``_row``)."""
    frame = data.tables.get(sheet)
    if frame is None or frame.empty:
        return iter(())
    return iter(records(frame))


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


_SCAN_ALL = 2000
"""Up to this many options every one is compared (difflib); above it an n-gram index narrows them."""

_SHORTLIST = 60
"""How many options sharing the most trigrams with the value difflib then compares."""

_POSTING_BUDGET = 20000
"""How many index entries one suggestion may count (rarest trigrams first), so it stays bounded."""


class _TrigramIndex:
    """Options by the character trigrams they hold (padded), to shortlist the close ones quickly."""

    def __init__(self, options: list[str]) -> None:
        self.options = options
        postings: dict[str, list[int]] = defaultdict(list)
        for i, option in enumerate(options):
            for gram in _trigrams(option):
                postings[gram].append(i)
        self.postings = dict(postings)

    def shortlist(self, value: str) -> list[str]:
        grams = sorted(
            (g for g in _trigrams(value) if g in self.postings), key=lambda g: len(self.postings[g])
        )
        counts: dict[int, int] = defaultdict(int)
        spent = 0
        for gram in grams:
            posting = self.postings[gram]
            if spent and spent + len(posting) > _POSTING_BUDGET:
                break
            spent += len(posting)
            for i in posting:
                counts[i] += 1
        best = sorted(counts, key=lambda i: (-counts[i], i))[:_SHORTLIST]
        return sorted(self.options[i] for i in best)


def _trigrams(text: str) -> set[str]:
    padded = f"\x00\x00{text}\x00\x00"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


_INDEXES: dict[int, tuple[object, int, _TrigramIndex]] = {}
"""id(options) -> (options kept alive so the id stays theirs, their size, index); a few at a time."""


def _candidates(value: str, options: Iterable[str]) -> list[str]:
    """The options difflib should compare with ``value``: all of a few, a shortlist of many."""
    size = len(options) if isinstance(options, (set, frozenset, list, tuple, dict)) else None
    if size is None or size <= _SCAN_ALL:
        return sorted(options)
    cached = _INDEXES.get(id(options))
    if cached is None or cached[0] is not options or cached[1] != size:
        if len(_INDEXES) >= 4:
            _INDEXES.pop(next(iter(_INDEXES)))
        cached = (options, size, _TrigramIndex(sorted(options)))
        _INDEXES[id(options)] = cached
    return cached[2].shortlist(value)


def did_you_mean(value: Any, options: Iterable[str]) -> str:
    """ " Did you mean 'x'?" for the (up to two) options closest to ``value``, or "".

    Bounded for large option sets: 100,000 ids are indexed by trigram once, and each value
    compares only the few dozen options sharing the most (rarest) trigrams with it.
    """
    close = difflib.get_close_matches(str(value), _candidates(str(value), options), n=2)
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
