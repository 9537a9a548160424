"""Linear sums built in one step: the rules list their terms, Pyomo gets one expression."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression


def linear_sum(terms: Iterable[tuple[float, Any]]) -> Any:
    """:math:`\\sum c\\, x` over ``(c, x)`` pairs as one Pyomo ``LinearExpression`` (0.0 when there is none).

    The same expression a running ``expr += c * x`` gives, several times faster to build (no
    intermediate sums). A zero coefficient drops its term, as ``0 * x`` does in Pyomo.
    """
    args = [MonomialTermExpression((c, x)) for c, x in terms if c != 0]
    return LinearExpression(args) if args else 0.0
