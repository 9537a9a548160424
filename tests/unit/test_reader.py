"""planner.io.excel_reader: the InputData contract, messy Excel, refusals and read-only access."""

from __future__ import annotations

import hashlib
import math
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.errors import InputError, Issue
from planner.io import xlsx_guard
from planner.io.excel_reader import ReadLimits, read_workbook
from planner.io.excel_writer import write_input_workbook
from planner.schema import TABLES
from planner.tables import ROW, InputData
from planner.validate import validate
from tests.conftest import (
    BAD_INPUTS,
    build_data,
    make_entity_bomb,
    make_formula_without_value,
    make_many_rows,
    set_cached_value,
    write_sheets,
)

BASE = {
    "Periods": [["period"], ["P1"], ["P2"]],
    "Products": [["product"], ["CONC"], ["MAG"]],
    "Sites": [["site", "type", "country"], ["MINE", "mine", "AU"], ["DR", "demand_region", "DE"]],
}


def sheets(**extra: list[list[object]]) -> dict[str, list[list[object]]]:
    """The three required sheets plus ``extra`` sheets."""
    out: dict[str, list[list[object]]] = {k: [list(r) for r in v] for k, v in BASE.items()}
    out.update(extra)
    return out


def read(tmp_path: Path, name: str = "wb.xlsx", **extra: list[list[object]]) -> InputData:
    return read_workbook(write_sheets(tmp_path / name, sheets(**extra)))


def issue_at(data: InputData, sheet: str, row: int | None, column: str | None) -> Issue:
    found = [i for i in data.issues if (i.sheet, i.row, i.column) == (sheet, row, column)]
    assert found, f"no issue at {sheet} row {row} column {column}; got {data.issues}"
    return found[0]


# ---------------------------------------------------------------------------------------------
# contract


def test_round_trip_through_writer_gives_the_records(tmp_path: Path) -> None:
    data = build_data()
    path = tmp_path / "rt.xlsx"
    write_input_workbook(data, path)
    back = read_workbook(path)
    assert back.issues == []
    assert back.settings["reveal_period"] == "P2"
    assert back.settings["mip_gap"] == pytest.approx(0.01)
    assert back.settings["threads"] == 0
    assert isinstance(back.settings["threads"], int)
    for spec in TABLES:
        if spec.name == "Settings":
            continue
        got, want = back.tables[spec.name], data.tables[spec.name]
        assert list(got.columns) == list(want.columns), spec.name
        assert len(got) == len(want), spec.name
        for c in spec.all_columns:
            g, w = got[c.name].tolist(), want[c.name].tolist()
            if c.dtype in ("float", "int"):
                np.testing.assert_allclose(np.asarray(g, float), np.asarray(w, float), equal_nan=True)
            else:
                # from_records may hold NaN for a missing str; the reader always holds None
                assert g == [None if isinstance(v, float) else v for v in w], (spec.name, c.name)
        assert got[ROW].tolist() == list(range(2, len(want) + 2))


def test_dtypes_follow_the_inputdata_contract(valid_workbook: Path) -> None:
    data = read_workbook(valid_workbook)
    for spec in TABLES:
        frame = data.tables[spec.name]
        assert list(frame.columns) == [*spec.column_names, ROW]
        assert frame[ROW].dtype == np.int64
        for c in spec.all_columns:
            col = frame[c.name]
            if c.dtype in ("float", "int"):
                assert col.dtype == np.float64, (spec.name, c.name)
            elif c.dtype == "bool":
                assert col.dtype == np.bool_, (spec.name, c.name)
            else:
                assert col.dtype == object, (spec.name, c.name)
                assert all(v is None or type(v) is str for v in col), (spec.name, c.name)
    lanes = data["Lanes"].set_index("lane")
    assert math.isnan(lanes.loc["L1", "capacity"])  # blank without default -> NaN
    assert lanes.loc["L2", "transit_periods"] == 1.0
    assert lanes.loc["L3", "product"] is None or lanes.loc["L3", "product"] == ""
    assert bool(lanes.loc["L3", "qualification"]) is True
    assert data["Sites"].set_index("site").loc["MINE", "confidence"] == "A"


