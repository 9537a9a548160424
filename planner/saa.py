"""Sample-average approximation (SAA) with statistical bounds on the chosen plan.

The recipe of Mak, Morton and Wood (1999), "Monte Carlo bounding techniques for determining
solution quality in stochastic programs", Oper. Res. Lett. 24:47-56:

1. **Candidate plan.** Solve the SAA problem on a sample of N draws (:mod:`planner.sampling`);
   its first-stage decisions are the plan x̂.
2. **Lower bound and gap.** For replications j = 1..M, draw an independent sample of N, solve its
   SAA problem (optimal value z_j, proven bound b_j <= z_j) and price x̂ on the same sample with the
   first stage fixed (f_j). E[b_j] <= E[z_N] <= z*, so the mean of the b_j with a t-interval is a
   statistical lower bound; G_j = f_j - b_j >= 0 estimates the optimality gap of x̂, and
   mean(G) + t_{M-1} s_G / sqrt(M) is a one-sided upper confidence bound on that gap.
3. **Upper bound.** Price x̂ on a fresh sample of K draws: the mean cost and its t-interval
   estimate the true expected cost of the plan (an upper bound on z*).

Bounds use each solve's proven bound, so a MIP gap widens them rather than making them wrong.
SAA estimates an expected cost: a run with Settings.risk_weight > 0 (CVaR) is refused.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.config import SolveOptions
from planner.errors import InfeasibleError, InputError
from planner.network import build_network
from planner.sampling import sample_data
from planner.tables import InputData

CONFIDENCE = 0.95


@dataclass
class SaaResult:
    """Estimates, intervals and the tables behind them."""

    sample: int
    replications: int
    evaluate: int
    seed: int
    lower_bound: float
    lower_bound_ci: tuple[float, float]
    upper_bound: float
    upper_bound_ci: tuple[float, float]
    gap: float
    gap_ci_upper: float
    candidate_objective: float
    candidate_scenarios: int
    table: pd.DataFrame
    evaluation: pd.DataFrame
    decisions: pd.DataFrame
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The estimates as plain numbers (the run folder's saa.json)."""
        return {
            "method": "SAA, Mak-Morton-Wood multiple replications",
            "confidence": CONFIDENCE,
            "sample": self.sample,
            "replications": self.replications,
            "evaluate": self.evaluate,
            "seed": self.seed,
            "lower_bound": self.lower_bound,
            "lower_bound_ci": list(self.lower_bound_ci),
            "upper_bound": self.upper_bound,
            "upper_bound_ci": list(self.upper_bound_ci),
            "gap": self.gap,
            "gap_ci_upper": self.gap_ci_upper,
            "candidate_objective": self.candidate_objective,
            "candidate_scenarios": self.candidate_scenarios,
            "seconds": self.seconds,
        }


def t_quantile(dof: int, confidence: float = CONFIDENCE) -> float:
    """Two-sided Student-t quantile (``confidence`` two-sided => (1 + c)/2 one-sided)."""
    from scipy.stats import t

    return float(t.ppf((1.0 + confidence) / 2.0, dof)) if dof > 0 else math.inf


def mean_interval(values: np.ndarray, weights: np.ndarray | None = None) -> tuple[float, float]:
    """Mean and half-width of its two-sided t-interval; ``weights`` are draw counts."""
    w = np.ones_like(values) if weights is None else weights
    n = float(w.sum())
    mean = float((w * values).sum() / n)
    if n <= 1:
        return mean, math.inf
    var = float((w * (values - mean) ** 2).sum() / (n - 1))
    return mean, t_quantile(int(round(n)) - 1) * math.sqrt(var / n)


def _seeds(seed: int, count: int) -> list[int]:
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(count)]


def price_plan(
    data: InputData, values: dict[tuple[str, Any], float], opts: SolveOptions, title: str
) -> tuple[Any, Any, Any] | None:
    """(model, network, solve result) of ``data`` with the first stage fixed to ``values`` and the
    recourse optimised; None when the plan breaks a hard constraint in some scenario."""
    from planner.api import build_model, solve
    from planner.model.build import kept_out_of_gc
    from planner.model.stochastic import fix_first_stage

    net = build_network(data)
    with kept_out_of_gc():
        m = build_model(net)
        fix_first_stage(m, values)
        try:
            result = solve(m, replace(opts, log_title=title))
        except InfeasibleError:
            return None
    return m, net, result


