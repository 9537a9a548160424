"""Small model cases built in code (no workbook), shared by unit and behavioural tests."""

from __future__ import annotations

from typing import Any


def full_feature_records() -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """A tiny network that switches on every model component (for the notation sync test)."""
    periods = [{"period": f"P{i}"} for i in range(1, 4)]
    records: dict[str, list[dict[str, Any]]] = {
        "Periods": periods,
        "Products": [
            {"product": "OX", "value": 100, "cost_disposal": 1},
            {"product": "MAG", "value": 200},
        ],
        "Groups": [{"group": "WEST", "kind": "country", "member": "US"}],
        "Sites": [
            {"site": "CN1", "type": "refinery", "country": "CN"},
            {"site": "AU1", "type": "refinery", "country": "AU", "closable": True, "cost_fixed": 1},
            {"site": "VN1", "type": "magnet_plant", "country": "VN"},
            {
                "site": "US2",
                "type": "magnet_plant",
                "country": "US",
                "status": "candidate",
                "cost_opening": 50,
            },
            {"site": "US1", "type": "demand_region", "country": "US"},
        ],
        "Processes": [
            {"process": "cn", "site": "CN1", "cost_variable": 10},
            {"process": "au", "site": "AU1", "cost_variable": 30, "capacity": 100},
            {"process": "mag", "site_type": "magnet_plant", "cost_variable": 5, "capacity": 10},
        ],
        "ProcessFlows": [
            {"process": "cn", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "au", "product": "OX", "direction": "out", "quantity": 1},
            {"process": "mag", "product": "OX", "direction": "in", "quantity": 1},
            {"process": "mag", "product": "MAG", "direction": "out", "quantity": 1},
        ],
        "CapacityOptions": [
            {
                "option": "X1",
                "site": "US2",
                "process": "mag",
                "capacity_added": 5,
                "cost_build": 10,
                "integer": True,
                "max_units": 2,
            },
            {
                "option": "X2",
                "site": "US2",
                "process": "mag",
                "capacity_added": 3,
                "cost_build": 8,
                "cost_fixed": 1,
                "decide": "at_reveal",
            },
        ],
        "Lanes": [
            {"lane": "L1", "origin": "CN1", "destination": "VN1", "cost_flow": 1, "capacity": 100},
            {"lane": "L2", "origin": "AU1", "destination": "VN1", "cost_flow": 2, "capacity": 100},
            {"lane": "L3", "origin": "VN1", "destination": "US1", "capacity": 10, "transit_periods": 1},
            {
                "lane": "L4",
                "origin": "AU1",
                "destination": "US2",
                "qualification": True,
                "cost_qualification": 5,
                "capacity": 10,
            },
            {"lane": "L5", "origin": "US2", "destination": "US1"},
            {
                "lane": "L7",
                "origin": "CN1",
                "destination": "US2",
                "product": "OX",
                "qualification": True,
                "cost_qualification": 4,
                "capacity": 5,
                "decide": "at_reveal",
            },
            {"lane": "L6", "origin": "CN1", "destination": "US2", "product": "OX"},
        ],
        "Contracts": [
            {
                "contract": "K1",
                "supplier": "AU1",
                "product": "OX",
                "min_per_period": 0.5,
                "price": 40,
                "take_or_pay": "pay",
            },
            {
                "contract": "K2",
                "supplier": "AU1",
                "product": "OX",
                "min_per_period": 0.5,
                "max_per_period": 4,
                "price": 35,
                "decide": "at_reveal",
            },
        ],
        "Demand": [
            {"site": "US1", "product": "MAG", "period": p["period"], "quantity": 2, "shortage_penalty": 1000}
            for p in periods
        ]
        + [
            {
                "site": "US1",
                "product": "MAG",
                "period": "P3",
                "quantity": 1,
                "shortage_penalty": 5000,
                "customer_class": "defence",
            }
        ],
        "Inventory": [
            {
                "site": "US1",
                "product": "MAG",
                "initial_stock": 1,
                "cost_holding": 1,
                "cover_days": 30,
                "min_stock": 0.5,
                "floor_penalty": 10,
            },
        ],
        "SourcingRules": [
            {"rule": "S1", "product": "OX", "group": "", "max_share": 0.8},
            {"rule": "S2", "product": "OX", "destination": "VN1", "single_source": True},
            {
                "rule": "S3",
                "product": "MAG",
                "destination": "US1",
                "single_source": True,
                "decide": "at_reveal",
            },
        ],
        "ExportControls": [
            {
                "rule": "R61",
                "country": "CN",
                "product": "MAG",
                "destination_group": "WEST",
                "content_threshold": 0.001,
            },
            {"rule": "R18", "country": "CN", "product": "OX", "approval_share": 0.5, "review_delay": 1},
            {"rule": "RD", "country": "VN", "product": "MAG", "end_use": "defence", "approval_share": 0.0},
        ],
        "Scenarios": [{"scenario": "A", "probability": 0.6}, {"scenario": "B", "probability": 0.4}],
        "ScenarioChanges": [
            {
                "scenario": "B",
                "table": "ExportControls",
                "filter": "rule=R18",
                "column": "approval_share",
                "value": 0,
            }
        ],
    }
    settings = {"risk_weight": 0.5, "cvar_alpha": 0.8, "cover_penalty": 3.0, "reveal_period": "P2"}
    return records, settings
