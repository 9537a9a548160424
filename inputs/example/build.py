"""Build the buyer's-seat example: the Western magnet economy buying from China under licence risk.

Writes ``inputs/example.xlsx``, the published example (issue #12); ``inputs/example/README.md``
says what is calibrated and what is not. Run ``python inputs/example/build.py [OUT.xlsx]`` from the
repository root. Every figure lives in the CSV
tables of ``inputs/example/`` (one table per topic, each row with its ``source``); this script
only derives what follows from them (yields, per-quarter rates, demand by period, lane ids) and
writes the workbook atomically after validating it. Variants::

    python inputs/example/build.py                         # inputs/example.xlsx (9 scenarios)
    python inputs/example/build.py --status-quo out.xlsx   # 2025 status quo: one scenario, no licences

The buyer's seat
----------------
The decision maker is the Western magnet economy: the US, the EU, the UK, Japan and Korea, and the
third-country mines, refineries and plants that serve them. Its costs are what it pays: its own
plants at their production cost, and **China as a supplier at export prices** (``CN_OX``,
``CN_MET``, ``CN_MAG``: oxide, metal and magnet exporters, table ``china.csv``), with US duties
(Section 301: 25% on Chinese magnets; 5% on RE metal). China's own market, mines and plants are
not part of the network. Licence rules (country ``CN``) act on everything shipped from those
three sites and, through the 0.1% content rule, on third-country products with Chinese content.
The Chinese-owned Vietnamese magnet plant (``G_VN_CN``) has country ``CN``: No. 61's technology
clause covers its output.

* The DoD $110/kg NdPr floor is a transfer from DoD to MP, not a price the buyers pay, so it is
  not in the objective: Mountain Pass is a mine and a separation plant at production cost.
* Dy and Tb are separate products (oxide and metal). Magnets come in four grades (N, M, H, SH:
  0, ~1%, ~2.5% and ~4% Dy); each plant sinters blanks (``MAKE_<plant>``, its capacity) and turns
  them into a grade by one of two routes (``grades.csv``): Dy alloying, or grain-boundary
  diffusion (GBD): a blank passes the plant's GBD step (``GBD_<plant>``, its GBD capacity) and
  takes heavy RE as ``HRE_GBD`` (t Dy-equivalent), made at the plant from Dy metal or from Tb
  metal at 0.65 t per t (``gbd_heavy.csv``). One GBD route per grade, whichever metal feeds it,
  keeps the model small (a route per metal doubled the content-tracking variables).
* Demand is by region and segment (EV, wind, industrial, electronics, aerospace/defence;
  ``segments.csv``), each segment one grade.
* Periods: months from December 2026 (the here-and-now month) to December 2027, then quarters to
  2030Q4. Capacities and running costs are stated per quarter (the reference period) and scale
  with each period's length; lanes of 25 days or more take one period in the monthly part.
* Existing plants run at their 2025 output until the period in ``full_from``; new capacity ramps
  up over ``ramp_periods``.
* Scenarios as of 28 November 2026 (``scenarios.csv``), revealed in January 2027.
"""

from __future__ import annotations

import argparse
import csv
import functools
import math
import sys
from pathlib import Path
from typing import Any

from planner.io.excel_writer import write_input_workbook
from planner.schema import HIGHS_PREFIX, HIGHS_SETTINGS
from planner.tables import InputData, from_records
from planner.validate import count, validate

HERE = Path(__file__).resolve().parents[1]
DATA = HERE / "example"
DEFAULT_OUT = HERE / "example.xlsx"

Records = dict[str, list[dict[str, Any]]]
Row = dict[str, str]

