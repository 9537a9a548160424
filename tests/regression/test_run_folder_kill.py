"""A run killed at any moment leaves its run folder complete or clearly incomplete (#15).

``planner solve`` is started in a subprocess and killed with SIGKILL after a delay, or by
itself from inside (a hook at a chosen point: the solve starting, tables written, report
written, just before the folder gets its final name). Afterwards every folder in ``--out``
is either complete (``manifest.json`` with status "complete" and every file it lists) or a
hidden ``.<name>.partial`` folder; the next run succeeds, removes those partial folders and
leaves one more complete folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planner.runfolder import MARKER, PARTIAL_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "inputs" / "tiny.xlsx"

CHILD = r"""
import os, signal, sys

point = sys.argv[1]


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


if point == "solve-stage":
    import planner.api

    real_solve = planner.api.solve

    def solve(*args, **kwargs):
        die()

    planner.api.solve = solve
elif point in ("tables", "report"):
    module = __import__(
        "planner.io.results_writer" if point == "tables" else "planner.io.report_writer", fromlist=["x"]
    )
    real_save = module.save_atomically

    def save(wb, path):
        real_save(wb, path)
        die()

    module.save_atomically = save
elif point == "finish":
    import planner.runfolder

    planner.runfolder.RunFolder.finish = die

from planner.cli import main

main(sys.argv[2:])
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def solve_args(out: Path) -> list[str]:
    return ["solve", str(TINY), "--out", str(out), "-q"]


def assert_complete_or_marked(out: Path) -> tuple[int, int]:
    """(complete folders, partial folders) in ``out``; fail on anything else."""
    complete = partial = 0
    if not out.exists():
        return 0, 0
    for entry in out.iterdir():
        assert entry.is_dir(), entry
        if entry.name.startswith("."):
            assert entry.name.endswith(PARTIAL_SUFFIX), entry
            marker = entry / MARKER
            if marker.exists():
                assert json.loads(marker.read_text())["status"] == "incomplete"
            partial += 1
            continue
        manifest = json.loads((entry / "manifest.json").read_text())
        assert manifest["status"] == "complete"
        for name in ("report.xlsx", "tables.xlsx", "solver.log", "manifest.json"):
            assert (entry / name).stat().st_size > 0, (entry, name)
        assert not (entry / MARKER).exists()
        assert not [p.name for p in entry.iterdir() if p.name.endswith(".tmp")]
        complete += 1
    return complete, partial


def killed_after(out: Path, seconds: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner.cli", *solve_args(out)],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(seconds)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def killed_at(out: Path, point: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, point, *solve_args(out)],
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr


@pytest.mark.parametrize(
    "moment", [0.2, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, "solve-stage", "tables", "report", "finish"]
)
def test_killed_run_leaves_a_complete_or_clearly_incomplete_folder(
    tmp_path: Path, moment: float | str
) -> None:
    out = tmp_path / "runs"
    if isinstance(moment, str):
        killed_at(out, moment)
        complete, partial = assert_complete_or_marked(out)
        assert (complete, partial) == (0, 1)  # killed inside the run: its folder says incomplete
    else:
        killed_after(out, moment)
        complete, partial = assert_complete_or_marked(out)
        assert complete + partial <= 1
    again = subprocess.run(
        [sys.executable, "-m", "planner.cli", *solve_args(out)],
        env=env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stdout + again.stderr
    assert assert_complete_or_marked(out) == (complete + 1, 0)  # the killed run's leftovers are gone
