"""The Inputs sheet (provenance, assumption register, copy of every input table) and the Run info sheet."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from planner.metrics import (
    ASSUMED_CONFIDENCE,
    Metrics,
)
from planner.report.content import (
    INPUTS,
    RUN_INFO,
    Block,
    Kind,
    SheetSpec,
)
from planner.report.summary import optimality_text
from planner.schema import TABLES

if TYPE_CHECKING:
    from planner.network import Network
    from planner.solution import Solution


def _confidence_label(value: object) -> str:
    """A row's confidence tag as the register shows it; blank is 'unrated', not sourced."""
    text = (
        "" if value is None or (isinstance(value, float) and value != value) else str(value).strip().upper()
    )
    return text or "unrated"


def _inputs_sheet(net: Network, m: Metrics) -> SheetSpec:
    """Digest of the inputs' provenance, the KPIs resting on assumptions, and a copy of every table."""
    data = net.data
    digest_rows = []
    register_rows = []
    echo: list[Block] = []
    for spec in TABLES:
        if spec.name == "Settings":
            continue
        frame = data.tables.get(spec.name)
        if frame is None or frame.empty:
            continue
        conf = frame["confidence"].fillna("").astype(str).str.strip().str.upper()
        counts = conf.value_counts()
        sources = frame["source"].fillna("").astype(str).str.strip()
        digest_rows.append(
            {
                "Table": spec.name,
                "Rows": len(frame),
                **{tag: int(counts.get(tag, 0)) for tag in ("S", "S2", "D", "A", "U")},
                "Unrated": int(counts.get("", 0)),
                "Sources cited": int(sources[sources != ""].nunique()),
            }
        )
        key_cols = [c for c in spec.key if c in frame.columns] or [spec.columns[0].name]
        hit = frame[conf.isin(ASSUMED_CONFIDENCE)]
        for _, r in hit.iterrows():
            register_rows.append(
                {
                    "Table": spec.name,
                    "Excel row": int(r["_row"]) if "_row" in r else None,
                    "Key": " / ".join("" if r[k] is None else str(r[k]) for k in key_cols),
                    "Confidence": _confidence_label(r["confidence"]),
                    "Source": "" if r["source"] is None else str(r["source"]),
                }
            )
        cols = ["_row", *[c.name for c in spec.all_columns]]
        shown = frame[[c for c in cols if c in frame.columns]].copy()
        keep = [
            c
            for c in shown.columns
            if c in ("_row", "source", "confidence")
            or c in spec.key
            or not (shown[c].isna().all() or (shown[c].astype(str) == "").all())
        ]
        shown = shown[keep].rename(columns={"_row": "row"})
        kinds: dict[str, Kind] = {"row": "int"}
        for c in spec.columns:
            if c.name in shown.columns and c.dtype in ("float", "int"):
                kinds[c.name] = "int" if c.dtype == "int" else "num"
        echo.append(
            Block(
                f"input_{spec.name}",
                f"{spec.name} ({len(frame)} rows)",
                shown.reset_index(drop=True),
                kinds,
                wrap=False,
            )
        )
    digest = pd.DataFrame(
        digest_rows, columns=["Table", "Rows", "S", "S2", "D", "A", "U", "Unrated", "Sources cited"]
    )
    a = m.assumptions
    flagged = a[a["flagged"]] if len(a) else a
    kpis = pd.DataFrame(
        {
            "KPI": flagged["kpi"] if len(flagged) else [],
            "Input table": flagged["table"] if len(flagged) else [],
            "Rows": flagged["rows"] if len(flagged) else [],
            "Marked A/U": flagged["assumed_rows"] if len(flagged) else [],
        }
    ).reset_index(drop=True)
    settings = pd.DataFrame(
        {
            "Setting": list(net.settings.keys()),
            "Value": ["" if v is None else str(v) for v in net.settings.values()],
        }
    )
    tables = [
        Block(
            "digest",
            "Input tables and the confidence of their rows",
            digest,
            {t: "int" for t in ("Rows", "S", "S2", "D", "A", "U", "Unrated", "Sources cited")},
            wrap=False,
        ),
        Block(
            "kpi_assumptions",
            "KPIs that rest on rows marked A or U",
            kpis,
            {"Rows": "int", "Marked A/U": "int"},
            wrap=False,
        ),
        Block(
            "assumption_register",
            "Rows marked A (assumption) or U (unconfirmed)",
            pd.DataFrame(register_rows, columns=["Table", "Excel row", "Key", "Confidence", "Source"]),
            {"Excel row": "int"},
            wrap=False,
        ),
        Block("settings", "Settings", settings, wrap=False),
    ]
    src = str(data.path) if data.path else "(built in code)"
    return SheetSpec(
        INPUTS,
        "Inputs",
        f"Provenance of the inputs ({src}) and a copy of every input table, side by side (only the first "
        "three tables print). Confidence: S sourced, S2 secondary source, D derived, A assumption, "
        "U unconfirmed. 'row' / 'Excel row' is the row in the input workbook.",
        [],
        detail=tables[0],
        extra=[*tables[1:], *echo],
        print_tables=3,
        filter_key="assumption_register",
    )


