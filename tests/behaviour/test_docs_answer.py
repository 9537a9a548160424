"""The README's answer, collected by ``planner.docs.example_answer``, on tiny (hand-checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.docs import example_answer, example_findings

TINY = Path(__file__).resolve().parents[2] / "inputs" / "tiny.xlsx"


def test_a_qualification_states_what_its_lane_carries() -> None:
    """tiny qualifies JP -> EU ($200,000) and ships over it only in BAN (30%): 10 t in P2, over the
    two quarters P1-P2 (182.5 days = 0.4997 yr) 20.0 t/yr; expected 0.3 x 20.0 = 6.0 t/yr."""
    answer = example_answer(TINY)
    (lane,) = answer["other_decisions"]
    assert (lane["id"], lane["origin"], lane["destination"], lane["products"]) == (
        "JP-EU",
        "JP",
        "EU",
        ["MAG"],
    )
    years = 182.5 / 365.25
    assert lane["per_year_by_scenario"] == pytest.approx({"OPEN": 0.0, "BAN": 10 / years})
    assert lane["expected_per_year"] == pytest.approx(0.3 * 10 / years)
    assert (
        "- qualify Japanese magnet supplier as a supplier to European buyer (lane `JP-EU`), usable from P1, "
        "one-off $200,000: ships MAG, "
        "6 t/yr expected (0-20 t by scenario)"
    ) in example_findings(answer)


def test_small_shortages_read_in_tonnes_large_ones_in_kt() -> None:
    """A region 28 t short reads "28 t" (not "0.0 kt"); 5,900 t reads "5.9 kt"."""
    answer = example_answer(TINY)
    ban = next(s for s in answer["scenarios"] if s["scenario"] == "BAN")
    ban["short_by_site"] = {"EU": 5_900.0, "JP": 28.0}
    ban["magnets_short"] = 5_928.0
    assert "| 5.9 kt | EU 5.9 kt, JP 28 t |" in example_findings(answer)
