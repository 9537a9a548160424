"""Converters from published benchmark formats to planner input data.

Two families of external test cases with proven optimal values are supported
(see ``/work/shared/benchmarks`` or the folder named by the environment
variable ``PLANNER_BENCHMARKS``):

* **OR-Library capacitated facility location** (Beasley's ``cap`` format:
  cap41..cap134, capa/capb/capc), read by :func:`read_orlib_cap` and mapped
  onto a one-period supply network by :func:`orlib_to_input`;
* **netdes**, the two-stage stochastic fixed-charge network design instances
  of mpi-sppy, read by :func:`read_netdes` and mapped onto a one-period,
  multi-scenario supply network by :func:`netdes_to_input`.

Both converters return :class:`planner.tables.InputData` built with
:func:`planner.tables.from_records`, i.e. exactly what the workbook reader would
produce for an equivalent workbook, so the regression tests exercise the whole
path validate -> build -> solve.

This module is pure Python: it imports neither Pyomo nor openpyxl.
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.tables import InputData, from_records

#: Default location of the benchmark folders (overridden by ``PLANNER_BENCHMARKS``).
DEFAULT_BENCHMARKS_DIR = Path("/work/shared/benchmarks")

#: The single product and period used by both converters.
PRODUCT = "X"
PERIOD = "P1"
COUNTRY = "XX"

#: Smallest shortage penalty per unit the converters use.
MIN_SHORTAGE_PENALTY = 1.0e7


def benchmarks_dir() -> Path:
    """Folder holding ``orlib_cflp/`` and ``netdes/`` (env ``PLANNER_BENCHMARKS`` or the default)."""
    return Path(os.environ.get("PLANNER_BENCHMARKS", str(DEFAULT_BENCHMARKS_DIR)))


def read_optimal_values(path: str | Path) -> list[dict[str, str]]:
    """Rows of a benchmark folder's ``optimal_values.csv`` as dicts of strings."""
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _safe_penalty(upper_bound: float) -> float:
    """A shortage penalty per unit larger than ``upper_bound`` (a power of ten, at least 1e7).

    With integral demands and capacities, any plan that leaves demand unmet
    leaves at least one whole unit unmet, so a per-unit penalty above an upper
    bound on the cost of a fully served plan can never pay off.
    """
    if upper_bound <= 0 or not math.isfinite(upper_bound):
        return MIN_SHORTAGE_PENALTY
    return max(MIN_SHORTAGE_PENALTY, 10.0 ** math.ceil(math.log10(upper_bound * 1.000001)))


# ---------------------------------------------------------------------------
# OR-Library capacitated facility location
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrlibInstance:
    """One OR-Library ``cap`` file.

    ``costs[i][j]`` is ``a_ij``, the cost of serving *all* of customer j's
    demand from site i (not a cost per unit). ``capacities[i]`` is ``None``
    where the file holds the literal word ``capacity`` and no override was given.
    """

    name: str
    capacities: tuple[float | None, ...]
    fixed_costs: tuple[float, ...]
    demands: tuple[float, ...]
    costs: tuple[tuple[float, ...], ...]

    @property
    def n_sites(self) -> int:
        """Number of candidate sites m."""
        return len(self.fixed_costs)

    @property
    def n_customers(self) -> int:
        """Number of customers n."""
        return len(self.demands)

    @property
    def total_demand(self) -> float:
        """Sum of the customers' demands."""
        return sum(self.demands)


