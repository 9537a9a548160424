"""Stochastic helpers: first-stage values, fixing them, and mpi-sppy's scenario_creator.

The same :func:`planner.model.build.build_model` builds the extensive form (all
scenarios), one scenario (for mpi-sppy or wait-and-see solves) and the
expected-value problem; this module moves first-stage decisions between those models.

Design decisions a row defers to the reveal (``decide = at_reveal``: ``v_build_wait``,
``v_qualify_wait``, ``v_assign_wait``, :data:`~planner.model.variables.WAIT_VARS`) are
second-stage: indexed by scenario, they are never in the first-stage non-anticipative list, the
first-stage values or a fixed design, so an EV plan or a committed design leaves them free to adapt per
scenario.

A three-stage tree (Settings.reveal_period_2 with Scenarios.stage1_group) is attached for mpi-sppy
as a multistage tree: ROOT (stage 1), one node ``ROOT_k`` per stage1_group (stage 2, ``k`` in
:func:`stage2_nodes` order) and one leaf ``ROOT_k_j`` per scenario of group ``k``
(:func:`mpisppy_tree` gives the node names and the scenario order mpi-sppy needs). A group node holds
the decisions taken at the first reveal (its WAIT_VARS) and its operations between the reveals. mpi-sppy
needs as many of them in every group node; groups whose data between the reveals prune different
variables (e.g. transit times that push arrivals past the horizon) make mpi-sppy refuse the tree.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from planner.model.build import build_model
from planner.model.objective import _linear
from planner.model.variables import FIRST_STAGE_VARS, WAIT_VARS
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
    "v_floor_short",
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


DEMAND_INDEXED_VARS = ("v_shortage", "v_serve")
"""Operational variables indexed by a Demand row (its period is ``ModelIndex.demand_period``)."""


def _period(m: Any, name: str, index: tuple[Any, ...]) -> int:
    """The period of an operational variable's index (the entry before the node, or its Demand row's)."""
    return int(m.idx.demand_period[index[0]] if name in DEMAND_INDEXED_VARS else index[-2])


def stage2_nodes(net: Network) -> dict[str, int]:
    """Three-stage tree: stage1_group label -> k of its mpi-sppy node ``ROOT_k``, in the order the
    groups first appear in ``net.scenarios``; {} for a two-stage network."""
    if not net.multi_reveal:
        return {}
    out: dict[str, int] = {}
    for s in net.scenarios:
        out.setdefault(net.node(net.reveal, s), len(out))
    return out


def mpisppy_tree(net: Network) -> tuple[list[str], list[str]]:
    """The scenario names in tree order and mpi-sppy's ``all_nodenames`` (leaves included).

    Two-stage: ``(net.scenarios, ["ROOT"])``. Three-stage: the scenarios grouped by stage1_group (mpi-sppy
    gives node ``ROOT_k`` the k-th contiguous block of scenarios) and the nodes ROOT, ROOT_k, ROOT_k_j.
    """
    groups = stage2_nodes(net)
    if not groups:
        return list(net.scenarios), ["ROOT"]
    order = [s for g in groups for s in net.scenarios if net.node(net.reveal, s) == g]
    names = ["ROOT"] + [f"ROOT_{k}" for k in groups.values()]
    for g, k in groups.items():
        names += [f"ROOT_{k}_{j}" for j in range(len(net.node_scenarios(g, net.scenarios)))]
    return order, names


def stage2_vars(m: Any, node: str) -> list[Any]:
    """The variables of a stage1_group node of a three-stage tree (its non-anticipative list):
    decisions taken at the first reveal (WAIT_VARS of the node) and the operations indexed by the node
    in the periods between the reveals."""
    net = m.net
    assert net.reveal2 is not None
    out: list[Any] = []
    for name in WAIT_VARS:
        out.extend(v for k, v in getattr(m, name).items() if k[-1] == node)
    for name in OPERATIONAL_VARS:
        var = getattr(m, name)
        out.extend(
            v
            for k, v in var.items()
            if isinstance(k, tuple) and k[-1] == node and net.reveal <= _period(m, name, k) < net.reveal2
        )
    return out


def stage2_cost(m: Any, node: str) -> Any:
    """The cost fixed at a stage1_group node: its terms in the periods between the reveals and the costs
    of the decisions it takes at the first reveal (a waited build's capacity and fixed costs, whenever
    paid). With ``e_cost_stage1`` and the leaf's terms it adds up to the scenario's total cost."""
    net = m.net
    assert net.reveal2 is not None
    terms = [
        t
        for t in m.cost_term_list
        if t.node == node
        and (t.t < net.reveal2 or (t.var is not None and t.var.parent_component().name in WAIT_VARS))
    ]
    return _linear(terms)


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
    """mpi-sppy scenario creator: the full-cost model of one scenario with its tree nodes attached.

    Pass ``data`` (validated InputData) or a prebuilt all-scenario ``net``. Two-stage: the ROOT node
    (:func:`nonanticipative_vars`, cost ``e_cost_stage1``). Three-stage (Settings.reveal_period_2 with
    Scenarios.stage1_group): ROOT, then the scenario's group node ``ROOT_k`` (stage 2,
    :func:`stage2_nodes`) holding :func:`stage2_vars` with cost :func:`stage2_cost` and conditional
    probability the group's; the leaf's (scenario / group probability) follows from
    ``_mpisppy_probability``. Pass the node names and scenario order of :func:`mpisppy_tree` to
    mpi-sppy. The objective is the scenario's total cost :math:`C^1 + C^2_s` (risk neutral): mpi-sppy
    weights scenarios by ``_mpisppy_probability`` itself, and CVaR couples scenarios, so
    Settings.risk_weight is not applied here.
    """
    from mpisppy.utils import sputils  # optional dependency, only for decomposition runs

    if net is None:
        if data is None:
            raise ValueError("scenario_creator needs data or net")
        net = build_network(data)
    prob = net.probability[scenario_name]
    # the one-scenario network keeps the stage1_group of the full one: its group node keeps the label
    single = build_network(net.data, scenarios=[scenario_name])
    single.settings = {**single.settings, "risk_weight": 0.0}
    m = build_model(single)
    sputils.attach_root_node(m, m.e_cost_stage1, nonanticipative_vars(m))
    groups = stage2_nodes(net)
    if groups:
        from mpisppy.scenario_tree import ScenarioNode

        label = net.node(net.reveal, scenario_name)
        group_prob = sum(net.probability[s] for s in net.node_scenarios(label, net.scenarios))
        m.e_cost_stage2_node = pyo.Expression(
            expr=stage2_cost(m, label), doc="cost fixed at the stage-2 node"
        )
        m._mpisppy_node_list.append(
            ScenarioNode(
                f"ROOT_{groups[label]}",
                group_prob,
                2,
                m.e_cost_stage2_node,
                stage2_vars(m, label),
                m,
                parent_name="ROOT",
            )
        )
    m._mpisppy_probability = prob
    return m


__all__ = [
    "OPERATIONAL_VARS",
    "first_stage_values",
    "fix_first_stage",
    "mpisppy_tree",
    "nonanticipative_vars",
    "scenario_creator",
    "stage2_cost",
    "stage2_nodes",
    "stage2_vars",
]