def test_sha256_and_path_are_recorded(valid_workbook: Path) -> None:
    data = read_workbook(valid_workbook)
    assert data.sha256 == hashlib.sha256(valid_workbook.read_bytes()).hexdigest()
    assert data.path == valid_workbook
    assert set(data.present_sheets) >= {"Periods", "Products", "Sites", "Lanes", "Settings"}


def test_reading_and_validating_leave_the_file_untouched(valid_workbook: Path) -> None:
    old = time.time() - 3600
    os.utime(valid_workbook, (old, old))
    before_bytes, before_mtime = valid_workbook.read_bytes(), valid_workbook.stat().st_mtime_ns
    validate(read_workbook(valid_workbook))
    assert valid_workbook.read_bytes() == before_bytes
    assert valid_workbook.stat().st_mtime_ns == before_mtime
    assert sorted(p.name for p in valid_workbook.parent.iterdir()) == ["valid.xlsx"]


# ---------------------------------------------------------------------------------------------
# messy Excel that must be accepted


@pytest.mark.parametrize("header", ["Cost Flow", " cost_flow ", "COST-FLOW", "cost flow"])
def test_header_case_and_spacing(tmp_path: Path, header: str) -> None:
    data = read(tmp_path, Lanes=[["Lane", " ORIGIN", "Destination ", header], ["L1", "MINE", "DR", 4.5]])
    assert data.issues == []
    assert data["Lanes"]["cost_flow"].tolist() == [4.5]
    assert data["Lanes"]["origin"].tolist() == ["MINE"]


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("cost_flow", "1,234.5", 1234.5),
        ("cost_flow", " 12 ", 12.0),
        ("tariff_rate", "5%", 0.05),
        ("cost_flow", "1e3", 1000.0),
    ],
)
def test_numbers_stored_as_text(tmp_path: Path, column: str, text: str, expected: float) -> None:
    data = read(tmp_path, Lanes=[["lane", "origin", "destination", column], ["L1", "MINE", "DR", text]])
    assert data.issues == []
    assert data["Lanes"][column].tolist() == [pytest.approx(expected)]


def test_blank_rows_are_skipped_and_rows_keep_their_excel_number(tmp_path: Path) -> None:
    data = read(
        tmp_path,
        Lanes=[
            ["lane", "origin", "destination"],
            ["L1", "MINE", "DR"],
            [None, None, None],
            ["  ", None, ""],
            ["L2", "DR", "MINE"],
            [None, None, None],
            [None, None, None],
        ],
    )
    assert data.issues == []
    assert data["Lanes"]["lane"].tolist() == ["L1", "L2"]
    assert data["Lanes"][ROW].tolist() == [2, 5]


def test_blank_cells_take_the_default(tmp_path: Path) -> None:
    data = read(
        tmp_path,
        Lanes=[
            ["lane", "origin", "destination", "cost_flow", "qualification", "capacity"],
            ["L1", "MINE", "DR", None, None, None],
        ],
    )
    row = data["Lanes"].iloc[0]
    assert row["cost_flow"] == 0.0
    assert row["qualification"] is False or row["qualification"] == np.False_
    assert math.isnan(row["capacity"])
    assert row["product"] == ""  # str default
    assert row["transit_periods"] == 0.0  # column not in the sheet at all -> default


def test_extra_column_is_a_warning_and_ignored(tmp_path: Path) -> None:
    data = read(tmp_path, Lanes=[["lane", "origin", "destination", "Notes"], ["L1", "MINE", "DR", "hello"]])
    issue = issue_at(data, "Lanes", 1, "Notes")
    assert issue.severity == "warning"
    assert "ignored" in issue.message
    assert "Notes" not in data["Lanes"].columns
    assert "notes" not in data["Lanes"].columns


def test_extra_column_close_to_a_real_one_suggests_it(tmp_path: Path) -> None:
    data = read(tmp_path, Lanes=[["lane", "origin", "destination", "cost_flw"], ["L1", "MINE", "DR", 3]])
    assert "did you mean 'cost_flow'" in issue_at(data, "Lanes", 1, "cost_flw").message


