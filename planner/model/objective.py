"""Cost terms, stage costs, CVaR and the objective. See models/formulation.md#objective.

Every cost is one :class:`CostTerm` (component, period, node, coefficient,
variable or constant). The objective, the stage-cost expressions and the
reported cost table are all sums of the same list, so the components add up to
the objective exactly.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.model.linear import linear_sum
from planner.network import ROOT, Network, conditional_probabilities

COMPONENTS = (
    "purchase",
    "sales",
    "processing",
    "transport",
    "tariff",
    "holding",
    "disposal",
    "fixed",
    "capacity",
    "qualification",
    "shortage",
    "cover",
    "end_value",
)


class CostTerm(NamedTuple):
    """coef * var (or coef alone when var is None), booked to a component, period and node.

    A named tuple (immutable, and several times cheaper to create than a frozen dataclass: the
    extensive form has one per cost coefficient, over a million at 655k variables).
    """

    component: str
    t: int
    node: str
    coef: float
    var: Any


def cost_terms(m: Any, net: Network, ix: ModelIndex) -> list[CostTerm]:
    """All cost terms of the model (discounted).

    Costs per period (fixed, holding, floor and cover penalties) are per reference period and count
    :math:`w_t` times in period t: holding through the Network's scaled parameter, the others here.
    """
    disc = net.discount
    weight = net.period_weight
    terms: list[CostTerm] = []
    add = terms.append
    last = len(net.periods) - 1

    sell = net.sell_contracts
    for c, t, w in ix.purchase:
        price = net.p("Contracts", "price", c, t, w)
        if price and c in sell:  # a sale: the price is a revenue
            add(CostTerm("sales", t, w, -disc[t] * price, m.v_purchase[c, t, w]))
        elif price:
            add(CostTerm("purchase", t, w, disc[t] * price, m.v_purchase[c, t, w]))
    for c, t, w in ix.unused:
        price = net.p("Contracts", "price", c, t, w)
        if price:
            add(CostTerm("purchase", t, w, disc[t] * price, m.v_unused[c, t, w]))
    for key in ix.activity:
        n, k, g, t, w = key
        cost = net.p("Processes", "cost_variable", k, t, w)
        if cost:
            add(CostTerm("processing", t, w, disc[t] * cost, m.v_activity[key]))
    for key in ix.flow:
        lane, p, g, t, w = key
        cost = net.p("Lanes", "cost_flow", lane, t, w)
        if cost:
            add(CostTerm("transport", t, w, disc[t] * cost, m.v_flow[key]))
        rate = net.p("Lanes", "tariff_rate", lane, t, w)
        if rate:
            add(CostTerm("tariff", t, w, disc[t] * rate * net.p("Products", "value", p, t, w), m.v_flow[key]))
    share = float(net.settings["end_value_share"])
    for key in ix.inventory:
        n, p, g, t, w = key
        cost = net.p("Inventory", "cost_holding", (n, p), t, w)
        if cost:
            add(CostTerm("holding", t, w, disc[t] * cost, m.v_inventory[key]))
        if t == last and share:
            value = net.p("Products", "value", p, t, w)
            if value:
                add(CostTerm("end_value", t, w, -disc[t] * share * value, m.v_inventory[key]))
    disposal_cost = {str(p): float(c) for p, c in net.products["cost_disposal"].items()}
    for key in ix.disposal:
        cost = disposal_cost[key[1]]
        if cost:
            add(CostTerm("disposal", key[3], key[4], disc[key[3]] * cost, m.v_disposal[key]))
    default_penalty = float(net.settings["shortage_penalty"])
    shortage_penalty = {d: float(v) for d, v in net.demand["shortage_penalty"].items()}
    for d, w in ix.shortage:
        t = ix.demand_period[d]
        pen = shortage_penalty[d]
        pen = default_penalty if math.isnan(pen) else pen
        add(CostTerm("shortage", t, w, disc[t] * pen, m.v_shortage[d, w]))
    for key in m.v_floor_short:
        n, p, t, w = key
        pen = float(net.inventory.at[(n, p), "floor_penalty"])
        if pen:
            add(CostTerm("cover", t, w, disc[t] * pen * weight[t], m.v_floor_short[key]))
    for key in m.v_closing_short:
        n, p, w = key
        value = net.p("Products", "value", p, last, w)
        if value:
            add(CostTerm("end_value", last, w, disc[last] * value, m.v_closing_short[key]))
    cover_pen = float(net.settings["cover_penalty"])
    if cover_pen:
        for key in m.idx_cover_soft:
            t = key[2]
            add(CostTerm("cover", t, key[3], disc[t] * cover_pen * weight[t], m.v_cover_short[key]))

    # --- design: sites, options, qualification (node ROOT when decided now)
    gated = set(net.gated_sites)
    for s in net.sites.itertuples(index=False):
        site = str(s.site)
        first = net.site_first_period[site]
        fixed = float(s.cost_fixed)
        for t in net.T:
            if t >= first and fixed:
                add(
                    CostTerm(
                        "fixed",
                        t,
                        ROOT,
                        disc[t] * fixed * weight[t],
                        m.v_open[site] if site in gated else None,
                    )
                )
        if site in gated:
            if s.status == "candidate":
                if float(s.cost_opening):
                    # paid when the site opens (its first period), discounted to today
                    t_open = min(first, last)
                    add(
                        CostTerm(
                            "capacity", t_open, ROOT, disc[t_open] * float(s.cost_opening), m.v_open[site]
                        )
                    )
            elif float(s.cost_closing):
                add(CostTerm("capacity", 0, ROOT, float(s.cost_closing), None))
                add(CostTerm("capacity", 0, ROOT, -float(s.cost_closing), m.v_open[site]))
    # a decision taken at the reveal is booked to its scenario node (t >= r): paid only where taken
    for o in net.options.itertuples(index=False):
        opt = str(o.option)
        builds = (
            [(s, m.v_build_wait[opt, s]) for s in ix.reveal_nodes]
            if opt in net.wait_options
            else [(ROOT, m.v_build[opt])]
        )
        for node, var in builds:
            if float(o.cost_build):
                # paid when the capacity becomes available (commissioning), discounted to today
                t_build = min(net.option_available[opt], last)
                add(CostTerm("capacity", t_build, node, disc[t_build] * float(o.cost_build), var))
            if float(o.cost_fixed):
                for t in net.T:
                    if t >= net.option_available[opt]:
                        add(CostTerm("fixed", t, node, disc[t] * float(o.cost_fixed) * weight[t], var))
    qualifications = [(lane, ROOT, m.v_qualify[lane]) for lane in m.v_qualify]
    qualifications += [(lane, s, m.v_qualify_wait[lane, s]) for lane, s in m.v_qualify_wait]
    for lane, node, var in qualifications:
        cost = float(net.lanes.at[lane, "cost_qualification"])
        if cost:
            # paid when the qualification completes (its lead time), discounted to today
            t_q = min(net.lane_usable_from(lane), last)
            add(CostTerm("qualification", t_q, node, disc[t_q] * cost, var))
    return terms


def _linear(terms: list[CostTerm]) -> Any:
    const = sum(t.coef for t in terms if t.var is None)
    var_terms = [(t.coef, t.var) for t in terms if t.var is not None]
    if not var_terms:
        return const
    return const + linear_sum(var_terms)


def scenario_weights(net: Network, scenarios: list[str]) -> dict[str, float]:
    r"""Probability of each modelled scenario: :math:`\pi_s`, or for a model of a subset
    :math:`S' \subset S` of the network's scenarios :math:`\pi_s / \sum_{s' \in S'} \pi_{s'}`
    (the expectation given that one of them happens: :func:`conditional_probabilities`, as
    ``build_network(data, scenarios=...)`` weighs them). Without it a one-scenario model of an
    all-scenario network would weigh its second stage by :math:`\pi_s` and its first stage by 1,
    and choose a plan for neither."""
    if set(scenarios) == set(net.scenarios):
        return {s: net.probability[s] for s in scenarios}
    return conditional_probabilities(net.probability, scenarios)


def add_objective(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Expected cost plus, optionally, a weight times CVaR of total cost.

    .. math::
        \min\; C^1 + \sum_s \pi_s C^2_s + \lambda\Big(\eta + \frac{1}{1-\alpha}\sum_s \pi_s Z_s\Big)

    .. math::
        Z_s \ge C^1 + C^2_s - \eta \qquad (\texttt{c\_objective\_cvar})

    :math:`C^1` (``e_cost_stage1``) sums the ROOT-node terms, :math:`C^2_s`
    (``e_cost_stage2``) the terms of every other node on the path of scenario ``s``: with two
    reveals, the terms of a stage1_group node count in the :math:`C^2_s` of each of its scenarios
    (so :math:`C^1 + C^2_s` is still the scenario's total cost and the expectation weighs a group
    node by its probability). :math:`\pi_s` comes from :func:`scenario_weights`. The CVaR variables
    exist only when Settings.risk_weight > 0.
    """
    terms = cost_terms(m, net, ix)
    m.cost_term_list = terms
    stage1 = [t for t in terms if t.node == ROOT]
    by_scen: dict[str, list[CostTerm]] = {s: [] for s in ix.scenarios}
    scenarios_of: dict[str, list[str]] = {}  # node -> scenarios through it, looked up once per node
    for t in terms:
        if t.node != ROOT:
            if t.node not in scenarios_of:
                scenarios_of[t.node] = net.node_scenarios(t.node, ix.scenarios)
            for s in scenarios_of[t.node]:
                by_scen[s].append(t)
    m.e_cost_stage1 = pyo.Expression(expr=_linear(stage1), doc="first-stage cost")
    m.e_cost_stage2 = pyo.Expression(
        ix.scenarios, rule=lambda _m, s: _linear(by_scen[s]), doc="second-stage cost of a scenario"
    )
    prob = scenario_weights(net, ix.scenarios)
    expected = m.e_cost_stage1 + sum(prob[s] * m.e_cost_stage2[s] for s in ix.scenarios)
    weight = float(net.settings["risk_weight"])
    if weight > 0:
        alpha = float(net.settings["cvar_alpha"])
        m.v_var = pyo.Var(domain=pyo.Reals, doc="value at risk (CVaR threshold)")
        m.v_cvar_excess = pyo.Var(ix.scenarios, domain=pyo.NonNegativeReals, doc="cost above VaR")
        m.c_objective_cvar = pyo.Constraint(
            ix.scenarios,
            rule=lambda _m, s: m.v_cvar_excess[s] >= m.e_cost_stage1 + m.e_cost_stage2[s] - m.v_var,
            doc="CVaR excess",
        )
        m.e_cvar = pyo.Expression(
            expr=m.v_var + 1.0 / (1.0 - alpha) * sum(prob[s] * m.v_cvar_excess[s] for s in ix.scenarios)
        )
        m.objective = pyo.Objective(expr=expected + weight * m.e_cvar, sense=pyo.minimize)
    else:
        m.objective = pyo.Objective(expr=expected, sense=pyo.minimize)
