"""Read an input workbook into :class:`planner.tables.InputData`.

The reader is forgiving about what people do in Excel and strict about what
they meant:

* tolerated: header case, spacing and hyphens (``"Cost Flow"`` -> ``cost_flow``),
  sheet-name case (``lanes`` -> ``Lanes``), sheets in any order, numbers stored as
  text (``"1,234.5"``, ``" 12 "``, ``"5%"`` in a share or rate column; ``"1,5"`` or
  ``"50.000,00"``, which locales read differently, are refused with both readings:
  see :func:`_text_to_number`), whole numbers typed as ``3.0``,
  booleans written as TRUE/FALSE/yes/no/y/n/1/0, blank cells where the column
  has a default, wholly blank rows, formula cells (their saved value is used);
* reported as located :class:`~planner.errors.Issue` objects in
  ``InputData.issues`` (all of them, never only the first): unparsable values,
  values outside ``allowed`` or ``[min_value, max_value]``, NaN/inf, blank
  required cells, formulas without a saved value, missing required sheets and
  columns; extra columns and unknown sheets are warnings;
* refused with an :class:`~planner.errors.InputError` holding one Issue that says
  what to do: files that are missing, not a file, not an .xlsx (legacy .xls or
  encrypted, CSV, .ods/.xlsb renamed, Strict Open XML, another kind of zip),
  damaged (bad CRC, truncated XML, a sheet whose part is missing), larger than
  :class:`ReadLimits`, or carrying XML entity declarations (see
  :mod:`planner.io.xlsx_guard`).

Sheets are streamed by :mod:`planner.io.xlsx_sheet`: the declared ``<dimension>``
is ignored (rows and columns are those actually written), empty cells cost
nothing, a repeated row number is an error at that row, and hidden sheets, rows
and columns and filtered-out rows are read with a located warning each.

The file is only ever opened for reading, and only once: its bytes are hashed
(``InputData.sha256``) and parsed from memory.

Output contract (see :mod:`planner.tables`): every schema table is present,
columns in schema order plus ``_row`` (Excel row number); ``str``/``period``
columns hold ``str`` or ``None`` (object dtype); ``float`` and ``int`` columns
are float64 (NaN when blank without default); ``bool`` columns are bool. A cell
that raised an Issue holds the column default (or blank).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import logging
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from planner.errors import InputError, Issue
from planner.io.xlsx_guard import (
    RESAVE,
    ReadLimits,
    check_zip,
    damaged_zip,
    drop_bad_dimensions,
    read_bytes,
    refuse,
)
from planner.io.xlsx_sheet import FORMULA_MISSING, DamagedCell, SheetScan, TooManyRows, scan_sheet
from planner.schema import (
    HIGHS_PREFIX,
    HIGHS_SETTINGS,
    SETTINGS_BY_KEY,
    TABLES,
    ColumnSpec,
    SettingSpec,
    TableSpec,
    default_settings,
    normalize_name,
)
from planner.tables import ROW, InputData, empty_table

logger = logging.getLogger(__name__)

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
TRUE_WORDS = frozenset({"true", "yes", "y", "t", "1", "x", "1.0"})
FALSE_WORDS = frozenset({"false", "no", "n", "f", "0", "0.0"})
IGNORED_SHEETS = frozenset({"readme"})
HIDDEN_ROWS_LISTED = 20  # hidden rows warned about one by one per sheet; the rest in one line

__all__ = ["ReadLimits", "parse_value", "read_workbook"]


def _sheet_key(text: str) -> str:
    return re.sub(r"[\s\-_.]+", "", text.strip().lower())


SHEETS_BY_KEY: dict[str, TableSpec] = {_sheet_key(t.name): t for t in TABLES}


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: " + " ".join(str(exc).split())


def _defused_cause(exc: BaseException) -> BaseException | None:
    """The defusedxml exception in ``exc``'s cause/context chain (openpyxl wraps it), if any."""
    from defusedxml import DefusedXmlException

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, DefusedXmlException):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _load(path: Path, content: bytes) -> Any:
    """Open the workbook from memory (read-only); turn every failure into one InputError line."""
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:
        defused = _defused_cause(exc)
        if defused is not None:
            raise refuse(
                path,
                f"the workbook declares XML entities ({type(defused).__name__}); refusing to read it",
                "xml_entities",
            ) from None
        if isinstance(exc, zipfile.BadZipFile):
            raise damaged_zip(path, exc) from None
        if isinstance(exc, ParseError):
            raise refuse(
                path,
                f"the workbook cannot be opened: its XML is truncated or malformed "
                f"({' '.join(str(exc).split())}); the file is damaged: {RESAVE}, or restore an undamaged copy",
                "unreadable",
            ) from None
        raise refuse(
            path,
            f"the workbook cannot be opened ({_one_line(exc)}); open it in Excel and save it again",
            "unreadable",
        ) from None