def test_sheets_in_any_order_and_any_case(tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "wb.xlsx",
        {
            "lanes": [["lane", "origin", "destination"], ["L1", "MINE", "DR"]],
            "SITES": BASE["Sites"],
            "process flows": [["process", "product", "direction", "quantity"]],
            "products": BASE["Products"],
            "Periods": BASE["Periods"],
        },
    )
    data = read_workbook(path)
    assert data.issues == []
    assert data["Lanes"]["lane"].tolist() == ["L1"]
    assert data["Sites"]["site"].tolist() == ["MINE", "DR"]
    assert set(data.present_sheets) == {"Lanes", "Sites", "ProcessFlows", "Products", "Periods"}


def test_unknown_sheet_is_a_warning_and_readme_is_ignored(tmp_path: Path) -> None:
    data = read(tmp_path, README=[["anything"]], Lane=[["lane"], ["L1"]])
    assert [(i.sheet, i.severity, i.code) for i in data.issues] == [("Lane", "warning", "unknown_sheet")]
    assert "did you mean 'Lanes'" in data.issues[0].message


def test_formula_cells_use_their_saved_value(tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "wb.xlsx",
        sheets(Demand=[["site", "product", "period", "quantity"], ["DR", "MAG", '="P"&1', "=2*5"]]),
    )
    demand_part = "xl/worksheets/sheet4.xml"
    set_cached_value(path, demand_part, "C2", "P1")
    set_cached_value(path, demand_part, "D2", 10)
    data = read_workbook(path)
    assert data.issues == []
    assert data["Demand"]["period"].tolist() == ["P1"]
    assert data["Demand"]["quantity"].tolist() == [10.0]


def test_formula_without_saved_value_is_located(tmp_path: Path) -> None:
    data = read_workbook(make_formula_without_value(tmp_path / "f.xlsx"))
    issue = issue_at(data, "Demand", 2, "quantity")
    assert issue.severity == "error"
    assert issue.value == "=2*5"
    assert "formula has no saved value" in issue.message
    assert "open and save the workbook" in issue.message
    # reported once: not again as a blank required cell
    assert [i.code for i in data.issues] == ["formula_no_value"]


def test_excel_error_value_is_reported(tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "wb.xlsx",
        sheets(Lanes=[["lane", "origin", "destination", "cost_flow"], ["L1", "MINE", "DR", "=1/0"]]),
    )
    rewrite = set_cached_value(path, "xl/worksheets/sheet4.xml", "D2", "#DIV/0!")
    data = read_workbook(rewrite)
    issue = issue_at(data, "Lanes", 2, "cost_flow")
    assert "#DIV/0!" in issue.message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (True, True),
        (False, False),
        ("TRUE", True),
        ("false", False),
        ("yes", True),
        ("No", False),
        ("y", True),
        ("n", False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
    ],
)
def test_booleans_in_every_spelling(tmp_path: Path, cell: object, expected: bool) -> None:
    data = read(
        tmp_path,
        Lanes=[["lane", "origin", "destination", "qualification", "capacity"], ["L1", "MINE", "DR", cell, 5]],
    )
    assert data.issues == []
    assert data["Lanes"]["qualification"].tolist() == [expected]


@pytest.mark.parametrize("cell", [3.0, "3", " 3.0 ", 3])
def test_ints_given_as_floats_or_text(tmp_path: Path, cell: object) -> None:
    data = read(
        tmp_path, Lanes=[["lane", "origin", "destination", "transit_periods"], ["L1", "MINE", "DR", cell]]
    )
    assert data.issues == []
    assert data["Lanes"]["transit_periods"].tolist() == [3.0]
    assert data["Lanes"]["transit_periods"].dtype == np.float64


def test_ids_typed_as_numbers_become_text(tmp_path: Path) -> None:
    path = write_sheets(tmp_path / "wb.xlsx", sheets(Periods=[["period"], [2026], [2027.0]]))
    data = read_workbook(path)
    assert data["Periods"]["period"].tolist() == ["2026", "2027"]


