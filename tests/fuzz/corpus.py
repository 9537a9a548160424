"""A seeded fuzz corpus of malformed workbooks derived from ``inputs/tiny.xlsx`` (#15).

``cases()`` returns the same list of :class:`Case` on every call: every random choice is drawn,
in a fixed order, from ``random.Random(SEED)`` while the list is built, and each case's
``build(path)`` is a pure function of what was drawn. ``build`` writes the workbook at ``path``
(the suffix may be changed by the case: see :attr:`Case.suffix`) and returns the path to give
to ``planner validate``.

Families (see ``FAMILIES``): missing sheets, missing/renamed columns, wrong types, bad numbers,
dangling references, duplicate keys, ScenarioChanges that produce invalid values, formulas and
formula-injection text, unicode/whitespace ids, hidden sheets/rows/columns, stale ``<dimension>``
elements, XML/zip damage, Settings extremes and big-but-valid sheets.

Mutations are made with openpyxl (load tiny.xlsx, change, save) or, for what openpyxl cannot
write (formulas with saved values, stale dimensions, damaged parts), by editing the zip parts
of tiny.xlsx directly.

Expectations (:attr:`Case.expect`), checked by ``tests/fuzz/test_fuzz_corpus.py``:

``refuse``
    exit 2 with an ERROR that points at :attr:`Case.where`;
``flag``
    accepted with a located warning or refused with a located error, pointing at ``where``;
``same_or_flag``
    either the reader returns exactly the tables of tiny.xlsx, or an issue points at ``where``
    (stale dimensions: silent acceptance of *changed* data is the failure);

For the hidden and stale-dimension families the issue must also say what it is about
(:data:`ABOUT`: "hidden", "dimension"), so a misleading consequence (``required column 'type' is
missing`` when a stale ``<dimension>`` cut the column off) does not count.
``valid``
    exit 0, no error;
``any``
    only the general contract (exit 0/1/2, no traceback, every issue located with a hint).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "inputs" / "tiny.xlsx"
SEED = 20261129

REFUSE, FLAG, SAME_OR_FLAG, VALID, ANY = "refuse", "flag", "same_or_flag", "valid", "any"
EXPECTATIONS = (REFUSE, FLAG, SAME_OR_FLAG, VALID, ANY)
FILE = "workbook"  # the sheet name the CLI prints for file-level problems

FAMILIES = (
    "missing_sheet",
    "columns",
    "wrong_types",
    "bad_numbers",
    "dangling_refs",
    "duplicate_keys",
    "scenario_changes",
    "formulas",
    "unicode",
    "hidden",
    "stale_dimension",
    "xml_zip",
    "settings",
    "big",
)

Where = tuple[str | None, int | None, str | None]
Builder = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    """One malformed (or valid but awkward) workbook and what ``planner validate`` must do with it."""

    case_id: str
    family: str
    build: Builder
    expect: str
    where: Where = (None, None, None)  # sheet, row, column an issue must name (None: any)
    cell: bool = False  # the matching issue must carry a row and a column
    big: bool = False  # run in a subprocess, measuring time and peak memory
    solve: bool = False  # also solved by test_solve_never_exits_70
    suffix: str = ".xlsx"
    about: str | None = None  # a regex the matching issue's message must contain (what it is about)

    def __post_init__(self) -> None:
        assert self.expect in EXPECTATIONS, self.expect
        assert self.family in FAMILIES, self.family


# ---------------------------------------------------------------------------------------------
# tiny.xlsx: its sheets, headers, parts


@functools.cache
def tiny_bytes() -> bytes:
    return TINY.read_bytes()


@functools.cache
def tiny_rows() -> dict[str, tuple[tuple[Any, ...], ...]]:
    """Sheet -> rows (values) of tiny.xlsx, header first."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(tiny_bytes()))
    return {ws.title: tuple(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def header(sheet: str) -> list[str]:
    return [str(h) for h in tiny_rows()[sheet][0]]


def col_letter(sheet: str, column: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(header(sheet).index(column) + 1)


def n_rows(sheet: str) -> int:
    """Excel rows used by ``sheet`` in tiny.xlsx (header included)."""
    return len(tiny_rows()[sheet])


def setting_row(key: str) -> int:
    for i, row in enumerate(tiny_rows()["Settings"], start=1):
        if row[0] == key:
            return i
    raise KeyError(key)


@functools.cache
def sheet_parts() -> dict[str, str]:
    """Sheet title -> zip part of its worksheet XML in tiny.xlsx."""
    with zipfile.ZipFile(io.BytesIO(tiny_bytes())) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    targets = {
        m.group(2): m.group(1).lstrip("/") for m in re.finditer(r'Target="([^"]+)" Id="([^"]+)"', rels)
    }
    return {
        m.group(1): targets[m.group(2)] for m in re.finditer(r'<sheet name="([^"]+)"[^>]*r:id="([^"]+)"', wb)
    }


# ---------------------------------------------------------------------------------------------
# builders


def via_openpyxl(mutate: Callable[[Any], None]) -> Builder:
    """Load tiny.xlsx with openpyxl, ``mutate(workbook)``, save at the path."""

    def build(path: Path) -> Path:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(tiny_bytes()))
        mutate(wb)
        wb.save(path)
        return path

    return build


Parts = dict[str, bytes]


def via_zip(edit: Callable[[Parts], Parts | None], source: Builder | None = None) -> Builder:
    """Edit the zip parts of tiny.xlsx (or of what ``source`` built) with ``edit(parts)``."""

    def build(path: Path) -> Path:
        content = tiny_bytes() if source is None else source(path).read_bytes()
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
        parts = edit(parts) or parts
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in parts.items():
                out.writestr(name, data)
        return path

    return build


def via_bytes(make: Callable[[], bytes]) -> Builder:
    def build(path: Path) -> Path:
        path.write_bytes(make())
        return path

    return build


def edit_sheet_xml(sheet: str, edit: Callable[[str], str]) -> Callable[[Parts], Parts]:
    def apply(parts: Parts) -> Parts:
        part = sheet_parts()[sheet]
        parts[part] = edit(parts[part].decode("utf-8")).encode("utf-8")
        return parts

    return apply


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def cell_xml(ref: str, formula: str | None = None, cached: Any = None, kind: str | None = None) -> str:
    """A ``<c>`` element: a formula (with an optional saved value) or a plain value."""
    t = f' t="{kind}"' if kind else ""
    f = f"<f>{_xml_text(formula)}</f>" if formula is not None else ""
    if cached is None:
        v = "<v />" if formula is not None else ""
    elif kind == "inlineStr":
        v = f"<is><t>{_xml_text(str(cached))}</t></is>"
    else:
        v = f"<v>{_xml_text(str(cached))}</v>"
    return f'<c r="{ref}"{t}>{f}{v}</c>'


def replace_cell(sheet: str, ref: str, new: str) -> Callable[[Parts], Parts]:
    """Replace (or insert at the end of its row) the cell ``ref`` of ``sheet``."""

    def edit(text: str) -> str:
        pattern = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)')
        out, n = pattern.subn(lambda _m: new, text, count=1)
        if n:
            return out
        row = re.sub(r"[A-Z]+", "", ref)
        out, n = re.subn(rf'(<row r="{row}"[^>]*>.*?)(</row>)', lambda m: m.group(1) + new + m.group(2), text)
        assert n == 1, f"row {row} not found"
        return out

    return edit_sheet_xml(sheet, edit)


def chain(*edits: Callable[[Parts], Parts | None]) -> Callable[[Parts], Parts]:
    def apply(parts: Parts) -> Parts:
        for e in edits:
            parts = e(parts) or parts
        return parts

    return apply


# openpyxl mutations ----------------------------------------------------------------------------


def col_of(ws: Any, column: str) -> int:
    for cell in ws[1]:
        if cell.value == column:
            return int(cell.column)
    raise KeyError(f"{ws.title} has no column {column!r}")


def set_cell(sheet: str, row: int, column: str, value: Any, as_text: bool = False) -> Callable[[Any], None]:
    def mutate(wb: Any) -> None:
        ws = wb[sheet]
        cell = ws.cell(row=row, column=col_of(ws, column))
        cell.value = value
        if as_text and isinstance(value, str):
            cell.data_type = "s"  # text that looks like a formula stays text

    return mutate


def set_header(sheet: str, column: str, new: Any) -> Callable[[Any], None]:
    def mutate(wb: Any) -> None:
        ws = wb[sheet]
        ws.cell(row=1, column=col_of(ws, column)).value = new

    return mutate


def delete_column(sheet: str, column: str) -> Callable[[Any], None]:
    def mutate(wb: Any) -> None:
        ws = wb[sheet]
        ws.delete_cols(col_of(ws, column))

    return mutate


def append_row(sheet: str, values: dict[str, Any]) -> Callable[[Any], None]:
    def mutate(wb: Any) -> None:
        ws = wb[sheet]
        row = ws.max_row + 1
        for name, value in values.items():
            ws.cell(row=row, column=col_of(ws, name)).value = value

    return mutate


def copy_row(sheet: str, row: int, changes: dict[str, Any] | None = None) -> Callable[[Any], None]:
    def mutate(wb: Any) -> None:
        ws = wb[sheet]
        new = ws.max_row + 1
        for j, cell in enumerate(ws[row], start=1):
            ws.cell(row=new, column=j).value = cell.value
        for name, value in (changes or {}).items():
            ws.cell(row=new, column=col_of(ws, name)).value = value

    return mutate


ID_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "site": (
        ("Sites", "site"),
        ("Lanes", "origin"),
        ("Lanes", "destination"),
        ("Contracts", "supplier"),
        ("Contracts", "buyer"),
        ("Demand", "site"),
        ("Inventory", "site"),
    ),
    "product": (
        ("Products", "product"),
        ("Lanes", "product"),
        ("Contracts", "product"),
        ("Demand", "product"),
        ("Inventory", "product"),
        ("ExportControls", "product"),
    ),
    "period": (
        ("Periods", "period"),
        ("Demand", "period"),
        ("Contracts", "start_period"),
        ("Contracts", "end_period"),
        ("ExportControls", "start_period"),
        ("ExportControls", "end_period"),
        ("ScenarioChanges", "start_period"),
        ("ScenarioChanges", "end_period"),
    ),
}


