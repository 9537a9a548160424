"""Compare two finished runs: decisions, cost by component, shortage and dependency, side by side.

``planner compare RUN_A RUN_B`` reads both run folders (:mod:`planner.io.run_reader`) and
writes a workbook of the differences, B minus A. Expected values weight each run's scenarios
by that run's probabilities, so runs over different scenario sets compare as their owners see
them. A cost difference is a finding only when the two runs' optimality intervals [bound,
objective] do not overlap; otherwise it reads "within solver tolerance". Runs of different risk
weights minimise different objectives: their objectives are marked not comparable and their
expected costs compared, with no gap claimed to bound the difference.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from planner.io.run_reader import RunRecord

EPS = 1e-6


def _probabilities(run: RunRecord) -> dict[str, float]:
    sc = run.tables.get("scenarios")
    if sc is None or sc.empty:
        return {}
    return {str(r.scenario): float(r.probability) for r in sc.itertuples(index=False)}


def _expected(run: RunRecord, table: str, keys: list[str], value: str) -> pd.Series:
    """Probability-weighted sum of ``value`` over scenarios, by ``keys`` (empty when absent)."""
    frame = run.tables.get(table)
    if frame is None or frame.empty or value not in frame:
        return pd.Series(dtype=float)
    prob = _probabilities(run)
    weight = frame["scenario"].astype(str).map(prob).fillna(0.0)
    weighted = frame.assign(_w=frame[value].astype(float) * weight)
    return weighted.groupby(keys, dropna=False)["_w"].sum()


def _side_by_side(a: pd.Series, b: pd.Series, names: list[str], label: str = "") -> pd.DataFrame:
    out = pd.concat({f"{label}A": a, f"{label}B": b}, axis=1).fillna(0.0)
    out[f"{label}B - A"] = out[f"{label}B"] - out[f"{label}A"]
    out.index.names = names
    return out.reset_index()


def _result(run: RunRecord) -> dict[str, Any]:
    result: dict[str, Any] = run.manifest.get("result", {})
    return result


def risk_weight(run: RunRecord) -> float:
    """The run's Settings.risk_weight (0 = risk neutral: the objective is the expected cost)."""
    return float((run.manifest.get("settings") or {}).get("risk_weight") or 0.0)


def cost_verdict(a: RunRecord, b: RunRecord) -> str:
    """Whether B's objective differs from A's beyond what either solve left unproven; runs that
    minimise different objectives (risk weights) are not compared this way."""
    if risk_weight(a) != risk_weight(b):
        return (
            f"not comparable: the runs minimise different objectives (risk weight A {risk_weight(a):g}, "
            f"B {risk_weight(b):g}); compare their expected costs"
        )
    ra, rb = _result(a), _result(b)
    oa, ob = float(ra.get("objective", float("nan"))), float(rb.get("objective", float("nan")))
    ba = float(ra.get("bound", oa) if ra.get("bound") is not None else oa)
    bb = float(rb.get("bound", ob) if rb.get("bound") is not None else ob)
    if not (oa == oa and ob == ob):
        return "a run has no objective"
    if (
        ba <= ob + EPS * max(1.0, abs(ob))
        and bb <= oa + EPS * max(1.0, abs(oa))
        and abs(ob - oa) > EPS * max(1.0, abs(oa))
    ):
        return "within solver tolerance: the optimality intervals [bound, objective] overlap"
    if abs(ob - oa) <= EPS * max(1.0, abs(oa)):
        return "same cost"
    return "B costs less" if ob < oa else "B costs more"


def expected(result: dict[str, Any]) -> float:
    """The run's expected cost (its objective for a run made before the manifest recorded it)."""
    value = result.get("expected_cost", result.get("objective"))
    return float("nan") if value is None else float(value)


def expected_note(a: RunRecord, b: RunRecord) -> str:
    """The verdict on the expected costs: the objective's verdict for two risk-neutral runs; for
    runs of different risk weights the direction, and that no gap bounds the difference."""
    if risk_weight(a) == risk_weight(b) == 0.0:
        return cost_verdict(a, b)
    ea, eb = expected(_result(a)), expected(_result(b))
    if not (ea == ea and eb == eb):
        return "a run has no expected cost"
    side = "more" if eb > ea else "less"
    if risk_weight(a) != risk_weight(b):
        return (
            f"B costs {side} in expectation; each plan is optimal for its own objective within its gap, "
            "so the gaps do not bound this difference (it is what B pays for its risk weight)"
        )
    return f"B costs {side} in expectation (the runs minimise E[cost] + w x CVaR, so the gaps bound the objective)"


