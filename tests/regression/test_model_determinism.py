"""The model handed to HiGHS must not depend on the process: same rows, columns and coefficients in
the same order under any PYTHONHASHSEED (set iteration order changes with it), so a published answer
does not depend on the machine or the run. Before the fix, the full-feature case's sourcing-share
rows came in a different order under each seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FINGERPRINT = """
import hashlib
from planner.standard_form import compile_model
from planner.model.build import build_model
from planner.network import build_network
from planner.tables import from_records
from tests.model_cases import full_feature_records
records, settings = full_feature_records()
info = compile_model(build_model(build_network(from_records(records, settings))))
A = info.A.tocsr()
h = hashlib.sha256()
h.update("|".join(r.constraint.name for r in info.rows).encode())
h.update("|".join(v.name for v in info.columns).encode())
import numpy as np
for part in (A.data, A.indices, A.indptr, info.c.toarray(), info.rhs):
    h.update(np.asarray(part, dtype=float).tobytes())
print(h.hexdigest())
"""


def _fingerprint(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", FINGERPRINT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_the_model_is_the_same_under_any_hash_seed() -> None:
    prints = {_fingerprint(seed) for seed in ("1", "2", "3")}
    assert len(prints) == 1, prints
