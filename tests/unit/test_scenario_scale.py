"""Scenario data at scale (issue #17 item 7): the fast paths give what the straightforward code gives.

ScenarioChanges filters are matched through an index of each table's distinct cells, records are
zipped from column lists, and each distinct (table, column, filter) is checked once; these tests
compare the results with the plain definitions (``filter_mask``, ``DataFrame.to_dict``, one change
applied after another with NumPy) on a synthetic network with hundreds of changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from planner.network import _period_frames, _period_params, build_network
from planner.scenarios import FilterIndex, filter_mask, parse_filter
from planner.schema import TABLES_BY_NAME, normalize_name
from planner.synthetic import synthetic_records
from planner.tables import InputData, from_records
from planner.validate import check_scenario_changes, validate
from planner.validate_common import records


def _data() -> InputData:
    recs, settings = synthetic_records(scenarios=4, periods=6, scenario_changes=600, seed=3)
    recs["ScenarioChanges"] += [
        # a base change (every scenario), any period
        {"table": "Processes", "filter": "process=sep", "column": "capacity", "value": 900.0, "end_period": "T03"},
        # 0 x unlimited = 0; lower-case table name; a bool filter
        {"scenario": "S1", "table": "lanes", "filter": "qualification=FALSE", "column": "capacity",
         "action": "multiply", "value": 0.0, "start_period": "T04"},
        # a number filter matched by value; an integer column
        {"scenario": "S2", "table": "Lanes", "filter": "capacity=2000", "column": "transit_periods",
         "action": "add", "value": 1.0},
        {"scenario": "S3", "table": "Demand", "filter": "site=D1", "column": "quantity", "action": "add",
         "value": 5.0, "start_period": "T02", "end_period": "T05"},
    ]  # fmt: skip
    return from_records(recs, settings)


def _reference_params(data: InputData, scenarios: list[str]) -> dict[tuple[str, str], Any]:
    """The per-period arrays after ScenarioChanges, one row at a time with the plain matcher."""
    periods = [str(p) for p in data["Periods"]["period"]]
    reveal = periods.index(str(data.settings["reveal_period"]))
    frames = _period_frames(data)
    params = _period_params(frames, len(periods))
    rows = data["ScenarioChanges"].to_dict("records")
    blank = [r for r in rows if not r["scenario"]]
    for r in blank + [r for r in rows if r["scenario"]]:
        table = next(t for t in TABLES_BY_NAME if t.lower() == r["table"].strip().lower())
        column = normalize_name(r["column"])
        start = (
            periods.index(r["start_period"])
            if isinstance(r["start_period"], str) and r["start_period"]
            else None
        )
        end = periods.index(r["end_period"]) if isinstance(r["end_period"], str) and r["end_period"] else None
        start = (0 if not r["scenario"] else reveal) if start is None else start
        end = len(periods) - 1 if end is None else end
        mask = filter_mask(frames[table], TABLES_BY_NAME[table], parse_filter(r["filter"])[0])
        pp = params[(table, column)]
        arr = pp.base if not r["scenario"] else pp.by_scenario.setdefault(r["scenario"], pp.base.copy())
        block = arr[mask, start : end + 1]
        v = float(r["value"])
        with np.errstate(invalid="ignore"):
            if r["action"] == "set":
                block = np.full_like(block, v)
            elif r["action"] == "multiply":
                block = np.where(np.isinf(block) & (v == 0.0), 0.0, block * v)
            else:
                block = block + v
        if TABLES_BY_NAME[table].column(column).dtype == "int":
            block = np.rint(block)
        arr[mask, start : end + 1] = block
    return params


def test_network_arrays_equal_the_plain_application_of_every_change() -> None:
    data = _data()
    assert len(data["ScenarioChanges"]) > 600
    assert [i for i in validate(data) if i.severity == "error"] == []
    net = build_network(data)
    ref = _reference_params(data, net.scenarios)
    assert set(net.params) == set(ref)
    for key, pp in net.params.items():
        assert pp.keys == ref[key].keys, key
        assert np.array_equal(pp.base, ref[key].base, equal_nan=True), key
        assert set(pp.by_scenario) == set(ref[key].by_scenario), key
        for s, arr in pp.by_scenario.items():
            assert np.array_equal(arr, ref[key].by_scenario[s], equal_nan=True), (key, s)
    # the changes did change something in every kind of table they name
    for key in [
        ("Lanes", "cost_flow"),
        ("Processes", "capacity"),
        ("Demand", "quantity"),
        ("Lanes", "capacity"),
    ]:
        assert any(not np.array_equal(a, net.params[key].base) for a in net.params[key].by_scenario.values())


def test_filter_index_matches_filter_mask() -> None:
    data = _data()
    lanes = data["Lanes"]
    spec = TABLES_BY_NAME["Lanes"]
    index = FilterIndex(lanes, spec)
    filters = [
        "lane=L3",
        "lane=L999",
        "origin=M1; product=CONC",
        "qualification=TRUE",
        "qualification=no",
        "capacity=2000",
        "capacity=2e3",
        "capacity=lots",
        "transit_periods=0",
        "transit_periods=1.0",
        "cost_flow=0.5",
    ]
    for text in filters:
        pairs = parse_filter(text)[0]
        assert np.array_equal(index.mask(pairs), filter_mask(lanes, spec, pairs)), text
    # the blank value, which parse_filter never gives, still matches as cell_matches says
    for col in ("capacity", "product", "qualification"):
        assert np.array_equal(index.mask([(col, "")]), filter_mask(lanes, spec, [(col, "")])), col
    # mixed cell types in one column stay apart (1 and 1.0 print differently)
    frame = pd.DataFrame({"site": ["1", 1, 1.0, True, None, "A", float("nan"), 0.0, -0.0]})
    sites = TABLES_BY_NAME["Sites"]
    for wanted in ("1", "1.0", "True", "A", "", "0.0", "-0.0"):
        pairs = [("site", wanted)]
        assert np.array_equal(FilterIndex(frame, sites).mask(pairs), filter_mask(frame, sites, pairs)), wanted


def test_records_equal_to_dict() -> None:
    data = _data()
    for name, frame in data.tables.items():
        assert records(frame) == frame.to_dict("records") or (
            # NaN != NaN: compare the NaN positions and the other cells
            repr(records(frame)) == repr(frame.to_dict("records"))
        ), name
    odd = pd.DataFrame(
        {
            "a": [np.float64(1.5), "x"],
            "b": [dt.date(2026, 1, 1), None],
            "c": pd.to_datetime(["2026-01-01", None]),
        }
    )
    assert repr(records(odd)) == repr(odd.to_dict("records"))


def test_each_scenario_change_row_keeps_its_own_issue() -> None:
    """Rows repeating one bad (table, column, filter) each get the issue at their own row."""
    recs, settings = synthetic_records(scenarios=3)
    bad = {"scenario": "S1", "table": "Lanes", "filter": "lane=NOPE", "column": "cost_flow", "value": 1.0}
    recs["ScenarioChanges"] += [dict(bad), dict(bad, table="Lane"), dict(bad), dict(bad, column="origin")]
    data = from_records(recs, settings)
    issues = [(i.row, i.column, i.code, i.value, i.message) for i in check_scenario_changes(data)]
    first = len(recs["ScenarioChanges"]) - 4 + 2  # Excel row of the first added change
    assert [(r, c, code) for r, c, code, _, _ in issues] == [
        (first, "filter", "filter_no_match"),
        (first + 1, "table", "unknown_table"),
        (first + 2, "filter", "filter_no_match"),
        (first + 3, "column", "unchangeable_column"),
        (first + 3, "filter", "filter_no_match"),
    ]
    assert issues[0][3:] == issues[2][3:]


def test_a_filter_on_a_product_list_matches_each_listed_product() -> None:
    """Lanes.product "X Y" carries X and Y: product=X and product=Y select it, as does the whole cell."""
    lanes = pd.DataFrame({"product": ["X Y", "X", None, "XY"]})
    spec = TABLES_BY_NAME["Lanes"]
    expected = {
        "X": [1, 1, 0, 0],
        "Y": [1, 0, 0, 0],
        "X Y": [1, 0, 0, 0],
        "XY": [0, 0, 0, 1],
        "Z": [0, 0, 0, 0],
    }
    for wanted, rows in expected.items():
        pairs = [("product", wanted)]
        assert filter_mask(lanes, spec, pairs).tolist() == [bool(r) for r in rows], wanted
        assert np.array_equal(FilterIndex(lanes, spec).mask(pairs), filter_mask(lanes, spec, pairs)), wanted
