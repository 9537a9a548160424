"""planner.io.template: a documented empty workbook that the reader accepts once filled."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from planner.errors import InputError
from planner.io.excel_reader import read_workbook
from planner.io.template import write_template
from planner.schema import SETTINGS, TABLES, default_settings, table
from planner.validate import validate
from tests.conftest import build_data


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.xlsx"
    write_template(path)
    return path


def _validations(ws: object) -> dict[str, str]:
    """Column letter -> formula1 of the list validations on a sheet."""
    out = {}
    for dv in ws.data_validations.dataValidation:  # type: ignore[attr-defined]
        assert dv.type == "list"
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    return out


def test_readme_first_then_every_table_in_schema_order(template_path: Path) -> None:
    wb = load_workbook(template_path)
    assert wb.sheetnames == ["README"] + [t.name for t in TABLES]


def test_readme_documents_every_column_and_setting(template_path: Path) -> None:
    ws = load_workbook(template_path)["README"]
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    documented = {
        (r[1])
        for r in rows
        if r and len(r) > 2 and r[1] and r[2] in ("str", "float", "int", "bool", "period")
    }
    assert {c.name for t in TABLES for c in t.all_columns} <= documented
    keys = {r[0] for r in rows if r and r[0] in {s.key for s in SETTINGS}}
    assert keys == {s.key for s in SETTINGS}
    lanes_capacity = next(r for r in rows if r[1] == "capacity" and "shipped" in (r[5] or ""))
    assert lanes_capacity[2:5] == ("float", "t/period", "blank")
    assert any(r[0] == "Sites" and "required sheet" in (r[5] or "") for r in rows)


def test_headers_are_bold_frozen_commented(template_path: Path) -> None:
    wb = load_workbook(template_path)
    for spec in TABLES:
        ws = wb[spec.name]
        header = [c.value for c in ws[1]]
        assert header == list(spec.column_names), spec.name
        assert ws.freeze_panes == "A2"
        for cell, col in zip(ws[1], spec.all_columns, strict=True):
            assert cell.font.bold
            assert cell.comment is not None
            assert col.description in cell.comment.text
            assert (
                f"Default: {'required' if col.required else ''}" in cell.comment.text
                or "Default:" in cell.comment.text
            )
            assert ws.column_dimensions[cell.column_letter].width >= 12
    comment = wb["Lanes"]["H1"].comment.text  # capacity
    assert "Unit: t/period." in comment
    assert "Default: blank." in comment


def test_dropdowns_for_enumerations_booleans_references_and_periods(template_path: Path) -> None:
    wb = load_workbook(template_path)
    sites = _validations(wb["Sites"])
    assert sites["C"] == '"mine,recycler,supplier,refinery,metal_plant,magnet_plant,warehouse,demand_region"'
    assert sites["E"] == '"existing,candidate"'
    assert sites["H"] == '"TRUE,FALSE"'  # closable
    assert sites["J"] == "Periods!$A$2:$A$5000"  # earliest_period
    lanes = _validations(wb["Lanes"])
    assert lanes["B"] == "Sites!$A$2:$A$5000"
    assert lanes["C"] == "Sites!$A$2:$A$5000"
    assert lanes["D"] == "Products!$A$2:$A$5000"
    assert "A" not in lanes  # the lane id is free text
    changes = _validations(wb["ScenarioChanges"])
    assert changes["A"] == "Scenarios!$A$2:$A$5000"
    assert changes["E"] == '"set,multiply,add"'
    processes = _validations(wb["Processes"])
    assert '""' not in processes["C"]
    assert processes["C"].startswith('"mine,')
    groups_col = table("Groups").column_names.index("group")
    assert (
        _validations(wb["SourcingRules"])["D"] == f"Groups!${'ABC'[groups_col]}$2:${'ABC'[groups_col]}$5000"
    )


def test_settings_sheet_is_prefilled_with_defaults(template_path: Path) -> None:
    ws = load_workbook(template_path)["Settings"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [s.key for s in SETTINGS]
    values = {r[0]: r[1] for r in rows}
    assert values["mip_gap"] == 0.005
    assert values["currency"] == "USD"
    assert values["reveal_period"] is None


def test_empty_template_reads_with_only_empty_table_errors(template_path: Path) -> None:
    data = read_workbook(template_path)
    assert data.issues == []
    assert data.settings == default_settings()
    issues = validate(data)
    assert sorted((i.sheet, i.code) for i in issues) == [
        ("Periods", "empty_table"),
        ("Products", "empty_table"),
        ("Sites", "empty_table"),
    ]


def test_round_trip_template_fill_read_validate(tmp_path: Path) -> None:
    path = tmp_path / "filled.xlsx"
    write_template(path)
    data = build_data()
    wb = load_workbook(path)
    for spec in TABLES:
        if spec.name == "Settings":
            continue
        frame = data.tables[spec.name]
        ws = wb[spec.name]
        for record in frame.to_dict("records"):
            row = []
            for c in spec.all_columns:
                v = record[c.name]
                if isinstance(v, float) and v != v:
                    v = None
                row.append(int(v) if c.dtype == "int" and v is not None else v)
            ws.append(row)
    settings = wb["Settings"]
    for r in range(2, settings.max_row + 1):
        key = settings.cell(r, 1).value
        if key == "reveal_period":
            settings.cell(r, 2).value = "P2"
        if key == "mip_gap":
            settings.cell(r, 2).value = 0.01
    wb.save(path)

    back = read_workbook(path)
    assert back.issues == []
    assert validate(back) == []
    assert back.settings["reveal_period"] == "P2"
    assert back.settings["mip_gap"] == 0.01
    assert back["Lanes"]["lane"].tolist() == ["L1", "L2", "L3", "L4"]
    assert back["Demand"]["quantity"].tolist() == [10.0, 12.0]


def test_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"keep me")
    with pytest.raises(InputError, match="already exists.*--force"):
        write_template(path)
    assert path.read_bytes() == b"keep me"
    write_template(path, force=True)
    assert path.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]  # no temp file left behind


def test_refuses_a_name_that_is_not_xlsx(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.xlsx"):
        write_template(tmp_path / "t.xls")
    assert not (tmp_path / "t.xls").exists()


def test_written_workbooks_get_the_usual_file_mode(tmp_path: Path) -> None:
    """Atomic writes go through mkstemp (mode 0600); the final file must have the umask's mode."""
    import os
    import stat

    from planner.io.template import write_template

    mask = os.umask(0o022)
    try:
        path = tmp_path / "t.xlsx"
        write_template(path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    finally:
        os.umask(mask)