def _summary(a: RunRecord, b: RunRecord) -> pd.DataFrame:
    ra, rb = _result(a), _result(b)
    short_a = _expected(a, "scenarios", ["scenario"], "shortage").sum()
    short_b = _expected(b, "scenarios", ["scenario"], "shortage").sum()

    def worst(run: RunRecord, col: str) -> float:
        sc = run.tables.get("scenarios")
        return float(sc[col].max()) if sc is not None and not sc.empty else float("nan")

    def num(row: str, va: float, vb: float, note: str = "") -> dict[str, Any]:
        return {"measure": row, "A": va, "B": vb, "B - A": vb - va, "note": note}

    def text(row: str, va: Any, vb: Any) -> dict[str, Any]:
        return {"measure": row, "A": va, "B": vb, "B - A": "", "note": "same" if va == vb else "differs"}

    rows = [
        text("run folder", a.name, b.name),
        text(
            "input workbook", a.manifest.get("input", {}).get("file"), b.manifest.get("input", {}).get("file")
        ),
        text(
            "input SHA-256",
            a.manifest.get("input", {}).get("sha256"),
            b.manifest.get("input", {}).get("sha256"),
        ),
        text("scenarios", ", ".join(_probabilities(a)), ", ".join(_probabilities(b))),
        text("solver status", ra.get("status"), rb.get("status")),
        num("risk weight (objective = E[cost] + w x CVaR)", risk_weight(a), risk_weight(b)),
        num(
            "objective",
            float(ra.get("objective", float("nan"))),
            float(rb.get("objective", float("nan"))),
            cost_verdict(a, b),
        ),
        num("expected cost", expected(ra), expected(rb), expected_note(a, b)),
        num("lower bound", float(ra.get("bound") or float("nan")), float(rb.get("bound") or float("nan"))),
        num("relative gap", float(ra.get("gap") or 0.0), float(rb.get("gap") or 0.0)),
        num("expected shortage (t)", float(short_a), float(short_b)),
        num("worst scenario shortage (t)", worst(a, "shortage"), worst(b, "shortage")),
        num("worst scenario cost", worst(a, "total_cost"), worst(b, "total_cost")),
    ]
    return pd.DataFrame(rows)


def _decisions(a: RunRecord, b: RunRecord) -> pd.DataFrame:
    def table(run: RunRecord) -> pd.DataFrame:
        d = run.tables.get("decisions")
        if d is None or d.empty:
            return pd.DataFrame(columns=["decision", "id", "value", "cost"]).set_index(["decision", "id"])
        return d.astype({"id": str}).set_index(["decision", "id"])[["value", "cost"]].astype(float)

    da, db = table(a), table(b)
    out = pd.concat({"A": da, "B": db}, axis=1).fillna(0.0)
    out.columns = [f"{col} {run}" for run, col in out.columns]
    out = out.reset_index()
    out["value B - A"] = out["value B"] - out["value A"]
    out["cost B - A"] = out["cost B"] - out["cost A"]
    va, vb = out["value A"].abs() > EPS, out["value B"].abs() > EPS
    out["change"] = "same"
    out.loc[va & ~vb, "change"] = "only in A"
    out.loc[~va & vb, "change"] = "only in B"
    out.loc[va & vb & (out["value B - A"].abs() > EPS), "change"] = "changed"
    out = out[va | vb]
    order = {"only in A": 0, "only in B": 1, "changed": 2, "same": 3}
    out = out.sort_values(
        ["change", "decision", "id"], key=lambda s: s.map(order) if s.name == "change" else s
    )
    cols = ["change", "decision", "id", "value A", "value B", "value B - A", "cost A", "cost B", "cost B - A"]
    return out[cols].reset_index(drop=True)


def _dependency(a: RunRecord, b: RunRecord) -> pd.DataFrame:
    """Share of each origin country in the expected receipts of each destination country and product."""
    keys = ["destination_country", "product", "origin_country"]

    def shares(run: RunRecord) -> pd.Series:
        tonnes = _expected(run, "flows", keys, "quantity")
        if tonnes.empty:
            return tonnes
        total = tonnes.groupby(level=[0, 1]).transform("sum")
        return (tonnes / total.where(total > EPS)).fillna(0.0)

    out = _side_by_side(shares(a), shares(b), keys, "share ")
    out = out[(out["share A"].abs() > EPS) | (out["share B"].abs() > EPS)]
    return out.sort_values(keys).reset_index(drop=True)


def compare_runs(a: RunRecord, b: RunRecord) -> dict[str, pd.DataFrame]:
    """The comparison workbook's sheets, B minus A."""
    costs = _side_by_side(
        _expected(a, "costs", ["component"], "cost"),
        _expected(b, "costs", ["component"], "cost"),
        ["component"],
    )
    scen_a = a.tables.get("scenarios", pd.DataFrame()).set_index("scenario")
    scen_b = b.tables.get("scenarios", pd.DataFrame()).set_index("scenario")
    scenarios = pd.concat(
        {
            "probability A": scen_a.get("probability"),
            "probability B": scen_b.get("probability"),
            "cost A": scen_a.get("total_cost"),
            "cost B": scen_b.get("total_cost"),
            "shortage A": scen_a.get("shortage"),
            "shortage B": scen_b.get("shortage"),
        },
        axis=1,
    )
    scenarios["cost B - A"] = scenarios["cost B"] - scenarios["cost A"]
    scenarios["shortage B - A"] = scenarios["shortage B"] - scenarios["shortage A"]
    scenarios.index.name = "scenario"
    keys = ["site", "product", "customer_class"]
    shortages = _side_by_side(
        _expected(a, "shortages", keys, "shortage"), _expected(b, "shortages", keys, "shortage"), keys
    )
    shortages = shortages[(shortages["A"].abs() > EPS) | (shortages["B"].abs() > EPS)]
    return {
        "Summary": _summary(a, b),
        "Decisions": _decisions(a, b),
        "Costs": costs[(costs["A"].abs() > EPS) | (costs["B"].abs() > EPS)].reset_index(drop=True),
        "Scenarios": scenarios.reset_index(),
        "Shortages": shortages.reset_index(drop=True),
        "Dependency": _dependency(a, b),
    }
