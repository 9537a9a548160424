"""The manager reports of the sampled analyses: :func:`replay_report` (``planner replay``) here and
:func:`planner.report.saa_report.saa_report` (``planner saa``), each a :class:`ReportContent` for
:func:`planner.io.report_writer.write_report` (no Pyomo, no openpyxl), and the helpers they share
(money in words, intervals, the run sheet, the content frame).

Every estimate here comes from a finite sample of draws, so the words say how sure it is: a
difference between the plan and the expected-value plan is measured over the same draws (paired)
with a 95% t-interval, and an interval containing 0 reads "no difference beyond sampling error".
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planner.metrics import fmt_money, fmt_pct
from planner.report.content import (
    Block,
    ChartSpec,
    Kind,
    ReportContent,
    SheetSpec,
    Tile,
)
from planner.saa import mean_interval

if TYPE_CHECKING:
    from planner.replay import ReplayResult

PLAN = "plan"
BASELINE = "expected-value plan"
PLAN_NAMES = {PLAN: "The plan", BASELINE: "Expected-value plan"}
Z95 = 1.959963984540054
"""Normal quantile of a two-sided 95% interval (Wilson interval of a share of draws)."""
HISTOGRAM_BINS = 8
PRINTED_DRAWS = 30
"""Rows of a per-draw table that print (a landscape page); every row is on screen."""
PLAN_COLOURS = ["1F3864", "A5A5A5"]
"""The plan dark blue, the expected-value plan grey, in every chart."""

PLANS = "Plans"
DRAWS = "Draws"
RUN = "Run info"


# ----------------------------------------------------------------------------- numbers in words


def money(value: float, currency: str = "USD") -> str:
    """Money precise enough to compare close estimates: ``1_272_000`` -> ``$1.272M``, ``27_182`` -> ``$27.2k``."""
    return fmt_money(value, currency, precise=True)


def _short(value: float, currency: str) -> str:
    """Three significant figures: ``1_043_210`` -> ``$1.04M`` (a chart's band label)."""
    from planner.metrics import CURRENCY_SYMBOLS

    sym = CURRENCY_SYMBOLS.get(currency.upper(), "")
    v = abs(value)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k"), (1.0, "")):
        if v >= div or div == 1.0:
            num = f"{value / div:.3g}{suffix}"
            return f"{sym}{num}" if sym else f"{num} {currency}"
    return str(value)


_SAMPLE_PREFIX = re.compile(r"^sample of \d+, seed \d+: \d+ draw\(s\) of ")


def _drawn(description: object) -> str:
    """A sampled scenario's description without the sample size, seed and count the report states
    elsewhere: ``regime BAN; JP_PRICE = 8e+04``."""
    return _SAMPLE_PREFIX.sub("", str(description))


def _interval(low: float, high: float, currency: str) -> str:
    return f"{money(low, currency)} to {money(high, currency)}"


def wilson(hits: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a share ``hits / n`` (sensible at 0% and 100%, unlike ±z·se)."""
    if n <= 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _gap_text(mip_gap: float | None) -> str:
    if mip_gap is None:
        return "each solve to the workbook's MIP gap"
    return (
        "each solve proven optimal (MIP gap 0)"
        if mip_gap <= 0
        else f"each solve to a MIP gap of {mip_gap:.2%}"
    )


def _run_sheet(
    manifest: dict[str, Any] | None, items: list[tuple[str, Any, Kind]], now: datetime
) -> SheetSpec:
    man = manifest or {}
    inp = man.get("input", {})
    ver = man.get("versions", {})
    opts = man.get("options", {})
    rows: list[tuple[str, Any, Kind]] = [
        ("Input file", inp.get("file") or "-", "text"),
        ("Input SHA-256", inp.get("sha256") or "-", "text"),
        ("Run started (UTC)", man.get("started_utc") or "-", "text"),
        ("Report written (UTC)", now.astimezone(UTC).isoformat(timespec="seconds"), "text"),
        *items,
        ("MIP gap of each solve", opts.get("mip_gap", "-"), "general"),
        ("Time limit of each solve", opts.get("time_limit", "-"), "seconds"),
        ("Threads (0 = automatic)", opts.get("threads", "-"), "general"),
        ("Planner version", ver.get("planner", "-"), "text"),
        ("Solver", ver.get("solver", "-"), "text"),
        ("Command", " ".join(map(str, man.get("command") or [])) or "-", "text"),
    ]
    frame = pd.DataFrame({"Item": [r[0] for r in rows], "Value": [r[1] for r in rows]})
    return SheetSpec(
        RUN,
        "Run information",
        "Where the numbers come from: input file, sample sizes and seed, solver settings.",
        [Block("run", "Run", frame, row_kinds={"Value": [r[2] for r in rows]})],
        freeze=False,
    )


def _content(
    title: str,
    subtitle: str,
    currency: str,
    mass_unit: str,
    tiles: list[Tile],
    findings: list[tuple[str, str]],
    charts: list[ChartSpec],
    sheets: list[SheetSpec],
    note: str,
    alerts: list[str],
    input_path: str | None,
) -> ReportContent:
    return ReportContent(
        title=title,
        subtitle=subtitle,
        currency=currency,
        mass_unit=mass_unit,
        tiles=tiles,
        findings=[f[0] for f in findings],
        finding_sheets=[f[1] for f in findings],
        notes=[],
        alerts=alerts,
        assumption_note=note,
        charts=charts,
        sheets=sheets,
        input_path=input_path,
        findings_on_page_one=True,
    )


# ----------------------------------------------------------------------------- replay


def paired_difference(
    outcomes: pd.DataFrame, plan: str = PLAN, baseline: str = BASELINE
) -> dict[str, float] | None:
    """Expected cost of ``plan`` minus that of ``baseline`` over the same draws, with its 95%
    t-interval (draw-weighted: a row of the outcomes stands for ``draws`` identical draws); None
    when either plan is missing or breaks a hard constraint in some draw (infinite cost)."""
    a = outcomes.loc[outcomes["plan"] == plan, ["scenario", "draws", "total_cost"]]
    b = outcomes.loc[outcomes["plan"] == baseline, ["scenario", "total_cost"]]
    both = a.merge(b, on="scenario", suffixes=("", "_base"))
    if both.empty:
        return None
    diff = both["total_cost"].to_numpy(float) - both["total_cost_base"].to_numpy(float)
    if not np.isfinite(diff).all():
        return None
    w = both["draws"].to_numpy(float)
    mean, half = mean_interval(diff, w)
    scale = max(1.0, float(np.abs(both["total_cost_base"].to_numpy(float)).max()))
    return {
        "mean": mean,
        "low": mean - half,
        "high": mean + half,
        "draws": float(w.sum()),
        "identical": float(np.all(np.abs(diff) <= 1e-9 * scale)),
        "cheaper_share": float(w[diff < -1e-9 * scale].sum() / w.sum()),
        "dearer_share": float(w[diff > 1e-9 * scale].sum() / w.sum()),
    }


def _difference_words(d: dict[str, float] | None, currency: str) -> str:
    if d is None:
        return (
            "The difference between the plan and the expected-value plan cannot be estimated: a plan breaks a "
            "hard constraint in some draw (its cost there is unbounded; see the Draws sheet)."
        )
    n = int(d["draws"])
    if d["identical"]:
        return (
            f"The plan and the expected-value plan cost the same in every one of the {n} draws: on these inputs "
            "planning for the average regime gives the same first-stage decisions (or ones that cost the same)."
        )
    ci = _interval(d["low"], d["high"], currency)
    if d["low"] <= 0 <= d["high"]:
        return (
            f"Over the same {n} draws the plan's expected cost differs from the expected-value plan's by "
            f"{money(d['mean'], currency)} (95% CI {ci}): no difference beyond sampling error. The plan is "
            f"cheaper in {fmt_pct(d['cheaper_share'])} of draws and dearer in {fmt_pct(d['dearer_share'])}."
        )
    word = "less" if d["mean"] < 0 else "more"
    return (
        f"Over the same {n} draws the plan costs {money(abs(d['mean']), currency)} {word} in expectation than "
        f"the expected-value plan (95% CI of plan minus expected-value plan {ci}): a difference beyond "
        f"sampling error. The plan is cheaper in {fmt_pct(d['cheaper_share'])} of draws and dearer in "
        f"{fmt_pct(d['dearer_share'])}."
    )


def _histogram(outcomes: pd.DataFrame, plans: list[str], currency: str) -> pd.DataFrame:
    """Share of each plan's draws by cost: each distinct cost when there are at most
    :data:`HISTOGRAM_BINS` of them, else equal bands from the least to the largest finite cost."""
    finite = outcomes[np.isfinite(outcomes["total_cost"].to_numpy(float))]
    if finite.empty:
        return pd.DataFrame(columns=["Cost"])
    costs = finite["total_cost"].to_numpy(float)
    distinct = np.unique(np.round(costs, 6))
    if len(distinct) <= HISTOGRAM_BINS:
        edges = np.append(distinct, np.inf)
        labels = [money(float(v), currency) for v in distinct]
    else:
        edges = np.linspace(float(costs.min()), float(costs.max()), HISTOGRAM_BINS + 1)
        labels = [
            f"{_short(edges[i], currency)}-{_short(edges[i + 1], currency)}" for i in range(HISTOGRAM_BINS)
        ]
    bins = len(labels)
    frame = pd.DataFrame({"Cost": labels})
    for p in plans:
        g = finite[finite["plan"] == p]
        total = float(outcomes.loc[outcomes["plan"] == p, "draws"].sum())
        idx = np.searchsorted(edges, np.round(g["total_cost"].to_numpy(float), 6), side="right") - 1
        idx = np.clip(idx, 0, bins - 1)
        share = np.bincount(idx, weights=g["draws"].to_numpy(float), minlength=bins) / max(total, 1.0)
        frame[PLAN_NAMES.get(p, p)] = share
    return frame


def replay_report(
    result: ReplayResult,
    manifest: dict[str, Any] | None = None,
    currency: str = "USD",
    mass_unit: str = "t",
    input_path: str | None = None,
    now: datetime | None = None,
) -> ReportContent:
    """The report of ``planner replay``: tiles per plan, findings that respect sampling error, cost
    quantiles and the distribution of cost as charts, the per-plan summary and the per-draw outcomes."""
    now = now or datetime.now(UTC)
    summary = result.summary
    outcomes = result.outcomes
    plans = [str(p) for p in summary["plan"]]
    mip_gap = (manifest or {}).get("options", {}).get("mip_gap")
    k = result.evaluate

    tiles: list[Tile] = []
    for r in summary.itertuples():
        name = PLAN_NAMES.get(str(r.plan), str(r.plan))
        w = outcomes.loc[outcomes["plan"] == r.plan]
        cost = w["total_cost"].to_numpy(float)
        draws = w["draws"].to_numpy(float)
        _, half = mean_interval(cost, draws) if np.isfinite(cost).all() else (math.inf, math.inf)
        short_lo, short_hi = wilson(float(r.share_of_draws_short) * float(r.draws), float(r.draws))
        tiles += [
            Tile(
                f"{name}: expected cost",
                float(r.expected_cost),
                "money",
                f"± {money(half, currency)} (95% CI)",
                digits=3,
            ),
            Tile(f"{name}: 95% quantile", float(r.cost_p95), "money", "19 draws in 20 cost no more"),
            Tile(f"{name}: worst cost", float(r.cost_max), "money", f"the costliest of {int(r.draws)} draws"),
            Tile(
                f"{name}: draws short",
                float(r.share_of_draws_short),
                "pct",
                f"95% CI {fmt_pct(short_lo)} to {fmt_pct(short_hi)}; worst {r.shortage_max:,.1f} {mass_unit}",
                alert=float(r.share_of_draws_short) > 0,
            ),
        ]

    diff = paired_difference(outcomes) if {PLAN, BASELINE} <= set(plans) else None
    findings: list[tuple[str, str]] = []
    if {PLAN, BASELINE} <= set(plans):
        findings.append((_difference_words(diff, currency), PLANS))
    for r in summary.itertuples():
        name = PLAN_NAMES.get(str(r.plan), str(r.plan))
        tail = (
            f"{name}: expected cost {money(float(r.expected_cost), currency)}; half the draws cost at most "
            f"{money(float(r.cost_p50), currency)}, 19 in 20 at most {money(float(r.cost_p95), currency)}, and the "
            f"worst draw {money(float(r.cost_max), currency)}."
        )
        if float(r.share_of_draws_short) > 0:
            lo, hi = wilson(float(r.share_of_draws_short) * float(r.draws), float(r.draws))
            tail += (
                f" Demand goes short in {fmt_pct(float(r.share_of_draws_short))} of draws (95% CI {fmt_pct(lo)} "
                f"to {fmt_pct(hi)}), by up to {r.shortage_max:,.1f} {mass_unit}."
            )
        else:
            hi = wilson(0.0, float(r.draws))[1]
            tail += (
                f" No draw goes short (with {int(r.draws)} draws, a shortage risk above {fmt_pct(hi)} would "
                "most likely have shown)."
            )
        findings.append((tail, PLANS))
    findings.append(
        (
            f"The quantiles are of {k} draws: a 95% quantile rests on the costliest {max(1, round(0.05 * k))} "
            "draws, so it moves with the seed more than the expected cost does; draw more (--evaluate) to "
            "pin the tail down.",
            DRAWS,
        )
    )

    names = [PLAN_NAMES.get(p, p) for p in plans]
    # one row per measure, one column per plan; the first five rows (money) are the chart's
    measures: list[tuple[str, str, Kind]] = [
        ("Expected cost", "expected_cost", "money"),
        ("Median", "cost_p50", "money"),
        ("90% quantile", "cost_p90", "money"),
        ("95% quantile", "cost_p95", "money"),
        ("Worst draw", "cost_max", "money"),
        ("Standard deviation of cost", "cost_sd", "money"),
        ("Draws", "draws", "int"),
        ("Expected shortage", "expected_shortage", "t"),
        ("Draws short", "share_of_draws_short", "pct"),
        ("95% quantile of shortage", "shortage_p95", "t"),
        ("Worst shortage", "shortage_max", "t"),
        ("Expected service level", "expected_service", "pct"),
    ]
    per_plan = pd.DataFrame({"Measure": [m[0] for m in measures]})
    for p, name in zip(plans, names, strict=True):
        row = summary.loc[summary["plan"] == p].iloc[0]
        per_plan[name] = [float(row[m[1]]) for m in measures]
    per_plan = per_plan.replace([np.inf, -np.inf], np.nan)
    blocks = [
        Block(
            "plans",
            "Each plan over the same draws",
            per_plan,
            row_kinds=dict.fromkeys(names, [m[2] for m in measures]),
        )
    ]
    if diff is not None:
        d = pd.DataFrame(
            {
                "Plan minus expected-value plan": [
                    "Expected cost",
                    "95% CI, low",
                    "95% CI, high",
                    "Draws where the plan is cheaper",
                    "Draws where the plan is dearer",
                ],
                "Value": [
                    diff["mean"],
                    diff["low"],
                    diff["high"],
                    diff["cheaper_share"],
                    diff["dearer_share"],
                ],
            }
        )
        blocks.append(
            Block(
                "difference",
                "Paired difference over the same draws (negative: the plan is cheaper)",
                d,
                row_kinds={"Value": ["money", "money", "money", "pct", "pct"]},
            )
        )
    hist = _histogram(outcomes, plans, currency)
    side = [
        Block(
            "histogram",
            "Share of each plan's draws by cost",
            hist,
            kinds={n: "pct" for n in names if n in hist.columns},
        )
    ]
    draws = outcomes.assign(plan=[PLAN_NAMES.get(str(p), str(p)) for p in outcomes["plan"]])
    draws = draws.sort_values(["plan", "total_cost"], ascending=[False, False], kind="stable")
    draws = draws.assign(description=[_drawn(x) for x in draws["description"]]).rename(
        columns={
            "plan": "Plan",
            "scenario": "Sampled scenario",
            "draws": "Draws",
            "probability": "Share of draws",
            "total_cost": "Cost",
            "shortage": "Shortage",
            "service_level": "Service level",
            "description": "Drawn",
        }
    )
    draw_sheet = SheetSpec(
        DRAWS,
        "Outcome of each plan in each sampled scenario",
        "Identical draws are merged into one sampled scenario (Draws counts them); costliest first per plan. "
        f"Printed: the first {PRINTED_DRAWS} rows; every row is on screen (filter it) and in the run folder's "
        "tables.xlsx.",
        [],
        detail=Block(
            "outcomes",
            "Outcomes per sampled scenario",
            draws.reset_index(drop=True),
            kinds={
                "Draws": "int",
                "Share of draws": "pct",
                "Cost": "money",
                "Shortage": "t",
                "Service level": "pct",
            },
            highlight={"Shortage": "positive"},
        ),
        print_rows=PRINTED_DRAWS,
    )
    sheets = [
        SheetSpec(
            PLANS,
            "The plan and the expected-value plan on sampled scenarios",
            "Each plan's first stage (designs and every operation before the reveal) is fixed; the rest is "
            "re-optimised in every draw. Both plans see the same draws.",
            blocks,
            extra=side,
            freeze=False,
        ),
        draw_sheet,
        _run_sheet(
            manifest,
            [("Draws (K)", k, "int"), ("Sample seed", result.seed, "int")],
            now,
        ),
    ]
    charts = [
        ChartSpec(
            "col",
            "Cost per plan: expected, quantiles and worst draw",
            PLANS,
            "plans",
            "Measure",
            names,
            f"Cost ({currency})",
            "money",
            rows=5,
            colours=PLAN_COLOURS,
        ),
    ]
    if len(hist):
        charts.append(
            ChartSpec(
                "col",
                "Distribution of cost: share of draws at each cost",
                PLANS,
                "histogram",
                "Cost",
                [n for n in names if n in hist.columns],
                "Share of draws",
                "pct",
                colours=PLAN_COLOURS,
            )
        )
    subtitle = (
        f"{k} draws sampled with seed {result.seed} (a regime from the Scenarios sheet per draw, then the "
        f"Distributions factors); both plans priced on the same draws, {_gap_text(mip_gap)}. Costs in "
        f"{currency}, quantities in {mass_unit}. Report of {now.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
    )
    note = (
        "The expected-value plan is the plan made for one scenario of average values. Intervals are 95%; "
        "quantiles are draw values (no interpolation)."
    )
    alerts = []
    if not all(np.isfinite(outcomes["total_cost"].to_numpy(float))):
        alerts.append(
            "A plan breaks a hard constraint in some draws (cost shown as empty): see the Draws sheet."
        )
    return _content(
        "Sampled scenarios: how the plan fares",
        subtitle,
        currency,
        mass_unit,
        tiles,
        findings,
        charts,
        sheets,
        note,
        alerts,
        input_path,
    )


__all__ = ["money", "paired_difference", "replay_report", "wilson"]
