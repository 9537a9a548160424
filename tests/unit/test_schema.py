"""planner.schema: the declaration is self-consistent (every consumer is driven by it)."""

from __future__ import annotations

import pytest

from planner.schema import (
    SETTINGS,
    SETTINGS_BY_KEY,
    TABLES,
    TABLES_BY_NAME,
    markdown_reference,
    normalize_name,
    table,
)


def test_table_names_are_unique_and_fit_excel() -> None:
    names = [t.name for t in TABLES]
    assert len(names) == len(set(names))
    assert all(len(n) <= 31 and n.isalnum() for n in names)
    assert {t.name for t in TABLES if t.required} == {"Periods", "Products", "Sites"}


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.name)
def test_columns_are_consistent(spec) -> None:  # type: ignore[no-untyped-def]
    names = spec.column_names
    assert len(names) == len(set(names)), spec.name
    assert names[-2:] == ("source", "confidence")
    assert set(spec.key) <= set(names)
    for c in spec.all_columns:
        assert normalize_name(c.name) == c.name, "headers must be lower_snake"
        assert c.dtype in ("str", "float", "int", "bool", "period")
        assert c.description
        assert not (c.required and c.default not in (None, "")), (
            f"{spec.name}.{c.name}: required with a default"
        )
        if c.allowed is not None and not c.required:
            assert c.default in c.allowed, f"{spec.name}.{c.name}: default not allowed"
        if c.ref:
            ref_table, ref_col = c.ref.split(".")
            assert ref_col in TABLES_BY_NAME[ref_table].column_names
        if c.per_period:
            assert c.dtype in ("float", "int"), f"{spec.name}.{c.name}: per_period must be numeric"
        if c.default is not None and c.dtype in ("float", "int"):
            assert isinstance(c.default, int | float)
            if c.min_value is not None:
                assert c.default >= c.min_value
            if c.max_value is not None:
                assert c.default <= c.max_value


def test_settings_defaults_are_in_range() -> None:
    assert len(SETTINGS_BY_KEY) == len(SETTINGS)
    for s in SETTINGS:
        if s.dtype in ("float", "int"):
            assert s.min_value is None or s.default >= s.min_value
            assert s.max_value is None or s.default <= s.max_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cost Flow", "cost_flow"),
        (" cost_flow ", "cost_flow"),
        ("COST-FLOW", "cost_flow"),
        ("cost  __ flow", "cost_flow"),
        ("Mip.Gap", "mip_gap"),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


def test_table_lookup_and_column_lookup() -> None:
    assert table("Lanes").column("capacity").unit == "t/period"
    with pytest.raises(KeyError):
        table("Lanes").column("nope")


def test_markdown_reference_lists_everything() -> None:
    md = markdown_reference()
    for spec in TABLES:
        assert f"### {spec.name}" in md
        for c in spec.columns:
            assert f"| {c.name} |" in md
    for s in SETTINGS:
        assert f"| {s.key} |" in md
