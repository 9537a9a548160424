"""Run options (solver settings), with the workbook's Settings as defaults."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SolveOptions:
    """Options of one solve. ``None`` means: take the workbook's Settings value."""

    time_limit: float | None = None
    mip_gap: float | None = None
    threads: int | None = None
    random_seed: int | None = None
    log_file: Path | None = None
    echo_log: bool = False
    scenarios: tuple[str, ...] | None = None
    highs_options: dict[str, Any] = field(default_factory=dict)

    def resolved(self, settings: dict[str, Any]) -> SolveOptions:
        """These options with blanks filled from the workbook's Settings."""
        return replace(
            self,
            time_limit=self.time_limit if self.time_limit is not None else float(settings["time_limit"]),
            mip_gap=self.mip_gap if self.mip_gap is not None else float(settings["mip_gap"]),
            threads=self.threads if self.threads is not None else int(settings["threads"]),
            random_seed=self.random_seed if self.random_seed is not None else int(settings["random_seed"]),
            # the workbook's highs_<option> rows, overridden by options given here
            highs_options={**settings.get("highs_options", {}), **self.highs_options},
        )
