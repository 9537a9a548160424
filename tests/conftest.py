"""Shared test helpers: a small valid network built in code, and workbook writers.

``valid_records()`` is the smallest network that exercises every sheet and passes
every validation check without a warning: two periods, a mine producing
concentrate (CONC), a magnet plant turning CONC into magnets (MAG), a demand
region, lanes between them, and a two-scenario licence ban.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from planner.tables import InputData, from_records

Records = dict[str, list[dict[str, Any]]]

VALID_SETTINGS: dict[str, Any] = {"reveal_period": "P2", "mip_gap": 0.01}


def valid_records() -> Records:
    """Records (sheet -> list of row dicts) of a small network that validates clean."""
    records: Records = {
        "Periods": [
            {"period": "P1", "start_date": "2026-01-01"},
            {"period": "P2", "start_date": "2026-04-01"},
        ],
        "Products": [
            {"product": "CONC", "name": "Mixed concentrate", "stage": "concentrate", "value": 10.0},
            {"product": "MAG", "name": "NdFeB magnet", "stage": "magnet", "value": 100.0},
        ],
        "Groups": [
            {"group": "WEST", "kind": "country", "member": "US"},
            {"group": "WEST", "kind": "country", "member": "DE"},
            {"group": "PLANTS", "kind": "site", "member": "PLANT"},
        ],
        "Sites": [
            {"site": "MINE", "type": "mine", "country": "AU", "source": "test", "confidence": "A"},
            {"site": "PLANT", "type": "magnet_plant", "country": "US", "cost_fixed": 5.0},
            {"site": "DR", "type": "demand_region", "country": "DE"},
            {
                "site": "NEWPLANT",
                "type": "magnet_plant",
                "country": "US",
                "status": "candidate",
                "cost_opening": 50.0,
            },
        ],
        "Processes": [
            {"process": "MINING", "site": "MINE", "cost_variable": 1.0, "capacity": 100.0},
            {"process": "MAKE", "site_type": "magnet_plant", "cost_variable": 2.0, "capacity": 30.0},
        ],
        "ProcessFlows": [
            {"process": "MINING", "product": "CONC", "direction": "out", "quantity": 1.0},
            {"process": "MAKE", "product": "CONC", "direction": "in", "quantity": 1.2},
            {"process": "MAKE", "product": "MAG", "direction": "out", "quantity": 1.0},
        ],
        "CapacityOptions": [
            {
                "option": "OPT1",
                "site": "PLANT",
                "process": "MAKE",
                "capacity_added": 10.0,
                "cost_build": 20.0,
                "lead_time": 1,
            },
        ],
        "Lanes": [
            {"lane": "L1", "origin": "MINE", "destination": "PLANT", "product": "CONC", "cost_flow": 1.0},
            {
                "lane": "L2",
                "origin": "PLANT",
                "destination": "DR",
                "product": "MAG",
                "cost_flow": 2.0,
                "transit_periods": 1,
            },
            {
                "lane": "L3",
                "origin": "MINE",
                "destination": "NEWPLANT",
                "product": "",
                "capacity": 50.0,
                "qualification": True,
            },
            {"lane": "L4", "origin": "NEWPLANT", "destination": "DR", "product": "MAG"},
        ],
        "Contracts": [
            {
                "contract": "C1",
                "supplier": "MINE",
                "product": "CONC",
                "buyer": "PLANT",
                "min_per_period": 1.0,
                "max_per_period": 20.0,
                "price": 5.0,
                "start_period": "P1",
                "end_period": "P2",
            },
        ],
        "Demand": [
            {"site": "DR", "product": "MAG", "period": "P1", "quantity": 10.0},
            {
                "site": "DR",
                "product": "MAG",
                "period": "P2",
                "quantity": 12.0,
                "customer_class": "defence",
                "shortage_penalty": 1000.0,
            },
        ],
        "Inventory": [
            {
                "site": "PLANT",
                "product": "CONC",
                "initial_stock": 5.0,
                "min_stock": 0.0,
                "max_stock": 50.0,
                "cost_holding": 0.1,
            },
        ],
        "SourcingRules": [
            {
                "rule": "R1",
                "product": "MAG",
                "destination": "DR",
                "group": "WEST",
                "max_share": 1.0,
                "single_source": True,
            },
        ],
        "ExportControls": [
            {
                "rule": "X1",
                "country": "AU",
                "product": "CONC",
                "destination_group": "WEST",
                "start_period": "P1",
                "end_period": "P2",
                "approval_share": 1.0,
            },
        ],
        "Scenarios": [
            {"scenario": "BASE", "probability": 0.6},
            {"scenario": "BAN", "probability": 0.4},
        ],
        "ScenarioChanges": [
            {
                "scenario": "BAN",
                "table": "ExportControls",
                "filter": "rule=X1",
                "column": "approval_share",
                "action": "set",
                "value": 0.0,
                "start_period": "P2",
                "end_period": "P2",
            },
            {
                "scenario": "BAN",
                "table": "Lanes",
                "filter": "origin=MINE; product=CONC",
                "column": "capacity",
                "action": "multiply",
                "value": 0.5,
            },
        ],
    }
    return copy.deepcopy(records)


def build_data(records: Records | None = None, settings: dict[str, Any] | None = None) -> InputData:
    """InputData from records (default: the valid network) and settings (default: VALID_SETTINGS)."""
    return from_records(
        valid_records() if records is None else records,
        dict(VALID_SETTINGS if settings is None else settings),
    )


@pytest.fixture(scope="session")
def example_optimum() -> Any:
    """The example solved within its gap with the README's settings (one solve per session)."""
    from planner.api import default_workbook, read, solve_data
    from planner.docs import example_options

    return solve_data(read(default_workbook()), example_options())


