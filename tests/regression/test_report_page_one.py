"""Regression: page one of the manager's report (issue #14) and one set of numbers.

On ``inputs/tiny.xlsx`` (OPEN 70% / BAN 30%, optimum 1,290,000 by qualifying lane JP-EU for
200,000) the answer is known by hand; the report case of ``test_report`` adds a risk weight, a
stockpile, a candidate site not opened and shortages.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from planner.api import commitment_values, read, solve_data
from planner.config import SolveOptions
from planner.io.report_writer import write_report
from planner.metrics import Metrics, _finding_vss, compute_metrics, solver_tolerance
from planner.report import COSTS, DECISIONS, FLOWS, SCENARIOS, SHORTAGES, ReportContent, build_report
from planner.report.commitments import (
    PAGE_ONE_ROWS,
    USED,
    USED_AND_WORTH,
    break_even,
    break_even_summary,
    break_even_text,
    commitments,
    group_rows,
    worth_text,
)
from planner.report.content import PRINT_ROWS
from planner.report.summary import optimality_text
from planner.solution import Solution
from planner.tables import from_records
from tests.regression.test_report import report_case

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny() -> Solution:
    sol = solve_data(read(ROOT / "inputs" / "tiny.xlsx"), SolveOptions(threads=1))
    assert sol.objective == pytest.approx(1_290_000)
    return sol


@pytest.fixture(scope="module")
def tiny_content(tiny: Solution) -> ReportContent:
    return build_report(tiny, tiny.extra["network"])


@pytest.fixture(scope="module")
def case() -> Solution:
    records, settings = report_case()
    return solve_data(from_records(records, settings))


@pytest.fixture(scope="module")
def case_content(case: Solution) -> ReportContent:
    return build_report(case, case.extra["network"])


def _block(content: ReportContent, sheet: str, key: str) -> pd.DataFrame:
    spec = next(s for s in content.sheets if s.name == sheet)
    return next(b for b in [*spec.blocks, *spec.side] if b.key == key).frame


def _component(content: ReportContent, component: str) -> float:
    frame = _block(content, COSTS, "cost_components")
    row = frame[frame["Component"] == component]
    return float(row.iloc[0, 1]) if len(row) else 0.0


def test_tiny_page_one_lists_the_qualification_with_its_cost(tiny_content: ReportContent) -> None:
    assert tiny_content.commitments is not None
    frame = tiny_content.commitments.frame
    rows = frame[frame["Commit to"].str.startswith("Qualify lane Japanese magnet supplier -> European buyer")]
    assert len(rows) == 1
    row = rows.iloc[0]
    # the workbook's names, not only ids
    assert "Japanese magnet supplier -> European buyer" in row["Commit to"]
    assert row["Cost over the horizon"] == pytest.approx(200_000)
    assert row["Cost over the horizon"] == pytest.approx(_component(tiny_content, "qualification"))
    assert row["When"] == "by P1"
    # 10 t in P2 of BAN only: 30% x 10 t over two 91.25-day periods (half a year) = 6 t a year expected
    assert row["Quantity"] == "6.0 t/yr expected"
    # the lane only carries magnets when China's licences are cut
    assert row[USED] == "BAN (30%)"
    assert frame.iloc[-1]["Commit to"] == "Total of these commitments"
    assert frame.iloc[-1]["Cost over the horizon"] == pytest.approx(200_000)
    assert "Do not" not in tiny_content.commitment_note  # nothing declined
    assert "planner solve --worth 3" in tiny_content.commitment_note


def test_page_one_table_is_the_first_block_of_the_decisions_sheet(tiny_content: ReportContent) -> None:
    assert tiny_content.commitments is not None
    first = next(s for s in tiny_content.sheets if s.name == DECISIONS).blocks[0]
    assert first.key == "commitments"
    page, detail = tiny_content.commitments.frame, first.frame
    assert list(page["Commit to"]) == list(detail["Commit to"])  # one decision: nothing to group
    assert page.iloc[-1]["Cost over the horizon"] == detail.iloc[-1]["Cost over the horizon"]
    assert "What the cost covers" in detail.columns


def test_tiny_qualification_is_worth_the_stockpile_plan_minus_the_optimum(tiny: Solution) -> None:
    # inputs/build_tiny.py: without lane JP-EU the best the plan can do is stockpile 6 t in P1
    # (plan 2, E = 2,200 $1,000s) instead of 1,290: worth 910; in BAN 4 t go short, 4,860 - 1,500 = 3,360
    points = commitment_values(tiny, SolveOptions(threads=1), largest=3)
    assert len(points) == 1
    point = points[0]
    assert point["value"] == pytest.approx(910_000)
    assert point["worst_scenario"] == "BAN"
    assert point["worst_rise"] == pytest.approx(3_360_000)
    assert point["shortage_rise"] == pytest.approx(0.3 * 4)
    assert point["protects"] == "BAN"
    content = build_report(tiny, tiny.extra["network"], worth=points)
    assert content.commitments is not None
    row = content.commitments.frame.iloc[0]
    # break-even: with the lane OPEN 1,200, BAN 1,500; without it (6 t stocked) OPEN 1,060, BAN 4,860.
    # At P(BAN) = q both plans cost the same when 1,200 + 300 q = 1,060 + 3,800 q: q = 140 / 3,500 = 4%
    assert point["rise"] == pytest.approx({"OPEN": -140_000, "BAN": 3_360_000})
    assert row[USED_AND_WORTH] == (
        "BAN (30%); without it +$910k expected (+$3.4M in BAN); 1.2 t more short; pays while P(BAN) ≥ 4.0%"
    )
    assert "What the cost covers" not in content.commitments.frame.columns
    assert "re-solved to proven optimality" in content.commitment_note


def test_case_page_one_groups_stock_by_site_and_keeps_every_tonne(case: Solution) -> None:
    net = case.extra["network"]
    m = compute_metrics(case, net)
    page = commitments(case, net, m)
    stock = [r for r in page.rows if r["Commit to"].startswith("Buy ")]
    groups = group_rows(net, m, page.rows)
    assert sum(float(g["Cost over the horizon"]) for g in groups) == pytest.approx(page.total)
    for site in {r["_id"].split("/")[0] for r in stock}:
        mine = [r for r in stock if r["_id"].startswith(f"{site}/")]
        joined = [g for g in groups if g["_key"] == f"stock at {site}"]
        assert len(joined) == 1
        bought = sum(r["_held"] - r["_start"] for r in mine)
        assert joined[0]["_bought"] == pytest.approx(bought)
        assert sorted(joined[0]["_stock"]) == sorted(tuple(r["_id"].split("/")) for r in mine)
    assert len(page.block.frame) <= PAGE_ONE_ROWS + 2  # rows, the "smaller commitments" line, the total


def test_summary_states_optimality_and_discounting(tiny_content: ReportContent, tmp_path: Path) -> None:
    assert "proven optimal (gap 0%)" in tiny_content.subtitle
    assert "costs not discounted (Settings discount_rate 0)" in tiny_content.subtitle
    path = write_report(tiny_content, tmp_path / "tiny.xlsx")
    wb = openpyxl.load_workbook(path)
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not any("Proven optimal" in t for t in texts)
    summary = [str(c.value) for row in wb["Summary"].iter_rows() for c in row if c.value is not None]
    assert any(t.startswith("What we commit to now") for t in summary)
    assert any(t.startswith("Qualify lane Japanese magnet supplier -> European buyer") for t in summary)
    assert "200000" in summary or "200000.0" in summary


@pytest.mark.parametrize(
    ("gap", "proven", "expected"),
    [
        (0.0, True, "proven optimal (gap 0%)"),
        (0.0084, True, "optimal within 0.84%"),
        (0.032, False, "not proven optimal (gap 3.20%)"),
        (math.inf, False, "not proven optimal (no bound)"),
    ],
)
def test_optimality_wording_never_claims_proof_above_a_gap(gap: float, proven: bool, expected: str) -> None:
    m: Any = type("M", (), {"gap": gap, "proven_optimal": proven})()
    assert optimality_text(m) == expected


def test_case_do_not_rows_go_to_the_footnote(case: Solution, case_content: ReportContent) -> None:
    net = case.extra["network"]
    dec = case.decisions
    assert case_content.commitments is not None
    table = " ".join(case_content.commitments.frame["Commit to"])
    for r in dec[
        dec["decision"].isin(["do not build", "do not qualify", "keep candidate closed"])
    ].itertuples():
        name = str(net.sites.at[r.id, "name"]) if r.id in net.sites.index else str(r.id)
        assert name in case_content.commitment_note
        assert name not in table
    assert (dec["decision"] == "keep candidate closed").any()  # US_SEP is not worth opening
    assert "Do not open" in case_content.commitment_note


def test_case_stock_built_before_the_reveal_reads_buy_x_of_p_at_s_by_t(
    case: Solution, case_content: ReportContent
) -> None:
    net = case.extra["network"]
    page = commitments(case, net, compute_metrics(case, net))
    stock = [r for r in page.rows if r["Commit to"].startswith("Buy ")]
    assert stock, "the case builds stock before the licence outcome is known"
    last_root = net.periods[net.reveal - 1]
    inv = case.inventory
    assert case_content.metrics is not None
    first = case_content.metrics.scenario_ids[0]
    for r in stock:
        site, product = r["_id"].split("/")
        held = float(
            inv[
                (inv["site"] == site)
                & (inv["product"] == product)
                & (inv["period"] == last_root)
                & (inv["scenario"] == first)
            ]["stock"].sum()
        )
        start = float(net.inventory["initial_stock"].get((site, product), 0.0))
        assert f"by {last_root} (from " in r["Commit to"]
        assert str(net.products.at[product, "name"]) in r["Commit to"]
        assert f"hold {held:,.1f}" in r["Quantity"] or f"hold {held:,.0f}" in r["Quantity"]
        assert held > start


def test_one_off_costs_reconcile_with_the_costs_sheet(case: Solution, case_content: ReportContent) -> None:
    net = case.extra["network"]
    page = commitments(case, net, compute_metrics(case, net))
    one_off = _component(case_content, "capacity") + _component(case_content, "qualification")
    assert page.one_off == pytest.approx(one_off, abs=1e-6)
    assert page.total >= page.one_off - 1e-6


def test_summary_tiles_equal_their_detail_sheets(case_content: ReportContent) -> None:
    tiles = {t.label: t.value for t in case_content.tiles}
    costs = _block(case_content, COSTS, "cost_components")
    scen = _block(case_content, SCENARIOS, "scenarios")
    expected = scen.iloc[-1]
    assert tiles["Expected total cost"] == pytest.approx(float(costs.iloc[-1, 1]))
    assert tiles["Expected total cost"] == pytest.approx(float(expected["Total cost"]))
    assert tiles["Here-and-now cost"] == pytest.approx(float(expected["Here-and-now cost"]))
    assert tiles["Worst-scenario cost"] == pytest.approx(float(scen["Total cost"].iloc[:-1].max()))
    assert tiles["Tonnes short (expected)"] == pytest.approx(float(expected["Shortage"]))
    shortfalls = _block(case_content, SHORTAGES, "shortage_detail")
    m = case_content.metrics
    assert m is not None
    worst = shortfalls[shortfalls["Scenario"] == m.worst_shortage_scenario]["Short"].sum()
    assert worst == pytest.approx(m.worst_shortage)


def test_printed_detail_sheets_have_no_all_zero_rows(case_content: ReportContent) -> None:
    shortfalls = _block(case_content, SHORTAGES, "shortage_detail")
    assert len(shortfalls)
    assert (shortfalls["Short"] > 0).all()
    flows = next(s for s in case_content.sheets if s.name == FLOWS)
    for block in [*flows.blocks, *flows.side]:
        numeric = block.frame.select_dtypes("number")
        if len(numeric.columns):
            assert (numeric.abs().sum(axis=1) > 0).all(), block.key


def test_a_vss_within_the_gap_is_not_a_finding(case: Solution) -> None:
    net = case.extra["network"]
    m: Metrics = compute_metrics(case, net, stochastic={"VSS": 1.0, "EVPI": 2.0})
    m.gap = 0.01
    assert solver_tolerance(m) == pytest.approx(0.01 * abs(m.objective))
    finding = _finding_vss(m)
    assert finding is not None
    assert finding.impact == 0.0
    text = finding.text
    assert "within solver tolerance" in text or "beyond solver tolerance" in text
    assert "saves" not in text


def test_long_detail_tables_stay_off_the_printed_pages(case_content: ReportContent, tmp_path: Path) -> None:
    path = write_report(case_content, tmp_path / "case.xlsx")
    wb = openpyxl.load_workbook(path)
    checked = []
    for spec in case_content.sheets:
        if not any(len(b.frame) > PRINT_ROWS for b in spec.side) or spec.name == "Inputs":
            continue
        checked.append(spec.name)
        ws = wb[spec.name]
        area = str(ws.print_area)
        last_row = int("".join(ch for ch in area.rsplit("$", 1)[-1] if ch.isdigit()))
        left = sum(len(b.frame) + 4 for b in spec.blocks)
        if spec.name == SHORTAGES:  # ranked largest first: the first rows print
            assert spec.print_rows == PRINT_ROWS
            assert f"the first {PRINT_ROWS} rows" in spec.description
            assert last_row <= max(left, PRINT_ROWS + 4) + 3, (spec.name, area)
        else:  # every cost, stock or licence row: a screen table, the left-hand tables print
            assert spec.print_tables == 0, spec.name
            assert "not printed" in spec.description
            assert last_row <= left + 3, (spec.name, area)
    assert COSTS in checked  # every cost row: 4 periods x 3 scenarios x components


def test_every_decision_is_on_page_one_or_in_its_footnote_and_one_off_costs_reconcile() -> None:
    from tests.model_cases import full_feature_records

    records, settings = full_feature_records()
    for d in records["Demand"]:  # eight times the demand: the plan builds option X1 at US2
        d["quantity"] *= 8
    records["CapacityOptions"][0]["cost_fixed"] = 3
    sol = solve_data(from_records(records, settings))
    assert "build capacity" in set(sol.decisions["decision"])
    net = sol.extra["network"]
    content = build_report(sol, net)
    m = compute_metrics(sol, net)
    page = commitments(sol, net, m)
    one_off = _component(content, "capacity") + _component(content, "qualification")
    # X2 is built at the reveal in scenario A only (8 x 0.6 = 4.8 expected): not a here-and-now commitment
    assert m.wait_capex == pytest.approx(8 * 0.6)
    assert page.one_off + m.wait_capex == pytest.approx(one_off, abs=1e-6)
    shown = {r["_id"] for r in page.rows}
    for r in sol.decisions.itertuples():
        if r.decision in ("build capacity", "qualify lane", "open site", "close site"):
            assert r.id in shown, r
        elif r.decision == "single source":
            assert f"{r.id}" in shown
        else:  # do not build / qualify, keep candidate closed, keep site open
            assert r.decision != "do not qualify" or "Do not qualify" in page.footnote
    built = [r for r in page.rows if r["_id"] in net.options.index]
    assert built
    units0 = int(sol.decisions.set_index("id").at[built[0]["_id"], "value"])
    assert built[0]["Quantity"].startswith(f"{units0} module{'s' if units0 != 1 else ''}, +")
    for r in built:
        if r["_id"] in net.options.index:
            o = net.options.loc[r["_id"]]
            units = float(sol.decisions.set_index("id").at[r["_id"], "value"])
            t = net.option_available[r["_id"]]
            running = sum(
                net.discount[k] * float(o["cost_fixed"]) * units * net.period_weight[k]
                for k in net.T
                if k >= t
            )
            assert r["Cost over the horizon"] == pytest.approx(
                net.discount[min(t, len(net.periods) - 1)] * float(o["cost_build"]) * units + running
            )


def test_flow_picture_shows_the_likeliest_and_the_costliest_scenario(
    tiny_content: ReportContent, tmp_path: Path
) -> None:
    """tiny: OPEN (70%, 1,200,000) is the likeliest, BAN (1,500,000) the costliest; the window is the
    first year from the reveal (P2). The picture is embedded on the Summary, after the charts."""
    (pic,) = tiny_content.pictures
    assert pic.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert pic.caption.startswith("Shipments P2.")
    path = write_report(tiny_content, tmp_path / "r.xlsx")
    summary = openpyxl.load_workbook(path)["Summary"]
    assert len(summary._images) == 1


def test_scenarios_sheet_shows_what_the_recourse_changes(tiny_content: ReportContent) -> None:
    """tiny from the reveal (P2): the EU buyer (DE) gets all its magnets from CN in OPEN and all
    from JP in BAN; nobody is short, so there is no shortage table."""
    frame = _block(tiny_content, SCENARIOS, "recourse_sources").set_index("From")
    assert frame.loc["CN", ["OPEN", "BAN"]].tolist() == [1.0, 0.0]
    assert frame.loc["JP", ["OPEN", "BAN"]].tolist() == [0.0, 1.0]
    assert set(frame["Buyer"]) == {"DE"}
    sheet = next(s for s in tiny_content.sheets if s.name == SCENARIOS)
    assert "recourse_shortage" not in {b.key for b in sheet.blocks}


def test_scenarios_sheet_says_where_shortage_falls() -> None:
    """ban_case (q = 0.25, reveal P2) with the stockpile limited to 0.5 t: BAN leaves 0.5 t short at D."""
    from tests.behaviour.test_licence_risk import ban_case

    rec = ban_case(0.25)
    rec["Inventory"][0]["max_stock"] = 0.5
    rec["Contracts"] = []  # no Australian supplier: the stock is the only cover
    sol = solve_data(from_records(rec, {"reveal_period": "P2"}), SolveOptions(mip_gap=0.0))
    content = build_report(sol, sol.extra["network"])
    short = _block(content, SCENARIOS, "recourse_shortage").set_index("Demand site")
    assert short.loc["D", ["NORMAL", "BAN"]].tolist() == pytest.approx([0.0, 0.5])


def test_page_one_holds_the_commitments_and_page_two_the_flow_picture(
    tiny_content: ReportContent, tmp_path: Path
) -> None:
    ws = openpyxl.load_workbook(write_report(tiny_content, tmp_path / "pages.xlsx"))["Summary"]
    breaks = sorted(b.id for b in ws.row_breaks.brk)  # a page ends after row id
    rows = {str(c.value): c.row for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    commit = next(r for t, r in rows.items() if t.startswith("What we commit to now"))
    tile = next(r for t, r in rows.items() if t.startswith("Expected total cost"))
    assert commit < tile <= breaks[0]  # page one: the commitments, then the tiles
    picture = rows["Flows by stage and country"]
    assert breaks[0] < picture <= breaks[1]  # page two: the flow picture alone
    assert len(ws._images) == 1
    assert breaks[1] < rows["Key findings"]  # then the findings


def test_worth_wording_for_a_commitment_that_does_not_pay_or_is_not_proven() -> None:
    m: Any = type("M", (), {"objective": 1e10, "gap": 0.0035, "currency": "USD", "mass_unit": "t"})()
    # measured on the example: the two EU lanes, re-solved away, save $5.9M (inside the 0.35% gap)
    saving = {"value": -5.92e6, "worst_rise": -5.5e6, "worst_scenario": "S2_OCT_RULES", "shortage_rise": 0.0}
    assert worth_text(saving, m) == "the plan does $5.9M better (inside the main solve's 0.35% gap)"
    used = {"value": 5.68e6, "worst_rise": 125.5e6, "worst_scenario": "S4_BROAD_BAN", "shortage_rise": 15.3}
    assert worth_text(used, m) == "+$5.7M expected (+$125.5M in S4_BROAD_BAN); 15.3 t more short"
    assert worth_text({"value": None, "note": "not proven (time limit)"}, m) == "not proven (time limit)"
    # the solver's full words (seen on the example at its 1,200 s limit) stay in tables.xlsx
    said = (
        "not valued (the solver stopped (Time limit reached) after 0.4 s without finding any feasible plan; "
        "raise the time limit (--time-limit) or simplify the workbook)"
    )
    assert worth_text({"value": None, "note": said}, m) == (
        "not valued: the run's time limit ran out first (raise --time-limit)"
    )
    assert worth_text({"value": None, "note": ""}, m) == "the plan is infeasible"


def test_break_even_probability_of_a_commitment_by_hand() -> None:
    """A stock that costs 3 in both scenarios; without it NORMAL costs 1 and BAN 11 (the ban case of
    test_resilience): rises -2 and +8. At P(BAN) = q: 3 = (1 - q) 1 + q 11, so q = 0.2; moving NORMAL's
    probability instead, the same point is P(NORMAL) = 0.8."""
    probs = {"NORMAL": 0.75, "BAN": 0.25}
    rows = break_even({"NORMAL": -2.0, "BAN": 8.0}, probs)
    assert [(r["scenario"], r["pays"]) for r in rows] == [("BAN", "above"), ("NORMAL", "below")]
    assert rows[0]["break_even"] == pytest.approx(0.2)
    assert rows[1]["break_even"] == pytest.approx(0.8)
    assert break_even_summary({"NORMAL": -2.0, "BAN": 8.0}, probs) == "P(BAN) ≥ 20.00%; P(NORMAL) ≤ 80.00%"
    # three scenarios: rises A -1, B 0, C +9 at 0.5 / 0.3 / 0.2. Moving C: A_C = (0.5 x -1) / 0.8 = -0.625,
    # q* = 0.625 / 9.625 = 0.0649. B's rise is 0: V(q) = (1 - q) A_B with A_B = (0.5 x -1 + 0.2 x 9) / 0.7
    # > 0 has no root in (0, 1), so moving B alone never stops the commitment paying
    rows = break_even({"A": -1.0, "B": 0.0, "C": 9.0}, {"A": 0.5, "B": 0.3, "C": 0.2})
    by = {r["scenario"]: r for r in rows}
    assert set(by) == {"A", "C"}
    assert by["C"]["break_even"] == pytest.approx(0.625 / 9.625)
    # moving A: A_A = (0.2 x 9) / 0.5 = 3.6, q* = 3.6 / 4.6
    assert by["A"]["break_even"] == pytest.approx(3.6 / 4.6)
    assert break_even_summary({"A": 0.0, "C": 2.0}, {"A": 0.5, "C": 0.5}) == "any probabilities"
    assert break_even_summary({"A": -1.0, "C": 0.0}, {"A": 0.5, "C": 0.5}) == "no probabilities"
    m: Any = type(
        "M", (), {"objective": 10.0, "gap": 0.0, "currency": "USD", "mass_unit": "t", "probability": probs}
    )()
    saving = {"value": -0.5, "worst_rise": -2.0, "worst_scenario": "NORMAL", "shortage_rise": 0.0}
    assert (
        break_even_text({**saving, "rise": {"NORMAL": 2.0, "BAN": -8.0}}, m)
        == "would pay if P(NORMAL) ≥ 80.0%"
    )
    # measured on the example: the two EU lanes raise no scenario's cost (rises -5.5M to -7.5M)
    assert break_even_text({**saving, "rise": {"NORMAL": -0.4, "BAN": -0.8}}, m) == "pays in no scenario"


def test_a_lane_carrying_a_list_names_the_products_it_ships() -> None:
    """One qualified lane N -> D for X, Y and Z (qualification 3): X and Y cost 1 from N against 5
    locally, Z 0.5 locally against 1 from N, so the plan qualifies the lane and ships X and Y
    (objective 3 + 1 + 1 + 0.5 = 5.5); page one names those two, not the whole list, and not the
    list again where a second lane N -> D (T, for Z, never used) makes the site names ambiguous."""
    from tests.behaviour.test_hand_solved import _three_products

    records = _three_products(["X Y Z"], 10)
    records["Lanes"].append({"lane": "T", "origin": "N", "destination": "D", "product": "Z", "cost_flow": 1})
    records["Contracts"] = [{**c, "price": 0.5} if c["contract"] == "KZ" else c for c in records["Contracts"]]
    sol = solve_data(from_records(records, {}), SolveOptions(threads=1, mip_gap=0.0))
    assert sol.objective == pytest.approx(5.5)
    net = sol.extra["network"]
    page = commitments(sol, net, compute_metrics(sol, net))
    (row,) = [r for r in page.rows if r["_id"] == "Q0"]
    assert row["Commit to"] == "Qualify lane N -> D for X, Y"
    assert row["_shipped"] == ["X", "Y"]


def test_a_lane_qualified_later_counts_its_tonnes_over_the_periods_it_can_carry() -> None:
    """LQ (lead time 2) carries 1 t in each of P3 and P4: 2 t over two quarters (182.5 days) is
    4.0 t/yr, not 2 t over the four-quarter horizon (2.0)."""
    from tests.behaviour.test_hand_solved import lead_time_records

    sol = solve_data(from_records(lead_time_records(), {}), SolveOptions(threads=1, mip_gap=0.0))
    net = sol.extra["network"]
    (row,) = [r for r in commitments(sol, net, compute_metrics(sol, net)).rows if r["_id"] == "LQ"]
    assert row["_tonnes"] == pytest.approx(2 / (182.5 / 365.25))
    assert row["Quantity"] == "4.0 t/yr expected"