# conventions (each an assumption or a fact-sheet figure, as the comment says)
QUARTER_DAYS = 91.25  # the reference period (Settings.period_length_days)
MONTH_DAYS = 365.25 / 12
FIRST_MONTH, LAST_MONTH, LAST_YEAR = (2026, 12), (2027, 12), 2030
BASE_YEAR = 2025  # demand and capacity tables are 2025 figures
DISCOUNT_RATE = 0.08  # assumption: also the WACC of the capital charge
CAPITAL_RECOVERY = DISCOUNT_RATE / (1 - (1 + DISCOUNT_RATE) ** -20)  # 20-year life: 0.1019/yr
HOLDING_RATE = 0.10  # holding cost per year as a share of product value (facts §11.8 [A])
DEFENCE_PENALTY = 1_000_000.0  # assumption: defence demand served first ($1,000/kg)
SEP_RECOVERY = 0.95  # NdPr recovery in separation, facts §4.3: 90-95% [A]
HEAVY_RECOVERY = 0.85  # Dy/Tb recovery in heavy separation, facts §11.1 [A]
DY_SHARE_OF_HEAVY = 0.75  # Dy:Tb ~ 3:1 in heavy output (MP, facts §2.2 [S2]), used for every circuit [A]
OXIDE_PER_METAL = {
    "NDPR": 1.21,
    "DY": 1.18,
    "TB": 1.21,
}  # stoichiometry 1.177/1.148/1.176 / 0.97 (facts §4.3)
NDPR_MET_PER_MAGNET = 0.30  # RE content 29-32.5%, in-house scrap re-melted (facts §4.1, §4.3)
QUALIFICATION_COST = 5_000_000.0  # automotive supplier qualification [A]
QUALIFICATION_MONTHS = 6  # PPAP, 6 months [A]
US_DEFENCE_CLASS = "defence"
DFARS_START = "2027-01"
DFARS_SOURCE = (
    "US defence sourcing rule: from 1 Jan 2027 defence magnets may not contain Chinese-mined, "
    "-refined or -made material (DFARS 225.7018, cited in the issue brief) [U]; modelled as the "
    "buyer's content limit Demand.no_controlled_content (below the 0.1% content threshold) [A]"
)
FEED_COMPOSITION = {  # bought feeds without a mine row: NdPr share, Dy+Tb share of TREO [A]
    "CONC_REL": (0.20, 0.01),
    "CONC_SA": (0.20, 0.01),
}
CONC_VALUE = 5_300.0  # $/t REO, China Northern concentrate Q3 2025 (facts §1.3 [D])

_WEAKNESS = {"S": 0, "S2": 1, "D": 2, "A": 3, "U": 4}


# ---------------------------------------------------------------------------------------------
# reading the tables


@functools.cache
def table(name: str) -> tuple[Row, ...]:
    """Rows of ``inputs/example/<name>.csv`` as dicts of stripped strings (read once; do not mutate)."""
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as f:
        return tuple({k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f))


def prov(source: str) -> dict[str, str]:
    """``source`` and ``confidence`` of a row: the weakest [tag] in the text; 'assumption...' is A."""
    if source.startswith("assumption"):
        return {"source": source, "confidence": "A"}
    tags = [t for t in _WEAKNESS if f"[{t}]" in source]
    if not tags:
        raise SystemExit(f"source without a [S]/[S2]/[D]/[A]/[U] tag: {source!r}")
    return {"source": source, "confidence": max(tags, key=_WEAKNESS.__getitem__)}


def num(text: str, default: float | None = None) -> float | None:
    """A CSV number (blank = ``default``)."""
    return default if text == "" else float(text)


def words(text: str) -> list[str]:
    """Space-separated list cell."""
    return text.split()


# ---------------------------------------------------------------------------------------------
# periods: months for the first 13 periods, then quarters


def period_table() -> list[tuple[str, str, float]]:
    """(id, start date, length in days) of every period."""
    out: list[tuple[str, str, float]] = []
    y, m = FIRST_MONTH
    while (y, m) <= LAST_MONTH:
        out.append((f"{y}-{m:02d}", f"{y}-{m:02d}-01", MONTH_DAYS))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    for year in range(LAST_MONTH[0] + 1, LAST_YEAR + 1):
        for q in range(1, 5):
            out.append((f"{year}Q{q}", f"{year}-{3 * q - 2:02d}-01", QUARTER_DAYS))
    return out


PERIODS = [p for p, _d, _l in period_table()]
LENGTH = {p: length for p, _d, length in period_table()}
MONTHS = [p for p in PERIODS if "Q" not in p]
# Breachable working-stock floor: a tonne below it for the whole horizon costs half a tonne short
# (formulation §5.5: keep k x floor_penalty below the shortage penalty for any k), so the floor
# is kept in normal times (holding is ~2.5% of value a quarter) and drawn before customers go short.
SHORTAGE_PENALTY = float(next(r["value"] for r in table("settings") if r["setting"] == "shortage_penalty"))
FLOOR_PENALTY = round(0.5 * SHORTAGE_PENALTY / (sum(LENGTH.values()) / QUARTER_DAYS), 0)
LAST_PERIOD = PERIODS[-1]


def year_of(period: str) -> int:
    return int(period[:4])


def per_quarter(per_year: float) -> float:
    """A rate per year as a rate per reference period (quarter)."""
    return per_year * QUARTER_DAYS / 365.25


def in_period(per_year: float, period: str) -> float:
    """Tonnes of a per-year rate that fall in ``period``."""
    return per_year * LENGTH[period] / 365.25


def capital_charge(capex: float) -> float:
    """Capital charge per reference quarter of a one-off investment (8%, 20 years)."""
    return round(per_quarter(capex * CAPITAL_RECOVERY), -3)


def index_of(period: str) -> int:
    if period not in PERIODS:
        raise SystemExit(
            f"unknown period {period!r} in the example tables (periods: {PERIODS[0]}..{LAST_PERIOD})"
        )
    return PERIODS.index(period)


def before(period: str) -> str:
    return PERIODS[index_of(period) - 1]


