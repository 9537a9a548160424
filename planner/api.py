"""The public pipeline: read -> validate -> network -> model -> solve -> solution.

Each stage is one function taking plain data from the previous one. ``solve_data``
and ``run`` chain them::

    import planner
    data = planner.read("inputs/example.xlsx")
    sol = planner.solve_data(data, planner.SolveOptions(time_limit=60))
    print(sol.objective, sol.costs.groupby("component")["cost"].sum())
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.config import SolveOptions
from planner.errors import InfeasibleError, InputError, Issue
from planner.network import Network, build_network
from planner.solution import Solution
from planner.tables import InputData

if TYPE_CHECKING:
    from planner.report.content import ReportContent

log = logging.getLogger(__name__)

Progress = Callable[[dict[str, Any]], None]


def read(path: str | Path, **limits: Any) -> InputData:
    """Read a workbook into typed tables (nothing is checked across tables yet)."""
    from planner.io.excel_reader import ReadLimits, read_workbook

    return read_workbook(Path(path), ReadLimits(**limits) if limits else ReadLimits())


def check(data: InputData, strict: bool = False) -> list[Issue]:
    """Validate; raise InputError listing every error, return the warnings."""
    from planner.validate import check as _check

    return _check(data, strict=strict)


def build_model(net: Network, scenarios: list[str] | None = None, relax: bool = False) -> Any:
    """Build the Pyomo model (extensive form by default; see planner.model.build)."""
    from planner.model.build import build_model as _build

    return _build(net, scenarios=scenarios, relax=relax)


def solve(model: Any, options: SolveOptions, progress: Progress | None = None) -> Any:
    """Solve a built model with HiGHS; returns a SolveResult."""
    from planner.diagnose import explain_members
    from planner.solve import solve_model

    net = model.net
    return solve_model(model, options, progress=progress, explain=lambda mem: explain_members(mem, net))


def extract_solution(model: Any, net: Network, result: Any) -> Solution:
    """Turn a solved model into solution tables keyed by workbook ids."""
    from planner.solution import extract_solution as _extract

    return _extract(model, net, result)


def settings_rows(data: InputData) -> dict[str, int]:
    """The Settings sheet's row of each setting given there (for messages)."""
    from planner.schema import normalize_name
    from planner.tables import ROW

    frame = data.tables.get("Settings")
    if frame is None or "setting" not in frame or ROW not in frame:
        return {}
    return {
        normalize_name(key): int(row)
        for key, row in zip(frame["setting"], frame[ROW], strict=True)
        if key is not None and row is not None
    }


def resolve_options(options: SolveOptions | None, data: InputData) -> SolveOptions:
    """``options`` with blanks filled from the workbook's Settings; bad values name their Settings row."""
    return (options or SolveOptions()).resolved(data.settings, settings_rows(data))


def check_deadline(opts: SolveOptions, done: str) -> None:
    """Raise :class:`NonOptimalError` when ``done`` (e.g. "reading and building") used up the time limit."""
    from planner.errors import NonOptimalError

    if opts.deadline is not None and time.perf_counter() >= opts.deadline:
        raise NonOptimalError(
            f"the time limit of {float(opts.time_limit or 0):g} s was used up by {done} before the solver "
            "could start; raise --time-limit (or the Settings time_limit), 0 meaning no limit"
        )


def solve_data(
    data: InputData,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    validate: bool = True,
    first_stage: dict[tuple[str, Any], float] | None = None,
) -> Solution:
    """Validate, build and solve one workbook's data; return the solution tables.

    ``Solution.timings`` holds seconds per stage: validate, network, build,
    handoff (compile + pass to HiGHS), solve (HiGHS), load, extract.
    The time limit covers validating, building and solving (HiGHS gets what is left), or the
    whole run when ``options.deadline`` is set (:func:`run` sets it before reading).
    ``first_stage`` (values keyed as :func:`planner.model.stochastic.first_stage_values` returns
    them, e.g. progressive hedging's best xhat) fixes the first stage: the solve then evaluates that
    plan, each scenario's recourse optimised.
    """
    opts = resolve_options(options, data).with_deadline(time.perf_counter())
    timings: dict[str, float] = {}

    def stage(name: str) -> None:
        if progress:
            progress({"event": "stage", "stage": name})

    t = time.perf_counter()
    if validate:
        stage("validate")
        check(data)
    timings["validate"] = time.perf_counter() - t
    stage("network")
    t = time.perf_counter()
    net = build_network(data, scenarios=list(opts.scenarios) if opts.scenarios else None)
    timings["network"] = time.perf_counter() - t
    check_deadline(opts, "reading and checking the workbook")
    from planner.model.build import kept_out_of_gc

    with kept_out_of_gc():  # the model lives until the tables are out: the collector need not walk it
        stage("build")
        t = time.perf_counter()
        model = build_model(net)
        if first_stage is not None:
            from planner.model.stochastic import fix_first_stage

            fix_first_stage(model, first_stage)
        timings["build"] = time.perf_counter() - t
        stage("solve")
        check_deadline(opts, "reading, checking and building the model")
        result = solve(model, opts, progress=progress)
        timings.update(result.timings)
        stage("extract")
        t = time.perf_counter()
        sol = extract_solution(model, net, result)
        timings["extract"] = time.perf_counter() - t
    sol.timings = timings
    sol.extra["network"] = net
    sol.extra["model"] = model
    sol.extra["solve_result"] = result
    return sol