# ---------------------------------------------------------------------------------------------
# cell parsing


class _CellError(Exception):
    """A cell value that cannot be used; the message says what is expected."""


def _expected(column: ColumnSpec | SettingSpec) -> str:
    dtype = column.dtype
    if dtype in ("float", "int"):
        what = "a whole number" if dtype == "int" else "a number"
        lo, hi = column.min_value, column.max_value
        if lo is not None and hi is not None:
            return f"expected {what} between {lo:g} and {hi:g}"
        if lo is not None:
            return f"expected {what} >= {lo:g}" if lo <= 0 else f"expected {what} > 0"
        if hi is not None:
            return f"expected {what} <= {hi:g}"
        return f"expected {what}"
    if dtype == "bool":
        return "expected TRUE or FALSE (yes/no, 1/0 also work)"
    if column.allowed:
        return "expected one of " + ", ".join(repr(a) for a in column.allowed if a)
    return "expected text"


def _to_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?")
DOT_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3}){2,}")
NUMBER_RULE = (
    "write the number without a thousands separator, with '.' as the decimal point (a comma is read "
    "as a thousands separator only before groups of exactly three digits, as in 1,500 or 1,234.5)"
)


def _takes_percent(column: ColumnSpec | SettingSpec) -> bool:
    """Is ``"5%"`` meaningful here? Shares and rates: unitless, at most 1 or named ``*_rate``/``*_share``.

    A unitless column without bounds (``ScenarioChanges.value``: a multiplier or a share) takes it too.
    """
    name = getattr(column, "name", "") or getattr(column, "key", "")
    if column.dtype != "float" or column.unit not in ("", "1/yr"):
        return False
    unbounded = column.min_value is None and column.max_value is None
    share = column.max_value is not None and column.max_value <= 1.0
    return unbounded or share or name.endswith(("_rate", "_share"))


def _fmt(number: float) -> str:
    return format(number, ".15g")


def _text_to_number(value: str, column: ColumnSpec | SettingSpec) -> float:
    """A number typed as text, read by one rule with no locale guess.

    '.' is the decimal point; a comma is a thousands separator only before groups of exactly
    three digits (``1,500`` = 1500, ``1,234.5``); spaces are ignored; ``%`` only in a share
    or rate column. Anything else that two locales would read differently (``1,5``,
    ``50.000,00``) is refused with both readings.
    """
    text = value.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1].rstrip(), 0.01
        if not _takes_percent(column):
            try:
                number = (
                    float(text.replace(",", "")) if THOUSANDS.fullmatch(text) or "," not in text else None
                )
            except ValueError:
                number = None
            if number is not None:
                raise _CellError(
                    f"{value.strip()!r} is a percentage but this column is not a share: it could mean "
                    f"{_fmt(number * scale)} or {_fmt(number)}; type the number without %"
                )
            raise _CellError(_expected(column) + ", without %")
    if "," in text and not THOUSANDS.fullmatch(text):
        readings = []
        if text.count(",") == 1:  # a decimal comma, the dots grouping thousands
            readings.append(text.replace(".", "").replace(",", "."))
        readings.append(text.replace(",", ""))  # commas grouping thousands
        numbers = []
        for reading in readings:
            try:
                numbers.append(float(reading) * scale)
            except ValueError:
                continue
        if len(numbers) == 2 and numbers[0] != numbers[1]:
            raise _CellError(
                f"{value.strip()!r} could mean {_fmt(numbers[0])} or {_fmt(numbers[1])}; {NUMBER_RULE}"
            )
        raise _CellError(_expected(column) + f"; {NUMBER_RULE}")
    if DOT_THOUSANDS.fullmatch(text):
        raise _CellError(
            f"{value.strip()!r} groups thousands with '.', which is the decimal point here: "
            f"type {_fmt(float(text.replace('.', '')) * scale)}"
        )
    try:
        return float(text.replace(",", "")) * scale
    except ValueError:
        raise _CellError(_expected(column)) from None