def replace_id(kind: str, old: str, new: Any, as_text: bool = False) -> Callable[[Any], None]:
    """Rename the ``kind`` id ``old`` to ``new`` in every column that holds or references it.

    ``as_text``: store ``new`` as text even if it starts with ``=`` (formula-injection text).
    """

    def mutate(wb: Any) -> None:
        for sheet, column in ID_COLUMNS[kind]:
            ws = wb[sheet]
            j = col_of(ws, column)
            for row in range(2, ws.max_row + 1):
                cell = ws.cell(row=row, column=j)
                if cell.value == old:
                    cell.value = new
                    if as_text:
                        cell.data_type = "s"
        if kind == "period":
            ws = wb["Settings"]
            for row in range(2, ws.max_row + 1):
                if (
                    ws.cell(row=row, column=1).value == "reveal_period"
                    and ws.cell(row=row, column=2).value == old
                ):
                    ws.cell(row=row, column=2).value = new

    return mutate


def delete_sheets(*names: str) -> Callable[[Any], None]:
    def mutate(wb: Any) -> None:
        for name in names:
            del wb[name]

    return mutate


def both(*mutations: Callable[[Any], None]) -> Callable[[Any], None]:
    def mutate(wb: Any) -> None:
        for m in mutations:
            m(wb)

    return mutate


# ---------------------------------------------------------------------------------------------
# families


SHEETS = (
    "Settings",
    "Periods",
    "Products",
    "Sites",
    "Lanes",
    "Contracts",
    "Demand",
    "Inventory",
    "ExportControls",
    "Scenarios",
    "ScenarioChanges",
)
REQUIRED_SHEETS = ("Periods", "Products", "Sites")
DATA_SHEETS = tuple(s for s in SHEETS if s != "Settings")

Draw = random.Random


def typo(rng: Draw, word: str) -> str:
    """A misspelling of ``word`` (never ``word`` itself, never only a change of case)."""
    for _ in range(20):
        i = rng.randrange(len(word))
        op = rng.choice(("drop", "double", "swap", "replace"))
        if op == "drop" and len(word) > 1:
            out = word[:i] + word[i + 1 :]
        elif op == "double":
            out = word[:i] + word[i] + word[i:]
        elif op == "swap" and i + 1 < len(word):
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            out = word[:i] + rng.choice("ABCDEFGHKLMNXYZ") + word[i + 1 :]
        if out.lower() != word.lower():
            return out
    return word + "X"


def family_missing_sheet(rng: Draw) -> Iterator[Case]:
    fam = "missing_sheet"
    for s in SHEETS:
        expect = REFUSE if s in REQUIRED_SHEETS else ANY
        yield Case(f"missing-sheet-{s}", fam, via_openpyxl(delete_sheets(s)), expect, (s, None, None))
    for k in range(8):
        pair = tuple(rng.sample(SHEETS, 2))
        req = [s for s in pair if s in REQUIRED_SHEETS]
        yield Case(
            f"missing-sheets-{k}-{'-'.join(pair)}",
            fam,
            via_openpyxl(delete_sheets(*pair)),
            REFUSE if req else ANY,
            (req[0] if req else None, None, None),
        )
    yield Case(
        "missing-sheets-all-but-settings",
        fam,
        via_openpyxl(delete_sheets(*SHEETS[1:])),
        REFUSE,
        ("Periods", None, None),
    )

    def clear(sheet: str, keep_header: bool) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            ws = wb[sheet]
            ws.delete_rows(2 if keep_header else 1, ws.max_row)

        return mutate

    for s in SHEETS:
        expect = REFUSE if s in REQUIRED_SHEETS else ANY
        yield Case(f"empty-sheet-{s}", fam, via_openpyxl(clear(s, True)), expect, (s, None, None))
    for s in rng.sample(SHEETS, 5):
        expect = REFUSE if s in REQUIRED_SHEETS else ANY
        yield Case(f"blank-sheet-{s}", fam, via_openpyxl(clear(s, False)), expect, (s, None, None))

    def rename(old: str, new: str) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            wb[old].title = new

        return mutate

    for s in rng.sample(SHEETS, 6):
        new = typo(rng, s)
        yield Case(f"renamed-sheet-{s}-{new}", fam, via_openpyxl(rename(s, new)), FLAG, (new, None, None))
    for s, new in (
        ("Lanes", "LANES"),
        ("ScenarioChanges", "scenario changes"),
        ("ExportControls", "export-controls"),
    ):
        yield Case(f"renamed-sheet-{s}-case", fam, via_openpyxl(rename(s, new)), VALID)

    def add_sheet(title: str, rows: list[list[Any]]) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)

        return mutate

    yield Case(
        "extra-sheet-notes",
        fam,
        via_openpyxl(add_sheet("Notes", [["note"], ["x"]])),
        FLAG,
        ("Notes", None, None),
    )
    yield Case("extra-sheet-readme", fam, via_openpyxl(add_sheet("README", [["about"], ["x"]])), VALID)

    def duplicate_sheet(wb: Any) -> None:
        wb.copy_worksheet(wb["Lanes"]).title = "lanes "

    yield Case("duplicate-sheet-Lanes", fam, via_openpyxl(duplicate_sheet), REFUSE, ("Lanes", None, None))


REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "Settings": ("setting",),
    "Periods": ("period",),
    "Products": ("product",),
    "Sites": ("site", "type", "country"),
    "Lanes": ("lane", "origin", "destination"),
    "Contracts": ("contract", "supplier", "product"),
    "Demand": ("site", "product", "period", "quantity"),
    "Inventory": ("site", "product"),
    "ExportControls": ("rule", "country", "product"),
    "Scenarios": ("scenario", "probability"),
    "ScenarioChanges": ("table", "column", "value"),
}
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "Lanes": ("cost_flow", "capacity", "qualification", "transit_periods"),
    "Contracts": ("price", "take_or_pay"),
    "Demand": ("shortage_penalty", "customer_class"),
    "Inventory": ("max_stock", "cost_holding"),
    "Sites": ("status", "cost_fixed"),
}


