"""Read an input workbook into :class:`planner.tables.InputData`.

The reader is forgiving about what people do in Excel and strict about what
they meant:

* tolerated: header case, spacing and hyphens (``"Cost Flow"`` -> ``cost_flow``),
  sheet-name case (``lanes`` -> ``Lanes``), sheets in any order, numbers stored as
  text (``"1,234.5"``, ``" 12 "``, ``"5%"``), whole numbers typed as ``3.0``,
  booleans written as TRUE/FALSE/yes/no/y/n/1/0, blank cells where the column
  has a default, wholly blank rows, formula cells (their saved value is used);
* reported as located :class:`~planner.errors.Issue` objects in
  ``InputData.issues`` (all of them, never only the first): unparsable values,
  values outside ``allowed`` or ``[min_value, max_value]``, NaN/inf, blank
  required cells, formulas without a saved value, missing required sheets and
  columns; extra columns and unknown sheets are warnings;
* refused with an :class:`~planner.errors.InputError` holding one Issue: files
  that are missing, not a file, not an .xlsx (legacy .xls or encrypted, CSV,
  another kind of zip), larger than :class:`ReadLimits`, or carrying XML entity
  declarations.

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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from planner.errors import InputError, Issue
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

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)
TRUE_WORDS = frozenset({"true", "yes", "y", "t", "1", "x", "1.0"})
FALSE_WORDS = frozenset({"false", "no", "n", "f", "0", "0.0"})
IGNORED_SHEETS = frozenset({"readme"})
ZIP_EXPANSION_LIMIT = 20  # uncompressed parts may be at most this many times max_bytes
_XML_HEAD_BYTES = 65536
FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass(frozen=True)
class ReadLimits:
    """Refuse workbooks larger than these (protects against runaway or hostile files)."""

    max_bytes: int = 50_000_000
    max_rows: int = 200_000


def _sheet_key(text: str) -> str:
    return re.sub(r"[\s\-_.]+", "", text.strip().lower())


SHEETS_BY_KEY: dict[str, TableSpec] = {_sheet_key(t.name): t for t in TABLES}


def _refuse(path: Path, message: str, code: str) -> InputError:
    return InputError(f"{path.name}: {message}", [Issue("error", "", None, None, None, message, code)])


# ---------------------------------------------------------------------------------------------
# file-level checks


def _read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """Return the file's bytes after refusing what is not a readable, small-enough file."""
    if not path.exists():
        raise _refuse(path, f"file not found: {path}", "file_missing")
    if path.is_dir():
        raise _refuse(path, f"{path} is a directory, not a workbook file", "not_a_file")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise _refuse(
            path,
            f"the file is {size:,} bytes, above the limit of {limits.max_bytes:,}; "
            "raise the limit (--max-bytes) if the workbook is genuine",
            "too_big",
        )
    with path.open("rb") as fh:
        content = fh.read(limits.max_bytes + 1)
    if len(content) > limits.max_bytes:
        raise _refuse(path, f"the file is above the limit of {limits.max_bytes:,} bytes", "too_big")
    if len(content) == 0:
        raise _refuse(path, "the file is empty; save the workbook as .xlsx", "not_xlsx")
    if content.startswith(OLE_MAGIC):
        raise _refuse(
            path,
            "this is an encrypted or legacy .xls file; save it as an unencrypted .xlsx workbook",
            "ole_file",
        )
    if not content.startswith(ZIP_MAGIC):
        kind = "a text file (CSV?)" if _looks_like_text(content) else "not an Excel workbook"
        raise _refuse(
            path, f"the file is {kind}, not an .xlsx workbook; open it in Excel and save as .xlsx", "not_xlsx"
        )
    return content


def _looks_like_text(content: bytes) -> bool:
    head = content[:4096]
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_zip(path: Path, content: bytes, limits: ReadLimits) -> frozenset[str]:
    """Refuse zips that are not workbooks, expand too much, or declare XML entities.

    Returns the worksheet parts that hold at least one formula (the others need
    no second, formula-revealing parse).
    """
    formula_parts: set[str] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise _refuse(
                    path,
                    "the file is a zip archive but not an Excel .xlsx workbook (no xl/workbook.xml)",
                    "not_xlsx",
                )
            expanded = sum(i.file_size for i in infos)
            if expanded > ZIP_EXPANSION_LIMIT * limits.max_bytes:
                raise _refuse(
                    path,
                    f"the workbook expands to {expanded:,} bytes, above the limit of "
                    f"{ZIP_EXPANSION_LIMIT * limits.max_bytes:,}; raise --max-bytes if it is genuine",
                    "too_big",
                )
            for info in infos:
                if not (info.filename.endswith(".xml") or info.filename.endswith(".rels")):
                    continue
                with zf.open(info) as part:
                    head = part.read(_XML_HEAD_BYTES)
                if _declares_entities(head):
                    raise _refuse(
                        path,
                        f"the workbook part {info.filename} declares a DOCTYPE/XML entities "
                        "(an entity-expansion or external-entity attack); refusing to read it",
                        "xml_entities",
                    )
                if info.filename.startswith("xl/worksheets/") and _has_formula(zf, info, head):
                    formula_parts.add(info.filename)
    except zipfile.BadZipFile as exc:
        raise _refuse(path, f"the file is not a valid .xlsx (damaged zip: {exc})", "not_xlsx") from None
    return frozenset(formula_parts)


