"""The frontier sheet advises: duplicates dropped, the best trade-off named, the extreme weight explained."""

from __future__ import annotations

import pandas as pd

from planner.report.resilience import frontier_advice


def frontier() -> pd.DataFrame:
    rows = [
        (0.0, 100.0, 200.0, 10.0, "qualify A"),
        (0.25, 110.0, 150.0, 5.0, "qualify A; stock X at S up to 6 t"),
        (0.5, 130.0, 140.0, 5.0, "qualify A; qualify B; stock X at S up to 6 t"),
        (0.75, 130.0, 140.0, 5.0, "qualify A; qualify B; stock X at S up to 6 t"),
        (1.0, 200.0, 139.0, 5.0, "qualify B; stock X at S up to 9 t"),
    ]
    f = pd.DataFrame(rows, columns=["weight", "expected_cost", "cvar", "worst_shortage", "decisions"])
    return f.assign(worst_cost=0.0, worst_scenario="S", expected_shortage=0.0)


def test_best_trade_off_is_the_most_cvar_cut_per_unit_of_expected_cost() -> None:
    """CVaR cut per unit of expected cost added, against w = 0: 0.25 -> 50 / 10 = 5; 0.5 -> 60 / 30 = 2;
    1 -> 61 / 100 = 0.61. The best is 0.25; 0.75 repeats 0.5."""
    out, advice = frontier_advice(frontier(), "USD", "t")
    assert out["weight"].tolist() == [0.0, 0.25, 0.5, 1.0]
    assert advice[0] == "Weights 0.75 give the same plan as weight 0.5; shown once."
    assert advice[1].startswith("Best trade-off: weight 0.25. Expected cost rises")
    assert "worst shortage 5 t (5.0 of CVaR per 1 of expected cost)" in advice[1]
    assert advice[2] == "Against the risk-neutral plan it adds: stock X at S up to 6 t."
    assert advice[3].startswith("Weight 1 minimises CVaR alone")


def test_no_safer_plan_says_so() -> None:
    f = frontier().iloc[[0]].copy()
    out, advice = frontier_advice(pd.concat([f, f.assign(weight=0.5)]), "USD", "t")
    assert len(out) == 1
    assert advice[-1].startswith("No weight lowers CVaR")
