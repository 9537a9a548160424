"""Generated parts of README.md: ``python -m planner.docs`` rewrites them in place.

The example block is rendered from ``inputs/example_answer.json``, which the same command
writes from a solve of the example proven to within 0.01% (``--no-solve`` re-renders only).

Each generated block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
markers; tests fail when a block is stale, so the README cannot drift from the code.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from planner.schema import markdown_reference

README = Path(__file__).resolve().parents[1] / "README.md"


def _money(x: float) -> str:
    if abs(x) >= 1e9:
        return f"${x / 1e9:,.2f}B"
    if abs(x) >= 1e6:
        return f"${x / 1e6:,.1f}M"
    return f"${x:,.0f}"


def _difference(x: float, tolerance: float = 5e5) -> str:
    """A cost difference with its sign; below ``tolerance`` (the solver's gap) it is no finding."""
    if abs(x) < tolerance:
        return "within gap" if tolerance > 5e5 else "same"
    return ("+" if x > 0 else "-") + _money(abs(x))


EXAMPLE_ANSWER = README.parent / "inputs" / "example_answer.json"
"""The example's certified answer: written by ``python -m planner.docs``, rendered into the README,
re-derived by tests/regression/test_readme_example.py on the machine that runs the tests."""


CERTIFY_GAP = 1e-4
"""The gap the README's answer is proven to: HiGHS's default MIP tolerance (0.01%), tighter than the
workbook's everyday Settings.mip_gap."""


def example_options() -> Any:
    """The settings every machine reproduces the README's answer with: the workbook's gap
    (Settings.mip_gap) and HiGHS options, one thread, seed 0."""
    from planner.config import SolveOptions

    return SolveOptions(threads=1, random_seed=0, time_limit=3600.0)


def example_answer(path: Path | None = None) -> dict[str, Any]:
    """Solve the example to within :data:`CERTIFY_GAP`, then price the plan exactly; collect what the
    README states.

    The MIP gives the plan (its first-stage design) and a bound no plan can beat. With the design
    fixed, the rest is a linear program whose optimum any machine reproduces: its cost is the
    plan's cost, and every table the README quotes comes from it.
    """
    from planner.api import build_model, check, default_workbook, extract_solution, read, solve, solve_data
    from planner.model.stochastic import design_values, fix_design
    from planner.solve import solver_version

    data = read(path or default_workbook())
    check(data)
    opts = replace(example_options(), mip_gap=CERTIFY_GAP).resolved(data.settings)
    mip = solve_data(data, opts, validate=False)
    if not mip.proven_optimal:
        raise RuntimeError(f"the example was not solved within {CERTIFY_GAP:.2%} ({mip.message})")
    net = mip.extra["network"]
    design = design_values(mip.extra["model"])
    model = build_model(net)
    fix_design(model, design)
    result = solve(model, opts)
    if not result.proven_optimal:
        raise RuntimeError(f"the example's plan could not be priced ({result.message})")
    sol = extract_solution(model, net, result)
    bound = min(float(mip.bound), float(sol.objective))
    gap = (float(sol.objective) - bound) / abs(float(sol.objective))
    per_year = 365.25 / float(net.settings["period_length_days"])
    per_year = float(round(per_year)) if abs(per_year - round(per_year)) < 0.01 else per_year  # quarters: 4
    desc = {str(r.scenario): str(r.description) for r in data["Scenarios"].itertuples(index=False)}

    builds, other = [], []
    dec = sol.decisions
    for r in dec[
        (dec["value"] > 0.5) & dec["decision"].isin(["build capacity", "open site", "qualify lane"])
    ].itertuples(index=False):
        if r.decision == "build capacity" and r.id in net.options.index:
            o = net.options.loc[r.id]
            process = str(o["process"])
            out = net.recipe_out.get(process, [])
            product, qty = (out[0][0], float(out[0][1])) if out else ("", 1.0)
            units = round(float(r.value))
            builds.append(
                {
                    "id": str(r.id),
                    "name": str(net.processes.at[process, "name"]) or process,
                    "site": str(o["site"]),
                    "units": units,
                    "max_units": int(o["max_units"]) if bool(o["integer"]) else 1,
                    "product": str(product),
                    "added_per_year": float(o["capacity_added"]) * units * qty * per_year,
                    "available": str(r.effective_period),
                    "cost_build": float(o["cost_build"]) * units,
                    "cost_fixed_per_period": float(o["cost_fixed"]) * units,
                }
            )
        else:
            other.append(
                {
                    "decision": str(r.decision),
                    "id": str(r.id),
                    "effective": str(r.effective_period),
                    "cost": float(r.cost),
                    **(_lane_use(sol, net, str(r.id)) if r.decision == "qualify lane" else {}),
                }
            )

    inv = sol.inventory
    first = inv[
        (inv["period"] == net.periods[0]) & (inv["stage"] == 1) & (inv["scenario"] == net.scenarios[0])
    ]
    held = first.groupby(["site", "product"])["stock"].sum()
    start = net.inventory["initial_stock"]
    stocks: list[dict[str, Any]] = [
        {
            "site": str(site),
            "product": str(product),
            "from": float(start.get((site, product), 0.0)),
            "to": float(q),
        }
        for (site, product), q in held.items()
        if float(q) - float(start.get((site, product), 0.0)) > 1.0
    ]
    stocks.sort(key=lambda x: -(x["to"] - x["from"]))

    magnets = {str(p) for p in net.products.index if net.products.at[p, "stage"] == "magnet"}
    short = sol.shortages[sol.shortages["product"].isin(magnets)]
    by = short.groupby(["scenario", "site"])["shortage"].sum()
    scenarios = []
    for r in sol.scenarios.itertuples(index=False):
        s = str(r.scenario)
        where = by.loc[s] if s in by.index.get_level_values(0) else {}
        places = {str(k): float(v) for k, v in dict(where).items() if float(v) > 0.5}
        scenarios.append(
            {
                "scenario": s,
                "description": desc.get(s, ""),
                "probability": float(r.probability),
                "total_cost": float(r.total_cost),
                "magnets_short": float(sum(places.values())),
                "short_by_site": dict(sorted(places.items(), key=lambda kv: -kv[1])),
            }
        )
    return {
        "workbook": "inputs/example.xlsx",
        "options": {"mip_gap": float(opts.mip_gap), "threads": 1, "random_seed": 0},
        "solver": solver_version(),
        "objective": float(sol.objective),
        "bound": bound,
        "gap": gap,
        "periods": [net.periods[0], net.periods[-1], len(net.periods)],
        "months": sum(1 for d in net.period_days if d < 40),
        "discount_rate": float(net.settings["discount_rate"]),
        "builds": builds,
        "other_decisions": other,
        "stocks": stocks,
        "scenarios": scenarios,
        "first_stage": design,
    }


def _lane_use(sol: Any, net: Any, lane: str) -> dict[str, Any]:
    """What a qualified lane carries (:func:`planner.report.commitments.lane_use`): its supplier and
    buyer, the products it ships (more than 0.5 t over the horizon), and tonnes a year, expected and
    per scenario."""
    from planner.report.commitments import lane_use, site_name

    per_year, by_product = lane_use(sol, net, lane)
    prob = dict(zip(sol.scenarios["scenario"], sol.scenarios["probability"], strict=True))
    origin, destination = str(net.lanes.at[lane, "origin"]), str(net.lanes.at[lane, "destination"])
    return {
        "origin": origin,
        "destination": destination,
        "origin_name": site_name(net, origin),
        "destination_name": site_name(net, destination),
        "products": [p for p, q in by_product.items() if q > 0.5],
        "expected_per_year": sum(prob[s] * q for s, q in per_year.items()),
        "per_year_by_scenario": per_year,
    }


def _tonnes(x: float) -> str:
    return f"{x:,.0f} t"


def example_findings(answer: dict[str, Any] | None = None) -> str:
    """What the example says, rendered from its certified answer (``inputs/example_answer.json``)."""
    a = answer if answer is not None else json.loads(EXAMPLE_ANSWER.read_text())
    first, last, n = a["periods"]
    months = int(a.get("months", 0))
    span = (
        f"{n} quarters ({first} to {last})"
        if months == 0
        else f"{n} periods ({first} to {last}: {months} months, then quarters)"
    )
    tolerance = a["gap"] * abs(a["objective"])
    if a["gap"] <= 1e-6:
        quality = f"Solved to proven optimality (gap {a['gap']:.4%}; {a['solver']}, one thread, seed 0)"
        certified = "the decisions below are certified optimal"
    elif a["gap"] <= CERTIFY_GAP:
        quality = (
            f"Solved to proven optimality within HiGHS's default tolerance of {CERTIFY_GAP:.2%} (gap "
            f"{a['gap']:.4%}; {a['solver']}, one thread, seed 0; no plan costs less than "
            f"{_money(a['bound'])}, so differences below {_money(max(tolerance, 5e5))} are no finding)"
        )
        certified = "the decisions below are an optimal plan"
    else:
        quality = (
            f"Solved to within {a['gap']:.2%} of the optimum ({a['solver']}, one thread, seed 0; no plan "
            f"costs less than {_money(a['bound'])}, so differences below {_money(tolerance)} are within the gap)"
        )
        certified = "the decisions below are this plan"
    lines = [
        f"{quality}: expected total cost of the plan **{_money(a['objective'])}** over {span}, in today's "
        f"money (costs discounted at {a['discount_rate']:.0%} a year). Any machine reproduces this cost, and "
        f"{certified}: fixed to them, the model returns the same cost (tests/regression/test_readme_example.py).",
        "",
        "**Decided now, for every scenario:**",
        "",
    ]
    for b in a["builds"]:
        modules = f"{b['units']} of {b['max_units']} modules of" if b["max_units"] > 1 else "all of"
        cost = []
        if b["cost_build"] > 0:
            cost.append(f"{_money(b['cost_build'])} to build")
        if b["cost_fixed_per_period"] > 0:
            cost.append(f"{_money(b['cost_fixed_per_period'])} a quarter once available")
        lines.append(
            f"- build {modules} `{b['id']}` ({b['name']} at {b['site']}): +{_tonnes(b['added_per_year'])}/yr of "
            f"{b['product']} from {b['available']}" + (f"; {', '.join(cost)}" if cost else "")
        )
    for d in a["other_decisions"]:
        once = f", one-off {_money(d['cost'])}" if d["cost"] > 0 else ""
        if "expected_per_year" in d:
            low, high = min(d["per_year_by_scenario"].values()), max(d["per_year_by_scenario"].values())
            lines.append(
                f"- qualify {d.get('origin_name', d['origin'])} as a supplier to "
                f"{d.get('destination_name', d['destination'])} (lane `{d['id']}`), usable from "
                f"{d['effective']}{once}: ships {', '.join(d['products']) or 'nothing'}, "
                f"{_tonnes(d['expected_per_year'])}/yr expected ({low:,.0f}-{_tonnes(high)} by scenario)"
            )
        else:
            lines.append(f"- {d['decision']} `{d['id']}`, effective {d['effective']}{once}")
    for st in a["stocks"]:
        lines.append(
            f"- raise stock of {st['product']} at {st['site']} from {_tonnes(st['from'])} to {_tonnes(st['to'])} in {first}"
        )
    costs = {s["scenario"]: s["total_cost"] for s in a["scenarios"]}
    base = min(costs, key=lambda s: (round(costs[s], -6), list(costs).index(s)))
    lines += [
        "",
        "**What happens to magnet supply in each scenario:**",
        "",
        "| scenario | probability | total cost | vs cheapest | magnets short | where |",
        "|---|---|---|---|---|---|",
    ]
    for s in a["scenarios"]:
        places = (
            ", ".join(
                f"{site} {q / 1000:,.1f} kt" if q >= 100 else f"{site} {q:,.0f} t"
                for site, q in s["short_by_site"].items()
            )
            or "none"
        )
        diff = (
            "-" if s["scenario"] == base else _difference(s["total_cost"] - costs[base], max(tolerance, 5e5))
        )
        lines.append(
            f"| {s['scenario']}: {s['description']} | {s['probability']:.0%} | {_money(s['total_cost'])} | {diff} | "
            f"{s['magnets_short'] / 1000:,.1f} kt | {places} |"
        )
    return "\n".join(lines) + "\n"


def write_example_answer(path: Path = EXAMPLE_ANSWER) -> dict[str, Any]:
    """Solve the example and store its answer (the README block is rendered from it)."""
    answer = example_answer()
    path.write_text(json.dumps(answer, indent=1, sort_keys=False) + "\n")
    return answer


BLOCKS: dict[str, Callable[[], str]] = {"schema": markdown_reference, "example": example_findings}


def replace_block(text: str, name: str, body: str) -> str:
    """Return ``text`` with the block ``name`` replaced by ``body``."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise KeyError(f"README has no block {name!r}")
    return pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)


def block(text: str, name: str) -> str:
    """The current content of block ``name``."""
    m = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    if not m:
        raise KeyError(f"README has no block {name!r}")
    return m.group(1)


def update(path: Path = README, blocks: dict[str, Callable[[], str]] | None = None) -> list[str]:
    """Rewrite every generated block; returns the names that changed."""
    text = path.read_text()
    changed = []
    for name, make in (blocks or BLOCKS).items():
        new = replace_block(text, name, make())
        if new != text:
            changed.append(name)
            text = new
    if changed:
        path.write_text(text)
    return changed


if __name__ == "__main__":  # pragma: no cover
    if "--no-solve" not in sys.argv:
        write_example_answer()
    names = update()
    sys.stdout.write(f"updated: {', '.join(names) or 'nothing'}\n")
