"""Derive ``licence_reference.csv``: what the covered buyers file for under the partial-share rules.

A licence share applies to what the buyers file for (ExportControls.reference_volume). Left
blank, planner files for the covered plants' consumption at installed capacity, and for the
example's Dy/Tb metal that is unlimited (the grade and diffusion steps at the magnet plants have
no capacity of their own), so R18's and R61's shares below 1 would deny nothing. The example
files instead for the buyers' own use: the Dy/Tb oxide and metal the covered plants consume in
the 2025 status quo (2028, its steady year), grown with magnet demand by the builder.

Usage: python inputs/example/reference_use.py   (prints the table; about 20 s)
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from planner.api import SolveOptions, solve_data  # noqa: E402
from planner.model.index import build_index  # noqa: E402
from planner.network import build_network  # noqa: E402
from planner.solution import Solution  # noqa: E402

STEADY_YEAR = ("2028Q1", "2028Q2", "2028Q3", "2028Q4")


def _builder():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("example_build", HERE / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def covered_use(
    status_quo: Solution, rules: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, float]]:
    """(rule, product) -> {site: t/yr} the rule's covered sites consume in the status quo's steady year."""
    net = build_network(_builder().build_data())
    ix = build_index(net, [net.scenarios[0]])  # coverage does not depend on the scenario
    p = status_quo.production
    use = p[p.period.isin(STEADY_YEAR) & (p.direction == "in")]
    out: dict[tuple[str, str], dict[str, float]] = {}
    for rule, product in rules:
        rows = use[use["product"].eq(product) & use["site"].isin(ix.licences[(rule, product)].destinations)]
        out[(rule, product)] = {
            str(k): float(v) for k, v in rows.groupby("site")["quantity"].sum().items() if v > 0.05
        }
    return out


def main() -> None:
    import csv

    with open(HERE / "licence_reference.csv", newline="", encoding="utf-8") as f:
        rules = [(r["rule"], r["product"]) for r in csv.DictReader(f)]
    sq = solve_data(_builder().build_data(status_quo=True), SolveOptions(mip_gap=1e-6, threads=1))
    for (rule, product), sites in covered_use(sq, rules).items():
        detail = ", ".join(f"{s} {v:.1f}" for s, v in sorted(sites.items()))
        sys.stdout.write(f"{rule},{product},{sum(sites.values()):.1f}  ({detail} t)\n")


if __name__ == "__main__":
    main()
