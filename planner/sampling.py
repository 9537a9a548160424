"""Sampled scenarios: draw regimes and random factors (the Distributions sheet) with a seed.

A sample of size N is N independent draws. Each draw picks a regime, a row of Scenarios, by its
probability (with no Scenarios, the base data is the only regime), copies that regime's
ScenarioChanges rows, and draws a value for every Distributions row of that regime (or of every
regime, when its ``scenario`` is blank), applied like a ScenarioChanges row. Draws that come out
identical (same regime, same values: always so when every factor is a choice) are one scenario
whose probability is their count / N, so a sample of 200 from five regimes is at most a
five-scenario model. The result is ordinary InputData: the same validator, network and model
serve sampled and hand-written scenarios. With a three-stage tree each draw keeps its regime's
Scenarios.stage1_group, so draws of the regimes of one branch share its node until
reveal_period_2 (their factors must then start at or after it, as ScenarioChanges).

This module works on tables only (no Pyomo, no openpyxl).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from typing import Any

import numpy as np

from planner.errors import Issue
from planner.tables import ROW, InputData, from_records
from planner.validate_common import err, is_blank, row, rows

SHEET = "Distributions"
CHANGE_COLUMNS = ("table", "filter", "column", "action", "start_period", "end_period")


def parse_numbers(text: Any) -> list[float] | None:
    """Numbers separated by spaces (or commas, semicolons); None when one is not a number."""
    if is_blank(text):
        return []
    out: list[float] = []
    for word in str(text).replace(",", " ").replace(";", " ").split():
        try:
            value = float(word)
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        out.append(value)
    return out


def factor_problem(record: dict[str, Any]) -> tuple[str, str] | None:
    """(column, message) of what is wrong with one Distributions row's distribution, or None."""
    kind = record.get("distribution")
    low, mode, high = (record.get(k) for k in ("low", "mode", "high"))
    if kind == "uniform":
        if is_blank(low) or is_blank(high):
            return "low" if is_blank(low) else "high", "a uniform distribution needs low and high"
        if float(record["low"]) > float(record["high"]):
            return "high", f"high ({high:g}) is below low ({low:g}); swap them"
    elif kind == "triangular":
        for name, value in (("low", low), ("mode", mode), ("high", high)):
            if is_blank(value):
                return name, "a triangular distribution needs low, mode and high"
        if not float(record["low"]) <= float(record["mode"]) <= float(record["high"]):
            return "mode", f"need low <= mode <= high, got {low:g}, {mode:g}, {high:g}"
    elif kind == "choice":
        values = parse_numbers(record.get("values"))
        if not values:
            return "values", "a choice needs its values, numbers separated by spaces, e.g. 1 0.6 0"
        weights = parse_numbers(record.get("weights"))
        if weights is None:
            return "weights", "weights must be numbers separated by spaces"
        if weights:
            if len(weights) != len(values):
                return (
                    "weights",
                    f"{len(weights)} weights for {len(values)} values; give one weight per value",
                )
            if min(weights) < 0 or abs(sum(weights) - 1.0) > 1e-6:
                return "weights", f"weights must be non-negative and sum to 1 (they sum to {sum(weights):g})"
    return None


def distribution_issues(data: InputData) -> list[Issue]:
    """Distributions rows whose distribution cannot be drawn from (located; what to do)."""
    out: list[Issue] = []
    for record in rows(data, SHEET):
        if is_blank(record.get("distribution")):
            continue
        problem = factor_problem(record)
        if problem:
            column, message = problem
            out.append(
                err(SHEET, row(record), column, record.get(column), message, "distribution_parameters")
            )
    return out


def _regimes(data: InputData) -> tuple[list[str], np.ndarray]:
    sc = data.tables["Scenarios"]
    if sc.empty:
        return [""], np.array([1.0])
    p = sc["probability"].to_numpy(dtype=float)
    return [str(s) for s in sc["scenario"]], p / p.sum()


def _draw(record: dict[str, Any], rng: np.random.Generator) -> float:
    kind = record["distribution"]
    if kind == "uniform":
        return float(rng.uniform(float(record["low"]), float(record["high"])))
    if kind == "triangular":
        low, mode, high = float(record["low"]), float(record["mode"]), float(record["high"])
        return low if low == high else float(rng.triangular(low, mode, high))
    values = parse_numbers(record["values"]) or []
    weights = parse_numbers(record["weights"]) or [1.0 / len(values)] * len(values)
    return float(values[int(rng.choice(len(values), p=np.asarray(weights) / sum(weights)))])


def draw_samples(data: InputData, n: int, seed: int) -> list[tuple[str, tuple[float, ...]]]:
    """``n`` draws of (regime, values of the Distributions rows that apply to it, in sheet order)."""
    if n < 1:
        raise ValueError("a sample needs at least one draw")
    rng = np.random.default_rng(seed)
    names, probs = _regimes(data)
    factors = list(rows(data, SHEET))
    out = []
    for _ in range(n):
        regime = names[int(rng.choice(len(names), p=probs))]
        values = tuple(_draw(f, rng) for f in factors if is_blank(f["scenario"]) or f["scenario"] == regime)
        out.append((regime, values))
    return out