def _to_number(value: Any, column: ColumnSpec | SettingSpec) -> float:
    if isinstance(value, bool):
        raise _CellError(_expected(column) + ", not a TRUE/FALSE value")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        number = _text_to_number(value, column)
    elif isinstance(value, dt.date | dt.time):
        raise _CellError(_expected(column) + ", not a date")
    else:
        raise _CellError(_expected(column))
    if not math.isfinite(number):
        hint = (
            "; leave the cell blank for unlimited"
            if column.default is None and column.dtype == "float"
            else ""
        )
        raise _CellError(_expected(column) + f" (finite, not NaN/inf){hint}")
    if column.dtype == "int" and not number.is_integer():
        raise _CellError(_expected(column))
    if column.min_value is not None and number < column.min_value:
        raise _CellError(_expected(column))
    if column.max_value is not None and number > column.max_value:
        hint = ""
        if column.max_value == 1.0 and 1.0 < number <= 100.0:
            hint = f" - a share, not a percentage: did you mean {number / 100:g}?"
        raise _CellError(_expected(column) + hint)
    return number


def _to_bool(value: Any, column: ColumnSpec | SettingSpec) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _CellError(_expected(column))


def parse_value(value: Any, column: ColumnSpec | SettingSpec) -> Any:
    """Parse one non-blank cell value into the column's type, or raise ``_CellError``."""
    if isinstance(value, str) and value.strip() in EXCEL_ERRORS:
        raise _CellError(f"the cell holds the Excel error {value.strip()}; fix the formula")
    if column.dtype in ("float", "int"):
        return _to_number(value, column)
    if column.dtype == "bool":
        return _to_bool(value, column)
    text = _to_text(value)
    if column.allowed:
        if text in column.allowed:
            return text
        folded = {a.lower(): a for a in column.allowed}
        if text.lower() in folded:
            return folded[text.lower()]
        close = difflib.get_close_matches(text.lower(), [a for a in folded if a], n=1)
        hint = f"; did you mean {folded[close[0]]!r}?" if close else ""
        raise _CellError(_expected(column) + hint)
    return text


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _blank_value(column: ColumnSpec) -> Any:
    if column.dtype in ("float", "int"):
        return float("nan") if column.default is None else float(column.default)
    if column.dtype == "bool":
        return bool(column.default)
    return None if column.default is None else str(column.default)


# ---------------------------------------------------------------------------------------------
# sheets


@dataclass
class _SheetRows:
    """Header and data rows (values, with formulas resolved) of one sheet."""

    title: str
    header: tuple[Any, ...]
    rows: list[tuple[int, tuple[Any, ...]]]  # (excel row, values)
    stray_columns: list[int] = field(default_factory=list)  # 0-based, past the header, holding data