def stochastic_values(
    data: InputData,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    recourse: Solution | None = None,
) -> dict[str, Any]:
    """Recourse problem (RP), wait-and-see (WS), expected-value plan evaluated (EEV), VSS and EVPI.

    RP is the stochastic objective; WS = E[C*_s] + weight x CVaR(C*_s) over the scenarios
    solved one at a time; EEV is the stochastic objective with the first stage fixed to the
    expected-value problem's plan. VSS = EEV - RP >= 0 and EVPI = RP - WS >= 0 (up to the MIP gap).
    ``per_scenario`` lists each scenario's wait-and-see cost and the EV plan's cost.
    """
    import pandas as pd

    from planner.metrics import cvar
    from planner.model.stochastic import first_stage_values, fix_first_stage
    from planner.network import expected_value_network

    opts = resolve_options(options, data)
    rp = recourse if recourse is not None else solve_data(data, opts, progress=progress)
    net: Network = rp.extra["network"]
    weight = float(net.settings["risk_weight"])
    alpha = float(net.settings["cvar_alpha"])

    from planner.model.build import kept_out_of_gc

    ws_costs: dict[str, float] = {}
    for s in net.scenarios:
        single = build_network(data, scenarios=[s])
        with kept_out_of_gc():
            m = build_model(single)
            solve(m, replace(opts, log_title=f"wait-and-see solve (VSS/EVPI), scenario {s} alone"))
            ws_costs[s] = float(m.e_cost_stage1()) + float(m.e_cost_stage2[s]())
    probs = [net.probability[s] for s in net.scenarios]
    ws_list = [ws_costs[s] for s in net.scenarios]
    ws = sum(p * c for p, c in zip(probs, ws_list, strict=True)) + weight * cvar(ws_list, probs, alpha)

    ev_net = expected_value_network(net)
    with kept_out_of_gc():
        ev_model = build_model(ev_net)
        solve(
            ev_model, replace(opts, log_title="expected-value (EV) solve (VSS): one scenario of mean values")
        )
        values = first_stage_values(ev_model)
    with kept_out_of_gc():
        eev_model = build_model(net)
        fix_first_stage(eev_model, values)
        try:
            eev_opts = replace(opts, log_title="EV plan evaluated in every scenario (EEV solve, VSS)")
            eev = float(solve(eev_model, eev_opts).objective)
            eev_costs = {
                s: float(eev_model.e_cost_stage1()) + float(eev_model.e_cost_stage2[s]())
                for s in net.scenarios
            }
        except InfeasibleError:  # the expected-value plan breaks a hard constraint in some scenario
            eev = math.inf
            eev_costs = {s: math.inf for s in net.scenarios}
    per = pd.DataFrame(
        {
            "scenario": net.scenarios,
            "probability": probs,
            "recourse_cost": [
                float(rp.scenarios.set_index("scenario").at[s, "total_cost"]) for s in net.scenarios
            ],
            "wait_and_see_cost": ws_list,
            "ev_plan_cost": [eev_costs[s] for s in net.scenarios],
        }
    )
    return {
        "RP": float(rp.objective),
        "WS": ws,
        "EEV": eev,
        "VSS": eev - float(rp.objective),
        "EVPI": float(rp.objective) - ws,
        "per_scenario": per,
    }


COVER_LEVELS = (0.0, 30.0, 60.0, 100.0, 180.0)
"""Days of cover the policy curve tries: none, a month, JOGMEC's 60 days, Korea's 100 days, half a year."""


