"""``planner solve --decompose ph``: progressive hedging over MPI, then the usual run folder.

Run it under MPI, every rank running the same command::

    mpiexec -n 3 planner solve WORKBOOK --decompose ph

Every rank reads and checks the workbook and takes part in mpi-sppy's hub and spokes
(:mod:`planner.model.ph`). Rank 0 then fixes the first stage at the best xhat that PH's upper-bound
spoke found and solves the extensive form for the rest (every scenario's recourse), which gives
the plan, tables, report and manifest of an ordinary ``planner solve``; the manifest's
``decomposition`` entry holds the bounds PH proved, the relative gap, the iterations, the seconds
and the first-stage decisions of the best xhat. The other ranks write nothing.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from pathlib import Path
from typing import Any

from planner.config import SolveOptions
from planner.errors import InputError, NonOptimalError

METHODS = ("ph",)
"""The decompositions ``planner solve --decompose`` knows."""


def launcher_rank() -> int:
    """This process's MPI rank as the launcher (mpiexec) set it in the environment; 0 without one.

    Known before MPI is initialised, so that only rank 0 reports an error every rank finds alike
    (a bad option, a workbook error)."""
    for name in ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"):
        value = os.environ.get(name, "")
        if value.isdigit():
            return int(value)
    return 0


def _comm() -> Any:
    try:
        from mpi4py import MPI
    except ImportError:
        raise InputError(
            "--decompose ph needs MPI for Python (mpi4py and an MPI library): "
            "pip install 'planner[mpi]', then run it as: mpiexec -n 2 planner solve WORKBOOK --decompose ph"
        ) from None
    return MPI.COMM_WORLD


def _first_stage_json(values: dict[tuple[str, Any], float]) -> dict[str, float]:
    from planner.model.stochastic import design_key

    return {f"{name}[{design_key(index)}]": value for (name, index), value in sorted(values.items(), key=str)}


def solve_ph(
    workbook: str | Path | None = None,
    out: str | Path = "reports",
    options: SolveOptions | None = None,
    progress: Any = None,
    max_iterations: int = 50,
    rho: float | None = None,
    tables_dir: str | Path | None = None,
    tables_format: str = "csv",
    report: str | Path | None = None,
    force: bool = False,
    command: list[str] | None = None,
    quiet: bool = False,
) -> Any:
    """Progressive hedging on every MPI rank; rank 0 writes the run folder and returns its RunRecord.

    Other ranks return None. The time limit (``options`` or Settings) bounds PH; the evaluation
    of the best xhat on rank 0 gets the same limit again. PH solves the risk-neutral problem,
    so a workbook with ``risk_weight`` above 0 is refused. A three-stage tree (Settings.reveal_period_2
    with Scenarios stage1_group) runs PH over its nodes (mpi-sppy's ``all_nodenames``); the plan is
    the extensive form with the root's decisions fixed at the best xhat's. An error inside PH
    on any rank aborts every rank (``MPI_Abort``), so that no rank waits for ever for the others.
    ``quiet`` silences mpi-sppy's iteration trace (printed by rank 0).
    """
    from planner.api import check, check_outputs, default_workbook, read, resolve_options, run
    from planner.network import build_network

    if max_iterations < 1:
        raise InputError("--ph-iterations must be at least 1")
    if rho is not None and not (math.isfinite(rho) and rho > 0):
        raise InputError(f"--ph-rho must be a positive number, not {rho}")
    path = Path(workbook) if workbook is not None else default_workbook()
    check_outputs(path, out, report, force, tables_dir, tables_format, None)
    data = read(path)
    check(data)
    opts = resolve_options(options, data)
    net = build_network(data, scenarios=list(opts.scenarios) if opts.scenarios else None)
    weight = float(net.settings["risk_weight"])
    if weight > 0:
        raise InputError(
            f"--decompose ph solves the risk-neutral problem, but the workbook's Settings risk_weight is "
            f"{weight:g}: CVaR couples the scenarios, which PH keeps apart; set risk_weight to 0 or solve "
            "without --decompose"
        )
    comm = _comm()
    rank = comm.Get_rank()
    from planner.model.ph import PHSettings, cylinders_for, run_ph

    try:
        cylinders_for(comm.Get_size())
    except ValueError as exc:
        raise InputError(str(exc)) from None
    settings = PHSettings(
        max_iterations=max_iterations,
        time_limit=float(opts.time_limit) if opts.time_limit else None,
        rel_gap=float(opts.mip_gap) if opts.mip_gap is not None else 1e-4,
        default_rho=rho,
        subproblem_gap=float(opts.mip_gap) if opts.mip_gap is not None else 1e-4,
        threads=opts.threads,
    )
    if rank == 0 and progress:
        progress({"event": "stage", "stage": f"progressive hedging on {comm.Get_size()} MPI ranks"})
    try:
        with (
            open(os.devnull, "w") as devnull,
            contextlib.redirect_stdout(devnull) if quiet else contextlib.nullcontext(),
        ):
            result = run_ph(net, settings, comm)
    except Exception as exc:  # one rank failing would leave the others waiting: stop them all
        if comm.Get_size() > 1:
            sys.stderr.write(f"error on MPI rank {rank}: {type(exc).__name__}: {exc}\n")
            sys.stderr.flush()
            comm.Abort(70)
        raise
    if not result.is_root:
        return None
    if not result.first_stage:
        raise NonOptimalError(
            f"progressive hedging found no feasible first stage (no upper bound) in {result.iterations} "
            "iterations; raise --ph-iterations or --time-limit"
        )
    decomposition: dict[str, Any] = {
        "method": "ph",
        "mpi_ranks": result.ranks,
        "cylinders": result.cylinders,
        "lower_bound": result.lower_bound if math.isfinite(result.lower_bound) else None,
        "upper_bound": result.upper_bound if math.isfinite(result.upper_bound) else None,
        "gap": None if math.isinf(result.gap) else result.gap,
        "iterations": result.iterations,
        "seconds": round(result.seconds, 4),
        "settings": {
            "max_iterations": settings.max_iterations,
            "time_limit": settings.time_limit,
            "rel_gap": settings.rel_gap,
            "rho": result.rho,
            "subproblem_gap": settings.subproblem_gap,
            "threads": settings.threads,
        },
        "note": "lower_bound and upper_bound are what PH's cylinders proved for the risk-neutral "
        "expected cost; the plan (result) is the extensive form with the first stage fixed at the "
        "best xhat (first_stage), so its objective matches upper_bound up to the MIP gaps",
        "first_stage": _first_stage_json(result.first_stage),
    }
    return run(
        path,
        out=out,
        options=options,
        progress=progress,
        tables_dir=tables_dir,
        tables_format=tables_format,
        report=report,
        force=force,
        command=command,
        first_stage=result.first_stage,
        decomposition=decomposition,
    )


__all__ = ["METHODS", "launcher_rank", "solve_ph"]
