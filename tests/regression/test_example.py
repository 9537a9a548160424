"""Regression: the published example (``inputs/example.xlsx``, the buyer's seat), its 2025
status-quo variant, and the teaching workbook.

* The workbook on disk is what ``inputs/example/build.py`` writes from the CSV tables; it
  validates without errors and every row carries a tagged source.
* Calibration (issue #12) on the 2025 status-quo variant (2025 capacities and demand, no licence
  rules, one scenario) in a steady year (2028, away from the opening-stock draw-down and the
  closing-stock target), each against its source and tolerance:

  - US imports of Chinese magnets 7,000-8,500 t/yr (facts §10, from Chinese customs data);
  - the EU's magnets from China: ~98% in 2020 (ERMA via Reuters, facts §10), at least 93%;
  - China's share of separation 90% +/- 5 points (IEA 91%) on the IEA's basis, magnet rare earths:
    China's separated NdPr oxide (mined, imported and recycled feed; facts §11.10) against the NdPr
    oxide the example's separators make;
  - China's share of mining 70% +/- 5 points (USGS 2025e 69%): the Western separators run because
    they can sell NdPr oxide on the world market (``sales.csv``);
  - China's share of magnet making 92% +/- 5 points (IEA 94%, MOTIE 94%, DOE ~90%; facts §3.1):
    China's ~260,000 t (SMM 2024e) against the blanks the Western economy makes;
  - Japan's dependence on Chinese supply 63-75% (METI 63% of RE metals 2024; customs 79.6% of RE
    imports H1 2024; facts §10), measured on Japan's imports of RE oxide, metal and magnets. It
    rests on the assumed 1,500 t/yr of NdPr oxide Lynas sells outside the modelled economy.

* On the planning run (the README's solve, ``example_optimum``): US magnet self-sufficiency in
  2028 lies in the seeds' 5-35% band in every scenario; no Chinese-content magnet reaches US
  defence users after 2026-12, imported or made in the US (the US defence rule, a demand-side
  content limit); only the broad ban leaves demand unmet.
* ``inputs/tiny.xlsx`` solves to the hand-derived value of ``inputs/build_tiny.py``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from planner.api import SolveOptions, solve_data
from planner.io.excel_reader import read_workbook
from planner.solution import Solution
from planner.tables import InputData
from planner.validate import count, validate
from tests.regression import regression_values as rv

INPUTS = Path(__file__).resolve().parents[2] / "inputs"
STEADY_YEAR = ("2028Q1", "2028Q2", "2028Q3", "2028Q4")
MAGNETS = ("MAG_N", "MAG_M", "MAG_H", "MAG_SH")
RE_MATERIALS = ("NDPR_OX", "DY_OX", "TB_OX", "NDPR_MET", "DY_MET", "TB_MET")
CHINA_MAGNETS_T = 260_000  # SMM 2024e (facts §3.1)


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"inputs_{name.replace('/', '_')}", INPUTS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return _script("example/build")


@pytest.fixture(scope="module")
def example() -> InputData:
    return read_workbook(INPUTS / "example.xlsx")


@pytest.fixture(scope="module")
def status_quo(builder: ModuleType) -> Solution:
    return solve_data(builder.build_data(status_quo=True), SolveOptions(mip_gap=1e-6, threads=1))


# ------------------------------------------------------------------------------ the tables


def test_example_validates_without_errors(example: InputData, builder: ModuleType) -> None:
    for data in (example, builder.build_data(status_quo=True)):
        issues = validate(data)
        errors, _warnings = count(issues)
        assert errors == 0, "\n".join(str(i) for i in issues if i.severity == "error")
    assert example.settings["mip_gap"] == 0.005
    assert example.settings["highs_options"] == {
        "mip_lp_solver": "ipm",
        "mip_heuristic_run_rins": "false",
        "mip_heuristic_run_rens": "false",
        "mip_heuristic_run_root_reduced_cost": "false",
    }


def test_every_partial_licence_share_has_something_to_deny(example: InputData) -> None:
    """R18's and R61's shares below 1 apply to what the buyers file for. Derived from capacity, the
    Dy/Tb metal requirement is unlimited (the magnet plants' grade and diffusion steps have no
    capacity) and the share would deny nothing: licence_reference.csv gives each such rule and
    product the buyers' 2025 use instead, so the validator finds no derived requirement."""
    flagged = [i for i in validate(example) if i.code == "derived_requirement"]
    assert not flagged, "\n".join(str(i) for i in flagged)
    refs = example["ExportControls"].set_index(["rule", "product"])["reference_volume"]
    for key in [("R18", "DY_MET"), ("R18", "TB_MET"), ("R61", "DY_MET"), ("R61", "TB_MET")]:
        assert refs[key] > 0, key