def split_by_length(start: str, end: str) -> list[tuple[str, str, float]]:
    """[start, end] cut into runs of equal period length: (first, last, length)."""
    runs: list[tuple[str, str, float]] = []
    for p in PERIODS[index_of(start) : index_of(end) + 1]:
        if runs and runs[-1][2] == LENGTH[p]:
            runs[-1] = (runs[-1][0], p, LENGTH[p])
        else:
            runs.append((p, p, LENGTH[p]))
    return runs


# ---------------------------------------------------------------------------------------------
# sheets


def _periods() -> list[dict[str, Any]]:
    return [
        {
            "period": p,
            "start_date": d,
            "length_days": round(length, 4),
            **prov(
                "assumption: months to the end of 2027 (45-working-day reviews, 8-week stocks), quarters after"
            ),
        }
        for p, d, length in period_table()
    ]


def _products() -> list[dict[str, Any]]:
    rows = [
        {
            "product": r["product"],
            "name": r["name"],
            "stage": r["stage"],
            "value": float(r["value_per_kg"]) * 1000,
            "cost_disposal": None if r["disposal_per_kg"] == "" else float(r["disposal_per_kg"]) * 1000,
            **prov(r["source"]),
        }
        for r in table("products")
    ]
    value_of = {r["product"]: r["value"] for r in rows}
    rows += [
        {
            "product": "BLANK_GBD",
            "name": "Blank through a plant's grain-boundary-diffusion step, before its heavy RE",
            "stage": "other",
            "value": value_of["BLANK"],
            **prov("assumption: valued as a blank"),
        },
        {
            "product": "HRE_GBD",
            "name": "Dy or Tb metal at a magnet plant for diffusion, t Dy-equivalent (gbd_heavy.csv)",
            "stage": "metal",
            "value": value_of["DY_MET"],
            **prov("assumption: valued as Dy metal"),
        },
    ]
    concs = [(r["concentrate"], r["name"]) for r in table("sources") if r["concentrate"]]
    concs += [(c, "bought mixed feed") for c in FEED_COMPOSITION]
    for cid, name in concs:
        rows.append(
            {
                "product": cid,
                "name": f"Concentrate, t REO: {name}",
                "stage": "concentrate",
                "value": CONC_VALUE,
                **prov("China Northern concentrate ~$5,300/t REO Q3 2025 (facts §1.3) [D]"),
            }
        )
    return rows


def _site(site: str, name: str, kind: str, country: str, source: str, **kw: Any) -> dict[str, Any]:
    return {"site": site, "name": name, "type": kind, "country": country, **kw, **prov(source)}


def _sites(status_quo: bool) -> list[dict[str, Any]]:
    rows = [
        _site("CN_OX", "Chinese oxide exporters (export prices)", "supplier", "CN", "facts §5.1 prices [S]"),
        _site(
            "CN_MET", "Chinese metal and alloy exporters (export prices)", "supplier", "CN", "facts §4.3 [D]"
        ),
        _site("CN_MAG", "Chinese magnet exporters (export prices)", "supplier", "CN", "facts §5.3 [D]"),
    ]
    refineries = {r["site"] for r in table("refineries")}
    for r in table("sources"):
        if r["site"] not in refineries:
            rows.append(_site(r["site"], r["name"], r["type"], r["country"], r["source"]))
    for r in table("refineries"):
        if status_quo and r["status"] == "candidate":
            continue
        kw = {
            "status": r["status"],
            "earliest_period": r["earliest"] or None,
            "cost_fixed": capital_charge(float(r["capex"])),
        }
        rows.append(_site(r["site"], r["name"], "refinery", r["country"], r["source"], **kw))
    rows += [
        _site(r["site"], r["name"], "metal_plant", r["country"], r["source"]) for r in table("metal_plants")
    ]
    rows += [
        _site(r["site"], r["name"], "magnet_plant", r["country"], r["source"]) for r in table("magnet_plants")
    ]
    rows += [_site(r["site"], r["name"], "demand_region", r["country"], r["source"]) for r in table("demand")]
    return rows


def _composition() -> dict[str, tuple[float, float]]:
    """Concentrate -> (NdPr share, Dy+Tb share) of TREO."""
    comp = {
        r["concentrate"]: (float(r["ndpr_share"]), float(r["heavy_share"]))
        for r in table("sources")
        if r["concentrate"]
    }
    return comp | FEED_COMPOSITION


