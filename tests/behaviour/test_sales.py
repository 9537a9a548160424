"""Sale contracts (Contracts.side = sell): material sold out of the network at a price, a revenue.

The separation case of test_hand_solved: mining and separating 1 t of CONC costs 1 + 1 = 2 and
yields 0.2 t NDPR and 0.05 t DYTB. Demand is 1 t DYTB and 1 t NDPR, so at least 20 t of CONC
(cost 40), which leave 4 - 1 = 3 t of NDPR over. A buyer outside the network takes NDPR at site S.
"""

from __future__ import annotations

from typing import Any

import pytest

from planner.tables import from_records
from planner.validate import validate
from tests.behaviour.test_hand_solved import cost, separation_case, solve


def separation(price: float, most: float | None = 10.0, **sale: Any) -> dict[str, list[dict[str, Any]]]:
    """The separation case with DYTB discardable at 0 and a sale of NDPR at S (at most ``most`` a period)."""
    rec = separation_case()
    rec["Products"][2]["cost_disposal"] = 0.0
    rec["Contracts"] = [
        {
            "contract": "K_SELL",
            "supplier": "S",
            "product": "NDPR",
            "side": "sell",
            "price": price,
            "max_per_period": most,
            **sale,
        }
    ]
    return rec


@pytest.mark.covers("c_balance_node")
def test_surplus_co_product_is_sold_rather_than_discarded() -> None:
    """Price 3: the 3 t over are sold (revenue 9) instead of discarded (1.5). Mining more to sell
    NDPR earns 0.2 x 3 = 0.6 per t of CONC against its cost 2, so 20 t: 40 - 9 = 31."""
    sol = solve(separation(3.0))
    assert sol.objective == pytest.approx(31.0)
    sales = sol.purchases
    assert sales["side"].tolist() == ["sell"]
    assert sales["quantity"].sum() == pytest.approx(3.0)
    assert cost(sol, "sales") == pytest.approx(-9.0)
    assert sol.disposal["quantity"].sum() == pytest.approx(0.0, abs=1e-9)  # 20 x 0.05 = 1 t DYTB, all used


def test_a_price_above_the_cost_makes_mining_for_sale_pay_up_to_the_buyers_volume() -> None:
    """Price 12: 1 t of CONC yields 0.2 x 12 = 2.4 of NDPR against its cost 2, so mine until the
    buyer's 10 t are full: NDPR = 1 + 10 = 0.2 x, x = 55 t, cost 110, revenue 120: -10 (the 1.75 t of
    DYTB over are discarded at 0). At price 9 (1.8 < 2) only the co-product surplus is sold: 40 - 27 = 13."""
    sol = solve(separation(12.0))
    assert sol.objective == pytest.approx(-10.0)
    assert sol.purchases["quantity"].sum() == pytest.approx(10.0)
    assert solve(separation(9.0)).objective == pytest.approx(13.0)


def test_an_offtake_minimum_must_be_delivered() -> None:
    """A minimum of 5 t a period (an offtake, take): NDPR = 1 + 5 = 0.2 x, x = 30, cost 60, revenue
    15: 45 (against 31 without the minimum)."""
    sol = solve(separation(3.0, min_per_period=5.0))
    assert sol.objective == pytest.approx(45.0)
    assert sol.purchases["quantity"].sum() == pytest.approx(5.0)


def test_a_sale_where_nothing_of_its_origin_can_be_earns_nothing() -> None:
    """Gaming: a sale of DYTB at a demand region that nothing reaches has no variable (no revenue
    from nothing), and the validator says the sale never happens."""
    rec = separation(3.0)
    rec["Sites"].append({"site": "D", "type": "demand_region", "country": "US"})
    rec["Contracts"].append(
        {
            "contract": "K_GHOST",
            "supplier": "D",
            "product": "DYTB",
            "side": "sell",
            "price": 1e6,
            "max_per_period": 5,
        }
    )
    sol = solve(rec)
    assert sol.objective == pytest.approx(31.0)
    assert "K_GHOST" not in set(sol.purchases["contract"])
    codes = {(i.code, i.sheet, i.row) for i in validate(from_records(rec))}
    assert ("unreachable_sale", "Contracts", 3) in codes


def test_a_sale_needs_a_maximum_and_cannot_be_pay() -> None:
    """An unlimited sale beside an unlimited purchase would earn without end: the validator refuses it
    (sell_max), and a sale's minimum is a delivery, never a payment (sell_pay)."""
    issues = validate(from_records(separation(3.0, most=None, take_or_pay="pay")))
    found = {(i.code, i.column) for i in issues if i.severity == "error"}
    assert ("sell_max", "max_per_period") in found
    assert ("sell_pay", "take_or_pay") in found
