"""The workbook schema (v1): every table and column, declared once.

This module is the single source of truth for the input workbook. The reader
(:mod:`planner.io.excel_reader`), the validator (:mod:`planner.validate`), the
template writer (:mod:`planner.io.template`) and the README's table reference
(``python -m planner.schema``) are all driven from :data:`TABLES` and
:data:`SETTINGS`.

Conventions
-----------
* One sheet per table, header in row 1, one record per row.
* Column names are ``lower_snake``; the reader matches headers ignoring case,
  surrounding blanks and inner spaces/hyphens (``"Cost Flow"`` -> ``cost_flow``).
* A column with a ``default`` may be left blank; a ``required`` column may not.
* ``ref`` names ``"Table.column"`` whose values this column must take.
* ``per_period`` columns can be changed by a Scenario change for a range of
  periods (the model sees them as period-indexed).
* ``per_reference_period`` columns are rates or costs stated per *reference period*
  (Settings.period_length_days); in a period of ``Periods.length_days`` they count
  ``length_days / period_length_days`` times (w_t). Counts of periods (lead times,
  transit, review delays) stay counted in periods.
* Every table also carries two provenance columns, ``source`` and
  ``confidence`` (see :data:`CONFIDENCE_TAGS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

SCHEMA_VERSION = "1"

DType = Literal["str", "float", "int", "bool", "period"]

SITE_TYPES = (
    "mine",
    "recycler",
    "supplier",
    "refinery",
    "metal_plant",
    "magnet_plant",
    "warehouse",
    "demand_region",
)
PRODUCT_STAGES = ("ore", "concentrate", "oxide", "metal", "magnet", "scrap", "other")
CONFIDENCE_TAGS = ("S", "S2", "D", "A", "U")
END_USES = ("all", "civil", "automotive", "defence")
CHANGE_ACTIONS = ("set", "multiply", "add")
DISTRIBUTIONS = ("uniform", "triangular", "choice")
DECIDE_WHEN = ("now", "at_reveal")
"""Values of the ``decide`` columns: a design decision taken now (first stage) or at the reveal (recourse)."""


@dataclass(frozen=True)
class ColumnSpec:
    """One workbook column: its type, unit, default and meaning."""

    name: str
    dtype: DType
    description: str
    unit: str = ""
    required: bool = False
    default: Any = None
    allowed: tuple[str, ...] | None = None
    ref: str | None = None  # "Table.column"
    min_value: float | None = None
    max_value: float | None = None
    per_period: bool = False  # may vary by period and scenario (Scenario changes)
    example: Any = None
    per_reference_period: bool = False  # stated per reference period: scales by w_t = length_t / reference
    many: bool = False  # a list of ids separated by spaces (each checked against ``ref``)


@dataclass(frozen=True)
class TableSpec:
    """One workbook sheet."""

    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    required: bool = False  # the sheet must be present and non-empty
    provenance: bool = True  # adds the source / confidence columns

    @property
    def all_columns(self) -> tuple[ColumnSpec, ...]:
        """Declared columns plus the provenance columns."""
        if not self.provenance:
            return self.columns
        return self.columns + PROVENANCE_COLUMNS

    def column(self, name: str) -> ColumnSpec:
        """Return the column called ``name``."""
        for c in self.all_columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of all columns, in sheet order."""
        return tuple(c.name for c in self.all_columns)


@dataclass(frozen=True)
class SettingSpec:
    """One key of the Settings sheet."""

    key: str
    dtype: DType
    default: Any
    description: str
    unit: str = ""
    min_value: float | None = None
    max_value: float | None = None
    allowed: tuple[str, ...] | None = None


PROVENANCE_COLUMNS = (
    ColumnSpec(
        "source",
        "str",
        "Where the figures in this row come from (report, URL key, person). Free text.",
        default="",
    ),
    ColumnSpec(
        "confidence",
        "str",
        "S sourced, S2 secondary source, D derived, A assumption, U unconfirmed.",
        default="",
        allowed=CONFIDENCE_TAGS + ("",),
    ),
)


def _c(name: str, dtype: DType, description: str, **kw: Any) -> ColumnSpec:
    return ColumnSpec(name, dtype, description, **kw)


