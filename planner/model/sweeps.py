"""Parameter sweeps on one built model: days-of-cover policy curve and cost-risk frontier.

Each sweep builds the model once, hands it to HiGHS once (:class:`planner.solve.HighsModel`)
and changes only what the sweep varies between solves: the mutable cover factor
(rows refreshed in HiGHS) or the objective weights of expected cost and CVaR (column
costs changed in HiGHS). HiGHS re-solves from the previous solution.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from planner.config import SolveOptions
from planner.model.build import build_model
from planner.network import Network
from planner.solve import HighsModel, SolveResult

Point = dict[str, Any]


def _scenario_costs(m: Any) -> dict[str, float]:
    return {
        s: float(pyo.value(m.e_cost_stage1)) + float(pyo.value(m.e_cost_stage2[s])) for s in m.idx.scenarios
    }


def _shortage_by_scenario(m: Any, net: Network) -> dict[str, float]:
    out = dict.fromkeys(m.idx.scenarios, 0.0)
    for (_d, w), var in m.v_shortage.items():
        for s in net.node_scenarios(w, m.idx.scenarios):
            out[s] += float(var.value or 0.0)
    return out


def _decisions_text(m: Any) -> str:
    """The plan's here-and-now decisions in a few words: builds, openings, qualifications, stock held."""
    from planner.network import ROOT

    taken = []
    for name in ("v_open", "v_build", "v_qualify"):
        for k, v in getattr(m, name).items():
            if (v.value or 0.0) > 0.5:
                taken.append(
                    f"{name[2:]} {k}" + (f" x{round(v.value)}" if name == "v_build" and v.value > 1.5 else "")
                )
    held: dict[tuple[str, str], float] = {}
    for (n, p, _g, _t, w), v in m.v_inventory.items():
        if w == ROOT:
            held[(n, p)] = max(held.get((n, p), 0.0), float(v.value or 0.0))
    taken += [
        f"stock {p} at {n} up to {q:,.0f} t" if q >= 1 else f"stock {p} at {n} up to {q:.2g} t"
        for (n, p), q in sorted(held.items())
        if q > 1e-6
    ]
    return "; ".join(taken) or "none"


def _point(m: Any, net: Network, res: SolveResult, **extra: Any) -> Point:
    from planner.metrics import cvar

    costs = _scenario_costs(m)
    short = _shortage_by_scenario(m, net)
    probs = [net.probability[s] for s in m.idx.scenarios]
    values = [costs[s] for s in m.idx.scenarios]
    alpha = float(net.settings["cvar_alpha"])
    worst = max(m.idx.scenarios, key=lambda s: costs[s])
    return {
        **extra,
        "expected_cost": float(np.dot(probs, values)),
        "cvar": cvar(values, probs, alpha),
        "worst_cost": costs[worst],
        "worst_scenario": worst,
        "expected_shortage": float(np.dot(probs, [short[s] for s in m.idx.scenarios])),
        "worst_shortage": max(short.values()),
        "decisions": _decisions_text(m),
        "solve_seconds": res.timings.get("solve", 0.0),
        "gap": res.gap,
    }


def frontier(
    net: Network, weights: list[float], opts: SolveOptions, progress: Callable[[Point], None] | None = None
) -> list[Point]:
    """Minimise (1 - w) E[cost] + w CVaR_alpha(cost) for each weight w in [0, 1], on one model.

    w = 0 is the risk-neutral plan; w = 1 minimises CVaR alone (expected cost breaks ties with
    weight 1e-6).
    """
    risky = copy.copy(net)
    risky.settings = {**net.settings, "risk_weight": 1.0}
    m = build_model(risky)
    hm = HighsModel(m, opts)
    c0 = np.asarray(hm.lp.col_cost_, dtype=float).copy()
    offset0 = float(hm.lp.offset_)
    alpha = float(net.settings["cvar_alpha"])
    cvar_cols = {hm.col_of[id(m.v_var)]: 1.0}
    for s in m.idx.scenarios:
        cvar_cols[hm.col_of[id(m.v_cvar_excess[s])]] = net.probability[s] / (1.0 - alpha)
    expected = c0.copy()
    for j in cvar_cols:
        expected[j] = 0.0
    idx = np.arange(len(c0), dtype=np.int32)
    points = []
    for w in weights:
        e_weight = max(1.0 - w, 1e-6)
        costs = e_weight * expected
        for j, c in cvar_cols.items():
            costs[j] = w * c
        hm.highs.changeColsCost(len(idx), idx, costs)
        hm.highs.changeObjectiveOffset(e_weight * offset0)
        hm.title = f"{opts.log_title or 'frontier'}: weight {w:.2f} on CVaR"
        res = hm.run()
        point = _point(m, net, res, weight=w)
        points.append(point)
        if progress:
            progress(point)
    return points


def cover_policy_rows(net: Network) -> list[tuple[str, str]]:
    """Inventory rows a days-of-cover policy applies to: stock of a product where it is demanded
    (the importing regions); all Inventory rows when none is."""
    demanded = {(str(r.site), str(r.product)) for r in net.demand.itertuples(index=False)}
    rows = [k for k in net.inventory.index if k in demanded]
    return rows or list(net.inventory.index)