def family_columns(rng: Draw) -> Iterator[Case]:
    fam = "columns"
    for s, cols in REQUIRED_COLUMNS.items():
        for c in cols:
            yield Case(
                f"missing-column-{s}-{c}",
                fam,
                via_openpyxl(delete_column(s, c)),
                REFUSE,
                (s, 1, c),
                cell=True,
            )
    pairs = [(s, c) for s, cols in REQUIRED_COLUMNS.items() for c in cols]
    for s, c in rng.sample(pairs, 8):
        new = typo(rng, c)
        yield Case(
            f"renamed-column-{s}-{c}-{new}",
            fam,
            via_openpyxl(set_header(s, c, new)),
            REFUSE,
            (s, 1, c),
            cell=True,
        )
    optional = [(s, c) for s, cols in OPTIONAL_COLUMNS.items() for c in cols]
    for s, c in rng.sample(optional, 5):
        new = typo(rng, c)
        yield Case(
            f"renamed-optional-{s}-{c}-{new}",
            fam,
            via_openpyxl(set_header(s, c, new)),
            FLAG,
            (s, 1, new),
            cell=True,
        )
    for s, c, other in (
        ("Lanes", "origin", "destination"),
        ("Demand", "quantity", "shortage_penalty"),
        ("Sites", "site", "name"),
        ("Contracts", "price", "min_per_period"),
    ):
        yield Case(
            f"duplicate-column-{s}-{c}",
            fam,
            via_openpyxl(set_header(s, other, c.upper())),
            REFUSE,
            (s, 1, c),
            cell=True,
        )
    for s, c in (("Lanes", "source"), ("Demand", "confidence"), ("Sites", "name")):
        yield Case(f"blank-header-{s}-{c}", fam, via_openpyxl(set_header(s, c, None)), FLAG, (s, 1, None))
    for s, c, new in (
        ("Lanes", "cost_flow", "Cost Flow"),
        ("Lanes", "origin", " ORIGIN "),
        ("Demand", "shortage_penalty", "Shortage-Penalty"),
        ("Sites", "country", "Country"),
        ("Contracts", "min_per_period", "min per period"),
    ):
        yield Case(f"header-variant-{s}-{c}", fam, via_openpyxl(set_header(s, c, new)), VALID)

    def stray(sheet: str) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            ws = wb[sheet]
            ws.cell(row=2, column=ws.max_column + 2).value = "stray"

        return mutate

    for s in ("Lanes", "Demand", "Scenarios"):
        yield Case(f"data-without-header-{s}", fam, via_openpyxl(stray(s)), FLAG, (s, 1, None))

    def header_down(sheet: str) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            wb[sheet].insert_rows(1)

        return mutate

    for s in ("Sites", "Lanes", "Demand"):
        yield Case(f"header-on-row-2-{s}", fam, via_openpyxl(header_down(s)), REFUSE, (s, None, None))


NUMERIC_CELLS: tuple[tuple[str, int, str], ...] = (
    ("Demand", 2, "quantity"),
    ("Demand", 3, "shortage_penalty"),
    ("Lanes", 3, "capacity"),
    ("Lanes", 2, "cost_flow"),
    ("Lanes", 3, "cost_qualification"),
    ("Contracts", 2, "price"),
    ("Inventory", 2, "max_stock"),
    ("Inventory", 2, "cost_holding"),
    ("Products", 2, "value"),
    ("Sites", 2, "cost_fixed"),
)
SHARE_CELLS: tuple[tuple[str, int, str], ...] = (
    ("ExportControls", 2, "approval_share"),
    ("Scenarios", 2, "probability"),
    ("Lanes", 2, "tariff_rate"),
)
INT_CELLS: tuple[tuple[str, int, str], ...] = (
    ("Lanes", 2, "transit_periods"),
    ("Lanes", 3, "lead_time_qualification"),
    ("Lanes", 3, "transit_periods"),
)