def test_enumeration_case_is_tolerated(tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "wb.xlsx",
        sheets(Sites=[["site", "type", "country", "status"], ["NEW", "Magnet_Plant", "US", "Candidate"]]),
    )
    data = read_workbook(path)
    assert data.issues == []
    assert data["Sites"]["type"].tolist() == ["magnet_plant"]
    assert data["Sites"]["status"].tolist() == ["candidate"]


# ---------------------------------------------------------------------------------------------
# cell problems: located, all collected


def test_every_bad_cell_is_reported_with_location(tmp_path: Path) -> None:
    data = read(
        tmp_path,
        Lanes=[
            ["lane", "origin", "destination", "cost_flow", "qualification", "transit_periods", "tariff_rate"],
            ["L1", "MINE", "DR", "cheap", "maybe", 1.5, -0.1],
            ["L2", None, "DR", "nan", True, 0, "inf"],
        ],
    )
    got = {(i.sheet, i.row, i.column): i for i in data.issues}
    assert set(got) == {
        ("Lanes", 2, "cost_flow"),
        ("Lanes", 2, "qualification"),
        ("Lanes", 2, "transit_periods"),
        ("Lanes", 2, "tariff_rate"),
        ("Lanes", 3, "origin"),
        ("Lanes", 3, "cost_flow"),
        ("Lanes", 3, "tariff_rate"),
    }
    assert all(i.severity == "error" for i in got.values())
    assert got[("Lanes", 2, "cost_flow")].value == "cheap"
    assert got[("Lanes", 2, "cost_flow")].message.startswith("expected a number >= 0")
    assert "TRUE or FALSE" in got[("Lanes", 2, "qualification")].message
    assert "whole number" in got[("Lanes", 2, "transit_periods")].message
    assert got[("Lanes", 2, "tariff_rate")].value == -0.1
    assert "required" in got[("Lanes", 3, "origin")].message
    assert "finite" in got[("Lanes", 3, "cost_flow")].message
    # bad cells hold the default so the frame keeps its contract
    assert data["Lanes"]["cost_flow"].tolist() == [0.0, 0.0]
    assert data["Lanes"]["origin"].tolist() == ["MINE", None]


def test_value_outside_allowed_suggests_the_closest(tmp_path: Path) -> None:
    data = read_workbook(
        write_sheets(
            tmp_path / "wb.xlsx", sheets(Sites=[["site", "type", "country"], ["X", "refinary", "US"]])
        )
    )
    issue = issue_at(data, "Sites", 2, "type")
    assert issue.value == "refinary"
    assert "expected one of" in issue.message
    assert "did you mean 'refinery'" in issue.message


def test_above_max_value(tmp_path: Path) -> None:
    data = read(tmp_path, Scenarios=[["scenario", "probability"], ["S1", 1.5]])
    issue = issue_at(data, "Scenarios", 2, "probability")
    assert (
        issue.message == "expected a number between 0 and 1 - a share, not a percentage: did you mean 0.015?"
    )
    assert issue.value == 1.5


def test_date_in_number_column(tmp_path: Path) -> None:
    import datetime as dt

    data = read(
        tmp_path,
        Lanes=[["lane", "origin", "destination", "cost_flow"], ["L1", "MINE", "DR", dt.datetime(2026, 1, 2)]],
    )
    assert "not a date" in issue_at(data, "Lanes", 2, "cost_flow").message


def test_missing_required_sheet_and_column(tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "wb.xlsx",
        {"Periods": BASE["Periods"], "Sites": [["site", "country"], ["MINE", "AU"]]},
    )
    data = read_workbook(path)
    sheet_issue = issue_at(data, "Products", None, None)
    assert sheet_issue.code == "missing_sheet"
    assert "add a sheet named Products" in sheet_issue.message
    col_issue = issue_at(data, "Sites", 1, "type")
    assert col_issue.code == "missing_column"
    assert col_issue.severity == "error"
    assert data["Products"].empty
    assert list(data["Products"].columns)[-1] == ROW


def test_duplicate_header_is_an_error(tmp_path: Path) -> None:
    data = read(tmp_path, Lanes=[["lane", "origin", "Origin", "destination"], ["L1", "MINE", "DR", "DR"]])
    issue = issue_at(data, "Lanes", 1, "origin")
    assert issue.code == "duplicate_column"
    assert data["Lanes"]["origin"].tolist() == ["MINE"]