def read_orlib_cap(path: str | Path, capacity_override: float | None = None) -> OrlibInstance:
    """Parse an OR-Library ``cap`` file as one whitespace-separated token stream.

    Layout::

        m n
        m times: capacity_i fixed_cost_i      (capa/b/c: the word "capacity")
        n times: demand_j a_1j ... a_mj

    ``capacity_override``, when given, replaces every site capacity (this is how
    the four cases of capa/capb/capc are made); otherwise the word ``capacity``
    is read as ``None`` (unknown). Raises ``ValueError`` on a malformed file.
    """
    p = Path(path)
    tokens = p.read_text(encoding="utf-8").split()
    if len(tokens) < 2:
        raise ValueError(f"{p}: too few tokens")
    pos = 0

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError(f"{p}: file ends early (token {pos + 1})")
        tok = tokens[pos]
        pos += 1
        return tok

    def number(tok: str) -> float:
        try:
            return float(tok)
        except ValueError:
            raise ValueError(f"{p}: token {pos} is {tok!r}, expected a number") from None

    m = int(number(take()))
    n = int(number(take()))
    if m <= 0 or n <= 0:
        raise ValueError(f"{p}: bad sizes m={m}, n={n}")
    capacities: list[float | None] = []
    fixed: list[float] = []
    for _ in range(m):
        tok = take()
        cap: float | None = None if tok.lower() == "capacity" else number(tok)
        if capacity_override is not None:
            cap = float(capacity_override)
        capacities.append(cap)
        fixed.append(number(take()))
    demands: list[float] = []
    by_customer: list[list[float]] = []
    for _ in range(n):
        demands.append(number(take()))
        by_customer.append([number(take()) for _ in range(m)])
    if pos != len(tokens):
        raise ValueError(f"{p}: {len(tokens) - pos} unexpected tokens after the data")
    costs = tuple(tuple(by_customer[j][i] for j in range(n)) for i in range(m))
    return OrlibInstance(
        name=p.stem,
        capacities=tuple(capacities),
        fixed_costs=tuple(fixed),
        demands=tuple(demands),
        costs=costs,
    )


def orlib_site_id(i: int) -> str:
    """Site id of candidate facility ``i`` (0-based) -> ``F1``, ``F2``..."""
    return f"F{i + 1}"


def orlib_customer_id(j: int) -> str:
    """Site id of customer ``j`` (0-based) -> ``C1``, ``C2``..."""
    return f"C{j + 1}"


def orlib_to_input(
    inst: OrlibInstance,
    capacitated: bool = True,
    *,
    shortage_penalty: float | None = None,
    time_limit: float = 600.0,
    mip_gap: float = 1e-9,
) -> InputData:
    """Map a CFLP (``capacitated``) or UFLP case onto a one-period, one-product network.

    Mapping (published model: ``min sum f_i y_i + sum a_ij x_ij`` with
    ``sum_i x_ij = 1`` and ``sum_j d_j x_ij <= s_i y_i``):

    * candidate site i -> Sites row ``F<i+1>`` (type ``supplier``, status
      ``candidate``, ``cost_opening = f_i``) running one source process
      ``MAKE_F<i+1>`` (no inputs, one unit of product ``X`` out per unit of
      activity) with ``capacity = s_i``; for UFLP the capacity is the total
      demand, which never binds but keeps it finite (a candidate site's process
      must have a finite capacity). The process output is limited by
      ``capacity * open``, which is the constraint ``sum_j d_j x_ij <= s_i y_i``;
    * customer j -> Sites row ``C<j+1>`` (type ``demand_region``, existing) with
      a Demand row of ``d_j`` in period ``P1``;
    * each pair -> Lanes row ``F<i+1>-C<j+1>`` for product ``X`` with
      ``cost_flow = a_ij / d_j`` (the file's cost is for the whole demand) and
      unlimited capacity. Flow ``d_j x_ij`` then costs ``a_ij x_ij``.

    Unmet demand is allowed by the model at ``shortage_penalty`` per unit; the
    default is a power of ten above ``sum_i f_i + sum_j max_i a_ij`` (the cost of
    a feasible plan, when one exists), so with integral data every optimal plan
    serves all demand and the objective equals the published optimum.

    Settings: ``mip_gap`` (default 1e-9) and ``time_limit`` (default 600 s).
    Raises ``ValueError`` for a capacitated case whose capacities are unknown
    (capa/b/c read without ``capacity_override``).
    """
    m, n = inst.n_sites, inst.n_customers
    total = inst.total_demand
    if any(d <= 0 for d in inst.demands):
        raise ValueError(f"{inst.name}: a customer has no demand; a_ij / d_j is undefined")
    caps: list[float] = []
    for i, cap in enumerate(inst.capacities):
        if not capacitated:
            caps.append(total)
        elif cap is None:
            raise ValueError(f"{inst.name}: capacity of site {i + 1} is unknown (give capacity_override)")
        else:
            caps.append(cap)
    if shortage_penalty is None:
        bound = sum(inst.fixed_costs) + sum(max(inst.costs[i][j] for i in range(m)) for j in range(n))
        shortage_penalty = _safe_penalty(bound)

    sites: list[dict[str, Any]] = []
    processes: list[dict[str, Any]] = []
    flows: list[dict[str, Any]] = []
    for i in range(m):
        sid = orlib_site_id(i)
        sites.append(
            {
                "site": sid,
                "type": "supplier",
                "country": COUNTRY,
                "status": "candidate",
                "cost_opening": inst.fixed_costs[i],
            }
        )
        processes.append({"process": f"MAKE_{sid}", "site": sid, "cost_variable": 0.0, "capacity": caps[i]})
        flows.append({"process": f"MAKE_{sid}", "product": PRODUCT, "direction": "out", "quantity": 1.0})
    demand: list[dict[str, Any]] = []
    for j in range(n):
        cid = orlib_customer_id(j)
        sites.append({"site": cid, "type": "demand_region", "country": COUNTRY, "status": "existing"})
        demand.append(
            {
                "site": cid,
                "product": PRODUCT,
                "period": PERIOD,
                "quantity": inst.demands[j],
                "shortage_penalty": shortage_penalty,
            }
        )
    lanes: list[dict[str, Any]] = []
    for i in range(m):
        sid = orlib_site_id(i)
        row = inst.costs[i]
        for j in range(n):
            cid = orlib_customer_id(j)
            lanes.append(
                {
                    "lane": f"{sid}-{cid}",
                    "origin": sid,
                    "destination": cid,
                    "product": PRODUCT,
                    "cost_flow": row[j] / inst.demands[j],
                    "transit_periods": 0,
                    "capacity": None,
                }
            )
    records: dict[str, list[dict[str, Any]]] = {
        "Periods": [{"period": PERIOD}],
        "Products": [{"product": PRODUCT, "name": "facility output"}],
        "Sites": sites,
        "Processes": processes,
        "ProcessFlows": flows,
        "Lanes": lanes,
        "Demand": demand,
    }
    settings = {"mip_gap": mip_gap, "time_limit": time_limit}
    return from_records(records, settings)


