"""Every constraint family in models/notation.csv is exercised by at least one behavioural test."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _covered() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests" / "behaviour").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "covers"
            ):
                names |= {
                    a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
    return names


def test_every_constraint_is_covered_by_a_behavioural_test() -> None:
    with open(ROOT / "models" / "notation.csv", newline="") as fh:
        constraints = {r["code_name"] for r in csv.DictReader(fh) if r["kind"] == "constraint"}
    covered = _covered()
    assert constraints - covered == set()
    assert covered - constraints == set(), "covers() names a constraint that does not exist"