def _run_info_sheet(
    sol: Solution, net: Network, m: Metrics, manifest: dict[str, Any] | None, now: datetime
) -> SheetSpec:
    from planner import __version__

    man = manifest or {}
    inp = man.get("input", {})
    ver = man.get("versions", {})
    opts = man.get("options", {})
    res = man.get("result", {})
    solve_result = sol.extra.get("solve_result")
    solver = ver.get("solver") or getattr(solve_result, "solver", "") or "HiGHS"
    data = net.data
    gap = sol.gap
    rows: list[tuple[str, Any, Kind]] = [
        ("Planner version", ver.get("planner", __version__), "text"),
        ("Input file", inp.get("file") or (str(data.path) if data.path else "(built in code)"), "text"),
        ("Input SHA-256", inp.get("sha256") or data.sha256 or "(not read from a file)", "text"),
        ("Run started (UTC)", man.get("started_utc") or "-", "text"),
        ("Report written (UTC)", now.astimezone(UTC).isoformat(timespec="seconds"), "text"),
        ("Solver", solver, "text"),
        ("Status", res.get("status", sol.status), "text"),
        ("Optimality", optimality_text(m), "text"),
        ("Objective", float(sol.objective), "money"),
        ("Best bound", float(sol.bound), "money"),
        ("Gap", "n/a" if not math.isfinite(gap) else f"{gap:.4%}", "text"),
        ("Solver message", sol.message or "-", "text"),
        ("Time limit", opts.get("time_limit", net.settings.get("time_limit")), "seconds"),
        ("MIP gap setting", opts.get("mip_gap", net.settings.get("mip_gap")), "general"),
        ("Threads (0 = automatic)", opts.get("threads", net.settings.get("threads")), "general"),
        ("Random seed", opts.get("random_seed", net.settings.get("random_seed")), "general"),
        ("Scenarios solved", ", ".join(m.scenario_ids), "text"),
        ("Periods", f"{len(m.periods)} ({m.periods[0]} to {m.periods[-1]})" if m.periods else "0", "text"),
    ]
    run = pd.DataFrame({"Item": [r[0] for r in rows], "Value": [r[1] for r in rows]})
    seconds = man.get("seconds") or sol.timings
    timings = pd.DataFrame({"Stage": list(seconds.keys()), "Seconds": [float(v) for v in seconds.values()]})
    total = {"Stage": "Total", "Seconds": float(timings["Seconds"].sum()) if len(timings) else 0.0}
    timings = pd.concat([timings, pd.DataFrame([total])], ignore_index=True)
    blocks = [
        Block("run", "Run", run, row_kinds={"Value": [r[2] for r in rows]}),
        Block("timings", "Wall time per stage", timings, {"Seconds": "seconds"}, total_row=True),
    ]
    if ver:
        blocks.append(
            Block(
                "versions",
                "Versions",
                pd.DataFrame({"Package": list(ver.keys()), "Version": [str(v) for v in ver.values()]}),
            )
        )
    settings = man.get("settings") or net.settings
    blocks.append(
        Block(
            "run_settings",
            "Settings used",
            pd.DataFrame(
                {
                    "Setting": list(settings.keys()),
                    "Value": ["" if v is None else str(v) for v in settings.values()],
                }
            ),
        )
    )
    return SheetSpec(
        RUN_INFO,
        "Run information",
        "How this plan was produced, for reproducing and auditing it.",
        blocks,
        freeze=False,
    )