def sample_data(data: InputData, n: int, seed: int, prefix: str = "R") -> InputData:
    """``data`` with its scenarios replaced by a sample of ``n`` draws (identical draws merged).

    Scenario names are ``{prefix}{k:03d}_{regime}``; their descriptions give the drawn values.
    Base ScenarioChanges rows (blank scenario) are kept for every sampled scenario.
    """
    counts = Counter(draw_samples(data, n, seed))
    factors = list(rows(data, SHEET))
    changes = data.tables["ScenarioChanges"]
    base = changes[changes["scenario"].fillna("").astype(str) == ""]
    records: dict[str, list[dict[str, Any]]] = {
        name: frame.drop(columns=[ROW]).to_dict("records")
        for name, frame in data.tables.items()
        if not frame.empty
    }
    records.pop(SHEET, None)
    scenarios: list[dict[str, Any]] = []
    sampled: list[dict[str, Any]] = base.drop(columns=[ROW]).to_dict("records")
    # a three-stage tree (Settings.reveal_period_2): a draw keeps its regime's stage-1 branch
    group = {
        str(r["scenario"]): "" if is_blank(r.get("stage1_group")) else str(r["stage1_group"])
        for r in rows(data, "Scenarios")
    }
    for k, ((regime, values), count) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])), 1):
        name = f"{prefix}{k:03d}" + (f"_{regime}" if regime else "")
        applied = [f for f in factors if is_blank(f["scenario"]) or f["scenario"] == regime]
        drawn = ", ".join(f"{f['factor']} = {v:.4g}" for f, v in zip(applied, values, strict=True))
        scenarios.append(
            {
                "scenario": name,
                "probability": count / n,
                "stage1_group": group.get(regime, ""),
                "description": f"sample of {n}, seed {seed}: {count} draw(s) of regime {regime or 'base'}"
                + (f"; {drawn}" if drawn else ""),
                "source": "sampled (planner.sampling)",
                "confidence": "D",
            }
        )
        if regime:
            own = changes[changes["scenario"].fillna("").astype(str) == regime].drop(columns=[ROW])
            sampled += [{**r, "scenario": name} for r in own.to_dict("records")]
        for f, value in zip(applied, values, strict=True):
            sampled.append(
                {
                    "scenario": name,
                    **{c: f[c] for c in CHANGE_COLUMNS},
                    "value": value,
                    "source": f"sampled: Distributions factor {f['factor']}",
                    "confidence": "D",
                }
            )
    records["Scenarios"] = scenarios
    records["ScenarioChanges"] = sampled
    out = from_records(records, dict(data.settings))
    return replace(out, path=data.path, sha256=data.sha256)


def extreme_values(record: dict[str, Any]) -> list[tuple[str, float]]:
    """(column, value) of the most extreme values a factor can draw: low and high, or every choice."""
    if record.get("distribution") == "choice":
        return [("values", v) for v in parse_numbers(record.get("values")) or []]
    return [(c, float(record[c])) for c in ("low", "high") if not is_blank(record.get(c))]


def as_change_rows(data: InputData) -> InputData:
    """``data`` whose ScenarioChanges are the Distributions rows (scenario ``sampled`` where blank),
    for the validator's ScenarioChanges checks; row numbers are the Distributions rows'."""
    frame = data[SHEET]
    regime = frame["scenario"].fillna("").astype(str)
    changes = frame.assign(scenario=regime.where(regime != "", "sampled"), value=0.0)
    return replace(data, tables={**data.tables, "ScenarioChanges": changes}, issues=[])


def probe_data(data: InputData) -> tuple[InputData, dict[int, tuple[int, str, float]]]:
    """``data`` with one scenario, ``probe``, whose ScenarioChanges are every factor at each of its
    extreme values; and, per probe row number, (Distributions row, column, value)."""
    out: list[dict[str, Any]] = []
    where: dict[int, tuple[int, str, float]] = {}
    for f in rows(data, SHEET):
        if is_blank(f.get("distribution")) or factor_problem(f):
            continue
        for column, value in extreme_values(f):
            where[len(out) + 2] = (row(f) or 0, column, value)
            out.append({"scenario": "probe", **{c: f[c] for c in CHANGE_COLUMNS}, "value": value})
    records = {"Scenarios": [{"scenario": "probe", "probability": 1.0}], "ScenarioChanges": out}
    extra = from_records(records)
    tables = {**data.tables, "Scenarios": extra["Scenarios"], "ScenarioChanges": extra["ScenarioChanges"]}
    return replace(data, tables=tables, issues=[]), where
