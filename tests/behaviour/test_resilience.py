"""Resilience analytics on hand-solvable networks: TTS, PI/REI, stockpile sizing, sweeps."""

from __future__ import annotations

import math
from typing import Any

import pytest

from planner.api import frontier, solve_data, stress
from planner.config import SolveOptions
from planner.model.resilience import performance_impact, size_stockpile, time_to_survive
from planner.network import build_network
from planner.resilience import disruption_nodes, network_rates
from planner.tables import from_records
from tests.behaviour.test_hand_solved import chain
from tests.behaviour.test_licence_risk import ban_case

TIGHT = SolveOptions(mip_gap=1e-9, time_limit=60)


def single_source(stock: float = 30.0, ttr: float = 5.0) -> dict[str, list[dict[str, Any]]]:
    """Mine M (20 t/period) feeds region D (10 t/period), which holds ``stock`` t (holding 1/t/period)."""
    rec = chain(4)
    for d in rec["Demand"]:
        d["quantity"] = 10
    rec["Processes"][0]["capacity"] = 20
    rec["Sites"][0]["ttr_periods"] = ttr
    rec["Inventory"] = [{"site": "D", "product": "X", "initial_stock": stock, "cost_holding": 1}]
    return rec


def nodes_of(rec: dict[str, list[dict[str, Any]]]) -> tuple[Any, dict[str, Any]]:
    net = build_network(from_records(rec))
    return network_rates(net), {n.name: n for n in disruption_nodes(net)}


def test_single_source_tts_is_stock_over_demand_rate() -> None:
    """Cutting the only mine: 30 t of stock last 30 / 10 = 3 periods."""
    rates, nodes = nodes_of(single_source())
    assert time_to_survive(rates, nodes["M"]) == pytest.approx(3.0)


def test_dual_sourced_node_is_covered_without_limit() -> None:
    """A second mine that alone covers demand: losing either mine is survived indefinitely."""
    rec = single_source()
    rec["Sites"].append({"site": "M2", "type": "mine", "country": "BR"})
    rec["Processes"].append({"process": "mine2", "site": "M2", "cost_variable": 2, "capacity": 15})
    rec["ProcessFlows"].append({"process": "mine2", "product": "X", "direction": "out", "quantity": 1})
    rec["Lanes"].append({"lane": "L2", "origin": "M2", "destination": "D"})
    rates, nodes = nodes_of(rec)
    assert math.isinf(time_to_survive(rates, nodes["M"]))
    assert math.isinf(time_to_survive(rates, nodes["M2"]))


def test_performance_impact_and_rei() -> None:
    """Mine down for TTR = 5 periods: 50 t needed, 30 t in stock -> 20 t short at penalty 100 = 2000."""
    rates, nodes = nodes_of(single_source())
    cost, short = performance_impact(rates, nodes["M"], 5.0)
    assert short == pytest.approx(20.0)
    assert cost == pytest.approx(2000.0)
    result = stress(from_records(single_source()), TIGHT)
    row = result["nodes"].set_index("node").loc["M"]
    assert row["rei"] == pytest.approx(1.0)
    assert not row["covered"]
    assert row["tts_periods"] == pytest.approx(3.0)


def test_stockpile_sizing_closes_the_gap_at_least_cost() -> None:
    """TTS 3 < TTR 5: 20 t more at D are needed; stock costs 1/t/period over 4 periods -> 80."""
    rates, nodes = nodes_of(single_source())
    stock, cost, short = size_stockpile(rates, list(nodes.values()))
    assert stock[("D", "X")] == pytest.approx(20.0)
    assert cost == pytest.approx(80.0)
    assert short == {"M": pytest.approx(0.0)}


def test_licence_regime_as_a_node() -> None:
    """Cutting rule R (the only licensed supplier of the ban case) leaves the AU supplier: covered."""
    rec = ban_case(0.0)
    rec["Disruptions"] = [{"disruption": "NO_LICENCE", "kind": "licence", "target": "R", "ttr_periods": 4}]
    rates, nodes = nodes_of(rec)
    assert "LCN" in rates.licence_lanes["R"]
    assert math.isinf(time_to_survive(rates, nodes["NO_LICENCE"]))
    rec["Contracts"] = []  # without the AU contract, the ban cannot be survived at all
    rates, nodes = nodes_of(rec)
    assert time_to_survive(rates, nodes["NO_LICENCE"]) == pytest.approx(0.0)


def test_frontier_end_points_match_risk_neutral_and_most_risk_averse_solves() -> None:
    data = from_records(ban_case(0.15), {"reveal_period": "P2", "cvar_alpha": 0.8})
    points = frontier(data, 3, TIGHT)
    neutral = solve_data(data, TIGHT)
    assert points.iloc[0]["expected_cost"] == pytest.approx(neutral.objective)
    assert points.iloc[0]["cvar"] == pytest.approx(8.5)
    averse = solve_data(
        from_records(ban_case(0.15), {"reveal_period": "P2", "cvar_alpha": 0.8, "risk_weight": 1e6}), TIGHT
    )
    assert points.iloc[-1]["cvar"] == pytest.approx(averse.extra["cvar"])
    assert points.iloc[-1]["expected_cost"] == pytest.approx(averse.expected_cost)
    assert list(points["cvar"]) == sorted(points["cvar"], reverse=True)


