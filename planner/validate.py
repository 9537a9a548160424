"""Validation of InputData: every rule is one small ``check_*`` function.

Each ``check_xxx(data) -> list[Issue]`` looks at one rule and returns what it
found; none of them raises. :func:`validate` runs them all and returns the
reader's issues followed by the checks' issues; :func:`check` raises one
:class:`~planner.errors.InputError` listing every error (and, when strict, every
warning). Rows are Excel row numbers (``_row``), so each Issue points at the cell
a user has to fix, and each message says what to do.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from planner.config import OPTION_FLAGS, option_problem
from planner.errors import InputError, Issue
from planner.scenarios import FilterIndex, parse_filter
from planner.schema import (
    HIGHS_PREFIX,
    HIGHS_SETTINGS,
    SETTINGS,
    TABLES,
    ColumnSpec,
    TableSpec,
    id_list,
    normalize_name,
)
from planner.tables import ROW, InputData
from planner.validate_common import did_you_mean as _did_you_mean
from planner.validate_common import err as _err
from planner.validate_common import ids as _ids
from planner.validate_common import is_blank
from planner.validate_common import period_index as _period_index
from planner.validate_common import periods as _periods
from planner.validate_common import process_sites as _process_sites
from planner.validate_common import row as _row
from planner.validate_common import rows as _rows
from planner.validate_common import warn as _warn
from planner.validate_plausible import check_plausible, period_from_date

logger = logging.getLogger(__name__)

Check = Callable[[InputData], list[Issue]]

PROBABILITY_TOLERANCE = 1e-6


# ---------------------------------------------------------------------------------------------
# helpers


def _order_problem(
    data: InputData,
    sheet: str,
    record: dict[Any, Any],
    start: str = "start_period",
    end: str = "end_period",
    index: dict[str, int] | None = None,
) -> Issue | None:
    """``start`` after ``end`` in ``record``; ``index`` is :func:`_period_index` of ``data`` (computed when None)."""
    index = _period_index(data) if index is None else index
    a, b = record.get(start), record.get(end)
    if is_blank(a) or is_blank(b) or a not in index or b not in index:
        return None
    if index[str(a)] > index[str(b)]:
        return _err(
            sheet,
            _row(record),
            start,
            a,
            f"{start} {a!r} is after {end} {b!r}; swap them or fix the period (Periods row order is time order)",
            "period_order",
        )
    return None


_SINGULAR = {
    "Sites": "site",
    "Products": "product",
    "Processes": "process",
    "Groups": "group",
    "Scenarios": "scenario",
    "Periods": "period",
}


# ---------------------------------------------------------------------------------------------
# generic checks (driven by the schema)


def _reader_located(data: InputData) -> set[tuple[str, int | None, str | None]]:
    return {(i.sheet, i.row, i.column) for i in data.issues}


def check_required_tables(data: InputData) -> list[Issue]:
    """Periods, Products and Sites (every TableSpec.required) must have rows."""
    already = {i.sheet for i in data.issues if i.code == "missing_sheet"}
    out = []
    for spec in TABLES:
        if spec.required and spec.name not in already and data.tables[spec.name].empty:
            out.append(
                _err(
                    spec.name,
                    None,
                    None,
                    None,
                    f"{spec.name} has no rows; add at least one {_SINGULAR.get(spec.name, 'row')} "
                    f"({spec.description.rstrip('.')})",
                    "empty_table",
                )
            )
    return out


def check_column_values(data: InputData) -> list[Issue]:
    """Required cells filled, values within ``allowed`` and [min_value, max_value], numbers finite.

    The reader already checks cells it reads (and blanks the bad ones); this check
    covers data built in code (``from_records``) and skips cells the reader reported.
    """
    reported = _reader_located(data)
    out: list[Issue] = []
    for spec in TABLES:
        frame = data.tables[spec.name]
        if frame.empty:
            continue
        rows = frame[ROW].tolist()
        for c in spec.all_columns:
            if c.name not in frame.columns:
                continue
            for excel_row, value in zip(rows, frame[c.name].tolist(), strict=True):
                if (spec.name, excel_row, c.name) in reported:
                    continue
                problem = _value_problem(c, value)
                if problem:
                    out.append(_err(spec.name, excel_row, c.name, value, problem, "bad_value"))
    return out


def _value_problem(c: ColumnSpec, value: Any) -> str | None:
    if is_blank(value):
        if c.required:
            return f"required cell is blank; fill in {c.name} ({c.description.rstrip('.')})"
        return None
    if c.dtype in ("float", "int"):
        number = float(value)
        if not math.isfinite(number):
            return "expected a finite number (not NaN/inf); leave the cell blank for unlimited where allowed"
        if c.dtype == "int" and not number.is_integer():
            return "expected a whole number"
        if c.min_value is not None and number < c.min_value:
            return f"expected a number >= {c.min_value:g}" if c.min_value <= 0 else "expected a number > 0"
        if c.max_value is not None and number > c.max_value:
            hint = ""
            if c.max_value == 1.0 and 1.0 < number <= 100.0:
                hint = f" - a share, not a percentage: did you mean {number / 100:g}?"
            return f"expected a number <= {c.max_value:g}{hint}"
        return None
    if c.allowed and c.dtype in ("str", "period") and str(value) not in c.allowed:
        return (
            "expected one of " + ", ".join(repr(a) for a in c.allowed if a) + _did_you_mean(value, c.allowed)
        )
    return None


def check_duplicate_keys(data: InputData) -> list[Issue]:
    """Each TableSpec.key identifies one row; Settings keys are compared normalised."""
    out: list[Issue] = []
    for spec in TABLES:
        frame = data.tables[spec.name]
        if not spec.key or frame.empty:
            continue
        first: dict[tuple[str, ...], int | None] = {}
        for record in frame.to_dict("records"):
            parts = [record[k] for k in spec.key]
            if any(is_blank(p) for p in parts):
                continue
            key = tuple(normalize_name(p) if spec.name == "Settings" else str(p) for p in parts)
            if key in first:
                shown = ", ".join(f"{k}={record[k]!r}" for k in spec.key)
                out.append(
                    _err(
                        spec.name,
                        _row(record),
                        spec.key[0],
                        record[spec.key[0]],
                        f"duplicate {shown}: already on row {first[key]}; keep one row or change the id",
                        "duplicate_key",
                    )
                )
            else:
                first[key] = _row(record)
    return out


def check_references(data: InputData) -> list[Issue]:
    """Every ColumnSpec.ref value must exist in the referenced table."""
    out: list[Issue] = []
    for spec in TABLES:
        frame = data.tables[spec.name]
        if frame.empty:
            continue
        for c in spec.all_columns:
            if not c.ref:
                continue
            ref_table, ref_col = c.ref.split(".")
            known = _ids(data, ref_table, ref_col)
            noun = _SINGULAR.get(ref_table, ref_col)
            for excel_row, cell in zip(frame[ROW].tolist(), frame[c.name].tolist(), strict=True):
                if is_blank(cell):
                    continue
                for value in id_list(cell) if c.many else [cell]:
                    if str(value) in known:
                        continue
                    out.append(
                        _err(
                            spec.name,
                            int(excel_row),
                            c.name,
                            value,
                            f"unknown {noun} {value!r}{' in the list ' + repr(cell) if c.many else ''} (not in "
                            f"{c.ref}); add the {noun} to {ref_table} or fix the spelling."
                            f"{_did_you_mean(value, known)}",
                            "unknown_reference",
                        )
                    )
    return out


def check_period_references(data: InputData) -> list[Issue]:
    """Every period-typed column must name a Periods.period."""
    periods = set(_periods(data))
    if not periods:
        return []  # reported by check_required_tables
    out: list[Issue] = []
    for spec in TABLES:
        frame = data.tables[spec.name]
        if frame.empty:
            continue
        for c in spec.all_columns:
            if c.dtype != "period":
                continue
            for excel_row, value in zip(frame[ROW].tolist(), frame[c.name].tolist(), strict=True):
                if is_blank(value) or str(value) in periods:
                    continue
                mapped = period_from_date(value, data)
                hint = (
                    f" It looks like a date: the period that holds it is {mapped!r} (Periods.start_date); enter {mapped!r}."
                    if mapped
                    else _did_you_mean(value, periods)
                )
                out.append(
                    _err(
                        spec.name,
                        int(excel_row),
                        c.name,
                        value,
                        f"unknown period {value!r}; use a period listed in Periods.{hint}",
                        "unknown_period",
                    )
                )
    return out


# ---------------------------------------------------------------------------------------------
# groups


def check_groups(data: InputData) -> list[Issue]:
    """A group holds one kind; site members must be Sites; country members should be used by a site."""
    out: list[Issue] = []
    sites = _ids(data, "Sites", "site")
    countries = _ids(data, "Sites", "country")
    kind_of: dict[str, tuple[str, int | None]] = {}
    for record in _rows(data, "Groups"):
        group, kind, member = record["group"], record["kind"], record["member"]
        if is_blank(group) or is_blank(kind):
            continue
        if group in kind_of and kind_of[group][0] != kind:
            first_kind, first_row = kind_of[group]
            out.append(
                _err(
                    "Groups",
                    _row(record),
                    "kind",
                    kind,
                    f"group {group!r} mixes kinds: row {first_row} says {first_kind!r}; "
                    "a group holds only countries or only sites (make two groups)",
                    "group_mixed_kinds",
                )
            )
            continue
        kind_of.setdefault(group, (kind, _row(record)))
        if is_blank(member):
            continue
        if kind == "site" and member not in sites:
            out.append(
                _err(
                    "Groups",
                    _row(record),
                    "member",
                    member,
                    f"group {group!r} is of kind 'site' but {member!r} is not in Sites.site; add the site "
                    f"to Sites or fix the spelling.{_did_you_mean(member, sites)}",
                    "unknown_reference",
                )
            )
        elif kind == "country" and member not in countries:
            out.append(
                _warn(
                    "Groups",
                    _row(record),
                    "member",
                    member,
                    f"no site is in country {member!r}, so this member has no effect; check the country "
                    f"code against Sites.country.{_did_you_mean(member, countries)}",
                    "unused_country",
                )
            )
    return out


def _group_kinds(data: InputData) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for record in _rows(data, "Groups"):
        if not is_blank(record["group"]) and not is_blank(record["kind"]):
            kinds.setdefault(record["group"], record["kind"])
    return kinds


# ---------------------------------------------------------------------------------------------
# processes and capacity


def check_process_location(data: InputData) -> list[Issue]:
    """Exactly one of Processes.site and Processes.site_type must be given."""
    out: list[Issue] = []
    for record in _rows(data, "Processes"):
        has_site, has_type = not is_blank(record["site"]), not is_blank(record["site_type"])
        if has_site and has_type:
            out.append(
                _err(
                    "Processes",
                    _row(record),
                    "site_type",
                    record["site_type"],
                    f"give either site ({record['site']!r}) or site_type, not both; clear one of them",
                    "process_location",
                )
            )
        elif not has_site and not has_type:
            out.append(
                _err(
                    "Processes",
                    _row(record),
                    "site",
                    None,
                    "the process runs nowhere; give the site that runs it, or a site_type to run it at "
                    "every site of that type",
                    "process_location",
                )
            )
    return out


def check_process_outputs(data: InputData) -> list[Issue]:
    """Every process needs at least one ``out`` row in ProcessFlows."""
    with_output = {
        r["process"]
        for r in _rows(data, "ProcessFlows")
        if r["direction"] == "out" and not is_blank(r["process"])
    }
    return [
        _err(
            "Processes",
            _row(r),
            "process",
            r["process"],
            "recipe has no output; add a ProcessFlows row with this process and direction 'out'",
            "no_output",
        )
        for r in _rows(data, "Processes")
        if not is_blank(r["process"]) and r["process"] not in with_output
    ]


def check_candidate_capacity(data: InputData) -> list[Issue]:
    """A process that can run at a candidate or closable site needs a finite capacity."""
    candidates = {
        r["site"] for r in _rows(data, "Sites") if r["status"] == "candidate" or bool(r["closable"])
    }
    if not candidates:
        return []
    sites_of = _process_sites(data)
    out: list[Issue] = []
    for record in _rows(data, "Processes"):
        at = sites_of.get(record["process"], set()) & candidates
        if at and is_blank(record["capacity"]):
            out.append(
                _err(
                    "Processes",
                    _row(record),
                    "capacity",
                    None,
                    f"the process can run at candidate or closable site(s) {', '.join(sorted(at))}: such a site "
                    "needs a finite capacity so the model can tie it to the open decision; give capacity",
                    "candidate_capacity",
                )
            )
    return out


def check_capacity_options(data: InputData) -> list[Issue]:
    """A capacity option's process must run at the option's site."""
    sites_of = _process_sites(data)
    out: list[Issue] = []
    for record in _rows(data, "CapacityOptions"):
        process, site = record["process"], record["site"]
        if is_blank(process) or is_blank(site) or process not in sites_of:
            continue  # unknown ids are reported by check_references
        if site not in sites_of[process]:
            where = ", ".join(sorted(sites_of[process])) or "no site"
            out.append(
                _err(
                    "CapacityOptions",
                    _row(record),
                    "site",
                    site,
                    f"process {process!r} does not run at site {site!r} (it runs at {where}); pick one of "
                    "those sites or change the process's site/site_type",
                    "option_site",
                )
            )
    return out


def check_disruptions(data: InputData) -> list[Issue]:
    """A disruption's targets ('+'-joined) are sites, countries some site is in, or export rules, as its kind says."""
    targets = {
        "site": _ids(data, "Sites", "site"),
        "country": _ids(data, "Sites", "country"),
        "licence": _ids(data, "ExportControls", "rule"),
    }
    what = {
        "site": "a site id from Sites",
        "country": "a country of some site",
        "licence": "a rule id from ExportControls",
    }
    out: list[Issue] = []
    for record in _rows(data, "Disruptions"):
        kind, target = record["kind"], record["target"]
        if is_blank(target) or kind not in targets:
            continue
        for part in (p.strip() for p in str(target).split("+")):
            if part in targets[kind]:
                continue
            out.append(
                _err(
                    "Disruptions",
                    _row(record),
                    "target",
                    target,
                    f"{part!r}: a {kind} disruption needs {what[kind]}{_did_you_mean(part, targets[kind])} "
                    "(join several with +)",
                    "disruption_target",
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# lanes, contracts, inventory, rules


def check_lanes(data: InputData) -> list[Issue]:
    """A lane joins two different sites; a lane needing qualification needs a capacity."""
    out: list[Issue] = []
    for record in _rows(data, "Lanes"):
        if not is_blank(record["origin"]) and record["origin"] == record["destination"]:
            out.append(
                _err(
                    "Lanes",
                    _row(record),
                    "destination",
                    record["destination"],
                    "origin and destination are the same site; a lane must join two different sites "
                    "(use Inventory to store at one site)",
                    "lane_loop",
                )
            )
        if bool(record["qualification"]) and is_blank(record["capacity"]):
            out.append(
                _err(
                    "Lanes",
                    _row(record),
                    "capacity",
                    None,
                    "the lane needs qualification, so it needs a finite capacity to tie to the qualify "
                    "decision; give the most the lane could carry per period",
                    "qualification_capacity",
                )
            )
        if record.get("decide") == "at_reveal" and not bool(record["qualification"]):
            out.append(
                _warn(
                    "Lanes",
                    _row(record),
                    "decide",
                    "at_reveal",
                    "the lane needs no qualification, so there is nothing to decide at the reveal; clear decide "
                    "or set qualification to TRUE",
                    "nothing_to_decide",
                )
            )
    return out


CONTRACT_NEEDS_MAX = {
    "sell_max": "a sale (side = sell) needs the most the buyer takes per period: an unlimited revenue "
    "could be earned without end by buying and selling; give the market's or the offtaker's volume",
    "wait_contract_max": "the contract is signed at the reveal (decide = at_reveal), so it needs a finite "
    "maximum to tie its purchases to the signing decision; give the most it could supply per period",
}
"""Why a contract needs max_per_period (one error per blank maximum): a sale, or a signing at the reveal."""


def check_contracts(data: InputData) -> list[Issue]:
    """Contract minimum <= maximum, start_period not after end_period; a contract signed at the reveal
    needs a maximum; a sale (side sell) needs a maximum (an unlimited revenue next to an unlimited
    purchase would make the plan unbounded) and cannot be 'pay'."""
    out: list[Issue] = []
    for record in _rows(data, "Contracts"):
        sale = record.get("side") == "sell"
        code = "sell_max" if sale else "wait_contract_max" if record.get("decide") == "at_reveal" else None
        if code and is_blank(record["max_per_period"]):
            out.append(
                _err("Contracts", _row(record), "max_per_period", None, CONTRACT_NEEDS_MAX[code], code)
            )
        if sale and record.get("take_or_pay") == "pay":
            out.append(
                _err(
                    "Contracts",
                    _row(record),
                    "take_or_pay",
                    "pay",
                    "a sale (side = sell) cannot be 'pay': its minimum is what must be delivered; use "
                    "'take' (or leave blank)",
                    "sell_pay",
                )
            )
        lo, hi = record["min_per_period"], record["max_per_period"]
        if not is_blank(lo) and not is_blank(hi) and lo > hi:
            out.append(
                _err(
                    "Contracts",
                    _row(record),
                    "min_per_period",
                    lo,
                    f"min_per_period {lo:g} is above max_per_period {hi:g}; lower the minimum or raise the maximum",
                    "min_above_max",
                )
            )
        problem = _order_problem(data, "Contracts", record)
        if problem:
            out.append(problem)
    return out


def check_inventory(data: InputData) -> list[Issue]:
    """Inventory min_stock, initial_stock and end_stock_min must not exceed max_stock."""
    out: list[Issue] = []
    for record in _rows(data, "Inventory"):
        hi = record["max_stock"]
        if is_blank(hi):
            continue
        for col in ("min_stock", "initial_stock", "end_stock_min"):
            value = record[col]
            if not is_blank(value) and value > hi:
                out.append(
                    _err(
                        "Inventory",
                        _row(record),
                        col,
                        value,
                        f"{col} {value:g} is above max_stock {hi:g}; lower {col} or raise max_stock",
                        "stock_above_max",
                    )
                )
    return out


def check_sourcing_rules(data: InputData) -> list[Issue]:
    """single_source needs a destination; decide = at_reveal only on a single_source rule (warning)."""
    out = [
        _err(
            "SourcingRules",
            _row(r),
            "destination",
            None,
            "single_source needs a destination: name the receiving site that must buy from one origin",
            "single_source_destination",
        )
        for r in _rows(data, "SourcingRules")
        if bool(r["single_source"]) and is_blank(r["destination"])
    ]
    out += [
        _warn(
            "SourcingRules",
            _row(r),
            "decide",
            "at_reveal",
            "only a single_source assignment can wait for the reveal (a share cap has no decision); clear "
            "decide or set single_source to TRUE",
            "nothing_to_decide",
        )
        for r in _rows(data, "SourcingRules")
        if r.get("decide") == "at_reveal" and not bool(r["single_source"])
    ]
    return out


def check_content_demand(data: InputData) -> list[Issue]:
    """Demand.no_controlled_content needs a content rule: without a content_threshold on some
    ExportControls row, material carries no origin tag and the limit could not be enforced."""
    if any(not is_blank(r["content_threshold"]) for r in _rows(data, "ExportControls")):
        return []
    return [
        _err(
            "Demand",
            _row(r),
            "no_controlled_content",
            r["no_controlled_content"],
            "no ExportControls row has a content_threshold, so the model cannot tell controlled content "
            "from free material; give the controlling country's content rule a content_threshold (e.g. "
            "0.001 for the 0.1% rule) or clear this cell",
            "content_limit_without_rule",
        )
        for r in _rows(data, "Demand")
        if bool(r["no_controlled_content"])
    ]


def check_export_controls(data: InputData) -> list[Issue]:
    """Controlling country used by a site (warning); destination group of kind country; periods ordered."""
    countries = _ids(data, "Sites", "country")
    kinds = _group_kinds(data)
    out: list[Issue] = []
    for record in _rows(data, "ExportControls"):
        country = record["country"]
        if not is_blank(country) and country not in countries:
            out.append(
                _warn(
                    "ExportControls",
                    _row(record),
                    "country",
                    country,
                    f"no site is in country {country!r}, so this rule controls nothing; check the country "
                    f"code against Sites.country.{_did_you_mean(country, countries)}",
                    "unused_country",
                )
            )
        group = record["destination_group"]
        if not is_blank(group) and kinds.get(group, "country") != "country":
            out.append(
                _err(
                    "ExportControls",
                    _row(record),
                    "destination_group",
                    group,
                    f"group {group!r} is of kind {kinds[group]!r}; destination_group must be a group of kind "
                    "'country'",
                    "group_kind",
                )
            )
        problem = _order_problem(data, "ExportControls", record)
        if problem:
            out.append(problem)
    return out


# ---------------------------------------------------------------------------------------------
# scenarios


def check_scenario_probabilities(data: InputData) -> list[Issue]:
    """Scenario probabilities sum to 1 (when there are scenarios)."""
    frame = data.tables["Scenarios"]
    if frame.empty:
        return []
    total = float(frame["probability"].fillna(0.0).sum())
    if abs(total - 1.0) <= PROBABILITY_TOLERANCE:
        return []
    return [
        _err(
            "Scenarios",
            None,
            "probability",
            round(total, 9),
            f"scenario probabilities sum to {total:.6g}, not 1; adjust them so they add up to 1",
            "probability_sum",
        )
    ]


def _stage1_groups(data: InputData) -> dict[str, str]:
    """Scenario -> its Scenarios.stage1_group label (blank = the scenario's own id)."""
    out: dict[str, str] = {}
    for record in _rows(data, "Scenarios"):
        if is_blank(record.get("scenario")):
            continue
        label = record.get("stage1_group")
        out[str(record["scenario"])] = str(record["scenario"]) if is_blank(label) else str(label).strip()
    return out


def check_scenario_tree(data: InputData) -> list[Issue]:
    """A three-stage tree: Settings.reveal_period_2 after reveal_period, and Scenarios.stage1_group labels
    that name no other scenario (nor ROOT) and are only given with reveal_period_2."""
    out: list[Issue] = []
    index = _period_index(data)
    settings_rows = {
        normalize_name(r["setting"]): _row(r) for r in _rows(data, "Settings") if not is_blank(r["setting"])
    }
    reveal, reveal2 = data.settings.get("reveal_period"), data.settings.get("reveal_period_2")
    if not is_blank(reveal2):
        if str(reveal2) not in index:
            out.append(
                _err(
                    "Settings",
                    settings_rows.get("reveal_period_2"),
                    "value",
                    reveal2,
                    f"reveal_period_2 {reveal2!r} is not a period; use a period listed in Periods."
                    f"{_did_you_mean(reveal2, list(index))}",
                    "unknown_period",
                )
            )
        elif is_blank(reveal) or (str(reveal) in index and index[str(reveal2)] <= index[str(reveal)]):
            out.append(
                _err(
                    "Settings",
                    settings_rows.get("reveal_period_2"),
                    "value",
                    reveal2,
                    f"reveal_period_2 {reveal2!r} must come after reveal_period "
                    f"{'(blank = the first period)' if is_blank(reveal) else repr(reveal)}: the second reveal "
                    "tells apart the scenarios of a stage1_group after the first reveal; set reveal_period "
                    "earlier or reveal_period_2 later",
                    "reveal_order",
                )
            )
    scenarios = {str(r["scenario"]) for r in _rows(data, "Scenarios") if not is_blank(r.get("scenario"))}
    for record in _rows(data, "Scenarios"):
        label = record.get("stage1_group")
        if is_blank(label) or is_blank(record.get("scenario")):
            continue
        label = str(label).strip()
        if is_blank(reveal2):
            out.append(
                _err(
                    "Scenarios",
                    _row(record),
                    "stage1_group",
                    label,
                    "stage1_group needs Settings.reveal_period_2 (the period from which the scenarios of a "
                    "group are told apart); add that setting or clear stage1_group",
                    "tree_without_reveal_2",
                )
            )
        elif label == "ROOT" or (label in scenarios and label != str(record["scenario"])):
            out.append(
                _err(
                    "Scenarios",
                    _row(record),
                    "stage1_group",
                    label,
                    f"stage1_group {label!r} is {'reserved' if label == 'ROOT' else 'the id of another scenario'}; "
                    "give the group a label of its own (e.g. TENSE for TENSE_OK and TENSE_BAN)",
                    "tree_label",
                )
            )
    return out


def _shared_group_change(data: InputData, record: dict[Any, Any]) -> Issue | None:
    """A scenario change before reveal_period_2 on a scenario that shares its stage1_group."""
    if is_blank(record.get("scenario")) or is_blank(data.settings.get("reveal_period_2")):
        return None
    index = _period_index(data)
    reveal2 = str(data.settings["reveal_period_2"])
    groups = _stage1_groups(data)
    scenario = str(record["scenario"])
    if reveal2 not in index or scenario not in groups:
        return None
    mates = sorted(s for s, g in groups.items() if g == groups[scenario] and s != scenario)
    start = record.get("start_period")
    if not mates or (not is_blank(start) and str(start) in index and index[str(start)] >= index[reveal2]):
        return None
    return _err(
        "ScenarioChanges",
        _row(record),
        "start_period",
        start,
        f"scenario {scenario} shares stage1_group {groups[scenario]!r} with {', '.join(mates)}, so it cannot "
        f"differ from them before Settings.reveal_period_2 {reveal2!r}; start the change at or after it "
        "(blank start_period = the first reveal)",
        "change_before_reveal",
    )


def _changeable_columns(spec: TableSpec) -> list[str]:
    return [c.name for c in spec.all_columns if c.per_period]


def _before_reveal(
    data: InputData, record: dict[Any, Any], index: dict[str, int] | None = None
) -> Issue | None:
    if is_blank(record.get("scenario")):
        return None  # a change of the base data (every scenario) may start in any period
    index = _period_index(data) if index is None else index
    reveal, start = data.settings.get("reveal_period"), record.get("start_period")
    if is_blank(reveal) or is_blank(start) or reveal not in index or start not in index:
        return None
    if index[start] >= index[reveal]:
        return None
    return _err(
        "ScenarioChanges",
        _row(record),
        "start_period",
        start,
        f"start_period {start!r} is before Settings.reveal_period {reveal!r}; scenarios cannot differ before "
        "the scenario is known: start the change at the reveal period or move reveal_period earlier",
        "change_before_reveal",
    )


def check_scenario_changes(data: InputData) -> list[Issue]:
    """ScenarioChanges name a real table, a per-period column, a matching filter and ordered periods."""
    index = _period_index(data)
    target = _ChangeTargets(data)
    out: list[Issue] = []
    for record in _rows(data, "ScenarioChanges"):
        row = _row(record)
        problem = _order_problem(data, "ScenarioChanges", record, index=index)
        if problem:
            out.append(problem)
        early = _before_reveal(data, record, index) or _shared_group_change(data, record)
        if early:
            out.append(early)
        for column, value, message, code in target.problems(
            record["table"], record["column"], record["filter"]
        ):
            out.append(_err("ScenarioChanges", row, column, value, message, code))
    return out


class _ChangeTargets:
    """What is wrong with the table, column and filter a ScenarioChanges row names, as
    (column, value, message, code) tuples; worked out once per distinct (table, column, filter),
    since tens of thousands of rows repeat a few hundred of them."""

    def __init__(self, data: InputData) -> None:
        self.data = data
        self.by_key = {t.name.lower(): t for t in TABLES}
        self.changeable_tables = sorted(t.name for t in TABLES if _changeable_columns(t))
        self.matchers: dict[str, FilterIndex] = {}  # one per table, built on first use
        self.memo: dict[tuple[Any, ...], list[tuple[str, Any, str, str]]] = {}

    def problems(self, name: Any, column: Any, filt: Any) -> list[tuple[str, Any, str, str]]:
        # the type is part of the key: 1, 1.0 and True print differently in a message
        key = (type(name), name, type(column), column, type(filt), filt)
        if key not in self.memo:
            self.memo[key] = self._problems(name, column, filt)
        return self.memo[key]

    def _problems(self, name: Any, column: Any, filt: Any) -> list[tuple[str, Any, str, str]]:
        if is_blank(name):
            return []
        spec = self.by_key.get(str(name).strip().lower())
        if spec is None:
            return [
                (
                    "table",
                    name,
                    f"unknown table {name!r}; use one of {', '.join(self.changeable_tables)}."
                    f"{_did_you_mean(name, [t.name for t in TABLES])}",
                    "unknown_table",
                )
            ]
        out: list[tuple[str, Any, str, str]] = []
        changeable = _changeable_columns(spec)
        if not is_blank(column):
            col_name = normalize_name(column)
            if col_name not in changeable:
                can = ", ".join(changeable) if changeable else "none (pick another table)"
                what = (
                    "is not a column of"
                    if col_name not in spec.column_names
                    else "cannot change by period in"
                )
                out.append(
                    (
                        "column",
                        column,
                        f"{column!r} {what} {spec.name}; columns a scenario can change there: {can}",
                        "unchangeable_column",
                    )
                )
        if is_blank(filt):
            return out
        pairs, syntax = parse_filter(str(filt))
        if syntax:
            return [*out, ("filter", filt, syntax, "filter_syntax")]
        bad = [c for c, _ in pairs if normalize_name(c) not in spec.column_names]
        if bad:
            return [
                *out,
                (
                    "filter",
                    filt,
                    f"{bad[0]!r} is not a column of {spec.name}; filter on one of "
                    f"{', '.join(c.name for c in spec.columns)}.{_did_you_mean(bad[0], spec.column_names)}",
                    "filter_column",
                ),
            ]
        if spec.name not in self.matchers:
            self.matchers[spec.name] = FilterIndex(self.data.tables[spec.name], spec)
        if not bool(self.matchers[spec.name].mask(pairs).any()):
            out.append(
                (
                    "filter",
                    filt,
                    f"filter matches no row of {spec.name}; check the ids and spelling",
                    "filter_no_match",
                )
            )
        return out


def check_distributions(data: InputData) -> list[Issue]:
    """Distributions rows: drawable parameters; each factor's table, column and filter checked as a
    ScenarioChanges row; what its extreme draws make of the data checked as a scenario's changes."""
    from planner.network import scenario_change_issues
    from planner.sampling import SHEET, as_change_rows, distribution_issues, probe_data

    if data.tables.get(SHEET) is None or data[SHEET].empty:
        return []
    out = distribution_issues(data)
    structural = check_scenario_changes(as_change_rows(data))
    out += [dataclasses.replace(i, sheet=SHEET) for i in structural]
    if any(i.severity == "error" for i in out):
        return out
    probe, where = probe_data(data)
    for issue in scenario_change_issues(probe):
        if issue.row not in where:
            out.append(dataclasses.replace(issue, sheet=SHEET))
            continue
        frow, column, value = where[issue.row]
        message = f"a draw of {value:g} breaks the data: {issue.message}"
        out.append(
            dataclasses.replace(issue, sheet=SHEET, row=frow, column=column, value=value, message=message)
        )
    return out


# ---------------------------------------------------------------------------------------------
# settings


def check_settings(data: InputData) -> list[Issue]:
    """reveal_period must be a period; numeric settings within their range; HiGHS accepts highs_ rows."""
    out: list[Issue] = []
    rows = {
        normalize_name(r["setting"]): _row(r) for r in _rows(data, "Settings") if not is_blank(r["setting"])
    }
    reported = {(i.row, i.column) for i in data.issues if i.sheet == "Settings"}
    periods = _periods(data)
    reveal = data.settings.get("reveal_period")
    if not is_blank(reveal) and periods and reveal not in periods:
        out.append(
            _err(
                "Settings",
                rows.get("reveal_period"),
                "value",
                reveal,
                f"reveal_period {reveal!r} is not a period; use a period listed in Periods."
                f"{_did_you_mean(reveal, periods)}",
                "unknown_period",
            )
        )
    # the solver options: the one check the command line and SolveOptions use too
    options = {
        k
        for k in OPTION_FLAGS
        if not is_blank(data.settings.get(k)) and (rows.get(k), "value") not in reported
    }
    for key in sorted(options):
        why = option_problem(key, data.settings[key])
        if why:
            reported.add((rows.get(key), "value"))
            out.append(
                _err("Settings", rows.get(key), "value", data.settings[key], f"{key} {why}", "bad_value")
            )
    for spec in SETTINGS:
        value: Any = data.settings.get(spec.key)
        if spec.dtype not in ("float", "int") or is_blank(value) or (rows.get(spec.key), "value") in reported:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        low_ok = spec.min_value is None or number >= spec.min_value
        high_ok = spec.max_value is None or number <= spec.max_value
        if not (math.isfinite(number) and low_ok and high_ok):
            bounds = ["a finite number"]
            if spec.min_value is not None:
                bounds.append(f">= {spec.min_value:g}")
            if spec.max_value is not None:
                bounds.append(f"<= {spec.max_value:g}")
            out.append(
                _err(
                    "Settings",
                    rows.get(spec.key),
                    "value",
                    value,
                    f"{spec.key} must be {' '.join(bounds)}",
                    "bad_value",
                )
            )
    out += _check_highs_settings(data, rows)
    return out


def _check_highs_settings(data: InputData, rows: dict[str, int | None]) -> list[Issue]:
    """Each ``highs_<option>`` row names a HiGHS option and a value HiGHS accepts (HiGHS is asked)."""
    from planner.highs_options import check_option

    out: list[Issue] = []
    for name, value in data.settings.get(HIGHS_SETTINGS, {}).items():
        why = check_option(name, value)
        if why:
            out.append(
                _err(
                    "Settings",
                    rows.get(HIGHS_PREFIX + name),
                    "value",
                    value,
                    f"{why}. Correct the value or delete the row (see HiGHS's option list).",
                    "bad_solver_option",
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# reachability


def reachable_pairs(data: InputData) -> set[tuple[str, str]]:
    """(site, product) pairs where material can be, by fixed point over sources, recipes and lanes.

    Material appears where it is mined (a process without inputs), bought
    (Contracts.supplier of a buy contract) or held at the start (Inventory.initial_stock > 0); a
    process makes its outputs at a site where all its inputs can be; a lane
    carries its product (blank = every product) from origin to destination.
    """
    sites_of = _process_sites(data)
    inputs: dict[str, set[str]] = defaultdict(set)
    outputs: dict[str, set[str]] = defaultdict(set)
    for r in _rows(data, "ProcessFlows"):
        if is_blank(r["process"]) or is_blank(r["product"]):
            continue
        (inputs if r["direction"] == "in" else outputs)[r["process"]].add(r["product"])
    processes_at: dict[str, list[str]] = defaultdict(list)
    for process, sites in sites_of.items():
        for site in sites:
            processes_at[site].append(process)
    lanes_from: dict[str, list[tuple[str, set[str] | None]]] = defaultdict(list)
    for r in _rows(data, "Lanes"):
        if is_blank(r["origin"]) or is_blank(r["destination"]):
            continue
        lanes_from[r["origin"]].append((r["destination"], set(id_list(r["product"])) or None))

    reached: set[tuple[str, str]] = set()
    todo: list[tuple[str, str]] = []

    def add(site: str, product: str) -> None:
        if (site, product) not in reached:
            reached.add((site, product))
            todo.append((site, product))

    for r in _rows(data, "Contracts"):
        if not is_blank(r["supplier"]) and not is_blank(r["product"]) and r.get("side") != "sell":
            add(r["supplier"], r["product"])
    for r in _rows(data, "Inventory"):
        if not is_blank(r["site"]) and not is_blank(r["product"]) and (r["initial_stock"] or 0) > 0:
            add(r["site"], r["product"])
    for process, sites in sites_of.items():
        if not inputs[process]:
            for site in sites:
                for product in outputs[process]:
                    add(site, product)
    while todo:
        site, product = todo.pop()
        for destination, carried in lanes_from.get(site, []):
            if carried is None or product in carried:
                add(destination, product)
        for process in processes_at.get(site, []):
            if product in inputs[process] and all((site, p) in reached for p in inputs[process]):
                for out_product in outputs[process]:
                    add(site, out_product)
    return reached


def check_reachable(data: InputData) -> list[Issue]:
    """Warn for each demanded (site, product), and each sale (Contracts side sell), that no chain of
    sources, recipes and lanes can reach (one fixed point, :func:`reachable_pairs`, for both)."""
    reached = reachable_pairs(data)
    out: list[Issue] = []
    seen: set[tuple[str, str]] = set()
    for r in _rows(data, "Demand"):
        site, product = r["site"], r["product"]
        if is_blank(site) or is_blank(product) or (site, product) in seen:
            continue
        seen.add((site, product))
        if (site, product) not in reached:
            out.append(
                _warn(
                    "Demand",
                    _row(r),
                    "product",
                    product,
                    f"no chain of sources, recipes and lanes can bring {product!r} to {site!r}, so this demand "
                    "will be unmet; add a lane, contract, stock or process that supplies it",
                    "unreachable_demand",
                )
            )
    for r in _rows(data, "Contracts"):
        site, product = r["supplier"], r["product"]
        if r.get("side") != "sell" or is_blank(site) or is_blank(product) or (site, product) in reached:
            continue
        out.append(
            _warn(
                "Contracts",
                _row(r),
                "product",
                product,
                f"no chain of sources, recipes and lanes can bring {product!r} to {site!r}, so this sale "
                "never happens; sell where the product is made or held",
                "unreachable_sale",
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# entry points

CHECKS: tuple[Check, ...] = (
    check_required_tables,
    check_column_values,
    check_duplicate_keys,
    check_references,
    check_period_references,
    check_groups,
    check_process_location,
    check_process_outputs,
    check_candidate_capacity,
    check_capacity_options,
    check_disruptions,
    check_lanes,
    check_contracts,
    check_inventory,
    check_sourcing_rules,
    check_content_demand,
    check_export_controls,
    check_scenario_probabilities,
    check_scenario_changes,
    check_scenario_tree,
    check_distributions,
    check_settings,
    check_reachable,
    check_plausible,
)


def _scenario_change_results(data: InputData, found: list[Issue]) -> list[Issue]:
    """What the ScenarioChanges rows make of the data, checked against each changed column's rules
    by the network builder's own code (:func:`planner.network.scenario_change_issues`); only on
    otherwise valid data, which that code needs (the other errors come first)."""
    if any(i.severity == "error" for i in found):
        return []
    from planner.network import scenario_change_issues

    return scenario_change_issues(data)


def validate(data: InputData) -> list[Issue]:
    """Run every check; return the reader's issues followed by every check's issues.

    Never raises: a check that fails internally becomes an error Issue naming it.
    """
    issues = list(data.issues)
    checks: list[functools.partial[list[Issue]]] = [functools.partial(fn, data) for fn in CHECKS]
    checks.append(functools.partial(_scenario_change_results, data, issues))
    for check_fn in checks:
        try:
            issues.extend(check_fn())
        except Exception as exc:  # a check bug must not hide the other findings
            name = check_fn.func.__name__
            logger.exception("check %s failed", name)
            issues.append(
                _err(
                    "", None, None, None, f"internal error in {name}: {type(exc).__name__}: {exc}", "internal"
                )
            )
    return issues


def count(issues: Iterable[Issue]) -> tuple[int, int]:
    """Return (errors, warnings)."""
    issues = list(issues)
    errors = sum(1 for i in issues if i.severity == "error")
    return errors, len(issues) - errors


def summary(issues: Iterable[Issue], where: str) -> str:
    """``"2 errors, 1 warning in FILE"``."""
    errors, warnings = count(issues)
    return f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'} in {where}"


def check(data: InputData, strict: bool = False) -> list[Issue]:
    """Validate; raise InputError listing every issue if any error (or any warning when strict).

    Returns the warnings otherwise.
    """
    issues = validate(data)
    errors, warnings = count(issues)
    if errors or (strict and warnings):
        where = str(data.path) if data.path else "the input data"
        n = errors if errors else warnings
        kind = "error" if errors else "warning"
        raise InputError(f"{n} {kind}{'' if n == 1 else 's'} in {where}", issues)
    return issues


def validate_workbook(
    path: Path | str, max_bytes: int | None = None, max_rows: int | None = None
) -> list[Issue]:
    """Read the workbook at ``path`` and return every issue (reader + checks).

    Raises InputError when the file cannot be read as a workbook at all.
    """
    from planner.io.excel_reader import ReadLimits, read_workbook

    defaults = ReadLimits()
    limits = ReadLimits(
        max_bytes=defaults.max_bytes if max_bytes is None else max_bytes,
        max_rows=defaults.max_rows if max_rows is None else max_rows,
    )
    return validate(read_workbook(Path(path), limits))


__all__ = [
    "CHECKS",
    "check",
    "count",
    "exit_status",
    "reachable_pairs",
    "summary",
    "validate",
    "validate_workbook",
]


def exit_status(issues: Iterable[Issue], strict: bool = False) -> int:
    """Command-line exit code: 2 if any error, 1 if warnings and strict, else 0."""
    errors, warnings = count(issues)
    if errors:
        return 2
    return 1 if strict and warnings else 0
