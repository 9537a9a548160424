"""Process capacity, site open/close gating and capacity options. See models/formulation.md#capacity."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from planner.errors import ModelBuildError
from planner.model.index import ModelIndex
from planner.model.variables import build_var
from planner.network import Network

OptionSteps = dict[tuple[str, str], list[tuple[str, list[float | None]]]]
"""(site, process) -> its capacity options, each with the capacity one unit adds per period
(period weight x ramp-up share x capacity_added; None before the option is available)."""


def options_by_process(net: Network) -> OptionSteps:
    """Capacity options of each (site, process), with what one unit adds in each period."""
    opts: OptionSteps = defaultdict(list)
    for o in net.options.itertuples(index=False):
        option = str(o.option)
        per_unit: list[float | None] = []
        for t in net.T:
            share = net.option_share(option, t)  # 0 before available, ramping up to 1
            if share > 0:
                added = float(o.capacity_added) * net.period_weight[t]
                per_unit.append(added * share if share != 1.0 else added)
            else:
                per_unit.append(None)
        opts[(str(o.site), str(o.process))].append((option, per_unit))
    return opts


def installed_capacity(
    m: Any,
    net: Network,
    opts: OptionSteps,
    n: str,
    k: str,
    t: int,
    w: str,
    waited: bool = True,
) -> Any:
    r"""Capacity of process k at site n in (t, w): :math:`\bar X_{k,t} O_n + \sum_o w_t \Delta_o Y_o` (inf if unlimited).

    An option decided at the reveal contributes :math:`Y_{o,w}` of the scenario node ``w``; its
    :math:`t^{avail}_o` counts from the reveal period, so it never adds capacity at ROOT.
    ``waited=False`` leaves such options out (what is known before the reveal).

    :math:`\bar X_{k,t}` is already scaled by the period weight :math:`w_t` (Network); option capacity
    is stated per reference period and scaled here.
    """
    cap = net.p("Processes", "capacity", k, t, w)
    if math.isinf(cap):
        return math.inf
    rhs = cap * m.v_open[n] if n in net.gated_sites else cap
    for o, per_unit in opts.get((n, k), ()):
        if not waited and o in net.wait_options:
            continue
        added = per_unit[t]
        if added is not None:
            rhs = rhs + added * build_var(m, o, w)
    return rhs


def add_capacity_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Activity within capacity; candidate and closable sites run only when open.

    .. math::
        \sum_g X_{n,k,g,t} \le \bar X_{k,t}\, O_n^{[n \in N^{gate}]}
        + \sum_{o \in Q_{n,k}: t \ge t^{avail}_o} w_t\, \mu_{o,t}\, \Delta_o\, Y_o
        \qquad (\texttt{c\_capacity\_process})

    .. math::
        Y_o \le \bar Y_o\, O_n \quad (n \in N^{gate}) \qquad (\texttt{c\_capacity\_option\_open})

    .. math::
        Y_{o,s} \le \bar Y_o\, O_n \quad (n \in N^{gate},\ o \in O^{wait},\ s \in S)
        \qquad (\texttt{c\_capacity\_option\_open\_wait})

    An option decided at the reveal (:math:`o \in O^{wait}`) uses :math:`Y_{o,w}` of the scenario node
    in place of :math:`Y_o`; it is available from :math:`t^{avail}_o \ge r` only.

    :math:`\bar X_{k,t}` and :math:`\Delta_o` are per reference period; :math:`w_t` is the period weight
    (Network.period_weight), already applied to :math:`\bar X` by the Network; :math:`\mu_{o,t}` the
    ramp-up share (Network.option_share).
    """
    gated = set(net.gated_sites)
    opts = options_by_process(net)

    variants: dict[tuple[str, str, int, str], list[tuple[str, str, str, int, str]]] = defaultdict(list)
    for akey in ix.activity:
        variants[(akey[0], akey[1], akey[3], akey[4])].append(akey)
    index = []
    for key in variants:
        n, k, t, w = key
        cap = net.p("Processes", "capacity", k, t, w)
        if math.isinf(cap) and n not in gated:
            continue  # unlimited and always open: no row
        if math.isinf(cap):  # validation refuses this; a backstop for data built in code
            raise ModelBuildError(
                f"process {k} at site {n} has no capacity but the site has an open/close decision; "
                "give Processes.capacity a finite value"
            )
        index.append(key)

    def rule(_m: Any, n: str, k: str, t: int, w: str) -> Any:
        rhs = installed_capacity(m, net, opts, n, k, t, w)
        return sum(m.v_activity[v] for v in variants[(n, k, t, w)]) <= rhs

    m.c_capacity_process = pyo.Constraint(index, rule=rule, doc="process capacity")

    gated_opts = [
        str(o)
        for o in net.options.index
        if str(net.options.at[o, "site"]) in gated and str(o) not in net.wait_options
    ]

    def open_rule(_m: Any, o: str) -> Any:
        units = float(net.options.at[o, "max_units"]) if bool(net.options.at[o, "integer"]) else 1.0
        return m.v_build[o] <= units * m.v_open[str(net.options.at[o, "site"])]

    m.c_capacity_option_open = pyo.Constraint(gated_opts, rule=open_rule, doc="options need an open site")

    def open_wait_rule(_m: Any, o: str, s: str) -> Any:
        units = float(net.options.at[o, "max_units"]) if bool(net.options.at[o, "integer"]) else 1.0
        return m.v_build_wait[o, s] <= units * m.v_open[str(net.options.at[o, "site"])]

    m.c_capacity_option_open_wait = pyo.Constraint(
        [(o, s) for o, s in m.v_build_wait if str(net.options.at[o, "site"]) in gated],
        rule=open_wait_rule,
        doc="options built at the reveal need an open site",
    )