def _has_formula(zf: zipfile.ZipFile, info: zipfile.ZipInfo, head: bytes) -> bool:
    """Does a worksheet part contain a formula element? (streamed; C-speed byte search)."""
    if FORMULA_TAG.search(head):
        return True
    if info.file_size <= len(head):
        return False
    with zf.open(info) as part:
        tail = b""
        while chunk := part.read(1 << 20):
            if FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _declares_entities(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    upper = head.upper()
    return b"<!DOCTYPE" in upper or b"<!ENTITY" in upper


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


def _load(path: Path, content: bytes, data_only: bool) -> Any:
    """Open the workbook from memory (read-only); turn every failure into one InputError line."""
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=data_only, keep_links=False)
    except Exception as exc:
        defused = _defused_cause(exc)
        if defused is not None:
            raise _refuse(
                path,
                f"the workbook declares XML entities ({type(defused).__name__}); refusing to read it",
                "xml_entities",
            ) from None
        raise _refuse(
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


def _to_number(value: Any, column: ColumnSpec | SettingSpec) -> float:
    if isinstance(value, bool):
        raise _CellError(_expected(column) + ", not a TRUE/FALSE value")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1], 0.01
        try:
            number = float(text) * scale
        except ValueError:
            raise _CellError(_expected(column)) from None
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


def _iter_values(
    ws_values: Any, ws_formulas: Any | None
) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    if ws_formulas is None:  # the sheet has no formula: one parse is enough
        for values in ws_values.iter_rows(values_only=True):
            yield values, ()
        return
    yield from zip(
        ws_values.iter_rows(values_only=True), ws_formulas.iter_rows(values_only=True), strict=False
    )


