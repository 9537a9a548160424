"""Checks for entries that are valid but change the plan's meaning without a word (warnings).

Each check finds a blank cell or a plausible-looking entry that the model would silently read
in a way the user probably did not mean, and says where and what to do. The structural checks
(types, references, ranges) live in :mod:`planner.validate`. One check here also refuses:
:func:`magnitudes` (a number the solver would read as infinite is an error).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from planner.config import OPTION_FLAGS
from planner.errors import Issue
from planner.schema import SETTINGS, TABLES, normalize_name
from planner.tables import ROW, InputData, period_lengths
from planner.validate_common import (
    IMPLAUSIBLE,
    SOLVER_INFINITY,
    did_you_mean,
    err,
    is_blank,
    periods,
    process_sites,
    row,
    rows,
    warn,
)

_ISO_TEXT = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
"""
ISO_COUNTRIES = frozenset(_ISO_TEXT.split())
"""ISO 3166-1 alpha-2 codes (249 countries and territories)."""

USER_ASSIGNED = frozenset(
    {"AA", "ZZ"} | {f"Q{c}" for c in "MNOPQRSTUVWXYZ"} | {f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
)
"""Codes ISO leaves to users (AA, QM-QZ, XA-XZ, ZZ): fine for regions such as 'rest of world'."""

COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "EU": "a member state's code, or a group of kind country"}


def check_plausible(data: InputData) -> list[Issue]:
    """Every warning of this module."""
    out: list[Issue] = []
    for check in (
        contracts_without_price,
        undisposable_coproducts,
        scenarios_without_reveal,
        end_use_mismatch,
        country_codes,
        tariffs_above_one,
        derived_requirement,
        floor_penalty_too_high,
        start_dates_disagree_with_lengths,
        magnitudes,
    ):
        out += check(data)
    return out


def _magnitude_issue(
    sheet: str, excel_row: int | None, column: str, value: float, unit: str, unlimited: bool
) -> Issue:
    shown = f"{value:g}" + (f" {unit}" if unit else "")
    if abs(value) >= SOLVER_INFINITY:
        blank = "; leave the cell blank for no limit" if unlimited else ""
        return err(
            sheet,
            excel_row,
            column,
            value,
            f"{shown} is at least {SOLVER_INFINITY:g}, which the solver reads as infinite; enter the real "
            f"value{blank}",
            "beyond_solver",
        )
    return warn(
        sheet,
        excel_row,
        column,
        value,
        f"{shown} is implausibly large (at least {IMPLAUSIBLE:g}); check the unit and the number of zeros",
        "implausible_magnitude",
    )


