"""The ``planner`` command line (Typer). Each command calls one library function.

Exit codes: 0 success; 1 warnings only, with ``--strict``; 2 input errors
(:class:`~planner.errors.InputError`); 3 solve errors; 70 internal error (HiGHS
reporting an error included: :class:`~planner.errors.HighsError`). No
command ever shows a Python traceback unless ``PLANNER_DEBUG=1`` is set.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from planner import __version__
from planner.config import MAX_SEED, MAX_THREADS
from planner.errors import InputError, Issue, PlannerError
from planner.schema import TABLES


class _FlagsWithoutMetavar:
    """Flags (--quiet, --force, --help ...) take no value: show no ``<bool>`` type in --help."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        return params


class _Command(_FlagsWithoutMetavar, TyperCommand):
    pass


class _Group(_FlagsWithoutMetavar, TyperGroup):
    pass


_ARGV: list[str] | None = None
"""The arguments main() was called with (recorded in the run manifest)."""

app = typer.Typer(
    cls=_Group,
    name="planner",
    help="Rare-earth magnet supply-chain planning under export-licence risk.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

INTERNAL_ERROR_EXIT = 70
_SHEET_ORDER = {"": -1, **{t.name: i for i, t in enumerate(TABLES)}}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planner {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show the solver's raw names in infeasibility explanations and the traceback of an "
            "internal error (as PLANNER_DEBUG=1 does). Give it before the command: planner --debug solve ...",
        ),
    ] = False,
) -> None:
    """Plan rare-earth magnet supply chains from an Excel workbook."""
    from planner import diagnose

    diagnose.DEBUG = debug


# ---------------------------------------------------------------------------------------------
# presentation of issues


def format_issue(issue: Issue) -> str:
    """``ERROR  Lanes row 7, column 'origin' (value: 'X'): message``."""
    value = "" if issue.value is None or issue.value == "" else f" (value: {issue.value!r})"
    return f"{issue.severity.upper():<6} {issue.location()}{value}: {issue.message}"


def sort_issues(issues: list[Issue]) -> list[Issue]:
    """Group by sheet (workbook first, then schema order) and sort by row within a sheet."""
    return sorted(
        issues,
        key=lambda i: (
            _SHEET_ORDER.get(i.sheet, len(_SHEET_ORDER)),
            i.sheet,
            -1 if i.row is None else i.row,
            i.column or "",
        ),
    )


def _print_issues(issues: list[Issue], where: str) -> None:
    from planner.validate import summary

    for issue in sort_issues(issues):
        colour = typer.colors.RED if issue.severity == "error" else typer.colors.YELLOW
        typer.secho(format_issue(issue), fg=colour)
    typer.echo(summary(issues, where))


# ---------------------------------------------------------------------------------------------
# commands