def stress(
    data: InputData,
    options: SolveOptions | None = None,
    plan: Solution | None = None,
    cover_days: tuple[float, ...] = COVER_LEVELS,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Resilience analysis: TTS, TTR, PI and REI per node; cheapest stockpile; days-of-cover curve.

    ``plan`` (a solved Solution) adds the capacity it builds, the sites it opens and the lanes it
    qualifies to the network that is stressed, and the window opens at the reveal period with
    the stock the plan holds then (:func:`planner.resilience.plan_window`); without it the
    network is taken as it stands, from the first period and the opening stock.
    Returns DataFrames ``nodes``, ``stockpile`` and ``cover_curve`` and the stockpile's cost.
    """
    import pandas as pd

    from planner.model.resilience import performance_impact, size_stockpile, time_to_survive
    from planner.model.sweeps import cover_curve
    from planner.resilience import disruption_nodes, network_rates, opening_stock, plan_decisions, plan_window

    opts = resolve_options(options, data)
    lp_opts = opts
    net = build_network(data, scenarios=list(opts.scenarios) if opts.scenarios else None)
    held: dict[tuple[str, str], float] = {}
    if plan is not None:
        start, held = plan_window(net, plan.inventory)
        rates = network_rates(net, plan_decisions(plan.decisions), period=start, stock=held)
    else:
        rates = network_rates(net)
    rows = []
    all_nodes = disruption_nodes(net)
    for node in all_nodes:
        if progress:
            progress({"event": "stage", "stage": f"stress {node.name}"})
        tts = time_to_survive(rates, node, replace(lp_opts, log_title=f"stress {node.name}: time to survive"))
        pi_cost, pi_short = (
            performance_impact(
                rates, node, node.ttr, replace(lp_opts, log_title=f"stress {node.name}: performance impact")
            )
            if node.ttr is not None
            else (math.nan, math.nan)
        )
        rows.append(
            {
                "node": node.name,
                "kind": node.kind,
                "target": node.target,
                "ttr_periods": node.ttr,
                "tts_periods": tts,
                "covered": bool(math.isinf(tts) or (node.ttr is not None and tts >= node.ttr - 1e-9)),
                "pi_cost": pi_cost,
                "pi_shortage": pi_short,
            }
        )
    nodes = pd.DataFrame(rows)
    worst = nodes["pi_cost"].max(skipna=True) if len(nodes) else math.nan
    nodes["rei"] = nodes["pi_cost"] / worst if worst and worst > 0 else 0.0
    nodes = nodes.sort_values(
        ["rei", "tts_periods"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)
    stock, stock_cost, left = size_stockpile(
        rates, all_nodes, replace(lp_opts, log_title="stress: cheapest stockpile")
    )
    period_days = rates.period_days  # the length of the period whose rates these are
    stock_rows = [
        {
            "site": k[0],
            "product": k[1],
            "extra_stock": q,
            "days_of_cover": q / rates.demand[k] * period_days if rates.demand.get(k) else math.nan,
            "cost": q * rates.storage[k][0],
            # holding over the horizon, per year of it
            "cost_per_year": q * rates.storage[k][0] / rates.horizon_periods * 365.25 / period_days,
        }
        for k, q in stock.items()
        if q > 1e-9
    ]
    if progress:
        progress({"event": "stage", "stage": "days-of-cover curve"})
    designs = None
    values = pd.DataFrame(
        columns=["site", "product", "stock", "opening", "value", "protects", "worst_rise", "break_even"]
    )
    if plan is not None and "model" in plan.extra:
        from planner.model.stochastic import design_values
        from planner.model.sweeps import stockpile_values
        from planner.report.commitments import break_even_summary

        designs = design_values(plan.extra["model"])  # the policy curve on the plan's committed design
        opening = opening_stock(net)
        raised = [k for k, q in held.items() if q > opening.get(k, 0.0) + 1e-3]
        if raised:
            if progress:
                progress({"event": "stage", "stage": "value of each stockpile"})
            rows_v = stockpile_values(
                net,
                designs,
                raised,
                replace(lp_opts, mip_gap=0.0, log_title="stress: value of each stockpile"),
            )
            values = pd.DataFrame(
                [
                    {
                        **r,
                        "stock": held[(r["site"], r["product"])],
                        "opening": opening.get((r["site"], r["product"]), 0.0),
                        "break_even": break_even_summary(r.get("rise") or {}, net.probability),
                    }
                    for r in rows_v
                ],
                columns=values.columns,
            ).sort_values("value", ascending=False, ignore_index=True)
    curve = (
        cover_curve(
            net, list(cover_days), replace(opts, log_title="stress: days-of-cover curve"), designs=designs
        )
        if len(net.inventory)
        else []
    )
    return {
        "nodes": nodes,
        "stockpile": pd.DataFrame(
            stock_rows, columns=["site", "product", "extra_stock", "days_of_cover", "cost", "cost_per_year"]
        ),
        "stockpile_cost": stock_cost,
        "stockpile_unprevented_shortage": left,
        "stockpile_values": values,
        "cover_curve": pd.DataFrame(curve),
    }


def frontier(
    data: InputData, points: int = 5, options: SolveOptions | None = None, progress: Progress | None = None
) -> Any:
    """Cost-risk frontier: ``points`` weights w from 0 (risk neutral) to 1 (CVaR only) on one model.

    Returns a DataFrame: weight, expected cost, CVaR, worst cost and scenario, expected and worst
    shortage, the plan's decisions, solve seconds and gap.
    """
    import pandas as pd

    from planner.model.sweeps import frontier as _frontier

    if points < 2:
        raise InputError("--points must be at least 2 (the risk-neutral and the most risk-averse plan)")
    opts = replace(resolve_options(options, data), log_title="frontier")
    net = build_network(data, scenarios=list(opts.scenarios) if opts.scenarios else None)
    weights = [i / (points - 1) for i in range(points)]
    report = (
        (lambda p: progress({"event": "stage", "stage": f"frontier w={p['weight']:.2f}"}))
        if progress
        else None
    )
    return pd.DataFrame(_frontier(net, weights, opts, progress=report))


DEFAULT_WORKBOOK = "example.xlsx"


def default_workbook() -> Path:
    """The example workbook: ./inputs/example.xlsx, else the one in the planner source tree."""
    here = Path("inputs") / DEFAULT_WORKBOOK
    if here.exists():
        return here
    return Path(__file__).resolve().parents[1] / "inputs" / DEFAULT_WORKBOOK


@dataclass
class RunRecord:
    """What one ``run`` produced: its folder, manifest and solution."""

    folder: Path
    manifest: dict[str, Any]
    solution: Solution
    files: dict[str, Path] = field(default_factory=dict)
    stochastic: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _folder_problems(folder: Path, flag: str) -> list[str]:
    """Why planner could not create or write into ``folder`` (under a file, not writable), if so."""
    import os

    given = folder
    folder = Path(os.path.abspath(folder))
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        return [f"{flag} {given} is under a file ({existing}); give a folder"]
    if not os.access(existing, os.W_OK | os.X_OK):
        return [f"{flag} {given}: the folder {existing} is not writable; choose a folder you can write to"]
    return []


def check_outputs(
    workbook: Path,
    out: str | Path,
    report: str | Path | None,
    force: bool,
    tables_dir: str | Path | None,
    tables_format: str,
    frontier_points: int | None,
) -> None:
    """Refuse, before anything is read or solved, outputs and options that would fail after the solve."""
    problems: list[str] = []
    out_path = Path(out)
    if out_path.exists() and not out_path.is_dir():
        problems.append(f"--out {out_path} is a file; give a folder for the run folders")
    else:
        problems += _folder_problems(out_path, "--out")
    if report is not None:
        target = Path(report)
        if target.suffix.lower() != ".xlsx":
            problems.append(f"--report must be an .xlsx file, got {target.name!r}")
        elif target.exists() and target.resolve() == workbook.resolve():
            problems.append(f"--report {target} is the input workbook; choose another file name")
        elif target.exists() and not force:
            problems.append(
                f"--report {target} already exists; choose another name or add --force to replace it"
            )
        elif target.is_dir():
            problems.append(f"--report {target} is a folder; give an .xlsx file name")
        else:
            problems += _folder_problems(target.parent, "--report")
    if tables_dir is not None and Path(tables_dir).exists() and not Path(tables_dir).is_dir():
        problems.append(f"--tables {tables_dir} is a file; give a folder")
    elif tables_dir is not None:
        problems += _folder_problems(Path(tables_dir), "--tables")
    if tables_format not in ("csv", "parquet"):
        problems.append(f"--tables-format must be csv or parquet, not {tables_format!r}")
    elif tables_format == "parquet" and tables_dir is not None:
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None and importlib.util.find_spec("fastparquet") is None:
            problems.append("--tables-format parquet needs pyarrow (pip install pyarrow); or use csv")
    if frontier_points is not None and frontier_points < 2:
        problems.append("--points must be at least 2 (the risk-neutral and the most risk-averse plan)")
    if problems:
        raise InputError(
            "invalid output options; nothing was solved",
            [Issue("error", "command line", None, None, None, p) for p in problems],
        )


def versions() -> dict[str, str]:
    """Versions of planner, Python, Pyomo, HiGHS, pandas and openpyxl."""
    import platform

    import openpyxl
    import pandas as pd
    import pyomo.version

    from planner import __version__
    from planner.solve import solver_version

    return {
        "planner": __version__,
        "python": platform.python_version(),
        "pyomo": str(pyomo.version.version),
        "solver": solver_version(),
        "pandas": pd.__version__,
        "openpyxl": openpyxl.__version__,
        "platform": platform.platform(),
    }


def run(
    workbook: str | Path | None = None,
    out: str | Path = "reports",
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    tables_dir: str | Path | None = None,
    tables_format: str = "csv",
    vss: bool = False,
    report: str | Path | None = None,
    force: bool = False,
    with_stress: bool = False,
    frontier_points: int | None = None,
    command: list[str] | None = None,
    first_stage: dict[tuple[str, Any], float] | None = None,
    decomposition: dict[str, Any] | None = None,
    worth: int = 0,
) -> RunRecord:
    """read -> validate -> network -> build -> solve -> tables, in a run folder of its own.

    The folder ``<out>/<input stem>-<timestamp>`` gets the manager report (``report.xlsx``;
    ``report`` writes a copy elsewhere too, refusing to overwrite unless ``force``), the
    solver log (``solver.log``), the solution tables (``tables.xlsx``) and ``manifest.json`` (input file and SHA-256,
    versions, options, status, objective, bound, gap and seconds per stage), so runs can
    be reproduced and compared. The input workbook is only read.

    The folder is written as ``<out>/.<name>.partial`` and renamed when complete, so a run
    folder without the dot is always complete (``manifest.json`` status "complete"); partial
    folders of killed runs are removed by the next run (:mod:`planner.runfolder`).
    ``command`` (the command line, if any) is recorded in the manifest. The time limit
    covers the whole run: reading, checking, building and every solve.
    An output that cannot be written (disk full, no permission) is an InputError naming it.
    ``first_stage`` fixes the first stage of the main solve (see :func:`solve_data`) and
    ``decomposition`` (what a decomposition such as progressive hedging proved) goes into the manifest
    under that name: :func:`planner.decompose.solve_ph` passes both. ``worth`` > 0 values the report's
    ``worth`` largest commitments and its largest stock build-up by re-solve (:func:`commitment_values`).
    """
    clock = time.perf_counter()
    started = datetime.now(UTC)
    path = Path(workbook) if workbook is not None else default_workbook()
    check_outputs(path, out, report, force, tables_dir, tables_format, frontier_points)
    from planner import runfolder

    def stage(name: str) -> None:
        if progress:
            progress({"event": "stage", "stage": name})

    removed = runfolder.clean_stale(Path(out))
    if removed and progress:
        progress({"event": "cleaned", "folders": [str(p) for p in removed]})
    if tables_dir is not None:
        runfolder.clean_stale_temporaries(Path(tables_dir), {*Solution.TABLES, *_EXTRA_TABLES})
    if report is not None:
        runfolder.clean_stale_temporaries(Path(report).parent, {Path(report).stem})

    stage("read")
    t = time.perf_counter()
    data = read(path)
    t_read = time.perf_counter() - t
    stage("validate")
    t = time.perf_counter()
    warnings = check(data)
    t_validate = time.perf_counter() - t
    if warnings and progress:
        progress({"event": "warnings", "count": len(warnings), "first": [str(w) for w in warnings[:3]]})
    # the time limit covers the whole run, from before the workbook was read
    opts = resolve_options(options, data).with_deadline(clock)
    check_deadline(opts, "reading and checking the workbook")
    try:
        run_folder = runfolder.start(Path(out), path.stem, started)
    except OSError as exc:
        raise runfolder.output_error(exc, "--out") from None
    try:
        record = _run_in(
            run_folder,
            path,
            data,
            warnings,
            started,
            opts,
            progress,
            stage,
            tables_dir,
            tables_format,
            vss,
            with_stress,
            frontier_points,
            command,
            {"read": t_read, "validate": t_validate},
            first_stage,
            decomposition,
            worth,
        )
    except BaseException:
        run_folder.discard()
        raise
    if report is not None:
        stage("report copy")
        try:
            record.files["report_copy"] = write_run_report(
                record.solution,
                Path(report),
                stochastic=record.stochastic,
                manifest=record.manifest,
                extra=record.extra,
                force=force,
            )
        except OSError as exc:
            raise runfolder.output_error(exc, "--report") from None
    return record


_EXTRA_TABLES = ("resilience_nodes", "stockpile", "cover_curve", "frontier", "commitment_values")


def _run_in(
    run_folder: Any,
    path: Path,
    data: InputData,
    warnings: list[Issue],
    started: datetime,
    opts: SolveOptions,
    progress: Progress | None,
    stage: Callable[[str], None],
    tables_dir: str | Path | None,
    tables_format: str,
    vss: bool,
    with_stress: bool,
    frontier_points: int | None,
    command: list[str] | None,
    timings: dict[str, float],
    first_stage: dict[tuple[str, Any], float] | None = None,
    decomposition: dict[str, Any] | None = None,
    worth: int = 0,
) -> RunRecord:
    """Solve and write the run into ``run_folder.work``; rename it to its final name at the end."""
    import os

    from planner import runfolder

    work: Path = run_folder.work
    opts = replace(opts, log_file=opts.log_file or work / "solver.log")
    title = "main solve (the plan)"
    if first_stage is not None:
        title = "the decomposition's first stage fixed, every scenario's recourse optimised (the plan)"
    sol = solve_data(
        data, replace(opts, log_title=title), progress=progress, validate=False, first_stage=first_stage
    )
    timings = {**sol.timings, **timings}
    later = opts  # every further solve (VSS, stress, frontier) writes to the same solver log, titled

    stochastic = None
    if vss:
        stage("vss")
        t = time.perf_counter()
        stochastic = stochastic_values(data, later, recourse=sol)
        timings["vss"] = time.perf_counter() - t

    extra: dict[str, Any] = {}
    if with_stress:
        t = time.perf_counter()
        extra["stress"] = stress(data, later, plan=sol, progress=progress)
        timings["stress"] = time.perf_counter() - t
    if frontier_points:
        t = time.perf_counter()
        extra["frontier"] = frontier(data, frontier_points, later, progress=progress)
        timings["frontier"] = time.perf_counter() - t
    if worth > 0 and "model" in sol.extra:
        stage("value of commitments")
        t = time.perf_counter()
        extra["worth"] = commitment_values(sol, later, worth)
        timings["worth"] = time.perf_counter() - t

    stage("write")
    t = time.perf_counter()
    from planner.io.results_writer import write_tables_files, write_tables_xlsx

    tables = sol.tables()
    if "stress" in extra:
        tables.update(
            resilience_nodes=extra["stress"]["nodes"],
            stockpile=extra["stress"]["stockpile"],
            cover_curve=extra["stress"]["cover_curve"],
        )
    if "frontier" in extra:
        tables["frontier"] = extra["frontier"]
    if extra.get("worth"):
        from planner.report.commitments import worth_table

        tables["commitment_values"] = worth_table(extra["worth"], sol.extra["network"].probability)
    try:
        write_tables_xlsx(tables, work / "tables.xlsx")
    except OSError as exc:
        raise runfolder.output_error(exc, "--out") from None
    files: dict[str, Path] = {
        "solver_log": run_folder.final / "solver.log",
        "tables": run_folder.final / "tables.xlsx",
    }
    if tables_dir is not None:
        try:
            write_tables_files(tables, Path(tables_dir), tables_format)
        except OSError as exc:
            raise runfolder.output_error(exc, "--tables") from None
        files["tables_dir"] = Path(tables_dir)
    timings["write"] = time.perf_counter() - t

    try:
        from_folder = os.path.relpath(path.resolve(), run_folder.final.resolve())
    except ValueError:  # another drive (Windows)
        from_folder = None
    manifest: dict[str, Any] = {
        "status": "complete",
        "command": list(command) if command is not None else None,
        "input": {
            "file": str(path),
            "from_run_folder": from_folder,
            "sha256": data.sha256,
            "warnings": len(warnings),
        },
        "started_utc": started.isoformat(timespec="seconds"),
        "versions": versions(),
        "options": {
            "time_limit": opts.time_limit,
            "mip_gap": opts.mip_gap,
            "threads": opts.threads,
            "random_seed": opts.random_seed,
            "scenarios": list(opts.scenarios) if opts.scenarios else None,
            "worth": worth,
        },
        "settings": {
            k: (v if isinstance(v, (int, float, str, bool)) or v is None else str(v))
            for k, v in data.settings.items()
        },
        "result": {
            "status": sol.status,
            "proven_optimal": sol.proven_optimal,
            "objective": sol.objective,
            "bound": sol.bound,
            "gap": None if math.isinf(sol.gap) else sol.gap,
            "expected_cost": sol.expected_cost,
            "message": sol.message,
        },
        "scenarios": sol.scenarios.to_dict("records"),
        "seconds": {k: round(v, 4) for k, v in timings.items()},
        "files": {k: str(v) for k, v in files.items()},
    }
    if decomposition is not None:
        manifest["decomposition"] = decomposition
    if stochastic is not None:
        manifest["stochastic"] = {k: v for k, v in stochastic.items() if k != "per_scenario"}
    stage("report")
    t = time.perf_counter()
    files["report"] = run_folder.final / "report.xlsx"
    try:
        write_run_report(sol, work / "report.xlsx", stochastic=stochastic, manifest=manifest, extra=extra)
    except OSError as exc:
        raise runfolder.output_error(exc, "--out") from None
    timings["report"] = time.perf_counter() - t
    files["manifest"] = run_folder.final / "manifest.json"
    manifest["seconds"] = {k: round(v, 4) for k, v in timings.items()}
    manifest["files"] = {k: str(v) for k, v in files.items()}
    try:
        tmp = work / "manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, default=str))
        tmp.replace(work / "manifest.json")
        final = run_folder.finish()
    except OSError as exc:
        raise runfolder.output_error(exc, "--out") from None
    if final != files["manifest"].parent:  # a run of the same second took the name meanwhile
        files = {k: final / v.name if v.parent == files["manifest"].parent else v for k, v in files.items()}
        manifest["files"] = {k: str(v) for k, v in files.items()}
        (final / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str))
    return RunRecord(
        folder=final, manifest=manifest, solution=sol, files=files, stochastic=stochastic, extra=extra
    )


def commitment_values(sol: Solution, options: SolveOptions, largest: int = 3) -> list[dict[str, Any]]:
    """What the report's ``largest`` commitments (by cost) and its largest stock build-up are worth.

    Each is the plan re-solved without that commitment, every other here-and-now design held and
    everything else free to re-adapt (:func:`planner.model.sweeps.plan_without`, proven optimal; an
    unproven re-solve leaves the value blank with a note). Needs the solved model (``sol.extra["model"]``).
    """
    from planner.metrics import compute_metrics
    from planner.model.stochastic import design_values
    from planner.model.sweeps import plan_without
    from planner.report.commitments import commitments, worth_groups

    if "model" not in sol.extra:
        return []
    net = sol.extra["network"]
    groups = worth_groups(commitments(sol, net, compute_metrics(sol, net)), largest)
    if not groups:
        return []
    opts = replace(options, mip_gap=0.0, log_title="value of the report's commitments")
    return plan_without(net, design_values(sol.extra["model"]), groups, opts)


def write_run_report(
    sol: Solution,
    path: Path,
    stochastic: dict[str, Any] | None = None,
    manifest: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    force: bool = False,
) -> Path:
    """Assemble the manager report of a solution and write it (atomically; no overwrite unless ``force``).

    ``extra`` may hold resilience results (``stress``) and a cost-risk frontier (``frontier``),
    which add their sheets and charts.
    """
    from planner.io.report_writer import write_report
    from planner.report import build_report

    content = build_report(
        sol, sol.extra["network"], stochastic=stochastic, manifest=manifest, worth=(extra or {}).get("worth")
    )
    if extra:
        from planner.report import add_resilience

        add_resilience(content, stress=extra.get("stress"), frontier=extra.get("frontier"))
    return write_report(content, path, force=force)


__all__ = [
    "InputData",
    "Network",
    "RunRecord",
    "Solution",
    "SolveOptions",
    "build_model",
    "build_network",
    "check",
    "extract_solution",
    "read",
    "run",
    "solve",
    "solve_data",
    "stochastic_values",
    "stress",
    "frontier",
]


def compare(run_a: str | Path, run_b: str | Path, out: str | Path | None = None, force: bool = False) -> Path:
    """Write the comparison workbook of two run folders (B minus A); return its path.

    Sheets: Summary (cost with its solver-tolerance verdict, bound, gap, shortage), Decisions
    (what only A or only B decides, and what changed), Costs (expected cost by component),
    Scenarios, Shortages and Dependency (share of each origin country in each destination's
    receipts), see :mod:`planner.compare`. Neither run folder is written.
    """
    from planner.compare import compare_runs
    from planner.io.results_writer import write_tables_xlsx
    from planner.io.run_reader import read_run
    from planner.runfolder import output_error

    a, b = read_run(Path(run_a)), read_run(Path(run_b))
    target = Path(out) if out is not None else Path(f"compare-{a.name}-vs-{b.name}.xlsx")
    if target.suffix.lower() != ".xlsx":
        raise InputError(f"--out {target}: give a file name ending in .xlsx")
    if target.exists() and not force:
        raise InputError(f"--out {target} already exists; choose another name or add --force to replace it")
    try:
        write_tables_xlsx(compare_runs(a, b), target)
    except OSError as exc:
        raise output_error(exc, "--out") from exc
    return target


def _side_run(
    workbook: str | Path | None,
    out: str | Path,
    label: str,
    options: SolveOptions | None,
    command: list[str] | None,
    work: Callable[[InputData, SolveOptions], tuple[dict[str, Any], dict[str, Any], Any]],
    report: Callable[[Any, dict[str, Any], InputData], ReportContent] | None = None,
) -> tuple[Path, Any]:
    """A run folder ``<out>/<input stem>-<label>-<timestamp>`` for an analysis other than ``solve``:
    ``work(data, options)`` returns (tables, summary, result); the folder gets ``tables.xlsx``,
    ``<label>.json`` (summary, input, versions, options, command, files), ``solver.log`` and, with
    ``report(result, manifest, data)``, the manager report ``report.xlsx``. Written as a partial
    folder and renamed when complete."""
    from planner import runfolder
    from planner.io.report_writer import write_report
    from planner.io.results_writer import write_tables_xlsx

    started = datetime.now(UTC)
    path = Path(workbook) if workbook is not None else default_workbook()
    data = read(path)
    check(data)
    opts = resolve_options(options, data)
    runfolder.clean_stale(Path(out))
    try:
        folder = runfolder.start(Path(out), f"{path.stem}-{label}", started)
    except OSError as exc:
        raise runfolder.output_error(exc, "--out") from None
    folder_final = folder.final
    try:
        tables, summary, result = work(data, replace(opts, log_file=folder.work / "solver.log"))
        write_tables_xlsx(tables, folder.work / "tables.xlsx")
        manifest = {
            "status": "complete",
            "command": command,
            "input": {"file": str(path), "sha256": data.sha256},
            "started_utc": started.isoformat(timespec="seconds"),
            "versions": versions(),
            "options": {"mip_gap": opts.mip_gap, "time_limit": opts.time_limit, "threads": opts.threads},
            label: summary,
        }
        names = {"solver_log": "solver.log", "tables": "tables.xlsx", label: f"{label}.json"}
        if report is not None:
            write_report(report(result, manifest, data), folder.work / "report.xlsx")
            names["report"] = "report.xlsx"
        manifest["files"] = {k: str(folder.final / v) for k, v in names.items()}
        tmp = folder.work / f"{label}.json.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, default=str))
        tmp.replace(folder.work / f"{label}.json")
        final = folder.finish()
        if final != folder_final:  # a run of the same second took the name meanwhile
            manifest["files"] = {k: str(final / v) for k, v in names.items()}
            (final / f"{label}.json").write_text(json.dumps(manifest, indent=2, default=str))
    except OSError as exc:
        folder.discard()
        raise runfolder.output_error(exc, "--out") from None
    except BaseException:
        folder.discard()
        raise
    return final, result


def _report_units(data: InputData) -> dict[str, Any]:
    """The currency, mass unit and input path a sampled run's report names."""
    return {
        "currency": str(data.settings.get("currency") or "USD"),
        "mass_unit": str(data.settings.get("mass_unit") or "t"),
        "input_path": str(data.path) if data.path else None,
    }


def run_saa(
    workbook: str | Path | None,
    out: str | Path,
    sample: int,
    replications: int,
    evaluate: int,
    seed: int = 0,
    options: SolveOptions | None = None,
    command: list[str] | None = None,
) -> tuple[Path, Any]:
    """Sample-average approximation in a run folder of its own (:mod:`planner.saa`): ``saa.json``
    (estimates and intervals), ``tables.xlsx`` (summary, replications, evaluation, decisions),
    ``report.xlsx`` (the manager report, :func:`planner.report.saa_report.saa_report`) and
    ``solver.log``. Returns the folder and the :class:`planner.saa.SaaResult`."""
    import pandas as pd

    from planner.saa import saa

    def work(data: InputData, opts: SolveOptions) -> tuple[dict[str, Any], dict[str, Any], Any]:
        result = saa(data, sample, replications, evaluate, seed, opts)
        summary = result.summary()
        tables = {
            "summary": pd.DataFrame({"measure": list(summary), "value": [str(v) for v in summary.values()]}),
            "replications": result.table,
            "evaluation": result.evaluation,
            "decisions": result.decisions,
        }
        return tables, summary, result

    def report(result: Any, manifest: dict[str, Any], data: InputData) -> ReportContent:
        from planner.report.saa_report import saa_report

        return saa_report(result, manifest, **_report_units(data))

    return _side_run(workbook, out, "saa", options, command, work, report)


def run_replay(
    workbook: str | Path | None,
    out: str | Path,
    evaluate: int,
    seed: int = 0,
    options: SolveOptions | None = None,
    command: list[str] | None = None,
) -> tuple[Path, Any]:
    """Out-of-sample replay in a run folder of its own (:mod:`planner.replay`): ``replay.json``,
    ``tables.xlsx`` (summary per plan, outcome per draw), ``report.xlsx`` (the manager report,
    :func:`planner.report.sampled.replay_report`) and ``solver.log``."""
    from planner.replay import replay

    def work(data: InputData, opts: SolveOptions) -> tuple[dict[str, Any], dict[str, Any], Any]:
        result = replay(data, evaluate, seed, opts)
        summary = {
            "evaluate": evaluate,
            "seed": seed,
            "plans": result.summary.to_dict("records"),
        }
        return {"summary": result.summary, "outcomes": result.outcomes}, summary, result

    def report(result: Any, manifest: dict[str, Any], data: InputData) -> ReportContent:
        from planner.report.sampled import replay_report

        return replay_report(result, manifest, **_report_units(data))

    return _side_run(workbook, out, "replay", options, command, work, report)
