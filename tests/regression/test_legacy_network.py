"""Regression: the legacy five-scenario network (``tests/regression/legacy_network.py``).

It was the published example until 2026-11-29 (issue #12 replaced it). Its recorded optimum and
stress results guard planner's features on a mid-size network:

* it validates clean and solves at its own Settings (mip_gap 0.005, time limit 60 s) to a proven
  plan whose [bound, objective] interval brackets the recorded proven optimum
  (``LEGACY_OBJECTIVE``, rel 1e-3);
* status-quo sanity test: the one-scenario variant without licence rules reproduces China's
  share of mining, separation and magnet making in the first year (2026Q4-2027Q3);
* stress and the days-of-cover curve on its proven-optimal plan agree with its scenarios.
"""

from __future__ import annotations

from types import ModuleType

import pyomo.environ as pyo
import pytest

from planner.api import SolveOptions, solve_data
from planner.io.excel_reader import read_workbook
from planner.solution import Solution, balance_residuals
from planner.tables import InputData
from planner.validate import count, validate
from tests.regression import regression_values as rv

FIRST_YEAR = ("2026Q4", "2027Q1", "2027Q2", "2027Q3")


@pytest.fixture(scope="module")
def build_example() -> ModuleType:
    from tests.regression import legacy_network

    return legacy_network


