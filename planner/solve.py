"""Solve a built model with HiGHS: a standard-form compile, then one highspy passModel.

This route was measured fastest (performance-notes.md section 1): the hand-over
costs about as much as building the model, where the appsi/contrib interfaces
cost 4-10x more. The compile is planner's own (:mod:`planner.standard_form`), which gives
what Pyomo's ``LinearStandardFormCompiler`` gives, to the bit, in about 70% of its time.
The ``highspy.Highs`` object is kept on the result for re-solves, callbacks and IIS work.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import highspy
import numpy as np
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.common.gc_manager import PauseGC

from planner.config import SolveOptions
from planner.errors import HighsError, InfeasibleError, NonOptimalError, SolveError
from planner.highs_options import (
    HighsMessages,
    is_scheduler_clash,
    new_highs,
    prepare_scheduler,
    quiet_highs,
    reset_scheduler,
    set_option,
)
from planner.standard_form import compile_model

log = logging.getLogger(__name__)

ProgressFn = Callable[[dict[str, Any]], None]

HIGHS_DEFAULTS: dict[str, Any] = {}
"""Options planner sets on HiGHS unless SolveOptions.highs_options says otherwise: none today.

Up to HiGHS 1.15.1, presolve *probing* returned a wrong "optimal" 100,162.35 on the published
netdes instance network-10-30-L-09 (proven optimum 88,102.4), and planner switched it off
(``presolve_rule_off = 2**15``). HiGHS 1.16.0 solves all 60 netdes instances to their published
optima with probing on, with 1 and with 2 threads, so planner now requires highspy >= 1.16 and
leaves HiGHS's presolve as it is (tests/regression/test_netdes.py checks every release in CI).
"""


@dataclass
class SolveResult:
    """What the solver returned, in plain terms."""

    status: str  # optimal | feasible (stopped early with a plan)
    model_status: str  # HiGHS model status name
    objective: float
    bound: float
    gap: float
    proven_optimal: bool
    solver: str
    timings: dict[str, float] = field(default_factory=dict)
    node_count: int = 0
    message: str = ""
    highs: Any = None
    columns: list[Any] = field(default_factory=list)

    def summary(self) -> str:
        """One line for logs and the terminal."""
        flag = "" if self.proven_optimal else f" (not proven optimal, gap {self.gap:.2%})"
        return f"{self.status}: objective {self.objective:,.2f}, bound {self.bound:,.2f}{flag}"


def solver_version() -> str:
    """Version string of the HiGHS library in use."""
    return f"HiGHS {highspy.HIGHS_VERSION_MAJOR}.{highspy.HIGHS_VERSION_MINOR}.{highspy.HIGHS_VERSION_PATCH}"


def _check(status: Any, what: str, messages: HighsMessages, mark: int) -> None:
    """Raise :class:`HighsError` quoting HiGHS when ``status`` is an error."""
    if status == highspy.HighsStatus.kError:
        said = "; ".join(messages.since(mark)) or "HiGHS gave no reason"
        raise HighsError(f"HiGHS reported an error in {what}: {said}")


def _to_highs(info: Any) -> tuple[Any, list[Any]]:
    cols = info.columns
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    ncol, nrow = info.A.shape[1], info.A.shape[0]
    lp.num_col_ = ncol
    lp.num_row_ = nrow
    lp.col_cost_ = np.asarray(info.c.toarray()).ravel() if ncol else np.zeros(0)
    lp.offset_ = float(info.c_offset[0]) if len(info.c_offset) else 0.0
    lower, upper, integer = _column_bounds(cols)
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    bt = np.fromiter((r.bound_type for r in info.rows), np.int8, nrow)
    rhs = np.asarray(info.rhs, dtype=float)
    lp.row_lower_ = np.where(bt == 1, -inf, rhs)
    lp.row_upper_ = np.where(bt == -1, inf, rhs)
    a = info.A.tocsc()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    if integer.any():
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[i] for i in integer.tolist()]
    return lp, cols


def _column_bounds(cols: list[Any]) -> tuple[Any, Any, Any]:
    """Lower and upper bounds (+-kHighsInf where none) and integrality of the columns, as arrays.

    ``Var.bounds`` reads the domain's bounds once for both sides (``lb`` and ``ub`` read them once
    each; a bound is never NaN, Pyomo refuses one), and integrality depends on the domain alone, so
    it is worked out once per distinct domain.
    """
    inf = highspy.kHighsInf
    with PauseGC():  # lists of ncol new objects would set off collections of the whole model
        both = [v.bounds for v in cols]
        domains = [v.domain for v in cols]
    lower = np.array([lb for lb, _ub in both], dtype=float)  # None (no bound) becomes NaN
    upper = np.array([ub for _lb, ub in both], dtype=float)
    lower[np.isnan(lower)] = -inf
    upper[np.isnan(upper)] = inf
    integer_of: dict[int, bool] = {}
    for v, d in zip(cols, domains, strict=True):
        if id(d) not in integer_of:
            integer_of[id(d)] = v.is_integer() or v.is_binary()
    integer = np.array([integer_of[id(d)] for d in domains], dtype=bool)
    return lower, upper, integer


def _set_options(h: Any, messages: HighsMessages, opts: SolveOptions) -> None:
    """Every option planner sets, each checked: a refused option is a :class:`HighsError`."""
    wanted: dict[str, Any] = {}
    if opts.log_file:
        wanted["log_file"] = str(opts.log_file)
    if opts.time_limit is not None and opts.time_limit > 0:
        wanted["time_limit"] = float(opts.time_limit)
    if opts.mip_gap is not None:
        wanted["mip_rel_gap"] = float(opts.mip_gap)
    if opts.threads:
        wanted["threads"] = int(opts.threads)
    if opts.random_seed is not None:
        wanted["random_seed"] = int(opts.random_seed)
    wanted.update({**HIGHS_DEFAULTS, **opts.highs_options})
    for name, value in wanted.items():
        try:
            set_option(h, messages, name, value)
        except ValueError as exc:
            raise HighsError(str(exc)) from None


def _attach_progress(h: Any, progress: ProgressFn | None) -> None:
    """Report each new plan and, about once a second, the search's cost and bound to ``progress``.

    With HiGHS's ``user_objective_scale`` option set to k, the callbacks see the cost times 2^k;
    the reports undo that, so they are in the workbook's currency like the final result.
    """
    if progress is None:
        return
    last = [0.0]
    unscale = 2.0 ** -int(h.getOptionValue("user_objective_scale")[1])

    def improving(e: Any) -> None:
        d = e.data_out
        progress(
            {
                "event": "incumbent",
                "time": d.running_time,
                "objective": d.objective_function_value * unscale,
                "bound": d.mip_dual_bound * unscale,
                "gap": d.mip_gap,
            }
        )

    def interrupt(e: Any) -> None:
        d = e.data_out
        if d.running_time - last[0] >= 1.0:
            last[0] = d.running_time
            progress(
                {
                    "event": "progress",
                    "time": d.running_time,
                    "objective": d.mip_primal_bound * unscale,
                    "bound": d.mip_dual_bound * unscale,
                    "gap": d.mip_gap,
                    "nodes": d.mip_node_count,
                }
            )

    h.cbMipImprovingSolution.subscribe(improving)
    h.cbMipInterrupt.subscribe(interrupt)


_IIS_SIDE = {
    int(highspy.IisBoundStatus.kIisBoundStatusLower): "lower",
    int(highspy.IisBoundStatus.kIisBoundStatusUpper): "upper",
    int(highspy.IisBoundStatus.kIisBoundStatusBoxed): "both",
    int(highspy.IisBoundStatus.kIisBoundStatusFree): "free",
}
"""HiGHS's IIS bound status -> the bound of a row or column that binds."""