@app.command(cls=_Command)
def template(
    path: Annotated[Path, typer.Argument(help="Workbook to create (.xlsx).")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write an empty, documented input workbook."""
    from planner.io.template import write_template

    write_template(path, force=force)
    typer.echo(f"wrote template {path}")


@app.command(cls=_Command)
def validate(
    path: Annotated[Path, typer.Argument(help="Input workbook (.xlsx).")],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as failures (exit 1).")] = False,
    max_bytes: Annotated[
        int | None, typer.Option("--max-bytes", help="Largest file accepted, in bytes.")
    ] = None,
    max_rows: Annotated[
        int | None, typer.Option("--max-rows", help="Most data rows accepted per sheet.")
    ] = None,
) -> None:
    """Check a workbook and list every problem at once."""
    from planner.validate import exit_status, validate_workbook

    try:
        issues = validate_workbook(path, max_bytes=max_bytes, max_rows=max_rows)
    except InputError as exc:  # the file cannot be read at all: one located line
        issues = exc.issues or [Issue("error", "", None, None, None, str(exc))]
    _print_issues(issues, str(path))
    raise typer.Exit(exit_status(issues, strict=strict))


class _Progress:
    """Stage lines and MIP progress on the terminal, with the elapsed time."""

    def __init__(self, quiet: bool) -> None:
        import time

        from rich.console import Console

        self.console = Console(highlight=False)
        self.quiet = quiet
        self.t0 = time.perf_counter()
        self._clock = time.perf_counter

    def __call__(self, event: dict[str, object]) -> None:
        if self.quiet:
            return
        elapsed = self._clock() - self.t0
        kind = event.get("event")
        if kind == "stage":
            self.console.print(f"[dim]{elapsed:7.1f}s[/dim]  {event['stage']}")
        elif kind == "warnings":
            count = int(event["count"])  # type: ignore[call-overload]
            self.console.print(
                f"[yellow]{count} warning{'s' if count != 1 else ''} in the workbook; "
                "`planner validate WORKBOOK` lists them all. First:[/yellow]"
            )
            for line in event["first"]:  # type: ignore[attr-defined]
                self.console.print(f"  {line}", soft_wrap=True)
        elif kind == "cleaned":
            folders = event["folders"]
            assert isinstance(folders, list)
            self.console.print(
                f"[dim]removed {len(folders)} incomplete run folder{'s' if len(folders) != 1 else ''} "
                "left by runs that were stopped[/dim]"
            )
        elif kind in ("incumbent", "progress"):
            gap = event.get("gap")
            gap_text = f"{float(gap):.2%}" if isinstance(gap, float) and gap < 1e6 else "-"
            label = "new plan" if kind == "incumbent" else "searching"
            cost, bound = float(event["objective"]), float(event["bound"])  # type: ignore[arg-type]
            cost_text = f"cost {cost:,.0f}" if math.isfinite(cost) else "no plan yet"
            bound_text = f"bound {bound:,.0f}" if math.isfinite(bound) else "no bound yet"
            self.console.print(
                f"[dim]{elapsed:7.1f}s[/dim]    {label:<9} {cost_text}  {bound_text}  gap {gap_text}"
            )


WorkbookArg = Annotated[
    Path | None, typer.Argument(help="Input workbook (.xlsx); default: the example network.")
]
OutOpt = Annotated[Path, typer.Option("--out", help="Folder for run folders.")]
TimeLimitOpt = Annotated[
    float | None,
    typer.Option(
        "--time-limit",
        help="Seconds for the whole run: reading, checking, building and every solve; 0 = no limit "
        "(default: Settings time_limit).",
    ),
]
GapOpt = Annotated[
    float | None,
    typer.Option("--gap", help="Relative MIP gap, at least 0 and below 1, e.g. 0.005 (default: Settings)."),
]
ThreadsOpt = Annotated[
    int | None, typer.Option("--threads", help=f"Solver threads, 0 (automatic) to {MAX_THREADS}.")
]
SeedOpt = Annotated[int | None, typer.Option("--seed", help=f"Solver random seed, 0 to {MAX_SEED}.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary.")]
ScenariosOpt = Annotated[
    str | None, typer.Option("--scenarios", help="Comma-separated subset of scenarios to solve.")
]
TablesOpt = Annotated[
    Path | None, typer.Option("--tables", help="Also write every solution table to this folder.")
]
TablesFormatOpt = Annotated[str, typer.Option("--tables-format", help="csv or parquet.")]
ReportOpt = Annotated[
    Path | None, typer.Option("--report", help="Also write the manager report to this .xlsx path.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing --report file.")]
HighsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--highs-option",
        help="A HiGHS option as NAME=VALUE (repeatable), e.g. presolve=off; overrides the workbook's highs_ rows.",
    ),
]


def _solve_options(
    time_limit: float | None,
    gap: float | None,
    threads: int | None,
    seed: int | None,
    highs: list[str] | None,
    **more: Any,
) -> Any:
    """SolveOptions from the command line, every value checked before anything is read or solved."""
    from planner.config import SolveOptions, option_problems
    from planner.highs_options import check_option

    problems = option_problems(
        {"time_limit": time_limit, "mip_gap": gap, "threads": threads, "random_seed": seed}
    )
    extra: dict[str, str] = {}
    for item in highs or []:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            problems.append(f"--highs-option takes NAME=VALUE (e.g. presolve=off), not {item!r}")
            continue
        why = check_option(name, value)
        if why:
            problems.append(f"--highs-option {item}: {why}")
            continue
        extra[name] = value
    if problems:
        raise InputError(
            "invalid command-line options",
            [Issue("error", "command line", None, None, None, p) for p in problems],
        )
    return SolveOptions(
        time_limit=time_limit, mip_gap=gap, threads=threads, random_seed=seed, highs_options=extra, **more
    )


def _scenario_list(scenarios: str | None) -> tuple[str, ...] | None:
    return tuple(s.strip() for s in scenarios.split(",") if s.strip()) if scenarios else None


def _command() -> list[str]:
    """The command line as the user typed it (for the manifest)."""
    return ["planner", *(_ARGV if _ARGV is not None else sys.argv[1:])]


@app.command(cls=_Command)
def solve(
    workbook: WorkbookArg = None,
    out: OutOpt = Path("reports"),
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    threads: ThreadsOpt = None,
    seed: SeedOpt = None,
    scenarios: ScenariosOpt = None,
    tables: TablesOpt = None,
    tables_format: TablesFormatOpt = "csv",
    vss: Annotated[
        bool,
        typer.Option("--vss", help="Also compute the expected-value plan, wait-and-see bound, VSS and EVPI."),
    ] = False,
    solver_log: Annotated[bool, typer.Option("--solver-log", help="Echo the HiGHS log.")] = False,
    quiet: QuietOpt = False,
    report: ReportOpt = None,
    force: ForceOpt = False,
    highs_option: HighsOpt = None,
    worth: Annotated[
        int,
        typer.Option(
            "--worth",
            help="Value the report's N largest commitments and its largest stock build-up: the plan "
            "re-solved without each, the rest of its design held (0 = off; each value is one more LP solve).",
        ),
    ] = 0,
    decompose: Annotated[
        str | None,
        typer.Option(
            "--decompose",
            help="ph: progressive hedging with mpi-sppy's hub and spokes, run under MPI "
            "(mpiexec -n 2 or more planner solve ... --decompose ph); the plan is the extensive form "
            "with the first stage fixed at PH's best xhat, the manifest holds PH's bounds.",
        ),
    ] = None,
    ph_iterations: Annotated[
        int, typer.Option("--ph-iterations", help="With --decompose ph: most PH iterations.")
    ] = 50,
    ph_rho: Annotated[
        float | None,
        typer.Option(
            "--ph-rho",
            help="With --decompose ph: PH's penalty rho (default: 1e-3 of the largest first-stage cost).",
        ),
    ] = None,
) -> None:
    """Read, validate, build and solve a workbook; write the run folder (report, tables, log, manifest)."""
    from planner.api import run

    options = _solve_options(
        time_limit, gap, threads, seed, highs_option, echo_log=solver_log, scenarios=_scenario_list(scenarios)
    )
    if decompose is not None:
        _solve_decomposed(
            decompose,
            workbook,
            out,
            options,
            quiet,
            ph_iterations,
            ph_rho,
            vss=vss,
            tables=tables,
            tables_format=tables_format,
            report=report,
            force=force,
        )
        return
    progress = _Progress(quiet)
    record = run(
        workbook,
        report=report,
        force=force,
        out=out,
        options=options,
        progress=progress,
        tables_dir=tables,
        tables_format=tables_format,
        vss=vss,
        command=_command(),
        worth=worth,
    )
    _print_summary(record, progress)


def _solve_decomposed(
    method: str,
    workbook: Path | None,
    out: Path,
    options: Any,
    quiet: bool,
    ph_iterations: int,
    ph_rho: float | None,
    vss: bool,
    tables: Path | None,
    tables_format: str,
    report: Path | None,
    force: bool,
) -> None:
    """``planner solve --decompose ph`` on one MPI rank: rank 0 prints the summary, the others nothing."""
    from planner.decompose import launcher_rank

    try:
        _solve_ph(
            method,
            workbook,
            out,
            options,
            quiet,
            ph_iterations,
            ph_rho,
            vss,
            tables,
            tables_format,
            report,
            force,
        )
    except PlannerError as exc:
        if launcher_rank() != 0:  # every rank finds the same error: rank 0 alone reports it
            raise typer.Exit(exc.exit_code) from None
        raise


def _solve_ph(
    method: str,
    workbook: Path | None,
    out: Path,
    options: Any,
    quiet: bool,
    ph_iterations: int,
    ph_rho: float | None,
    vss: bool,
    tables: Path | None,
    tables_format: str,
    report: Path | None,
    force: bool,
) -> None:
    from planner.decompose import METHODS, solve_ph

    if method not in METHODS:
        raise InputError(f"--decompose takes {' or '.join(METHODS)}, not {method!r}")
    if vss:
        raise InputError("--vss is not available with --decompose ph; solve without --decompose for VSS")
    progress = _Progress(quiet)
    record = solve_ph(
        workbook,
        out=out,
        options=options,
        progress=progress,
        max_iterations=ph_iterations,
        rho=ph_rho,
        tables_dir=tables,
        tables_format=tables_format,
        report=report,
        force=force,
        command=_command(),
        quiet=quiet,
    )
    if record is None:  # not MPI rank 0
        return
    _print_summary(record, progress)
    ph = record.manifest["decomposition"]
    gap = "-" if ph["gap"] is None else f"{ph['gap']:.3%}"
    lower = "-" if ph["lower_bound"] is None else money(ph["lower_bound"])
    upper = "-" if ph["upper_bound"] is None else money(ph["upper_bound"])
    progress.console.print(
        f"progressive hedging on {ph['mpi_ranks']} MPI ranks ({', '.join(ph['cylinders'])}): "
        f"lower bound {lower}, upper bound {upper}, gap {gap}, {ph['iterations']} iteration{'s' if ph['iterations'] != 1 else ''}, "
        f"{ph['seconds']:.1f} s"
    )


@app.command(cls=_Command)
def stress(
    workbook: WorkbookArg = None,
    out: OutOpt = Path("reports"),
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    threads: ThreadsOpt = None,
    seed: SeedOpt = None,
    scenarios: ScenariosOpt = None,
    tables: TablesOpt = None,
    tables_format: TablesFormatOpt = "csv",
    quiet: QuietOpt = False,
    report: ReportOpt = None,
    force: ForceOpt = False,
    highs_option: HighsOpt = None,
) -> None:
    """Solve, then stress the plan: TTS/TTR/PI/REI per node, cheapest stockpile, days-of-cover curve."""
    from planner.api import run

    options = _solve_options(
        time_limit, gap, threads, seed, highs_option, scenarios=_scenario_list(scenarios)
    )
    progress = _Progress(quiet)
    record = run(
        workbook,
        out=out,
        options=options,
        progress=progress,
        with_stress=True,
        tables_dir=tables,
        tables_format=tables_format,
        report=report,
        force=force,
        command=_command(),
    )
    _print_summary(record, progress)
    _print_stress(record.extra["stress"], progress, str(record.manifest["settings"].get("currency", "")))


@app.command(cls=_Command)
def frontier(
    workbook: WorkbookArg = None,
    points: Annotated[
        int,
        typer.Option("--points", help="Frontier points from risk neutral to most risk-averse (at least 2)."),
    ] = 5,
    out: OutOpt = Path("reports"),
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    threads: ThreadsOpt = None,
    seed: SeedOpt = None,
    scenarios: ScenariosOpt = None,
    tables: TablesOpt = None,
    tables_format: TablesFormatOpt = "csv",
    quiet: QuietOpt = False,
    report: ReportOpt = None,
    force: ForceOpt = False,
    highs_option: HighsOpt = None,
) -> None:
    """Solve, then trace the cost-risk frontier (expected cost against CVaR) on one model."""
    from rich.table import Table

    from planner.api import run

    options = _solve_options(
        time_limit, gap, threads, seed, highs_option, scenarios=_scenario_list(scenarios)
    )
    progress = _Progress(quiet)
    record = run(
        workbook,
        out=out,
        options=options,
        progress=progress,
        frontier_points=points,
        tables_dir=tables,
        tables_format=tables_format,
        report=report,
        force=force,
        command=_command(),
    )
    _print_summary(record, progress)
    table = Table(title="Cost-risk frontier")
    for col in ("weight", "expected cost", "CVaR", "worst cost", "decisions"):
        table.add_column(col, justify="left" if col == "decisions" else "right")
    for r in record.extra["frontier"].itertuples(index=False):
        table.add_row(
            f"{r.weight:.2f}",
            money(r.expected_cost),
            money(r.cvar),
            money(r.worst_cost),
            str(r.decisions)[:80],
        )
    progress.console.print(table)


def _print_stress(result: dict[str, object], progress: _Progress, currency: str = "") -> None:
    import math

    import pandas as pd
    from rich.table import Table

    nodes = result["nodes"]
    assert isinstance(nodes, pd.DataFrame)
    table = Table(title="Disruptions ranked by Risk Exposure Index (times in periods)")
    cur = f" ({currency})" if currency else ""
    for col in ("node", "kind", "TTR", "TTS", "survives TTR", f"PI cost{cur}", "PI short (t)", "REI"):
        table.add_column(col, justify="left" if col in ("node", "kind") else "right", no_wrap=col == "node")
    for r in nodes.itertuples(index=False):
        tts = "no limit" if math.isinf(r.tts_periods) else f"{r.tts_periods:.2f}"
        no_ttr = pd.isna(r.ttr_periods)
        ttr = "n/a" if no_ttr else f"{r.ttr_periods:g}"
        covered = "n/a" if no_ttr else ("yes" if r.covered else "NO")
        pi_cost = "n/a" if pd.isna(r.pi_cost) else compact_money(float(r.pi_cost))
        pi_short = "n/a" if pd.isna(r.pi_shortage) else f"{float(r.pi_shortage):,.0f}"
        rei = "n/a" if pd.isna(r.rei) or no_ttr else f"{r.rei:.2f}"
        table.add_row(str(r.node), str(r.kind), ttr, tts, covered, pi_cost, pi_short, rei)
    progress.console.print(table)
    progress.console.print(
        "TTR: time to recover (input); TTS: time the plan survives the loss from its stock and other "
        "sources; PI: least penalty (and tonnes short) while the node is down for its TTR; "
        "REI: PI / largest PI. n/a: no recovery time given (Disruptions sheet or Sites.ttr_periods)."
    )
    values = result.get("stockpile_values")
    if isinstance(values, pd.DataFrame) and len(values):
        val = Table(title="Stock the plan builds before the reveal, valued by solve (design fixed)")
        for col in ("site", "product", "opening (t)", "held (t)", f"value{cur}", "protects", "pays while"):
            val.add_column(
                col, justify="left" if col in ("site", "product", "protects", "pays while") else "right"
            )
        for r in values.itertuples(index=False):
            val.add_row(
                str(r.site),
                str(r.product),
                f"{r.opening:,.0f}",
                f"{r.stock:,.0f}",
                compact_money(float(r.value)),
                str(r.protects) or "-",
                str(r.break_even) or "-",
            )
        progress.console.print(val)
        progress.console.print(
            "value: expected cost without that stock (held at its opening level until the reveal) minus with it; "
            "protects: scenarios whose cost rises without it; pays while: the probability of one scenario, "
            "the others in proportion, at which it stops paying."
        )
    stock = result["stockpile"]
    assert isinstance(stock, pd.DataFrame)
    cost = result["stockpile_cost"]
    assert isinstance(cost, float)
    if not (nodes["ttr_periods"].notna()).any():
        progress.console.print("no stockpile recommendation: no node has a recovery time (TTR)")
    elif stock.empty:
        progress.console.print(
            "stockpile: none needed; every node with a TTR is survived with the stock in place"
        )
    else:
        rec = Table(title="Cheapest extra stock that survives every node with a TTR")
        for col in ("site", "product", "extra stock (t)", "days of cover", f"holding cost / yr{cur}"):
            rec.add_column(col, justify="left" if col in ("site", "product") else "right")
        for r in stock.itertuples(index=False):
            days = "-" if pd.isna(r.days_of_cover) else f"{r.days_of_cover:,.0f}"
            rec.add_row(
                str(r.site),
                str(r.product),
                f"{r.extra_stock:,.0f}",
                days,
                compact_money(float(r.cost_per_year)),
            )
        progress.console.print(rec)
        progress.console.print(
            f"total: {stock['extra_stock'].sum():,.0f} t, {compact_money(float(stock['cost_per_year'].sum()))} "
            f"{currency} a year in holding cost ({compact_money(cost)} {currency} over the horizon)"
        )


def compact_money(x: float) -> str:
    """A large amount in few characters: 5.59 bn, 46.2 M, 12,300."""
    for size, unit in ((1e9, " bn"), (1e6, " M")):
        if abs(x) >= size:
            return f"{x / size:,.3g}{unit}"
    return money(x)


def money(x: float) -> str:
    """A cost for the terminal: no decimals for large amounts, two for small ones."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:,.2f}"


def _print_summary(record: object, progress: _Progress) -> None:
    from rich.table import Table

    from planner.api import RunRecord

    assert isinstance(record, RunRecord)
    sol = record.solution
    con = progress.console
    res = record.manifest["result"]
    currency = record.manifest["settings"].get("currency", "")
    if sol.proven_optimal:
        con.print(f"[green]optimal[/green]: cost {money(sol.objective)} {currency} (gap {sol.gap:.2%})")
    else:
        con.print(f"[yellow]{res['message']}[/yellow]: cost {money(sol.objective)} {currency}")
    table = Table(title="Scenarios", show_lines=False)
    for col in ("scenario", "probability", "total cost", "shortage (t)", "service level"):
        table.add_column(col, justify="right" if col != "scenario" else "left")
    for r in sol.scenarios.itertuples(index=False):
        table.add_row(
            str(r.scenario),
            f"{r.probability:.2f}",
            money(r.total_cost),
            f"{max(float(r.shortage), 0.0):,.1f}",  # solver dust (-7e-15) would print as -0.0
            f"{r.service_level:.1%}",
        )
    con.print(table)
    if record.stochastic:
        st = record.stochastic
        con.print(
            f"VSS {st['VSS']:,.0f}  EVPI {st['EVPI']:,.0f}  (RP {st['RP']:,.0f}, WS {st['WS']:,.0f}, EEV {st['EEV']:,.0f})"
        )
    for name, path in record.files.items():
        con.print(f"{name:<11} {path}")


@app.command(cls=_Command)
def saa(
    workbook: WorkbookArg = None,
    sample: Annotated[int, typer.Option("--sample", min=1, help="Draws per SAA problem (N).")] = 50,
    replications: Annotated[
        int, typer.Option("--replications", min=2, help="Independent SAA problems for the bounds (M).")
    ] = 10,
    evaluate: Annotated[
        int, typer.Option("--evaluate", min=2, help="Fresh draws to price the chosen plan on (K).")
    ] = 500,
    out: OutOpt = Path("reports"),
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    threads: ThreadsOpt = None,
    seed: SeedOpt = None,
    sample_seed: Annotated[
        int, typer.Option("--sample-seed", min=0, max=MAX_SEED, help="Seed of the scenario draws.")
    ] = 0,
    highs_option: HighsOpt = None,
) -> None:
    """Sample scenarios (Scenarios and Distributions sheets) and bound the chosen plan: SAA lower and
    upper bounds and the optimality gap with 95% confidence intervals."""
    from planner.api import run_saa

    options = _solve_options(time_limit, gap, threads, seed, highs_option, echo_log=False, scenarios=None)
    folder, result = run_saa(
        workbook, out, sample, replications, evaluate, sample_seed, options=options, command=_command()
    )
    lo, hi = result.lower_bound_ci
    ulo, uhi = result.upper_bound_ci
    typer.echo(f"lower bound   {money(result.lower_bound)}  (95% CI {money(lo)} .. {money(hi)})")
    typer.echo(f"plan's cost   {money(result.upper_bound)}  (95% CI {money(ulo)} .. {money(uhi)})")
    typer.echo(f"optimality gap of the plan <= {money(result.gap_ci_upper)} with 95% confidence")
    typer.echo(f"{'report':<11} {folder / 'report.xlsx'}")
    typer.echo(f"wrote {folder}")


@app.command(cls=_Command)
def replay(
    workbook: WorkbookArg = None,
    evaluate: Annotated[int, typer.Option("--evaluate", min=1, help="Sampled draws to replay on (K).")] = 200,
    out: OutOpt = Path("reports"),
    time_limit: TimeLimitOpt = None,
    gap: GapOpt = None,
    threads: ThreadsOpt = None,
    seed: SeedOpt = None,
    sample_seed: Annotated[
        int, typer.Option("--sample-seed", min=0, max=MAX_SEED, help="Seed of the scenario draws.")
    ] = 0,
    highs_option: HighsOpt = None,
) -> None:
    """Solve, then replay the plan and the expected-value plan on freshly sampled scenarios (first stage
    fixed, recourse re-optimised): the distribution of cost, shortage and service of each."""
    from planner.api import run_replay

    options = _solve_options(time_limit, gap, threads, seed, highs_option, echo_log=False, scenarios=None)
    folder, result = run_replay(workbook, out, evaluate, sample_seed, options=options, command=_command())
    for r in result.summary.itertuples():
        typer.echo(
            f"{r.plan:<20} expected {money(r.expected_cost)}  p95 {money(r.cost_p95)}  "
            f"max {money(r.cost_max)}  short in {r.share_of_draws_short:.0%} of draws "
            f"(expected {r.expected_shortage:,.1f} t)"
        )
    typer.echo(f"{'report':<11} {folder / 'report.xlsx'}")
    typer.echo(f"wrote {folder}")


@app.command(cls=_Command)
def compare(
    run_a: Annotated[Path, typer.Argument(help="First run folder (A).", show_default=False)],
    run_b: Annotated[Path, typer.Argument(help="Second run folder (B).", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Workbook to write (default compare-A-vs-B.xlsx here).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --out file.")] = False,
) -> None:
    """Compare two run folders: decisions, cost by component, shortage and dependency (B minus A)."""
    from planner.api import compare as compare_runs

    target = compare_runs(run_a, run_b, out, force=force)
    typer.echo(f"wrote {target}")


# ---------------------------------------------------------------------------------------------
# entry point


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app; turn every failure into a message and an exit code."""
    global _ARGV
    _ARGV = list(argv) if argv is not None else sys.argv[1:]
    try:
        app(args=argv, prog_name="planner")
    except PlannerError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:
        from planner.diagnose import debugging

        if debugging():
            raise
        typer.echo(
            f"internal error: {type(exc).__name__}: {exc} (run with PLANNER_DEBUG=1 for the traceback)",
            err=True,
        )
        sys.exit(INTERNAL_ERROR_EXIT)


if __name__ == "__main__":  # pragma: no cover
    main()
