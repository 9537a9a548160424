"""Export licences: reference volume, approval share, review time, end use. See models/formulation.md#licence."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.model.constraints.capacity import OptionSteps, installed_capacity, options_by_process
from planner.model.index import LicenceRule, ModelIndex
from planner.model.linear import linear_sum
from planner.network import ROOT, Network

LinearForm = tuple[float, list[tuple[Any, float]]]
"""A constant plus (variable, coefficient) terms: what the solution layer evaluates without Pyomo."""


def review_weights(net: Network, rule: str, prod: str, t_end: int, scenario: str) -> list[tuple[int, float]]:
    r"""Filing periods :math:`t` whose applications are decided in ``t_end``, with the share decided then.

    A review of :math:`\delta = k + f` periods (:math:`0 \le f < 1`), applications filed evenly
    through period :math:`t`: a share :math:`1 - f` is decided in :math:`t + k`, a share
    :math:`f` in :math:`t + k + 1`. The delay is the one in force when filing, on the path of
    ``scenario``.
    """
    out = []
    for t in range(t_end + 1):
        delay = net.p("ExportControls", "review_delay", (rule, prod), t, net.node(t, scenario))
        k = math.floor(delay)
        f = delay - k
        if t + k == t_end and f < 1.0:
            out.append((t, 1.0 - f))
        elif t + k + 1 == t_end and f > 0.0:
            out.append((t, f))
    return out


def reference_volume(
    m: Any,
    net: Network,
    lic: LicenceRule,
    opts: OptionSteps,
    t: int,
    w: str,
    waited: bool = True,
) -> LinearForm | None:
    r"""What the buyers file for under a rule in period t: :math:`R_{e,p,t}` (``None`` = unlimited).

    ExportControls.reference_volume when given; otherwise the buyers' own requirement: the
    demand for the product at covered destinations (of the rule's end use; all classes for
    ``all``) plus what the processes at covered destinations consume at installed capacity
    (base capacity of open sites plus the options built). Unlimited when a covered process
    that uses the product has no capacity. ``waited=False`` leaves out options built at the reveal:
    a filing before the reveal cannot count capacity that is decided only at the reveal (nor one
    scenario's choice of it).
    """
    given = net.p("ExportControls", "reference_volume", (lic.rule, lic.product), t, w)
    if not math.isnan(given):
        return (given, [])
    const = 0.0
    terms: list[tuple[Any, float]] = []
    for d in sorted(lic.destinations):
        for row in m.idx.demand_at.get((d, lic.product, t), ()):
            if lic.end_use in ("all", m.idx.demand_class[row]):
                const += net.p("Demand", "quantity", row, t, w)
        for proc, q in m.idx.consume.get((d, lic.product), ()):
            if t < net.site_first_period[d]:
                continue
            cap = installed_capacity(m, net, opts, d, proc, t, w, waited=waited)
            if isinstance(cap, float) and math.isinf(cap):
                return None
            repn = _linear(cap)
            const += q * repn[0]
            terms += [(v, q * c) for v, c in repn[1]]
    return const, terms


def advance_periods(net: Network, rule: str, prod: str, t: int, w: str) -> int:
    """Periods of future requirement a buyer may file for ahead (blank = the following periods within a year).

    The default, ``Network.year_ahead``, counts the following periods whose midpoint is less than
    365.25 days after the start of t: 3 for quarters, 11 for months, and per period with unequal lengths.
    """
    value = net.p("ExportControls", "advance_periods", (rule, prod), t, w)
    if math.isnan(value):
        return net.year_ahead[t]
    return int(round(value))


def _linear(expr: Any) -> LinearForm:
    """A linear Pyomo expression (or number) as a constant and (variable, coefficient) terms."""
    if isinstance(expr, (int, float)):
        return float(expr), []
    from pyomo.repn import generate_standard_repn

    repn = generate_standard_repn(expr, compute_values=True)
    return float(repn.constant), list(zip(repn.linear_vars, map(float, repn.linear_coefs), strict=True))


def add_licence_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Covered shipments within the approved share of what was filed; filings within the requirement.

    .. math::
        \sum_{f \in F^{cov}_{e,t'}} F_f - \sum_{f} Z_{e,f}
        \le \rho_{e,t',w} \sum_{t} \omega_{e,t \to t'}\, A_{e,t}
        \qquad (\texttt{c\_licence\_ship})

    .. math::
        \sum_{\tau \le t} A_{e,\tau} \le \sum_{\tau \le t + H_e} R_{e,\tau}
        \qquad (\texttt{c\_licence\_file})

    with :math:`A` the volume filed (paperwork: no material moves), :math:`\omega` the review
    weights (:func:`review_weights`), :math:`R` the reference volume (:func:`reference_volume`),
    :math:`H` the periods a buyer may file ahead (:func:`advance_periods`) and :math:`\rho` the
    approval share under the regime of the scenario in which the review ends. Refused volume
    is lost: it still counts against the requirement. A filing row of a ROOT node counts no capacity
    option built at the reveal (its requirement may not depend on a scenario's recourse). Shipments declared for other end uses at a mixed
    demand site, :math:`Z`, need no licence under an end-use rule, but cannot exceed what those
    customers receive in the arrival period:

    .. math::
        Z_{e,f} \le F_f \quad (\texttt{c\_licence\_declared\_flow}), \qquad
        \sum_{f \to (d,a)} Z_{e,f} \le \sum_{i \in D^{other}_{d,p,a}} (D_i - U_i)
        \quad (\texttt{c\_licence\_declared\_use})
    """
    opts = options_by_process(net)
    terms: dict[tuple[str, str, int, str], tuple[float, LinearForm]] = {}
    covered: dict[tuple[str, str, int, str], list[Any]] = defaultdict(list)
    for (rule, prod), lic in ix.licences.items():
        for ch in lic.channels:
            for lane in ch.lanes:
                for g in ch.tags:
                    for t, w in ix.nodes:
                        if lic.start <= t <= lic.end and (lane, prod, g, t, w) in ix.flow_set:
                            covered[(rule, prod, t, w)].append((lane, prod, g, t, w))
    index = sorted(covered)

    refs: dict[tuple[str, str, int, str, bool], LinearForm | None] = {}

    def ref(lic: LicenceRule, t: int, w: str, waited: bool = True) -> LinearForm | None:
        key = (lic.rule, lic.product, t, w, waited)
        if key not in refs:
            refs[key] = reference_volume(m, net, lic, opts, t, w, waited=waited)
        return refs[key]

    # end-use declarations at demand sites that also have customers of other classes
    declared: list[tuple[str, str, str, str, int, str]] = []  # (rule, lane, product, tag, t, w)
    arriving: dict[tuple[str, str, str, int, str], list[Any]] = defaultdict(list)
    for (rule, prod, t, w), flows in covered.items():
        lic = ix.licences[(rule, prod)]
        if lic.end_use == "all":
            continue
        for lane, p, g, _t, _w in flows:
            dest = str(net.lanes.at[lane, "destination"])
            if _other_demand_rows(net, ix, lic, dest, ix.arrival_period[(lane, p, g, t, w)]):
                declared.append((rule, lane, p, g, t, w))
    m.v_licence_declared = pyo.Var(
        declared, domain=pyo.NonNegativeReals, doc="shipments declared for other end uses"
    )
    declared_by: dict[tuple[str, str, int, str], list[Any]] = defaultdict(list)
    for key in declared:
        rule, lane, p, g, t, w = key
        declared_by[(rule, p, t, w)].append(key)
        dest = str(net.lanes.at[lane, "destination"])
        a = ix.arrival_period[(lane, p, g, t, w)]
        for s in net.node_scenarios(w, ix.scenarios):
            k = (rule, dest, p, a, net.node(a, s))
            if key not in arriving[k]:
                arriving[k].append(key)

    apply_index = [(rule, prod, t, w) for (rule, prod) in ix.licences for t, w in ix.nodes]
    m.v_apply = pyo.Var(
        apply_index, domain=pyo.NonNegativeReals, doc="volume filed for licences (no material)"
    )

    def ship_rule(_m: Any, rule: str, prod: str, t: int, w: str) -> Any:
        shipped = sum(m.v_flow[k] for k in covered[(rule, prod, t, w)])
        shipped = shipped - sum(m.v_licence_declared[k] for k in declared_by.get((rule, prod, t, w), ()))
        share = net.p("ExportControls", "approval_share", (rule, prod), t, w)
        scenario = net.node_scenarios(w, ix.scenarios)[0]  # any scenario through w: same ancestors
        lin = [
            (m.v_apply[rule, prod, tf, net.node(tf, scenario)], weight)
            for tf, weight in review_weights(net, rule, prod, t, scenario)
        ]
        terms[(rule, prod, t, w)] = (share, (0.0, lin))
        return shipped <= share * sum(c * v for v, c in lin)

    m.c_licence_ship = pyo.Constraint(index, rule=ship_rule, doc="licensed shipments")
    m.licence_terms = terms

    def file_rule(_m: Any, rule: str, prod: str, t: int, w: str) -> Any:
        lic = ix.licences[(rule, prod)]
        scenario = net.node_scenarios(w, ix.scenarios)[0]  # any scenario through w: same ancestors
        ahead = advance_periods(net, rule, prod, t, w)
        const, lin = 0.0, []
        for tr in range(min(t + ahead, len(net.periods) - 1) + 1):
            r = ref(lic, tr, net.node(tr, scenario), waited=w != ROOT)  # ROOT: nothing decided at the reveal
            if r is None:
                return pyo.Constraint.Skip  # unlimited requirement: filing is not bounded
            const += r[0]
            lin += r[1]
        filed = sum(m.v_apply[rule, prod, tf, net.node(tf, scenario)] for tf in range(t + 1))
        return filed <= const + linear_sum((c, v) for v, c in lin)

    m.c_licence_file = pyo.Constraint(apply_index, rule=file_rule, doc="filings within the requirement")

    def flow_rule(_m: Any, rule: str, lane: str, p: str, g: str, t: int, w: str) -> Any:
        return m.v_licence_declared[rule, lane, p, g, t, w] <= m.v_flow[lane, p, g, t, w]

    m.c_licence_declared_flow = pyo.Constraint(declared, rule=flow_rule, doc="declared within shipped")

    def use_rule(_m: Any, rule: str, d: str, p: str, a: int, w: str) -> Any:
        lic = ix.licences[(rule, p)]
        rows = _other_demand_rows(net, ix, lic, d, a)
        received = sum(net.p("Demand", "quantity", i, a, w) - m.v_shortage[i, w] for i in rows)
        return sum(m.v_licence_declared[k] for k in arriving[(rule, d, p, a, w)]) <= received

    m.c_licence_declared_use = pyo.Constraint(
        sorted(arriving), rule=use_rule, doc="declared within other customers' receipts"
    )


def _other_demand_rows(net: Network, ix: ModelIndex, lic: LicenceRule, site: str, t: int) -> list[int]:
    """Demand rows at ``site`` in period t of classes other than the rule's end use."""
    return [i for i in ix.demand_at.get((site, lic.product, t), ()) if ix.demand_class[i] != lic.end_use]
