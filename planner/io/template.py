"""Write an empty, documented input workbook (``planner template PATH``).

The template is generated from :mod:`planner.schema`, so it always matches what
the reader expects:

* a ``README`` sheet first: what the workbook is, how to fill it, every table
  with its columns (type, unit, default, description) and every Settings key;
* one sheet per table in schema order, header in row 1 (bold, frozen, sized),
  each header cell with a comment (description, unit, default);
* Excel drop-downs (list data validations) for enumerations, TRUE/FALSE
  columns, references to other sheets' ids and period columns;
* the Settings sheet pre-filled with every key and its default value.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from planner import __version__
from planner.errors import InputError
from planner.io.excel_writer import save_atomically
from planner.schema import SCHEMA_VERSION, SETTINGS, TABLES, TABLES_BY_NAME, ColumnSpec, TableSpec

logger = logging.getLogger(__name__)

VALIDATION_LAST_ROW = 5000  # drop-downs cover rows 2..VALIDATION_LAST_ROW
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def default_text(column: ColumnSpec) -> str:
    """How the default of a column reads in the README and header comments."""
    if column.required:
        return "required"
    if column.default is None or column.default == "":
        return "blank"
    if isinstance(column.default, bool):
        return "TRUE" if column.default else "FALSE"
    return str(column.default)


def column_help(column: ColumnSpec) -> str:
    """Description, allowed values, reference, unit and default of a column, as one text."""
    parts = [column.description]
    if column.allowed:
        parts.append("One of: " + ", ".join(a for a in column.allowed if a) + ".")
    if column.ref:
        parts.append(f"Must be a {column.ref}.")
    if column.dtype == "period":
        parts.append("Must be a Periods.period.")
    if column.per_period:
        parts.append("Scenario changes may alter it by period.")
    parts.append(f"Type: {column.dtype}.")
    if column.unit:
        parts.append(f"Unit: {column.unit}.")
    parts.append(f"Default: {default_text(column)}.")
    return " ".join(parts)


def _list_source(column: ColumnSpec) -> tuple[str, str] | None:
    """(formula1, error style) of the drop-down for a column, or None."""
    if column.allowed:
        values = [a for a in column.allowed if a]
        return '"' + ",".join(values) + '"', "stop"
    if column.dtype == "bool":
        return '"TRUE,FALSE"', "stop"
    target = column.ref or ("Periods.period" if column.dtype == "period" else None)
    if target is None:
        return None
    sheet, col = target.split(".")
    j = TABLES_BY_NAME[sheet].column_names.index(col) + 1
    letter = get_column_letter(j)
    # OOXML stores the formula without its leading "=" (Excel shows =Sites!$A$2:$A$5000)
    ref_sheet = sheet if sheet.isalnum() else quote_sheetname(sheet)
    return f"{ref_sheet}!${letter}$2:${letter}${VALIDATION_LAST_ROW}", "warning"


def _readme_rows() -> list[tuple[list[Any], str]]:
    """README content as (cells, style) rows; style is title, section, header, table or ''."""
    rows: list[tuple[list[Any], str]] = [
        (["planner input workbook"], "title"),
        ([f"Schema version {SCHEMA_VERSION}; written by planner {__version__}."], ""),
        ([], ""),
        (["What it is"], "section"),
        (
            [
                "The data of one supply-chain planning case: periods, products, sites, recipes, lanes, "
                "contracts, demand, stock, sourcing rules, export controls and scenarios. One sheet per table."
            ],
            "",
        ),
        (["How to fill it"], "section"),
        (["1. One record per row, starting in row 2. Keep the header row (row 1) as it is."], ""),
        (["2. Ids (site, product, process, ...) are free text; other sheets refer to them exactly."], ""),
        (["3. Leave a cell blank to use its default; 'required' cells must be filled."], ""),
        (["4. Drop-downs offer allowed values and ids already entered on other sheets."], ""),
        (["5. Sheets you do not need may stay empty. Periods, Products and Sites need rows."], ""),
        (["6. Check the workbook with:  planner validate <file>.xlsx"], ""),
        ([], ""),
        (["Tables"], "section"),
        (["sheet", "column", "type", "unit", "default", "description"], "header"),
    ]
    for spec in TABLES:
        req = " (required sheet)" if spec.required else ""
        key = f" Key: {', '.join(spec.key)}." if spec.key else ""
        rows.append(([spec.name, "", "", "", "", spec.description + req + key], "table"))
        for c in spec.all_columns:
            rows.append((["", c.name, c.dtype, c.unit, default_text(c), column_help(c)], ""))
    rows += [([], ""), (["Settings keys (Settings sheet: one setting per row)"], "section")]
    rows.append((["setting", "type", "unit", "default", "range", "description"], "header"))
    for st in SETTINGS:
        bounds = []
        if st.min_value is not None:
            bounds.append(f">= {st.min_value:g}")
        if st.max_value is not None:
            bounds.append(f"<= {st.max_value:g}")
        default = "blank" if st.default is None else st.default
        rows.append(([st.key, st.dtype, st.unit, default, " and ".join(bounds), st.description], ""))
    return rows


def _write_readme(wb: Workbook) -> None:
    ws = wb.create_sheet("README")
    for i, (cells, style) in enumerate(_readme_rows(), start=1):
        ws.append(cells)
        if style == "title":
            ws.cell(i, 1).font = _TITLE
        elif style in ("section", "table"):
            ws.cell(i, 1).font = _BOLD
        elif style == "header":
            for j in range(1, len(cells) + 1):
                ws.cell(i, j).font = _BOLD
                ws.cell(i, j).fill = _HEADER_FILL
        if len(cells) == 6:
            ws.cell(i, 6).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (18, 24, 9, 18, 12, 110), strict=True):
        ws.column_dimensions[letter].width = width


def _write_table(wb: Workbook, spec: TableSpec) -> None:
    ws = wb.create_sheet(spec.name)
    columns = list(spec.all_columns)
    ws.append([c.name for c in columns])
    ws.freeze_panes = "A2"
    for j, c in enumerate(columns, start=1):
        cell = ws.cell(1, j)
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if c.required else _HEADER_FILL
        comment = Comment(column_help(c), "planner")
        comment.width, comment.height = 320, 140
        cell.comment = comment
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(12, min(36, len(c.name) + 6))
        source = _list_source(c)
        if source is None:
            continue
        formula, style = source
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle=style)
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.promptTitle = c.name[:32]
        dv.prompt = column_help(c)[:255]
        dv.errorTitle = f"Invalid {c.name}"[:32]
        dv.error = ("Pick a value from the list. " + column_help(c))[:255]
        dv.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
        ws.add_data_validation(dv)
    if spec.name == "Settings":
        for s in SETTINGS:
            ws.append([s.key, s.default])
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 16


def write_template(path: Path | str, force: bool = False) -> None:
    """Write an empty, documented input workbook to ``path`` (atomically).

    Raises InputError if ``path`` exists and ``force`` is False.
    """
    path = Path(path)
    if path.exists() and not force:
        raise InputError(f"{path} already exists; choose another name or pass --force to overwrite it")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path.name}: a template must be an .xlsx file; use a name ending in .xlsx")
    wb = Workbook()
    wb.remove(wb.active)
    _write_readme(wb)
    for spec in TABLES:
        _write_table(wb, spec)
    save_atomically(wb, path)
    logger.info("wrote template %s", path)