class Processes:
    """Collects Processes, ProcessFlows and the 2025-level capacity changes."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.flows: list[dict[str, Any]] = []
        self.ramps: list[dict[str, Any]] = []

    def add(
        self,
        pid: str,
        site: str,
        name: str,
        cost: float,
        per_year: float | None,
        source: str,
        inputs: list[tuple[str, float]],
        outputs: list[tuple[str, float]],
    ) -> None:
        p = prov(source)
        self.rows.append(
            {
                "process": pid,
                "site": site,
                "name": name,
                "cost_variable": cost,
                "capacity": None if per_year is None else per_quarter(per_year),
                **p,
            }
        )
        for direction, items in (("in", inputs), ("out", outputs)):
            self.flows += [
                {"process": pid, "product": prod, "direction": direction, "quantity": round(q, 6), **p}
                for prod, q in items
            ]

    def ramp(self, pid: str, per_year_2025: float, full_from: str, source: str, status_quo: bool) -> None:
        """Capacity at its 2025 level until ``full_from`` (throughout in the status quo)."""
        end = LAST_PERIOD if status_quo else before(full_from)
        self.ramps.append(
            {
                "scenario": "",
                "table": "Processes",
                "filter": f"process={pid}",
                "column": "capacity",
                "action": "set",
                "value": per_quarter(per_year_2025),
                "start_period": PERIODS[0],
                "end_period": end,
                **prov(source),
            }
        )


def _processes(status_quo: bool) -> Processes:
    out = Processes()
    comp = _composition()
    for r in table("sources"):
        full, now = float(r["t_reo_per_yr"]), float(r["t_reo_2025"])
        if r["type"] == "recycler":
            ndpr, heavy = float(r["ndpr_share"]), float(r["heavy_share"])
            outputs = [
                ("NDPR_OX", ndpr),
                ("DY_OX", heavy * DY_SHARE_OF_HEAVY),
                ("TB_OX", heavy * (1 - DY_SHARE_OF_HEAVY)),
            ]
            out.add(
                f"REC_{r['site']}",
                r["site"],
                f"Recycling: {r['name']}",
                float(r["cost_per_t_reo"]),
                full,
                r["source"],
                [],
                outputs,
            )
            continue
        pid = f"MINE_{r['site']}"
        out.add(
            pid,
            r["site"],
            f"Mining: {r['name']}",
            float(r["cost_per_t_reo"]),
            full,
            r["source"],
            [],
            [(r["concentrate"], 1.0)],
        )
        if r["full_from"]:
            out.ramp(pid, now, r["full_from"], r["source"], status_quo)
    for r in table("circuits"):
        site, cap, cost = r["refinery"], float(r["capacity"]), float(r["cost_per_t"])
        if r["kind"] == "light":
            ndpr, heavy = comp[r["feed"]]
            # capacity in t REO of feed: t NdPr oxide / (NdPr share x recovery), or as given
            to_feed = 1 / (ndpr * SEP_RECOVERY) if r["capacity_basis"].startswith("t NdPr") else 1.0
            pid = f"SEP_{site}"
            outputs = [("NDPR_OX", ndpr * SEP_RECOVERY), ("HRE_CONC", heavy)]
            out.add(
                pid,
                site,
                f"Separation of {r['feed']}",
                cost,
                cap * to_feed,
                r["source"],
                [(r["feed"], 1.0)],
                outputs,
            )
        else:
            pid = f"HSEP_{site}"
            to_feed = 1.0
            outputs = [
                ("DY_OX", HEAVY_RECOVERY * DY_SHARE_OF_HEAVY),
                ("TB_OX", HEAVY_RECOVERY * (1 - DY_SHARE_OF_HEAVY)),
            ]
            out.add(
                pid,
                site,
                "Heavy-RE separation (Dy, Tb)",
                cost,
                cap,
                r["source"],
                [("HRE_CONC", 1.0)],
                outputs,
            )
        if r["full_from"] or (status_quo and r["capacity_2025"] != r["capacity"]):
            out.ramp(
                pid,
                float(r["capacity_2025"]) * to_feed,
                r["full_from"] or LAST_PERIOD,
                r["source"],
                status_quo,
            )
    for r in table("metal_plants"):
        site, cost = r["site"], float(r["cost_per_kg"]) * 1000
        for element, col in (("NDPR", "ndpr_t_per_yr"), ("DY", "dy_t_per_yr"), ("TB", "tb_t_per_yr")):
            if float(r[col]) <= 0:
                continue
            out.add(
                f"MET_{element}_{site}",
                site,
                f"{element} oxide to metal",
                cost,
                float(r[col]),
                r["source"],
                [(f"{element}_OX", OXIDE_PER_METAL[element])],
                [(f"{element}_MET", 1.0)],
            )
    grades = table("grades")
    for r in table("magnet_plants"):
        site, cap = r["site"], float(r["t_per_yr"])
        out.add(
            f"MAKE_{site}",
            site,
            "Sintering of blanks",
            float(r["cost_per_kg"]) * 1000,
            cap,
            r["source"],
            [("NDPR_MET", NDPR_MET_PER_MAGNET)],
            [("BLANK", 1.0)],
        )
        if r["full_from"] or (status_quo and r["t_per_yr_2025"] != r["t_per_yr"]):
            out.ramp(
                f"MAKE_{site}",
                float(r["t_per_yr_2025"]),
                r["full_from"] or LAST_PERIOD,
                r["source"],
                status_quo,
            )
        gbd_cap = cap * float(r["gbd_share"])
        if gbd_cap > 0:
            out.add(
                f"GBD_{site}",
                site,
                "Grain-boundary diffusion step (blank ready for diffusion)",
                0.0,
                gbd_cap,
                r["source"],
                [("BLANK", 1.0)],
                [("BLANK_GBD", 1.0)],
            )
            for h in table("gbd_heavy"):
                metal = h["metal"]
                out.add(
                    f"GBDHRE_{metal[:2]}_{site}",
                    site,
                    f"{metal} for diffusion (t Dy-equivalent)",
                    0.0,
                    None,
                    h["source"],
                    [(metal, float(h["t_per_t_dy_equivalent"]))],
                    [("HRE_GBD", 1.0)],
                )
        for g in grades:
            if g["route"] == "GBD":
                if gbd_cap <= 0:
                    continue
                inputs = [("BLANK_GBD", 1.0), ("HRE_GBD", float(g["dyeq_gbd_per_t"]))]
            else:
                inputs = [("BLANK", 1.0)]
                if float(g["dy_met_per_t"]) > 0:
                    inputs.append(("DY_MET", float(g["dy_met_per_t"])))
            out.add(
                f"{g['grade']}_{g['route']}_{site}",
                site,
                f"{g['grade']} by {g['route']}",
                float(g["extra_cost_per_kg"]) * 1000,
                None,
                g["source"],
                inputs,
                [(g["grade"], 1.0)],
            )
    return out


def _process_id(option: Row) -> str:
    site, kind = option["site"], option["process"]
    return {"SEP_LIGHT": f"SEP_{site}", "SEP_HEAVY": f"HSEP_{site}"}.get(kind, f"{kind}_{site}")


def _options() -> list[dict[str, Any]]:
    """Capacity options: projects not yet committed (``status`` option) the plan may build."""
    rows = []
    for r in table("options"):
        if r["status"] == "committed":
            continue
        modules = int(r["modules"])
        rows.append(
            {
                "option": r["option"],
                "site": r["site"],
                "process": _process_id(r),
                "capacity_added": per_quarter(float(r["t_per_yr"]) / modules),
                "cost_fixed": capital_charge(float(r["capex"]) / modules),
                "lead_time": index_of(r["earliest"]),
                "earliest_period": r["earliest"],
                "integer": modules > 1,
                "max_units": modules,
                "ramp_periods": int(r["ramp_periods"]),
                **prov(r["source"]),
            }
        )
    return rows


def _committed() -> list[dict[str, Any]]:
    """Committed projects (financing closed; capex sunk): capacity added on schedule, ramping up.

    The k-th period from ``earliest`` adds ``t_per_yr x min(1, (k + 1) / (ramp_periods + 1))``, the
    ramp CapacityOptions use, as base ScenarioChanges rows (``add`` to the process capacity).
    """
    rows = []
    for r in table("options"):
        if r["status"] != "committed":
            continue
        first, ramp = index_of(r["earliest"]), int(r["ramp_periods"])
        steps = [
            (PERIODS[first + k], PERIODS[first + k], (k + 1) / (ramp + 1))
            for k in range(min(ramp, len(PERIODS) - first))
        ]
        if first + ramp < len(PERIODS):
            steps.append((PERIODS[first + ramp], LAST_PERIOD, 1.0))
        for start, end, share in steps:
            rows.append(
                {
                    "scenario": "",
                    "table": "Processes",
                    "filter": f"process={_process_id(r)}",
                    "column": "capacity",
                    "action": "add",
                    "value": round(per_quarter(float(r["t_per_yr"])) * share, 3),
                    "start_period": start,
                    "end_period": end,
                    **prov(r["source"]),
                }
            )
    return rows


def _transit(days: float, length: float) -> int:
    """Whole periods a shipment of ``days`` takes in periods of ``length`` days (< half: 0)."""
    return int(math.floor(days / length + 0.5))


def _lanes(status_quo: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Lanes and the transit changes of the monthly part."""
    plant_capacity = {r["site"]: float(r["t_per_yr"]) for r in table("magnet_plants")}
    if not status_quo:
        for o in table("options"):
            if o["process"] == "MAKE":
                plant_capacity[o["site"]] += float(o["t_per_yr"])
    rows: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in table("lanes"):
        days = float(r["transit_days"])
        qualified = r["qualification"] == "yes"
        for origin in words(r["origin"]):
            for dest in words(r["destination"]):
                # A qualified lane is one supplier-buyer pair: one qualification covers every
                # grade the pair trades, so it is one lane carrying the list of them.
                for product in [r["products"]] if qualified else words(r["products"]):
                    lane = f"{origin}-{dest}" if qualified else f"{origin}-{dest}-{product}"
                    if lane in seen:
                        lane += "-NEW"
                    seen.add(lane)
                    row: dict[str, Any] = {
                        "lane": lane,
                        "origin": origin,
                        "destination": dest,
                        "product": product,
                        "mode": r["mode"],
                        "cost_flow": float(r["freight_per_t"]),
                        "transit_periods": _transit(days, QUARTER_DAYS),
                        "tariff_rate": float(r["tariff_2025" if status_quo else "tariff"]),
                        **prov(r["source"]),
                    }
                    if r["capacity_t_per_yr"]:
                        row["capacity"] = per_quarter(float(r["capacity_t_per_yr"]))
                    if qualified:
                        row |= {
                            "capacity": per_quarter(plant_capacity[origin]),
                            "qualification": True,
                            "cost_qualification": QUALIFICATION_COST,
                            "lead_time_qualification": QUALIFICATION_MONTHS,
                        }
                    rows.append(row)
                    monthly = _transit(days, MONTH_DAYS)
                    if monthly != row["transit_periods"]:
                        changes.append(
                            {
                                "scenario": "",
                                "table": "Lanes",
                                "filter": f"lane={lane}",
                                "column": "transit_periods",
                                "action": "set",
                                "value": monthly,
                                "start_period": MONTHS[0],
                                "end_period": MONTHS[-1],
                                **prov(
                                    f"{days:g} days = {monthly} month(s) in the monthly periods (facts §9, §11.7) [A]"
                                ),
                            }
                        )
    return rows, changes