def test_every_row_has_a_tagged_source(example: InputData) -> None:
    for name, frame in example.tables.items():
        if name == "Settings" or frame.empty:
            continue
        assert (frame["source"].fillna("") != "").all(), name
        assert frame["confidence"].isin(["S", "S2", "D", "A", "U"]).all(), name
        assumed = frame["source"].str.startswith("assumption")
        assert (frame.loc[assumed, "confidence"] == "A").all(), name


def test_periods_are_months_then_quarters(example: InputData) -> None:
    periods = example["Periods"]
    assert list(periods["period"][:2]) == ["2026-12", "2027-01"]
    assert periods["length_days"].iloc[0] == pytest.approx(365.25 / 12, abs=1e-3)
    assert periods["length_days"].iloc[-1] == pytest.approx(91.25)
    assert periods["period"].iloc[-1] == "2030Q4"


def test_committed_projects_are_capacity_not_options(example: InputData) -> None:
    """MP 10X and Vulcan are financed (capex sunk): capacity on schedule, no build decision."""
    assert not {"MP_10X", "VULCAN"} & set(example["CapacityOptions"]["option"])
    changes = example["ScenarioChanges"]
    ten_x = changes[(changes["filter"] == "process=MAKE_G_US_MP") & (changes["action"] == "add")]
    # 9,000 t/yr = 9,000 x 91.25 / 365.25 = 2,248.5 t a reference quarter, ramping 1/5, 2/5, ...
    # over four quarters from 2028Q4
    quarter = 9_000 * 91.25 / 365.25
    assert ten_x["value"].tolist() == pytest.approx([quarter * k / 5 for k in range(1, 6)], abs=1e-3)
    assert ten_x["start_period"].iloc[0] == "2028Q4"


# ------------------------------------------------------------------------------ calibration


def _receipts(sol: Solution, dests: tuple[str, ...], products: tuple[str, ...]) -> dict[str, float]:
    f = sol.flows
    f = f[f.arrival_period.isin(STEADY_YEAR) & f.destination.isin(dests) & f["product"].isin(products)]
    f = f[f.origin_country != f.destination_country]
    return f.groupby("origin_country")["quantity"].sum().to_dict()


def test_status_quo_us_imports_of_chinese_magnets(status_quo: Solution) -> None:
    assert status_quo.proven_optimal
    us = _receipts(status_quo, ("D_US", "D_US_DEF"), MAGNETS)
    assert 7_000 <= us["CN"] <= 8_500, us


def test_status_quo_eu_magnets_come_from_china(status_quo: Solution) -> None:
    eu = _receipts(status_quo, ("D_EU",), MAGNETS)
    assert eu.get("CN", 0.0) / sum(eu.values()) >= 0.93, eu


def test_status_quo_china_share_of_magnets(status_quo: Solution) -> None:
    p = status_quo.production
    made = p[p.period.isin(STEADY_YEAR) & (p.direction == "out") & p.process.str.startswith("MAKE_")]
    share = CHINA_MAGNETS_T / (CHINA_MAGNETS_T + made["quantity"].sum())
    assert share == pytest.approx(0.92, abs=0.05), share


