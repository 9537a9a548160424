"""Errors raised by planner, and the located Issue that input errors carry.

Hierarchy::

    PlannerError                  every error planner raises on purpose
    ├── InputError                the workbook (or a command-line value) is wrong; .issues lists all
    ├── ModelBuildError           the validated data cannot be turned into a model
    └── SolveError                the solver did not return a usable plan
        ├── InfeasibleError       hard constraints contradict each other (.explanation names rows)
        ├── NonOptimalError       stopped (time limit, interrupt) without any feasible plan
        └── HighsError            HiGHS reported an error (exit 70); the message quotes it

The command line turns a PlannerError into a message and a non-zero exit code;
nothing else should ever reach the user as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem found in a workbook, located as a user would look for it.

    ``row`` is the Excel row number (the header is row 1), ``None`` when the problem
    concerns a whole sheet or column.
    """

    severity: Severity
    sheet: str
    row: int | None
    column: str | None
    value: Any
    message: str
    code: str = ""

    def location(self) -> str:
        """Return e.g. ``Lanes!row 7, column 'origin'``."""
        parts = [self.sheet or "workbook"]
        loc = []
        if self.row is not None:
            loc.append(f"row {self.row}")
        if self.column:
            loc.append(f"column '{self.column}'")
        return parts[0] + (" " + ", ".join(loc) if loc else "")

    def __str__(self) -> str:
        value = "" if self.value is None or self.value == "" else f" (value: {self.value!r})"
        return f"{self.severity.upper()}: {self.location()}{value}: {self.message}"


class PlannerError(Exception):
    """Base class of every error planner raises on purpose."""

    exit_code = 2


class InputError(PlannerError):
    """The input is wrong; ``issues`` lists every located problem found."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        self.issues: list[Issue] = list(issues or [])
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.issues:
            return head
        return head + "\n" + "\n".join(f"  - {i}" for i in self.issues)


class ModelBuildError(PlannerError):
    """Validated data could not be turned into a model."""


class SolveError(PlannerError):
    """The solver did not return a usable plan."""

    exit_code = 3


class InfeasibleError(SolveError):
    """Hard constraints cannot all hold; ``explanation`` names the rows involved."""

    def __init__(self, message: str, explanation: list[str] | None = None) -> None:
        self.explanation: list[str] = list(explanation or [])
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.explanation:
            return head
        return head + "\n" + "\n".join(f"  - {e}" for e in self.explanation)


class NonOptimalError(SolveError):
    """The solver stopped without any feasible plan (time limit, interrupt)."""


class HighsError(SolveError):
    """HiGHS itself reported an error (quoted in the message): an option it refused, a failed call.

    Not a property of the plan, so the command line exits 70 (internal error), not 3.
    """

    exit_code = 70


__all__ = [
    "InfeasibleError",
    "InputError",
    "HighsError",
    "Issue",
    "ModelBuildError",
    "NonOptimalError",
    "PlannerError",
    "SolveError",
    "Severity",
]