def policy_penalty(net: Network, rows: list[tuple[str, str]]) -> float:
    """Half the smallest shortage penalty of the demand at ``rows`` (default where blank) per reference period of horizon."""
    default = float(net.settings["shortage_penalty"])
    policy = set(rows)
    pens = [
        default if pd.isna(r.shortage_penalty) else float(r.shortage_penalty)
        for r in net.demand.itertuples(index=False)
        if (str(r.site), str(r.product)) in policy
    ]
    # per reference period, as the penalty is: the horizon counts sum(w_t) reference periods
    horizon = sum(net.period_weight)
    return (min(pens) if pens else default) / (2 * horizon)  # strictly below: no ties


def cover_curve(
    net: Network,
    days: list[float],
    opts: SolveOptions,
    penalty: float | None = None,
    progress: Callable[[Point], None] | None = None,
    designs: dict[str, dict[str, float]] | None = None,
) -> list[Point]:
    """Expected cost and shortage when the importing regions must hold ``days`` of cover, per level.

    ``designs`` ({variable name: {index key: value}} of the first-stage integer variables, e.g. a
    solved plan's builds) fixes them, so every level is a linear program solved to optimality on
    the committed design: the curve then measures the stock policy alone, exactly.

    The policy is a soft cover target priced at ``penalty`` per t per period below it. A stock
    works in both directions only if drawing it beats going short even when it stays drawn
    until the horizon ends, so the default is half the smallest shortage penalty of the policy
    rows' demand divided by the number of periods (strictly below, so there are no ties): held in
    normal times whenever holding costs less, drawn in a disruption before any customer goes short. The reported expected cost leaves the
    penalty out and ``cover_shortfall`` says how much the policy missed.
    """
    rows = cover_policy_rows(net)
    length = float(net.settings["period_length_days"])  # p_cover_factor is per reference length
    pol = copy.copy(net)
    inv = net.inventory.copy()
    for k in rows:
        inv.at[k, "cover_days"] = 1.0
        inv.at[k, "cover_hard"] = False
    pol.inventory = inv
    if penalty is None:
        penalty = policy_penalty(net, rows)
    pol.settings = {**net.settings, "cover_penalty": penalty}
    m = build_model(pol)
    if designs:
        from planner.model.stochastic import fix_design

        fix_design(m, designs)
    hm = HighsModel(m, opts)
    points = []
    cover_terms = [t for t in m.cost_term_list if t.component == "cover"]
    for level in days:
        for k in rows:
            m.p_cover_factor[k] = level / length
        hm.refresh_rows(m.c_inventory_cover.values())
        hm.title = f"{opts.log_title or 'days-of-cover curve'}: {level:g} days"
        res = hm.run()
        point = _point(m, net, res, days=level)
        probs = net.probability
        cover_cost = sum(
            t.coef
            * float(t.var.value or 0.0)
            * sum(probs[s] for s in net.node_scenarios(t.node, m.idx.scenarios))
            for t in cover_terms
        )
        shortfall = sum(float(v.value or 0.0) for v in m.v_cover_short.values())
        point["expected_cost"] -= cover_cost
        point["cover_shortfall"] = shortfall
        points.append(point)
        if progress:
            progress(point)
    return points


def stockpile_values(
    net: Network,
    designs: dict[str, dict[str, float]],
    stockpiles: list[tuple[str, str]],
    opts: SolveOptions,
) -> list[Point]:
    """What each here-and-now stockpile of a plan is worth, by solve (:func:`plan_without`, one
    stockpile per removal); each point also names its ``site`` and ``product``."""
    groups = [{"key": f"{n}/{p}", "stock": [(n, p)]} for n, p in stockpiles]
    points = plan_without(net, designs, groups, opts)
    return [{"site": n, "product": p, **pt} for (n, p), pt in zip(stockpiles, points, strict=True)]


