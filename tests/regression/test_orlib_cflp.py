"""Regression: OR-Library facility location (Beasley) optima reproduced by the planner.

The instances and their published, proven optimal values live outside the
repository (``PLANNER_BENCHMARKS``, default ``/work/shared/benchmarks``); see
``orlib_cflp/README.md`` there. Each case is converted with
:func:`planner.benchmarks.orlib_to_input`, solved through :func:`planner.api.solve_data`
and compared with the published value at the README's tolerance (relative 1e-6
or absolute 0.01).

Covered: the 37 CFLP cases cap41..cap134 and the 12 small UFLP cases
(cap71-74, cap101-104, cap131-134). capa/capb/capc (100 x 1000) take minutes
each and are run by ``bench/bench_cflp.py`` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.benchmarks import (
    benchmarks_dir,
    orlib_to_input,
    read_optimal_values,
    read_orlib_cap,
)

ROOT = benchmarks_dir() / "orlib_cflp"
if not (ROOT / "optimal_values.csv").is_file():
    pytest.skip(f"OR-Library benchmark folder not found at {ROOT}", allow_module_level=True)

REL_TOL = 1e-6
ABS_TOL = 0.01
LARGE = ("capa", "capb", "capc")

ROWS = read_optimal_values(ROOT / "optimal_values.csv")
CASES = [r for r in ROWS if not r["case_id"].startswith(LARGE)]


def _instance_path(name: str) -> Path:
    return ROOT / "instances" / f"{name}.txt"


def _solve(data: Any) -> Any:
    from planner.api import SolveOptions, solve_data

    return solve_data(data, SolveOptions(mip_gap=1e-9, time_limit=600, threads=1))


# --------------------------------------------------------------------------- parser


def test_case_list_is_complete() -> None:
    """37 CFLP + 12 small UFLP cases are selected from the CSV."""
    assert sum(r["problem"] == "CFLP" for r in CASES) == 37
    assert sum(r["problem"] == "UFLP" for r in CASES) == 12


def test_read_cap41_by_hand() -> None:
    """Values checked by reading cap41.txt by eye."""
    inst = read_orlib_cap(_instance_path("cap41"))
    assert inst.name == "cap41"
    assert (inst.n_sites, inst.n_customers) == (16, 50)
    assert inst.capacities == (5000.0,) * 16
    assert inst.fixed_costs[0] == 7500.0
    assert inst.fixed_costs[10] == 0.0  # the eleventh site opens for free
    assert inst.demands[:3] == (146.0, 87.0, 672.0)
    assert inst.costs[0][0] == pytest.approx(6739.725)  # a_11
    assert inst.costs[1][0] == pytest.approx(10355.05)  # a_21
    assert inst.costs[15][0] == pytest.approx(6051.7)  # a_16,1
    assert inst.costs[0][1] == pytest.approx(3204.8625)  # a_12
    assert inst.costs[15][49] == pytest.approx(7448.1)  # the file's last token
    assert inst.total_demand == 58268.0


@pytest.mark.parametrize("case", CASES, ids=[r["case_id"] for r in CASES])
def test_read_sizes_match_csv(case: dict[str, str]) -> None:
    """Every small file parses to the sizes the CSV states."""
    inst = read_orlib_cap(ROOT / case["file"])
    assert inst.n_sites == int(case["facilities"])
    assert inst.n_customers == int(case["customers"])
    assert all(c is not None and c > 0 for c in inst.capacities)
    assert all(d > 0 for d in inst.demands)


def test_read_capa_literal_capacity_word() -> None:
    """capa writes the word ``capacity``: unknown unless overridden."""
    raw = read_orlib_cap(_instance_path("capa"))
    assert (raw.n_sites, raw.n_customers) == (100, 1000)
    assert raw.capacities == (None,) * 100
    assert raw.fixed_costs[0] == 2141200.0
    over = read_orlib_cap(_instance_path("capa"), capacity_override=8000)
    assert over.capacities == (8000.0,) * 100
    assert over.fixed_costs == raw.fixed_costs
    with pytest.raises(ValueError, match="capacity"):
        orlib_to_input(raw, capacitated=True)
    uflp = orlib_to_input(raw, capacitated=False)  # UFLP ignores the capacities
    assert set(uflp["Processes"]["capacity"]) == {raw.total_demand}


def test_read_is_a_token_stream(tmp_path: Path) -> None:
    """Line breaks carry no meaning; trailing or missing tokens are errors."""
    text = "2 3\n10 100.\n capacity 5\n4 1 2\n5\n3 4 6 5 6\n"
    f = tmp_path / "tiny.txt"
    f.write_text(text)
    inst = read_orlib_cap(f, capacity_override=7)
    assert inst.capacities == (7.0, 7.0)
    assert inst.fixed_costs == (100.0, 5.0)
    assert inst.demands == (4.0, 5.0, 6.0)
    assert inst.costs == ((1.0, 3.0, 5.0), (2.0, 4.0, 6.0))
    assert read_orlib_cap(f).capacities == (10.0, None)
    (tmp_path / "long.txt").write_text(text + " 9")
    with pytest.raises(ValueError, match="unexpected tokens"):
        read_orlib_cap(tmp_path / "long.txt")
    (tmp_path / "short.txt").write_text(text.rsplit(" ", 1)[0])
    with pytest.raises(ValueError, match="ends early"):
        read_orlib_cap(tmp_path / "short.txt")


# --------------------------------------------------------------------------- converter


def test_convert_cap41() -> None:
    """Sites, processes, lanes and demand of the converted cap41."""
    inst = read_orlib_cap(_instance_path("cap41"))
    data = orlib_to_input(inst)
    sites = data["Sites"]
    assert len(sites) == 16 + 50
    cand = sites[sites["status"] == "candidate"]
    assert list(cand["site"]) == [f"F{i}" for i in range(1, 17)]
    assert list(cand["cost_opening"]) == list(inst.fixed_costs)
    procs = data["Processes"]
    assert list(procs["site"]) == list(cand["site"])
    assert (procs["capacity"] == 5000.0).all()
    flows = data["ProcessFlows"]
    assert len(flows) == 16
    assert set(flows["direction"]) == {"out"}
    assert set(flows["quantity"]) == {1.0}
    lanes = data["Lanes"].set_index("lane")
    assert len(lanes) == 16 * 50
    assert lanes["capacity"].isna().all()
    assert lanes.loc["F2-C1", "cost_flow"] * 146.0 == pytest.approx(10355.05)
    assert lanes.loc["F16-C50", "cost_flow"] * inst.demands[49] == pytest.approx(7448.1)
    demand = data["Demand"]
    assert demand["quantity"].sum() == 58268.0
    assert set(demand["period"]) == {"P1"}
    # any unmet unit must cost more than a plan that opens every site and uses the dearest lanes
    bound = sum(inst.fixed_costs) + sum(max(inst.costs[i][j] for i in range(16)) for j in range(50))
    assert (demand["shortage_penalty"] > bound).all()
    assert data.settings["mip_gap"] == 1e-9
    assert list(data["Periods"]["period"]) == ["P1"]


def test_convert_uflp_capacity_is_total_demand() -> None:
    """UFLP: capacities are replaced by the total demand (finite, never binding)."""
    inst = read_orlib_cap(_instance_path("cap41"))
    data = orlib_to_input(inst, capacitated=False)
    assert set(data["Processes"]["capacity"]) == {58268.0}


# --------------------------------------------------------------------------- regression


@pytest.mark.parametrize("case", CASES, ids=[r["case_id"] for r in CASES])
def test_published_optimum(case: dict[str, str]) -> None:
    """The planner's optimal cost equals Beasley's published optimum."""
    inst = read_orlib_cap(ROOT / case["file"])
    data = orlib_to_input(inst, capacitated=case["problem"] == "CFLP")
    res = _solve(data)
    expected = float(case["optimal_value"])
    assert res.status == "optimal", f"{case['case_id']}: status {res.status}"
    assert res.objective == pytest.approx(expected, rel=REL_TOL, abs=ABS_TOL), (
        f"{case['case_id']}: expected {expected}, got {res.objective}"
    )