# USGS-MCS26 2025e mine output, t REO (facts §1.1): China, and the countries whose mines the example
# does not model (Burma, Thailand, India, Russia, Vietnam, Malaysia, other); the US, Australia, Brazil,
# Madagascar and Nigeria are modelled mine by mine
CHINA_MINING_T = 270_000
UNMODELLED_MINING_T = 22_000 + 4_800 + 2_900 + 2_600 + 150 + 110 + 550


def _steady(frame: pd.DataFrame, prefix: str, direction: str, product: str | None = None) -> float:
    f = frame[
        frame.period.isin(STEADY_YEAR) & (frame.direction == direction) & frame.process.str.startswith(prefix)
    ]
    if product is not None:
        f = f[f["product"] == product]
    return float(f["quantity"].sum())


def test_status_quo_china_share_of_mining(status_quo: Solution) -> None:
    """China's share of world mine output (USGS-MCS26 2025e: 270,000 of 390,000 t REO = 69%; the
    issue's 70% +/- 5 points), with the example's mines at their modelled output in place of their
    countries' USGS figures."""
    west = _steady(status_quo.production, "MINE_", "out")
    share = CHINA_MINING_T / (CHINA_MINING_T + UNMODELLED_MINING_T + west)
    assert share == pytest.approx(0.70, abs=0.05), (share, west)


# China's separated NdPr oxide, t/yr, low and high (facts §11.10, §8): ore from its own mines (the
# 270,000 t REO quota, Reuters [S], at 15-25% NdPr: Bayan Obo ~20%, ionic clay 20-30% [U]), imported
# feed (10-15 kt NdPr [D]) and the 26,504 t of NdPr oxide recovered from magnet scrap in 2024 (Argus [S])
CHINA_NDPR_OXIDE_T = (270_000 * 0.15 + 10_000 + 26_504, 270_000 * 0.25 + 15_000 + 26_504)


def test_status_quo_china_share_of_separation(status_quo: Solution) -> None:
    """China's share of separation 90% +/- 5 points (IEA Oct 2025: 91%; facts §2.1), on the IEA's
    basis: separated magnet rare earths, not all seventeen elements. (The IEA counts rare earths as
    magnet rare earths: Nd, Pr, Dy and Tb demand of 93,000 t in 2023, facts §10, and Malaysia, i.e.
    Lynas, with a "5% share" of the "refined production of REE magnets"; IEA GCMO 2024 via SEAISI,
    the source of facts §2.1.)
    Like for like: China's NdPr oxide against the NdPr oxide the example's separators make, at
    both ends of China's range. NdPr is nearly all of the magnet rare earths by mass (Dy and Tb
    are a few percent on either side). The 254,000 t REO separation quota is not the measure:
    it counts lanthanum and cerium, which the example does not carry."""
    west = _steady(status_quo.production, "SEP_", "out", "NDPR_OX")
    for china in CHINA_NDPR_OXIDE_T:
        share = china / (china + west)
        assert share == pytest.approx(0.90, abs=0.05), (china, share, west)


def test_status_quo_japan_depends_on_china(status_quo: Solution) -> None:
    jp = _receipts(status_quo, ("A_JP", "G_JP", "D_JP"), RE_MATERIALS + MAGNETS)
    share = jp.get("CN", 0.0) / sum(jp.values())
    assert 0.63 <= share <= 0.75, (share, jp)


# ------------------------------------------------------------------------------ planning run


def test_us_self_sufficiency_2028_within_the_seeds_band(example_optimum: Solution) -> None:
    """US-made share of US magnet receipts in 2028, every scenario: 5-35% (the seeds: 25-35% by 2028
    if all goes smoothly, 5-12% if not)."""
    f = example_optimum.flows
    f = f[
        f.arrival_period.isin(STEADY_YEAR)
        & f.destination.isin(["D_US", "D_US_DEF"])
        & f["product"].isin(MAGNETS)
    ]
    by = f.groupby(["scenario", "origin_country"])["quantity"].sum().unstack(fill_value=0.0)
    share = by.get("US", 0.0) / by.sum(axis=1)
    assert len(share) == 9
    assert share.between(0.05, 0.35).all(), share.round(3).to_dict()


