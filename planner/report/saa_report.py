"""The report of ``planner saa`` (:func:`saa_report`): the candidate plan's estimated cost, the
lower bound and the optimality gap with their 95% intervals, in tiles, words, charts and detail
sheets (shared helpers in :mod:`planner.report.sampled`)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planner.metrics import fmt_pct
from planner.report.content import (
    Block,
    ChartSpec,
    Kind,
    ReportContent,
    SheetSpec,
    Tile,
)
from planner.report.sampled import (
    PRINTED_DRAWS,
    _content,
    _drawn,
    _gap_text,
    _interval,
    _run_sheet,
    money,
)
from planner.saa import CONFIDENCE

if TYPE_CHECKING:
    from planner.saa import SaaResult

SAA_SHEET = "Bounds"
PLAN_SHEET = "Plan"

DESIGN_WORDS = {
    "v_open": "Open site",
    "v_build": "Build (units of option)",
    "v_qualify": "Qualify lane",
    "v_assign": "Assign",
}


def saa_report(
    result: SaaResult,
    manifest: dict[str, Any] | None = None,
    currency: str = "USD",
    mass_unit: str = "t",
    input_path: str | None = None,
    now: datetime | None = None,
) -> ReportContent:
    """The report of ``planner saa``: the plan's estimated cost (upper bound), the lower bound and
    the optimality gap with their 95% intervals as tiles and words, the replications as a chart,
    and the replications, evaluation draws and the plan's decisions as detail sheets."""
    now = now or datetime.now(UTC)
    r = result
    mip_gap = (manifest or {}).get("options", {}).get("mip_gap")
    conf = f"{CONFIDENCE:.0%}"
    ub_lo, ub_hi = r.upper_bound_ci
    lb_lo, lb_hi = r.lower_bound_ci
    share = r.gap_ci_upper / r.upper_bound if math.isfinite(r.upper_bound) and r.upper_bound > 0 else math.nan
    tiles = [
        Tile(
            "Plan's expected cost",
            r.upper_bound,
            "money",
            f"upper bound; {conf} CI {_interval(ub_lo, ub_hi, currency)}",
            digits=3,
        ),
        Tile(
            "Best possible cost, at least",
            r.lower_bound,
            "money",
            f"lower bound; {conf} CI {_interval(lb_lo, lb_hi, currency)}",
            digits=3,
        ),
        Tile(
            "Optimality gap, estimate",
            r.gap,
            "money",
            f"mean over {r.replications} replications",
        ),
        Tile(
            f"Gap, {conf} upper bound",
            r.gap_ci_upper,
            "money",
            f"{fmt_pct(share)} of the plan's cost" if math.isfinite(share) else "",
            alert=not math.isfinite(r.gap_ci_upper),
        ),
    ]
    findings: list[tuple[str, str]] = []
    if math.isfinite(r.gap_ci_upper):
        findings.append(
            (
                f"With {conf} confidence the plan is within {money(r.gap_ci_upper, currency)} "
                f"({fmt_pct(share)} of its expected cost) of the best possible expected cost: the one-sided "
                f"upper bound on its optimality gap (estimate {money(r.gap, currency)}, from {r.replications} "
                f"independent samples of {r.sample} draws).",
                SAA_SHEET,
            )
        )
    else:
        findings.append(
            (
                "The plan breaks a hard constraint in some sampled draw, so its gap is unbounded: it is not "
                "robust to every regime the Scenarios and Distributions sheets allow.",
                SAA_SHEET,
            )
        )
    findings.append(
        (
            f"The plan's expected cost is estimated at {money(r.upper_bound, currency)} ({conf} CI "
            f"{_interval(ub_lo, ub_hi, currency)}) from {r.evaluate} fresh draws; no plan can expect less than "
            f"about {money(r.lower_bound, currency)} ({conf} CI {_interval(lb_lo, lb_hi, currency)}).",
            SAA_SHEET,
        )
    )
    if math.isfinite(r.upper_bound) and r.upper_bound < r.lower_bound:
        findings.append(
            (
                f"The cost estimate lies {money(r.lower_bound - r.upper_bound, currency)} below the lower bound: "
                "the two come from different samples and their intervals overlap, so this is sampling error. "
                "The gap measured on the same samples (above) is the figure to use.",
                SAA_SHEET,
            )
        )
    if math.isfinite(r.upper_bound):
        bias = r.upper_bound - r.candidate_objective
        findings.append(
            (
                f"On its own {r.sample} draws the plan cost {money(r.candidate_objective, currency)}; on fresh "
                f"draws {money(r.upper_bound, currency)} ({'+' if bias >= 0 else '-'}"
                f"{money(abs(bias), currency)}). A plan's cost on the sample it was chosen on tends to be "
                "optimistic; the fresh-draw figure is the one to budget.",
                PLAN_SHEET,
            )
        )
    if math.isfinite(share):
        advice = (
            "close enough for most decisions; more draws would change little"
            if share <= 0.01
            else "worth narrowing: raise --sample N for a better plan, --replications M for a tighter bound"
        )
        findings.append((f"A gap bound of {fmt_pct(share)} is {advice}.", SAA_SHEET))
    decisions = r.decisions.copy()
    words = [
        f"{DESIGN_WORDS.get(str(v), str(v))} {i}" + ("" if abs(x - 1) < 1e-9 else f" ({x:,.2f})")
        for v, i, x in zip(decisions["variable"], decisions["index"], decisions["value"], strict=True)
    ]
    findings.append(
        (
            "The plan commits to: "
            + ("; ".join(words[:8]) + (f" and {len(words) - 8} more" if len(words) > 8 else ""))
            + "."
            if words
            else "The plan commits to no design decision (no site opened, nothing built or qualified).",
            PLAN_SHEET,
        )
    )

    t = r.table
    reps = pd.DataFrame(
        {
            "Replication": [f"R{int(j)}" for j in t["replication"]],
            "Seed": t["seed"],
            "Scenarios": t["scenarios"],
            "Best cost of its sample": t["optimum"],
            "Lower bound (proven)": t["bound"],
            "Plan's cost on the sample": t["candidate_cost"],
            "Gap": t["gap"],
        }
    ).replace([np.inf, -np.inf], np.nan)
    rep_kinds: dict[str, Kind] = {c: "money" for c in reps.columns[3:]}
    rep_kinds.update({"Seed": "general", "Scenarios": "int"})
    gap_bound = f"Gap, {conf} upper bound"
    chart_data = pd.DataFrame(
        {
            "Replication": reps["Replication"],
            "Gap": reps["Gap"],
            "Mean gap": r.gap,
            gap_bound: r.gap_ci_upper,
            "Lower bound": reps["Lower bound (proven)"],
            "Plan's expected cost": r.upper_bound,
            f"Its {conf} CI, low": ub_lo,
            f"Its {conf} CI, high": ub_hi,
        }
    ).replace([np.inf, -np.inf], np.nan)
    bounds = pd.DataFrame(
        {
            "Estimate": ["Plan's expected cost", "Lower bound", "Optimality gap", "In-sample cost"],
            "From": [
                f"{r.evaluate} fresh draws",
                f"{r.replications} samples of {r.sample}",
                f"the same {r.replications} samples",
                f"the plan's own {r.sample} draws",
            ],
            "Value": [r.upper_bound, r.lower_bound, r.gap, r.candidate_objective],
            f"{conf} CI, low": [ub_lo, lb_lo, math.nan, math.nan],
            f"{conf} CI, high": [ub_hi, lb_hi, r.gap_ci_upper, math.nan],
        }
    ).replace([np.inf, -np.inf], np.nan)
    ev = r.evaluation.sort_values("cost", ascending=False, kind="stable")
    ev = ev.assign(description=[_drawn(x) for x in ev["description"]]).rename(
        columns={
            "scenario": "Sampled scenario",
            "draws": "Draws",
            "probability": "Share of draws",
            "description": "Drawn",
            "cost": "Plan's cost",
        }
    )
    ev = ev[["Sampled scenario", "Draws", "Share of draws", "Plan's cost", "Drawn"]].replace(
        [np.inf, -np.inf], np.nan
    )
    dec = pd.DataFrame(
        {
            "Decision": [DESIGN_WORDS.get(str(v), str(v)) for v in decisions["variable"]],
            "What": decisions["index"].astype(str),
            "Value": decisions["value"],
        }
    )
    sheets = [
        SheetSpec(
            SAA_SHEET,
            "Bounds on the plan's expected cost",
            "Sample-average approximation (Mak, Morton and Wood 1999): the plan is chosen on one sample; "
            "independent samples (replications) bound the best possible cost from below, and the plan priced on "
            "each of them gives that sample's gap; fresh draws price the plan.",
            [
                Block(
                    "bounds",
                    "Estimates with their 95% confidence intervals (the gap's is one-sided)",
                    bounds,
                    kinds={c: "money" for c in bounds.columns[2:]},
                ),
                Block(
                    "replications",
                    "Replications: each sample's best cost against the plan's cost on the same sample",
                    reps,
                    kinds=rep_kinds,
                ),
                Block(
                    "chart_data",
                    "The charts' data: each replication against the estimates",
                    chart_data,
                    kinds={c: "money" for c in chart_data.columns[1:]},
                ),
            ],
            freeze=False,
        ),
        SheetSpec(
            PLAN_SHEET,
            "The plan and its cost on fresh draws",
            "The plan's design decisions (first stage, chosen on the candidate sample; every other decision adapts "
            "to the regime), and its cost on each fresh draw: identical draws are merged into one sampled "
            f"scenario (Draws counts them), costliest first. Printed: the first {PRINTED_DRAWS} rows of the table "
            "on the right; every row is on screen and in the run folder's tables.xlsx.",
            [Block("decisions", "Design decisions", dec, kinds={"Value": "general"})],
            detail=Block(
                "evaluation",
                f"Plan's cost on {r.evaluate} fresh draws",
                ev.reset_index(drop=True),
                kinds={"Draws": "int", "Share of draws": "pct", "Plan's cost": "money"},
            ),
            print_rows=PRINTED_DRAWS,
        ),
        _run_sheet(
            manifest,
            [
                ("Draws per SAA problem (N)", r.sample, "int"),
                ("Replications (M)", r.replications, "int"),
                ("Fresh draws for the plan's cost (K)", r.evaluate, "int"),
                ("Sample seed", r.seed, "int"),
                ("Seconds", r.seconds, "seconds"),
            ],
            now,
        ),
    ]
    charts = [
        ChartSpec(
            "col",
            f"Optimality gap per replication against its {conf} upper bound",
            SAA_SHEET,
            "chart_data",
            "Replication",
            ["Gap"],
            f"Gap ({currency})",
            "money",
            lines=[gap_bound, "Mean gap"],
        ),
        ChartSpec(
            "line",
            "Lower bound of each replication against the plan's expected cost",
            SAA_SHEET,
            "chart_data",
            "Replication",
            [
                "Lower bound",
                "Plan's expected cost",
                f"Its {conf} CI, low",
                f"Its {conf} CI, high",
            ],
            f"Cost ({currency})",
            "money",
            zero=False,
            colours=["4472C4", "C00000", "F4B183", "F4B183"],
        ),
    ]
    subtitle = (
        f"Sample-average approximation: the plan chosen on N = {r.sample} draws, M = {r.replications} "
        f"replications of N draws for the lower bound and the gap, K = {r.evaluate} fresh draws for its cost; "
        f"sample seed {r.seed}; {_gap_text(mip_gap)}. Costs in {currency}. Report of "
        f"{now.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
    )
    note = (
        "Intervals are 95% (Student t over the replications or draws); the gap bound is one-sided. Bounds use "
        "each solve's proven bound, so a MIP gap widens them rather than making them wrong."
    )
    alerts = []
    if not math.isfinite(r.upper_bound) or not math.isfinite(r.gap_ci_upper):
        alerts.append("The plan breaks a hard constraint in some sampled draw: its cost there is unbounded.")
    return _content(
        "Sampled scenarios: how good is the plan",
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


__all__ = ["saa_report"]
