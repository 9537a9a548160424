"""Generated parts of README.md: ``python -m planner.docs`` rewrites them in place.

Each generated block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
markers; tests fail when a block is stale, so the README cannot drift from the code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from planner.schema import markdown_reference

README = Path(__file__).resolve().parents[1] / "README.md"


def _money(x: float) -> str:
    if abs(x) >= 1e9:
        return f"${x / 1e9:,.2f}B"
    if abs(x) >= 1e6:
        return f"${x / 1e6:,.1f}M"
    return f"${x:,.0f}"


def _difference(x: float) -> str:
    """A cost difference with its sign; below $0.5M it reads as no difference."""
    if abs(x) < 5e5:
        return "same"
    return ("+" if x > 0 else "-") + _money(abs(x))


def example_findings(path: Path | None = None) -> str:
    """What the example says, from an actual solve of the example workbook with its own settings."""
    import pandas as pd

    from planner.api import check, default_workbook, read, solve_data

    data = read(path or default_workbook())
    check(data)
    sol = solve_data(data, validate=False)
    net = sol.extra["network"]
    sc = sol.scenarios.set_index("scenario")
    desc = {str(r.scenario): str(r.description) for r in data["Scenarios"].itertuples(index=False)}
    order = {s: i for i, s in enumerate(sc.index)}
    # the cheapest scenario; among equal costs (to $1M) the first in workbook order
    base = min(sc.index, key=lambda s: (round(float(sc.at[s, "total_cost"]), -6), order[s]))
    lines = [
        f"Solved with the workbook's own settings (gap {float(net.settings['mip_gap']):.1%}): expected total cost "
        f"**{_money(sol.expected_cost)}** over {len(net.periods)} quarters ({net.periods[0]} to {net.periods[-1]}), "
        f"proven within {sol.gap:.2%} of the optimum.",
        "",
        "**Decided now, for every scenario:**",
        "",
    ]
    dec = sol.decisions
    taken = dec[(dec["value"] > 0.5) & dec["decision"].isin(["build capacity", "open site", "qualify lane"])]
    options = net.options
    for r in taken.itertuples(index=False):
        units = f" ({r.value:g} units)" if r.value > 1.5 else ""
        cost = f", one-off {_money(r.cost)}" if r.cost > 0 else ""
        if r.decision == "build capacity" and r.id in options.index:
            per = float(options.at[r.id, "cost_fixed"]) * float(r.value)
            cost += f", {_money(per)} a quarter once available" if per > 0 else ""
            name = str(net.processes.at[str(options.at[r.id, "process"]), "name"]) or str(
                options.at[r.id, "process"]
            )
            lines.append(
                f"- build `{r.id}`{units} ({name} at {options.at[r.id, 'site']}), from {r.effective_period}{cost}"
            )
            continue
        lines.append(f"- {r.decision} `{r.id}`{units}, effective {r.effective_period}{cost}")
    inv = sol.inventory
    # stage-1 rows repeat in every scenario: read one scenario's copy
    first = inv[
        (inv["period"] == net.periods[0]) & (inv["stage"] == 1) & (inv["scenario"] == net.scenarios[0])
    ]
    held = first.groupby(["site", "product"])["stock"].sum()
    start = net.inventory["initial_stock"]
    raised = [
        (k, float(start.get(k, 0.0)), float(q))
        for k, q in held.items()
        if float(q) - float(start.get(k, 0.0)) > 1.0
    ]
    for (site, product), s0, q in sorted(raised, key=lambda x: -(x[2] - x[1])):
        lines.append(
            f"- raise stock of {product} at {site} from {s0:,.0f} t to {q:,.0f} t in {net.periods[0]}"
        )
    magnets = {str(p) for p in net.products.index if net.products.at[p, "stage"] == "magnet"}
    short = sol.shortages[sol.shortages["product"].isin(magnets)]
    by = short.groupby(["scenario", "site"])["shortage"].sum()
    lines += [
        "",
        "**What happens to magnet supply in each scenario:**",
        "",
        "| scenario | probability | total cost | vs cheapest | magnets short | where |",
        "|---|---|---|---|---|---|",
    ]
    for s in sc.index:
        where = by.loc[s] if s in by.index.get_level_values(0) else pd.Series(dtype=float)
        where = where[where > 0.5].sort_values(ascending=False)
        places = ", ".join(f"{site} {q / 1000:,.1f} kt" for site, q in where.items()) or "none"
        total = float(where.sum())
        lines.append(
            f"| {s}: {desc.get(s, '')} | {sc.at[s, 'probability']:.0%} | {_money(sc.at[s, 'total_cost'])} | "
            f"{_difference(float(sc.at[s, 'total_cost']) - float(sc.at[base, 'total_cost'])) if s != base else '-'} | "
            f"{total / 1000:,.1f} kt | {places} |"
        )
    return "\n".join(lines) + "\n"


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
    names = update()
    sys.stdout.write(f"updated: {', '.join(names) or 'nothing'}\n")