@pytest.fixture
def valid_data() -> InputData:
    """The valid network as InputData."""
    return build_data()


def write_sheets(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write raw sheets (name -> rows, first row = header) with openpyxl; return ``path``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def valid_workbook(tmp_path: Path, valid_data: InputData) -> Path:
    """The valid network written as a workbook by planner.io.excel_writer."""
    from planner.io.excel_writer import write_input_workbook

    path = tmp_path / "valid.xlsx"
    write_input_workbook(valid_data, path)
    return path


# ---------------------------------------------------------------------------------------------
# workbooks that must be refused or reported (built in code; no binary fixtures)


def rewrite_part(path: Path, part: str, edit: Any) -> Path:
    """Rewrite one part of an .xlsx zip in place with ``edit(text) -> text``."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        items = [(i, zin.read(i.filename)) for i in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
    return path


def set_cached_value(path: Path, part: str, ref: str, value: Any) -> Path:
    """Give the formula cell ``ref`` a saved value, as Excel would after computing it."""
    import re

    def edit(text: str) -> str:
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>')
        kind = ' t="str"' if isinstance(value, str) else ""
        new, n = pattern.subn(
            lambda m: f'<c r="{ref}"{m.group(1)}{kind}><f>{m.group(2)}</f><v>{value}</v>', text
        )
        assert n == 1, f"formula cell {ref} not found in {part}"
        return new

    return rewrite_part(path, part, edit)


def make_xls_magic(path: Path) -> Path:
    """An OLE compound file header: a legacy .xls or an encrypted .xlsx."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    return path


def make_encrypted_like(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE container with EncryptionInfo."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le"))
    return path


def make_csv_renamed(path: Path) -> Path:
    """A CSV file saved under an .xlsx name."""
    path.write_text("site,type,country\nMINE,mine,AU\n", encoding="utf-8")
    return path


def make_zip_of_other(path: Path) -> Path:
    """A zip archive that is not a workbook."""
    import zipfile

    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", "hello")
    return path


def make_formula_without_value(path: Path) -> Path:
    """A workbook whose Demand.quantity cell is a formula never computed by Excel."""
    rows = [["period"], ["P1"]]
    return write_sheets(
        path,
        {
            "Periods": rows,
            "Products": [["product"], ["MAG"]],
            "Sites": [["site", "type", "country"], ["DR", "demand_region", "DE"]],
            "Demand": [["site", "product", "period", "quantity"], ["DR", "MAG", "P1", "=2*5"]],
        },
    )


ENTITY_BOMB_DTD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)


def make_entity_bomb(path: Path) -> Path:
    """A workbook whose workbook.xml declares nested entities (billion laughs)."""
    write_sheets(path, {"Periods": [["period"], ["P1"]]})

    def edit(text: str) -> str:
        body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
        return ENTITY_BOMB_DTD + body.replace("<sheets>", "<sheets>&lol3;", 1)

    return rewrite_part(path, "xl/workbook.xml", edit)


def make_xxe(path: Path) -> Path:
    """A workbook whose sheet XML pulls an external entity (XXE)."""
    write_sheets(path, {"Periods": [["period"], ["P1"]]})

    def edit(text: str) -> str:
        body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
        return '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' + body

    return rewrite_part(path, "xl/worksheets/sheet1.xml", edit)


def make_many_rows(path: Path, n: int) -> Path:
    """A Periods sheet with ``n`` data rows."""
    return write_sheets(path, {"Periods": [["period"]] + [[f"P{i}"] for i in range(n)]})


BAD_INPUTS = {
    "missing": lambda p: p,
    "directory": lambda p: (p.mkdir(), p)[1],
    "xls_magic": make_xls_magic,
    "encrypted_like": make_encrypted_like,
    "csv_renamed": make_csv_renamed,
    "zip_of_other": make_zip_of_other,
    "entity_bomb": make_entity_bomb,
    "xxe": make_xxe,
}
