"""Assemble the whole report: :func:`build_report`."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from planner.metrics import (
    Metrics,
    compute_metrics,
    finding_records,
    fmt_money,
    fmt_pct,
)
from planner.report.charts import _charts
from planner.report.commitments import PAGE_ONE_ROWS, commitments
from planner.report.content import (
    INPUTS,
    PRINT_ROWS,
    SHORTAGES,
    Picture,
    ReportContent,
    SheetSpec,
    _expected_label,
)
from planner.report.provenance import _inputs_sheet, _run_info_sheet
from planner.report.sheets import (
    _costs_sheet,
    _decisions_sheet,
    _flows_sheet,
    _inventory_sheet,
    _licences_sheet,
    _scenarios_sheet,
    _shortages_sheet,
)
from planner.report.summary import _tiles, discount_text, optimality_text

if TYPE_CHECKING:
    from planner.network import Network
    from planner.solution import Solution


RANKED_DETAIL = {SHORTAGES, INPUTS}
"""Sheets whose long side tables come ranked (largest shortfall first; the input digest and the
assumption register first), so their first rows are the ones worth printing."""


def _limit_printing(sheet: SheetSpec) -> None:
    """Keep long side tables off the printed pages, and say so under the sheet's title.

    A ranked table prints its first :data:`PRINT_ROWS` rows; an unranked one (every cost row, every
    stock row, every licence application) does not print when the sheet has tables on the left,
    which are its printed view.
    """
    printed = sheet.side if sheet.print_tables is None else sheet.side[: sheet.print_tables]
    if sheet.print_rows is not None or not any(len(b.frame) > PRINT_ROWS for b in printed):
        return
    if sheet.name in RANKED_DETAIL or not sheet.blocks:
        sheet.print_rows = PRINT_ROWS
        sheet.description += (
            f" Printed: the first {PRINT_ROWS} rows of each table on the right; every row is on screen "
            "(filter it) and in the run folder's tables."
        )
    else:
        sheet.print_tables = 0
        sheet.description += (
            " The tables on the right are for the screen (filter them) and are not printed; every row is "
            "also in the run folder's tables."
        )


def _flow_pictures(sol: Solution, net: Network, m: Metrics) -> list[Picture]:
    """The flow picture of the most likely scenario and of the costliest one (one panel when they are
    the same): who makes and ships each stage's product, by country."""
    from planner.flowpicture import flow_picture

    if sol.flows.empty:
        return []
    sc = sol.scenarios.set_index("scenario")
    calm = str(sc["probability"].astype(float).idxmax())
    worst = str(sc["total_cost"].astype(float).idxmax())
    shown = [calm] if calm == worst else [calm, worst]
    titles = [
        f"{s} ({fmt_pct(m.probability[s])}): {'most likely' if s == calm else 'costliest'} scenario, "
        f"cost {fmt_money(float(sc.at[s, 'total_cost']), m.currency)}"
        for s in shown
    ]
    # the first year from the reveal, where the scenarios part (the whole horizon without a reveal)
    start = net.reveal if 0 < net.reveal < len(net.periods) else 0
    window = net.periods[start : start + net.year_ahead[start] + 1]
    span = window[0] if len(window) == 1 else f"{window[0]} to {window[-1]}"
    png = flow_picture(
        sol.flows, net.products["stage"].astype(str).to_dict(), shown, titles, m.mass_unit, periods=window
    )
    caption = (
        f"Shipments {span}. Each band runs from the country that made a stage's product to the country that "
        "received it, its width that stage's share of the tonnes shipped (the header gives the tonnes); "
        "a country keeps its colour in every panel. Compare the panels to see where the worst scenario "
        "moves supply."
    )
    return [Picture("Flows by stage and country", png, caption)]