def _contract(r: Row, contract: str, max_t_per_yr: str, **extra: Any) -> dict[str, Any]:
    """A Contracts row from a CSV row (supplier, product, price_per_kg, source): a 'take' contract of
    at most ``max_t_per_yr``, plus ``extra`` columns."""
    return {
        "contract": contract,
        "supplier": r["supplier"],
        "product": r["product"],
        **extra,
        "min_per_period": 0.0,
        "max_per_period": per_quarter(float(max_t_per_yr)),
        "price": float(r["price_per_kg"]) * 1000,
        "take_or_pay": "take",
        **prov(r["source"]),
    }


def _contracts(status_quo: bool) -> list[dict[str, Any]]:
    rows = [_contract(r, f"K_CN_{r['product']}", r["cap_t_per_yr"]) for r in table("china")]
    for name in ("feed_contracts", "sales"):  # bought feed, then world-market sales (side sell)
        for r in table(name):
            if status_quo and r["start"] and index_of(r["start"]) > 0:
                continue
            side = {"side": "sell"} if name == "sales" else {}
            rows.append(
                _contract(r, r["contract"], r["max_t_per_yr"], **side, start_period=r["start"] or None)
            )
    return rows


def annual_demand(region: Row, year: int, status_quo: bool) -> float:
    """t/yr of magnets in a calendar year: the 2025 figure grown at the region's rate."""
    years = 0 if status_quo else year - BASE_YEAR
    return float(region["t_2025"]) * (1 + float(region["growth"])) ** years