def _read_sheet(path: Path, ws: Any, sheet: str, limits: ReadLimits, issues: list[Issue]) -> _SheetRows:
    """Collect non-blank rows of one sheet (formula cells take their saved value); report what it hides."""
    try:
        scan = scan_sheet(ws, limits.max_rows)
    except TooManyRows:
        raise refuse(
            path,
            f"sheet {sheet} has more than {limits.max_rows:,} rows; raise the limit (--max-rows) "
            "if the workbook is genuine",
            "too_many_rows",
            sheet=sheet,
        ) from None
    except DamagedCell as exc:
        raise refuse(
            path, f"sheet {ws.title!r}: {exc}; the file is damaged: {RESAVE}", "unreadable", sheet=sheet
        ) from None
    for excel_row, j, formula in scan.missing_formulas:
        issues.append(
            Issue(
                "error",
                sheet,
                excel_row,
                _header_name(scan.header, j) if excel_row > 1 else None,
                formula,
                "formula has no saved value; open and save the workbook in Excel/LibreOffice "
                "so values are computed",
                "formula_no_value",
            )
        )
    for excel_row in scan.duplicate_rows:
        issues.append(
            Issue(
                "error",
                sheet,
                excel_row,
                None,
                None,
                f"row {excel_row} appears more than once in the sheet's XML (the file was not saved by "
                f"Excel, or is damaged); only its first copy was read: {RESAVE}",
                "duplicate_row",
            )
        )
    issues.extend(_hidden_warnings(ws, sheet, scan))
    return _SheetRows(sheet, scan.header, scan.rows, scan.stray_columns)


def _hidden_warnings(ws: Any, sheet: str, scan: SheetScan) -> list[Issue]:
    """Hidden sheets, rows, columns and filtered-out rows are read, with a located warning each."""
    out: list[Issue] = []
    state = getattr(ws, "sheet_state", "visible")
    if state in ("hidden", "veryHidden"):
        how = "hidden" if state == "hidden" else "very hidden (visible only from the VBA editor)"
        out.append(
            Issue(
                "warning",
                sheet,
                None,
                None,
                None,
                f"sheet {ws.title!r} is {how} in Excel but is read; unhide it and check it, "
                "or delete it if it should not be used",
                "hidden_sheet",
            )
        )
    why = "filtered out by the sheet's AutoFilter" if scan.filtered else "hidden"
    code = "filtered_row" if scan.filtered else "hidden_row"
    for excel_row in scan.hidden_rows[:HIDDEN_ROWS_LISTED]:
        out.append(
            Issue(
                "warning",
                sheet,
                excel_row,
                None,
                None,
                f"row {excel_row} is {why} but is read; a hidden row usually means 'not this one': "
                "delete the row if it should not be used, or unhide it",
                code,
            )
        )
    rest = scan.hidden_rows[HIDDEN_ROWS_LISTED:]
    if rest:
        out.append(
            Issue(
                "warning",
                sheet,
                rest[0],
                None,
                None,
                f"{len(rest)} more rows are {why} but read (rows {rest[0]} to {rest[-1]}); delete the "
                "rows that should not be used, or unhide them",
                code,
            )
        )
    known = {c.name for t in TABLES if t.name == sheet for c in t.all_columns}
    for j in scan.hidden_columns:
        name = _header_name(scan.header, j)
        if name not in known:  # an extra column: already reported as ignored
            continue
        out.append(
            Issue(
                "warning",
                sheet,
                None,
                name,
                None,
                f"column {name!r} (column {j + 1}) is hidden but is read; delete the column if it "
                "should not be used, or unhide it",
                "hidden_column",
            )
        )
    return out


def _header_name(header: tuple[Any, ...], j: int) -> str | None:
    if j < len(header) and not _is_blank(header[j]) and header[j] is not FORMULA_MISSING:
        return normalize_name(header[j])
    return None


