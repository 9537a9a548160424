"""A picture of the flows: who ships each stage's product to whom, by country, per scenario.

An alluvial diagram, one panel per scenario, rendered offline with matplotlib (Agg) into PNG
bytes that the report embeds. Columns are the supply-chain stages in order (mining, separation,
metal, magnets, demand); between two columns, a band runs from the country that made the stage's
product to the country that received it, its width the tonnes shipped in the periods shown (the
report shows the first year after the reveal, where the scenarios differ most). Each gap is scaled to its own total,
so the picture compares shares, stage by stage; the gap's header gives the tonnes. A country keeps
its colour in every panel and every report (a fixed palette keyed by the country code), so the calm
and the worst scenario can be compared at a glance.

Why an alluvial rather than a map: the question is "whose hands does each tonne pass through",
which a stage-by-stage picture answers directly, and it needs no map data offline.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Collection, Sequence

import pandas as pd

STAGES = ("ore", "concentrate", "oxide", "metal", "magnet")
STAGE_LABEL = {
    "ore": "ore",
    "concentrate": "concentrate",
    "oxide": "oxide",
    "metal": "metal",
    "magnet": "magnets",
}
NEXT_LABEL = {
    "ore": "concentration",
    "concentrate": "separation",
    "oxide": "metal making",
    "metal": "magnet making",
    "magnet": "buyers",
}
PALETTE = (
    "#4e79a7", "#59a14f", "#9c755f", "#f28e2b", "#edc948", "#b07aa1", "#76b7b2", "#ff9da7",
    "#bab0ac", "#86bcb6", "#8cd17d", "#b6992d", "#499894", "#d37295", "#a0cbe8", "#ffbe7d",
)  # fmt: skip
FIXED = {"CN": "#d62728", "US": "#1f3b73", "JP": "#e377c2", "AU": "#2ca02c", "MY": "#17becf", "KR": "#9467bd"}


def country_colour(code: str) -> str:
    """The same colour for a country in every picture (China red, whatever its rank)."""
    if code in FIXED:
        return FIXED[code]
    return PALETTE[zlib.crc32(code.encode()) % len(PALETTE)]


def stage_flows(
    flows: pd.DataFrame, stage_of: dict[str, str], scenario: str, periods: Collection[str] | None = None
) -> pd.DataFrame:
    """Tonnes by (stage, origin country, destination country) shipped in ``scenario`` (in ``periods``)."""
    f = flows[flows["scenario"].astype(str) == scenario]
    if periods is not None:
        f = f[f["period"].astype(str).isin(set(periods))]
    f = f.assign(stage=f["product"].map(stage_of))
    f = f[f["stage"].isin(STAGES) & (f["quantity"] > 1e-9)]
    g = f.groupby(["stage", "origin_country", "destination_country"], as_index=False)["quantity"].sum()
    return g


def _band(
    ax: object, x0: float, x1: float, y0: tuple[float, float], y1: tuple[float, float], colour: str
) -> None:
    import numpy as np

    t = np.linspace(0.0, 1.0, 40)
    s = 3 * t**2 - 2 * t**3  # smooth step
    xs = x0 + (x1 - x0) * t
    low = y0[0] + (y1[0] - y0[0]) * s
    high = y0[1] + (y1[1] - y0[1]) * s
    ax.fill_between(xs, low, high, color=colour, alpha=0.55, linewidth=0)  # type: ignore[attr-defined]


def _panel(ax: object, g: pd.DataFrame, title: str, unit: str) -> None:
    stages = [s for s in STAGES if s in set(g["stage"])]
    ax.set_title(title, fontsize=10, loc="left")  # type: ignore[attr-defined]
    ax.set_xlim(-0.3, len(stages) + 0.3)  # type: ignore[attr-defined]
    ax.set_ylim(-0.12, 1.08)  # type: ignore[attr-defined]
    ax.axis("off")  # type: ignore[attr-defined]
    gap_w = 0.12
    for k, stage in enumerate(stages):
        part = g[g["stage"] == stage]
        total = float(part["quantity"].sum())
        x0, x1 = k + gap_w / 2, k + 1 - gap_w / 2
        ax.text(  # type: ignore[attr-defined]
            (x0 + x1) / 2, 1.03, f"{STAGE_LABEL[stage]}: {total:,.0f} {unit}", ha="center", fontsize=7
        )
        # stacks: origins on the left edge, destinations on the right, largest at the top
        out_of = part.groupby("origin_country")["quantity"].sum().sort_values(ascending=False)
        into = part.groupby("destination_country")["quantity"].sum().sort_values(ascending=False)
        left = _stack(out_of, total)
        right = _stack(into, total)
        used_l = {c: left[c][1] for c in left}
        used_r = {c: right[c][1] for c in right}
        for r in part.sort_values(["origin_country", "destination_country"]).itertuples():
            h = float(r.quantity) / total
            o, d = str(r.origin_country), str(r.destination_country)
            y0 = (used_l[o] - h, used_l[o])
            y1 = (used_r[d] - h, used_r[d])
            used_l[o] -= h
            used_r[d] -= h
            _band(ax, x0, x1, y0, y1, country_colour(o))
        for c, (lo, hi) in left.items():
            _node(ax, k - gap_w / 2, gap_w, lo, hi, c, "right" if k == 0 else None)
        if k == len(stages) - 1:
            for c, (lo, hi) in right.items():
                _node(ax, k + 1 - gap_w / 2, gap_w, lo, hi, c, "left")
        ax.text(k + 1, -0.08, NEXT_LABEL[stage], ha="center", fontsize=7, color="#555555")  # type: ignore[attr-defined]
    if stages:
        ax.text(0, -0.08, "producers", ha="center", fontsize=7, color="#555555")  # type: ignore[attr-defined]


def _stack(sizes: pd.Series, total: float) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    top = 1.0
    for c, q in sizes.items():
        h = float(q) / total
        out[str(c)] = (top - h, top)
        top -= h
    return out


def _node(ax: object, x: float, w: float, lo: float, hi: float, country: str, label_side: str | None) -> None:
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x, lo), w, hi - lo, color=country_colour(country), linewidth=0))  # type: ignore[attr-defined]
    if hi - lo >= 0.035:
        ax.text(x + w / 2, (lo + hi) / 2, country, ha="center", va="center", fontsize=6, color="white")  # type: ignore[attr-defined]


def flow_picture(
    flows: pd.DataFrame,
    stage_of: dict[str, str],
    scenarios: Sequence[str],
    titles: Sequence[str] | None = None,
    unit: str = "t",
    periods: Collection[str] | None = None,
) -> bytes:
    """PNG bytes of one alluvial panel per scenario (stacked vertically), of the flows shipped in
    ``periods`` (None: the whole horizon)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = max(1, len(scenarios))
    fig, axes = plt.subplots(n, 1, figsize=(9.0, 3.3 * n), squeeze=False)
    for i, s in enumerate(scenarios):
        title = titles[i] if titles else s
        _panel(axes[i][0], stage_flows(flows, stage_of, s, periods), title, unit)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()
