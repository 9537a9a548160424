"""The report's content model: sheet names, the Block / ChartSpec / Tile / SheetSpec /
ReportContent specs the writer lays out, and small naming helpers (no Pyomo, no openpyxl)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import pandas as pd

from planner.metrics import (
    STAGE_LABELS,
    Metrics,
)

if TYPE_CHECKING:
    from planner.network import Network

Kind = Literal["text", "money", "t", "pct", "days", "int", "num", "hhi", "seconds", "general"]
ChartKind = Literal["barh", "col", "stacked_pct", "line", "combo", "scatter"]

SUMMARY = "Summary"
DECISIONS = "Decisions"
COSTS = "Costs"
SCENARIOS = "Scenarios"
FLOWS = "Flows & dependency"
INVENTORY = "Inventory"
SHORTAGES = "Shortages"
LICENCES = "Licences"
INPUTS = "Inputs"
RUN_INFO = "Run info"
RESILIENCE = "Resilience"
FRONTIER = "Frontier"
SHEET_ORDER = (SUMMARY, DECISIONS, COSTS, SCENARIOS, FLOWS, INVENTORY, SHORTAGES, LICENCES, INPUTS, RUN_INFO)

PRINT_ROWS = 40
"""Rows of a long detail table that print (the rest stay on screen and in the run folder's tables)."""
MAX_COUNTRIES_IN_CHART = 5
MAX_SERIES_IN_CHART = 8


@dataclass
class Block:
    """One table on a sheet.

    ``kinds`` maps a column to how its numbers read (money, t, %, days...); unlisted
    columns are text or plain numbers. ``highlight`` maps a column to a rule:
    ``"positive"`` (red when > 0), ``"below:<column>"`` (amber when below that
    column's value), ``"under_one"`` (red when < 100%), ``"over_half"`` (amber when > 50%).
    ``total_row`` marks the last row as a total (bold). ``row_kinds`` gives a kind per
    row for columns that mix units (e.g. a Measure / Value list). ``wrap`` lets long
    text wrap (raising its rows) rather than be cut at the column edge.
    """

    key: str
    title: str
    frame: pd.DataFrame
    kinds: dict[str, Kind] = field(default_factory=dict)
    highlight: dict[str, str] = field(default_factory=dict)
    total_row: bool = False
    row_kinds: dict[str, list[Kind]] = field(default_factory=dict)
    wrap: bool = True


@dataclass
class ChartSpec:
    """A native chart on the Summary page, drawn from a block on a detail sheet.

    ``rows`` limits the chart to the block's first data rows (None = every row).
    ``secondary`` lists series drawn as a line on a second axis (``combo`` charts).
    ``lines`` lists series of a column chart drawn as lines on its own value axis (a bound or a mean
    across the categories). ``zero`` starts a money or tonnage axis at zero when every value is
    non-negative (columns that do not start at zero exaggerate differences).
    """

    kind: ChartKind
    title: str
    sheet: str
    block: str
    x: str
    series: list[str]
    y_title: str
    y_kind: Kind
    rows: int | None = None
    secondary: list[str] = field(default_factory=list)
    secondary_title: str = ""
    secondary_kind: Kind = "num"
    lines: list[str] = field(default_factory=list)
    zero: bool = True
    colours: list[str] = field(default_factory=list)
    """Hex RGB colour of each column series in order (default: the writer's palette)."""


@dataclass
class Picture:
    """A rendered image (PNG bytes) with its heading and a line saying how to read it."""

    title: str
    png: bytes
    caption: str = ""


@dataclass
class Tile:
    """One KPI tile: a label, a big number, a line of detail; ``assumed`` marks A/U inputs."""

    label: str
    value: float | None
    kind: Kind
    detail: str
    assumed: bool = False
    alert: bool = False
    digits: int | None = None
    """Decimals of a money tile in millions or billions (None: one, ``$4.1M``); 3 tells close
    estimates apart (``$1.283M`` against ``$1.296M``)."""


@dataclass
class SheetSpec:
    """A detail sheet: title, one-line description, its summary blocks and its wide tables.

    The ``blocks`` stack down the left-hand side; ``detail`` (the long table engineers
    audit and filter) and then the ``extra`` tables sit side by side to their right.
    With ``freeze`` the header row the first block and every side table share stays
    in view. ``print_tables`` limits printing to the left-hand blocks and that many side
    tables (None = everything). ``filter_key`` names the block that gets the sheet's
    autofilter (default: ``detail``, else the longest block). ``freeze=False`` (Run info)
    just stacks the blocks.
    """

    name: str
    title: str
    description: str
    blocks: list[Block]
    detail: Block | None = None
    extra: list[Block] = field(default_factory=list)
    freeze: bool = True
    print_tables: int | None = None
    print_rows: int | None = None
    """Print at most this many data rows of each side table (its first rows: the detail tables come
    sorted, largest first); None prints every row. The left-hand blocks always print in full."""
    filter_key: str | None = None

    @property
    def side(self) -> list[Block]:
        """The tables to the right of the left-hand stack, in order."""
        return ([self.detail] if self.detail is not None else []) + list(self.extra)


@dataclass
class ReportContent:
    """Everything the report shows, decided; the writer only lays it out."""

    title: str
    subtitle: str
    currency: str
    mass_unit: str
    tiles: list[Tile]
    findings: list[str]
    finding_sheets: list[str]
    notes: list[str]
    alerts: list[str]
    assumption_note: str
    charts: list[ChartSpec]
    sheets: list[SheetSpec]
    scenario_lines: list[str] = field(default_factory=list)
    input_path: str | None = None
    metrics: Metrics | None = None
    pictures: list[Picture] = field(default_factory=list)
    """Rendered images (the flow picture) placed on the Summary after the charts."""
    commitments: Block | None = None
    """Page one: each here-and-now decision with quantity, timing, full cost and the scenarios using it."""
    commitment_note: str = ""
    """Footnote under the commitments: the decisions not to act (do not build, qualify, open ...)."""
    optimality: str = ""
    """How close to optimal the plan is, e.g. 'optimal within 0.84%' (never 'proven' above a gap)."""
    findings_on_page_one: bool = False
    """Key findings right under the tiles (a short report) rather than on a printed page of their own."""


# ----------------------------------------------------------------------------- helpers


def _expected_label(names: Iterable[str]) -> str:
    label = "Expected"
    taken = set(names)
    while label in taken:
        label += " (weighted)"
    return label


def _scenario_columns(scenarios: Iterable[str], reserved: Iterable[str]) -> dict[str, str]:
    """Column header per scenario, renamed where it would clash with another column of the table."""
    taken = set(reserved)
    out: dict[str, str] = {}
    for s in scenarios:
        name = s
        while name in taken:
            name += " (scenario)"
        taken.add(name)
        out[s] = name
    return out


def _site_info(net: Network) -> tuple[dict[str, str], dict[str, str]]:
    sites = net.sites
    names = (
        {str(k): ("" if v is None else str(v)) for k, v in sites["name"].items()} if "name" in sites else {}
    )
    countries = {str(k): str(v) for k, v in sites["country"].items()}
    return names, countries


def _stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)