def _iis(lp: Any, opts: SolveOptions) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(row, bound status) and (column, bound status) of an irreducible infeasible subset of the LP relaxation.

    The bound status (``IisBoundStatus``: lower, upper, boxed) says which bound of the row or
    column is part of the conflict."""
    relaxed = quiet_highs()
    relaxed.setOptionValue("output_flag", False)
    if len(lp.integrality_):
        lp.integrality_ = [highspy.HighsVarType.kContinuous] * lp.num_col_
    relaxed.passModel(lp)
    relaxed.setOptionValue("time_limit", max(10.0, min(120.0, float(opts.time_limit or 60.0))))
    relaxed.run()
    if relaxed.getModelStatus() != highspy.HighsModelStatus.kInfeasible:
        return [], []
    relaxed.setOptionValue("iis_strategy", 6)
    status, iis = relaxed.getIis()
    if status == highspy.HighsStatus.kError or not iis.valid_:
        relaxed.setOptionValue("iis_strategy", 2)
        status, iis = relaxed.getIis()
        if status == highspy.HighsStatus.kError:
            return [], []
    rows = list(zip(iis.row_index_, _statuses(iis.row_bound_, len(iis.row_index_)), strict=True))
    cols = list(zip(iis.col_index_, _statuses(iis.col_bound_, len(iis.col_index_)), strict=True))
    return rows, cols


def _statuses(bounds: Any, n: int) -> list[int]:
    """IIS bound statuses as ints, padded with "unknown" (-2) when HiGHS gives fewer than members."""
    out = [int(b) for b in list(bounds)[:n]]
    return out + [-2] * (n - len(out))


class HighsModel:
    """A Pyomo model handed to HiGHS once, kept for re-solves.

    ``set_costs`` changes objective coefficients and ``refresh_rows`` re-reads constraints
    whose coefficients or bounds changed (e.g. mutable Params in a sweep); ``run`` solves,
    warm-started from the previous solution, and loads the values into the Pyomo model.
    """

    def __init__(self, m: Any, opts: SolveOptions, progress: ProgressFn | None = None) -> None:
        t0 = time.perf_counter()
        try:
            info = compile_model(m)
        except InfeasibleConstraintException as exc:
            raise InfeasibleError(f"the model has a constraint that can never hold: {exc}") from None
        self.model = m
        self.opts = opts
        self.info = info
        self.lp, self.cols = _to_highs(info)
        self.highs, self.messages = new_highs(echo=opts.echo_log)
        _set_options(self.highs, self.messages, opts)
        mark = len(self.messages.lines)
        if self.highs.passModel(self.lp) == highspy.HighsStatus.kError:
            said = "; ".join(self.messages.since(mark)) or "no reason given"
            raise SolveError(f"HiGHS refused the model (an infinite or invalid coefficient): {said}")
        _attach_progress(self.highs, progress)
        self.is_mip = len(self.lp.integrality_) > 0
        self.runs = 0
        self.title = ""
        """What the next ``run`` solves, for the solver log (a sweep sets it per point)."""
        self.handoff_seconds = time.perf_counter() - t0

    @cached_property
    def col_of(self) -> dict[int, int]:
        """Column of each variable, by ``id``: made when a re-solve first changes the model (a
        dict of every column costs about a second at 645k variables, which a single solve never needs)."""
        return {id(v): j for j, v in enumerate(self.cols)}

    @cached_property
    def rows_of(self) -> dict[int, list[tuple[int, int]]]:
        """Rows (index, bound type) of each constraint, by ``id``: made when first needed, as :attr:`col_of`."""
        rows: dict[int, list[tuple[int, int]]] = {}
        for i, row in enumerate(self.info.rows):
            rows.setdefault(id(row.constraint), []).append((i, int(row.bound_type)))
        return rows

    @cached_property
    def row_cols(self) -> Any:
        """The matrix by rows (scipy CSR), for :meth:`refresh_rows`: made when first needed."""
        return self.info.A.tocsr()

    # ------------------------------------------------------------------ changes
    def set_costs(self, coefs: dict[Any, float]) -> None:
        """Set the objective coefficient of each variable in ``coefs``."""
        for var, c in coefs.items():
            j = self.col_of.get(id(var))
            if j is None:
                raise SolveError(f"variable {var.name} is not in the solver model")
            mark = len(self.messages.lines)
            _check(
                self.highs.changeColCost(j, float(c)), f"changing the cost of {var.name}", self.messages, mark
            )

    def refresh_rows(self, constraints: Any) -> None:
        """Re-read the coefficients and bounds of these Pyomo constraints into HiGHS."""
        from pyomo.repn import generate_standard_repn

        inf = highspy.kHighsInf
        mark = len(self.messages.lines)
        for con in constraints:
            repn = generate_standard_repn(con.body, compute_values=True)
            new: dict[int, float] = {}
            for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True):
                j = self.col_of.get(id(v))
                if j is None:
                    raise SolveError(f"{con.name} now uses {v.name}, which the solver model does not have")
                new[j] = new.get(j, 0.0) + float(c)
            const = float(repn.constant)
            lb = -highspy.kHighsInf if con.lb is None else float(con.lb) - const
            ub = highspy.kHighsInf if con.ub is None else float(con.ub) - const
            for i, bound_type in self.rows_of.get(id(con), []):
                old = self.row_cols.indices[self.row_cols.indptr[i] : self.row_cols.indptr[i + 1]]
                statuses = [self.highs.changeCoeff(i, int(j), 0.0) for j in old if int(j) not in new]
                statuses += [self.highs.changeCoeff(i, j, c) for j, c in new.items()]
                if bound_type == 0:
                    statuses.append(self.highs.changeRowBounds(i, ub, ub))
                elif bound_type == 1:
                    statuses.append(self.highs.changeRowBounds(i, -inf, ub))
                else:
                    statuses.append(self.highs.changeRowBounds(i, lb, inf))
                for status in statuses:
                    _check(status, f"updating row {con.name}", self.messages, mark)

    # ------------------------------------------------------------------ solve
    def run(
        self, explain: Callable[[list[tuple[str, Any, str, float | None]]], list[str]] | None = None
    ) -> SolveResult:
        """Solve (warm-started after the first run) and load the values; see :func:`solve_model`."""
        h = self.highs
        timings: dict[str, float] = {"handoff": self.handoff_seconds if self.runs == 0 else 0.0}
        if self.runs > 0 and self.is_mip:
            previous = h.getSolution()
            if previous.value_valid:
                start = highspy.HighsSolution()
                start.col_value = previous.col_value
                start.value_valid = True
                mark = len(self.messages.lines)
                _check(h.setSolution(start), "passing the warm start", self.messages, mark)
        self.runs += 1
        self._log_title()
        t1 = time.perf_counter()
        self._run_highs()
        timings["solve"] = time.perf_counter() - t1
        status = h.getModelStatus()
        hinfo = h.getInfo()
        name = h.modelStatusToString(status)

        if status == highspy.HighsModelStatus.kUnboundedOrInfeasible:
            set_option(h, self.messages, "presolve", "off")
            self._run_highs()
            set_option(h, self.messages, "presolve", "choose")
            status = h.getModelStatus()
            hinfo = h.getInfo()
            name = h.modelStatusToString(status)

        if status == highspy.HighsModelStatus.kInfeasible:
            self._raise_infeasible(explain)
        if status == highspy.HighsModelStatus.kUnbounded:
            raise SolveError(
                "the cost can be made arbitrarily low (unbounded): check that end_value_share does not "
                "credit stock above its purchase price where contracts and storage are unlimited"
            )
        has_solution = hinfo.primal_solution_status == 2
        if status != highspy.HighsModelStatus.kOptimal and not has_solution:
            raise NonOptimalError(
                f"the solver stopped ({name}) after {timings['solve']:.1f} s without finding any feasible plan; "
                "raise the time limit (--time-limit) or simplify the workbook"
            )

        t2 = time.perf_counter()
        x = h.getSolution().col_value
        for v, val in zip(self.cols, x, strict=True):
            v.set_value(val, skip_validation=True)
        # variables the compiler dropped (in no row and not in the objective) take their lower bound
        for comp_var in _all_vars(self.model):
            if comp_var.value is None:
                comp_var.set_value(comp_var.lb if comp_var.lb is not None else 0.0, skip_validation=True)
        timings["load"] = time.perf_counter() - t2

        empty = status == highspy.HighsModelStatus.kModelEmpty
        objective = float(self.lp.offset_) if empty else float(h.getObjectiveValue())
        if self.is_mip:
            bound = float(hinfo.mip_dual_bound)
            gap = float(hinfo.mip_gap) if math.isfinite(hinfo.mip_gap) else math.inf
        else:
            bound = objective
            gap = 0.0
        proven = status == highspy.HighsModelStatus.kOptimal
        return SolveResult(
            status="optimal" if proven else "feasible",
            model_status=name,
            objective=objective,
            bound=bound,
            gap=gap,
            proven_optimal=proven,
            solver=solver_version(),
            timings=timings,
            node_count=int(getattr(hinfo, "mip_node_count", 0) or 0),
            message="" if proven else f"not proven optimal: stopped by {name}, gap {gap:.2%}",
            highs=h,
            columns=list(self.cols),
        )

    def _log_title(self) -> None:
        """Name this solve (``title``, else ``SolveOptions.log_title``) in the solver log and the logger."""
        title = self.title or self.opts.log_title
        if not title:
            return
        log.info("solve: %s", title)
        if self.opts.log_file:
            try:
                with open(self.opts.log_file, "a", encoding="utf-8") as f:
                    f.write(f"{chr(10) if f.tell() else ''}==== planner: {title} ====\n")
            except OSError:
                pass  # HiGHS reports an unwritable log file itself

    def _run_highs(self) -> None:
        """``Highs.run`` with the scheduler matched to this solve's threads; an error is an error.

        If other code in the process set up HiGHS's scheduler behind planner's back (the
        message names the scheduler), reset it and run once more.
        """
        self._apply_deadline()
        threads = int(self.opts.threads or 0)
        prepare_scheduler(threads)
        mark = len(self.messages.lines)
        status = self.highs.run()
        if status == highspy.HighsStatus.kError and is_scheduler_clash(self.messages.since(mark)):
            reset_scheduler()
            prepare_scheduler(threads)
            mark = len(self.messages.lines)
            status = self.highs.run()
        _check(status, "the solve", self.messages, mark)

    def _apply_deadline(self) -> None:
        """With a run deadline (``SolveOptions.deadline``), give HiGHS only the time that is left."""
        deadline = self.opts.deadline
        if deadline is None:
            return
        left = deadline - time.perf_counter()
        if left <= 0:
            raise NonOptimalError(
                f"the time limit of {float(self.opts.time_limit or 0):g} s (for the whole run) was used up "
                "before this solve could start; raise --time-limit (or the Settings time_limit), 0 meaning no limit"
            )
        _, current = self.highs.getOptionValue("time_limit")  # a tighter limit already set stays
        try:
            set_option(self.highs, self.messages, "time_limit", min(left, float(current)))
        except ValueError as exc:
            raise HighsError(str(exc)) from None

    def _raise_infeasible(
        self, explain: Callable[[list[tuple[str, Any, str, float | None]]], list[str]] | None
    ) -> None:
        rows, icols = _iis(self.lp, self.opts)
        members: list[tuple[str, Any, str, float | None]] = []
        for r, st in rows:
            con = self.info.rows[r].constraint
            members.append((con.parent_component().name, con.index(), _IIS_SIDE.get(st, "row"), None))
        for c, st in icols:
            v = self.cols[c]
            side = _IIS_SIDE.get(st, "bound")
            lower, upper = float(self.lp.col_lower_[c]), float(self.lp.col_upper_[c])
            value = lower if side == "lower" else upper if side in ("upper", "both") else None
            members.append((v.parent_component().name, v.index(), side, value))
        lines = explain(members) if explain else [f"{c}[{i}] ({s})" for c, i, s, _v in members]
        raise InfeasibleError(
            "no plan satisfies every hard constraint of the workbook; these rows conflict"
            if lines
            else "no plan satisfies every hard constraint of the workbook",
            lines,
        )


def solve_model(
    m: Any,
    opts: SolveOptions,
    progress: ProgressFn | None = None,
    explain: Callable[[list[tuple[str, Any, str, float | None]]], list[str]] | None = None,
) -> SolveResult:
    """Hand the model to HiGHS, solve, load the values back, and report.

    Raises :class:`InfeasibleError` (with an explanation from ``explain`` of the
    IIS members as ``(component, index, side)``) or :class:`NonOptimalError` when
    there is no plan to return.
    """
    return HighsModel(m, opts, progress).run(explain)


def _all_vars(m: Any) -> Any:
    from pyomo.environ import Var

    yield from m.component_data_objects(Var, descend_into=True)
