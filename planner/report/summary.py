"""The Summary page's content: KPI tiles."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from planner.metrics import (
    KPI_COVER,
    KPI_CVAR,
    KPI_DEPENDENCY,
    KPI_EXPECTED_COST,
    KPI_SERVICE,
    KPI_SHORTAGE,
    KPI_VSS,
    KPI_WORST_COST,
    Metrics,
    fmt_money,
    fmt_pct,
    fmt_tonnes,
    most_dependent_stage,
    stage_phrase,
)
from planner.report.content import (
    Tile,
)

if TYPE_CHECKING:
    pass

# ----------------------------------------------------------------------------- summary


def _tiles(m: Metrics) -> list[Tile]:
    flagged = set(m.flagged_kpis)
    n = len(m.scenario_ids)
    tiles = [
        Tile(
            "Expected total cost",
            m.expected_cost,
            "money",
            f"probability-weighted over {n} scenario{'s' if n != 1 else ''}",
            KPI_EXPECTED_COST in flagged,
        ),
        Tile(
            "Worst-scenario cost",
            m.worst_cost,
            "money",
            f"in '{m.worst_scenario}'",
            KPI_WORST_COST in flagged,
        ),
        Tile(
            f"CVaR {fmt_pct(m.cvar_alpha)}",
            m.cvar,
            "money",
            f"mean cost of the worst {fmt_pct(1 - m.cvar_alpha)} of outcomes",
            KPI_CVAR in flagged,
        ),
        Tile(
            "Here-and-now cost",
            m.first_stage_cost,
            "money",
            "committed before the scenario is known",
            KPI_EXPECTED_COST in flagged,
        ),
        Tile(
            "Expected service level",
            m.expected_service,
            "pct",
            f"worst {fmt_pct(m.worst_service)} in '{m.worst_service_scenario}'"
            if m.worst_service < 1 - 1e-9
            else "all demand met in every scenario",
            KPI_SERVICE in flagged,
            alert=m.worst_service < 1 - 1e-9,
        ),
        Tile(
            "Tonnes short (expected)",
            m.expected_shortage,
            "t",
            f"worst {fmt_tonnes(m.worst_shortage, m.mass_unit)} in '{m.worst_shortage_scenario}'"
            if m.worst_shortage > 1e-9
            else "no shortage in any scenario",
            KPI_SHORTAGE in flagged,
            alert=m.expected_shortage > 1e-9,
        ),
    ]
    r = most_dependent_stage(m)
    if r is not None:
        tiles.append(
            Tile(
                f"Highest {m.controlling_country} share",
                float(r["share"]),
                "pct",
                f"of {stage_phrase(str(r['stage']))} output; supply HHI {float(r['hhi']):,.0f}",
                KPI_DEPENDENCY in flagged,
                alert=float(r["share"]) > 0.5,
            )
        )
    else:
        tiles.append(Tile(f"Highest {m.controlling_country} share", None, "pct", "no supply in the plan"))
    st = m.stochastic or {}
    if "VSS" in st:
        evpi = st.get("EVPI", math.nan)
        tiles.append(
            Tile(
                "Value of stochastic plan",
                st["VSS"] if math.isfinite(st["VSS"]) else None,
                "money",
                f"VSS; EVPI {fmt_money(evpi, m.currency)}"
                if math.isfinite(evpi)
                else "VSS (average-scenario plan infeasible)",
                KPI_VSS in flagged,
            )
        )
    else:
        cov = m.cover
        if len(cov) and float(cov["stock"].max()) > 1e-9:
            r = cov.loc[cov["stock"].astype(float).idxmax()]
            tiles.append(
                Tile(
                    "Peak stock held",
                    float(r["stock"]),
                    "t",
                    f"{r['product']} at {r['site']}, {r['period']}",
                    KPI_COVER in flagged,
                )
            )
        else:
            tiles.append(Tile("Peak stock held", 0.0, "t", "no stock held", KPI_COVER in flagged))
    return tiles


def optimality_text(m: Metrics) -> str:
    """How close to optimal the plan is, as the Summary and Run info state it.

    'proven optimal' only at a zero gap; 'optimal within 0.84%' when the solver stopped at its gap
    tolerance; 'not proven optimal (gap 3.2%)' when it stopped early (time limit).
    """
    gap = m.gap
    if not math.isfinite(gap):
        return "not proven optimal (no bound)" if not m.proven_optimal else "optimal (gap unknown)"
    shown = f"{max(gap, 0.0):.2%}"
    if not m.proven_optimal:
        return f"not proven optimal (gap {shown})"
    if gap <= 1e-9:
        return "proven optimal (gap 0%)"
    return f"optimal within {shown}"


def discount_text(rate: float) -> str:
    """How costs are discounted, for the Summary: the Settings rate, or 'not discounted'."""
    if rate > 0:
        return f"costs discounted at {rate:.1%} a year to the start of the horizon (Settings discount_rate)"
    return "costs not discounted (Settings discount_rate 0)"
