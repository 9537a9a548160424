"""Read a finished run folder back: its manifest and its solution tables (``tables.xlsx``).

Used by ``planner compare``. A folder that is not a run folder, or a run that did not finish,
is refused with a sentence that says what to give instead.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import InputError
from planner.runfolder import MARKER

TABLES_FILE = "tables.xlsx"
MANIFEST_FILE = "manifest.json"


@dataclass(frozen=True)
class RunRecord:
    """A run folder read back: where it is, its manifest and its tables by sheet name."""

    folder: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]

    @property
    def name(self) -> str:
        return self.folder.name


def read_run(folder: Path) -> RunRecord:
    """The manifest and solution tables of the run folder ``folder``."""
    if not folder.exists():
        raise InputError(f"{folder}: no such run folder; give a folder that `planner solve` wrote")
    if not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a run folder; give the folder that holds manifest.json")
    if (folder / MARKER).exists() or folder.name.endswith(".partial"):
        raise InputError(
            f"{folder}: this run did not finish ({MARKER}); solve again and compare the new folder"
        )
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.is_file():
        raise InputError(
            f"{folder}: no {MANIFEST_FILE}, so this is not a run folder; give a folder written by `planner solve`"
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(
            f"{manifest_path}: cannot be read ({exc}); solve again to rewrite the run folder"
        ) from exc
    if not isinstance(manifest, dict) or "result" not in manifest:
        raise InputError(f"{manifest_path}: has no result section; give a folder written by `planner solve`")
    tables_path = folder / TABLES_FILE
    if not tables_path.is_file():
        raise InputError(
            f"{folder}: no {TABLES_FILE}; this run wrote no solution tables (stress and frontier folders hold none)"
        )
    try:
        tables = pd.read_excel(tables_path, sheet_name=None, engine="openpyxl")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(
            f"{tables_path}: cannot be read ({type(exc).__name__}); solve again to rewrite it"
        ) from exc
    return RunRecord(folder, manifest, {str(k): v for k, v in tables.items()})