def magnitudes(data: InputData) -> list[Issue]:
    """Numbers no supply chain has (a warning from 1e12 in the column's unit) and numbers the solver
    reads as infinite (an error from 1e20), in every numeric column and numeric setting."""
    out: list[Issue] = []
    for spec in TABLES:
        frame = data.tables.get(spec.name)
        if frame is None or frame.empty:
            continue
        for c in spec.all_columns:
            if c.dtype not in ("float", "int") or c.name not in frame.columns:
                continue
            values = pd.to_numeric(frame[c.name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                hits = np.flatnonzero(np.isfinite(values) & (np.abs(values) >= IMPLAUSIBLE))
            unlimited = c.default is None and c.dtype == "float"
            for i in hits[:20]:
                excel_row = int(frame[ROW].iloc[i]) if ROW in frame.columns else None
                out.append(
                    _magnitude_issue(spec.name, excel_row, c.name, float(values[i]), c.unit, unlimited)
                )
    setting_rows = {
        normalize_name(r["setting"]): row(r) for r in rows(data, "Settings") if not is_blank(r["setting"])
    }
    for setting in SETTINGS:
        value: Any = data.settings.get(setting.key)
        if setting.dtype not in ("float", "int") or setting.key in OPTION_FLAGS or is_blank(value):
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if np.isfinite(number) and abs(number) >= IMPLAUSIBLE:
            out.append(
                _magnitude_issue(
                    "Settings", setting_rows.get(setting.key), "value", number, setting.unit, False
                )
            )
    return out


def contracts_without_price(data: InputData) -> list[Issue]:
    """A contract with a blank price makes its material free."""
    return [
        warn(
            "Contracts",
            row(r),
            "price",
            None,
            (
                f"contract {r['contract']} has no price, so its {r['product']} is sold for nothing; enter the "
                "price per unit the buyer pays"
                if r.get("side") == "sell"
                else f"contract {r['contract']} has no price, so its {r['product']} costs nothing and the plan "
                "will buy it first; enter the price per unit (0 only if it really is free)"
            ),
            "blank_price",
        )
        for r in rows(data, "Contracts")
        if is_blank(r.get("price"))
    ]


def undisposable_coproducts(data: InputData) -> list[Issue]:
    """A co-product of joint production that can be neither discarded nor stored where it is made."""
    disposable = {r["product"] for r in rows(data, "Products") if not is_blank(r.get("cost_disposal"))}
    stored = {(r["site"], r["product"]) for r in rows(data, "Inventory")}
    outputs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows(data, "ProcessFlows"):
        if r["direction"] == "out":
            outputs[r["process"]].append(r)
    sites_of = process_sites(data)
    out: list[Issue] = []
    for process, flows in outputs.items():
        if len(flows) < 2:
            continue
        for f in flows:
            product = f["product"]
            if product in disposable:
                continue
            stuck = sorted(s for s in sites_of.get(process, set()) if (s, product) not in stored)
            if stuck:
                out.append(
                    warn(
                        "ProcessFlows",
                        row(f),
                        "product",
                        product,
                        f"{product} is a co-product of {process}, but it can be neither discarded (Products."
                        f"cost_disposal is blank) nor stored at {', '.join(stuck[:3])}"
                        f"{', ...' if len(stuck) > 3 else ''}: every unit must leave or be used in the period it is "
                        f"made, which can stop {process} from running for its other products; set Products."
                        "cost_disposal or add an Inventory row",
                        "stuck_coproduct",
                    )
                )
    return out


def scenarios_without_reveal(data: InputData) -> list[Issue]:
    """Several scenarios and no reveal period: every decision knows the scenario (perfect foresight)."""
    scenarios = list(rows(data, "Scenarios"))
    if len(scenarios) < 2 or not is_blank(data.settings.get("reveal_period")):
        return []
    return [
        warn(
            "Settings",
            None,
            "reveal_period",
            None,
            f"{len(scenarios)} scenarios but no reveal_period: the scenario is known from the first period, so "
            "the plan is a perfect-foresight plan per scenario, not one plan for all; set reveal_period to the "
            "first period in which the regime is known",
            "no_reveal",
        )
    ]


def end_use_mismatch(data: InputData) -> list[Issue]:
    """Customer classes no end-use rule names, and end-use rules no demand carries."""
    rules = [r for r in rows(data, "ExportControls") if r.get("end_use") not in (None, "", "all")]
    named = {r["end_use"] for r in rules}
    demand = list(rows(data, "Demand"))
    classes = {r["customer_class"] for r in demand}
    out: list[Issue] = []
    for r in rules:
        if r["end_use"] not in classes:
            out.append(
                warn(
                    "ExportControls",
                    row(r),
                    "end_use",
                    r["end_use"],
                    f"no Demand row has customer_class {r['end_use']!r}, so rule {r['rule']} covers nobody; give "
                    "the customers of that end use that class (Demand.customer_class)",
                    "end_use_unmatched",
                )
            )
    if named:
        # a class that no rule names is usually a segment (EV, wind, ...); only a near miss of a
        # named class is likely a typo that leaves customers uncovered
        seen: set[str] = set()
        for r in demand:
            c = r["customer_class"]
            hint = did_you_mean(c, sorted(named))
            if c in named or c in seen or not hint:
                continue
            seen.add(c)
            out.append(
                warn(
                    "Demand",
                    row(r),
                    "customer_class",
                    c,
                    f"customer class {c!r} is named by no end-use rule (rules name {', '.join(sorted(named))}); "
                    f"if these customers are meant to be covered, use that class.{hint}",
                    "class_unmatched",
                )
            )
    return out


def country_codes(data: InputData) -> list[Issue]:
    """Country codes that are not ISO 3166 alpha-2 (nor user-assigned)."""
    out: list[Issue] = []
    places = [("Sites", "country", r) for r in rows(data, "Sites")]
    places += [("ExportControls", "country", r) for r in rows(data, "ExportControls")]
    places += [("Groups", "member", r) for r in rows(data, "Groups") if r.get("kind", "country") == "country"]
    for sheet, column, r in places:
        code = r.get(column)
        if is_blank(code) or str(code) in ISO_COUNTRIES or str(code) in USER_ASSIGNED:
            continue
        fix = COMMON_MISTAKES.get(str(code).upper())
        hint = f"; did you mean {fix}?" if fix else ""
        out.append(
            warn(
                sheet,
                row(r),
                column,
                code,
                f"{code!r} is not an ISO 3166 alpha-2 country code{hint} Groups and export rules match countries by "
                "code; for a region use a user-assigned code (XA-XZ, e.g. XR for rest of world)",
                "country_code",
            )
        )
    return out


def tariffs_above_one(data: InputData) -> list[Issue]:
    """A tariff is a share of value: above 1 is probably a percentage (in Lanes or set by a scenario)."""
    changes = [
        warn(
            "ScenarioChanges",
            row(r),
            "value",
            r["value"],
            f"this change sets tariff_rate to {float(r['value']):g}, over 100% of the product's value; it is a "
            f"share (0.25 = 25%): did you mean {float(r['value']) / 100:g}?",
            "tariff_percent",
        )
        for r in rows(data, "ScenarioChanges")
        if str(r.get("table") or "").strip().lower() == "lanes"
        and normalize_name(r.get("column") or "") == "tariff_rate"
        and r.get("action") == "set"
        and not is_blank(r.get("value"))
        and float(r["value"]) > 1.0
    ]
    return changes + [
        warn(
            "Lanes",
            row(r),
            "tariff_rate",
            r["tariff_rate"],
            f"tariff_rate {float(r['tariff_rate']):g} is over 100% of the product's value; it is a share "
            f"(0.25 = 25%): did you mean {float(r['tariff_rate']) / 100:g}?",
            "tariff_percent",
        )
        for r in rows(data, "Lanes")
        if not is_blank(r.get("tariff_rate")) and float(r["tariff_rate"]) > 1.0
    ]


def floor_penalty_too_high(data: InputData) -> list[Issue]:
    """A safety stock whose penalty, over the horizon, costs more than the shortage it protects against.

    The penalty is per reference period, so the horizon counts sum(w_t) of them (its periods when equal).
    """
    n_periods: float = max(len(periods(data)), 1)
    try:
        reference = float(data.settings["period_length_days"])
        weights = [d / reference for d in period_lengths(data)]
        if weights and any(w != 1.0 for w in weights):
            n_periods = sum(weights)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        pass
    default = float(data.settings.get("shortage_penalty", 0.0) or 0.0)
    penalties: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in rows(data, "Demand"):
        pen: Any = r.get("shortage_penalty")
        penalties[(r["site"], r["product"])].append(default if is_blank(pen) else float(pen))
    out: list[Issue] = []
    for r in rows(data, "Inventory"):
        floor: Any = r.get("floor_penalty")
        protected = penalties.get((r["site"], r["product"]))
        if is_blank(floor) or not protected or float(floor) * n_periods < min(protected):
            continue
        limit = min(protected) / n_periods
        out.append(
            warn(
                "Inventory",
                row(r),
                "floor_penalty",
                floor,
                f"breaching this safety stock for the {n_periods:g} periods of the horizon would cost "
                f"{float(floor) * n_periods:,.0f} a unit, more than the shortage it protects ({min(protected):,.0f}), "
                f"so the plan may short customers rather than draw it; use at most {limit:,.4g}",
                "floor_penalty_high",
            )
        )
    return out


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip()[:10])
    except ValueError:
        return None


def start_dates_disagree_with_lengths(data: InputData) -> list[Issue]:
    """Consecutive Periods.start_date more than 3 days apart from the first period's length.

    The model uses the lengths (length_days, blank = Settings.period_length_days) for capacities,
    costs, discounting and cover; start dates are informational, so a mismatch means one of them is wrong.
    """
    records = list(rows(data, "Periods"))
    if len(records) < 2:
        return []
    try:
        lengths = period_lengths(data)
    except (KeyError, TypeError, ValueError):
        return []
    out: list[Issue] = []
    for i, (a, b) in enumerate(zip(records, records[1:], strict=False)):
        d0, d1 = _date(a.get("start_date")), _date(b.get("start_date"))
        if d0 is None or d1 is None:
            continue
        gap = (d1 - d0).days
        length = lengths[i]
        if abs(gap - length) <= 3.0:
            continue
        stated = "length_days" if not is_blank(a.get("length_days")) else "Settings.period_length_days"
        out.append(
            warn(
                "Periods",
                row(a),
                "length_days",
                a.get("length_days"),
                f"period {a['period']} starts {a.get('start_date')} and the next {b.get('start_date')}, "
                f"{gap} days apart, but its length is {length:g} days ({stated}); capacities, costs per period, "
                "discounting and days of cover use the length: fix length_days or the start dates",
                "length_vs_start_date",
            )
        )
    return out


def derived_requirement(data: InputData) -> list[Issue]:
    """A share strictly between 0 and 1 resting on a derived requirement that counts plants at capacity.

    The derived requirement counts covered plants at installed capacity, an upper bound of what
    they buy from the controlling country, so the share may bite less than the scenario means.
    When a covered process that uses the product has no capacity, the requirement is unlimited
    (``reference_volume`` in the model): buyers may file for any volume and the share denies
    nothing, which the warning then says instead.
    """
    partial = {  # filters of changes that can leave a share strictly between 0 and 1
        str(r["filter"]).replace(" ", "")
        for r in rows(data, "ScenarioChanges")
        if normalize_name(r["column"]) == "approval_share"
        and str(r["table"]).lower() == "exportcontrols"
        and (r["action"] in ("multiply", "add") or (r["action"] == "set" and 0.0 < float(r["value"]) < 1.0))
    }
    country_of = {r["site"]: r["country"] for r in rows(data, "Sites")}
    groups: dict[str, set[str]] = defaultdict(set)
    for r in rows(data, "Groups"):
        groups[r["group"]].add(r["member"])
    sites_of = process_sites(data)
    users: dict[str, set[str]] = defaultdict(set)
    uses: dict[str, set[str]] = defaultdict(set)  # product -> processes that take it in
    for r in rows(data, "ProcessFlows"):
        if r["direction"] == "in":
            users[r["product"]] |= sites_of.get(r["process"], set())
            uses[r["product"]].add(r["process"])
    uncapped = {str(r["process"]) for r in rows(data, "Processes") if is_blank(r.get("capacity"))}

    def listed(names: list[str]) -> str:
        return ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")

    out: list[Issue] = []
    for record in rows(data, "ExportControls"):
        if not is_blank(record.get("reference_volume")):
            continue
        share = record.get("approval_share")
        below = (share is not None and not is_blank(share) and 0.0 < float(share) < 1.0) or any(
            f in partial
            for f in (f"rule={record['rule']}", f"rule={record['rule']},product={record['product']}")
        )
        if not below:
            continue
        group = record["destination_group"]
        covered = groups.get(group, set()) if not is_blank(group) else None
        plants = sorted(
            s
            for s in users.get(record["product"], set())
            if country_of.get(s) != record["country"] and (covered is None or country_of.get(s) in covered)
        )
        if not plants:
            continue
        unlimited = sorted(
            f"{proc} at {site}"
            for proc in uses.get(record["product"], set()) & uncapped
            for site in sites_of.get(proc, set())
            if site in plants
        )
        if unlimited:
            why = (
                f", and {len(unlimited)} covered process(es) that use {record['product']} have no capacity "
                f"({listed(unlimited)}): the derived requirement is unlimited, so buyers may file for any "
                "volume and the share denies nothing"
            )
        else:
            why = (
                f": the requirement is derived from the installed capacity of {len(plants)} covered plant(s) "
                f"({listed(plants)}), an upper bound of what they buy, so the share may deny less than intended"
            )
        out.append(
            warn(
                "ExportControls",
                row(record),
                "reference_volume",
                None,
                f"rule {record['rule']} on {record['product']} has an approval share below 1 but no reference "
                f"volume{why}; enter the volume buyers file for per period (e.g. their 2025 imports)",
                "derived_requirement",
            )
        )
    return out


def period_from_date(value: Any, data: InputData) -> str | None:
    """The period whose [start_date, next start_date) holds a date typed into a period cell, if exactly one."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return None
    starts: list[tuple[dt.date, str]] = []
    for r in rows(data, "Periods"):
        try:
            starts.append(
                (dt.date.fromisoformat(str(r.get("start_date") or "").strip()[:10]), str(r["period"]))
            )
        except ValueError:
            return None
    if not starts or len(starts) != len(periods(data)):
        return None
    starts.sort()
    if len(starts) > 1:  # the last period is as long as the one before it
        starts.append((starts[-1][0] + (starts[-1][0] - starts[-2][0]), ""))
    hits = [p for (d0, p), (d1, _n) in zip(starts, starts[1:], strict=False) if d0 <= day < d1]
    return hits[0] if len(hits) == 1 else None