def _is_formula(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return isinstance(value, ArrayFormula | DataTableFormula)


def _formula_text(value: Any) -> str:
    return value if isinstance(value, str) else str(getattr(value, "text", "") or "=<array formula>")


def _empty_string_results(ws_values: Any) -> set[tuple[int, int]] | None:
    """(row, 0-based column) of formula cells whose saved result is the empty string.

    Excel saves ``=IF(..., "", ...)`` as ``<c t="str"><f>..</f><v></v></c>``, which
    openpyxl reads as None, just like a formula that was never computed (no
    ``t="str"``). Returns None if the sheet XML cannot be inspected.
    """
    from defusedxml.ElementTree import iterparse

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    found: set[tuple[int, int]] = set()
    try:
        with ws_values.parent._archive.open(ws_values._worksheet_path) as src:
            for _, el in iterparse(src):
                if el.tag == f"{ns}c":
                    if (
                        el.get("t") == "str"
                        and el.find(f"{ns}f") is not None
                        and el.find(f"{ns}v") is not None
                    ):
                        row, col = coordinate_to_tuple(el.get("r"))
                        found.add((row, col - 1))
                    el.clear()
    except Exception:  # private openpyxl attributes or odd XML: keep the conservative answer
        logger.debug("cannot inspect formula results of %s", ws_values.title, exc_info=True)
        return None
    return found


def _read_sheet(
    path: Path, ws_values: Any, ws_formulas: Any | None, sheet: str, limits: ReadLimits, issues: list[Issue]
) -> _SheetRows:
    """Collect non-blank rows of one sheet; formula cells take their saved value."""
    header: tuple[Any, ...] = ()
    rows: list[tuple[int, list[Any]]] = []
    missing: list[tuple[int, int, str]] = []  # formula cells without a saved value
    for excel_row, (vals, forms) in enumerate(_iter_values(ws_values, ws_formulas), start=1):
        values = list(vals)
        for j, f in enumerate(forms):
            if j < len(values) and values[j] is None and f is not None and _is_formula(f):
                missing.append((excel_row, j, _formula_text(f)))
                values[j] = _FormulaMissing
        if excel_row == 1:
            header = tuple(values)
            continue
        if all(_is_blank(v) for v in values):
            continue
        rows.append((excel_row, values))
        if len(rows) > limits.max_rows:
            raise _refuse(
                path,
                f"sheet {sheet} has more than {limits.max_rows:,} rows; raise the limit (--max-rows) "
                "if the workbook is genuine",
                "too_many_rows",
            )
    if missing:
        empty_results = _empty_string_results(ws_values) or set()
        by_row = {r: v for r, v in rows}
        for excel_row, j, formula in missing:
            if (excel_row, j) in empty_results:  # a computed "" is a blank cell
                if excel_row in by_row:
                    by_row[excel_row][j] = None
                continue
            issues.append(
                Issue(
                    "error",
                    sheet,
                    excel_row,
                    _header_name(header, j) if excel_row > 1 else None,
                    formula,
                    "formula has no saved value; open and save the workbook in Excel/LibreOffice "
                    "so values are computed",
                    "formula_no_value",
                )
            )
        rows = [(r, v) for r, v in rows if not all(_is_blank(x) for x in v)]
    return _SheetRows(sheet, header, [(r, tuple(v)) for r, v in rows])


class _FormulaMissingType:
    """Marker for a formula cell without a saved value (already reported)."""

    def __repr__(self) -> str:
        return "<formula without value>"


_FormulaMissing = _FormulaMissingType()


def _header_name(header: tuple[Any, ...], j: int) -> str | None:
    if j < len(header) and not _is_blank(header[j]):
        return normalize_name(header[j])
    return None


def _map_columns(spec: TableSpec, sheet: _SheetRows, issues: list[Issue]) -> dict[str, int]:
    """Map schema column name -> position in the sheet; report extra, duplicate and missing columns."""
    known = {c.name for c in spec.all_columns}
    positions: dict[str, int] = {}
    data_width = max((len(v) for _, v in sheet.rows), default=0)
    for j in range(max(len(sheet.header), data_width)):
        raw = sheet.header[j] if j < len(sheet.header) else None
        if _is_blank(raw) or raw is _FormulaMissing:
            if any(j < len(v) and not _is_blank(v[j]) for _, v in sheet.rows):
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


def _table_frame(spec: TableSpec, sheet: _SheetRows, issues: list[Issue]) -> pd.DataFrame:
    """Typed DataFrame of one sheet, following the InputData contract."""
    positions = _map_columns(spec, sheet, issues)
    n = len(sheet.rows)
    data: dict[str, Any] = {}
    for c in spec.all_columns:
        j = positions.get(c.name)
        blank = _blank_value(c)
        out: list[Any] = [blank] * n
        if j is not None:
            for i, (excel_row, values) in enumerate(sheet.rows):
                raw = values[j] if j < len(values) else None
                if raw is _FormulaMissing:
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
        if c.dtype in ("float", "int"):
            data[c.name] = np.asarray(out, dtype="float64")
        elif c.dtype == "bool":
            data[c.name] = np.asarray(out, dtype=bool)
        else:
            data[c.name] = pd.Series(out, dtype=object)
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
            if not (raw is _FormulaMissing or _is_blank(raw)):
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
        if raw is _FormulaMissing or _is_blank(raw):
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


def read_workbook(path: Path | str, limits: ReadLimits = ReadLimits()) -> InputData:  # noqa: B008
    """Read the workbook at ``path`` into typed tables and settings.

    Raises :class:`InputError` (with one Issue) when the file cannot be read as a
    workbook at all; every problem inside the workbook is returned as an Issue in
    ``InputData.issues`` instead, so that all of them can be reported at once.
    """
    path = Path(path)
    content = _read_bytes(path, limits)
    sha256 = hashlib.sha256(content).hexdigest()
    formula_parts = _check_zip(path, content, limits)
    # formulas are found with data_only=False, their saved values read with data_only=True;
    # the formula pass is skipped for sheets (and workbooks) without any formula
    wb_formulas = _load(path, content, data_only=False) if formula_parts else None
    wb_values = _load(path, content, data_only=True)
    issues: list[Issue] = []
    tables: dict[str, pd.DataFrame] = {}
    settings_raw: list[Any] = []
    present: list[str] = []
    try:
        for title in wb_values.sheetnames:
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
            try:
                ws_values = wb_values[title]
                part = getattr(ws_values, "_worksheet_path", None)
                has_formulas = part is None or part.lstrip("/") in formula_parts
                ws_formulas = wb_formulas[title] if wb_formulas is not None and has_formulas else None
                rows = _read_sheet(path, ws_values, ws_formulas, spec.name, limits, issues)
            except InputError:
                raise
            except Exception as exc:
                defused = _defused_cause(exc)
                if defused is not None:
                    raise _refuse(
                        path,
                        f"sheet {title!r} declares XML entities ({type(defused).__name__}); refusing to read it",
                        "xml_entities",
                    ) from None
                raise _refuse(
                    path, f"sheet {title!r} cannot be read ({_one_line(exc)})", "unreadable"
                ) from None
            tables[spec.name] = _table_frame(spec, rows, issues)
            present.append(spec.name)
            if spec.name == "Settings":
                j = _map_columns(spec, rows, []).get("value")
                settings_raw = [v[j] if j is not None and j < len(v) else None for _, v in rows.rows]
    finally:
        wb_values.close()
        if wb_formulas is not None:
            wb_formulas.close()
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
