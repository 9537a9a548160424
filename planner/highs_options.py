"""HiGHS as a process-wide resource: option checks, HiGHS's own messages, the thread scheduler.

This module imports highspy and nothing of planner's, so the validator (which must not
import the model or solve layers) can check a Settings row's HiGHS option with it, and the
solve layer can use the same helpers.

Three facts about HiGHS that planner relies on:

- ``setOptionValue`` returns ``kError`` for an unknown option or a value out of range and
  writes the reason to its log only, so :func:`new_highs` attaches a collector that keeps
  HiGHS's ERROR and WARNING lines (``output_flag`` stays on; ``log_to_console`` decides
  whether the user sees the log).
- HiGHS keeps **one task scheduler per process**. A run whose ``threads`` option differs
  from the scheduler's thread count fails with ``kError`` ("global scheduler has already
  been initialized"). :func:`prepare_scheduler` resets the scheduler whenever a solve asks
  for a different thread count than the previous one, so any sequence of solves works.
- Options are typed (bool, int, double, string); a Settings cell arrives as text or a
  number, so :func:`coerce_option` converts it by the option's declared type first.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import highspy

_MAX_MESSAGES = 50


class HighsMessages:
    """HiGHS's ERROR and WARNING log lines, kept in order (at most 50)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, event: Any) -> None:
        text = str(getattr(event, "message", "")).strip()
        if text.startswith(("ERROR", "WARNING")) and len(self.lines) < _MAX_MESSAGES:
            self.lines.append(" ".join(text.split()))

    def since(self, mark: int) -> list[str]:
        """Lines logged after ``mark`` (a previous ``len(lines)``)."""
        return self.lines[mark:]


_banner_shown = False


def quiet_highs() -> Any:
    """``highspy.Highs()``; the first one in a process prints HiGHS's banner to the C stdout: hide it.

    Every ``Highs`` planner creates comes from here, so neither ``--quiet`` nor the Python API
    ever shows the banner ("Running HiGHS 1.16.0 ...").
    """
    global _banner_shown
    if _banner_shown:
        return highspy.Highs()
    _banner_shown = True
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (embedded interpreters): let HiGHS print
        return highspy.Highs()
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def new_highs(echo: bool = False) -> tuple[Any, HighsMessages]:
    """A ``Highs`` instance whose errors and warnings are collected; console output only if ``echo``."""
    h = quiet_highs()
    h.setOptionValue("log_to_console", bool(echo))
    h.setOptionValue("output_flag", True)
    messages = HighsMessages()
    h.cbLogging.subscribe(messages)
    return h, messages


def coerce_option(h: Any, messages: HighsMessages, name: str, value: Any) -> Any:
    """``value`` converted to the declared type of HiGHS option ``name``.

    Raises ``ValueError`` with a readable reason for an unknown option or a value of the
    wrong kind (``"abc"`` for a number, ``"maybe"`` for a yes/no option).
    """
    mark = len(messages.lines)
    status, kind = h.getOptionType(name)
    if status == highspy.HighsStatus.kError:
        said = "; ".join(messages.since(mark)) or "no such option"
        raise ValueError(f"HiGHS has no option {name!r}: {said}")
    if kind == highspy.HighsOptionType.kBool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "1.0", "true", "yes", "on"):
            return True
        if text in ("0", "0.0", "false", "no", "off"):
            return False
        raise ValueError(f"HiGHS option {name!r} takes true or false, not {value!r}")
    if kind == highspy.HighsOptionType.kInt:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"HiGHS option {name!r} takes a whole number, not {value!r}") from None
        if not number.is_integer():
            raise ValueError(f"HiGHS option {name!r} takes a whole number, not {value!r}")
        return int(number)
    if kind == highspy.HighsOptionType.kDouble:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"HiGHS option {name!r} takes a number, not {value!r}") from None
    return str(value)


def set_option(h: Any, messages: HighsMessages, name: str, value: Any) -> None:
    """Set one option; ``ValueError`` quoting HiGHS when it refuses the name or the value."""
    typed = coerce_option(h, messages, name, value)
    mark = len(messages.lines)
    if h.setOptionValue(name, typed) == highspy.HighsStatus.kError:
        said = "; ".join(messages.since(mark)) or "no reason given"
        raise ValueError(f"HiGHS refused option {name} = {value!r}: {said}")


MANAGED: dict[str, str] = {
    "threads": "the threads setting (--threads)",
    "time_limit": "the time_limit setting (--time-limit)",
    "mip_rel_gap": "the mip_gap setting (--gap)",
    "random_seed": "the random_seed setting (--seed)",
    "log_file": "the run folder's solver log",
    "output_flag": "planner's log handling",
    "log_to_console": "planner's log handling",
}
"""HiGHS options planner sets itself, and where the user sets them instead."""


def check_option(name: str, value: Any) -> str | None:
    """Why HiGHS would refuse ``name = value`` (its own words), or ``None`` when it accepts it.

    Options in :data:`MANAGED` are refused too: planner sets them from its own settings.
    """
    if name in MANAGED:
        return f"HiGHS option {name!r} is set by planner from {MANAGED[name]}; set it there"
    h, messages = new_highs()
    try:
        set_option(h, messages, name, value)
    except ValueError as exc:
        return str(exc)
    return None


# ------------------------------------------------------------------------------------ scheduler

_scheduler_lock = threading.Lock()
_scheduler_threads: int | None = None


def prepare_scheduler(threads: int) -> None:
    """Make HiGHS's process-wide scheduler match ``threads`` (0 = HiGHS's automatic count).

    The scheduler is created by the first run in a process and fixed from then on; a run
    asking for another count fails. Reset it (waiting for its workers to finish) whenever
    the count asked for changes, so threads 2 -> 1 -> 0 -> 2 in one process all solve.
    """
    global _scheduler_threads
    with _scheduler_lock:
        if _scheduler_threads is not None and _scheduler_threads != threads:
            highspy.Highs.resetGlobalScheduler(True)
        _scheduler_threads = threads


def reset_scheduler() -> None:
    """Discard the process-wide scheduler; the next run creates one with its own thread count."""
    global _scheduler_threads
    with _scheduler_lock:
        highspy.Highs.resetGlobalScheduler(True)
        _scheduler_threads = None


def is_scheduler_clash(lines: list[str]) -> bool:
    """Whether HiGHS's messages say a run failed because another code set up the scheduler."""
    return any("scheduler" in line.lower() for line in lines)
