"""Take-or-pay contracts. See models/formulation.md#contracts."""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from planner.model.index import ModelIndex
from planner.network import Network


def add_contract_constraints(m: Any, net: Network, ix: ModelIndex) -> None:
    r"""A 'pay' contract charges its minimum even when less is taken.

    .. math::
        V_{c,t} \ge \underline B_{c,t} - B_{c,t} \qquad (\texttt{c\_contracts\_pay})

    'take' contracts need no row: their minimum is the lower bound of :math:`B_{c,t}`.
    """

    def rule(_m: Any, c: str, t: int, w: str) -> Any:
        return m.v_unused[c, t, w] >= net.p("Contracts", "min_per_period", c, t, w) - m.v_purchase[c, t, w]

    m.c_contracts_pay = pyo.Constraint(ix.unused, rule=rule, doc="take-or-pay minimum paid")