@pytest.fixture(scope="module")
def example(build_example: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> InputData:
    """The legacy network, written and read back as a workbook (the reader is part of the test)."""
    path = tmp_path_factory.mktemp("legacy") / "legacy_network.xlsx"
    build_example.write(path)
    return read_workbook(path)


@pytest.fixture(scope="module")
def example_optimum(example: InputData) -> Solution:
    """The legacy network at its proven optimum (one thread, seed 0)."""
    return solve_data(example, SolveOptions(mip_gap=0.0, threads=1, random_seed=0, time_limit=900.0))


@pytest.fixture(scope="module")
def example_solution(example: InputData) -> Solution:
    return solve_data(example, SolveOptions())  # the workbook's own Settings


def test_example_validates_clean(example: InputData) -> None:
    issues = validate(example)
    errors, _warnings = count(issues)
    assert errors == 0, "\n".join(str(i) for i in issues)
    assert example.settings["mip_gap"] == 0.005
    assert example.settings["time_limit"] == 60


def test_example_every_row_has_provenance(example: InputData) -> None:
    for name, frame in example.tables.items():
        if name == "Settings" or frame.empty:
            continue
        assert (frame["source"].fillna("") != "").all(), name
        assert frame["confidence"].isin(["S", "S2", "D", "A", "U"]).all(), name
        assumed = frame["source"].str.startswith("assumption")
        assert (frame.loc[assumed, "confidence"] == "A").all(), name


def test_example_solves_to_proven_optimality(example_solution: Solution) -> None:
    sol = example_solution
    assert sol.proven_optimal
    assert sol.gap <= 0.005
    # the recorded optimum lies between the solver's bound and its plan
    assert sol.bound <= rv.LEGACY_OBJECTIVE * (1 + 1e-3)
    assert sol.objective >= rv.LEGACY_OBJECTIVE * (1 - 1e-3)
    assert sol.objective == pytest.approx(rv.LEGACY_OBJECTIVE, rel=0.005 + 1e-3)
    assert balance_residuals(sol, sol.extra["network"]).empty


def test_example_model_size(example_solution: Solution) -> None:
    highs = example_solution.extra["solve_result"].highs
    assert highs.getNumCol() == rv.LEGACY_COLUMNS
    assert highs.getNumRow() == rv.LEGACY_ROWS
    model = example_solution.extra["model"]
    n_int = sum(1 for v in model.component_data_objects(pyo.Var) if v.is_integer() or v.is_binary())
    assert n_int == rv.LEGACY_INTEGERS


def test_example_scenario_stories(example_optimum: Solution) -> None:
    """At the proven optimum, only the full ban (SC4) leaves Western demand unmet (300 t = $150 M
    at $500/kg, 0.5% of the cost, allows for another optimal split of stage-one flows)."""
    example_solution = example_optimum
    short = example_solution.scenarios.set_index("scenario")["shortage"]
    assert short["SC4"] == pytest.approx(rv.LEGACY_SC4_SHORTAGE, abs=300)
    for scenario in ("SC1", "SC2", "SC3", "SC5"):
        assert short[scenario] <= 300, scenario
    decisions = example_solution.decisions
    stockpile = example_solution.inventory
    eu_ht = stockpile[
        (stockpile.site == "D_EU") & (stockpile["product"] == "MAG_HT") & (stockpile.period == "2026Q4")
    ]
    opening = example_solution.extra["network"].inventory.at[("D_EU", "MAG_HT"), "initial_stock"]
    # the here-and-now stockpile (stage 1, the same in every scenario) that rides out SC2's freeze
    assert eu_ht.groupby("scenario")["stock"].sum().min() > opening + 1_000
    qualified = decisions[(decisions.decision == "qualify lane") & (decisions.value > 0.5)]["id"]
    assert "G_JP-D_EU-MAG_HT-NEW" in set(qualified)


# ------------------------------------------------------------------------------ status quo


def _shares(sol: Solution, data: InputData, mp_share: float, recovery: float) -> dict[str, float]:
    """China's share of mining (t REO), separation (t oxide) and magnet making (t) in the first year."""
    country = data["Sites"].set_index("site")["country"]
    out = sol.production[(sol.production.direction == "out") & sol.production.period.isin(FIRST_YEAR)].copy()
    out["country"] = out.site.map(country)
    mined = out[out.process.str.startswith("MINE_")].groupby("country")["quantity"].sum()
    separated = (
        out[
            out.process.str.startswith(("SEP_", "HSEP_", "REC_"))
            & out["product"].isin(["NDPR_OX", "DYTB_OX"])
        ]
        .groupby("country")["quantity"]
        .sum()
    )
    magnets = out[out.process.str.startswith("MAKE_")].groupby("country")["quantity"].sum()
    # MP's NdPr oxide is bought under the DoD floor contract (a black box for the Mountain Pass
    # mine and separation): count it as US separation and its REO equivalent as US mining
    pur = sol.purchases
    mp_oxide = pur[pur.contract.str.startswith("C_MP_DOD") & pur.period.isin(FIRST_YEAR)]["quantity"].sum()
    mined["US"] = mined.get("US", 0.0) + mp_oxide / (mp_share * recovery)
    separated["US"] = separated.get("US", 0.0) + mp_oxide
    return {
        k: float(s["CN"] / s.sum())
        for k, s in (("mining", mined), ("separation", separated), ("magnets", magnets))
    }


def test_status_quo_shares(build_example: ModuleType) -> None:
    """The 2025 status quo (no licence rules) reproduces China's grip on each stage.

    References and tolerances (percentage points):

    * mining 70% +/- 10 (USGS-MCS26: 270 of 390 kt REO in 2025e). Wider than the others: the
      USGS figures for Myanmar, Thailand, Nigeria and Madagascar are import-data estimates revised
      by up to 90% between editions, and a cost-based plan mines only what it separates, so mine
      output outside the modelled chain (Mountain Pass concentrate beyond MP's own separation,
      ~25-35 kt; Russia, India, Vietnam, ~6 kt) is missing: without it China's USGS share is ~76%.
    * separation 90% +/- 8 (IEA: 91% of separation 2025, 92% of refined output 2023).
    * magnets 92% +/- 8 (IEA 94%, MOTIE 94%, DOE ~90%): the plan is cost-driven, so it can
      move more of the making to the cheapest country than history did.
    """
    data = build_example.build_data(status_quo=True)
    assert count(validate(data))[0] == 0
    sol = solve_data(data, SolveOptions())
    assert sol.proven_optimal
    assert set(sol.scenarios["scenario"]) == {"STATUS_QUO"}
    shares = _shares(sol, data, build_example.MP_NDPR_SHARE, build_example.SEP_RECOVERY_NDPR)
    assert shares["mining"] == pytest.approx(0.70, abs=0.10), shares
    assert shares["separation"] == pytest.approx(0.90, abs=0.08), shares
    assert shares["magnets"] == pytest.approx(0.92, abs=0.08), shares


def test_myanmar_variant_costs_more(build_example: ModuleType, example_solution: Solution) -> None:
    data = build_example.build_data(myanmar=True)
    assert count(validate(data))[0] == 0
    changes = data["ScenarioChanges"]
    assert (changes["filter"] == "process=MINE_M_MM").sum() == 1  # one base change, every scenario
    assert changes.loc[changes["filter"] == "process=MINE_M_MM", "scenario"].tolist() == [""]
    sol = solve_data(data, SolveOptions())
    assert sol.proven_optimal
    assert sol.bound > example_solution.bound


def test_stress_on_the_example_agrees_with_the_scenarios(
    example_optimum: Solution, example: InputData
) -> None:
    """Stressing the proven-optimal plan: the disruption that is SC4 (heavy-RE and magnet bans with the
    content rule, 12 months) is not survived and costs a shortage, as SC4 does in the plan; the one
    that is SC3 (heavy-RE ban alone) is survived, as SC3 has no shortage. Every node with a TTR has
    a PI and an REI, and the stockpile recommendation has tonnes and a cost a year."""
    from planner.api import stress

    result = stress(example, SolveOptions(threads=1), plan=example_optimum, cover_days=())
    nodes = result["nodes"].set_index("node")
    short = example_optimum.scenarios.set_index("scenario")["shortage"]
    assert not nodes.at["CN_FULL_BAN", "covered"]
    assert nodes.at["CN_FULL_BAN", "pi_shortage"] > 0
    assert short["SC4"] > 0
    assert nodes.at["CN_HEAVY_RE_BAN", "covered"]
    assert short["SC3"] == pytest.approx(0.0, abs=1.0)
    with_ttr = nodes[nodes["ttr_periods"].notna()]
    assert len(with_ttr) >= 6
    assert with_ttr["pi_cost"].notna().all()
    assert with_ttr["rei"].notna().all()
    assert nodes.index[0] == "CN_FULL_BAN"  # ranked first by REI
    stock = result["stockpile"]
    assert (stock["extra_stock"] > 0).all()
    assert stock["cost_per_year"].sum() > 0


def test_more_days_of_cover_never_raise_the_worst_shortage(
    example_optimum: Solution, example: InputData
) -> None:
    """The policy curve on the proven plan's design (one LP per level, solved to optimality): the
    worst-scenario shortage does not rise with days of cover (0, 30, 60, 100, 180 days). On this
    example it stays at SC4's ban shortage: stock the policy asks for cannot be had before the ban."""
    from planner.model.stochastic import design_values
    from planner.model.sweeps import cover_curve
    from planner.network import build_network

    opts = SolveOptions(mip_gap=0.0, threads=1).resolved(example.settings)
    points = cover_curve(
        build_network(example),
        [0, 30, 60, 100, 180],
        opts,
        designs=design_values(example_optimum.extra["model"]),
    )
    worst = [p["worst_shortage"] for p in points]
    assert all(b <= a + 1.0 for a, b in zip(worst, worst[1:], strict=False)), worst
    assert worst[0] == pytest.approx(rv.LEGACY_SC4_SHORTAGE, abs=300)
