"""planner.io.excel_reader against malformed and hostile workbooks (#15): each built here, in tmp_path."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from planner.errors import InputError, Issue
from planner.io import xlsx_guard
from planner.io.excel_reader import read_workbook
from planner.tables import ROW, InputData
from planner.validate import validate
from tests.conftest import rewrite_part, write_sheets

BASE = {
    "Periods": [["period"], ["P1"], ["P2"]],
    "Products": [["product"], ["CONC"], ["MAG"]],
    "Sites": [["site", "type", "country"], ["MINE", "mine", "AU"], ["DR", "demand_region", "DE"]],
}
DEMAND = [["site", "product", "period", "quantity"], ["DR", "MAG", "P1", 1], ["DR", "MAG", "P2", 2]]
SHEET4 = "xl/worksheets/sheet4.xml"  # the first sheet after the three of BASE


def workbook(path: Path, **extra: list[list[object]]) -> Path:
    sheets: dict[str, list[list[object]]] = {k: [list(r) for r in v] for k, v in BASE.items()}
    sheets.update(extra)
    return write_sheets(path, sheets)


def set_dimension(ref: str):  # type: ignore[no-untyped-def]
    def edit(text: str) -> str:
        new, n = re.subn(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', text)
        assert n == 1
        return new

    return edit


def add_before_sheetdata_end(xml: str):  # type: ignore[no-untyped-def]
    return lambda text: text.replace("</sheetData>", xml + "</sheetData>", 1)


def refusal(path: Path) -> Issue:
    with pytest.raises(InputError) as info:
        read_workbook(path)
    assert len(info.value.issues) == 1
    issue = info.value.issues[0]
    assert issue.severity == "error"
    assert "\n" not in issue.message
    return issue


def located(data: InputData, code: str) -> list[tuple[str, int | None, str | None]]:
    return [(i.sheet, i.row, i.column) for i in data.issues if i.code == code]


def rezip(path: Path, method: int = zipfile.ZIP_STORED, drop: str = "") -> Path:
    """Rewrite the zip with every part stored with ``method``, leaving out part ``drop``."""
    with zipfile.ZipFile(path) as zin:
        items = [(i.filename, zin.read(i)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", method) as zout:
        for name, data in items:
            if name != drop:
                zout.writestr(name, data)
    return path


# ---------------------------------------------------------------------------------------------
# 1. the declared <dimension> does not decide what is read


def test_a_stale_dimension_does_not_drop_a_row(tmp_path: Path) -> None:
    path = rewrite_part(workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, set_dimension("A1:H2"))
    data = read_workbook(path)
    assert data.issues == []
    assert data["Demand"]["period"].tolist() == ["P1", "P2"]
    assert data["Demand"][ROW].tolist() == [2, 3]


def test_a_narrow_dimension_does_not_drop_a_column(tmp_path: Path) -> None:
    contracts = [
        ["contract", "supplier", "product", "buyer", "min_per_period", "max_per_period", "price"],
        ["C1", "MINE", "CONC", "DR", 1, 20, 5],
        ["C2", "MINE", "CONC", "DR", 2, 30, 6],
    ]
    path = rewrite_part(workbook(tmp_path / "w.xlsx", Contracts=contracts), SHEET4, set_dimension("A1:F3"))
    data = read_workbook(path)
    assert data.issues == []
    assert data["Contracts"]["price"].tolist() == [5.0, 6.0]


def test_a_missing_dimension_and_rows_without_numbers_are_read(tmp_path: Path) -> None:
    def edit(text: str) -> str:
        text = re.sub(r"<dimension [^>]*/>", "", text)
        return re.sub(r'<row r="\d+"', "<row", re.sub(r'<c r="[A-Z]+\d+"', "<c", text))

    data = read_workbook(rewrite_part(workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, edit))
    assert data.issues == []
    assert data["Demand"]["quantity"].tolist() == [1.0, 2.0]
    assert data["Demand"][ROW].tolist() == [2, 3]


def test_a_repeated_row_number_is_an_error_at_that_row(tmp_path: Path) -> None:
    path = rewrite_part(
        workbook(tmp_path / "w.xlsx", Demand=DEMAND),
        SHEET4,
        lambda t: t.replace('<row r="3">', '<row r="2">').replace('r="A3"', 'r="A2"'),
    )
    data = read_workbook(path)
    assert located(data, "duplicate_row") == [("Demand", 2, None)]
    issue = next(i for i in data.issues if i.code == "duplicate_row")
    assert issue.severity == "error"
    assert "row 2 appears more than once" in issue.message
    assert "only its first copy was read" in issue.message
    assert "save it again" in issue.message
    assert data["Demand"]["period"].tolist() == ["P1"]


def test_rows_out_of_order_are_all_read(tmp_path: Path) -> None:
    def swap(text: str) -> str:
        rows = re.findall(r"<row .*?</row>", text)
        return text.replace(rows[1] + rows[2], rows[2] + rows[1])

    data = read_workbook(rewrite_part(workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, swap))
    assert data.issues == []
    assert data["Demand"][ROW].tolist() == [2, 3]
    assert data["Demand"]["period"].tolist() == ["P1", "P2"]


def test_a_sheet_whose_part_is_missing_is_refused_by_name(tmp_path: Path) -> None:
    path = rezip(workbook(tmp_path / "w.xlsx", Demand=DEMAND), zipfile.ZIP_DEFLATED, drop=SHEET4)
    issue = refusal(path)
    assert issue.code == "missing_part"
    assert issue.sheet == "Demand"
    assert "sheet 'Demand' is listed in the workbook but its data" in issue.message
    assert "save it again" in issue.message


# ---------------------------------------------------------------------------------------------
# 2. hangs and memory


def test_a_space_in_the_last_cell_validates_in_seconds(tmp_path: Path) -> None:
    path = workbook(tmp_path / "w.xlsx", Demand=DEMAND)
    rewrite_part(path, SHEET4, set_dimension("A1:XFD1048576"))
    rewrite_part(
        path,
        SHEET4,
        add_before_sheetdata_end(
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t> </t></is></c></row>'
        ),
    )
    rewrite_part(  # and a header padded with a space far to the right
        path,
        SHEET4,
        lambda t: t.replace(
            "</row>", '<c r="XFD1" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>', 1
        ),
    )
    start = time.perf_counter()
    issues = validate(read_workbook(path))
    assert time.perf_counter() - start < 5.0
    assert issues == validate(read_workbook(workbook(tmp_path / "plain.xlsx", Demand=DEMAND)))


def test_a_huge_declared_dimension_allocates_nothing_per_cell(tmp_path: Path) -> None:
    path = rewrite_part(workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, set_dimension("A1:XFD20001"))
    tracemalloc.start()
    try:
        data = read_workbook(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data.issues == []
    assert len(data["Demand"]) == 2
    assert peak < 5_000_000  # 16,384 x 20,001 cells would be gigabytes


def test_data_far_right_of_the_header_is_a_warning_not_a_row(tmp_path: Path) -> None:
    path = rewrite_part(
        workbook(tmp_path / "w.xlsx", Demand=DEMAND),
        SHEET4,
        add_before_sheetdata_end('<row r="9"><c r="XFD9" t="inlineStr"><is><t>note</t></is></c></row>'),
    )
    data = read_workbook(path)
    assert [(i.code, i.row, i.message) for i in data.issues] == [
        ("no_header", 1, "column 16384 has data but no header; it is ignored (give it a header)")
    ]
    assert data["Demand"][ROW].tolist() == [2, 3]


def with_shared_strings(path: Path, part: str) -> Path:
    """Move the inline strings of sheet ``part`` into a shared-strings table, as Excel stores them."""
    texts: list[str] = []

    def share(match: re.Match[str]) -> str:
        texts.append(match.group(1))
        return f't="s"><v>{len(texts) - 1}</v>'

    rewrite_part(path, part, lambda t: re.sub(r't="inlineStr"><is><t>(.*?)</t></is>', share, t))
    sst = "".join(f"<si><t>{t}</t></si>" for t in texts)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(texts)}" uniqueCount="{len(texts)}">{sst}</sst>',
        )
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    return rewrite_part(
        path,
        "[Content_Types].xml",
        lambda t: t.replace(
            "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content_type}"/></Types>'
        ),
    )


def test_a_runaway_shared_strings_table_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = with_shared_strings(workbook(tmp_path / "w.xlsx"), "xl/worksheets/sheet1.xml")
    with zipfile.ZipFile(path) as zf:
        size = zf.getinfo("xl/sharedStrings.xml").file_size
    data = read_workbook(path)
    assert data.issues == []
    assert data["Periods"]["period"].tolist() == ["P1", "P2"]
    assert xlsx_guard.SHARED_STRINGS_LIMIT == 200_000_000
    monkeypatch.setattr(xlsx_guard, "SHARED_STRINGS_LIMIT", size - 1)
    issue = refusal(path)
    assert issue.code == "too_big"
    assert f"the shared-strings table (xl/sharedStrings.xml) expands to {size:,} bytes" in issue.message


# ---------------------------------------------------------------------------------------------
# 5. crashes become sentences


def test_deflate64_parts_are_refused_with_the_fix(tmp_path: Path) -> None:
    path = rezip(workbook(tmp_path / "w.xlsx"))
    content = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, method_at, name_len_at, header in (
        (b"PK\x03\x04", 8, 26, 30),
        (b"PK\x01\x02", 10, 28, 46),
    ):
        at = content.find(signature)
        while at != -1:
            (length,) = struct.unpack("<H", content[at + name_len_at : at + name_len_at + 2])
            if content[at + header : at + header + length] == name:
                content[at + method_at : at + method_at + 2] = struct.pack("<H", 9)
            at = content.find(signature, at + 4)
    path.write_bytes(bytes(content))
    issue = refusal(path)
    assert issue.code == "zip_method"
    assert "compressed with Deflate64" in issue.message
    assert "save it again as an Excel Workbook (.xlsx)" in issue.message


def test_truncated_sheet_xml_is_refused_by_sheet(tmp_path: Path) -> None:
    path = rewrite_part(workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, lambda t: t[: len(t) // 2])
    issue = refusal(path)
    assert issue.sheet == "Demand"
    assert "sheet 'Demand' cannot be read: its XML is truncated or malformed" in issue.message
    assert "save it again" in issue.message


def test_shared_string_index_out_of_range_is_refused_with_the_cell(tmp_path: Path) -> None:
    path = with_shared_strings(workbook(tmp_path / "w.xlsx"), "xl/worksheets/sheet1.xml")
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda t: t.replace("<v>1</v>", "<v>99</v>"))
    issue = refusal(path)
    assert issue.sheet == "Periods"
    assert "cell A2 refers to entry 99 of the shared-strings table, which has only 3 entries" in issue.message
    assert "damaged" in issue.message


def test_a_chart_sheet_named_like_a_table_is_located(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in BASE.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(wb["Periods"], min_col=1, min_row=1, max_row=3))
    wb.create_chartsheet("Demand").add_chart(chart)
    wb.save(tmp_path / "w.xlsx")
    data = read_workbook(tmp_path / "w.xlsx")
    assert [(i.severity, i.sheet, i.code) for i in data.issues] == [("error", "Demand", "missing_sheet")]
    assert "sheet 'Demand' is a chart sheet, not a worksheet" in data.issues[0].message
    assert data["Demand"].empty


def test_bad_crc_names_the_damage_and_the_fix(tmp_path: Path) -> None:
    path = rezip(workbook(tmp_path / "w.xlsx"))
    content = path.read_bytes()
    path.write_bytes(content.replace(b"<t>P1</t>", b"<t>Q1</t>", 1))
    issue = refusal(path)
    assert issue.code == "damaged_zip"
    assert "Bad CRC-32" in issue.message
    assert "restore an undamaged copy" in issue.message


def test_renamed_ods_and_xlsb_are_named(tmp_path: Path) -> None:
    ods = tmp_path / "ods.xlsx"
    with zipfile.ZipFile(ods, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    issue = refusal(ods)
    assert issue.code == "not_xlsx"
    assert "OpenDocument spreadsheet (.ods)" in issue.message
    assert "save it as an Excel Workbook (.xlsx)" in issue.message
    xlsb = tmp_path / "xlsb.xlsx"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    issue = refusal(xlsb)
    assert "Excel Binary Workbook (.xlsb)" in issue.message


def test_strict_open_xml_is_named(tmp_path: Path) -> None:
    path = rewrite_part(
        workbook(tmp_path / "w.xlsx"),
        "xl/workbook.xml",
        lambda t: t.replace(
            "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            "http://purl.oclc.org/ooxml/spreadsheetml/main",
        ),
    )
    issue = refusal(path)
    assert issue.code == "strict_xlsx"
    assert "Strict Open XML" in issue.message
    assert "'Excel Workbook (*.xlsx)'" in issue.message


def test_the_command_line_exits_2_for_a_damaged_workbook(tmp_path: Path) -> None:
    path = rewrite_part(workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, lambda t: t[: len(t) // 2])
    result = subprocess.run(
        [sys.executable, "-m", "planner.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "truncated or malformed" in result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------
# 4. what Excel hides is read, with a located warning


def hidden_workbook(path: Path, state: str = "visible", rows: tuple[int, ...] = (), column: str = "") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in {**BASE, "Demand": DEMAND}.items():
        ws = wb.create_sheet(name)
        for row in sheet_rows:
            ws.append(row)
    ws = wb["Demand"]
    ws.sheet_state = state
    for r in rows:
        ws.row_dimensions[r].hidden = True
    if column:
        ws.column_dimensions[column].hidden = True
    wb.save(path)
    return path


@pytest.mark.parametrize(("state", "words"), [("hidden", "is hidden"), ("veryHidden", "is very hidden")])
def test_a_hidden_sheet_is_read_with_a_warning(tmp_path: Path, state: str, words: str) -> None:
    data = read_workbook(hidden_workbook(tmp_path / "w.xlsx", state=state))
    assert [(i.severity, i.sheet, i.row, i.code) for i in data.issues] == [
        ("warning", "Demand", None, "hidden_sheet")
    ]
    assert f"sheet 'Demand' {words}" in data.issues[0].message
    assert "but is read" in data.issues[0].message
    assert data["Demand"]["quantity"].tolist() == [1.0, 2.0]


def test_a_hidden_row_is_read_with_a_warning_at_that_row(tmp_path: Path) -> None:
    data = read_workbook(hidden_workbook(tmp_path / "w.xlsx", rows=(3,)))
    assert [(i.severity, i.sheet, i.row, i.code) for i in data.issues] == [
        ("warning", "Demand", 3, "hidden_row")
    ]
    assert "row 3 is hidden but is read; a hidden row usually means 'not this one'" in data.issues[0].message
    assert data["Demand"][ROW].tolist() == [2, 3]
    assert data.issues[0] in validate(data)  # the validator passes the reader's warning on


def test_a_hidden_blank_row_is_not_worth_a_warning(tmp_path: Path) -> None:
    assert read_workbook(hidden_workbook(tmp_path / "w.xlsx", rows=(7,))).issues == []


def test_a_hidden_column_is_read_with_a_warning_naming_it(tmp_path: Path) -> None:
    data = read_workbook(hidden_workbook(tmp_path / "w.xlsx", column="D"))
    assert [(i.severity, i.sheet, i.column, i.code) for i in data.issues] == [
        ("warning", "Demand", "quantity", "hidden_column")
    ]
    assert "column 'quantity' (column 4) is hidden but is read" in data.issues[0].message
    assert data["Demand"]["quantity"].tolist() == [1.0, 2.0]


def test_a_hidden_extra_column_is_only_reported_as_ignored(tmp_path: Path) -> None:
    path = hidden_workbook(tmp_path / "w.xlsx", column="E")
    rewrite_part(
        path,
        SHEET4,
        lambda t: t.replace("</row>", '<c r="E1" t="inlineStr"><is><t>notes</t></is></c></row>', 1),
    )
    assert [i.code for i in read_workbook(path).issues] == ["extra_column"]


def test_filtered_out_rows_are_read_with_a_warning_each(tmp_path: Path) -> None:
    path = hidden_workbook(tmp_path / "w.xlsx", rows=(2, 3))
    rewrite_part(path, SHEET4, lambda t: t.replace("</sheetData>", '</sheetData><autoFilter ref="A1:D3"/>'))
    data = read_workbook(path)
    assert located(data, "filtered_row") == [("Demand", 2, None), ("Demand", 3, None)]
    assert "row 2 is filtered out by the sheet's AutoFilter but is read" in data.issues[0].message
    assert len(data["Demand"]) == 2


def test_many_hidden_rows_are_summed_up_after_the_first_twenty(tmp_path: Path) -> None:
    from planner.io import excel_reader

    many = [DEMAND[0]] + [["DR", "MAG", "P1", i] for i in range(30)]
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in {**BASE, "Demand": many}.items():
        ws = wb.create_sheet(name)
        for row in sheet_rows:
            ws.append(row)
    for r in range(2, 32):
        wb["Demand"].row_dimensions[r].hidden = True
    wb.save(tmp_path / "w.xlsx")
    data = read_workbook(tmp_path / "w.xlsx")
    hidden = [i for i in data.issues if i.code == "hidden_row"]
    assert len(hidden) == excel_reader.HIDDEN_ROWS_LISTED + 1
    assert hidden[-1].row == 22
    assert "10 more rows are hidden but read (rows 22 to 31)" in hidden[-1].message


# ---------------------------------------------------------------------------------------------
# 3. numbers typed as text: one rule, no locale guess

RULE = (
    "write the number without a thousands separator, with '.' as the decimal point (a comma is read "
    "as a thousands separator only before groups of exactly three digits, as in 1,500 or 1,234.5)"
)


def demand_with(quantity: object, tmp_path: Path) -> InputData:
    rows = [DEMAND[0], DEMAND[1], ["DR", "MAG", "P2", quantity]]
    return read_workbook(workbook(tmp_path / "w.xlsx", Demand=rows))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,5", f"'1,5' could mean 1.5 or 15; {RULE}"),
        ("50.000,00", f"'50.000,00' could mean 50000 or 50; {RULE}"),
        ("1,50", f"'1,50' could mean 1.5 or 150; {RULE}"),
        ("1.500.000", "'1.500.000' groups thousands with '.', which is the decimal point here: type 1500000"),
        (
            "5%",
            "'5%' is a percentage but this column is not a share: it could mean 0.05 or 5; type the number without %",
        ),
        ("1,234,5", f"expected a number >= 0; {RULE}"),
    ],
)
def test_ambiguous_numbers_in_text_are_refused_with_both_readings(
    tmp_path: Path, text: str, message: str
) -> None:
    data = demand_with(text, tmp_path)
    assert [(i.severity, i.sheet, i.row, i.column, i.value) for i in data.issues] == [
        ("error", "Demand", 3, "quantity", text)
    ]
    assert data.issues[0].message == message
    assert str(data.issues[0]).startswith(f"ERROR: Demand row 3, column 'quantity' (value: '{text}'): ")


@pytest.mark.parametrize(
    ("text", "number"),
    [("1,500", 1500.0), ("12,345,678", 12345678.0), ("1,234.5", 1234.5), ("1.5", 1.5), (" 2 ", 2.0)],
)
def test_thousands_grouped_by_three_with_commas_are_read(tmp_path: Path, text: str, number: float) -> None:
    data = demand_with(text, tmp_path)
    assert data.issues == []
    assert data["Demand"]["quantity"].tolist() == [1.0, number]


@pytest.mark.parametrize(
    ("sheet", "header", "text", "number"),
    [
        ("Lanes", ["lane", "origin", "destination", "tariff_rate"], "5%", 0.05),
        ("Scenarios", ["scenario", "probability"], "40%", 0.4),
        ("SourcingRules", ["rule", "product", "destination", "group", "max_share"], "25 %", 0.25),
    ],
)
def test_percentages_are_read_in_share_and_rate_columns(
    tmp_path: Path, sheet: str, header: list[str], text: str, number: float
) -> None:
    row: list[object] = ["X", "MINE", "DR", "G"][: len(header) - 1] + [text]
    data = read_workbook(workbook(tmp_path / "w.xlsx", **{sheet: [header, row]}))
    assert [i for i in data.issues if i.severity == "error"] == []
    assert data[sheet][header[-1]].tolist() == [pytest.approx(number)]


def test_a_percentage_with_a_decimal_comma_in_a_share_column_gives_both_readings(tmp_path: Path) -> None:
    data = read_workbook(
        workbook(
            tmp_path / "w.xlsx",
            Lanes=[["lane", "origin", "destination", "tariff_rate"], ["L1", "MINE", "DR", "12,5%"]],
        )
    )
    assert [i.message for i in data.issues] == [f"'12,5%' could mean 0.125 or 1.25; {RULE}"]


def test_settings_follow_the_same_rule(tmp_path: Path) -> None:
    data = read_workbook(
        workbook(
            tmp_path / "w.xlsx", Settings=[["setting", "value"], ["mip_gap", "1%"], ["time_limit", "1,5"]]
        )
    )
    assert data.settings["mip_gap"] == pytest.approx(0.01)
    assert [(i.row, i.message) for i in data.issues] == [
        (3, f"time_limit: '1,5' could mean 1.5 or 15; {RULE}")
    ]


def test_a_file_cut_short_is_damaged(tmp_path: Path) -> None:
    path = workbook(tmp_path / "w.xlsx")
    path.write_bytes(path.read_bytes()[:2000])
    issue = refusal(path)
    assert issue.code == "damaged_zip"
    assert "restore an undamaged copy" in issue.message


def test_truncated_workbook_xml_is_refused_in_words(tmp_path: Path) -> None:
    path = rewrite_part(workbook(tmp_path / "w.xlsx"), "xl/workbook.xml", lambda t: t[: len(t) // 2])
    issue = refusal(path)
    assert issue.code == "unreadable"
    assert "the workbook cannot be opened: its XML is truncated or malformed" in issue.message
    assert "ParseError" not in issue.message


def test_a_number_cell_holding_text_is_refused_with_the_cell(tmp_path: Path) -> None:
    path = rewrite_part(
        workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, lambda t: t.replace("<v>1</v>", "<v>abc</v>", 1)
    )
    issue = refusal(path)
    assert issue.sheet == "Demand"
    assert "cell D2 is stored as a number or date but holds 'abc'" in issue.message


@pytest.mark.parametrize("text", ["NaN", "INF", "-INF"])
def test_a_number_cell_holding_nan_or_inf_is_an_error_at_its_cell(tmp_path: Path, text: str) -> None:
    path = rewrite_part(
        workbook(tmp_path / "w.xlsx", Demand=DEMAND),
        SHEET4,
        lambda t: t.replace("<v>1</v>", f"<v>{text}</v>", 1),
    )
    data = read_workbook(path)
    [issue] = [i for i in data.issues if i.severity == "error"]
    assert (issue.sheet, issue.row, issue.column) == ("Demand", 2, "quantity")
    assert "finite, not NaN/inf" in issue.message


@pytest.mark.parametrize(
    ("text", "words"), [("DR\u200b", "U+200B"), ("\ufeffDR", "U+FEFF"), ("\u200b", "looks blank")]
)
def test_invisible_characters_in_text_are_warned_about_at_their_cell(
    tmp_path: Path, text: str, words: str
) -> None:
    rows = [DEMAND[0], DEMAND[1], [text, "MAG", "P2", 1]]
    data = read_workbook(workbook(tmp_path / "w.xlsx", Demand=rows))
    [issue] = [i for i in data.issues if i.code == "invisible_character"]
    assert (issue.severity, issue.sheet, issue.row, issue.column) == ("warning", "Demand", 3, "site")
    assert words in issue.message


def test_a_malformed_dimension_is_ignored_with_a_warning(tmp_path: Path) -> None:
    def bogus(text: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A0:"', text, count=1)

    path = rewrite_part(workbook(tmp_path / "w.xlsx", Demand=DEMAND), SHEET4, bogus)
    data = read_workbook(path)
    [issue] = data.issues
    assert (issue.severity, issue.sheet, issue.code) == ("warning", "Demand", "bad_dimension")
    assert len(data.tables["Demand"]) == len(DEMAND) - 1