# ---------------------------------------------------------------------------
# netdes (mpi-sppy): two-stage stochastic fixed-charge network design
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NetdesScenario:
    """Second-stage data of one scenario: unit costs d, capacities u, net supplies b."""

    cost: tuple[tuple[float, ...], ...]
    capacity: tuple[tuple[float, ...], ...]
    supply: tuple[float, ...]


@dataclass(frozen=True)
class NetdesInstance:
    """One netdes ``.dat`` file (nodes are 0-based here; ids in the network are 1-based)."""

    name: str
    n_nodes: int
    density: float
    ratio: float
    adjacency: tuple[tuple[int, ...], ...]
    fixed_cost: tuple[tuple[float, ...], ...]
    probabilities: tuple[float, ...]
    scenarios: tuple[NetdesScenario, ...]

    @property
    def n_scenarios(self) -> int:
        """Number of scenarios K."""
        return len(self.scenarios)

    @property
    def arcs(self) -> list[tuple[int, int]]:
        """Directed arcs (i, j) with ``A[i][j] = 1``, in row-major order."""
        n = self.n_nodes
        return [(i, j) for i in range(n) for j in range(n) if self.adjacency[i][j]]


_NUMERIC_LINE = re.compile(r"^[\s0-9eE.,;+-]+$")


def _is_data_line(line: str) -> bool:
    """True for a line of numbers separated by ',' and ';' (not a ``---`` separator)."""
    s = line.strip()
    return bool(s) and "--" not in s and bool(_NUMERIC_LINE.match(s))


def _matrix(line: str, n: int, what: str) -> tuple[tuple[float, ...], ...]:
    rows = [r for r in line.strip().split(";")]
    out = tuple(tuple(float(v) for v in r.split(",")) for r in rows)
    if len(out) != n or any(len(r) != n for r in out):
        raise ValueError(f"{what}: expected a {n}x{n} matrix")
    return out


def _vector(line: str, what: str, n: int | None = None) -> tuple[float, ...]:
    out = tuple(float(v) for v in line.strip().split(","))
    if n is not None and len(out) != n:
        raise ValueError(f"{what}: expected {n} values, got {len(out)}")
    return out


