"""planner's standard-form compiler gives what Pyomo's LinearStandardFormCompiler gives, to the bit.

HiGHS's path through a MIP depends on the order and the values of rows and columns, so the
compiler that replaced Pyomo's (issue #17 item 7, for speed) must hand over the same matrix:
same rows in the same order, same columns, same coefficients, same right-hand sides.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo
import pytest
from pyomo.common.errors import InfeasibleConstraintException, InvalidConstraintError
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from planner.model.build import build_model
from planner.model.linear import linear_sum
from planner.network import build_network
from planner.standard_form import compile_model
from planner.synthetic import synthetic_network
from planner.tables import from_records
from tests.model_cases import full_feature_records


def assert_same(m: Any) -> Any:
    """Compile ``m`` both ways; every part equal to the bit. Returns planner's form."""
    ref = LinearStandardFormCompiler().write(m, mixed_form=True)
    got = compile_model(m)
    assert [(r.constraint, int(r.bound_type)) for r in got.rows] == [
        (r.constraint, int(r.bound_type)) for r in ref.rows
    ]
    assert len(got.columns) == len(ref.columns)
    assert all(a is b for a, b in zip(got.columns, ref.columns, strict=True))
    a, b = got.A.tocsc(), ref.A.tocsc()
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)
    assert np.array_equal(got.c.toarray(), ref.c.toarray())
    assert np.array_equal(np.asarray(got.rhs, dtype=float), np.asarray(ref.rhs, dtype=float))
    assert np.array_equal(np.asarray(got.c_offset, dtype=float), np.asarray(ref.c_offset, dtype=float))
    return got


def test_the_full_feature_model_compiles_to_the_same_matrix() -> None:
    records, settings = full_feature_records()
    assert_same(build_model(build_network(from_records(records, settings))))


@pytest.mark.parametrize("seed", [0, 1])
def test_a_synthetic_network_compiles_to_the_same_matrix(seed: int) -> None:
    data = synthetic_network(mines=4, refineries=3, plants=3, regions=3, periods=6, scenarios=3, seed=seed)
    assert_same(build_model(build_network(data)))


def _small() -> Any:
    """Every expression form the compiler reads itself, and some it hands to Pyomo's visitor."""
    m = pyo.ConcreteModel()
    m.I = pyo.Set(initialize=[1, 2, 3])
    m.x = pyo.Var(m.I, bounds=(0, 10))
    m.y = pyo.Var(domain=pyo.Binary)
    m.z = pyo.Var(m.I)  # z[2] is in no row: its column is dropped
    m.p = pyo.Param(initialize=2.5, mutable=True)
    m.e = pyo.Expression(expr=linear_sum([(3.0, m.x[1]), (0.5, m.x[1]), (1.0, m.y)]))
    m.obj = pyo.Objective(expr=2.0 * m.e + 0.3 * (m.x[2] - m.z[1]) - m.z[3] + 7.0, sense=pyo.maximize)
    m.c_eq = pyo.Constraint(expr=linear_sum([(1.0, m.x[1]), (2.0, m.x[2]), (1.0, m.x[1])]) == 4.0)
    m.c_range = pyo.Constraint(expr=(1.0, linear_sum([(1.0, m.x[3]), (-1.0, m.y)]), 5.0))
    m.c_param = pyo.Constraint(expr=m.p * m.x[2] + m.x[3] <= m.p)
    m.c_both = pyo.Constraint(expr=m.x[1] + m.x[2] >= 3.0 * m.y)
    m.c_var = pyo.Constraint(expr=m.z[1] <= 4.0)
    m.c_zero = pyo.Constraint(expr=linear_sum([(1.0, m.z[3]), (1.0, m.z[1])]) - m.z[1] >= -1.0)
    m.c_neg = pyo.Constraint(expr=-(m.x[1] + 2 * m.z[3]) <= 6.0)
    m.c_const = pyo.Constraint(expr=pyo.inequality(0.0, m.p, 3.0))  # no variable, holds: dropped
    return m


def test_expressions_of_every_form_compile_to_the_same_matrix() -> None:
    got = assert_same(_small())
    assert [v.name for v in got.columns] == ["x[1]", "x[2]", "x[3]", "y", "z[1]", "z[3]"]
    assert [(r.constraint.name, r.bound_type) for r in got.rows][:3] == [
        ("c_eq", 0),
        ("c_range", 1),
        ("c_range", -1),
    ]


def test_fixed_variables_move_to_the_right_hand_side_as_in_pyomo() -> None:
    m = _small()
    m.x[2].fix(1.5)  # met after its component is numbered: a column, then moved to the rhs
    m.z[3].fix(2.0)
    got = assert_same(m)
    assert "x[2]" not in [v.name for v in got.columns]
    m2 = _small()
    m2.q = pyo.Var(initialize=3.0)
    m2.q.fix()
    m2.c_first = pyo.Constraint(expr=linear_sum([(2.0, m2.q), (1.0, m2.x[1])]) <= 9.0)  # q met fixed first
    m2.c_first.deactivate()
    m2.c_first.activate()
    got = assert_same(m2)
    assert got.rhs[-1] == pytest.approx(9.0 - 6.0)


def test_a_mutable_param_is_read_at_compile_time() -> None:
    m = _small()
    m.p = 3.0
    got = assert_same(m)
    row = [i for i, r in enumerate(got.rows) if r.constraint.name == "c_param"][0]
    assert got.rhs[row] == 3.0


def test_a_constraint_that_can_never_hold_is_refused() -> None:
    m = _small()
    m.c_bad = pyo.Constraint(expr=pyo.inequality(5.0, m.p, 6.0))
    with pytest.raises(InfeasibleConstraintException, match="c_bad"):
        compile_model(m)


def test_a_nonlinear_row_is_refused() -> None:
    m = _small()
    m.c_sq = pyo.Constraint(expr=m.x[1] * m.x[2] <= 1.0)
    with pytest.raises(InvalidConstraintError):
        compile_model(m)


def test_a_model_without_objective_compiles() -> None:
    m = _small()
    m.obj.deactivate()
    got = assert_same(m)
    assert got.c.shape[0] == 0
    assert len(got.c_offset) == 0


def test_a_component_a_matrix_cannot_hold_is_refused() -> None:
    m = _small()
    m.sos = pyo.SOSConstraint(var=m.x, sos=1)
    with pytest.raises(ValueError, match="sos"):
        compile_model(m)
    with pytest.raises(ValueError, match="does not know how to"):  # Pyomo's compiler refuses it too
        LinearStandardFormCompiler().write(m, mixed_form=True)