def id_list(value: Any) -> list[str]:
    """The ids of a ``many`` cell (``"MAG_N MAG_M"`` -> ``["MAG_N", "MAG_M"]``); blank -> []."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return str(value).split()


NONNEG = {"min_value": 0.0}
SHARE = {"min_value": 0.0, "max_value": 1.0}

SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("currency", "str", "USD", "Currency of every cost and price."),
    SettingSpec("mass_unit", "str", "t", "Unit of every quantity (tonnes by default)."),
    SettingSpec(
        "period_length_days",
        "float",
        91.25,
        "Length of the reference period in days: every figure stated per period (capacities, contract "
        "limits, fixed and holding costs, floor and cover penalties) is per reference period and counts "
        "Periods.length_days / period_length_days times in a period of another length; also the length "
        "of every period whose Periods.length_days is blank.",
        unit="days",
        min_value=1e-9,
    ),
    SettingSpec(
        "discount_rate",
        "float",
        0.0,
        "Yearly discount rate; the cost of period t is divided by "
        "(1 + rate)^(years from the start of the horizon).",
        unit="1/yr",
        min_value=0.0,
        max_value=1.0,
    ),
    SettingSpec(
        "reveal_period",
        "period",
        None,
        "First period in which the scenario is known. Decisions in earlier periods are "
        "taken once for all scenarios. Blank = the first period.",
    ),
    SettingSpec(
        "reveal_period_2",
        "period",
        None,
        "Second reveal (a three-stage scenario tree): from this period on every scenario is known; "
        "between reveal_period and this period only the scenario's Scenarios.stage1_group is known, so "
        "scenarios sharing a stage1_group take the same decisions. Must come after reveal_period. "
        "Blank = one reveal.",
    ),
    SettingSpec(
        "risk_weight",
        "float",
        0.0,
        "Weight of CVaR of total cost in the objective (0 = risk neutral).",
        min_value=0.0,
    ),
    SettingSpec(
        "cvar_alpha",
        "float",
        0.95,
        "CVaR level: the mean cost of the worst (1 - alpha) probability mass of scenarios.",
        min_value=0.0,
        max_value=0.999999,
    ),
    SettingSpec(
        "shortage_penalty",
        "float",
        1.0e6,
        "Default penalty per unit of unmet demand where Demand.shortage_penalty is blank.",
        unit="currency/t",
        min_value=0.0,
    ),
    SettingSpec(
        "cover_penalty",
        "float",
        0.0,
        "Penalty per unit per (reference) period of stock below a soft days-of-cover target.",
        unit="currency/t",
        min_value=0.0,
    ),
    SettingSpec(
        "closing_stock_share",
        "float",
        1.0,
        "Closing-stock target as a share of each opening stock: stock below it at the end of the horizon is "
        "charged at Products.value (its replacement cost), so a plan cannot end by selling off stocks it "
        "would have to rebuild. 0 = no target.",
        min_value=0.0,
    ),
    SettingSpec(
        "end_value_share",
        "float",
        0.0,
        "Share of Products.value credited for all stock left at the end of the horizon (a credit that can make "
        "buying for it profitable above 0; the closing-stock target is the safer terminal condition).",
        min_value=0.0,
        max_value=1.0,
    ),
    SettingSpec(
        "time_limit",
        "float",
        60.0,
        "Time limit of a run: reading, checking, building and every solve (0 = no limit).",
        unit="s",
        min_value=0.0,
    ),
    SettingSpec(
        "mip_gap",
        "float",
        0.005,
        "Relative MIP gap at which the solver stops (at least 0, below 1).",
        min_value=0.0,
        max_value=1.0,
    ),
    SettingSpec("threads", "int", 0, "Solver threads (0 = automatic, at most 1024).", min_value=0),
    SettingSpec(
        "random_seed", "int", 0, "Solver random seed (for reproducible runs; 0 to 2147483647).", min_value=0
    ),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}

HIGHS_PREFIX = "highs_"
"""A Settings key ``highs_<option>`` passes HiGHS option ``<option>`` (e.g. ``highs_presolve``)."""
HIGHS_SETTINGS = "highs_options"
"""Where the reader keeps those options: ``settings[HIGHS_SETTINGS] = {option: value}``."""


def default_settings() -> dict[str, Any]:
    """Every setting at its default, and no HiGHS options: what a workbook without Settings means."""
    return {**{s.key: s.default for s in SETTINGS}, HIGHS_SETTINGS: {}}


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "Settings",
        "Run settings as key/value pairs. Keys not given take their default.",
        (
            _c("setting", "str", "Setting name (see the README sheet).", required=True),
            _c("value", "str", "Setting value.", default=""),
        ),
        key=("setting",),
    ),
    TableSpec(
        "Periods",
        "Planning periods in time order (row order is time order).",
        (
            _c("period", "str", "Period id, e.g. 2026Q4.", required=True, example="2026Q4"),
            _c("start_date", "str", "First day of the period (informational).", default=""),
            _c(
                "length_days",
                "float",
                "Length of the period in days (blank = Settings.period_length_days, the reference length). "
                "Figures stated per period count length_days / period_length_days times in this period; "
                "Demand.quantity is the period's own demand; lead times, transit, review delays and other "
                "counts stay in periods (convert days to periods when building the workbook). Discounting "
                "runs on the days elapsed; days of cover use the period's own daily rate.",
                unit="days",
                default=None,
                min_value=1e-9,
            ),
            _c("description", "str", "Free text.", default=""),
        ),
        key=("period",),
        required=True,
    ),
    TableSpec(
        "Products",
        "Materials and goods that flow through the network.",
        (
            _c("product", "str", "Product id.", required=True, example="NDPR_OX"),
            _c("name", "str", "Readable name.", default=""),
            _c("stage", "str", "Supply-chain stage.", default="other", allowed=PRODUCT_STAGES),
            _c("unit", "str", "Unit of quantity.", default="t"),
            _c(
                "value",
                "float",
                "Value per unit: basis for tariffs/duties and end-of-horizon valuation.",
                unit="currency/t",
                default=0.0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "cost_disposal",
                "float",
                "Cost per unit discarded (blank = the product cannot be discarded: every unit must be "
                "used, stored or shipped). Lets surplus co-products of joint production leave the network.",
                unit="currency/t",
                default=None,
                **NONNEG,
            ),
            _c("description", "str", "Free text.", default=""),
        ),
        key=("product",),
        required=True,
    ),
    TableSpec(
        "Groups",
        "Named groups of countries or sites, used by sourcing rules and export controls.",
        (
            _c("group", "str", "Group id.", required=True, example="WEST"),
            _c("kind", "str", "What the group holds.", default="country", allowed=("country", "site")),
            _c("member", "str", "A country code or a site id.", required=True, example="US"),
        ),
        key=("group", "member"),
    ),
    TableSpec(
        "Sites",
        "Every location: sources, plants, warehouses and demand regions.",
        (
            _c("site", "str", "Site id.", required=True, example="S_US_MP"),
            _c("name", "str", "Readable name.", default=""),
            _c("type", "str", "Kind of site.", required=True, allowed=SITE_TYPES),
            _c("country", "str", "Country code (ISO 3166 alpha-2).", required=True, example="US"),
            _c(
                "status",
                "str",
                "existing, or candidate (opened only if the plan pays cost_opening).",
                default="existing",
                allowed=("existing", "candidate"),
            ),
            _c(
                "cost_opening",
                "float",
                "One-off cost to open a candidate site.",
                unit="currency",
                default=0.0,
                **NONNEG,
            ),
            _c(
                "cost_fixed",
                "float",
                "Fixed operating cost per period while the site is open.",
                unit="currency/period",
                per_reference_period=True,
                default=0.0,
                **NONNEG,
            ),
            _c(
                "closable",
                "bool",
                "May the plan close this existing site (saving cost_fixed)?",
                default=False,
            ),
            _c(
                "cost_closing",
                "float",
                "One-off cost of closing the site.",
                unit="currency",
                default=0.0,
                **NONNEG,
            ),
            _c(
                "earliest_period",
                "period",
                "First period the site can operate (blank = first).",
                default=None,
            ),
            _c(
                "ttr_periods",
                "float",
                "Time to recover after a disruption (resilience analysis).",
                unit="periods",
                default=None,
                **NONNEG,
            ),
        ),
        key=("site",),
        required=True,
    ),
    TableSpec(
        "Processes",
        "Recipes: an activity at a site (or at every site of a type) that turns inputs into outputs.",
        (
            _c("process", "str", "Process id.", required=True, example="SEP_MP"),
            _c("site", "str", "Site that runs it (give site or site_type).", default="", ref="Sites.site"),
            _c(
                "site_type", "str", "Every site of this type runs it.", default="", allowed=SITE_TYPES + ("",)
            ),
            _c("name", "str", "Readable name.", default=""),
            _c(
                "cost_variable",
                "float",
                "Cost per unit of activity.",
                unit="currency/unit",
                default=0.0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "capacity",
                "float",
                "Most activity per period at one site (blank = unlimited).",
                unit="unit/period",
                per_reference_period=True,
                default=None,
                per_period=True,
                **NONNEG,
            ),
            _c("description", "str", "Free text.", default=""),
        ),
        key=("process",),
    ),
    TableSpec(
        "ProcessFlows",
        "Inputs and outputs per unit of process activity (several outputs = joint production).",
        (
            _c("process", "str", "Process id.", required=True, ref="Processes.process"),
            _c("product", "str", "Product consumed or produced.", required=True, ref="Products.product"),
            _c("direction", "str", "in (consumed) or out (produced).", required=True, allowed=("in", "out")),
            _c(
                "quantity",
                "float",
                "Units per unit of activity.",
                unit="t/unit",
                required=True,
                min_value=1e-12,
            ),
        ),
        key=("process", "product", "direction"),
    ),
    TableSpec(
        "CapacityOptions",
        "New plants and expansions the plan may build: decided now or at the reveal (decide), available after the lead time.",
        (
            _c("option", "str", "Option id.", required=True, example="MP_10X"),
            _c("site", "str", "Site that gains capacity.", required=True, ref="Sites.site"),
            _c("process", "str", "Process whose capacity grows.", required=True, ref="Processes.process"),
            _c(
                "capacity_added",
                "float",
                "Activity per period added by one unit of the option.",
                unit="unit/period",
                per_reference_period=True,
                required=True,
                min_value=1e-12,
            ),
            _c("cost_build", "float", "One-off cost per unit built.", unit="currency", default=0.0, **NONNEG),
            _c(
                "cost_fixed",
                "float",
                "Fixed cost per period per unit built, once available.",
                unit="currency/period",
                per_reference_period=True,
                default=0.0,
                **NONNEG,
            ),
            _c(
                "lead_time",
                "int",
                "Periods from the decision until the capacity is available.",
                unit="periods",
                default=0,
                **NONNEG,
            ),
            _c(
                "earliest_period", "period", "First period it can be available (blank = first).", default=None
            ),
            _c(
                "ramp_periods",
                "int",
                "Periods of ramp-up once available: in the k-th period from availability (k = 0, 1, ...) a unit "
                "adds capacity_added x min(1, (k + 1) / (ramp_periods + 1)); the fixed cost is paid in full "
                "from availability (0 = full capacity at once).",
                unit="periods",
                default=0,
                **NONNEG,
            ),
            _c(
                "integer",
                "bool",
                "Integer modules (up to max_units) rather than one yes/no build.",
                default=False,
            ),
            _c("max_units", "int", "Most units (with integer).", default=1, min_value=1),
            _c(
                "decide",
                "str",
                "When the build is decided: now (before any scenario is known, one decision for all "
                "scenarios) or at_reveal (at the reveal period, separately in each scenario, as a recourse "
                "decision; its lead time then counts from the reveal period). Blank = now.",
                default="now",
                allowed=DECIDE_WHEN,
            ),
        ),
        key=("option",),
    ),
    TableSpec(
        "Lanes",
        "Transport links. Shipments leaving in period t arrive in t + transit_periods.",
        (
            _c("lane", "str", "Lane id.", required=True, example="L1"),
            _c("origin", "str", "Shipping site.", required=True, ref="Sites.site"),
            _c("destination", "str", "Receiving site.", required=True, ref="Sites.site"),
            _c(
                "product",
                "str",
                "Product carried; several separated by spaces (one lane, one capacity and one qualification "
                "for all of them); blank = every product the origin can hold.",
                default="",
                ref="Products.product",
                many=True,
            ),
            _c("mode", "str", "sea, air, rail, truck... (informational).", default=""),
            _c(
                "cost_flow",
                "float",
                "Freight cost per unit shipped.",
                unit="currency/t",
                default=0.0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "transit_periods",
                "int",
                "Whole periods in transit.",
                unit="periods",
                default=0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "capacity",
                "float",
                "Most units shipped per period (blank = unlimited).",
                unit="t/period",
                per_reference_period=True,
                default=None,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "tariff_rate",
                "float",
                "Duty as a share of product value.",
                default=0.0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "qualification",
                "bool",
                "Must the lane/supplier be qualified (a yes/no decision) before use?",
                default=False,
            ),
            _c(
                "cost_qualification",
                "float",
                "One-off qualification cost.",
                unit="currency",
                default=0.0,
                **NONNEG,
            ),
            _c(
                "lead_time_qualification",
                "int",
                "Periods from the decision until the lane can carry.",
                unit="periods",
                default=0,
                **NONNEG,
            ),
            _c(
                "decide",
                "str",
                "When the qualification (qualification lanes only) is decided: now (before any scenario is known, one decision for all "
                "scenarios) or at_reveal (at the reveal period, separately in each scenario, as a recourse "
                "decision; its lead time then counts from the reveal period). Blank = now.",
                default="now",
                allowed=DECIDE_WHEN,
            ),
        ),
        key=("lane",),
    ),
    TableSpec(
        "Contracts",
        "Contracts: material bought at the supplier site (side buy), or sold there to a buyer outside the "
        "network (side sell), within a min and max per period; signed now or at the reveal (decide).",
        (
            _c("contract", "str", "Contract id.", required=True, example="C_FLOOR"),
            _c(
                "supplier",
                "str",
                "Site where the material is bought (it enters the network there), or, for a sale, the site "
                "it is sold from (it leaves the network there).",
                required=True,
                ref="Sites.site",
            ),
            _c("product", "str", "Product bought.", required=True, ref="Products.product"),
            _c("buyer", "str", "Our site the contract serves (informational).", default="", ref="Sites.site"),
            _c(
                "side",
                "str",
                "buy: we buy at the price (a cost); sell: we sell at the price to a buyer outside the network "
                "(a revenue, e.g. surplus oxide sold on the world market or an offtake agreement). A sale takes "
                "material of the site's own origin (a site in the controlling country sells controlled "
                "material), needs max_per_period and cannot be 'pay'. Blank = buy.",
                default="buy",
                allowed=("buy", "sell"),
            ),
            _c(
                "min_per_period",
                "float",
                "Take-or-pay minimum per period (for a sale: the least that must be delivered).",
                unit="t/period",
                per_reference_period=True,
                default=0.0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "max_per_period",
                "float",
                "Most per period (blank = unlimited).",
                unit="t/period",
                per_reference_period=True,
                default=None,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "price",
                "float",
                "Price per unit, paid (buy) or received (sell) (blank is read as 0, free, and the validator warns).",
                unit="currency/t",
                default=None,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "take_or_pay",
                "str",
                "take: at least the minimum must be taken; pay: the minimum is paid for even if not taken.",
                default="take",
                allowed=("take", "pay"),
            ),
            _c("start_period", "period", "First period of the contract (blank = first).", default=None),
            _c("end_period", "period", "Last period of the contract (blank = last).", default=None),
            _c(
                "decide",
                "str",
                "When the contract is signed: now (committed before any scenario is known, as every contract "
                "without this column) or at_reveal (signed or not at the reveal period, separately in each "
                "scenario; no purchases under it before the reveal; needs max_per_period). Blank = now.",
                default="now",
                allowed=DECIDE_WHEN,
            ),
        ),
        key=("contract",),
    ),
    TableSpec(
        "Demand",
        "Demand per site, product and period; unmet demand costs its shortage penalty.",
        (
            _c("site", "str", "Demand site.", required=True, ref="Sites.site"),
            _c("product", "str", "Product demanded.", required=True, ref="Products.product"),
            _c("period", "period", "Period.", required=True),
            _c(
                "quantity",
                "float",
                "Units demanded in the period.",
                unit="t",
                required=True,
                per_period=True,
                **NONNEG,
            ),
            _c("customer_class", "str", "civil, automotive, defence... (end use).", default="civil"),
            _c(
                "shortage_penalty",
                "float",
                "Cost per unit not delivered (blank = Settings.shortage_penalty).",
                unit="currency/t",
                default=None,
                **NONNEG,
            ),
            _c(
                "no_controlled_content",
                "bool",
                "Serve only with material below the content threshold of the export rules (a buyer's own "
                "content rule, e.g. DFARS for US defence magnets); needs an ExportControls row with a "
                "content_threshold. Blank = no.",
                default=False,
            ),
        ),
        key=("site", "product", "period", "customer_class"),
    ),
    TableSpec(
        "Inventory",
        "Where a product can be stored, with its opening stock, limits, holding cost and cover target.",
        (
            _c("site", "str", "Storage site.", required=True, ref="Sites.site"),
            _c("product", "str", "Stored product.", required=True, ref="Products.product"),
            _c(
                "initial_stock",
                "float",
                "Stock at the start of the first period.",
                unit="t",
                default=0.0,
                **NONNEG,
            ),
            _c(
                "min_stock",
                "float",
                "Least stock at the end of every period: a hard floor that is never drawn, unless floor_penalty "
                "is set (then a safety stock, drawn in an emergency at that penalty).",
                unit="t",
                default=0.0,
                **NONNEG,
            ),
            _c(
                "floor_penalty",
                "float",
                "Penalty per unit per period of stock below min_stock (blank = min_stock is a hard floor). A floor "
                "breached for k periods costs k x the penalty: keep that below the shortage penalty of the demand "
                "the stock protects (e.g. shortage penalty / number of periods), so the stock is drawn first.",
                unit="currency/t/period",
                per_reference_period=True,
                default=None,
                **NONNEG,
            ),
            _c("max_stock", "float", "Most stock (blank = unlimited).", unit="t", default=None, **NONNEG),
            _c(
                "cost_holding",
                "float",
                "Holding cost per unit per period.",
                unit="currency/t/period",
                per_reference_period=True,
                default=0.0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "cover_days",
                "float",
                "Days-of-cover target: end stock >= cover_days x (demand + use) of the period / the period's length "
                "in days (Periods.length_days, blank = period_length_days).",
                unit="days",
                default=0.0,
                **NONNEG,
            ),
            _c(
                "cover_hard",
                "bool",
                "Is the cover target hard (else soft, at Settings.cover_penalty)?",
                default=False,
            ),
            _c(
                "end_stock_min",
                "float",
                "Least stock at the end of the horizon (hard; see also Settings.closing_stock_share).",
                unit="t",
                default=0.0,
                **NONNEG,
            ),
        ),
        key=("site", "product"),
    ),
    TableSpec(
        "SourcingRules",
        "Diversification: most share of a product's supply from a group, or single-sourcing.",
        (
            _c("rule", "str", "Rule id.", required=True, example="MAX_CN_50"),
            _c("product", "str", "Product the rule covers.", required=True, ref="Products.product"),
            _c(
                "destination",
                "str",
                "Receiving site (blank = all receipts of the product).",
                default="",
                ref="Sites.site",
            ),
            _c(
                "group",
                "str",
                "Group of origin countries or sites (blank = each country in turn).",
                default="",
                ref="Groups.group",
            ),
            _c(
                "max_share",
                "float",
                "Most share of receipts from the group in any period (receipts counted in the period they arrive).",
                default=1.0,
                **SHARE,
            ),
            _c(
                "single_source",
                "bool",
                "Receive the product from one origin site only (needs a destination).",
                default=False,
            ),
            _c(
                "decide",
                "str",
                "When the single-source assignment (single_source rules only) is decided: now (before any scenario is known, one decision for all "
                "scenarios) or at_reveal (at the reveal period, separately in each scenario, as a recourse "
                "decision; receipts before the reveal bind the source in every scenario). Blank = now.",
                default="now",
                allowed=DECIDE_WHEN,
            ),
        ),
        key=("rule",),
    ),
    TableSpec(
        "ExportControls",
        "Export-licence rules: shipments of a product from the controlling country to covered destinations need a licence.",
        (
            _c("rule", "str", "Rule id.", required=True, example="CN_NO18"),
            _c("country", "str", "Controlling country.", required=True, example="CN"),
            _c("product", "str", "Controlled product.", required=True, ref="Products.product"),
            _c(
                "destination_group",
                "str",
                "Covered destination countries (blank = all other countries).",
                default="",
                ref="Groups.group",
            ),
            _c("end_use", "str", "Covered end use.", default="all", allowed=END_USES),
            _c("start_period", "period", "First period in force (blank = first).", default=None),
            _c("end_period", "period", "Last period in force (blank = last).", default=None),
            _c(
                "content_threshold",
                "float",
                "Foreign-made products with at least this share of controlling-country content are covered too "
                "(blank = direct exports only; 0.001 = the 0.1% rule).",
                default=None,
                **SHARE,
            ),
            _c(
                "approval_share",
                "float",
                "Share of the volume applied for that is licensed, under the regime in force when the "
                "review ends (refused volume is lost, not re-filed).",
                default=1.0,
                per_period=True,
                **SHARE,
            ),
            _c(
                "review_delay",
                "float",
                "Review time from filing to decision; fractions allowed (45 working days in quarters = 0.7: "
                "30% of a quarter's applications are decided in the same quarter, 70% in the next).",
                unit="periods",
                default=0.0,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "reference_volume",
                "float",
                "Volume the buyers file for per period under this rule and product (e.g. their 2025 imports). "
                "Blank = their own requirement: covered demand for the product plus what covered plants "
                "consume at installed capacity.",
                unit="t/period",
                per_reference_period=True,
                default=None,
                per_period=True,
                **NONNEG,
            ),
            _c(
                "advance_periods",
                "int",
                "Periods of future requirement a buyer may file for ahead, e.g. to build stock before a "
                "regime changes (blank = one year, the validity of a single export licence).",
                unit="periods",
                default=None,
                per_period=True,
                **NONNEG,
            ),
        ),
        key=("rule", "product"),
    ),
    TableSpec(
        "Disruptions",
        "Nodes for the resilience analysis (planner stress): a site, a whole country, or an export rule "
        "whose licences stop, each with its time to recover. Sites with Sites.ttr_periods are nodes too.",
        (
            _c("disruption", "str", "Disruption id.", required=True, example="CN_OUT"),
            _c("kind", "str", "What is cut.", required=True, allowed=("site", "country", "licence")),
            _c(
                "target",
                "str",
                "Site id, country code, or ExportControls rule id; several joined with + are cut together "
                "(e.g. R18_WEST+RX_WEST for a scenario that stops both).",
                required=True,
                example="CN",
            ),
            _c("ttr_periods", "float", "Time to recover.", unit="periods", required=True, **NONNEG),
            _c("description", "str", "Free text.", default=""),
        ),
        key=("disruption",),
    ),
    TableSpec(
        "Scenarios",
        "Probability-weighted scenarios (blank sheet = one deterministic scenario).",
        (
            _c("scenario", "str", "Scenario id.", required=True, example="SC1"),
            _c("probability", "float", "Probability; all rows must sum to 1.", required=True, **SHARE),
            _c(
                "stage1_group",
                "str",
                "Branch of the scenario tree between Settings.reveal_period and Settings.reveal_period_2: "
                "scenarios sharing this label cannot be told apart until reveal_period_2 (e.g. TENSE for "
                "TENSE_OK and TENSE_BAN). Blank = the scenario alone (its own id). Needs reveal_period_2; "
                "a label may not be another scenario's id.",
                default="",
            ),
            _c("description", "str", "Free text.", default=""),
        ),
        key=("scenario",),
    ),
    TableSpec(
        "ScenarioChanges",
        "How a scenario differs from the base tables (or, with a blank scenario, how the base data change over "
        "time): set, multiply or add to a column, for matching rows and periods.",
        (
            _c(
                "scenario",
                "str",
                "Scenario changed (blank = the base data of every scenario, e.g. a capacity ramp-up; "
                "such a change may start in any period).",
                default="",
                ref="Scenarios.scenario",
            ),
            _c("table", "str", "Sheet changed.", required=True, example="Lanes"),
            _c(
                "filter",
                "str",
                "Rows changed: column=value pairs separated by ';' (blank = every row), e.g. origin=M_MM; product=CONC.",
                default="",
            ),
            _c(
                "column",
                "str",
                "Column changed (one with per-period values).",
                required=True,
                example="capacity",
            ),
            _c("action", "str", "set, multiply or add.", default="set", allowed=CHANGE_ACTIONS),
            _c("value", "float", "Value used by the action.", required=True),
            _c(
                "start_period",
                "period",
                "First period changed (blank = the reveal period, or the first period for a base change; "
                "scenarios cannot differ before the reveal period, nor a scenario that shares its "
                "Scenarios.stage1_group before Settings.reveal_period_2).",
                default=None,
            ),
            _c("end_period", "period", "Last period changed (blank = last).", default=None),
        ),
        key=(),
    ),
    TableSpec(
        "Distributions",
        "Random factors for sampled scenarios (planner saa): each sample draws a regime from Scenarios by "
        "probability, then a value for every factor of that regime, applied like a ScenarioChanges row.",
        (
            _c("factor", "str", "Factor id.", required=True, example="APPROVAL_R61"),
            _c(
                "scenario",
                "str",
                "Regime (Scenarios row) in which the factor is drawn (blank = every regime).",
                default="",
                ref="Scenarios.scenario",
            ),
            _c("table", "str", "Sheet changed.", required=True, example="ExportControls"),
            _c("filter", "str", "Rows changed, as ScenarioChanges.filter (blank = every row).", default=""),
            _c("column", "str", "Column changed (one with per-period values).", required=True),
            _c("action", "str", "set, multiply or add.", default="set", allowed=CHANGE_ACTIONS),
            _c(
                "distribution",
                "str",
                "uniform (low, high), triangular (low, mode, high) or choice (values, weights).",
                required=True,
                allowed=DISTRIBUTIONS,
            ),
            _c("low", "float", "Least value (uniform, triangular).", default=None),
            _c("mode", "float", "Most likely value (triangular).", default=None),
            _c("high", "float", "Greatest value (uniform, triangular).", default=None),
            _c("values", "str", "Values of a choice, separated by spaces, e.g. 1 0.6 0.", default=""),
            _c(
                "weights",
                "str",
                "Probabilities of the choice's values, separated by spaces, summing to 1 (blank = equal).",
                default="",
            ),
            _c(
                "start_period",
                "period",
                "First period changed (blank = the reveal period, as ScenarioChanges).",
                default=None,
            ),
            _c("end_period", "period", "Last period changed (blank = last).", default=None),
        ),
        key=("factor",),
    ),
)

TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}


def normalize_name(text: Any) -> str:
    """Normalise a header, setting key or filter column: ``" Cost-Flow "`` -> ``"cost_flow"``."""
    return re.sub(r"[\s\-_.]+", "_", str(text).strip().lower()).strip("_")


def table(name: str) -> TableSpec:
    """Return the spec of the sheet called ``name``."""
    return TABLES_BY_NAME[name]


def markdown_reference() -> str:
    """Render the workbook reference (tables, columns, settings) as Markdown."""
    out: list[str] = [f"Workbook schema version {SCHEMA_VERSION}.", ""]
    for t in TABLES:
        req = " (required)" if t.required else ""
        out += [f"### {t.name}{req}", "", t.description, ""]
        if t.key:
            out += [f"Key: {', '.join(t.key)}.", ""]
        out += ["| column | type | unit | default | description |", "|---|---|---|---|---|"]
        for c in t.columns:
            default = "required" if c.required else ("blank" if c.default in (None, "") else str(c.default))
            desc = c.description
            if c.allowed:
                desc += " One of: " + ", ".join(a for a in c.allowed if a) + "."
            if c.ref:
                desc += f" Refers to {c.ref}" + (" (each id of the list)." if c.many else ".")
            if c.per_reference_period:
                desc += " Per reference period: counts length_days / period_length_days times in a period."
            if c.per_period:
                desc += " Scenario-changeable by period."
            out.append(f"| {c.name} | {c.dtype} | {c.unit} | {default} | {desc} |")
        out.append("")
    out += ["Every sheet also has `source` and `confidence` (S, S2, D, A, U) provenance columns.", ""]
    out += ["### Settings keys", "", "| key | type | unit | default | description |", "|---|---|---|---|---|"]
    for s in SETTINGS:
        out.append(
            f"| {s.key} | {s.dtype} | {s.unit} | {'' if s.default is None else s.default} | {s.description} |"
        )
    out += [
        "",
        f"A key `{HIGHS_PREFIX}<option>` sets any HiGHS option by its HiGHS name, e.g. `{HIGHS_PREFIX}presolve` "
        "= off; the validator asks HiGHS whether it accepts the value and reports a refused one with its row. "
        "The command line's `--highs-option NAME=VALUE` overrides it.",
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(markdown_reference())