def _segments_of(region: Row) -> list[tuple[str, float, str, str]]:
    """(product, share, customer class, source) for a region."""
    if region["site"] == "D_US_DEF":
        return [("MAG_SH", 1.0, US_DEFENCE_CLASS, region["source"])]
    return [(s["product"], float(s["share"]), s["customer_class"], s["source"]) for s in table("segments")]


def _demand(status_quo: bool) -> list[dict[str, Any]]:
    rows = []
    for region in table("demand"):
        penalty = DEFENCE_PENALTY if region["site"] == "D_US_DEF" else None
        for period in PERIODS:
            total = in_period(annual_demand(region, year_of(period), status_quo), period)
            dfars = (
                not status_quo
                and region["site"] == "D_US_DEF"
                and PERIODS.index(period) >= PERIODS.index(DFARS_START)
            )
            for product, share, klass, seg_source in _segments_of(region):
                source = f"{region['source']}; segment: {seg_source}" + (f"; {DFARS_SOURCE}" if dfars else "")
                rows.append(
                    {
                        "site": region["site"],
                        "product": product,
                        "period": period,
                        "quantity": round(total * share, 2),
                        "customer_class": klass,
                        "shortage_penalty": penalty,
                        "no_controlled_content": dfars,
                        **prov(source),
                    }
                )
    return rows


def _stock_tonnes(text: str, region: Row | None, product: str, status_quo: bool) -> float:
    """Tonnes of a stock given as tonnes or as ``weeks:N`` of the region's first-period demand."""
    if not text.startswith("weeks:"):
        return float(text)
    assert region is not None, "weeks of demand need a demand region"
    share = sum(s for p, s, _k, _src in _segments_of(region) if p == product)
    per_year = annual_demand(region, year_of(PERIODS[0]), status_quo) * share
    return round(per_year * float(text.split(":")[1]) * 7 / 365.25, 1)


