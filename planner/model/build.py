"""build_model: one builder for the extensive form, one scenario, or the expected-value problem."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from planner.model.constraints.balance import add_balance_constraints
from planner.model.constraints.capacity import add_capacity_constraints
from planner.model.constraints.content import add_content_constraints
from planner.model.constraints.contracts import add_contract_constraints, add_contract_sign_constraints
from planner.model.constraints.inventory import add_inventory_constraints, cover_index
from planner.model.constraints.lanes import add_lane_constraints, add_lane_open_constraints
from planner.model.constraints.licence import add_licence_constraints
from planner.model.constraints.sourcing import add_sourcing_constraints, sourcing_sets
from planner.model.index import build_index
from planner.model.objective import add_objective
from planner.model.variables import add_variables
from planner.network import Network

CONSTRAINT_FAMILIES = (
    add_balance_constraints,
    add_capacity_constraints,
    add_lane_constraints,
    add_lane_open_constraints,
    add_contract_constraints,
    add_contract_sign_constraints,
    add_inventory_constraints,
    add_sourcing_constraints,
    add_licence_constraints,
    add_content_constraints,
)


_KEPT = {"depth": 0, "freeze": False}  # open kept_out_of_gc blocks; whether build_model freezes


@contextmanager
def kept_out_of_gc() -> Iterator[None]:
    """Models built inside this block stay out of Python's cyclic garbage collector until it ends.

    A model is millions of Python objects (about 12 million at 645k variables) that all live
    while it is solved. The collector would walk every one of them at the first collection after
    the build and again as they age (2-3 s CPU at 645k variables, measured with
    ``bench/bench_model_size.py --split``), finding nothing to free. Inside this block,
    :func:`build_model` moves what exists when it finishes to the collector's permanent generation
    (``gc.freeze``); leaving the outermost block returns it (``gc.unfreeze``), so a model dropped
    later is still collected. When the process already holds frozen objects (a host application
    that uses ``gc.freeze`` itself) the block does nothing, so as not to unfreeze them.
    """
    outermost = _KEPT["depth"] == 0
    if outermost:
        _KEPT["freeze"] = gc.get_freeze_count() == 0
    _KEPT["depth"] += 1
    try:
        yield
    finally:
        _KEPT["depth"] -= 1
        if outermost and _KEPT["freeze"]:
            _KEPT["freeze"] = False
            gc.unfreeze()


def build_model(net: Network, scenarios: list[str] | None = None, relax: bool = False) -> Any:
    """Build the Pyomo model of ``net`` for ``scenarios`` (default: all, the extensive form).

    With one scenario the model is that scenario's full-cost model (what mpi-sppy's
    ``scenario_creator`` returns); a subset of the network's scenarios is weighed by their
    probabilities renormalised over the subset (``objective.scenario_weights``). Pass
    ``expected_value_network(net)`` for the
    expected-value problem. ``relax`` makes every integer variable continuous. Inside
    :func:`kept_out_of_gc` the model is kept out of the garbage collector's walks.
    """
    scen = list(net.scenarios if scenarios is None else scenarios)
    with PauseGC():
        m = pyo.ConcreteModel(name="planner")
        ix = build_index(net, scen)
        m.idx = ix
        m.net = net
        m.sourcing_sets = sourcing_sets(net, ix)
        m.idx_assign = [(r, o) for r, o in m.sourcing_sets.assign if r not in net.wait_rules]
        m.idx_assign_wait = [
            (r, o, s) for r, o in m.sourcing_sets.assign if r in net.wait_rules for s in ix.reveal_nodes
        ]
        keys, soft = cover_index(net, ix)
        m.idx_cover_soft = [k for k in keys if (k[0], k[1]) in soft]
        add_variables(m, net, ix, relax=relax)
        for family in CONSTRAINT_FAMILIES:
            family(m, net, ix)
        add_objective(m, net, ix)
        if _KEPT["freeze"]:
            gc.freeze()  # before the collector is back on: it would walk the whole model at once
    return m
