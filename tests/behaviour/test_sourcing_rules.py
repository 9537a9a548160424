"""Sourcing rules mean what they say (formulation §5.6): single sourcing anywhere, shares of receipts.

Common setting: two suppliers of X, ``S1`` at 1 per t and ``S2`` at 2 per t (each at most 20 t a
period), one period unless stated, shortage 100 per t.
"""

from __future__ import annotations

from typing import Any

import pytest

from planner.errors import ModelBuildError
from tests.behaviour.test_hand_solved import periods
from tests.behaviour.test_licence_risk import solve

Records = dict[str, list[dict[str, Any]]]


def two_suppliers(dest: str, n_periods: int = 1) -> Records:
    """S1 (1/t) and S2 (2/t) ship X to ``dest``; a single-source rule on X at ``dest``."""
    return {
        "Periods": periods(n_periods),
        "Products": [{"product": "X"}],
        "Sites": [
            {"site": "S1", "type": "supplier", "country": "AU"},
            {"site": "S2", "type": "supplier", "country": "CA"},
        ],
        "Contracts": [
            {"contract": "K1", "supplier": "S1", "product": "X", "price": 1, "max_per_period": 20},
            {"contract": "K2", "supplier": "S2", "product": "X", "price": 2, "max_per_period": 20},
        ],
        "Lanes": [
            {"lane": "L1", "origin": "S1", "destination": dest},
            {"lane": "L2", "origin": "S2", "destination": dest},
        ],
        "SourcingRules": [{"rule": "ONE", "product": "X", "destination": dest, "single_source": True}],
    }


@pytest.mark.covers("c_sourcing_single_link", "c_sourcing_single_one")
def test_single_source_at_a_plant() -> None:
    """Plant P turns 1 t of X into 1 t of MAG for 5 t of demand at D. Single-sourced from S1: cost 5.
    Before: the bound was the plant's own demand plus storage, 0, so nothing reached it: cost 500."""
    rec = two_suppliers("P")
    rec["Products"].append({"product": "MAG"})
    rec["Sites"] += [
        {"site": "P", "type": "magnet_plant", "country": "US"},
        {"site": "D", "type": "demand_region", "country": "US"},
    ]
    rec["Processes"] = [{"process": "make", "site": "P", "capacity": 10}]
    rec["ProcessFlows"] = [
        {"process": "make", "product": "X", "direction": "in", "quantity": 1},
        {"process": "make", "product": "MAG", "direction": "out", "quantity": 1},
    ]
    rec["Lanes"].append({"lane": "LP", "origin": "P", "destination": "D"})
    rec["Demand"] = [{"site": "D", "product": "MAG", "period": "P1", "quantity": 5, "shortage_penalty": 100}]
    sol = solve(rec)
    assert sol.objective == pytest.approx(5.0)
    assert set(sol.flows.loc[sol.flows["product"] == "X", "origin"]) == {"S1"}


@pytest.mark.covers("c_sourcing_single_link")
def test_single_source_at_a_warehouse() -> None:
    """Warehouse W forwards X to D (demand 5); single-sourced from S1: cost 5. Before: cost 500."""
    rec = two_suppliers("W")
    rec["Sites"] += [
        {"site": "W", "type": "warehouse", "country": "US"},
        {"site": "D", "type": "demand_region", "country": "US"},
    ]
    rec["Lanes"].append({"lane": "LW", "origin": "W", "destination": "D"})
    rec["Demand"] = [{"site": "D", "product": "X", "period": "P1", "quantity": 5, "shortage_penalty": 100}]
    sol = solve(rec)
    assert sol.objective == pytest.approx(5.0)


@pytest.mark.covers("c_sourcing_single_link")
def test_single_source_at_a_forwarding_demand_site() -> None:
    """D1 needs 3 t and forwards to D2 (4 t); single-sourced from S1: 7 t, cost 7.
    Before: the bound was D1's own demand (3 t), so D2 went 4 t short: cost 403."""
    rec = two_suppliers("D1")
    rec["Sites"] += [
        {"site": "D1", "type": "demand_region", "country": "US"},
        {"site": "D2", "type": "demand_region", "country": "US"},
    ]
    rec["Lanes"].append({"lane": "LF", "origin": "D1", "destination": "D2"})
    rec["Demand"] = [
        {"site": "D1", "product": "X", "period": "P1", "quantity": 3, "shortage_penalty": 100},
        {"site": "D2", "product": "X", "period": "P1", "quantity": 4, "shortage_penalty": 100},
    ]
    sol = solve(rec)
    assert sol.objective == pytest.approx(7.0)


def test_single_source_needs_a_finite_bound() -> None:
    """With unlimited suppliers, lanes and a destination that can discard X, no bound exists: a clear error."""
    rec = two_suppliers("W")
    for c in rec["Contracts"]:
        c.pop("max_per_period")
    rec["Products"][0]["cost_disposal"] = 0
    rec["Sites"].append({"site": "W", "type": "warehouse", "country": "US"})
    with pytest.raises(ModelBuildError, match="Lanes.capacity"):
        solve(rec)


@pytest.mark.covers("c_sourcing_share")
def test_share_cap_counts_receipts_by_arrival() -> None:
    """10 t wanted at D in P2. Chinese X (1/t) takes one period, a local supplier (3/t) none; at most
    60% of receipts from China: 6 t from China (shipped in P1, arriving P2) and 4 t local: cost 18.
    Before: the cap compared shipments by departure period: in P1 only China ships, 100% > 60%,
    so nothing could come from China: 10 t local, cost 30."""
    rec: Records = {
        "Periods": periods(2),
        "Products": [{"product": "X"}],
        "Groups": [{"group": "CHINA", "kind": "country", "member": "CN"}],
        "Sites": [
            {"site": "CN", "type": "supplier", "country": "CN"},
            {"site": "LOC", "type": "supplier", "country": "US"},
            {"site": "D", "type": "demand_region", "country": "US"},
        ],
        "Contracts": [
            {"contract": "KCN", "supplier": "CN", "product": "X", "price": 1},
            {"contract": "KLOC", "supplier": "LOC", "product": "X", "price": 3},
        ],
        "Lanes": [
            {"lane": "LCN", "origin": "CN", "destination": "D", "transit_periods": 1},
            {"lane": "LLOC", "origin": "LOC", "destination": "D"},
        ],
        "Demand": [{"site": "D", "product": "X", "period": "P2", "quantity": 10, "shortage_penalty": 100}],
        "SourcingRules": [
            {"rule": "CAP", "product": "X", "destination": "D", "group": "CHINA", "max_share": 0.6}
        ],
    }
    sol = solve(rec)
    assert sol.objective == pytest.approx(18.0)
    by_lane = sol.flows.groupby("lane")["quantity"].sum()
    assert by_lane["LCN"] == pytest.approx(6.0)
    assert by_lane["LLOC"] == pytest.approx(4.0)
