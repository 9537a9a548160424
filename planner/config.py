"""Run options (solver settings), with the workbook's Settings as defaults.

The solver options are checked in one place, :func:`option_problems`, whether they come
from the command line (``--time-limit``, ``--gap``, ``--threads``, ``--seed``), from
:class:`SolveOptions` in Python, or from the workbook's Settings sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

MAX_THREADS = 1024
"""Most solver threads accepted: HiGHS allocates per thread up front (100,000 fails with bad_alloc)."""
MAX_SEED = 2**31 - 1
"""HiGHS's random_seed takes 0 .. 2,147,483,647."""

OPTION_FLAGS = {
    "time_limit": "--time-limit",
    "mip_gap": "--gap",
    "threads": "--threads",
    "random_seed": "--seed",
}
"""The command-line flag of each solver option."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


def option_problem(name: str, value: Any) -> str | None:
    """Why ``value`` is not a valid solver option ``name`` (one of :data:`OPTION_FLAGS`), or None.

    time_limit: seconds >= 0, finite (0 = no limit); mip_gap: 0 <= gap < 1; threads: a whole
    number 0 .. :data:`MAX_THREADS` (0 = automatic); random_seed: a whole number 0 .. :data:`MAX_SEED`.
    """
    if value is None:
        return None
    x = _number(value)
    if name == "time_limit":
        if x is None or not math.isfinite(x) or x < 0:
            return f"must be a number of seconds >= 0 (0 = no limit), not {value!r}"
    elif name == "mip_gap":
        if x is None or not math.isfinite(x) or not 0 <= x < 1:
            return f"must be at least 0 and below 1 (0.005 = 0.5%), not {value!r}"
    elif name == "threads":
        if x is None or not math.isfinite(x) or not x.is_integer() or not 0 <= x <= MAX_THREADS:
            return f"must be a whole number from 0 (automatic) to {MAX_THREADS}, not {value!r}"
    elif name == "random_seed":
        if x is None or not math.isfinite(x) or not x.is_integer() or not 0 <= x <= MAX_SEED:
            return f"must be a whole number from 0 to {MAX_SEED:,}, not {value!r}"
    else:  # pragma: no cover - a programming error
        raise KeyError(name)
    return None


def option_problems(values: dict[str, Any]) -> list[str]:
    """``"--threads must be ..."`` for each bad value in ``values`` (keyed by option name)."""
    out = []
    for name, value in values.items():
        why = option_problem(name, value)
        if why:
            out.append(f"{OPTION_FLAGS[name]} {why}")
    return out


@dataclass(frozen=True)
class SolveOptions:
    """Options of one solve. ``None`` means: take the workbook's Settings value.

    ``time_limit`` is in seconds, 0 meaning no limit; ``mip_gap`` is at least 0 and below 1;
    ``threads`` 0 (automatic) to 1024; ``random_seed`` 0 to 2,147,483,647.
    """

    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    random_seed: int | None = None
    log_file: Path | None = None
    echo_log: bool = False
    scenarios: tuple[str, ...] | None = None
    highs_options: dict[str, Any] = field(default_factory=dict)
    log_title: str = ""
    """What this solve is (e.g. "wait-and-see solve, scenario BAN"): written to ``log_file`` and the
    ``planner.solve`` logger before the solve, so a run folder's solver log names every solve in it."""
    deadline: float | None = None
    """A ``time.perf_counter()`` value by which every solve must have ended, so that the time limit
    covers a whole run (reading, checking, building and every solve), not HiGHS alone;
    :func:`planner.api.solve_data` and :func:`planner.api.run` set it from ``time_limit``."""

    def with_deadline(self, started: float) -> SolveOptions:
        """These options with the deadline ``started + time_limit`` (none when the limit is 0 or blank)."""
        if self.deadline is not None or not self.time_limit or self.time_limit <= 0:
            return self
        return replace(self, deadline=started + float(self.time_limit))

    def resolved(self, settings: dict[str, Any], rows: dict[str, int] | None = None) -> SolveOptions:
        """These options with blanks filled from the workbook's Settings, every value checked.

        ``rows`` gives the Settings row of each setting (for the message). Raises
        :class:`~planner.errors.InputError` naming the option (or the Settings row) of a bad value.
        """
        from planner.errors import InputError, Issue

        issues: list[Issue] = []
        chosen: dict[str, Any] = {}
        for name in OPTION_FLAGS:
            given = getattr(self, name)
            value = given if given is not None else settings.get(name)
            if value is None:
                from planner.schema import SETTINGS_BY_KEY

                value = SETTINGS_BY_KEY[name].default
            why = option_problem(name, value)
            if why and given is not None:
                issues.append(Issue("error", "options", None, None, given, f"{name} {why}"))
            elif why:
                row = (rows or {}).get(name)
                issues.append(Issue("error", "Settings", row, "value", value, f"{name} {why}"))
            chosen[name] = value
        if issues:
            raise InputError("invalid solver options; nothing was solved", issues)
        return replace(
            self,
            time_limit=float(chosen["time_limit"]),
            mip_gap=float(chosen["mip_gap"]),
            threads=int(chosen["threads"]),
            random_seed=int(chosen["random_seed"]),
            # the workbook's highs_<option> rows, overridden by options given here
            highs_options={**settings.get("highs_options", {}), **self.highs_options},
        )
