"""Take-or-pay contracts. See models/formulation.md#contracts."""

from __future__ import annotations

import math
from typing import Any

import pyomo.environ as pyo

from planner.errors import ModelBuildError
from planner.model.index import ModelIndex
from planner.network import Network


def add_contract_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""A 'pay' contract charges its minimum even when less is taken.

    .. math::
        V_{c,t} \ge \underline B_{c,t} - B_{c,t} \qquad (\texttt{c\_contracts\_pay})

    'take' contracts need no row: their minimum is the lower bound of :math:`B_{c,t}`. A contract
    signed at the reveal (:math:`c \in C^{wait}`) owes its minimum only where signed:
    :math:`V_{c,t,s} \ge \underline B_{c,t,s} Z_{c,s} - B_{c,t,s}`.
    """

    def rule(_m: Any, c: str, t: int, w: str) -> Any:
        least = net.p("Contracts", "min_per_period", c, t, w)
        if c in net.wait_contracts:
            return (
                m.v_unused[c, t, w] >= least * m.v_sign_wait[c, ix.wait_node(net, w)] - m.v_purchase[c, t, w]
            )
        return m.v_unused[c, t, w] >= least - m.v_purchase[c, t, w]

    m.c_contracts_pay = pyo.Constraint(ix.unused, rule=rule, doc="take-or-pay minimum paid")


def add_contract_sign_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""Contracts signed at the reveal: purchases only where signed, and a take minimum only there.

    .. math::
        B_{c,t,s} \le \bar B_{c,t,s}\, Z_{c,s} \qquad (\texttt{c\_contracts\_sign})

    .. math::
        B_{c,t,s} \ge \underline B_{c,t,s}\, Z_{c,s} \quad (\text{take}) \qquad (\texttt{c\_contracts\_take\_wait})

    for :math:`c \in C^{wait}` (Contracts.decide = at_reveal) and nodes :math:`t \ge r`; the contract has
    no purchases before the reveal period (ModelIndex), so nothing bought before the reveal depends
    on the scenario.
    """
    keys = [(c, t, w) for c, t, w in ix.purchase if c in net.wait_contracts]
    for c, t, w in keys:
        if math.isinf(net.p("Contracts", "max_per_period", c, t, w)):  # validation refuses this; a backstop
            raise ModelBuildError(
                f"contract {c} is signed at the reveal but has no maximum in {net.periods[t]}; give "
                "Contracts.max_per_period a finite value"
            )

    def sign_rule(_m: Any, c: str, t: int, w: str) -> Any:
        sign = m.v_sign_wait[c, ix.wait_node(net, w)]
        return m.v_purchase[c, t, w] <= net.p("Contracts", "max_per_period", c, t, w) * sign

    m.c_contracts_sign = pyo.Constraint(keys, rule=sign_rule, doc="purchases only under a signed contract")
    takes = [
        k
        for k in keys
        if net.contracts.at[k[0], "take_or_pay"] == "take" and net.p("Contracts", "min_per_period", *k) > 0
    ]

    def take_rule(_m: Any, c: str, t: int, w: str) -> Any:
        least = net.p("Contracts", "min_per_period", c, t, w)
        return m.v_purchase[c, t, w] >= least * m.v_sign_wait[c, ix.wait_node(net, w)]

    m.c_contracts_take_wait = pyo.Constraint(takes, rule=take_rule, doc="take minimum of a signed contract")