def read_netdes(path: str | Path) -> NetdesInstance:
    """Parse an mpi-sppy netdes ``.dat`` file.

    The free-text header ends at the line holding only ``+``. Then come the lines
    N, density, ratio, A, c, K, p_1..p_K, followed by K blocks of three lines
    (d, u, b). Matrices are written row by row, rows separated by ``;`` and
    values by ``,``. Separator lines (``--Scenarios--``, ``--- End of Scenario
    k = ... ---``) are skipped wherever they appear. Raises ``ValueError`` when
    the counts do not match.
    """
    p = Path(path)
    lines = p.read_text(encoding="utf-8").splitlines()
    try:
        start = next(k for k, line in enumerate(lines) if line.strip() == "+") + 1
    except StopIteration:
        raise ValueError(f"{p}: no line holding only '+' (end of the header)") from None
    data = [line for line in lines[start:] if _is_data_line(line)]
    if len(data) < 7:
        raise ValueError(f"{p}: too few data lines")
    n = int(float(data[0]))
    density = float(data[1])
    ratio = float(data[2])
    adj_f = _matrix(data[3], n, f"{p}: A")
    adjacency = tuple(tuple(int(v) for v in r) for r in adj_f)
    fixed = _matrix(data[4], n, f"{p}: c")
    k = int(float(data[5]))
    probs = _vector(data[6], f"{p}: p", k)
    blocks = data[7:]
    if len(blocks) != 3 * k:
        raise ValueError(f"{p}: expected {3 * k} scenario lines (d, u, b per scenario), got {len(blocks)}")
    scenarios = tuple(
        NetdesScenario(
            cost=_matrix(blocks[3 * s], n, f"{p}: d of scenario {s + 1}"),
            capacity=_matrix(blocks[3 * s + 1], n, f"{p}: u of scenario {s + 1}"),
            supply=_vector(blocks[3 * s + 2], f"{p}: b of scenario {s + 1}", n),
        )
        for s in range(k)
    )
    return NetdesInstance(
        name=p.stem,
        n_nodes=n,
        density=density,
        ratio=ratio,
        adjacency=adjacency,
        fixed_cost=fixed,
        probabilities=probs,
        scenarios=scenarios,
    )


def netdes_node_id(i: int) -> str:
    """Site id of node ``i`` (0-based) -> ``N1``, ``N2``..."""
    return f"N{i + 1}"


def netdes_lane_id(i: int, j: int) -> str:
    """Lane id of arc ``i -> j`` (0-based) -> ``A1_2``..."""
    return f"A{i + 1}_{j + 1}"


def netdes_scenario_id(k: int) -> str:
    """Scenario id of scenario ``k`` (0-based) -> ``S1``, ``S2``..."""
    return f"S{k + 1}"