def test_data_without_header_is_a_warning(tmp_path: Path) -> None:
    data = read(tmp_path, Lanes=[["lane", "origin", "destination"], ["L1", "MINE", "DR", "stray"]])
    issue = issue_at(data, "Lanes", 1, None)
    assert issue.code == "no_header"
    assert "column 4" in issue.message


# ---------------------------------------------------------------------------------------------
# settings


def test_settings_are_typed_defaulted_and_checked(tmp_path: Path) -> None:
    data = read(
        tmp_path,
        Settings=[
            ["Setting", "Value"],
            ["MIP Gap", "0.02"],
            ["threads", 4.0],
            ["reveal_period", "P2"],
            ["risk_weigth", 1],
            ["time_limit", "soon"],
            ["cvar_alpha", 2],
            ["currency", "EUR"],
            ["discount_rate", None],
        ],
    )
    s = data.settings
    assert s["mip_gap"] == pytest.approx(0.02)
    assert s["threads"] == 4
    assert isinstance(s["threads"], int)
    assert s["reveal_period"] == "P2"
    assert s["currency"] == "EUR"
    assert s["time_limit"] == 60.0
    assert s["cvar_alpha"] == 0.95
    assert s["discount_rate"] == 0.0
    assert s["shortage_penalty"] == 1.0e6
    unknown = issue_at(data, "Settings", 5, "setting")
    assert unknown.severity == "warning"
    assert "did you mean 'risk_weight'" in unknown.message
    bad = issue_at(data, "Settings", 6, "value")
    assert bad.severity == "error"
    assert bad.message.startswith("time_limit: expected a number >= 0")
    assert (
        issue_at(data, "Settings", 7, "value").message
        == "cvar_alpha: expected a number between 0 and 0.999999"
    )


# ---------------------------------------------------------------------------------------------
# refusals: one clear line


@pytest.mark.parametrize(
    ("kind", "code", "words"),
    [
        ("missing", "file_missing", "file not found"),
        ("directory", "not_a_file", "is a directory"),
        ("xls_magic", "ole_file", "encrypted or legacy .xls"),
        ("encrypted_like", "ole_file", "save it as an unencrypted .xlsx"),
        ("csv_renamed", "not_xlsx", "CSV"),
        ("zip_of_other", "not_xlsx", "zip archive but not an Excel"),
        ("entity_bomb", "xml_entities", "entit"),
        ("xxe", "xml_entities", "entit"),
    ],
)
def test_unreadable_files_are_refused_with_one_issue(
    tmp_path: Path, kind: str, code: str, words: str
) -> None:
    path = BAD_INPUTS[kind](tmp_path / f"{kind}.xlsx")
    with pytest.raises(InputError) as info:
        read_workbook(path)
    assert len(info.value.issues) == 1
    issue = info.value.issues[0]
    assert issue.severity == "error"
    assert issue.code == code
    assert words in issue.message
    assert "\n" not in issue.message


def test_defusedxml_is_the_second_line_of_defence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_guard, "declares_entities", lambda head: False)
    with pytest.raises(InputError) as info:
        read_workbook(make_entity_bomb(tmp_path / "bomb.xlsx"))
    assert info.value.issues[0].code == "xml_entities"
    assert (
        "EntitiesForbidden" in info.value.issues[0].message or "DTDForbidden" in info.value.issues[0].message
    )


def test_too_many_bytes(tmp_path: Path, valid_workbook: Path) -> None:
    size = valid_workbook.stat().st_size
    with pytest.raises(InputError) as info:
        read_workbook(valid_workbook, ReadLimits(max_bytes=size - 1))
    assert info.value.issues[0].code == "too_big"
    assert f"{size:,} bytes" in info.value.issues[0].message
    assert read_workbook(valid_workbook, ReadLimits(max_bytes=size)).issues == []