def _defence_receipts(sol: Solution) -> pd.DataFrame:
    """Magnets shipped to US defence users from 2027-01 (a December 2026 shipment may arrive in
    January, before the rule)."""
    f = sol.flows
    return f[(f.destination == "D_US_DEF") & (f.period != "2026-12") & f["product"].isin(MAGNETS)]


def test_no_chinese_content_is_imported_for_us_defence_after_2026(example_optimum: Solution) -> None:
    """DFARS (from 2027-01): no magnet with Chinese content (tag C, content >= 0.1%) is shipped
    from abroad to US defence users."""
    f = _defence_receipts(example_optimum)
    assert not f.empty
    imported = f[f.origin_country != "US"]
    assert imported.loc[imported.origin_tag == "C", "quantity"].sum() == pytest.approx(0.0, abs=1e-6)


def test_no_chinese_content_reaches_us_defence_after_2026(example_optimum: Solution) -> None:
    """DFARS as the buyer's content limit (Demand.no_controlled_content): US plants cannot serve
    defence users with magnets made from Chinese metal either."""
    f = _defence_receipts(example_optimum)
    assert f.loc[f.origin_tag == "C", "quantity"].sum() == pytest.approx(0.0, abs=1e-6)


def test_only_the_broad_ban_leaves_demand_unmet(example_optimum: Solution) -> None:
    short = example_optimum.scenarios.set_index("scenario")["shortage"]
    assert short["S4_BROAD_BAN"] > 1_000
    assert short.drop("S4_BROAD_BAN").max() <= 1.0, short.round(1).to_dict()


def test_example_model_size(example_optimum: Solution) -> None:
    highs = example_optimum.extra["solve_result"].highs
    assert highs.getNumCol() == rv.EXAMPLE_COLUMNS
    assert highs.getNumRow() == rv.EXAMPLE_ROWS


# ------------------------------------------------------------------------------ tiny


def test_tiny_objective_equals_hand_value() -> None:
    sol = solve_data(read_workbook(INPUTS / "tiny.xlsx"), SolveOptions(mip_gap=0.0))
    assert sol.proven_optimal
    assert sol.objective == pytest.approx(rv.TINY_OBJECTIVE, rel=1e-6)
    assert _script("build_tiny").TINY_OBJECTIVE == rv.TINY_OBJECTIVE
    costs = sol.scenarios.set_index("scenario")["total_cost"]
    assert costs["OPEN"] == pytest.approx(1_200_000, rel=1e-6)
    assert costs["BAN"] == pytest.approx(1_500_000, rel=1e-6)
    assert set(sol.decisions.loc[sol.decisions.value > 0.5, "id"]) == {"JP-EU"}
    assert sol.inventory["stock"].abs().max() == pytest.approx(0.0, abs=1e-9)


# ------------------------------------------------------------------------------ no drift


def _assert_same_workbook(a: InputData, b: InputData) -> None:
    assert a.settings == b.settings
    assert set(a.tables) == set(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=False, rtol=1e-12, obj=name)


@pytest.mark.parametrize("name", ["example/build", "build_tiny"])
def test_workbook_on_disk_is_what_the_script_generates(name: str, tmp_path: Path) -> None:
    script = _script(name)
    on_disk = INPUTS / ("example.xlsx" if name == "example/build" else "tiny.xlsx")
    fresh = tmp_path / on_disk.name
    script.write(fresh)
    _assert_same_workbook(read_workbook(on_disk), read_workbook(fresh))
    assert on_disk.stat().st_size < 300_000
