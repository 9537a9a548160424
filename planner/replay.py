"""Out-of-sample replay: a plan's first stage fixed, priced on freshly sampled regime paths.

The workbook's plan (its extensive-form optimum) and a baseline, the expected-value plan (the
plan of one scenario of mean values, as for the VSS), are each fixed at their first stage
(designs and every operation before the reveal) and re-optimised per sampled scenario
(:mod:`planner.sampling`). The result is the distribution of cost, shortage and service of each
plan over the draws: what the plan does in regimes it was not optimised on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.config import SolveOptions
from planner.network import build_network, expected_value_network
from planner.saa import price_plan
from planner.sampling import sample_data
from planner.tables import InputData

QUANTILES = (0.5, 0.9, 0.95)


@dataclass
class ReplayResult:
    """Per-draw outcomes of every plan and their summary."""

    evaluate: int
    seed: int
    outcomes: (
        pd.DataFrame
    )  # plan, scenario, draws, probability, description, total_cost, shortage, service_level
    summary: pd.DataFrame  # one row per plan


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value whose cumulative weight reaches ``q`` (a draw's own value, no interpolation)."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(int(np.searchsorted(cum, q - 1e-12)), len(values) - 1)])


def _priced(
    data: InputData, values: dict[tuple[str, Any], float], opts: SolveOptions, title: str
) -> pd.DataFrame:
    """Per-scenario outcome of the plan ``values`` on ``data`` (first stage fixed, recourse optimised)."""
    from planner.api import extract_solution

    priced = price_plan(data, values, opts, title)
    if priced is None:
        sc = data["Scenarios"]
        return pd.DataFrame(
            {
                "scenario": sc["scenario"],
                "total_cost": math.inf,
                "shortage": math.nan,
                "service_level": math.nan,
            }
        )
    m, net, result = priced
    return extract_solution(m, net, result).scenarios[["scenario", "total_cost", "shortage", "service_level"]]


def summarise(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Expected value, spread and tail of cost and shortage per plan (draw-weighted)."""
    rows = []
    for plan, g in outcomes.groupby("plan", sort=False):
        w = g["draws"].to_numpy(float)
        cost = g["total_cost"].to_numpy(float)
        short = g["shortage"].to_numpy(float)
        mean = float((w * cost).sum() / w.sum())
        row: dict[str, Any] = {
            "plan": plan,
            "draws": int(w.sum()),
            "expected_cost": mean,
            "cost_sd": float(math.sqrt((w * (cost - mean) ** 2).sum() / max(w.sum() - 1, 1))),
        }
        for q in QUANTILES:
            row[f"cost_p{round(q * 100)}"] = weighted_quantile(cost, w, q)
        row["cost_max"] = float(cost.max())
        row["expected_shortage"] = float((w * short).sum() / w.sum())
        row["share_of_draws_short"] = float(w[short > 1e-6].sum() / w.sum())
        row["shortage_p95"] = weighted_quantile(short, w, 0.95)
        row["shortage_max"] = float(short.max())
        row["expected_service"] = float((w * g["service_level"].to_numpy(float)).sum() / w.sum())
        rows.append(row)
    return pd.DataFrame(rows)


def replay(
    data: InputData,
    evaluate: int,
    seed: int = 0,
    options: SolveOptions | None = None,
    plan: Any = None,
) -> ReplayResult:
    """Price the workbook's plan and the expected-value plan on ``evaluate`` fresh draws.

    ``plan`` is a solved :class:`planner.solution.Solution` of ``data`` (solved here when None).
    """
    from planner.api import build_model, resolve_options, solve, solve_data
    from planner.model.stochastic import first_stage_values

    opts = resolve_options(options, data)
    plan_sol = plan if plan is not None else solve_data(data, replace(opts, log_title="replay: the plan"))
    plans = {"plan": first_stage_values(plan_sol.extra["model"])}
    ev_model = build_model(expected_value_network(build_network(data)))
    solve(ev_model, replace(opts, log_title="replay: expected-value plan (baseline)"))
    plans["expected-value plan"] = first_stage_values(ev_model)

    draws = sample_data(data, evaluate, seed, prefix="P")
    sc = draws["Scenarios"]
    meta = pd.DataFrame(
        {
            "scenario": sc["scenario"],
            "draws": np.round(sc["probability"].to_numpy(float) * evaluate).astype(int),
            "probability": sc["probability"],
            "description": sc["description"],
        }
    )
    frames = []
    for name, values in plans.items():
        per = _priced(draws, values, opts, f"replay: {name} on {evaluate} sampled draws")
        frames.append(meta.merge(per, on="scenario").assign(plan=name))
    outcomes = pd.concat(frames, ignore_index=True)
    cols = [
        "plan",
        "scenario",
        "draws",
        "probability",
        "total_cost",
        "shortage",
        "service_level",
        "description",
    ]
    outcomes = outcomes[cols]
    return ReplayResult(evaluate=evaluate, seed=seed, outcomes=outcomes, summary=summarise(outcomes))
