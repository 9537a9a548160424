"""Stochastic helpers: first-stage values, fixing them, and mpi-sppy's scenario_creator.

The same :func:`planner.model.build.build_model` builds the extensive form (all
scenarios), one scenario (for mpi-sppy or wait-and-see solves) and the
expected-value problem; this module moves first-stage decisions between those models.

Design decisions a row defers to the reveal (``decide = at_reveal``: ``v_build_wait``,
``v_qualify_wait``, ``v_assign_wait``, :data:`~planner.model.variables.WAIT_VARS`) are
second-stage: indexed by scenario, they are never in the non-anticipative list, the first-stage
values or a fixed design, so an EV plan or a committed design leaves them free to adapt per scenario.
"""

from __future__ import annotations

from typing import Any

from planner.model.build import build_model
from planner.model.variables import FIRST_STAGE_VARS
from planner.network import ROOT, Network, build_network
from planner.tables import InputData

OPERATIONAL_VARS = (
    "v_activity",
    "v_use",
    "v_flow",
    "v_purchase",
    "v_unused",
    "v_inventory",
    "v_shortage",
    "v_serve",
    "v_disposal",
    "v_cover_short",
    "v_licence_declared",
    "v_apply",
)


def nonanticipative_vars(m: Any) -> list[Any]:
    """Every first-stage variable data object: design decisions taken now and ROOT-node operations.

    Decisions taken at the reveal (WAIT_VARS) are second-stage and not included; with two reveals the
    stage1_group nodes are later stages, shared by their scenarios through the node index.
    """
    out: list[Any] = []
    for name in FIRST_STAGE_VARS:
        out.extend(getattr(m, name).values())
    for name in OPERATIONAL_VARS:
        var = getattr(m, name)
        out.extend(v for k, v in var.items() if isinstance(k, tuple) and ROOT in k)
    return out


def first_stage_values(m: Any) -> dict[tuple[str, Any], float]:
    """Values of the first-stage variables, keyed by (component name, index)."""
    return {
        (v.parent_component().name, v.index()): (0.0 if v.value is None else float(v.value))
        for v in nonanticipative_vars(m)
    }


def design_key(index: Any) -> str:
    """A variable index as text: ``"a|b"`` for tuples (how designs are stored, e.g. in JSON)."""
    return "|".join(map(str, index)) if isinstance(index, tuple) else str(index)


def design_values(m: Any) -> dict[str, dict[str, float]]:
    """The first-stage design decisions (opening, builds, qualifications, assignments) of a solved model."""
    return {
        name: {design_key(i): float(v.value or 0.0) for i, v in getattr(m, name).items()}
        for name in FIRST_STAGE_VARS
    }


def fix_design(m: Any, designs: dict[str, dict[str, float]]) -> int:
    """Fix the first-stage design variables of ``m`` to ``designs`` (rounded); returns how many were fixed."""
    fixed = 0
    for name, values in designs.items():
        for index, var in getattr(m, name).items():
            key = design_key(index)
            if key in values:
                var.fix(round(values[key]))
                fixed += 1
    return fixed


def fix_first_stage(m: Any, values: dict[tuple[str, Any], float]) -> int:
    """Fix the first-stage variables of ``m`` to ``values``; returns how many were fixed.

    Integer variables are rounded; continuous values are clipped into their bounds.
    """
    fixed = 0
    for v in nonanticipative_vars(m):
        key = (v.parent_component().name, v.index())
        if key not in values:
            continue
        val = values[key]
        if v.is_integer() or v.is_binary():
            val = float(round(val))
        if v.lb is not None:
            val = max(val, v.lb)
        if v.ub is not None:
            val = min(val, v.ub)
        v.fix(val)
        fixed += 1
    return fixed


def scenario_creator(scenario_name: str, data: InputData | None = None, net: Network | None = None) -> Any:
    """mpi-sppy scenario creator: the full-cost model of one scenario with its root node attached.

    Pass ``data`` (validated InputData) or a prebuilt all-scenario ``net``. A three-stage tree
    (Settings.reveal_period_2) is refused: only the root node is attached here. The objective is the
    scenario's total cost :math:`C^1 + C^2_s` (risk neutral): mpi-sppy weights scenarios by
    ``_mpisppy_probability`` itself, and CVaR couples scenarios, so Settings.risk_weight is
    not applied here.
    """
    from mpisppy.utils import sputils  # optional dependency, only for decomposition runs

    if net is None:
        if data is None:
            raise ValueError("scenario_creator needs data or net")
        net = build_network(data)
    if net.multi_reveal:
        raise ValueError(
            "scenario_creator builds two-stage mpi-sppy scenarios; this workbook has a second reveal "
            "(Settings.reveal_period_2 with Scenarios.stage1_group), a multistage tree that the mpi-sppy "
            "path does not attach yet (mpi-sppy also needs the same variables in every node of a stage, "
            "which an unbalanced tree does not have): solve the extensive form (planner solve) instead"
        )
    prob = net.probability[scenario_name]
    single = build_network(net.data, scenarios=[scenario_name])
    single.settings = {**single.settings, "risk_weight": 0.0}
    m = build_model(single)
    sputils.attach_root_node(m, m.e_cost_stage1, nonanticipative_vars(m))
    m._mpisppy_probability = prob
    return m


__all__ = [
    "OPERATIONAL_VARS",
    "first_stage_values",
    "fix_first_stage",
    "nonanticipative_vars",
    "scenario_creator",
]
