"""The Resilience and Frontier sheets and their charts: :func:`add_resilience`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.metrics import fmt_money
from planner.report.content import (
    FRONTIER,
    INPUTS,
    RESILIENCE,
    RUN_INFO,
    Block,
    ChartSpec,
    ReportContent,
    SheetSpec,
)

if TYPE_CHECKING:
    pass

# ----------------------------------------------------------------------------- resilience


def add_resilience(
    content: ReportContent, stress: dict[str, Any] | None = None, frontier: pd.DataFrame | None = None
) -> None:
    """Add the Resilience sheet (TTS/TTR/PI/REI, stockpile sizing, days-of-cover curve) and the
    Frontier sheet (cost against CVaR), with their charts, before Inputs and Run info."""

    new: list[SheetSpec] = []
    if stress is not None:
        nodes = stress["nodes"]
        horizon = max(1.0, float(nodes["ttr_periods"].max(skipna=True) or 1.0) * 2) if len(nodes) else 1.0
        table = pd.DataFrame(
            {
                "Node": nodes["node"],
                "Kind": nodes["kind"],
                "TTR (periods)": nodes["ttr_periods"],
                "TTS (periods)": [v if math.isfinite(v) else math.nan for v in nodes["tts_periods"]],
                "Covered": [
                    "n/a (no TTR)"
                    if pd.isna(r)
                    else ("covered (no limit)" if math.isinf(v) else ("yes" if c else "NO"))
                    for v, c, r in zip(
                        nodes["tts_periods"], nodes["covered"], nodes["ttr_periods"], strict=True
                    )
                ],
                "Impact (penalty)": nodes["pi_cost"],
                "Short during TTR": nodes["pi_shortage"],
                "REI": nodes["rei"],
            }
        )
        chart_rows = table.dropna(subset=["TTR (periods)"]).head(12)
        chart_frame = chart_rows[["Node", "TTS (periods)", "TTR (periods)"]].reset_index(drop=True)
        chart_frame["TTS (periods)"] = [  # capped for the chart only (no limit -> the cap)
            horizon if pd.isna(v) else min(float(v), horizon) for v in chart_frame["TTS (periods)"]
        ]
        stock = stress["stockpile"].rename(
            columns={
                "site": "Site",
                "product": "Product",
                "extra_stock": "Extra stock",
                "days_of_cover": "Days of demand",
                "cost": "Cost over the horizon",
                "cost_per_year": "Cost a year",
            }
        )
        curve = stress["cover_curve"]
        blocks = [
            Block(
                "nodes",
                "Time to survive against time to recover (Simchi-Levi): a node is covered when TTS >= TTR",
                table,
                kinds={
                    "TTR (periods)": "num",
                    "TTS (periods)": "num",
                    "Impact (penalty)": "money",
                    "Short during TTR": "t",
                    "REI": "pct",
                },
                highlight={"Short during TTR": "positive"},
            ),
            Block(
                "tts_chart",
                "TTS and TTR of the nodes with a TTR (TTS capped for the chart)",
                chart_frame,
                kinds={"TTS (periods)": "num", "TTR (periods)": "num"},
            ),
            Block(
                "stockpile",
                f"Cheapest extra stock that keeps TTS >= TTR for every node (cost {stress['stockpile_cost']:,.0f})",
                stock,
                kinds={
                    "Extra stock": "t",
                    "Days of demand": "days",
                    "Cost over the horizon": "money",
                    "Cost a year": "money",
                },
            ),
        ]
        values = stress.get("stockpile_values")
        if values is not None and len(values):
            blocks.append(
                Block(
                    "stockpile_values",
                    "Stock the plan builds before the reveal, valued by solve: expected cost without it (held at "
                    "its opening level) minus with it, the scenarios it protects and the probability of one scenario (the others in "
                    "proportion) at which it stops paying",
                    values.rename(
                        columns={
                            "site": "Site",
                            "product": "Product",
                            "opening": "Opening stock",
                            "stock": "Held",
                            "value": "Value",
                            "protects": "Protects",
                            "worst_rise": "Largest cost rise without it",
                            "break_even": "Pays while",
                        }
                    )[
                        [
                            "Site",
                            "Product",
                            "Opening stock",
                            "Held",
                            "Value",
                            "Protects",
                            "Largest cost rise without it",
                            "Pays while",
                        ]
                    ],
                    kinds={
                        "Opening stock": "t",
                        "Held": "t",
                        "Value": "money",
                        "Largest cost rise without it": "money",
                    },
                )
            )
        if len(curve):
            cover = pd.DataFrame(
                {
                    "Days of cover": curve["days"],
                    "Expected cost": curve["expected_cost"],
                    "Worst shortage": curve["worst_shortage"],
                    "Expected shortage": curve["expected_shortage"],
                    "Policy missed": curve["cover_shortfall"],
                }
            )
            blocks.append(
                Block(
                    "cover_curve",
                    "Stockpile policy: importing regions hold N days of cover",
                    cover,
                    kinds={
                        "Days of cover": "days",
                        "Expected cost": "money",
                        "Worst shortage": "t",
                        "Expected shortage": "t",
                        "Policy missed": "t",
                    },
                )
            )
        new.append(
            SheetSpec(
                RESILIENCE,
                "Resilience",
                "Where the plan breaks and what it costs to make it hold. Rates of the reveal period with the "
                "plan's stock; transit times ignored (models/formulation.md#resilience).",
                blocks,
                freeze=False,
            )
        )
        content.charts.append(
            ChartSpec(
                "col",
                "Time to survive vs time to recover (periods)",
                RESILIENCE,
                "tts_chart",
                "Node",
                ["TTS (periods)", "TTR (periods)"],
                "periods",
                "num",
            )
        )
        if len(curve):
            content.charts.append(
                ChartSpec(
                    "combo",
                    "Days of cover: expected cost and worst shortage",
                    RESILIENCE,
                    "cover_curve",
                    "Days of cover",
                    ["Expected cost"],
                    f"Expected cost ({content.currency})",
                    "money",
                    secondary=["Worst shortage"],
                    secondary_title=f"Worst shortage ({content.mass_unit})",
                    secondary_kind="t",
                )
            )
    if frontier is not None and len(frontier):
        frontier, advice = frontier_advice(frontier, content.currency, content.mass_unit)
        table = pd.DataFrame(
            {
                "Weight on CVaR": frontier["weight"],
                "CVaR": frontier["cvar"],
                "Expected cost": frontier["expected_cost"],
                "Worst cost": frontier["worst_cost"],
                "Worst scenario": frontier["worst_scenario"],
                "Expected shortage": frontier["expected_shortage"],
                "Worst shortage": frontier["worst_shortage"],
                "Decisions": frontier["decisions"],
            }
        )
        new.append(
            SheetSpec(
                FRONTIER,
                "Cost-risk frontier",
                "Each row minimises (1 - w) x expected cost + w x CVaR of total cost: w = 0 is risk neutral, "
                "w = 1 the most risk-averse plan.",
                [
                    Block("frontier_advice", "What the frontier advises", pd.DataFrame({"Advice": advice})),
                    Block(
                        "frontier",
                        "Frontier points",
                        table,
                        kinds={
                            "Weight on CVaR": "pct",
                            "CVaR": "money",
                            "Expected cost": "money",
                            "Worst cost": "money",
                            "Expected shortage": "t",
                            "Worst shortage": "t",
                        },
                    ),
                ],
                freeze=False,
            )
        )
        content.charts.append(
            ChartSpec(
                "scatter",
                "Cost-risk frontier: expected cost against CVaR",
                FRONTIER,
                "frontier",
                "CVaR",
                ["Expected cost"],
                f"Expected cost ({content.currency})",
                "money",
            )
        )
    at = next(
        (i for i, sh in enumerate(content.sheets) if sh.name in (INPUTS, RUN_INFO)), len(content.sheets)
    )
    content.sheets[at:at] = new


def _decision_set(text: str) -> set[str]:
    return {d.strip() for d in str(text).split(";") if d.strip() and d.strip() != "none"}


def frontier_advice(
    frontier: pd.DataFrame, currency: str = "USD", unit: str = "t"
) -> tuple[pd.DataFrame, list[str]]:
    """The frontier without duplicate points, and sentences that advise.

    * Points with the same plan (the same decisions, expected cost and CVaR within 1e-6) are one
      point: the lowest weight is kept and the others are named.
    * The best trade-off is the point, other than the risk-neutral one, that cuts the most CVaR per
      unit of expected cost it adds (all of its CVaR cut when it adds none).
    * What changes from the risk-neutral plan to that point, decision by decision.
    * What the extreme weight 1 means: the plan minimises the mean of the worst outcomes alone.
    """
    f = frontier.sort_values("weight").reset_index(drop=True)
    keep: list[int] = []
    same: dict[int, list[float]] = {}
    for i, r in f.iterrows():
        dup = next(
            (
                k
                for k in keep
                if f.at[k, "decisions"] == r["decisions"]
                and math.isclose(
                    float(f.at[k, "expected_cost"]), float(r["expected_cost"]), rel_tol=1e-6, abs_tol=1e-6
                )
                and math.isclose(float(f.at[k, "cvar"]), float(r["cvar"]), rel_tol=1e-6, abs_tol=1e-6)
            ),
            None,
        )
        if dup is None:
            keep.append(int(i))
        else:
            same.setdefault(dup, []).append(float(r["weight"]))
    out = f.loc[keep].reset_index(drop=True)
    advice: list[str] = []
    for k, weights in same.items():
        listed = ", ".join(f"{w:g}" for w in weights)
        advice.append(f"Weights {listed} give the same plan as weight {f.at[k, 'weight']:g}; shown once.")
    base = out.iloc[0]
    best = None
    best_rate = -math.inf
    for _, r in out.iloc[1:].iterrows():
        d_cost = float(r["expected_cost"]) - float(base["expected_cost"])
        d_cvar = float(base["cvar"]) - float(r["cvar"])
        if d_cvar <= 1e-9 * max(1.0, abs(float(base["cvar"]))):
            continue
        rate = math.inf if d_cost <= 1e-9 * max(1.0, abs(float(base["expected_cost"]))) else d_cvar / d_cost
        if rate > best_rate:
            best, best_rate = r, rate
    if best is None:
        advice.append(
            "No weight lowers CVaR below the risk-neutral plan's: the risk-neutral plan is also the safest "
            "one the model finds."
        )
    else:
        d_cost = float(best["expected_cost"]) - float(base["expected_cost"])
        d_cvar = float(base["cvar"]) - float(best["cvar"])
        d_short = float(base["worst_shortage"]) - float(best["worst_shortage"])
        per = (
            "at no extra expected cost"
            if math.isinf(best_rate)
            else f"{best_rate:,.1f} of CVaR per 1 of expected cost"
        )
        advice.append(
            f"Best trade-off: weight {float(best['weight']):g}. Expected cost rises {fmt_money(d_cost, currency)} "
            f"while CVaR falls {fmt_money(d_cvar, currency)} and the worst shortage {d_short:,.0f} {unit} "
            f"({per})."
        )
        added = sorted(_decision_set(best["decisions"]) - _decision_set(base["decisions"]))
        dropped = sorted(_decision_set(base["decisions"]) - _decision_set(best["decisions"]))
        if added or dropped:
            advice.append(
                "Against the risk-neutral plan it "
                + "; ".join(
                    x
                    for x in (
                        f"adds: {', '.join(added)}" if added else "",
                        f"drops: {', '.join(dropped)}" if dropped else "",
                    )
                    if x
                )
                + "."
            )
    if float(out["weight"].max()) >= 1.0 - 1e-9:
        advice.append(
            "Weight 1 minimises CVaR alone: it looks only at the worst outcomes (the tail beyond the CVaR level) "
            "and ignores every other scenario, so its expected cost is not a target."
        )
    return out, advice
