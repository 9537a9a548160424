"""Assemble the manager's report: what goes on which sheet, in plain pandas (no Pyomo, no openpyxl).

:func:`build_report` turns a solution, its network and its metrics into a
:class:`ReportContent`: the Summary page (what to commit to now, KPI tiles, findings, notes,
charts) and the detail sheets, each a list of :class:`Block` tables with display column names,
value kinds (money, t, %, days ...) and highlight rules. The writer
(:func:`planner.io.report_writer.write_report`) only lays this out; every number
and every sentence is decided here.

Modules: :mod:`~planner.report.content` (the specs and sheet names),
:mod:`~planner.report.summary` (KPI tiles, page one), :mod:`~planner.report.sheets` (detail
sheets on the plan), :mod:`~planner.report.provenance` (Inputs, Run info),
:mod:`~planner.report.charts`, :mod:`~planner.report.resilience` (Resilience, Frontier) and
:mod:`~planner.report.build` (:func:`build_report`).

Sheet order: Summary, Decisions, Costs, Scenarios, Flows & dependency, Inventory,
Shortages, Licences, Inputs, Run info.
"""

from __future__ import annotations

from planner.report.build import build_report
from planner.report.content import (
    COSTS,
    DECISIONS,
    FLOWS,
    FRONTIER,
    INPUTS,
    INVENTORY,
    LICENCES,
    RESILIENCE,
    RUN_INFO,
    SCENARIOS,
    SHEET_ORDER,
    SHORTAGES,
    SUMMARY,
    Block,
    ChartSpec,
    Kind,
    ReportContent,
    SheetSpec,
    Tile,
)
from planner.report.resilience import add_resilience

__all__ = [
    "COSTS",
    "DECISIONS",
    "FLOWS",
    "FRONTIER",
    "INPUTS",
    "INVENTORY",
    "LICENCES",
    "RESILIENCE",
    "RUN_INFO",
    "SCENARIOS",
    "SHEET_ORDER",
    "SHORTAGES",
    "SUMMARY",
    "Block",
    "ChartSpec",
    "Kind",
    "ReportContent",
    "SheetSpec",
    "Tile",
    "add_resilience",
    "build_report",
]