def plan_without(
    net: Network,
    designs: dict[str, dict[str, float]],
    groups: list[dict[str, Any]],
    opts: SolveOptions,
) -> list[Point]:
    """What each group of a plan's here-and-now decisions is worth: the plan's cost without it, by solve.

    The plan's design (``designs``, as :func:`planner.model.stochastic.design_values` gives it) is
    fixed; each group removes some of it and every other decision (operations, stock, purchases,
    recourse) re-adapts. A group is ``{"key": str, "design": [(variable, key), ...],
    "stock": [(site, product), ...]}``: each design variable (``v_build``, ``v_qualify``,
    ``v_open``, ``v_assign``) goes to 0 and each stock is held to its opening level in every period
    before the reveal. Per group: ``value`` = the rise in expected cost without it (None when the
    plan is infeasible without it), ``protects`` (the scenarios whose cost rises), ``worst_rise``,
    ``worst_scenario``, ``shortage_rise`` (expected tonnes), ``rise`` (the cost rise per scenario, from
    which :func:`planner.report.commitments.break_even` finds the probabilities at which it stops
    paying) and ``note`` (why a value is missing:
    the re-solve was not proven optimal). One model and one hand-off: each
    removal changes the bounds of a few rows (the design is pinned by rows ``x = p``, the stock by
    ``sum <= cap``; pinned variables are continuous, so with every design fixed or pinned the model is
    an LP), and HiGHS re-solves warm.
    """
    from planner.errors import InfeasibleError, NonOptimalError
    from planner.model.stochastic import design_key, fix_design
    from planner.network import ROOT

    m = build_model(net)
    pinned = {(name, str(key)) for g in groups for name, key in g.get("design", [])}
    fix_design(
        m,
        {
            name: {k: v for k, v in values.items() if (name, k) not in pinned}
            for name, values in designs.items()
        },
    )
    pins: list[tuple[str, str]] = sorted(pinned)
    var_of = {}
    for name, key in pins:
        var_of[(name, key)] = next(v for i, v in getattr(m, name).items() if design_key(i) == key)
    m.p_pin = pyo.Param(
        range(len(pins)),
        mutable=True,
        initialize={i: round(designs.get(name, {}).get(key, 0.0)) for i, (name, key) in enumerate(pins)},
        doc="the plan's value of a design decision being valued",
    )
    m.c_pin = pyo.Constraint(range(len(pins)), rule=lambda _m, i: var_of[pins[i]] == m.p_pin[i])
    for var in var_of.values():  # held by its row: continuous loses nothing, and with every other
        var.domain = pyo.Reals  # design fixed HiGHS gets an LP it re-solves warm from the last basis
    wanted = {tuple(k) for g in groups for k in g.get("stock", [])}
    by_period: dict[tuple[str, str, int], list[Any]] = {}  # total stock per pre-reveal period
    for key in m.idx.inventory:
        n, p, _g, t, w = key
        if w == ROOT and (n, p) in wanted:
            by_period.setdefault((n, p, t), []).append(m.v_inventory[key])
    pairs = sorted({(n, p) for n, p, _t in by_period})
    m.p_stock_cap = pyo.Param(pairs, mutable=True, initialize=1e30, doc="cap on pre-reveal stock")
    m.c_stock_cap = pyo.Constraint(
        list(by_period), rule=lambda _m, n, p, t: sum(by_period[(n, p, t)]) <= m.p_stock_cap[n, p]
    )
    hm = HighsModel(m, opts)
    first = hm.run()
    base = _scenario_costs(m)
    base_short = _shortage_by_scenario(m, net)
    probs = net.probability
    opening = net.inventory["initial_stock"] if len(net.inventory) else pd.Series(dtype=float)
    points: list[Point] = []
    if not first.proven_optimal:  # no exact base to measure against
        reason = f"not valued (the plan itself was not priced to proven optimality: {first.message or first.status})"
        return [{"key": g["key"], "value": None, "rise": {}, "note": reason} for g in groups]
    capped = set(pairs)
    for g in groups:
        removed = {(n, str(k)) for n, k in g.get("design", [])}
        mine = [i for i, pin in enumerate(pins) if pin in removed]
        caps = {tuple(k) for k in g.get("stock", [])} & capped
        rows = [m.c_pin[i] for i in mine] + [c for k, c in m.c_stock_cap.items() if k[:2] in caps]
        for i in mine:
            m.p_pin[i] = 0
        for n, p in caps:
            m.p_stock_cap[n, p] = float(opening.get((n, p), 0.0))
        hm.refresh_rows(rows)
        hm.title = f"{opts.log_title or 'value of each decision'}: the plan without {g['key']}"
        note = ""
        try:
            res = hm.run()
            without: dict[str, float] | None = _scenario_costs(m)
            short = _shortage_by_scenario(m, net)
            if not res.proven_optimal:
                without, note = None, f"not proven (the re-solve stopped: {res.message or res.status})"
        except InfeasibleError:
            without, short = None, {}
        except NonOptimalError as exc:
            without, short, note = None, {}, f"not valued ({exc})"
        for i in mine:
            name, key = pins[i]
            m.p_pin[i] = round(designs.get(name, {}).get(key, 0.0))
        for n, p in caps:
            m.p_stock_cap[n, p] = 1e30
        hm.refresh_rows(rows)
        if without is None:
            points.append(
                {
                    "key": g["key"],
                    "value": None,
                    "protects": "",
                    "worst_rise": None,
                    "worst_scenario": "",
                    "shortage_rise": None,
                    "rise": {},
                    "note": note,
                }
            )
            continue
        rise = {s: without[s] - base[s] for s in base}
        worst = max(rise, key=lambda s: rise[s])
        points.append(
            {
                "key": g["key"],
                "value": float(sum(probs[s] * rise[s] for s in rise)),
                "protects": ", ".join(s for s in rise if rise[s] > 1e-6 * max(1.0, abs(base[s]))),
                "worst_rise": float(rise[worst]),
                "worst_scenario": worst,
                "shortage_rise": float(sum(probs[s] * (short[s] - base_short[s]) for s in base)),
                "rise": {s: float(r) for s, r in rise.items()},
                "note": "",
            }
        )
    return points
