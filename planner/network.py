"""Network: validated workbook tables turned into the sets and parameters the model needs.

Pure pandas/numpy; no Pyomo. Everything the model builder indexes over is
derived here, once, as sparse Python lists and dicts (house style: sparse
adjacency lists, Python floats).

Scenario tree
-------------
Periods ``t = 0..T-1``. The scenario is revealed at period ``r`` (Settings
``reveal_period``). Operational decisions live on *nodes* ``(t, w)``: ``w`` is
:data:`ROOT` for ``t < r`` (one decision for every scenario) and the scenario id
for ``t >= r``. Scenario changes may only touch periods ``>= r``, so the data of
a ROOT node is the base data.

A three-stage tree adds a second reveal ``r2`` (Settings ``reveal_period_2``, after ``r``):
between the reveals only the scenario's branch ``Scenarios.stage1_group`` is known, so the node
of ``r <= t < r2`` is that label (blank label = the scenario's own id), and from ``r2`` on the
scenario. :meth:`Network.node` gives the node of a period on a scenario's path (or on the path
of a node label: any scenario through it, the ancestors are the same), :meth:`Network.nodes`
the tree, :meth:`Network.node_scenarios` the scenarios through a node. Scenarios sharing a label
may differ only from ``r2`` on (ScenarioChanges), so a group node reads the data of its first
scenario (:attr:`Network.tree_member`). Non-anticipativity holds per tree node because the
operational variables are indexed by node.

Design rows whose ``decide`` column is ``at_reveal`` (``wait_options``, ``wait_lanes``,
``wait_rules``, ``wait_contracts``) are decided at the reveal, per scenario: their lead
times count from ``r`` (``option_available``, :meth:`Network.lane_usable_from`). With two
reveals they are taken at the *first* reveal: one value per stage-1 branch (the model ties the
scenarios of a ``stage1_group`` together, ``c_wait_nonanticipative``).

Per-period parameters
---------------------
Every ``per_period`` column of the schema is expanded to an array of shape
``(rows, T)``. ScenarioChanges rows with a blank scenario change this base array
(a profile over time, any period); each scenario then gets its own copy where a
Scenario change touches it. Blank capacities become ``inf`` (unlimited).

Period lengths
--------------
Period ``t`` lasts ``period_days[t]`` days (Periods.length_days; blank = the reference length
Settings.period_length_days) and weighs ``period_weight[t] = period_days[t] / reference``.
Columns the schema marks ``per_reference_period`` are stated per reference period: the per-period
arrays of those columns are multiplied by the weight here, once (after scenario changes), and the
model multiplies the others (fixed costs, option capacity, floor and cover penalties) by
``period_weight``. Nothing else derives lengths from the tables.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from planner.errors import InputError, Issue
from planner.scenarios import FilterIndex, parse_filter
from planner.schema import TABLES_BY_NAME, id_list, normalize_name
from planner.tables import ROW, InputData, period_lengths
from planner.validate import reachable_pairs
from planner.validate_common import SOLVER_INFINITY
from planner.validate_common import records as _records

ROOT = "ROOT"
"""Node label of periods before the reveal period (shared by every scenario)."""

BASE_SCENARIO = "base"
"""Scenario id used when the workbook has no Scenarios rows."""

UNLIMITED_COLUMNS = {("Processes", "capacity"), ("Lanes", "capacity"), ("Contracts", "max_per_period")}
DERIVED_WHEN_BLANK = {("ExportControls", "reference_volume"), ("ExportControls", "advance_periods")}
"""Per-period columns whose blank (NaN) the model replaces by a derived value."""


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


@dataclass
class PeriodParams:
    """A per-period column: base values and per-scenario overrides, shape (rows, T)."""

    keys: list[Any]
    base: np.ndarray
    by_scenario: dict[str, np.ndarray] = field(default_factory=dict)
    pos: dict[Any, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pos = {k: i for i, k in enumerate(self.keys)}

    def get(self, key: Any, t: int, node: str) -> float:
        """Value for ``key`` in period ``t`` at scenario node ``node``."""
        arr = self.base if node == ROOT else self.by_scenario.get(node, self.base)
        return float(arr[self.pos[key], t])

    def for_scenario(self, scenario: str) -> np.ndarray:
        """The full (rows, T) array of one scenario."""
        return self.by_scenario.get(scenario, self.base)


@dataclass
class Network:
    """Sets and parameters of one planning problem (all scenarios)."""

    data: InputData
    periods: list[str]
    reveal: int
    scenarios: list[str]
    probability: dict[str, float]
    discount: list[float]
    period_years: list[float]  # years from the start of the horizon to the start of each period
    settings: dict[str, Any]
    # entities
    sites: pd.DataFrame  # indexed by site
    products: pd.DataFrame  # indexed by product
    processes: pd.DataFrame  # indexed by process
    lanes: pd.DataFrame  # indexed by lane
    contracts: pd.DataFrame  # indexed by contract
    demand: pd.DataFrame  # indexed by demand row id (int)
    inventory: pd.DataFrame  # indexed by (site, product)
    options: pd.DataFrame  # indexed by option
    sourcing: pd.DataFrame  # indexed by rule
    groups: dict[str, set[str]]
    group_kind: dict[str, str]
    # derived sparse sets
    process_sites: list[tuple[str, str]]  # (site, process) instances
    recipe_in: dict[str, list[tuple[str, float]]]  # process -> [(product, qty)]
    recipe_out: dict[str, list[tuple[str, float]]]
    lane_products: dict[str, list[str]]
    holdable: set[tuple[str, str]]  # (site, product) where material can be
    gated_sites: list[str]  # sites with an open/close decision
    params: dict[tuple[str, str], PeriodParams]
    option_available: dict[str, int]  # option -> first period index it adds capacity
    site_first_period: dict[str, int]
    period_days: list[float] = field(default_factory=list)  # length of each period in days
    period_weight: list[float] = field(default_factory=list)  # length / reference length (w_t)
    year_ahead: list[int] = field(default_factory=list)  # following periods within a year (H default)
    # design decisions taken at the reveal, per scenario (decide = at_reveal); the rest are first stage
    wait_options: set[str] = field(default_factory=set)
    wait_lanes: set[str] = field(default_factory=set)  # qualification lanes only
    wait_rules: set[str] = field(default_factory=set)  # single-source rules only
    wait_contracts: set[str] = field(default_factory=set)  # signed (or not) at the reveal
    sell_contracts: set[str] = field(default_factory=set)  # Contracts.side = sell: sales out of the network
    # three-stage tree: second reveal period (None = one reveal), scenario -> stage-1 branch label,
    # and node label -> the first chosen scenario through it (labels that are not scenario ids)
    reveal2: int | None = None
    stage1_group: dict[str, str] = field(default_factory=dict)
    tree_member: dict[str, str] = field(default_factory=dict)

    # ---------------------------------------------------------------- nodes
    @property
    def T(self) -> range:  # noqa: N802 - mathematical set name
        """Period indices."""
        return range(len(self.periods))

    def node(self, t: int, scenario: str) -> str:
        """The decision node of period ``t`` on the path of ``scenario`` (a scenario id or a node
        label of a later period, whose ancestors are the same for every scenario through it):
        ROOT before the reveal, the stage1_group label before the second reveal, then the scenario."""
        if t < self.reveal:
            return ROOT
        s = self.tree_member.get(scenario, scenario)
        if self.reveal2 is not None and t < self.reveal2:
            return self.stage1_group.get(s, s)
        return s

    def nodes(self, scenarios: list[str] | None = None) -> list[tuple[int, str]]:
        """All (t, node) pairs of the tree: ROOT before the reveal period, one per stage-1 branch
        between the reveals, one per scenario after the last reveal."""
        scen = self.scenarios if scenarios is None else scenarios
        out: list[tuple[int, str]] = []
        for t in self.T:
            seen: set[str] = set()
            for s in scen:
                w = self.node(t, s)
                if w not in seen:
                    seen.add(w)
                    out.append((t, w))
        return out

    def node_scenarios(self, node: str, scenarios: list[str] | None = None) -> list[str]:
        """Scenarios that pass through ``node`` (a node label of any period)."""
        scen = self.scenarios if scenarios is None else scenarios
        if node == ROOT:
            return list(scen)
        if not self.stage1_group:  # one reveal: a node after it is its scenario
            return [node] if node in scen else []
        return [s for s in scen if s == node or self.stage1_group.get(s) == node]

    @property
    def multi_reveal(self) -> bool:
        """True for a three-stage tree (a second reveal that tells apart some scenarios)."""
        return self.reveal2 is not None and any(g != s for s, g in self.stage1_group.items())

    def p(self, table: str, column: str, key: Any, t: int, node: str) -> float:
        """A per-period parameter value (a stage-1 group node reads its first scenario's data)."""
        return self.params[(table, column)].get(key, t, self.tree_member.get(node, node))

    def lane_usable_from(self, lane: str) -> int:
        """First period a lane can carry: 0 without qualification, else the qualification lead time,
        counted from period 0 when decided now and from the reveal period when decided at the reveal."""
        if not bool(self.lanes.at[lane, "qualification"]):
            return 0
        lead = int(self.lanes.at[lane, "lead_time_qualification"])
        return lead + (self.reveal if lane in self.wait_lanes else 0)

    def option_share(self, option: str, t: int) -> float:
        """Share of capacity_added option ``option`` adds in period ``t``: 0 before it is available, then
        min(1, (k + 1) / (ramp_periods + 1)) in the k-th period from availability (1 without a ramp)."""
        k = t - self.option_available[option]
        if k < 0:
            return 0.0
        ramp = self.options.at[option, "ramp_periods"] if "ramp_periods" in self.options.columns else 0
        ramp = 0 if _blank(ramp) else int(ramp)
        return min(1.0, (k + 1) / (ramp + 1))

    def site_country(self, site: str) -> str:
        """Country code of a site."""
        return str(self.sites.at[site, "country"])


# ----------------------------------------------------------------------------- building


def decided_at_reveal(row: Any) -> bool:
    """Is a design row's ``decide`` column ``at_reveal`` (blank or missing = now)?"""
    value = getattr(row, "decide", "now")
    return not _blank(value) and str(value).strip() == "at_reveal"


def _index(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.set_index(key, drop=False)


def _period_pos(periods: list[str], value: Any, default: int, index: dict[str, int] | None = None) -> int:
    """Position of period ``value`` (``default`` when blank); ``index`` maps period -> first position."""
    if _blank(value):
        return default
    if index is not None and str(value) in index:
        return index[str(value)]
    return periods.index(str(value))


def _first_positions(periods: list[str]) -> dict[str, int]:
    """Period -> its first position (what ``periods.index`` finds)."""
    index: dict[str, int] = {}
    for i, p in enumerate(periods):
        index.setdefault(p, i)
    return index


def _expand(frame: pd.DataFrame, keys: list[Any], column: str, n_periods: int, table: str) -> PeriodParams:
    vals = frame[column].to_numpy(dtype=float, na_value=np.nan) if len(frame) else np.zeros(0)
    if (table, column) in UNLIMITED_COLUMNS:
        vals = np.where(np.isnan(vals), np.inf, vals)
    elif (table, column) in DERIVED_WHEN_BLANK:
        pass  # NaN: derived by the model
    else:
        vals = np.where(np.isnan(vals), 0.0, vals)
    base = np.repeat(vals.reshape(-1, 1), n_periods, axis=1) if len(vals) else np.zeros((0, n_periods))
    return PeriodParams(keys=keys, base=base)


def _scale_by_length(params: dict[tuple[str, str], PeriodParams], weight: list[float]) -> None:
    """Multiply the per-period arrays of ``per_reference_period`` columns by the period weights (in place).

    Nothing changes when every weight is 1 (no Periods.length_days given).
    """
    if all(w == 1.0 for w in weight):
        return
    row = np.asarray(weight, dtype=float).reshape(1, -1)
    for (table, column), pp in params.items():
        if not TABLES_BY_NAME[table].column(column).per_reference_period:
            continue
        pp.base = pp.base * row  # inf stays inf (unlimited), NaN stays NaN (derived)
        pp.by_scenario = {s: arr * row for s, arr in pp.by_scenario.items()}


def year_ahead_periods(period_days: list[float]) -> list[int]:
    """For each period t, the following periods that lie within a year of t's start.

    A following period counts when its midpoint is less than 365.25 days after the start of t (it
    lies mostly within the year); with equal lengths l this is round(365.25 / l) - 1 (3 for
    quarters, 11 for months), the former default, except where 365.25 / l is exactly an odd number and a half.
    Periods after the horizon are not counted.
    """
    starts = [0.0]
    for d in period_days:
        starts.append(starts[-1] + d)
    out = []
    for t in range(len(period_days)):
        h = 0
        while t + h + 1 < len(period_days):
            u = t + h + 1
            if (starts[u] + period_days[u] / 2.0) - starts[t] >= 365.25 - 1e-9:
                break
            h += 1
        out.append(h)
    return out


def _changed_value_problem(spec: Any, block: np.ndarray, unlimited: bool = False) -> str:
    """Why values produced by a ScenarioChanges row break the column's own rules ('' when they do not).

    Only an ``unlimited`` column (blank = no limit) may hold infinity; no value may reach the
    solver's infinity (:data:`~planner.validate_common.SOLVER_INFINITY`) otherwise.
    """
    if block.size and np.isfinite(block).all():  # the usual case, settled by the extremes
        lo, hi = float(block.min()), float(block.max())
        if (
            spec.dtype != "int"
            and max(-lo, hi) < SOLVER_INFINITY
            and (spec.min_value is None or lo >= spec.min_value)
            and (spec.max_value is None or hi <= spec.max_value)
        ):
            return ""
    finite = block[np.isfinite(block)]
    if np.isnan(block).any():
        return "undefined (a blank value cannot be added to or multiplied: use set)"
    if not unlimited and np.isinf(block).any():
        return "infinite, but it takes finite numbers only"
    if finite.size and float(np.abs(finite).max()) >= SOLVER_INFINITY:
        return f"{float(finite[np.argmax(np.abs(finite))]):g}, which the solver treats as infinite (at most {SOLVER_INFINITY:g})"
    if spec.dtype == "int" and not np.all(np.isclose(finite, np.rint(finite), rtol=0.0, atol=1e-9)):
        bad = finite[~np.isclose(finite, np.rint(finite), rtol=0.0, atol=1e-9)][0]
        return f"{bad:g}, but it takes whole numbers only"
    if spec.min_value is not None and (block < spec.min_value).any():
        return f"{float(block.min()):g}, below its minimum {spec.min_value:g}"
    if spec.max_value is not None and (block > spec.max_value).any():
        return f"{float(block.max()):g}, above its maximum {spec.max_value:g}"
    return ""


PERIOD_TABLES = (
    "Products",
    "Processes",
    "Lanes",
    "Contracts",
    "Demand",
    "Inventory",
    "ExportControls",
    "Sites",
    "CapacityOptions",
    "SourcingRules",
    "Groups",
    "Periods",
    "ProcessFlows",
)
"""Tables whose per-period columns become :class:`PeriodParams` (and ScenarioChanges may change)."""


def _period_frames(
    data: InputData, indexed: dict[str, pd.DataFrame] | None = None
) -> dict[str, pd.DataFrame]:
    """The tables of :data:`PERIOD_TABLES`, indexed as :func:`build_network` indexes them."""
    indexed = indexed or {}
    keys = {
        "Sites": "site",
        "Products": "product",
        "Processes": "process",
        "Lanes": "lane",
        "Contracts": "contract",
        "CapacityOptions": "option",
        "SourcingRules": "rule",
    }
    frames: dict[str, pd.DataFrame] = {}
    for name in PERIOD_TABLES:
        if name in indexed:
            frames[name] = indexed[name]
        elif name in keys:
            frames[name] = _index(data[name], keys[name])
        elif name == "Demand":
            frames[name] = data[name].reset_index(drop=True)
        elif name == "Inventory":
            frames[name] = data[name].set_index(["site", "product"], drop=False)
        else:
            frames[name] = data[name]
    return frames


def _period_params(frames: dict[str, pd.DataFrame], n: int) -> dict[tuple[str, str], PeriodParams]:
    """Every per-period column of ``frames`` expanded to ``(rows, n)`` arrays (before scenario changes)."""
    params: dict[tuple[str, str], PeriodParams] = {}
    for name, frame in frames.items():
        spec = TABLES_BY_NAME[name]
        keys: list[Any]
        if name == "Inventory":
            keys = [(str(a), str(b)) for a, b in zip(frame["site"], frame["product"], strict=True)]
        elif name == "Demand":
            keys = list(range(len(frame)))
        elif name == "ExportControls":
            keys = [(str(a), str(b)) for a, b in zip(frame["rule"], frame["product"], strict=True)]
        elif spec.key:
            keys = [str(k) for k in frame[spec.key[0]]]
        else:
            keys = list(range(len(frame)))
        for c in spec.columns:
            if c.per_period:
                params[(name, c.name)] = _expand(frame, keys, c.name, n, name)
    return params


def scenario_change_issues(data: InputData) -> list[Issue]:
    """What :func:`build_network` refuses in ScenarioChanges (a changed value breaking its column's
    rules, a change before the reveal period, ...), each at its ScenarioChanges row; the validator
    calls this on otherwise valid data, so ``planner validate`` refuses what ``planner solve`` would."""
    if data["ScenarioChanges"].empty:
        return []
    periods = [str(p) for p in data["Periods"]["period"]]
    reveal = _period_pos(periods, data.settings.get("reveal_period"), 0)
    scen_df = data["Scenarios"]
    scenarios = [str(s) for s in scen_df["scenario"]] if len(scen_df) else [BASE_SCENARIO]
    reveal2 = _second_reveal(data, periods)
    # the base data are the same in every period, so periods between two change boundaries hold
    # the same values: one column per stretch (20,000 periods need not be 20,000 columns)
    cuts = {0, reveal} | ({reveal2} if reveal2 is not None and reveal2 < len(periods) else set())
    index = _first_positions(periods)
    changes = data["ScenarioChanges"]
    for column, default, shift in (("start_period", 0, 0), ("end_period", len(periods) - 1, 1)):
        for value in set(changes[column].tolist()):
            position = index.get(str(value), default) if not _blank(value) else default
            cuts.add(position + shift)
    column_of = list(np.cumsum([t in cuts for t in range(len(periods))]) - 1)
    frames = _period_frames(data)
    params = _period_params(frames, column_of[-1] + 1 if column_of else 0)
    return _apply_changes(data, params, frames, periods, reveal, scenarios, column_of)


def _second_reveal(data: InputData, periods: list[str]) -> int | None:
    """Position of Settings.reveal_period_2 (None when blank)."""
    value = data.settings.get("reveal_period_2")
    return None if _blank(value) else periods.index(str(value))


def _stage1_groups(data: InputData) -> dict[str, str]:
    """Scenario -> Scenarios.stage1_group (blank = the scenario's own id); {} without the column."""
    scen_df = data["Scenarios"]
    if not len(scen_df) or "stage1_group" not in scen_df.columns:
        return {}
    return {
        str(r.scenario): str(r.scenario) if _blank(r.stage1_group) else str(r.stage1_group).strip()
        for r in scen_df.itertuples(index=False)
    }


def _apply_changes(
    data: InputData,
    params: dict[tuple[str, str], PeriodParams],
    frames: dict[str, pd.DataFrame],
    periods: list[str],
    reveal: int,
    scenarios: list[str],
    column_of: list[int] | None = None,
) -> list[Issue]:
    """Apply ScenarioChanges to ``params`` (in place); return the issues of rows that cannot apply.

    ``column_of[t]`` is the column of the arrays that holds period ``t`` (default: column ``t``);
    :func:`scenario_change_issues` gives periods no change tells apart one column.
    """
    changes = data["ScenarioChanges"]
    issues: list[Issue] = []
    reveal2 = _second_reveal(data, periods)
    groups = _stage1_groups(data)
    shared = {s: sorted(o for o, h in groups.items() if h == g and o != s) for s, g in groups.items()}
    n = len(periods)
    col = column_of if column_of is not None else list(range(n))
    index = _first_positions(periods)
    table_of = {t.lower(): t for t in reversed(list(TABLES_BY_NAME))}  # the first name wins, as before
    matchers: dict[str, FilterIndex] = {}  # one per table, built on first use
    filters: dict[Any, tuple[list[tuple[str, str]], str | None]] = {}  # parse each distinct filter once
    names: dict[Any, str] = {}  # and normalise each distinct column name once
    rows_of: dict[tuple[str, Any], np.ndarray] = {}  # (table, filter) -> positions of the matching rows
    records = _records(changes)
    # base changes (blank scenario) first, so that every scenario starts from the changed base
    ordered = [r for r in records if _blank(r["scenario"])] + [
        r for r in records if not _blank(r["scenario"])
    ]
    for rec in ordered:
        row = SimpleNamespace(**rec)
        base_change = _blank(row.scenario)
        scen = str(row.scenario)
        if not base_change and scen not in scenarios:
            continue
        table = table_of.get(str(row.table).strip().lower())
        if row.column not in names:
            names[row.column] = normalize_name(row.column)
        column = names[row.column]
        excel_row = int(rec[ROW])
        if table is None or (table, column) not in params:
            issues.append(
                Issue("error", "ScenarioChanges", excel_row, "column", row.column, "not a per-period column")
            )
            continue
        start = _period_pos(periods, row.start_period, 0 if base_change else reveal, index)
        end = _period_pos(periods, row.end_period, n - 1, index)
        if not base_change and reveal2 is not None and start < reveal2 and shared.get(scen):
            issues.append(
                Issue(
                    "error",
                    "ScenarioChanges",
                    excel_row,
                    "start_period",
                    row.start_period,
                    f"scenario {scen} shares stage1_group {groups[scen]!r} with {', '.join(shared[scen])}, so "
                    f"it cannot differ from them before Settings.reveal_period_2 {periods[reveal2]}; start the "
                    "change at or after it",
                )
            )
            continue
        if start < reveal and not base_change:
            issues.append(
                Issue(
                    "error",
                    "ScenarioChanges",
                    excel_row,
                    "start_period",
                    row.start_period,
                    f"scenarios cannot differ before the reveal period {periods[reveal]}; "
                    "start the change at or after it, or move Settings.reveal_period earlier",
                )
            )
            continue
        if row.filter not in filters:
            filters[row.filter] = parse_filter(row.filter)
        pairs, syntax = filters[row.filter]
        if syntax:
            issues.append(Issue("error", "ScenarioChanges", excel_row, "filter", row.filter, syntax))
            continue
        if (table, row.filter) not in rows_of:
            if table not in matchers:
                matchers[table] = FilterIndex(frames[table], TABLES_BY_NAME[table])
            rows_of[(table, row.filter)] = np.flatnonzero(matchers[table].mask(pairs))
        mask = rows_of[(table, row.filter)]  # the matching rows, in order
        pp = params[(table, column)]
        if not base_change and scen not in pp.by_scenario:
            pp.by_scenario[scen] = pp.base.copy()
        arr = pp.base if base_change else pp.by_scenario[scen]
        block = arr[mask, col[start] : col[end] + 1]
        value = float(row.value)
        if row.action == "set":
            block[...] = value
        elif row.action == "multiply" and value != 0.0:
            with np.errstate(invalid="ignore", over="ignore"):  # overflow: refused below as infinite
                block *= value
        elif row.action == "multiply":  # 0 x unlimited = 0
            with np.errstate(invalid="ignore"):
                block[...] = np.where(np.isinf(block), 0.0, block * value)
        else:
            with np.errstate(over="ignore"):
                block[...] = block + value
        spec = TABLES_BY_NAME[table].column(column)
        problem = _changed_value_problem(spec, block, (table, column) in UNLIMITED_COLUMNS)
        if problem:
            issues.append(
                Issue(
                    "error",
                    "ScenarioChanges",
                    excel_row,
                    "value",
                    row.value,
                    f"{row.action} {row.value:g} makes {table}.{column} {problem}; change the value or the action",
                )
            )
            continue
        if spec.dtype == "int":
            block = np.rint(block)
        arr[mask, col[start] : col[end] + 1] = block
    return issues


def conditional_probabilities(prob: dict[str, float], chosen: list[str]) -> dict[str, float]:
    """Probabilities of ``chosen`` given that one of them happens: each over their sum."""
    total = sum(prob[s] for s in chosen)
    if total <= 0:
        raise InputError("the chosen scenarios have zero total probability")
    return {s: prob[s] / total for s in chosen}


def build_network(data: InputData, scenarios: list[str] | None = None) -> Network:
    """Derive sets and per-period, per-scenario parameters from validated tables.

    ``scenarios`` restricts the scenario set (e.g. one scenario for mpi-sppy); the
    probabilities are then renormalised to sum to 1.
    """
    st = data.settings
    periods = [str(p) for p in data["Periods"]["period"]]
    n = len(periods)
    reveal = _period_pos(periods, st.get("reveal_period"), 0)

    scen_df = data["Scenarios"]
    if len(scen_df):
        all_scen = [str(s) for s in scen_df["scenario"]]
        prob = {str(r.scenario): float(r.probability) for r in scen_df.itertuples(index=False)}
    else:
        all_scen = [BASE_SCENARIO]
        prob = {BASE_SCENARIO: 1.0}
    chosen = all_scen if scenarios is None else list(scenarios)
    unknown = [s for s in chosen if s not in prob]
    if unknown:
        raise InputError(f"unknown scenario(s): {', '.join(unknown)}; the workbook has {', '.join(all_scen)}")
    probability = conditional_probabilities(prob, chosen)

    # period lengths and weights w_t = length_t / reference length
    reference = float(st["period_length_days"])
    period_days = period_lengths(data)
    period_weight = [d / reference for d in period_days]
    # discounting: cost of period t divided by (1+r)^(years from the start of the horizon to the start of t);
    # the elapsed reference periods times the reference length (t * l / 365.25 exactly when all w_t = 1)
    years_per_period = reference / 365.25
    elapsed = [0.0]
    for w in period_weight[:-1]:
        elapsed.append(elapsed[-1] + w)
    period_years = [e * years_per_period for e in elapsed[:n]]
    rate = float(st["discount_rate"])
    discount = [1.0 / (1.0 + rate) ** y for y in period_years]

    sites = _index(data["Sites"], "site")
    products = _index(data["Products"], "product")
    processes = _index(data["Processes"], "process")
    lanes = _index(data["Lanes"], "lane")
    contracts = _index(data["Contracts"], "contract")
    demand = data["Demand"].reset_index(drop=True)
    inventory = data["Inventory"].set_index(["site", "product"], drop=False)
    options = _index(data["CapacityOptions"], "option")
    sourcing = _index(data["SourcingRules"], "rule")

    groups: dict[str, set[str]] = defaultdict(set)
    group_kind: dict[str, str] = {}
    for g in data["Groups"].itertuples(index=False):
        groups[str(g.group)].add(str(g.member))
        group_kind[str(g.group)] = str(g.kind)

    recipe_in: dict[str, list[tuple[str, float]]] = {str(p): [] for p in processes.index}
    recipe_out: dict[str, list[tuple[str, float]]] = {str(p): [] for p in processes.index}
    for f in data["ProcessFlows"].itertuples(index=False):
        target = recipe_in if f.direction == "in" else recipe_out
        target[str(f.process)].append((str(f.product), float(f.quantity)))

    process_sites: list[tuple[str, str]] = []
    for pr in processes.itertuples(index=False):
        if not _blank(pr.site):
            process_sites.append((str(pr.site), str(pr.process)))
        else:
            for s in sites.itertuples(index=False):
                if s.type == pr.site_type:
                    process_sites.append((str(s.site), str(pr.process)))

    site_first_period = {
        str(s.site): _period_pos(periods, s.earliest_period, 0) for s in sites.itertuples(index=False)
    }
    gated_sites = [
        str(s.site) for s in sites.itertuples(index=False) if s.status == "candidate" or bool(s.closable)
    ]
    wait_options = {str(o.option) for o in options.itertuples(index=False) if decided_at_reveal(o)}
    wait_lanes = {
        str(ln.lane)
        for ln in lanes.itertuples(index=False)
        if bool(ln.qualification) and decided_at_reveal(ln)
    }
    wait_rules = {
        str(r.rule)
        for r in sourcing.itertuples(index=False)
        if bool(r.single_source) and not _blank(r.destination) and decided_at_reveal(r)
    }
    wait_contracts = {str(c.contract) for c in contracts.itertuples(index=False) if decided_at_reveal(c)}
    sell_contracts = {
        str(c.contract)
        for c in contracts.itertuples(index=False)
        if not _blank(getattr(c, "side", "buy")) and str(c.side).strip() == "sell"
    }
    option_available = {}
    for o in options.itertuples(index=False):
        earliest = _period_pos(periods, o.earliest_period, 0)
        # a build decided at the reveal counts its lead time from the reveal period
        lead = int(o.lead_time) + (reveal if str(o.option) in wait_options else 0)
        option_available[str(o.option)] = max(earliest, lead, site_first_period[str(o.site)])

    product_ids = [str(p) for p in products.index]
    holdable = reachable_pairs(data)

    lane_products: dict[str, list[str]] = {}
    for ln in lanes.itertuples(index=False):
        prods = id_list(ln.product) or product_ids
        lane_products[str(ln.lane)] = [p for p in prods if (str(ln.origin), p) in holdable]

    # per-period parameters
    frames = _period_frames(
        data,
        {
            "Products": products,
            "Processes": processes,
            "Lanes": lanes,
            "Contracts": contracts,
            "Demand": demand,
            "Inventory": inventory,
            "Sites": sites,
            "CapacityOptions": options,
            "SourcingRules": sourcing,
        },
    )
    params = _period_params(frames, n)
    issues = _apply_changes(data, params, frames, periods, reveal, chosen)
    reveal2 = _second_reveal(data, periods)
    stage1_group = _stage1_groups(data) if reveal2 is not None else {}
    tree_member: dict[str, str] = {}
    for s in chosen:
        label = stage1_group.get(s, s)
        if label != s:
            tree_member.setdefault(label, s)
    if issues:
        raise InputError("scenario changes cannot be applied", issues)
    _scale_by_length(params, period_weight)

    return Network(
        data=data,
        periods=periods,
        reveal=reveal,
        scenarios=chosen,
        probability=probability,
        discount=discount,
        period_years=period_years,
        settings=dict(st),
        sites=sites,
        products=products,
        processes=processes,
        lanes=lanes,
        contracts=contracts,
        demand=demand,
        inventory=inventory,
        options=options,
        sourcing=sourcing,
        groups=dict(groups),
        group_kind=group_kind,
        process_sites=process_sites,
        recipe_in=recipe_in,
        recipe_out=recipe_out,
        lane_products=lane_products,
        holdable=holdable,
        gated_sites=gated_sites,
        params=params,
        option_available=option_available,
        site_first_period=site_first_period,
        period_days=period_days,
        period_weight=period_weight,
        year_ahead=year_ahead_periods(period_days),
        wait_options=wait_options,
        wait_lanes=wait_lanes,
        wait_rules=wait_rules,
        wait_contracts=wait_contracts,
        sell_contracts=sell_contracts,
        reveal2=reveal2,
        stage1_group=stage1_group,
        tree_member=tree_member,
    )


def expected_value_network(net: Network, label: str = "EV") -> Network:
    """The expected-value problem: one scenario whose parameters are probability-weighted means.

    Whole-period parameters (transit times) are rounded to the nearest period; review times keep their fraction.
    """
    import copy

    ev = copy.copy(net)
    ev.scenarios = [label]
    ev.probability = {label: 1.0}
    ev.reveal2, ev.stage1_group, ev.tree_member = None, {}, {}  # one scenario: no tree
    new_params: dict[tuple[str, str], PeriodParams] = {}
    for key, pp in net.params.items():
        acc = np.zeros_like(pp.base)
        for s in net.scenarios:
            arr = pp.for_scenario(s)
            with np.errstate(invalid="ignore"):
                acc = acc + net.probability[s] * np.where(np.isinf(arr), np.inf, arr)
        if TABLES_BY_NAME[key[0]].column(key[1]).dtype == "int":
            acc = np.rint(acc)
        q = PeriodParams(keys=pp.keys, base=pp.base, by_scenario={label: acc})
        new_params[key] = q
    ev.params = new_params
    return ev