def test_cover_curve_reuses_one_model_and_matches_cold_solves() -> None:
    """The sweep's point at 60 days equals a model built from scratch with a 60-day soft target."""
    from planner.model.sweeps import cover_curve

    rec = single_source(stock=0.0)
    rec["Inventory"][0]["cost_holding"] = 0.5
    net = build_network(from_records(rec))
    points = cover_curve(net, [0.0, 60.0], TIGHT, penalty=50.0)
    base = solve_data(
        from_records(
            single_source(stock=0.0) | {"Inventory": [{"site": "D", "product": "X", "cost_holding": 0.5}]}
        ),
        TIGHT,
    )
    assert points[0]["expected_cost"] == pytest.approx(base.objective)
    cold_rec = single_source(stock=0.0)
    cold_rec["Inventory"] = [{"site": "D", "product": "X", "cost_holding": 0.5, "cover_days": 60.0}]
    cold = solve_data(from_records(cold_rec, {"cover_penalty": 50.0}), TIGHT)
    cover_cost = cold.costs.loc[cold.costs["component"] == "cover", "cost"].sum()
    assert points[1]["expected_cost"] == pytest.approx(cold.objective - cover_cost)
    assert points[1]["expected_cost"] >= points[0]["expected_cost"]


def test_tts_of_a_node_is_measured_on_the_plans_stock() -> None:
    """Ban case without the Australian supplier: the plan stocks 1 t at D in P1 (3 < q x 100).
    Stressing the plan opens the window at the reveal (P2) with that 1 t: losing licence R is survived
    1 t / 1 t per period = 1 period; the network as it stands (no stock) survives 0. Consistent with
    the BAN scenario (licences refused in P2, the last period): no shortage in it."""
    rec = ban_case(0.25)
    rec["Contracts"] = []
    rec["Disruptions"] = [{"disruption": "NO_LICENCE", "kind": "licence", "target": "R", "ttr_periods": 1}]
    data = from_records(rec, {"reveal_period": "P2"})
    plan = solve_data(data, TIGHT)
    assert plan.shortages["shortage"].sum() == pytest.approx(0.0)
    on_plan = stress(data, TIGHT, plan=plan, cover_days=())["nodes"].set_index("node").loc["NO_LICENCE"]
    assert on_plan["tts_periods"] == pytest.approx(1.0)
    assert bool(on_plan["covered"])
    as_is = stress(data, TIGHT, cover_days=())["nodes"].set_index("node").loc["NO_LICENCE"]
    assert as_is["tts_periods"] == pytest.approx(0.0)


@pytest.mark.covers("c_inventory_cover")
@pytest.mark.parametrize(("penalty", "short"), [(4.0, 0.0), (150.0, 1.0)])
def test_a_policy_stock_is_drawn_in_a_disruption_when_its_penalty_is_below_the_shortage(
    penalty: float, short: float
) -> None:
    """D holds 1 t under a soft 91.25-day cover policy (one period of its 1 t demand) and nothing can
    reach it. Drawing the stock misses the policy by 1 t: at 4 a t (below the shortage penalty, 100)
    it is drawn and nobody goes short, cost 4; priced above the shortage penalty (150) the plan keeps
    the stock and shorts the customer, cost 100: why the policy curve prices a miss below it."""
    rec: dict[str, list[dict[str, Any]]] = {
        "Periods": [{"period": "P1"}],
        "Products": [{"product": "X"}],
        "Sites": [{"site": "D", "type": "demand_region", "country": "US"}],
        "Inventory": [{"site": "D", "product": "X", "initial_stock": 1, "cover_days": 91.25}],
        "Demand": [{"site": "D", "product": "X", "period": "P1", "quantity": 1, "shortage_penalty": 100}],
    }
    sol = solve_data(from_records(rec, {"cover_penalty": penalty}), TIGHT)
    assert sol.shortages["shortage"].sum() == pytest.approx(short)
    assert sol.objective == pytest.approx(min(penalty, 100.0))


def test_customers_are_not_stressed_as_supply_nodes() -> None:
    """Demand regions are not nodes, and a country node cuts only that country's supply sites."""
    rec = single_source()
    rec["Sites"].append({"site": "M_US", "type": "mine", "country": "US"})
    net = build_network(from_records(rec))
    nodes = {n.name: n for n in disruption_nodes(net)}
    assert "D" not in nodes
    assert nodes["country US"].sites == frozenset({"M_US"})  # D (a US demand region) is not cut


def test_each_stockpile_is_valued_by_solve() -> None:
    """Ban case, q = 0.25: the plan holds 1 t at D from P1 (cost 3 in every scenario). Without it
    (D held at its opening 0 t before the reveal): NORMAL 1, BAN 11, so NORMAL falls by 2 and BAN
    rises by 8: value 0.75 x (-2) + 0.25 x 8 = 0.5, protecting BAN."""
    data = from_records(ban_case(0.25), {"reveal_period": "P2"})
    plan = solve_data(data, TIGHT)
    values = stress(data, TIGHT, plan=plan, cover_days=())["stockpile_values"]
    (row,) = values.itertuples(index=False)
    assert (row.site, row.product) == ("D", "X")
    assert row.stock == pytest.approx(1.0)
    assert row.value == pytest.approx(0.5)
    assert row.protects == "BAN"
    assert row.worst_rise == pytest.approx(8.0)
    # with it 3 in both scenarios, without it 1 and 11: equal at P(BAN) = q with 3 = (1 - q) + 11 q, q = 0.2
    assert row.break_even == "P(BAN) ≥ 20.00%; P(NORMAL) ≤ 80.00%"