def saa(
    data: InputData,
    sample: int,
    replications: int,
    evaluate: int,
    seed: int = 0,
    options: SolveOptions | None = None,
) -> SaaResult:
    """Candidate plan from one sample of ``sample`` draws; lower bound and gap from ``replications``
    more; upper bound from pricing the plan on ``evaluate`` fresh draws (module docstring)."""
    from planner.api import resolve_options, solve_data
    from planner.model.stochastic import design_values, first_stage_values

    if sample < 1 or evaluate < 2 or replications < 2:
        raise InputError("SAA needs --sample >= 1, --replications >= 2 and --evaluate >= 2")
    if float(data.settings.get("risk_weight") or 0.0) > 0:
        raise InputError(
            "SAA estimates expected cost; Settings.risk_weight is above 0 (CVaR): set it to 0 for planner saa"
        )
    opts = resolve_options(options, data)
    started = time.perf_counter()
    seeds = _seeds(seed, replications + 2)

    cand_data = sample_data(data, sample, seeds[0], prefix="C")
    cand = solve_data(cand_data, replace(opts, log_title=f"SAA candidate plan ({sample} draws)"))
    x_hat = first_stage_values(cand.extra["model"])
    designs = design_values(cand.extra["model"])

    rows = []
    for j in range(1, replications + 1):
        dj = sample_data(data, sample, seeds[j], prefix="R")
        sj = solve_data(
            dj, replace(opts, log_title=f"SAA replication {j}: optimum of its sample"), validate=False
        )
        bound = (
            float(sj.bound)
            if sj.bound is not None and math.isfinite(float(sj.bound))
            else float(sj.objective)
        )
        priced = price_plan(dj, x_hat, opts, f"SAA replication {j}: candidate plan on its sample")
        f_j = math.inf if priced is None else float(priced[0].objective())
        rows.append(
            {
                "replication": j,
                "seed": seeds[j],
                "scenarios": len(dj["Scenarios"]),
                "optimum": float(sj.objective),
                "bound": bound,
                "candidate_cost": f_j,
                "gap": f_j - bound,
            }
        )
    table = pd.DataFrame(rows)
    lb, lb_half = mean_interval(table["bound"].to_numpy(float))
    gaps = table["gap"].to_numpy(float)
    gap_mean, _ = mean_interval(gaps)
    gap_sd = float(np.std(gaps, ddof=1)) if len(gaps) > 1 else math.inf
    # one-sided upper bound at CONFIDENCE: the t quantile at CONFIDENCE (two-sided at 2c - 1)
    gap_upper = gap_mean + t_quantile(len(gaps) - 1, 2 * CONFIDENCE - 1) * gap_sd / math.sqrt(len(gaps))

    de = sample_data(data, evaluate, seeds[-1], prefix="E")
    evaluated = price_plan(de, x_hat, opts, f"SAA evaluation: candidate plan on {evaluate} fresh draws")
    scen = de["Scenarios"]
    if evaluated is None:
        costs = np.full(len(scen), math.inf)
    else:
        me = evaluated[0]
        first = float(me.e_cost_stage1())
        costs = np.array([first + float(me.e_cost_stage2[str(s)]()) for s in scen["scenario"]])
    counts = np.round(scen["probability"].to_numpy(float) * evaluate)
    ub, ub_half = mean_interval(costs, counts) if np.isfinite(costs).all() else (math.inf, math.inf)
    evaluation = pd.DataFrame(
        {
            "scenario": scen["scenario"],
            "draws": counts.astype(int),
            "probability": scen["probability"],
            "description": scen["description"],
            "cost": costs,
        }
    )
    decisions = pd.DataFrame(
        [
            {"variable": name, "index": key, "value": value}
            for name, vals in designs.items()
            for key, value in vals.items()
            if abs(value) > 1e-9
        ],
        columns=["variable", "index", "value"],
    )
    return SaaResult(
        sample=sample,
        replications=replications,
        evaluate=evaluate,
        seed=seed,
        lower_bound=lb,
        lower_bound_ci=(lb - lb_half, lb + lb_half),
        upper_bound=ub,
        upper_bound_ci=(ub - ub_half, ub + ub_half),
        gap=gap_mean,
        gap_ci_upper=gap_upper,
        candidate_objective=float(cand.objective),
        candidate_scenarios=len(cand_data["Scenarios"]),
        table=table,
        evaluation=evaluation,
        decisions=decisions,
        seconds=time.perf_counter() - started,
    )