def test_too_many_rows(tmp_path: Path) -> None:
    path = make_many_rows(tmp_path / "rows.xlsx", 11)
    with pytest.raises(InputError) as info:
        read_workbook(path, ReadLimits(max_rows=10))
    assert info.value.issues[0].code == "too_many_rows"
    assert "Periods" in info.value.issues[0].message
    assert len(read_workbook(path, ReadLimits(max_rows=11))["Periods"]) == 11


def test_zip_that_expands_too_much_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_sheets(
        tmp_path / "z.xlsx", {"Periods": [["period"]] + [["P" + "x" * 200] for _ in range(200)]}
    )
    size = path.stat().st_size
    assert len(read_workbook(path, ReadLimits(max_bytes=size))["Periods"]) == 200  # within 20 x max_bytes
    monkeypatch.setattr(xlsx_guard, "ZIP_EXPANSION_LIMIT", 1)
    with pytest.raises(InputError) as info:
        read_workbook(path, ReadLimits(max_bytes=size))
    assert info.value.issues[0].code == "too_big"
    assert "expands to" in info.value.issues[0].message


def test_reader_output_is_a_dataframe_per_table(valid_workbook: Path) -> None:
    data = read_workbook(valid_workbook)
    assert set(data.tables) == {t.name for t in TABLES}
    assert all(isinstance(f, pd.DataFrame) for f in data.tables.values())


def test_defusedxml_guards_sheet_xml_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import make_xxe

    monkeypatch.setattr(xlsx_guard, "declares_entities", lambda head: False)
    with pytest.raises(InputError) as info:
        read_workbook(make_xxe(tmp_path / "xxe.xlsx"))
    assert info.value.issues[0].code == "xml_entities"
    assert "EntitiesForbidden" in info.value.issues[0].message


def test_formula_returning_empty_text_is_a_blank_cell(tmp_path: Path) -> None:
    """Excel saves =IF(..,"",..) results as t="str" with an empty value: blank, not missing."""
    path = write_sheets(
        tmp_path / "wb.xlsx",
        sheets(
            Lanes=[
                ["lane", "origin", "destination", "mode"],
                ["L1", "MINE", "DR", '=IF(1,"","x")'],
                ['=IF(1,"","x")', '=IF(1,"","x")', '=IF(1,"","x")', '=IF(1,"","x")'],  # filled-down formulas
            ]
        ),
    )

    def computed_empty(text: str) -> str:
        import re

        return re.sub(r'<c r="([A-Z]+[0-9]+)"><f>', r'<c r="\1" t="str"><f>', text).replace(
            "<v />", "<v></v>"
        )

    from tests.conftest import rewrite_part

    rewrite_part(path, "xl/worksheets/sheet4.xml", computed_empty)
    data = read_workbook(path)
    assert data.issues == []
    assert data["Lanes"]["lane"].tolist() == ["L1"]
    assert data["Lanes"]["mode"].tolist() == [""]  # default of mode


def test_array_formula_without_saved_value_is_located(tmp_path: Path) -> None:
    path = write_sheets(
        tmp_path / "wb.xlsx",
        sheets(Lanes=[["lane", "origin", "destination", "cost_flow"], ["L1", "MINE", "DR", 1]]),
    )
    from tests.conftest import rewrite_part

    rewrite_part(
        path,
        "xl/worksheets/sheet4.xml",
        lambda t: t.replace(
            '<c r="D2" t="n"><v>1</v></c>', '<c r="D2"><f t="array" ref="D2">SUM(1*2)</f></c>'
        ),
    )
    data = read_workbook(path)
    issue = issue_at(data, "Lanes", 2, "cost_flow")
    assert issue.code == "formula_no_value"


def test_written_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    """A site named like a formula survives write -> read as the same text (no formula injection)."""
    from planner.io.excel_reader import read_workbook
    from planner.io.excel_writer import write_input_workbook
    from planner.tables import from_records
    from tests.conftest import valid_records

    records = valid_records()
    records["Sites"][0]["name"] = '=HYPERLINK("http://x","y")'
    path = tmp_path / "inj.xlsx"
    write_input_workbook(from_records(records), path)
    data = read_workbook(path)
    assert data["Sites"]["name"].iloc[0] == '=HYPERLINK("http://x","y")'
    assert not [i for i in data.issues if i.severity == "error"]