def _map_columns(spec: TableSpec, sheet: _SheetRows, issues: list[Issue]) -> dict[str, int]:
    """Map schema column name -> position in the sheet; report extra, duplicate and missing columns."""
    known = {c.name for c in spec.all_columns}
    positions: dict[str, int] = {}
    unnamed = [
        j
        for j, raw in enumerate(sheet.header)
        if (_is_blank(raw) or raw is FORMULA_MISSING) and any(not _is_blank(v[j]) for _, v in sheet.rows)
    ]
    for j in sorted(unnamed + sheet.stray_columns):
        issues.append(
            Issue(
                "warning",
                spec.name,
                1,
                None,
                None,
                f"column {j + 1} has data but no header; it is ignored (give it a header)",
                "no_header",
            )
        )
    for j, raw in enumerate(sheet.header):
        if _is_blank(raw) or raw is FORMULA_MISSING:
            continue
        name = normalize_name(raw)
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            issues.append(
                Issue(
                    "warning",
                    spec.name,
                    1,
                    str(raw),
                    None,
                    f"extra column {str(raw)!r} is not part of {spec.name}; it is ignored{hint}",
                    "extra_column",
                )
            )
            continue
        if name in positions:
            issues.append(
                Issue(
                    "error",
                    spec.name,
                    1,
                    name,
                    str(raw),
                    f"column {name!r} appears twice (columns {positions[name] + 1} and {j + 1}); keep one",
                    "duplicate_column",
                )
            )
            continue
        positions[name] = j
    for c in spec.all_columns:
        if c.required and c.name not in positions:
            issues.append(
                Issue(
                    "error",
                    spec.name,
                    1,
                    c.name,
                    None,
                    f"required column {c.name!r} is missing; add it to the header row ({c.description})",
                    "missing_column",
                )
            )
    return positions


INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Characters that show as nothing (zero-width spaces and joiners, direction marks, BOM, soft hyphen)."""
INVISIBLE_LISTED = 20


def _invisible_warnings(sheet: str, cells: list[tuple[int, str, str]]) -> list[Issue]:
    """A located warning for each text cell (the first few of a sheet) holding an invisible character:
    it is part of the id, which then matches no id typed without it."""
    out = []
    for excel_row, column, text in cells[:INVISIBLE_LISTED]:
        found = sorted(
            {f"U+{ord(ch):04X} {unicodedata.name(ch, '').lower()}".strip() for ch in INVISIBLE.findall(text)}
        )
        out.append(
            Issue(
                "warning",
                sheet,
                excel_row,
                column,
                text,
                f"the cell looks blank but holds only invisible characters ({', '.join(found)}), so it counts "
                "as filled in; delete its content or enter the value"
                if not INVISIBLE.sub("", text).strip()
                else f"the text holds invisible characters ({', '.join(found)}), which are part of it: it "
                "matches no id typed without them; delete them (retype the cell)",
                "invisible_character",
            )
        )
    rest = cells[INVISIBLE_LISTED:]
    if rest:
        out.append(
            Issue(
                "warning",
                sheet,
                rest[0][0],
                None,
                None,
                f"{len(rest)} more cells hold invisible characters (rows {rest[0][0]} to {rest[-1][0]}); "
                "delete them (retype the cells)",
                "invisible_character",
            )
        )
    return out


def _table_frame(spec: TableSpec, sheet: _SheetRows, issues: list[Issue]) -> pd.DataFrame:
    """Typed DataFrame of one sheet, following the InputData contract."""
    positions = _map_columns(spec, sheet, issues)
    n = len(sheet.rows)
    invisible: list[tuple[int, str, str]] = []  # (excel row, column, text) of text with invisible characters
    data: dict[str, Any] = {}
    for c in spec.all_columns:
        j = positions.get(c.name)
        blank = _blank_value(c)
        out: list[Any] = [blank] * n
        if j is not None:
            for i, (excel_row, values) in enumerate(sheet.rows):
                raw = values[j] if j < len(values) else None
                if raw is FORMULA_MISSING:
                    continue
                if _is_blank(raw):
                    if c.required:
                        issues.append(
                            Issue(
                                "error",
                                spec.name,
                                excel_row,
                                c.name,
                                None,
                                f"required cell is blank; fill in {c.name} ({c.description.rstrip('.')}), "
                                + _expected(c),
                                "required_blank",
                            )
                        )
                    continue
                try:
                    out[i] = parse_value(raw, c)
                except _CellError as exc:
                    issues.append(Issue("error", spec.name, excel_row, c.name, raw, str(exc), "bad_value"))
                    continue
                if isinstance(out[i], str) and INVISIBLE.search(out[i]):
                    invisible.append((excel_row, c.name, out[i]))
        if c.dtype in ("float", "int"):
            data[c.name] = np.asarray(out, dtype="float64")
        elif c.dtype == "bool":
            data[c.name] = np.asarray(out, dtype=bool)
        else:
            data[c.name] = pd.Series(out, dtype=object)
    issues.extend(_invisible_warnings(spec.name, invisible))
    data[ROW] = np.asarray([r for r, _ in sheet.rows], dtype="int64")
    frame = pd.DataFrame(data)
    for c in spec.all_columns:
        if c.dtype in ("str", "period"):
            frame[c.name] = frame[c.name].astype(object)
    return frame


def _parse_settings(frame: pd.DataFrame, raw_values: list[Any], issues: list[Issue]) -> dict[str, Any]:
    """Typed settings from the Settings table; defaults for keys not given."""
    settings = default_settings()
    seen: set[str] = set()
    for (key, excel_row), raw in zip(
        frame[["setting", ROW]].itertuples(index=False), raw_values, strict=True
    ):
        if key is None:
            continue
        norm = normalize_name(key)
        spec = SETTINGS_BY_KEY.get(norm)
        if spec is None and norm.startswith(HIGHS_PREFIX) and len(norm) > len(HIGHS_PREFIX):
            # a HiGHS option by HiGHS's own name; the validator asks HiGHS whether it accepts it
            if not (raw is FORMULA_MISSING or _is_blank(raw)):
                settings[HIGHS_SETTINGS][norm[len(HIGHS_PREFIX) :]] = raw
            continue
        if spec is None:
            close = difflib.get_close_matches(norm, list(SETTINGS_BY_KEY), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            issues.append(
                Issue(
                    "warning",
                    "Settings",
                    int(excel_row),
                    "setting",
                    key,
                    f"unknown setting {key!r}; it is ignored{hint}",
                    "unknown_setting",
                )
            )
            continue
        if norm in seen:
            continue  # duplicates are reported by the validator
        seen.add(norm)
        if raw is FORMULA_MISSING or _is_blank(raw):
            continue
        try:
            value = parse_value(raw, spec)
        except _CellError as exc:
            issues.append(
                Issue("error", "Settings", int(excel_row), "value", raw, f"{spec.key}: {exc}", "bad_value")
            )
            continue
        if spec.dtype == "int":
            value = int(value)
        settings[spec.key] = value
    return settings


# ---------------------------------------------------------------------------------------------
# entry point


def _read_sheet_safely(
    path: Path, ws: Any, title: str, sheet: str, limits: ReadLimits, issues: list[Issue]
) -> _SheetRows:
    """:func:`_read_sheet`, with every failure turned into one refusal in words."""
    try:
        return _read_sheet(path, ws, sheet, limits, issues)
    except InputError:
        raise
    except zipfile.BadZipFile as exc:
        raise damaged_zip(path, exc) from None
    except Exception as exc:
        defused = _defused_cause(exc)
        if defused is not None:
            raise refuse(
                path,
                f"sheet {title!r} declares XML entities ({type(defused).__name__}); refusing to read it",
                "xml_entities",
                sheet=sheet,
            ) from None
        if isinstance(exc, ParseError):
            raise refuse(
                path,
                f"sheet {title!r} cannot be read: its XML is truncated or malformed "
                f"({' '.join(str(exc).split())}); the file is damaged: {RESAVE}",
                "unreadable",
                sheet=sheet,
            ) from None
        raise refuse(
            path, f"sheet {title!r} cannot be read ({_one_line(exc)}); {RESAVE}", "unreadable", sheet=sheet
        ) from None


def read_workbook(path: Path | str, limits: ReadLimits = ReadLimits()) -> InputData:  # noqa: B008
    """Read the workbook at ``path`` into typed tables and settings.

    Raises :class:`InputError` (with one Issue) when the file cannot be read as a
    workbook at all; every problem inside the workbook is returned as an Issue in
    ``InputData.issues`` instead, so that all of them can be reported at once.
    """
    path = Path(path)
    content = read_bytes(path, limits)
    sha256 = hashlib.sha256(content).hexdigest()
    check_zip(path, content, limits)
    content, bad_dimensions = drop_bad_dimensions(content)
    wb = _load(path, content)
    issues: list[Issue] = [
        Issue(
            "warning",
            sheet,
            None,
            None,
            ref,
            f"sheet {sheet!r} declares a malformed used range (<dimension ref={ref!r}>); it is ignored and "
            f"the rows are read as written; {RESAVE} to fix it",
            "bad_dimension",
        )
        for sheet, ref in bad_dimensions
    ]
    tables: dict[str, pd.DataFrame] = {}
    settings_raw: list[Any] = []
    present: list[str] = []
    try:
        for title in wb.sheetnames:
            spec = SHEETS_BY_KEY.get(_sheet_key(title))
            if spec is None:
                if _sheet_key(title) not in IGNORED_SHEETS:
                    issues.append(
                        Issue(
                            "warning",
                            title,
                            None,
                            None,
                            None,
                            f"sheet {title!r} is not part of the workbook format; it is ignored"
                            + _suggest(_sheet_key(title), SHEETS_BY_KEY, lambda t: t.name),
                            "unknown_sheet",
                        )
                    )
                continue
            if spec.name in tables:
                issues.append(
                    Issue(
                        "error",
                        spec.name,
                        None,
                        None,
                        title,
                        f"two sheets match {spec.name} ({title!r} and another); keep one",
                        "duplicate_sheet",
                    )
                )
                continue
            ws = wb[title]
            if not hasattr(ws, "_worksheet_path"):  # a chart sheet: no cells
                tables[spec.name] = empty_table(spec)
                issues.append(
                    Issue(
                        "error",
                        spec.name,
                        None,
                        None,
                        title,
                        f"sheet {title!r} is a chart sheet, not a worksheet, so the {spec.name} table is "
                        f"missing; rename the chart sheet and put the table in a worksheet named {spec.name}",
                        "missing_sheet",
                    )
                )
                continue
            rows = _read_sheet_safely(path, ws, title, spec.name, limits, issues)
            tables[spec.name] = _table_frame(spec, rows, issues)
            present.append(spec.name)
            if spec.name == "Settings":
                j = _map_columns(spec, rows, []).get("value")
                settings_raw = [v[j] if j is not None and j < len(v) else None for _, v in rows.rows]
    finally:
        wb.close()
    for spec in TABLES:
        if spec.name not in tables:
            tables[spec.name] = empty_table(spec)
            if spec.required:
                cols = ", ".join(c.name for c in spec.columns)
                issues.append(
                    Issue(
                        "error",
                        spec.name,
                        None,
                        None,
                        None,
                        f"required sheet {spec.name} is missing; add a sheet named {spec.name} with columns {cols}",
                        "missing_sheet",
                    )
                )
    settings = _parse_settings(tables["Settings"], settings_raw, issues)
    logger.debug("read %s: %d sheets, %d issues", path, len(present), len(issues))
    return InputData(
        tables=tables,
        settings=settings,
        path=path,
        sha256=sha256,
        issues=issues,
        present_sheets=tuple(present),
    )


def _suggest(key: str, options: dict[str, Any], label: Any) -> str:
    close = difflib.get_close_matches(key, list(options), n=1)
    return f"; did you mean {label(options[close[0]])!r}?" if close else ""
