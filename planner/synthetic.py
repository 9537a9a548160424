"""Synthetic rare-earth networks of any size, for benchmarks and scale tests.

Four echelons (mines -> refineries -> magnet plants -> demand regions), a share of the
sites in the controlling country, candidate plants with capacity options, qualified
lanes, inventory at demand regions, and licence scenarios that cut the approval share
of controlled exports. Deterministic for a given seed.
"""

from __future__ import annotations

import random
from typing import Any

from planner.tables import InputData, from_records


def synthetic_records(
    mines: int = 4,
    refineries: int = 3,
    plants: int = 3,
    regions: int = 3,
    periods: int = 8,
    scenarios: int = 3,
    seed: int = 0,
    scenario_changes: int = 0,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Records and settings of a synthetic network (sizes per echelon).

    ``scenario_changes`` adds that many more ScenarioChanges rows (for scale tests): per-scenario
    multipliers of lane costs, process capacities and demand quantities over stretches of periods
    from the reveal period on, spread over the scenarios (drawn from their own random stream, so the
    rest of the network does not depend on it).
    """
    rng = random.Random(seed)
    per = [f"T{t + 1:02d}" for t in range(periods)]

    def country(i: int) -> str:
        return "CN" if i % 3 == 0 else rng.choice(["AU", "US", "MY", "JP", "VN", "EE"])

    sites: list[dict[str, Any]] = []
    processes: list[dict[str, Any]] = []
    flows: list[dict[str, Any]] = [
        {"process": "sep", "product": "CONC", "direction": "in", "quantity": 1.0},
        {"process": "sep", "product": "OX", "direction": "out", "quantity": 0.25},
        {"process": "sep", "product": "HOX", "direction": "out", "quantity": 0.01},
        {"process": "mag", "product": "OX", "direction": "in", "quantity": 0.3},
        {"process": "mag", "product": "HOX", "direction": "in", "quantity": 0.01},
        {"process": "mag", "product": "MAG", "direction": "out", "quantity": 1.0},
    ]
    options: list[dict[str, Any]] = []
    for i in range(mines):
        sid = f"M{i}"
        sites.append({"site": sid, "type": "mine", "country": country(i)})
        processes.append(
            {
                "process": f"mine_{sid}",
                "site": sid,
                "cost_variable": rng.uniform(3, 6),
                "capacity": rng.uniform(800, 1500),
            }
        )
        flows.append({"process": f"mine_{sid}", "product": "CONC", "direction": "out", "quantity": 1.0})
    processes.append({"process": "sep", "site_type": "refinery", "cost_variable": 2.0, "capacity": 1000.0})
    processes.append(
        {"process": "mag", "site_type": "magnet_plant", "cost_variable": 15.0, "capacity": 400.0}
    )
    for i in range(refineries):
        status = "candidate" if i % 4 == 3 else "existing"
        sites.append(
            {
                "site": f"R{i}",
                "type": "refinery",
                "country": country(i),
                "status": status,
                "cost_opening": 5e4,
            }
        )
    for i in range(plants):
        status = "candidate" if i % 3 == 2 else "existing"
        sites.append(
            {
                "site": f"G{i}",
                "type": "magnet_plant",
                "country": country(i),
                "status": status,
                "cost_opening": 8e4,
            }
        )
        options.append(
            {
                "option": f"X{i}",
                "site": f"G{i}",
                "process": "mag",
                "capacity_added": 200.0,
                "cost_build": 3e4,
                "lead_time": 2,
                "integer": True,
                "max_units": 3,
            }
        )
    for i in range(regions):
        sites.append(
            {"site": f"D{i}", "type": "demand_region", "country": rng.choice(["US", "EU", "JP", "KR"])}
        )

    lanes: list[dict[str, Any]] = []

    def link(a: str, b: str, product: str, k: int) -> None:
        qual = rng.random() < 0.15
        lanes.append(
            {
                "lane": f"L{len(lanes)}",
                "origin": a,
                "destination": b,
                "product": product,
                "cost_flow": rng.uniform(0.1, 2.0),
                "transit_periods": rng.choice([0, 0, 1]),
                "qualification": qual,
                "cost_qualification": 2e3 if qual else 0.0,
                "capacity": 2e3 if qual else None,
            }
        )

    for i in range(mines):
        for j in rng.sample(range(refineries), min(refineries, 3)):
            link(f"M{i}", f"R{j}", "CONC", 0)
    for i in range(refineries):
        for j in rng.sample(range(plants), min(plants, 3)):
            link(f"R{i}", f"G{j}", "OX", 1)
            link(f"R{i}", f"G{j}", "HOX", 1)
    for i in range(plants):
        for j in rng.sample(range(regions), min(regions, 3)):
            link(f"G{i}", f"D{j}", "MAG", 2)

    demand = [
        {
            "site": f"D{j}",
            "product": "MAG",
            "period": p,
            "quantity": rng.uniform(50, 150) * (1 + 0.02 * t),
            "shortage_penalty": 5e3,
        }
        for j in range(regions)
        for t, p in enumerate(per)
    ]
    inventory = [
        {"site": f"D{j}", "product": "MAG", "cost_holding": 1.0, "max_stock": 500.0} for j in range(regions)
    ]
    scen = [{"scenario": f"S{s}", "probability": 1.0 / scenarios} for s in range(scenarios)]
    changes = [
        {
            "scenario": f"S{s}",
            "table": "ExportControls",
            "filter": "rule=HRE",
            "column": "approval_share",
            "value": round(1.0 - s / max(1, scenarios - 1), 3),
        }
        for s in range(scenarios)
    ]
    changes += _extra_changes(scenario_changes, seed, per, scen, lanes, processes, demand)
    records: dict[str, list[dict[str, Any]]] = {
        "Periods": [{"period": p} for p in per],
        "Products": [
            {"product": "CONC", "value": 5.0},
            {"product": "OX", "value": 60.0, "cost_disposal": 0.0},
            {"product": "HOX", "value": 300.0, "cost_disposal": 0.0},
            {"product": "MAG", "value": 80.0},
        ],
        "Sites": sites,
        "Processes": processes,
        "ProcessFlows": flows,
        "CapacityOptions": options,
        "Lanes": lanes,
        "Demand": demand,
        "Inventory": inventory,
        "ExportControls": [{"rule": "HRE", "country": "CN", "product": "HOX"}],
        "Scenarios": scen,
        "ScenarioChanges": changes,
    }
    settings: dict[str, Any] = {
        "reveal_period": per[min(1, periods - 1)],
        "mip_gap": 0.01,
        "time_limit": 600.0,
    }
    return records, settings


def _extra_changes(
    count: int,
    seed: int,
    per: list[str],
    scen: list[dict[str, Any]],
    lanes: list[dict[str, Any]],
    processes: list[dict[str, Any]],
    demand: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """``count`` ScenarioChanges rows multiplying lane costs, mine capacities and demand by scenario."""
    rng = random.Random(seed + 7919)
    reveal = min(1, len(per) - 1)
    mines = [p["process"] for p in processes if "site" in p]
    out: list[dict[str, Any]] = []
    for i in range(count):
        start = rng.randrange(reveal, len(per))
        end = rng.randrange(start, len(per))
        kind = i % 3
        if kind == 0:
            ln = rng.choice(lanes)
            table, filt, column = "Lanes", f"lane={ln['lane']}", "cost_flow"
        elif kind == 1:
            table, filt, column = "Processes", f"process={rng.choice(mines)}", "capacity"
        else:
            d = rng.choice(demand)
            table, filt, column = "Demand", f"site={d['site']}; period={d['period']}", "quantity"
        out.append(
            {
                "scenario": scen[i % len(scen)]["scenario"],
                "table": table,
                "filter": filt,
                "column": column,
                "action": "multiply",
                "value": round(rng.uniform(0.9, 1.1), 3),
                "start_period": per[start],
                "end_period": per[end],
            }
        )
    return out


def synthetic_network(**kwargs: Any) -> InputData:
    """InputData of :func:`synthetic_records`."""
    records, settings = synthetic_records(**kwargs)
    return from_records(records, settings)
