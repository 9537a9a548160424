"""The public pipeline: read -> validate -> network -> model -> solve -> solution.

Each stage is one function taking plain data from the previous one. ``solve_data``
and ``run`` chain them::

    import planner
    data = planner.read("inputs/example.xlsx")
    sol = planner.solve_data(data, planner.SolveOptions(time_limit=60))
    print(sol.objective, sol.costs.groupby("component")["cost"].sum())
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from planner.config import SolveOptions
from planner.errors import Issue
from planner.network import Network, build_network
from planner.solution import Solution
from planner.tables import InputData

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


def solve_data(
    data: InputData,
    options: SolveOptions | None = None,
    progress: Progress | None = None,
    validate: bool = True,
) -> Solution:
    """Validate, build and solve one workbook's data; return the solution tables.

    ``Solution.timings`` holds seconds per stage: validate, network, build,
    handoff (compile + pass to HiGHS), solve (HiGHS), load, extract.
    """
    opts = (options or SolveOptions()).resolved(data.settings)
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
    stage("build")
    t = time.perf_counter()
    model = build_model(net)
    timings["build"] = time.perf_counter() - t
    stage("solve")
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


__all__ = [
    "InputData",
    "Network",
    "Solution",
    "SolveOptions",
    "build_model",
    "build_network",
    "check",
    "extract_solution",
    "read",
    "solve",
    "solve_data",
]