def _inventory(status_quo: bool) -> list[dict[str, Any]]:
    value = {r["product"]: float(r["value_per_kg"]) * 1000 for r in table("products")}
    regions = {r["site"]: r for r in table("demand")}
    rows = []
    for r in table("stocks"):
        for site in words(r["site"]):
            for product in words(r["product"]):
                floor = r["floor"]
                rows.append(
                    {
                        "site": site,
                        "product": product,
                        "initial_stock": _stock_tonnes(r["opening"], regions.get(site), product, status_quo),
                        "min_stock": _stock_tonnes(floor, regions.get(site), product, status_quo)
                        if floor
                        else None,
                        "floor_penalty": FLOOR_PENALTY if floor else None,
                        "cost_holding": per_quarter(value[product] * HOLDING_RATE),
                        **prov(r["source"]),
                    }
                )
    return rows


def _groups() -> list[dict[str, Any]]:
    return [
        {"group": r["group"], "kind": r["kind"], "member": m, **prov(r["source"])}
        for r in table("groups")
        for m in words(r["member"])
    ]


def _days_to_periods(days: float, length: float) -> float:
    return round(days / length, 3)


def demand_index(year: int) -> float:
    """Magnet demand of all regions in ``year`` relative to 2025 (demand.csv growth rates)."""
    regions = table("demand")
    return sum(annual_demand(r, year, False) for r in regions) / sum(
        annual_demand(r, BASE_YEAR, False) for r in regions
    )


def _reference_volumes() -> tuple[dict[tuple[str, str], tuple[float, str]], list[dict[str, Any]]]:
    """What the buyers file for under a partial-share rule (licence_reference.csv): their 2025 use
    grown with magnet demand. Returns (rule, product) -> (t per quarter in the first year, source)
    and base ScenarioChanges rows that set each later year's value."""
    first_year = year_of(PERIODS[0])
    years = sorted({year_of(p) for p in PERIODS})
    values: dict[tuple[str, str], tuple[float, str]] = {}
    changes: list[dict[str, Any]] = []
    for r in table("licence_reference"):
        per_year = float(r["t_per_yr_2025"])
        key = (r["rule"], r["product"])
        values[key] = (round(per_quarter(per_year * demand_index(first_year)), 3), r["source"])
        for year in years[1:]:
            in_year = [p for p in PERIODS if year_of(p) == year]
            changes.append(
                {
                    "scenario": "",
                    "table": "ExportControls",
                    "filter": f"rule={key[0]}; product={key[1]}",
                    "column": "reference_volume",
                    "action": "set",
                    "value": round(per_quarter(per_year * demand_index(year)), 3),
                    "start_period": in_year[0],
                    "end_period": in_year[-1],
                    **prov(r["source"]),
                }
            )
    return values, changes


def _export_controls(references: dict[tuple[str, str], tuple[float, str]]) -> list[dict[str, Any]]:
    """ExportControls rows: one per rule and product; ``references`` from :func:`_reference_volumes`."""
    rows = []
    for r in table("licence_rules"):
        delay = float(r["delay_days"])
        if delay:
            raise SystemExit("licence_rules.csv: give a base review delay through scenario_changes.csv")
        for product in words(r["products"]):
            reference, ref_source = references.get((r["rule"], product), (None, ""))
            source = f"{r['source']}; reference volume: {ref_source}" if ref_source else r["source"]
            rows.append(
                {
                    "rule": r["rule"],
                    "country": "CN",
                    "product": product,
                    "destination_group": r["destination_group"],
                    "end_use": r["end_use"],
                    "start_period": r["start"] or None,
                    "end_period": r["end"] or None,
                    "content_threshold": num(r["content_threshold"]),
                    "approval_share": float(r["approval"]),
                    "review_delay": 0.0,
                    "reference_volume": reference,
                    **prov(source),
                }
            )
    return rows


def _scenario_changes() -> list[dict[str, Any]]:
    """ScenarioChanges rows; ``days:N`` values become periods per run of equal-length periods."""
    rows = []
    for r in table("scenario_changes"):
        end = r["end"] or LAST_PERIOD
        base = {
            "scenario": r["scenario"],
            "table": r["table"],
            "filter": r["filter"],
            "column": r["column"],
            "action": r["action"],
            **prov(r["source"]),
        }
        if r["value"].startswith("days:"):
            days = float(r["value"].split(":")[1])
            for first, last, length in split_by_length(r["start"], end):
                rows.append(
                    base
                    | {"value": _days_to_periods(days, length), "start_period": first, "end_period": last}
                )
        else:
            rows.append(base | {"value": float(r["value"]), "start_period": r["start"], "end_period": end})
    return rows


