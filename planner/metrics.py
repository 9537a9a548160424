"""Metrics computed from solution tables only (no Pyomo)."""

from __future__ import annotations

from collections.abc import Sequence


def cvar(costs: Sequence[float], probabilities: Sequence[float], alpha: float) -> float:
    """CVaR_alpha of a discrete cost distribution: the mean of the worst (1 - alpha) probability mass.

    Equals min_eta eta + 1/(1-alpha) sum_s p_s max(0, c_s - eta) (Rockafellar-Uryasev), so it
    matches the model's linearisation at the optimum. alpha = 0 gives the mean.
    """
    if len(costs) != len(probabilities) or not costs:
        raise ValueError("costs and probabilities must be non-empty and of equal length")
    tail = 1.0 - alpha
    if tail <= 0:
        return max(costs)
    remaining = tail
    total = 0.0
    for c, p in sorted(zip(costs, probabilities, strict=True), key=lambda cp: -cp[0]):
        take = min(p, remaining)
        total += take * c
        remaining -= take
        if remaining <= 1e-15:
            break
    return total / tail