def netdes_to_input(
    inst: NetdesInstance,
    *,
    shortage_penalty: float = MIN_SHORTAGE_PENALTY,
    time_limit: float = 600.0,
    mip_gap: float = 1e-9,
) -> InputData:
    """Map a netdes instance onto a one-period, one-product, K-scenario network.

    Published model: ``min sum c_ij x_ij + sum_k p_k sum d^k_ij y^k_ij`` with
    ``out - in = b^k_i`` at every node and ``0 <= y^k_ij <= u^k_ij x_ij``.

    * node i -> Sites row ``N<i+1>`` (existing; type ``supplier`` if it only ever
      supplies, ``demand_region`` if it only ever demands, else ``warehouse``);
    * arc i->j with ``A[i][j] = 1`` -> Lanes row ``A<i+1>_<j+1>`` for product ``X``
      with ``qualification = True`` and ``cost_qualification = c_ij`` (the binary,
      first-stage build decision; ``flow <= capacity * qualified``). The base
      ``cost_flow`` and ``capacity`` are scenario 1's ``d`` and ``u``; every other
      scenario whose value differs gets a ScenarioChanges row
      (table ``Lanes``, filter ``lane=<id>``, action ``set``);
    * a node that supplies (b > 0) in some scenario -> Contracts row ``C_N<i+1>``
      (take-or-pay ``take``, price 0) with ``min_per_period = max_per_period = b``
      so the supply must be shipped in full (the equality of the balance);
    * a node that demands (b < 0) in some scenario -> a Demand row with quantity
      ``-b`` in ``P1``. As all supply must be taken and there is no storage,
      total supply = total demand forces every demand to be served, so the
      penalty never enters the objective;
    * per-scenario supplies/demands are ScenarioChanges rows (filters
      ``contract=<id>`` on ``min_per_period`` and ``max_per_period``; ``site=<id>``
      on ``Demand.quantity``), again only where a scenario differs from the base.
      A node whose b changes sign has both rows, set to 0 where unused;
    * Scenarios ``S1..SK`` with the file's probabilities (which are not uniform).

    Lanes have ``transit_periods = 0`` and there are no Inventory rows, so every
    node balances exactly within the single period, as in the published model.

    Self-loops (``A[i][i] = 1``; network-10-10-H-06 and network-10-20-H-08 have
    one) are left out: a lane must join two different sites, and such an arc
    adds nothing to its node's balance while its costs are non-negative, so no
    optimal design builds it (the optimum is unchanged).
    """
    n, k = inst.n_nodes, inst.n_scenarios
    if k == 0:
        raise ValueError(f"{inst.name}: no scenarios")
    base = inst.scenarios[0]
    changes: list[dict[str, Any]] = []

    def change(s: int, table: str, flt: str, column: str, value: float) -> None:
        changes.append(
            {
                "scenario": netdes_scenario_id(s),
                "table": table,
                "filter": flt,
                "column": column,
                "action": "set",
                "value": value,
            }
        )

    sites: list[dict[str, Any]] = []
    contracts: list[dict[str, Any]] = []
    demand: list[dict[str, Any]] = []
    for i in range(n):
        nid = netdes_node_id(i)
        values = [sc.supply[i] for sc in inst.scenarios]
        supplies = any(v > 0 for v in values)
        demands = any(v < 0 for v in values)
        kind = (
            "supplier"
            if supplies and not demands
            else "demand_region"
            if demands and not supplies
            else "warehouse"
        )
        sites.append({"site": nid, "type": kind, "country": COUNTRY, "status": "existing"})
        if supplies:
            cid = f"C_{nid}"
            amount = [max(v, 0.0) for v in values]
            contracts.append(
                {
                    "contract": cid,
                    "supplier": nid,
                    "product": PRODUCT,
                    "min_per_period": amount[0],
                    "max_per_period": amount[0],
                    "price": 0.0,
                    "take_or_pay": "take",
                }
            )
            for s in range(1, k):
                if amount[s] != amount[0]:
                    change(s, "Contracts", f"contract={cid}", "min_per_period", amount[s])
                    change(s, "Contracts", f"contract={cid}", "max_per_period", amount[s])
        if demands:
            amount = [max(-v, 0.0) for v in values]
            demand.append(
                {
                    "site": nid,
                    "product": PRODUCT,
                    "period": PERIOD,
                    "quantity": amount[0],
                    "shortage_penalty": shortage_penalty,
                }
            )
            for s in range(1, k):
                if amount[s] != amount[0]:
                    change(s, "Demand", f"site={nid}", "quantity", amount[s])

    lanes: list[dict[str, Any]] = []
    for i, j in inst.arcs:
        if i == j:
            if inst.fixed_cost[i][j] < 0 or any(sc.cost[i][j] < 0 for sc in inst.scenarios):
                raise ValueError(f"{inst.name}: self-loop {i + 1}->{j + 1} has a negative cost")
            continue
        lid = netdes_lane_id(i, j)
        lanes.append(
            {
                "lane": lid,
                "origin": netdes_node_id(i),
                "destination": netdes_node_id(j),
                "product": PRODUCT,
                "cost_flow": base.cost[i][j],
                "capacity": base.capacity[i][j],
                "transit_periods": 0,
                "qualification": True,
                "cost_qualification": inst.fixed_cost[i][j],
            }
        )
        for s in range(1, k):
            sc = inst.scenarios[s]
            if sc.cost[i][j] != base.cost[i][j]:
                change(s, "Lanes", f"lane={lid}", "cost_flow", sc.cost[i][j])
            if sc.capacity[i][j] != base.capacity[i][j]:
                change(s, "Lanes", f"lane={lid}", "capacity", sc.capacity[i][j])

    scenarios = [{"scenario": netdes_scenario_id(s), "probability": inst.probabilities[s]} for s in range(k)]
    records: dict[str, list[dict[str, Any]]] = {
        "Periods": [{"period": PERIOD}],
        "Products": [{"product": PRODUCT, "name": "commodity"}],
        "Sites": sites,
        "Lanes": lanes,
        "Contracts": contracts,
        "Demand": demand,
        "Scenarios": scenarios,
        "ScenarioChanges": changes,
    }
    settings = {"mip_gap": mip_gap, "time_limit": time_limit}
    return from_records(records, settings)


__all__ = [
    "DEFAULT_BENCHMARKS_DIR",
    "NetdesInstance",
    "NetdesScenario",
    "OrlibInstance",
    "benchmarks_dir",
    "netdes_lane_id",
    "netdes_node_id",
    "netdes_scenario_id",
    "netdes_to_input",
    "orlib_customer_id",
    "orlib_site_id",
    "orlib_to_input",
    "read_netdes",
    "read_optimal_values",
    "read_orlib_cap",
]
