"""Build ``inputs/tiny.xlsx``: a three-site, two-period, two-scenario case solvable by hand.

Run ``python inputs/build_tiny.py`` from the repository root.

The case
--------
A European magnet buyer ``EU`` needs 10 t of magnets (``MAG``) in each of two periods, P1 and
P2. It can buy from a Chinese supplier ``CN`` at $50,000/t, or from a Japanese supplier ``JP``
at $80,000/t, but only after qualifying the JP lane: a one-off $200,000, usable at once, at most
10 t per period. Magnets can be stored at ``EU`` (at most 6 t, $10,000/t per period held).
Unmet demand costs $1,000,000/t. Chinese exports need a licence (rule ``CN_MAG``):

* scenario ``OPEN`` (probability 0.7): every application is approved;
* scenario ``BAN`` (probability 0.3): nothing is approved from P2 on.

The scenario becomes known at the start of P2 (``reveal_period = P2``), so the qualification
and everything done in P1 (what to buy, what to store) is decided once for both scenarios.
Freight, tariffs and discounting are zero.

Hand derivation (all money in $1,000)
-------------------------------------
P1 is the same in every plan: buy 10 t from CN for 500. Write ``s`` for the stock carried from
P1 to P2 (bought from CN in P1 at 50, held at 10: 60 a tonne) and ``q = 0.3`` for P(BAN).

1. **Do nothing.** P2: OPEN buys 10 t from CN (500); BAN is 10 t short (10,000).
   E = 500 + 0.7 x 500 + 0.3 x 10,000 = **3,850**.
2. **Stockpile only.** Each stocked tonne costs 60 now and saves, in expectation,
   0.7 x 50 + 0.3 x 1,000 = 335 in P2, so stock the most allowed, s = 6:
   E = 500 + 6 x 60 + 4 x 335 = **2,200**.
3. **Qualify JP (second source).** 200 now; in P2 OPEN buys from CN (50/t) and BAN from JP
   (80/t), so a tonne needed in P2 costs 0.7 x 50 + 0.3 x 80 = 59 in expectation. A stocked
   tonne costs 60 > 59, so s = 0:
   E = 500 + 200 + 10 x 59 = **1,290**.

Optimum: plan 3, **expected cost $1,290,000** (OPEN 1,200; BAN 1,500): qualify the second
source, hold no stock. The qualification pays whenever 200 < 10 x (1,000 - 80) x q, i.e. for
q > 2.2%; the stockpile would take over only if holding cost fell below 9 (= 59 - 50) a tonne.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from planner.io.excel_writer import write_input_workbook
from planner.tables import InputData, from_records
from planner.validate import count, validate

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "tiny.xlsx"

TINY_OBJECTIVE = 1_290_000.0
"""The hand-derived expected cost (module docstring)."""

SRC = {"source": "assumption: teaching example (inputs/build_tiny.py docstring)", "confidence": "A"}

PRICE_CN, PRICE_JP = 50_000.0, 80_000.0  # $/t
QUALIFICATION = 200_000.0  # $ one-off
HOLDING = 10_000.0  # $/t per period
MAX_STOCK = 6.0  # t
DEMAND = 10.0  # t per period
PENALTY = 1_000_000.0  # $/t unmet
P_BAN = 0.3


def build_records() -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """Records (sheet -> rows) and settings of the tiny case."""
    periods = ["P1", "P2"]
    records: dict[str, list[dict[str, Any]]] = {
        "Periods": [{"period": p, **SRC} for p in periods],
        "Products": [{"product": "MAG", "name": "NdFeB magnet", "stage": "magnet", "value": PRICE_CN, **SRC}],
        "Sites": [
            {"site": "CN", "name": "Chinese magnet supplier", "type": "supplier", "country": "CN", **SRC},
            {"site": "JP", "name": "Japanese magnet supplier", "type": "supplier", "country": "JP", **SRC},
            {"site": "EU", "name": "European buyer", "type": "demand_region", "country": "DE", **SRC},
        ],
        "Contracts": [
            {"contract": "K_CN", "supplier": "CN", "product": "MAG", "price": PRICE_CN, **SRC},
            {"contract": "K_JP", "supplier": "JP", "product": "MAG", "price": PRICE_JP, **SRC},
        ],
        "Lanes": [
            {"lane": "CN-EU", "origin": "CN", "destination": "EU", "product": "MAG", **SRC},
            {
                "lane": "JP-EU",
                "origin": "JP",
                "destination": "EU",
                "product": "MAG",
                "capacity": DEMAND,
                "qualification": True,
                "cost_qualification": QUALIFICATION,
                "lead_time_qualification": 0,
                **SRC,
            },
        ],
        "Demand": [
            {
                "site": "EU",
                "product": "MAG",
                "period": p,
                "quantity": DEMAND,
                "shortage_penalty": PENALTY,
                **SRC,
            }
            for p in periods
        ],
        "Inventory": [
            {"site": "EU", "product": "MAG", "max_stock": MAX_STOCK, "cost_holding": HOLDING, **SRC}
        ],
        "ExportControls": [
            {"rule": "CN_MAG", "country": "CN", "product": "MAG", "approval_share": 1.0, **SRC}
        ],
        "Scenarios": [
            {"scenario": "OPEN", "probability": 1 - P_BAN, "description": "licences approved", **SRC},
            {"scenario": "BAN", "probability": P_BAN, "description": "no licences from P2", **SRC},
        ],
        "ScenarioChanges": [
            {
                "scenario": "BAN",
                "table": "ExportControls",
                "filter": "rule=CN_MAG",
                "column": "approval_share",
                "action": "set",
                "value": 0.0,
                "start_period": "P2",
                **SRC,
            }
        ],
    }
    settings = {"reveal_period": "P2", "shortage_penalty": PENALTY, "mip_gap": 0.0}
    return records, settings


def build_data() -> InputData:
    """The tiny case as InputData."""
    records, settings = build_records()
    return from_records(records, settings)


def write(path: Path) -> InputData:
    """Build, validate (raise on any error) and write the workbook."""
    data = build_data()
    issues = validate(data)
    if count(issues)[0]:
        raise SystemExit("tiny.xlsx does not validate:\n" + "\n".join(str(i) for i in issues))
    write_input_workbook(data, path)
    return data


def main(argv: list[str] | None = None) -> int:
    """Command line: write the tiny workbook."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "out", nargs="?", type=Path, default=DEFAULT_OUT, help=f"output (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    write(args.out)
    sys.stdout.write(f"wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