def family_wrong_types(rng: Draw) -> Iterator[Case]:
    fam = "wrong_types"
    texts = ["abc", "ten", "N/A", "-", "TBD", "1O", "1.2.3", "\u2014", "?", "see note"]
    cells = NUMERIC_CELLS + SHARE_CELLS
    for k, (s, r, c) in enumerate(rng.sample(cells, 12)):
        text = texts[k % len(texts)]
        yield Case(
            f"text-in-number-{s}-{c}-{k}",
            fam,
            via_openpyxl(set_cell(s, r, c, text)),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    for k, (s, r, c) in enumerate(rng.sample(cells, 4)):
        yield Case(
            f"bool-in-number-{s}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, k % 2 == 0)),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    for (s, r, c), value in zip(
        rng.sample(cells, 4),
        [dt.datetime(2026, 1, 2), dt.date(2026, 12, 31), dt.datetime(1900, 1, 1, 12, 30), dt.time(10, 30)],
        strict=True,
    ):
        yield Case(
            f"date-in-number-{s}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, value)),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    for s, r, c, value in (
        ("Lanes", 2, "qualification", "maybe"),
        ("Lanes", 3, "qualification", 2),
        ("Sites", 2, "closable", "oui"),
        ("Inventory", 2, "cover_hard", 0.5),
        ("Lanes", 2, "qualification", dt.datetime(2026, 1, 1)),
    ):
        yield Case(
            f"bad-bool-{s}-{c}-{value!s:.8}",
            fam,
            via_openpyxl(set_cell(s, r, c, value)),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    yield Case(
        "number-as-site-id-row", fam, via_openpyxl(set_cell("Sites", 2, "site", 123)), REFUSE, cell=True
    )
    yield Case(
        "number-as-period-id-row", fam, via_openpyxl(set_cell("Periods", 2, "period", 1)), REFUSE, cell=True
    )
    yield Case(
        "number-as-site-id-everywhere", fam, via_openpyxl(replace_id("site", "CN", 7)), VALID, solve=True
    )
    yield Case("float-as-product-id-everywhere", fam, via_openpyxl(replace_id("product", "MAG", 3.5)), VALID)
    yield Case(
        "date-as-period-id-row",
        fam,
        via_openpyxl(set_cell("Periods", 2, "period", dt.datetime(2026, 1, 1))),
        REFUSE,
        cell=True,
    )
    yield Case(
        "date-as-period-id-everywhere",
        fam,
        via_openpyxl(replace_id("period", "P1", dt.datetime(2026, 1, 1))),
        ANY,
    )
    yield Case(
        "number-as-start-date",
        fam,
        via_openpyxl(set_cell("Periods", 2, "start_date", 42)),
        ANY,
        ("Periods", 2, "start_date"),
    )
    yield Case(
        "bool-in-enum-site-type",
        fam,
        via_openpyxl(set_cell("Sites", 2, "type", True)),
        REFUSE,
        ("Sites", 2, "type"),
        cell=True,
    )
    yield Case(
        "bool-in-customer-class", fam, via_openpyxl(set_cell("Demand", 2, "customer_class", False)), ANY
    )
    for s, r, c in (("Sites", 2, "type"), ("Contracts", 2, "take_or_pay"), ("ScenarioChanges", 2, "action")):
        original = str(tiny_rows()[s][r - 1][header(s).index(c)])
        bad = typo(rng, original)
        yield Case(
            f"enum-typo-{s}-{c}-{bad}",
            fam,
            via_openpyxl(set_cell(s, r, c, bad)),
            REFUSE,
            (s, r, c),
            cell=True,
        )


def family_bad_numbers(rng: Draw) -> Iterator[Case]:
    fam = "bad_numbers"
    refuse_anywhere: list[Any] = [
        -1,
        -0.001,
        -1e-300,
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e309",
        "12e",
        "0x1A",
        "\u00bd",
        "$5",
        "10 t",
        "(5)",
        "5-",
        "1/2",
    ]
    for k, value in enumerate(refuse_anywhere):
        s, r, c = rng.choice(NUMERIC_CELLS)
        yield Case(
            f"bad-number-{k}-{s}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, value)),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    # non-finite numbers stored as numbers (openpyxl writes NaN as a blank, so edit the XML)
    for k, text in enumerate(("NaN", "INF", "-INF", "1e999")):
        s, r, c = rng.choice(NUMERIC_CELLS)
        ref = f"{col_letter(s, c)}{r}"
        yield Case(
            f"non-finite-xml-{k}-{s}-{c}",
            fam,
            via_zip(replace_cell(s, ref, f'<c r="{ref}" t="n"><v>{text}</v></c>')),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    # magnitudes no supply chain has: at least a warning
    for k, value in enumerate([1e300, 1e308, -1e308, 1.7976931348623157e308]):
        s, r, c = rng.choice(NUMERIC_CELLS)
        expect = REFUSE if value < 0 else FLAG
        yield Case(
            f"huge-number-{k}-{s}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, value)),
            expect,
            (s, r, c),
            cell=True,
        )
    # locale-formatted text: ambiguous or silently re-scaled, so at least a warning
    for k, value in enumerate(["1,5", "50.000,00", "1.234,5", "0,7"]):
        s, r, c = rng.choice(NUMERIC_CELLS[:6])
        yield Case(
            f"locale-number-{k}-{s}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, value)),
            FLAG,
            (s, r, c),
            cell=True,
        )
    yield Case(
        "percent-in-share", fam, via_openpyxl(set_cell("ExportControls", 2, "approval_share", "100%")), VALID
    )
    yield Case(
        "percent-in-probability", fam, via_openpyxl(set_cell("Scenarios", 2, "probability", "70%")), VALID
    )
    yield Case(
        "percentage-in-probability",
        fam,
        via_openpyxl(set_cell("Scenarios", 2, "probability", 70)),
        REFUSE,
        ("Scenarios", 2, "probability"),
        cell=True,
    )
    yield Case(
        "share-above-one",
        fam,
        via_openpyxl(set_cell("ExportControls", 2, "approval_share", 1.0001)),
        REFUSE,
        ("ExportControls", 2, "approval_share"),
        cell=True,
    )
    for s, r, c in INT_CELLS:
        value = rng.choice([1.5, 0.25, 2.7])
        yield Case(
            f"fraction-in-int-{s}-{r}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, value)),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    yield Case(
        "space-thousands",
        fam,
        via_openpyxl(set_cell("Products", 2, "value", "50 000")),
        ANY,
        ("Products", 2, "value"),
    )
    yield Case(
        "arabic-indic-digits",
        fam,
        via_openpyxl(set_cell("Demand", 2, "quantity", "\u0661\u0660")),
        ANY,
        ("Demand", 2, "quantity"),
    )
    yield Case(
        "denormal",
        fam,
        via_openpyxl(set_cell("Lanes", 2, "cost_flow", 5e-324)),
        ANY,
        ("Lanes", 2, "cost_flow"),
    )


REFERENCE_CELLS: tuple[tuple[str, int, str], ...] = (
    ("Lanes", 2, "origin"),
    ("Lanes", 3, "destination"),
    ("Lanes", 2, "product"),
    ("Contracts", 2, "supplier"),
    ("Contracts", 3, "product"),
    ("Demand", 2, "site"),
    ("Demand", 3, "product"),
    ("Demand", 2, "period"),
    ("Inventory", 2, "site"),
    ("Inventory", 2, "product"),
    ("ExportControls", 2, "product"),
    ("ScenarioChanges", 2, "scenario"),
    ("ScenarioChanges", 2, "table"),
    ("ScenarioChanges", 2, "column"),
    ("ScenarioChanges", 2, "filter"),
    ("ScenarioChanges", 2, "start_period"),
)


def family_dangling_refs(rng: Draw) -> Iterator[Case]:
    fam = "dangling_refs"
    for s, r, c in REFERENCE_CELLS:
        original = str(tiny_rows()[s][r - 1][header(s).index(c)])
        bad = typo(rng, original)
        yield Case(
            f"typo-{s}-{c}-{bad}", fam, via_openpyxl(set_cell(s, r, c, bad)), REFUSE, (s, r, c), cell=True
        )
        unknown = "rule=NOPE" if c == "filter" else f"UNKNOWN_{rng.randrange(1000)}"
        yield Case(
            f"unknown-{s}-{c}", fam, via_openpyxl(set_cell(s, r, c, unknown)), REFUSE, (s, r, c), cell=True
        )
    yield Case(
        "unknown-buyer",
        fam,
        via_openpyxl(set_cell("Contracts", 2, "buyer", "EUU")),
        REFUSE,
        ("Contracts", 2, "buyer"),
        cell=True,
    )
    yield Case(
        "unknown-contract-start",
        fam,
        via_openpyxl(set_cell("Contracts", 2, "start_period", "P0")),
        REFUSE,
        ("Contracts", 2, "start_period"),
        cell=True,
    )
    yield Case(
        "unknown-reveal-period",
        fam,
        via_openpyxl(set_cell("Settings", setting_row("reveal_period"), "value", "P3")),
        REFUSE,
        ("Settings", setting_row("reveal_period"), "value"),
        cell=True,
    )
    yield Case(
        "unknown-export-country",
        fam,
        via_openpyxl(set_cell("ExportControls", 2, "country", "XX")),
        FLAG,
        ("ExportControls", 2, "country"),
        cell=True,
    )
    for s, r, c in rng.sample(REFERENCE_CELLS[:11], 4):
        original = str(tiny_rows()[s][r - 1][header(s).index(c)])
        yield Case(
            f"lowercase-{s}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, original.lower())),
            FLAG,
            (s, r, c),
            cell=True,
        )


KEYED: dict[str, str] = {
    "Settings": "setting",
    "Periods": "period",
    "Products": "product",
    "Sites": "site",
    "Lanes": "lane",
    "Contracts": "contract",
    "Demand": "site",
    "Inventory": "site",
    "ExportControls": "rule",
    "Scenarios": "scenario",
}


def family_duplicate_keys(rng: Draw) -> Iterator[Case]:
    fam = "duplicate_keys"
    for s, key in KEYED.items():
        new = n_rows(s) + 1
        yield Case(f"duplicate-row-{s}", fam, via_openpyxl(copy_row(s, 2)), REFUSE, (s, new, key), cell=True)
    for s in rng.sample(list(KEYED), 6):
        key = KEYED[s]
        original = str(tiny_rows()[s][1][header(s).index(key)])
        padded = rng.choice([" ", "  ", "\t"]) + original + rng.choice([" ", ""])
        new = n_rows(s) + 1
        yield Case(
            f"duplicate-padded-{s}",
            fam,
            via_openpyxl(copy_row(s, 2, {key: padded})),
            REFUSE,
            (s, new, key),
            cell=True,
        )
    for s, changes in (
        ("Lanes", {"cost_flow": 99, "capacity": 1}),
        ("Contracts", {"price": 1}),
        ("Demand", {"quantity": 500}),
        ("Sites", {"type": "demand_region", "country": "FR"}),
        ("Products", {"value": 1}),
        ("Scenarios", {"probability": 0.0}),
    ):
        new = n_rows(s) + 1
        yield Case(
            f"duplicate-conflicting-{s}",
            fam,
            via_openpyxl(copy_row(s, 2, changes)),
            REFUSE,
            (s, new, KEYED[s]),
            cell=True,
        )
    for s in rng.sample(["Lanes", "Sites", "Periods", "Contracts", "Scenarios"], 4):
        key = KEYED[s]
        original = str(tiny_rows()[s][1][header(s).index(key)])
        yield Case(
            f"duplicate-lowercase-{s}", fam, via_openpyxl(copy_row(s, 2, {key: original.lower()})), ANY
        )
    yield Case(
        "duplicate-setting-spelling",
        fam,
        via_openpyxl(append_row("Settings", {"setting": "MIP Gap", "value": 0.5})),
        REFUSE,
        ("Settings", n_rows("Settings") + 1, "setting"),
        cell=True,
    )
    yield Case(
        "duplicate-demand-same-key-other-class",
        fam,
        via_openpyxl(copy_row("Demand", 2, {"customer_class": "defence"})),
        ANY,
    )


def family_scenario_changes(rng: Draw) -> Iterator[Case]:
    fam = "scenario_changes"
    row = n_rows("ScenarioChanges") + 1
    cols = ("scenario", "table", "filter", "column", "action", "value", "start_period", "end_period")
    bad: list[tuple[str, tuple[Any, ...]]] = [
        (
            "share-times-5",
            ("OPEN", "ExportControls", "rule=CN_MAG", "approval_share", "multiply", 5, "P2", None),
        ),
        ("share-plus-2", ("OPEN", "ExportControls", "rule=CN_MAG", "approval_share", "add", 2, "P2", None)),
        ("share-set-1.5", ("BAN", "ExportControls", "rule=CN_MAG", "approval_share", "set", 1.5, "P2", None)),
        ("share-set-negative", ("OPEN", "ExportControls", "", "approval_share", "set", -0.5, "P2", None)),
        (
            "share-times-minus-1",
            ("OPEN", "ExportControls", "rule=CN_MAG", "approval_share", "multiply", -1, "P2", None),
        ),
        ("demand-add-minus-30", ("BAN", "Demand", "site=EU", "quantity", "add", -30, "P2", None)),
        ("demand-add-minus-3", ("BAN", "Demand", "site=EU", "quantity", "add", -13, "P2", "P2")),
        ("demand-times-minus-1", ("OPEN", "Demand", "", "quantity", "multiply", -1, "P2", None)),
        ("demand-times-1e308", ("OPEN", "Demand", "site=EU", "quantity", "multiply", 1e308, "P2", None)),
        ("transit-set-0.5", ("BAN", "Lanes", "lane=JP-EU", "transit_periods", "set", 0.5, "P2", None)),
        ("transit-add-0.5", ("BAN", "Lanes", "lane=CN-EU", "transit_periods", "add", 0.5, "P2", None)),
        ("transit-set-minus-1", ("BAN", "Lanes", "lane=CN-EU", "transit_periods", "set", -1, "P2", None)),
        ("capacity-times-minus-2", ("BAN", "Lanes", "lane=JP-EU", "capacity", "multiply", -2, "P2", None)),
        ("tariff-set-5", ("BAN", "Lanes", "lane=CN-EU", "tariff_rate", "set", 5, "P2", None)),
        ("price-add-minus", ("BAN", "Contracts", "contract=K_JP", "price", "add", -100000, "P2", None)),
        (
            "holding-times-minus-1",
            ("BAN", "Inventory", "site=EU", "cost_holding", "multiply", -1, "P2", None),
        ),
        ("value-times-minus-1", ("BAN", "Products", "product=MAG", "value", "multiply", -1, "P2", None)),
        ("cost-flow-set-nan", ("BAN", "Lanes", "lane=CN-EU", "cost_flow", "set", "nan", "P2", None)),
        ("unknown-action", ("BAN", "Lanes", "lane=CN-EU", "cost_flow", "divide", 2, "P2", None)),
        ("value-text", ("BAN", "Lanes", "lane=CN-EU", "cost_flow", "set", "abc", "P2", None)),
        ("periods-reversed", ("BAN", "Lanes", "lane=CN-EU", "cost_flow", "set", 1, "P2", "P1")),
        ("before-reveal", ("BAN", "Lanes", "lane=CN-EU", "cost_flow", "set", 1, "P1", None)),
        ("unknown-table", ("BAN", "Lane", "lane=CN-EU", "cost_flow", "set", 1, "P2", None)),
        ("unchangeable-column", ("BAN", "Lanes", "lane=CN-EU", "origin", "set", 1, "P2", None)),
        ("filter-syntax", ("BAN", "ExportControls", "rule==CN_MAG", "approval_share", "set", 0, "P2", None)),
        ("filter-no-match", ("BAN", "Lanes", "lane=XX-EU", "cost_flow", "set", 1, "P2", None)),
        ("unknown-scenario", ("BAM", "Lanes", "lane=CN-EU", "cost_flow", "set", 1, "P2", None)),
        ("value-blank", ("BAN", "Lanes", "lane=CN-EU", "cost_flow", "set", None, "P2", None)),
    ]
    for name, values in bad:
        change = append_row("ScenarioChanges", dict(zip(cols, values, strict=True)))
        # a tariff of 500% is legal (tariff_rate has no maximum; tariffs above 100% exist) but looks
        # like a percentage typed as a share: warned about, as a tariff_rate of 5 in Lanes is
        expect = FLAG if name == "tariff-set-5" else REFUSE
        yield Case(
            f"change-{name}", fam, via_openpyxl(change), expect, ("ScenarioChanges", row, None), cell=True
        )
    good: list[tuple[str, tuple[Any, ...]]] = [
        ("demand-times-1.5", ("BAN", "Demand", "site=EU", "quantity", "multiply", 1.5, "P2", None)),
        ("demand-add-5", ("BAN", "Demand", "site=EU; product=MAG", "quantity", "add", 5, "P2", None)),
        (
            "share-times-0",
            ("OPEN", "ExportControls", "rule=CN_MAG", "approval_share", "multiply", 0, "P2", None),
        ),
        ("transit-set-1", ("BAN", "Lanes", "lane=JP-EU", "transit_periods", "set", 1, "P2", None)),
    ]
    for name, values in good:
        change = append_row("ScenarioChanges", dict(zip(cols, values, strict=True)))
        yield Case(f"change-{name}", fam, via_openpyxl(change), VALID, solve=name == "demand-times-1.5")
    rng.random()  # keep the draw sequence stable if cases are added above


def family_formulas(rng: Draw) -> Iterator[Case]:
    fam = "formulas"

    def ref(s: str, r: int, c: str) -> str:
        return f"{col_letter(s, c)}{r}"

    def xml_case(case_id: str, s: str, r: int, c: str, new: str, expect: str, solve: bool = False) -> Case:
        where: Where = (s, r, c) if expect in (REFUSE, FLAG) else (None, None, None)
        return Case(
            case_id,
            fam,
            via_zip(replace_cell(s, ref(s, r, c), new)),
            expect,
            where,
            cell=expect in (REFUSE, FLAG),
            solve=solve,
        )

    # numeric formulas with a saved value: as good as the value
    for k, (s, r, c) in enumerate(rng.sample(NUMERIC_CELLS, 4)):
        value = tiny_rows()[s][r - 1][header(s).index(c)]
        value = 1 if value in (None, 0) else value
        yield xml_case(
            f"formula-cached-{s}-{c}",
            s,
            r,
            c,
            cell_xml(ref(s, r, c), f"{value}*1", value),
            VALID,
            solve=k == 0,
        )
    for s, r, c in rng.sample(NUMERIC_CELLS, 4):
        yield xml_case(f"formula-no-value-{s}-{c}", s, r, c, cell_xml(ref(s, r, c), "2*5"), REFUSE)
    for err, (s, r, c) in zip(
        ("#DIV/0!", "#N/A", "#REF!", "#VALUE!"), rng.sample(NUMERIC_CELLS, 4), strict=True
    ):
        yield xml_case(
            f"formula-error-{err.strip('#!/')}-{s}-{c}",
            s,
            r,
            c,
            cell_xml(ref(s, r, c), "1/0", err, "e"),
            REFUSE,
        )
    for s, r, c in rng.sample(NUMERIC_CELLS, 2):
        yield xml_case(
            f"formula-text-result-{s}-{c}", s, r, c, cell_xml(ref(s, r, c), '"a"&"b"', "ab", "str"), REFUSE
        )
    yield xml_case("formula-id-cached", "Lanes", 2, "origin", cell_xml("B2", '"C"&"N"', "CN", "str"), VALID)
    yield xml_case(
        "formula-id-no-value", "Lanes", 2, "origin", cell_xml("B2", '"C"&"N"', None, "str"), REFUSE
    )
    yield xml_case(
        "formula-id-wrong-value", "Lanes", 2, "origin", cell_xml("B2", '"C"&"X"', "CX", "str"), REFUSE
    )
    yield xml_case(
        "formula-array-no-value",
        "Demand",
        2,
        "quantity",
        '<c r="D2"><f t="array" ref="D2">SUM(5*2)</f></c>',
        REFUSE,
    )
    yield xml_case(
        "formula-external-link-cached",
        "Demand",
        3,
        "quantity",
        cell_xml("D3", "[1]Sheet1!A1", 10),
        VALID,
    )
    yield xml_case(
        "formula-bool-cached", "Lanes", 3, "qualification", cell_xml("J3", "TRUE()", 1, "b"), VALID
    )
    # text that looks like a formula (formula injection), stored as text
    inject = [
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(1+1)",
        '=HYPERLINK("http://example.invalid","click")',
        "=1+1",
        "\t=1",
        '=DDE("cmd";"/C calc";"!A0")',
    ]
    text_cells = [
        ("Sites", 2, "name"),
        ("Products", 2, "name"),
        ("Scenarios", 2, "description"),
        ("Demand", 2, "source"),
    ]
    for k, text in enumerate(inject):
        s, r, c = text_cells[k % len(text_cells)]
        yield Case(
            f"injection-text-{k}-{s}-{c}", fam, via_openpyxl(set_cell(s, r, c, text, as_text=True)), VALID
        )
    for k, text in enumerate(["@SUM(1,2)", "=1+1", "=cmd|' /C calc'!A0"]):
        s, r, c = rng.choice(NUMERIC_CELLS)
        yield Case(
            f"injection-in-number-{k}-{s}-{c}",
            fam,
            via_openpyxl(set_cell(s, r, c, text, as_text=True)),
            REFUSE,
            (s, r, c),
            cell=True,
        )
    yield Case(
        "injection-plus-in-number",
        fam,
        via_openpyxl(set_cell("Demand", 2, "quantity", "+10", as_text=True)),
        ANY,
    )
    yield Case(
        "injection-as-site-id",
        fam,
        via_openpyxl(replace_id("site", "CN", "=cmd|' /C calc'!A0", as_text=True)),
        ANY,
    )
    yield Case(
        "formula-as-site-id",
        fam,
        via_openpyxl(replace_id("site", "CN", "=A1")),
        REFUSE,
        ("Sites", 2, "site"),
        cell=True,
    )
    yield Case(
        "openpyxl-formula-no-value",
        fam,
        via_openpyxl(set_cell("Demand", 3, "quantity", "=SUM(4,6)")),
        REFUSE,
        ("Demand", 3, "quantity"),
        cell=True,
    )


INVISIBLE = {
    "zwsp": "\u200b",
    "zwj": "\u200d",
    "bom": "\ufeff",
    "wj": "\u2060",
    "rlo": "\u202e",
    "rlm": "\u200f",
    "shy": "\u00ad",
}


def family_unicode(rng: Draw) -> Iterator[Case]:
    fam = "unicode"
    for name, ch in INVISIBLE.items():
        pos = rng.choice(("before", "after", "inside"))
        bad = {"before": ch + "CN", "after": "CN" + ch, "inside": "C" + ch + "N"}[pos]
        yield Case(
            f"invisible-{name}-{pos}-in-reference",
            fam,
            via_openpyxl(set_cell("Lanes", 2, "origin", bad)),
            REFUSE,
            ("Lanes", 2, "origin"),
            cell=True,
        )
    for name, bad in (
        ("cyrillic-es", "\u0421N"),
        ("fullwidth", "\uff23\uff2e"),
        ("newline", "C\nN"),
        ("inner-space", "C N"),
    ):
        yield Case(
            f"lookalike-{name}-in-reference",
            fam,
            via_openpyxl(set_cell("Lanes", 2, "origin", bad)),
            REFUSE,
            ("Lanes", 2, "origin"),
            cell=True,
        )
    for name, padded in (
        ("tab", "CN\t"),
        ("nbsp", "CN\u00a0"),
        ("ideographic-space", "\u3000CN"),
        ("crlf", "CN\r\n"),
    ):
        yield Case(
            f"stripped-{name}-in-reference", fam, via_openpyxl(set_cell("Lanes", 2, "origin", padded)), VALID
        )
    for name in ("zwsp", "rlm", "bom"):
        yield Case(
            f"invisible-{name}-everywhere",
            fam,
            via_openpyxl(replace_id("site", "CN", "CN" + INVISIBLE[name])),
            FLAG,
            ("Sites", 2, "site"),
        )
    for name, text in (
        ("emoji", "\U0001f9f2"),
        ("chinese", "\u4e2d\u56fd"),
        ("accents", "\u00dcn\u00efc\u00f6d\u00e9"),
        ("hebrew", "\u05e1\u05d9\u05df"),
        ("arabic", "\u0627\u0644\u0635\u064a\u0646"),
        ("long", "CN" * 2000),
    ):
        yield Case(
            f"unicode-id-everywhere-{name}",
            fam,
            via_openpyxl(replace_id("site", "CN", text)),
            VALID,
            solve=name == "hebrew",
        )
    nfc = unicodedata.normalize("NFC", "\u00c9U")
    nfd = unicodedata.normalize("NFD", "\u00c9U")
    yield Case(
        "nfc-nfd-mismatch",
        fam,
        via_openpyxl(both(replace_id("site", "EU", nfc), set_cell("Lanes", 2, "destination", nfd))),
        FLAG,
        ("Lanes", 2, "destination"),
        cell=True,
    )
    yield Case(
        "nfd-everywhere",
        fam,
        via_openpyxl(replace_id("site", "EU", nfd)),
        VALID,
    )

    def rename(old: str, new: str) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            wb[old].title = new

        return mutate

    yield Case(
        "sheet-name-zwsp",
        fam,
        via_openpyxl(rename("Lanes", "Lanes\u200b")),
        FLAG,
        ("Lanes\u200b", None, None),
    )
    yield Case(
        "sheet-name-fullwidth",
        fam,
        via_openpyxl(rename("Demand", "\uff24emand")),
        FLAG,
        ("\uff24emand", None, None),
    )
    yield Case(
        "header-zwsp",
        fam,
        via_openpyxl(set_header("Lanes", "origin", "origin\u200b")),
        REFUSE,
        ("Lanes", 1, "origin"),
        cell=True,
    )
    yield Case(
        "header-dotted-i",
        fam,
        via_openpyxl(set_header("Lanes", "origin", "OR\u0130G\u0130N")),
        REFUSE,
        ("Lanes", 1, "origin"),
        cell=True,
    )
    yield Case(
        "whitespace-only-id",
        fam,
        via_openpyxl(set_cell("Lanes", 2, "lane", "   ")),
        REFUSE,
        ("Lanes", 2, "lane"),
        cell=True,
    )
    yield Case(
        "zwsp-only-id",
        fam,
        via_openpyxl(set_cell("Lanes", 2, "lane", "\u200b")),
        FLAG,
        ("Lanes", 2, "lane"),
        cell=True,
    )


def family_hidden(rng: Draw) -> Iterator[Case]:
    fam = "hidden"

    def state(sheet: str, value: str) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            if wb.active.title == sheet:
                wb.active = wb.sheetnames.index("Periods" if sheet != "Periods" else "Products")
            wb[sheet].sheet_state = value

        return mutate

    for s in SHEETS:
        yield Case(f"hidden-sheet-{s}", fam, via_openpyxl(state(s, "hidden")), FLAG, (s, None, None))
    for s in rng.sample(SHEETS, 3):
        yield Case(f"very-hidden-sheet-{s}", fam, via_openpyxl(state(s, "veryHidden")), FLAG, (s, None, None))

    def hide_row(sheet: str, row: int, how: str) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            dim = wb[sheet].row_dimensions[row]
            if how == "hidden":
                dim.hidden = True
            elif how == "zero-height":
                dim.height = 0
            else:
                dim.outlineLevel = 1
                dim.hidden = True

        return mutate

    for s in SHEETS:
        yield Case(f"hidden-row-{s}", fam, via_openpyxl(hide_row(s, 2, "hidden")), FLAG, (s, 2, None))

    def zero_height(row: int) -> Callable[[str], str]:
        # openpyxl drops a height of 0 (it writes customHeight="1" and no ht, so the row had no
        # height at all): write ht="0" into the row element as a spreadsheet program does
        def edit(text: str) -> str:
            return re.sub(rf'<row r="{row}"', f'<row r="{row}" ht="0"', text, count=1)

        return edit

    for s in rng.sample(DATA_SHEETS, 2):
        built = via_zip(edit_sheet_xml(s, zero_height(2)), via_openpyxl(hide_row(s, 2, "zero-height")))
        yield Case(f"zero-height-row-{s}", fam, built, FLAG, (s, 2, None))
    yield Case(
        "collapsed-outline-row-Demand",
        fam,
        via_openpyxl(hide_row("Demand", 3, "outline")),
        FLAG,
        ("Demand", 3, None),
    )

    def hide_col(sheet: str, column: str) -> Callable[[Any], None]:
        def mutate(wb: Any) -> None:
            wb[sheet].column_dimensions[col_letter(sheet, column)].hidden = True

        return mutate

    for s, c in (
        ("Lanes", "capacity"),
        ("Demand", "quantity"),
        ("Contracts", "price"),
        ("Scenarios", "probability"),
    ):
        yield Case(f"hidden-column-{s}-{c}", fam, via_openpyxl(hide_col(s, c)), FLAG, (s, None, None))


def family_stale_dimension(rng: Draw) -> Iterator[Case]:
    fam = "stale_dimension"

    def dim(sheet: str, ref: str | None) -> Callable[[Parts], Parts]:
        def edit(text: str) -> str:
            new = "" if ref is None else f'<dimension ref="{ref}" />'
            out, n = re.subn(r"<dimension [^>]*/>", new, text, count=1)
            assert n == 1
            return out

        return edit_sheet_xml(sheet, edit)

    for s in SHEETS:
        yield Case(f"dimension-A1-{s}", fam, via_zip(dim(s, "A1")), SAME_OR_FLAG, (s, None, None))
    for s in rng.sample(SHEETS, 6):
        yield Case(f"dimension-A1B2-{s}", fam, via_zip(dim(s, "A1:B2")), SAME_OR_FLAG, (s, None, None))
    for s in rng.sample(DATA_SHEETS, 4):
        last = col_letter(s, header(s)[-1])
        yield Case(
            f"dimension-one-row-short-{s}",
            fam,
            via_zip(dim(s, f"A1:{last}{n_rows(s) - 1}")),
            SAME_OR_FLAG,
            (s, None, None),
        )
    for s in rng.sample(SHEETS, 4):
        yield Case(
            f"dimension-too-large-{s}", fam, via_zip(dim(s, "A1:ZZ5000")), SAME_OR_FLAG, (s, None, None)
        )
    for s in rng.sample(SHEETS, 4):
        yield Case(f"dimension-removed-{s}", fam, via_zip(dim(s, None)), SAME_OR_FLAG, (s, None, None))
    for s, ref in (("Lanes", "C2:D3"), ("Demand", "A1:XFD1048576"), ("Sites", "A0:"), ("Contracts", "ZZZ")):
        yield Case(
            f"dimension-bogus-{s}-{ref.replace(':', '_')}",
            fam,
            via_zip(dim(s, ref)),
            SAME_OR_FLAG,
            (s, None, None),
        )

    def spans(sheet: str) -> Callable[[Parts], Parts]:
        return edit_sheet_xml(sheet, lambda t: re.sub(r'<row r="(\d+)"', r'<row r="\1" spans="1:2"', t))

    for s in ("Lanes", "Demand", "Sites"):
        yield Case(f"row-spans-short-{s}", fam, via_zip(spans(s)), SAME_OR_FLAG, (s, None, None))


def _crc_damage(part: str) -> Callable[[Path], Path]:
    """Flip one byte inside the compressed data of ``part``: the zip's CRC no longer matches."""

    def build(path: Path) -> Path:
        buf = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(tiny_bytes())) as zin,
            zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zout,
        ):
            for info in zin.infolist():
                zout.writestr(info.filename, zin.read(info.filename), compress_type=zipfile.ZIP_STORED)
        data = bytearray(buf.getvalue())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
            info = zf.getinfo(part)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        pos = start + info.compress_size // 2
        data[pos] = (data[pos] + 1) % 256 if chr(data[pos]) not in "<>" else data[pos]
        data[pos + 1] = ord("X") if data[pos + 1] != ord("X") else ord("Y")
        path.write_bytes(bytes(data))
        return path

    return build


def _ods_like() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED
        )
        zf.writestr(
            "content.xml",
            '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
        )
        zf.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


CSV_TEXT = b"site,type,country\nCN,supplier,CN\nEU,demand_region,DE\n"


def family_xml_zip(rng: Draw) -> Iterator[Case]:
    fam = "xml_zip"

    def truncate_part(part: str, frac: float) -> Callable[[Parts], Parts]:
        def edit(parts: Parts) -> Parts:
            parts[part] = parts[part][: int(len(parts[part]) * frac)]
            return parts

        return edit

    for s in rng.sample(SHEETS, 5):
        frac = rng.choice((0.3, 0.5, 0.8))
        yield Case(f"truncated-xml-{s}", fam, via_zip(truncate_part(sheet_parts()[s], frac)), REFUSE)
    for part in ("xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"):
        yield Case(f"truncated-part-{part.replace('/', '_')}", fam, via_zip(truncate_part(part, 0.5)), REFUSE)

    def drop(part: str) -> Callable[[Parts], Parts]:
        def edit(parts: Parts) -> Parts:
            del parts[part]
            return parts

        return edit

    for s in ("Lanes", "Demand"):
        yield Case(f"missing-part-{s}", fam, via_zip(drop(sheet_parts()[s])), REFUSE)
    yield Case("missing-part-workbook-rels", fam, via_zip(drop("xl/_rels/workbook.xml.rels")), REFUSE)
    yield Case(
        "missing-part-content-types", fam, via_zip(drop("[Content_Types].xml")), REFUSE, (FILE, None, None)
    )
    yield Case("missing-part-workbook", fam, via_zip(drop("xl/workbook.xml")), REFUSE, (FILE, None, None))
    yield Case("missing-part-styles", fam, via_zip(drop("xl/styles.xml")), ANY)
    for s in ("Lanes", "Demand", "Settings"):
        yield Case(f"bad-crc-{s}", fam, _crc_damage(sheet_parts()[s]), REFUSE)
    for frac in (0.1, 0.5, 0.9, 0.999):
        yield Case(
            f"truncated-file-{frac}",
            fam,
            via_bytes(lambda f=frac: tiny_bytes()[: int(len(tiny_bytes()) * f)]),
            REFUSE,
            (FILE, None, None),
        )
    yield Case("empty-file", fam, via_bytes(lambda: b""), REFUSE, (FILE, None, None))
    for k in range(2):
        noise = bytes(rng.randrange(256) for _ in range(2048))
        yield Case(f"random-bytes-{k}", fam, via_bytes(lambda n=noise: n), REFUSE, (FILE, None, None))
    for name, head in (("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-1.7\n"), ("gzip", b"\x1f\x8b\x08\x00")):
        yield Case(
            f"not-a-zip-{name}", fam, via_bytes(lambda h=head: h + bytes(200)), REFUSE, (FILE, None, None)
        )
    yield Case("ods-renamed-xlsx", fam, via_bytes(_ods_like), REFUSE, (FILE, None, None))
    yield Case("ods-as-ods", fam, via_bytes(_ods_like), REFUSE, (FILE, None, None), suffix=".ods")
    yield Case("csv-as-csv", fam, via_bytes(lambda: CSV_TEXT), REFUSE, (FILE, None, None), suffix=".csv")
    yield Case("csv-as-txt", fam, via_bytes(lambda: CSV_TEXT), REFUSE, (FILE, None, None), suffix=".txt")
    yield Case("csv-as-xlsx", fam, via_bytes(lambda: CSV_TEXT), REFUSE, (FILE, None, None))
    yield Case(
        "utf16-csv-as-xlsx",
        fam,
        via_bytes(lambda: CSV_TEXT.decode().encode("utf-16")),
        REFUSE,
        (FILE, None, None),
    )
    for suffix in (".csv", ".ods", ""):
        yield Case(f"xlsx-renamed{suffix or '-no-suffix'}", fam, via_bytes(tiny_bytes), ANY, suffix=suffix)

    def sheet_edit(sheet: str, edit: Callable[[str], str]) -> Builder:
        return via_zip(edit_sheet_xml(sheet, edit))

    yield Case(
        "invalid-xml-char",
        fam,
        sheet_edit("Lanes", lambda t: t.replace("<t>CN</t>", "<t>C&#1;N</t>", 1)),
        REFUSE,
    )
    yield Case("unclosed-tag", fam, sheet_edit("Demand", lambda t: t.replace("</row>", "", 1)), REFUSE)
    yield Case("garbage-after-root", fam, sheet_edit("Sites", lambda t: t + "<extra>"), REFUSE)
    yield Case(
        "wrong-namespace",
        fam,
        sheet_edit("Lanes", lambda t: t.replace("spreadsheetml/2006/main", "spreadsheetml/2099/main", 1)),
        ANY,
    )
    yield Case(
        "utf16-sheet-xml",
        fam,
        via_zip(lambda p: {**p, sheet_parts()["Lanes"]: p[sheet_parts()["Lanes"]].decode().encode("utf-16")}),
        ANY,
    )
    yield Case(
        "shared-string-out-of-range",
        fam,
        sheet_edit(
            "Lanes",
            lambda t: t.replace(
                '<c r="B2" t="inlineStr"><is><t>CN</t></is></c>', '<c r="B2" t="s"><v>99</v></c>'
            ),
        ),
        ANY,
    )
    yield Case(
        "duplicate-cell-ref",
        fam,
        sheet_edit(
            "Demand",
            lambda t: t.replace('<c r="B2"', '<c r="A2" t="inlineStr"><is><t>XX</t></is></c><c r="B2"', 1),
        ),
        ANY,
    )
    yield Case(
        "bad-cell-ref",
        fam,
        sheet_edit("Demand", lambda t: t.replace('<c r="D2"', '<c r="D!2"', 1)),
        ANY,
    )
    yield Case(
        "numeric-cell-with-text",
        fam,
        sheet_edit("Demand", lambda t: re.sub(r'(<c r="D2" t="n"><v>)[^<]*', r"\1ten", t)),
        ANY,
    )
    yield Case(
        "bool-cell-with-2",
        fam,
        sheet_edit("Lanes", lambda t: t.replace('<c r="J2" t="b"><v>0</v>', '<c r="J2" t="b"><v>2</v>')),
        ANY,
    )

    def add_part(name: str, data: bytes) -> Callable[[Parts], Parts]:
        def edit(parts: Parts) -> Parts:
            parts[name] = data
            return parts

        return edit

    yield Case("zip-path-traversal-entry", fam, via_zip(add_part("../../evil.xml", b"<x/>")), ANY)
    yield Case(
        "zip-extra-binary-entry", fam, via_zip(add_part("xl/media/blob.bin", bytes(range(256)) * 4)), ANY
    )


def family_settings(rng: Draw) -> Iterator[Case]:
    fam = "settings"
    new = n_rows("Settings") + 1
    gap_row = setting_row("mip_gap")

    def add(key: str, value: Any, expect: str, case_id: str | None = None, solve: bool = False) -> Case:
        cid = case_id or f"setting-{key}-{value!s:.20}".replace(" ", "")
        where: Where = ("Settings", new, "value") if expect in (REFUSE, FLAG) else (None, None, None)
        return Case(
            cid,
            fam,
            via_openpyxl(append_row("Settings", {"setting": key, "value": value})),
            expect,
            where,
            cell=expect in (REFUSE, FLAG),
            solve=solve,
        )

    yield add("threads", 100000, FLAG)
    yield add("threads", 10**12, FLAG)
    yield add("threads", -1, REFUSE)
    yield add("threads", 1.5, REFUSE)
    yield add("threads", "auto", REFUSE)
    yield add("random_seed", 10**12, REFUSE, "setting-random_seed-1e12", solve=True)
    yield add("random_seed", 1e12, REFUSE, "setting-random_seed-1e12-float")
    yield add("random_seed", -5, REFUSE)
    yield add("random_seed", 2**31, REFUSE)
    yield add("random_seed", 2**31 - 1, VALID, solve=True)
    yield add("random_seed", 1.5, REFUSE)
    yield add("time_limit", 0, ANY, solve=True)
    yield add("time_limit", -1, REFUSE)
    yield add("time_limit", "nan", REFUSE)
    yield add("time_limit", "inf", REFUSE)
    yield add("time_limit", 1e308, ANY)
    yield add("time_limit", 1e-9, ANY)
    for value, expect in (
        (5, REFUSE),
        (-0.1, REFUSE),
        ("nan", REFUSE),
        (1, ANY),
        ("1%", VALID),
        (1e-300, ANY),
    ):
        yield Case(
            f"setting-mip_gap-{value}",
            fam,
            via_openpyxl(set_cell("Settings", gap_row, "value", value)),
            expect,
            ("Settings", gap_row, "value") if expect == REFUSE else (None, None, None),
            cell=expect == REFUSE,
        )
    yield Case(
        "setting-reveal_period-number",
        fam,
        via_openpyxl(set_cell("Settings", setting_row("reveal_period"), "value", 2)),
        REFUSE,
        ("Settings", setting_row("reveal_period"), "value"),
        cell=True,
    )
    yield Case(
        "setting-reveal_period-blank",
        fam,
        via_openpyxl(set_cell("Settings", setting_row("reveal_period"), "value", None)),
        ANY,
    )
    yield add("cvar_alpha", 1, REFUSE)
    yield add("risk_weight", -1, REFUSE)
    yield add("period_length_days", 0, REFUSE)
    yield add("shortage_penalty", 1e308, FLAG)
    yield add("discount_rate", 5, ANY)
    yield add("highs_presolve", "maybe", REFUSE)
    yield add("highs_threads", 100000, FLAG)
    yield add("highs_random_seed", 10**12, REFUSE)
    yield add("highs_no_such_option", 1, REFUSE)
    yield add("highs_time_limit", -1, REFUSE)
    yield add("highs_mip_rel_gap", "abc", REFUSE)
    yield Case(
        "setting-unknown-key",
        fam,
        via_openpyxl(append_row("Settings", {"setting": typo(rng, "time_limit"), "value": 5})),
        FLAG,
        ("Settings", new, "setting"),
        cell=True,
    )
    yield Case(
        "setting-duplicate-key",
        fam,
        via_openpyxl(append_row("Settings", {"setting": "mip_gap", "value": 0.5})),
        REFUSE,
        ("Settings", new, "setting"),
        cell=True,
    )


Rows = Callable[[], Iterator[list[Any]]]


def _row_xml(r: int, values: list[Any]) -> str:
    from openpyxl.utils import get_column_letter

    cells = []
    for j, v in enumerate(values, start=1):
        ref = f"{get_column_letter(j)}{r}"
        if v is None:
            continue
        if isinstance(v, bool):
            cells.append(f'<c r="{ref}" t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float):
            cells.append(f'<c r="{ref}" t="n"><v>{v!r}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{_xml_text(str(v))}</t></is></c>')
    return f'<row r="{r}">{"".join(cells)}</row>'


def write_big(extra: dict[str, Rows], wide_columns: int = 0) -> Builder:
    """tiny.xlsx plus the rows ``extra[sheet]()`` yields, written straight into the sheet XML (fast),
    with a correct ``<dimension>``.

    ``wide_columns`` adds that many extra (unknown) columns to Lanes, header and first row.
    """
    from openpyxl.utils import get_column_letter

    def edit(parts: Parts) -> Parts:
        sheets = set(extra) | ({"Lanes"} if wide_columns else set())
        for sheet in sheets:
            part = sheet_parts()[sheet]
            text = parts[part].decode("utf-8")
            rows = [list(r) for r in tiny_rows()[sheet]]
            if sheet == "Lanes" and wide_columns:
                rows[0] += [f"note_{j}" for j in range(1, wide_columns + 1)]
                rows[1] += list(range(1, wide_columns + 1))
            rows += list(extra.get(sheet, list)())
            body = "".join(_row_xml(r, values) for r, values in enumerate(rows, start=1))
            width = max(len(v) for v in rows)
            head, rest = text.split("<sheetData>", 1)
            text = f"{head}<sheetData>{body}</sheetData>{rest.split('</sheetData>', 1)[1]}"
            text = re.sub(
                r'<dimension ref="[^"]*"', f'<dimension ref="A1:{get_column_letter(width)}{len(rows)}"', text
            )
            parts[part] = text.encode("utf-8")
        return parts

    return via_zip(edit)


def family_big(rng: Draw) -> Iterator[Case]:
    fam = "big"
    n = 20_000
    src = "fuzz corpus"

    def periods(count: int) -> Rows:
        return lambda: ([f"P{k}", None, None, src, "A"] for k in range(3, count + 1))

    def demand() -> Iterator[list[Any]]:
        return (["EU", "MAG", f"P{k}", 10, "civil", 1_000_000, src, "A"] for k in range(3, n + 1))

    def lanes() -> Iterator[list[Any]]:
        return (
            [f"L{k}", "CN", "EU", "MAG", None, 1 + k % 7, 0, None, 0, False, 0, 0, src, "A"] for k in range(n)
        )

    def bad_demand() -> Iterator[list[Any]]:
        return (["EU", "MAG", f"P{k}", "lots", "civil", -1, src, "A"] for k in range(3, n + 1))

    def changes() -> Iterator[list[Any]]:
        return (
            ["BAN", "Demand", "site=EU", "quantity", "multiply", 1.0 + (k % 5) / 10, f"P{2 + k % 1999}"]
            for k in range(2, 5002)
        )

    yield Case("big-demand-20k", fam, write_big({"Periods": periods(n), "Demand": demand}), VALID, big=True)
    yield Case("big-lanes-20k", fam, write_big({"Lanes": lanes}), ANY, big=True)
    yield Case(
        "big-40k-bad-cells",
        fam,
        write_big({"Periods": periods(n), "Demand": bad_demand}),
        REFUSE,
        ("Demand", None, "quantity"),
        cell=True,
        big=True,
    )
    yield Case(
        "big-wide-3000-columns", fam, write_big({}, wide_columns=3000), FLAG, ("Lanes", 1, None), big=True
    )
    yield Case(
        "big-scenario-changes-5k",
        fam,
        write_big({"Periods": periods(2000), "ScenarioChanges": changes}),
        ANY,
        big=True,
    )
    rng.random()


GENERATORS: dict[str, Callable[[Draw], Iterator[Case]]] = {
    "missing_sheet": family_missing_sheet,
    "columns": family_columns,
    "wrong_types": family_wrong_types,
    "bad_numbers": family_bad_numbers,
    "dangling_refs": family_dangling_refs,
    "duplicate_keys": family_duplicate_keys,
    "scenario_changes": family_scenario_changes,
    "formulas": family_formulas,
    "unicode": family_unicode,
    "hidden": family_hidden,
    "stale_dimension": family_stale_dimension,
    "xml_zip": family_xml_zip,
    "settings": family_settings,
    "big": family_big,
}


# what a warning or error must talk about to count for these families: a misleading consequence
# (say "required column 'type' is missing" when a stale <dimension> hid it) is not a flag
ABOUT: dict[str, str] = {"hidden": r"hidden", "stale_dimension": r"dimension|used range"}


@functools.cache
def cases() -> tuple[Case, ...]:
    """Every case, in a fixed order, from one ``random.Random(SEED)``."""
    rng = random.Random(SEED)
    out: list[Case] = []
    for family in FAMILIES:
        about = ABOUT.get(family)
        out.extend(dataclasses.replace(c, about=c.about or about) for c in GENERATORS[family](rng))
    ids = [c.case_id for c in out]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    return tuple(out)


def by_id() -> dict[str, Case]:
    return {c.case_id: c for c in cases()}


if __name__ == "__main__":  # pragma: no cover - a summary for humans
    from collections import Counter

    counts = Counter(c.family for c in cases())
    for fam in FAMILIES:
        print(f"{fam:<18} {counts[fam]}")
    print(f"{'total':<18} {sum(counts.values())}")
