"""The native charts on the Summary page, each drawn from a block on a detail sheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.metrics import (
    Metrics,
)
from planner.report.content import (
    COSTS,
    FLOWS,
    INVENTORY,
    SCENARIOS,
    ChartSpec,
)

if TYPE_CHECKING:
    pass


def _charts(m: Metrics, nonzero_components: int, has_mix: bool, exp_label: str) -> list[ChartSpec]:
    c = m.controlling_country
    charts = [
        ChartSpec(
            "barh",
            f"Expected cost by component ({m.currency})",
            COSTS,
            "cost_components",
            "Component",
            [exp_label],
            m.currency,
            "money",
            rows=max(1, nonzero_components),
        ),
        ChartSpec(
            "combo",
            "Cost and shortage by scenario",
            SCENARIOS,
            "scenarios",
            "Scenario",
            ["Total cost"],
            f"Total cost ({m.currency})",
            "money",
            rows=len(m.scenario_ids),
            secondary=["Shortage"],
            secondary_title=f"Shortage ({m.mass_unit})",
            secondary_kind="t",
        ),
    ]
    if has_mix:
        charts.append(
            ChartSpec(
                "stacked_pct",
                f"Output by country and stage ({c} first, expected)",
                FLOWS,
                "supply_mix",
                "Stage",
                [],  # every country column
                "share of stage output",
                "pct",
            )
        )
    charts.append(
        ChartSpec(
            "line",
            f"Stock held by scenario ({m.mass_unit}, all sites)",
            INVENTORY,
            "stock_trajectory",
            "Period",
            [],
            f"stock ({m.mass_unit})",
            "t",
        )
    )
    return charts
