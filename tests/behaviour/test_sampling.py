"""Sampled scenarios and SAA bounds on the teaching workbook, against hand-derived optima.

``inputs/tiny.xlsx`` (see ``inputs/build_tiny.py``): EU needs 10 t in P1 and P2; CN sells at 50,
JP at 80 after a 200 qualification; stock costs 60 a tonne carried (money in $1,000). With a
BAN share q in a sample, the four plans cost (P1's 500 included):

* qualify:            700 + 10 (50 + 30 q)      = 1,200 + 300 q
* qualify, stock 6:   700 + 360 + 4 (50 + 30 q) = 1,260 + 120 q
* stock 6 only:       860 + 4 (50 + 950 q)      = 1,060 + 3,800 q
* nothing:            500 + 10 (50 + 950 q)     = 1,000 + 9,500 q

so the SAA optimum of a sample is z(q) = the least of the four, and the true optimum (q = 0.3)
is 1,290 (qualify).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from planner.api import solve_data
from planner.config import SolveOptions
from planner.io.excel_reader import read_workbook
from planner.replay import replay
from planner.saa import saa
from planner.sampling import sample_data
from planner.tables import InputData, from_records
from planner.validate import validate

TINY = Path(__file__).resolve().parents[2] / "inputs" / "tiny.xlsx"
EXACT = SolveOptions(mip_gap=0.0, time_limit=60)


def z(q: float) -> float:
    return 1000 * min(1200 + 300 * q, 1260 + 120 * q, 1060 + 3800 * q, 1000 + 9500 * q)


def with_factors(data: InputData, factors: list[dict[str, object]]) -> InputData:
    table = from_records({"Distributions": factors})["Distributions"]
    return replace(data, tables={**data.tables, "Distributions": table})


@pytest.fixture(scope="module")
def tiny() -> InputData:
    return read_workbook(TINY)


def ban_share(data: InputData) -> float:
    sc = data["Scenarios"]
    return float(sc.loc[sc["scenario"].str.endswith("_BAN"), "probability"].sum())


def test_sample_merges_identical_draws_and_is_reproducible(tiny: InputData) -> None:
    a, b, c = sample_data(tiny, 40, 7), sample_data(tiny, 40, 7), sample_data(tiny, 40, 8)
    assert a["Scenarios"].equals(b["Scenarios"])
    assert len(a["Scenarios"]) == 2  # two regimes, no factors: 40 draws are two scenarios
    assert a["Scenarios"]["probability"].sum() == pytest.approx(1.0)
    assert (a["Scenarios"]["probability"] * 40).round(9).apply(float.is_integer).all()
    assert not a["Scenarios"].equals(c["Scenarios"])
    # the regime's own change comes along, renamed
    ban = a["ScenarioChanges"]
    assert set(ban["scenario"]) == {s for s in a["Scenarios"]["scenario"] if s.endswith("_BAN")}
    assert ban["value"].tolist() == [0.0]
    assert validate(a) == []


def test_saa_replications_match_the_hand_optimum_of_their_sample(tiny: InputData) -> None:
    result = saa(tiny, 20, 6, 100, seed=1, options=EXACT)
    for rep in result.table.itertuples():
        q = ban_share(sample_data(tiny, 20, int(rep.seed), prefix="R"))
        assert rep.bound == pytest.approx(z(q)), q
        assert rep.optimum == pytest.approx(z(q))
        assert rep.candidate_cost >= rep.optimum - 1e-6
    lo, hi = result.lower_bound_ci
    assert lo <= 1_290_000 <= hi
    assert result.upper_bound_ci[0] <= result.upper_bound_ci[1]
    assert result.gap_ci_upper >= result.gap >= 0


def test_saa_brackets_the_extensive_form_of_a_sampled_price(tiny: InputData) -> None:
    """In BAN, JP's price is 80 or 120 with equal odds (a choice factor). The exact extensive form
    has three scenarios: OPEN 0.7, BAN at 80 0.15, BAN at 120 0.15. A tonne needed in P2 costs
    0.7 x 50 + 0.15 x 80 + 0.15 x 120 = 65 > 60 if qualified, so stock 6: 700 + 360 + 4 x 65 = 1,320;
    qualify alone 1,350; stock alone 2,200. Optimum 1,320,000. The SAA lower-bound interval and the
    plan's upper-bound interval together contain it."""
    factor = {
        "factor": "JP_PRICE",
        "scenario": "BAN",
        "table": "Contracts",
        "filter": "contract=K_JP",
        "column": "price",
        "distribution": "choice",
        "values": "80000 120000",
        "weights": "0.5 0.5",
    }
    data = with_factors(tiny, [factor])
    assert validate(data) == []
    exact = from_records(
        {
            "Scenarios": [
                {"scenario": "OPEN", "probability": 0.7},
                {"scenario": "BAN80", "probability": 0.15},
                {"scenario": "BAN120", "probability": 0.15},
            ],
            "ScenarioChanges": [
                {
                    "scenario": s,
                    "table": "ExportControls",
                    "filter": "rule=CN_MAG",
                    "column": "approval_share",
                    "value": 0,
                    "start_period": "P2",
                }
                for s in ("BAN80", "BAN120")
            ]
            + [
                {
                    "scenario": "BAN120",
                    "table": "Contracts",
                    "filter": "contract=K_JP",
                    "column": "price",
                    "value": 120000,
                    "start_period": "P2",
                }
            ],
        }
    )
    ef_data = replace(
        tiny,
        tables={**tiny.tables, "Scenarios": exact["Scenarios"], "ScenarioChanges": exact["ScenarioChanges"]},
    )
    ef = solve_data(ef_data, EXACT)
    assert ef.objective == pytest.approx(1_320_000)
    sampled = sample_data(data, 60, 3)
    assert len(sampled["Scenarios"]) == 3
    result = saa(data, 30, 8, 200, seed=2, options=EXACT)
    assert result.lower_bound_ci[0] <= ef.objective <= result.upper_bound_ci[1]
    assert result.lower_bound_ci[0] <= result.upper_bound_ci[1]


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"distribution": "uniform", "low": 2.0, "high": 1.0}, "high", "below low"),
        ({"distribution": "triangular", "low": 0.0, "high": 1.0}, "mode", "needs low, mode and high"),
        ({"distribution": "choice", "values": "1 0", "weights": "0.5"}, "weights", "one weight per value"),
        ({"distribution": "choice", "values": "1 0", "weights": "0.7 0.7"}, "weights", "sum to 1"),
        ({"distribution": "choice", "values": "one"}, "values", "numbers separated by spaces"),
        ({"distribution": "choice", "values": "1 1.5"}, "values", "a draw of 1.5"),
        ({"distribution": "uniform", "low": 0.0, "high": 1.0, "column": "approval"}, "column", "approval"),
    ],
)
def test_bad_distributions_are_located(
    tiny: InputData, change: dict[str, object], column: str, words: str
) -> None:
    factor = {
        "factor": "F1",
        "table": "ExportControls",
        "filter": "rule=CN_MAG",
        "column": "approval_share",
        **change,
    }
    issues = [i for i in validate(with_factors(tiny, [factor])) if i.severity == "error"]
    assert issues, "expected an error"
    assert all(i.sheet == "Distributions" and i.row == 2 for i in issues), [str(i) for i in issues]
    assert any(i.column == column and words in i.message for i in issues), [str(i) for i in issues]