def build_report(
    sol: Solution,
    net: Network,
    metrics: Metrics | None = None,
    stochastic: dict[str, Any] | None = None,
    manifest: dict[str, Any] | None = None,
    now: datetime | None = None,
    title: str = "Rare-earth magnet supply plan",
    worth: list[dict[str, Any]] | None = None,
) -> ReportContent:
    """Decide the content of every sheet of the manager's report.

    ``metrics`` is computed when not given (from ``stochastic`` and ``manifest``, see
    :func:`planner.metrics.compute_metrics`); ``now`` stamps the run information; ``worth``
    (:func:`planner.model.sweeps.plan_without` points) values page one's largest commitments.
    """
    m = (
        metrics
        if metrics is not None
        else compute_metrics(sol, net, stochastic=stochastic, manifest=manifest)
    )
    now = now or datetime.now(UTC)
    recs = finding_records(m)
    costs_sheet, nonzero = _costs_sheet(sol, m)
    flows_sheet = _flows_sheet(sol, m)
    has_mix = any(
        b.key == "supply_mix" and b.frame.shape[1] > 1 and len(b.frame) > 0 for b in flows_sheet.blocks
    )
    # an alert (not proven optimal) or a note (risk weight) above the table takes a row's place, and
    # every two valued commitments (their value and break-even wrap to an extra line or two) take one
    page_rows = PAGE_ONE_ROWS - (not m.proven_optimal) - (m.risk_weight > 0) - (len(worth or []) + 1) // 2
    page_one = commitments(sol, net, m, worth=worth, page_rows=page_rows)
    decisions_sheet = _decisions_sheet(sol, net, m)
    if page_one.detail is not None:  # the Summary's commitments one by one, same total
        decisions_sheet.blocks.insert(0, page_one.detail)
    sheets = [
        decisions_sheet,
        costs_sheet,
        _scenarios_sheet(m, sol, net),
        flows_sheet,
        _inventory_sheet(m),
        _shortages_sheet(sol, m),
        _licences_sheet(sol, m),
        _inputs_sheet(net, m),
        _run_info_sheet(sol, net, m, manifest, now),
    ]
    for sheet in sheets:
        _limit_printing(sheet)
    alerts = []
    if not m.proven_optimal:
        gap = "unknown" if not math.isfinite(m.gap) else f"{m.gap:.2%}"
        alerts.append(
            f"Not proven optimal, gap {gap}: the solver stopped before proving this is the cheapest plan; "
            f"a better plan may cost up to {gap} less than the objective ({sol.message or m.status})."
        )
    notes = []
    if m.risk_weight > 0:
        notes.append(
            f"The plan minimises expected cost + {m.risk_weight:g} x CVaR {fmt_pct(m.cvar_alpha)} "
            f"(objective {fmt_money(m.objective, m.currency)}), so it pays some expected cost to protect the bad scenarios."
        )
    flagged = m.flagged_kpis
    assumption_note = (
        "* rests on input rows marked A (assumption) or U (unconfirmed), or not rated at all; see the Inputs sheet."
        if flagged
        else "No KPI rests on input rows marked as assumptions (A), unconfirmed (U) or unrated."
    )
    periods = f"{m.periods[0]} to {m.periods[-1]}" if m.periods else ""
    solver = getattr(sol.extra.get("solve_result"), "solver", "") or (
        (manifest or {}).get("versions") or {}
    ).get("solver", "")
    optimality = optimality_text(m)
    rate = float(net.settings.get("discount_rate") or 0.0)
    subtitle = (
        f"{len(m.periods)} periods ({periods}), {len(m.scenario_ids)} scenario{'s' if len(m.scenario_ids) != 1 else ''}; "
        f"costs in {m.currency}, quantities in {m.mass_unit}; {discount_text(rate)}. "
        f"Plan {optimality}{f' (solved by {solver})' if solver else ''}; report of "
        f"{now.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
    )
    scenario_lines = [
        f"{s} ({fmt_pct(m.probability[s])}): {m.scenario_descriptions[s]}"
        if m.scenario_descriptions.get(s)
        else f"{s} ({fmt_pct(m.probability[s])})"
        for s in m.scenario_ids
    ]
    return ReportContent(
        pictures=_flow_pictures(sol, net, m),
        title=title,
        subtitle=subtitle,
        currency=m.currency,
        mass_unit=m.mass_unit,
        tiles=_tiles(m),
        findings=[f.text for f in recs],
        finding_sheets=[f.sheet for f in recs],
        notes=notes,
        alerts=alerts,
        assumption_note=assumption_note,
        charts=_charts(m, nonzero, has_mix, _expected_label(m.scenario_ids)),
        sheets=sheets,
        scenario_lines=scenario_lines
        if len(scenario_lines) > 1 or any(m.scenario_descriptions.values())
        else [],
        input_path=str(net.data.path) if net.data.path else None,
        metrics=m,
        commitments=page_one.block,
        commitment_note=page_one.footnote,
        optimality=optimality,
    )