def _disruptions() -> list[dict[str, Any]]:
    """Nodes for ``planner stress``; TTR in periods from the reveal (months in 2027)."""
    return [
        {
            "disruption": r["disruption"],
            "kind": r["kind"],
            "target": r["target"],
            "ttr_periods": _days_to_periods(float(r["ttr_days"]), MONTH_DAYS),
            "description": r["description"],
            **prov(f"{r['source']}; {r['ttr_days']} days in months [D]"),
        }
        for r in table("disruptions")
    ]


def settings_table() -> dict[str, Any]:
    """Settings; a ``highs_<option>`` row passes a HiGHS option (``settings["highs_options"]``)."""
    out: dict[str, Any] = {HIGHS_SETTINGS: {}}
    for r in table("settings"):
        key, v = r["setting"], r["value"]
        value: Any
        try:
            value = float(v)
        except ValueError:
            value = v
        if key.startswith(HIGHS_PREFIX):
            out[HIGHS_SETTINGS][key[len(HIGHS_PREFIX) :]] = value
        else:
            out[key] = value
    return out


def build_records(status_quo: bool = False) -> tuple[Records, dict[str, Any]]:
    """Records (sheet -> rows) and settings of the example or of its 2025 status-quo variant.

    ``status_quo``: 2025 capacities and demand throughout, no capacity options or candidate sites,
    no licence rules, one scenario; the calibration tests run on its first twelve months.
    """
    procs = _processes(status_quo)
    lanes, transit_changes = _lanes(status_quo)
    records: Records = {
        "Periods": _periods(),
        "Products": _products(),
        "Groups": _groups(),
        "Sites": _sites(status_quo),
        "Processes": procs.rows,
        "ProcessFlows": procs.flows,
        "Lanes": lanes,
        "Contracts": _contracts(status_quo),
        "Demand": _demand(status_quo),
        "Inventory": _inventory(status_quo),
    }
    base_changes = procs.ramps + transit_changes
    settings = settings_table()
    if status_quo:
        sites = {r["site"] for r in records["Sites"]}
        records["Processes"] = [p for p in records["Processes"] if p["site"] in sites]
        kept = {p["process"] for p in records["Processes"]}
        records["ProcessFlows"] = [f for f in records["ProcessFlows"] if f["process"] in kept]
        records["Lanes"] = [
            ln for ln in records["Lanes"] if ln["origin"] in sites and ln["destination"] in sites
        ]
        lanes_kept = {ln["lane"] for ln in records["Lanes"]}
        ids = {"Processes": kept, "Lanes": lanes_kept}
        base_changes = [c for c in base_changes if c["filter"].split("=", 1)[1] in ids[c["table"]]]
        records["Scenarios"] = [
            {
                "scenario": "STATUS_QUO",
                "probability": 1.0,
                "description": "2025 status quo: 2025 capacities and demand, no licence restrictions",
                **prov("assumption: calibration variant"),
            }
        ]
        records["ScenarioChanges"] = base_changes
        settings["reveal_period"] = None
    else:
        records["CapacityOptions"] = _options()
        references, reference_changes = _reference_volumes()
        records["ExportControls"] = _export_controls(references)
        records["Disruptions"] = _disruptions()
        records["Scenarios"] = [
            {
                "scenario": r["scenario"],
                "probability": float(r["probability"]),
                "description": r["description"],
                **prov(r["source"]),
            }
            for r in table("scenarios")
        ]
        records["ScenarioChanges"] = base_changes + _committed() + reference_changes + _scenario_changes()
    return records, settings


def build_data(status_quo: bool = False) -> InputData:
    """The example (or its status-quo variant) as InputData."""
    records, settings = build_records(status_quo=status_quo)
    return from_records(records, settings)


def write(path: Path, status_quo: bool = False) -> InputData:
    """Build, validate (raise on any error) and write the workbook; return the data written."""
    data = build_data(status_quo=status_quo)
    issues = validate(data)
    errors, _warnings = count(issues)
    if errors:
        listing = "\n".join(str(i) for i in issues if i.severity == "error")
        raise SystemExit(f"the example does not validate:\n{listing}")
    write_input_workbook(data, path)
    return data


def main(argv: list[str] | None = None) -> int:
    """Command line: build and write the example or its status-quo variant."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out", nargs="?", type=Path, default=None, help=f"output workbook (default {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--status-quo", action="store_true", help="2025 status quo: one scenario, no licences"
    )
    args = parser.parse_args(argv)
    if args.out is None and args.status_quo:
        parser.error("give an output path for the status-quo variant (inputs/example.xlsx is the example)")
    out = args.out or DEFAULT_OUT
    data = write(out, status_quo=args.status_quo)
    n = sum(len(f) for f in data.tables.values())
    sys.stdout.write(f"wrote {out} ({n} rows, {math.ceil(out.stat().st_size / 1024)} KB)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
