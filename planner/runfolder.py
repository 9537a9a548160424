"""Run folders that are either complete or clearly incomplete.

A run is written into ``<out>/.<name>.partial`` and renamed to ``<out>/<name>`` only once
every file (manifest last) is in place, so a folder without the leading dot and the
``.partial`` suffix is always complete. The partial folder holds ``RUN-INCOMPLETE.json``
(process id, host, start time) while the run is going on; a run killed at any moment
leaves only the hidden partial folder, which the next run into the same ``--out`` removes
once its process is gone. Only planner's own temporaries are ever removed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.errors import InputError

PARTIAL_SUFFIX = ".partial"
MARKER = "RUN-INCOMPLETE.json"
STALE_AFTER_SECONDS = 600.0
"""A planner temporary (or a partial folder without its marker) this old belongs to no live run."""

_PARTIAL = re.compile(r"^\..+-\d{8}-\d{6}(?:-\d+)?" + re.escape(PARTIAL_SUFFIX) + "$")
"""Names of planner's partial run folders: ``.<stem>-<YYYYmmdd>-<HHMMSS>[-n].partial``."""
_OURS = {MARKER, "solver.log", "tables.xlsx", "report.xlsx", "manifest.json", "manifest.json.tmp"}
"""Files planner writes into a run folder (besides its temporaries)."""

_TEMP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}(?:\.xlsx)?\.tmp$")
"""Temporary files of :func:`planner.io.excel_writer.save_atomically` and the table writers."""


@dataclass
class RunFolder:
    """A run folder being written: ``work`` (the partial folder) becomes ``final`` at :meth:`finish`."""

    work: Path
    final: Path

    def finish(self) -> Path:
        """Drop the marker and rename the partial folder to its final name; return that name."""
        (self.work / MARKER).unlink(missing_ok=True)
        target = self.final
        n = 1
        while True:
            try:
                # os.rename would replace an empty directory; refuse any existing name instead
                if target.exists():
                    raise FileExistsError(errno.EEXIST, "exists", str(target))
                os.rename(self.work, target)
                break
            except FileExistsError:
                n += 1
                target = self.final.with_name(f"{self.final.name}-{n}")
        self.final = target
        return target

    def discard(self) -> None:
        """Remove the partial folder (after a failure that was reported)."""
        shutil.rmtree(self.work, ignore_errors=True)


def _partial(folder: Path) -> Path:
    return folder.with_name(f".{folder.name}{PARTIAL_SUFFIX}")


def start(out: Path, stem: str, started: datetime) -> RunFolder:
    """Reserve ``<out>/<stem>-<timestamp>`` (or ``-2``, ``-3`` ...) and create its partial folder."""
    out.mkdir(parents=True, exist_ok=True)
    base = out / f"{stem}-{started.strftime('%Y%m%d-%H%M%S')}"
    folder, n = base, 1
    while True:
        if not folder.exists():
            try:
                _partial(folder).mkdir()
                break
            except FileExistsError:
                pass
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    work = _partial(folder)
    (work / MARKER).write_text(
        json.dumps(
            {
                "status": "incomplete",
                "note": "planner is writing this run, or the run was stopped before it finished; "
                "the next run into this folder removes it once the process is gone",
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started_utc": started.isoformat(timespec="seconds"),
            },
            indent=2,
        )
    )
    return RunFolder(work=work, final=folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _is_stale(partial: Path, now: float) -> bool:
    try:
        owner = json.loads((partial / MARKER).read_text())
    except (OSError, ValueError):
        owner = None
    if not isinstance(owner, dict) or "pid" not in owner:
        # the marker is written right after the folder is made and removed right before the
        # rename; without it, remove only an old folder holding nothing but planner's files
        with contextlib.suppress(OSError):
            ours = all(p.name in _OURS or _TEMP.match(p.name) for p in partial.iterdir())
            return ours and now - partial.stat().st_mtime > STALE_AFTER_SECONDS
        return False
    if owner.get("host") != socket.gethostname():
        return False  # another machine's run on a shared disk: leave it
    return not _alive(int(owner["pid"]))


def clean_stale(out: Path) -> list[Path]:
    """Remove partial run folders in ``out`` left by runs that were killed; return what was removed."""
    removed: list[Path] = []
    try:
        entries = list(out.iterdir()) if out.is_dir() else []
    except OSError:  # not readable: nothing of ours to clean
        return removed
    now = time.time()
    for entry in entries:
        name = entry.name
        if not _PARTIAL.match(name) or not entry.is_dir():
            continue
        if entry.is_symlink() or not _is_stale(entry, now):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry)
    return removed


def clean_stale_temporaries(folder: Path, names: set[str]) -> list[Path]:
    """Remove planner's own temporary files ``.<name>.XXXXXXXX[.xlsx].tmp`` older than ten minutes.

    Only files whose ``<name>`` is in ``names`` (the tables or report planner writes there) are
    considered, so no user file is touched.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or match["name"] not in names or not entry.is_file() or entry.is_symlink():
            continue
        with contextlib.suppress(OSError):
            if now - entry.stat().st_mtime > STALE_AFTER_SECONDS:
                entry.unlink()
                removed.append(entry)
    return removed


def output_error(exc: OSError, flag: str = "--out") -> InputError:
    """A one-sentence InputError for a file that could not be written (disk full, no permission)."""
    where = exc.filename or "the output"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return InputError(
            f"the disk is full (or over quota) writing {where}; free some space or choose another {flag}"
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InputError(
            f"cannot write {where}: permission denied; choose a folder you can write to ({flag})"
        )
    if exc.errno == errno.ENOTDIR:
        return InputError(f"cannot write {where}: part of the path is a file; give a folder ({flag})")
    reason = exc.strerror or str(exc)
    return InputError(f"cannot write {where}: {reason}; choose another {flag}")