def test_replay_prices_the_plan_on_fresh_draws(tiny: InputData) -> None:
    """The plan (qualify JP-EU) costs 1,200 in OPEN and 1,500 in BAN whatever the draw; over 100
    draws with a BAN share q its mean is 1,200 + 300 q. The expected-value plan (approval share 0.7
    in P2: 7 t from CN, 3 t short at 1,000 unless JP is qualified) qualifies too: the same plan."""
    result = replay(tiny, 100, seed=4, options=EXACT)
    q = ban_share(sample_data(tiny, 100, 4, prefix="P"))
    summary = result.summary.set_index("plan")
    assert summary.loc["plan", "expected_cost"] == pytest.approx(1000 * (1200 + 300 * q))
    assert summary.loc["plan", "cost_max"] == pytest.approx(1_500_000)
    assert summary.loc["plan", "cost_p50"] == pytest.approx(1_200_000 if q < 0.5 else 1_500_000)
    assert summary.loc["plan", "expected_shortage"] == pytest.approx(0.0)
    assert summary.loc["expected-value plan", "expected_cost"] == pytest.approx(
        summary.loc["plan", "expected_cost"]
    )
    assert result.outcomes["draws"].groupby(result.outcomes["plan"]).sum().tolist() == [100, 100]


def test_replay_shows_the_tail_a_plan_without_the_second_source_carries(tiny: InputData) -> None:
    """With the qualification priced at 10,000 (above 10 x (1,000 - 80) x 0.3 = 2,760 it does not pay),
    the plan stocks 6 t instead: OPEN 500 + 360 + 200 = 1,060; BAN 860 + 4 x 1,000 = 4,860. Every BAN
    draw is 4 t short."""
    lanes = tiny["Lanes"].copy()
    lanes.loc[lanes["lane"] == "JP-EU", "cost_qualification"] = 10_000_000.0
    data = replace(tiny, tables={**tiny.tables, "Lanes": lanes})
    result = replay(data, 50, seed=5, options=EXACT)
    q = ban_share(sample_data(data, 50, 5, prefix="P"))
    plan = result.summary.set_index("plan").loc["plan"]
    assert plan["expected_cost"] == pytest.approx(1000 * (1060 * (1 - q) + 4860 * q))
    assert plan["share_of_draws_short"] == pytest.approx(q)
    assert plan["shortage_max"] == pytest.approx(4.0)
    assert plan["expected_shortage"] == pytest.approx(4.0 * q)
