"""models/formulation.md and models/notation.csv state exactly what the builder builds."""

from __future__ import annotations

import csv
from pathlib import Path

import pyomo.environ as pyo
import pytest

from planner.model.build import build_model
from planner.network import Network, build_network
from planner.schema import SETTINGS_BY_KEY, TABLES_BY_NAME
from planner.tables import from_records
from tests.model_cases import full_feature_records

ROOT = Path(__file__).resolve().parents[2]
KINDS = {
    "var": pyo.Var,
    "constraint": pyo.Constraint,
    "expression": pyo.Expression,
    "objective": pyo.Objective,
}


def _notation() -> list[dict[str, str]]:
    with open(ROOT / "models" / "notation.csv", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def full_model() -> pyo.ConcreteModel:
    records, settings = full_feature_records()
    return build_model(build_network(from_records(records, settings)))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_model_components_match_notation_both_ways(full_model: pyo.ConcreteModel, kind: str) -> None:
    documented = {r["code_name"] for r in _notation() if r["kind"] == kind}
    built = {c.name for c in full_model.component_objects(KINDS[kind], descend_into=True)}
    assert built - documented == set(), f"built but not in notation.csv: {sorted(built - documented)}"
    assert documented - built == set(), f"in notation.csv but not built: {sorted(documented - built)}"


def test_every_component_is_populated_by_the_full_feature_case(full_model: pyo.ConcreteModel) -> None:
    empty = [
        c.name
        for kind in ("var", "constraint")
        for c in full_model.component_objects(KINDS[kind], descend_into=True)
        if c.is_indexed() and len(c) == 0
    ]
    assert empty == []


def test_parameters_name_schema_columns_or_settings() -> None:
    for row in _notation():
        if row["kind"] != "param":
            continue
        table, column = row["code_name"].split(".")
        if table == "Settings":
            assert column in SETTINGS_BY_KEY, row
        else:
            assert column in TABLES_BY_NAME[table].column_names, row


def test_sets_name_network_or_index_attributes(full_model: pyo.ConcreteModel) -> None:
    net: Network = full_model.net
    for row in _notation():
        if row["kind"] == "set":
            assert hasattr(net, row["code_name"]) or hasattr(full_model.idx, row["code_name"]), row


def test_formulation_document_names_every_code_name() -> None:
    text = (ROOT / "models" / "formulation.md").read_text()
    missing = [r["code_name"] for r in _notation() if r["kind"] != "set" and r["code_name"] not in text]
    assert missing == []
