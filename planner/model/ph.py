"""Progressive hedging with mpi-sppy's hub and spokes, over MPI (``mpiexec -n N``).

Every rank calls :func:`run_ph` with the same network; mpi-sppy splits the ranks into
cylinders (each cylinder gets ``N / cylinders`` ranks and shares the scenarios among them):

* ``N`` a multiple of 3: a PH hub, a Lagrangian spoke (lower bound) and an xhatshuffle spoke
  (upper bound: a scenario's first stage fixed and evaluated in every scenario);
* otherwise ``N`` even: a PH hub and an xhatshuffle spoke. The lower bound is then the hub's
  own iteration-0 ("trivial", wait-and-see) bound, which PH computes anyway: every scenario
  solved alone is a relaxation of the nonanticipative problem. This is the configuration
  that fits on two ranks, since mpi-sppy gives each cylinder at least one rank of its own.

One rank cannot hold a hub and a spoke, so ``N`` must be at least 2. The subproblems are
solved by HiGHS through Pyomo's ``highs`` interface (as in tests/regression/test_mpisppy.py).
PH is risk neutral here, as :func:`planner.model.stochastic.scenario_creator` is.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from planner.model.stochastic import mpisppy_tree, scenario_creator
from planner.network import Network

SOLVER = "highs"
"""Pyomo's solver name for HiGHS (pyomo.contrib.solver, highspy underneath)."""


@dataclass
class PHSettings:
    """What the PH run may do: iterations, time, target gap, rho and the subproblem MIP gap."""

    max_iterations: int = 50
    time_limit: float | None = None
    rel_gap: float = 1e-4
    default_rho: float | None = None
    """None: 1e-3 times the largest objective coefficient of a first-stage variable, at least 1."""
    subproblem_gap: float = 1e-6
    threads: int | None = None
    """HiGHS threads per subproblem solve (None or 0: HiGHS decides)."""
    verbose: bool = False


@dataclass
class PHResult:
    """The bounds PH proved, on rank 0 (other ranks get ``ranks`` and ``cylinders`` only)."""

    ranks: int
    cylinders: list[str]
    lower_bound: float = -math.inf
    upper_bound: float = math.inf
    iterations: int = 0
    seconds: float = 0.0
    first_stage: dict[tuple[str, Any], float] = field(default_factory=dict)
    rho: float = 0.0
    is_root: bool = False

    @property
    def gap(self) -> float:
        """Relative gap (upper - lower) / |upper|; inf without both bounds."""
        if not (math.isfinite(self.lower_bound) and math.isfinite(self.upper_bound)):
            return math.inf
        return (self.upper_bound - self.lower_bound) / max(abs(self.upper_bound), 1e-10)


def cylinders_for(ranks: int) -> list[str]:
    """The cylinders run on ``ranks`` MPI ranks; ValueError (saying why) where none fits."""
    if ranks < 2:
        raise ValueError(
            "progressive hedging needs at least 2 MPI ranks: mpi-sppy gives the PH hub and each bound "
            "spoke ranks of their own; run it as: mpiexec -n 2 planner solve WORKBOOK --decompose ph "
            "(hub + xhatshuffle upper bound) or mpiexec -n 3 ... (hub + Lagrangian lower bound + xhatshuffle)"
        )
    if ranks % 3 == 0:
        return ["ph_hub", "lagrangian", "xhatshuffle"]
    if ranks % 2 == 0:
        return ["ph_hub", "xhatshuffle"]
    raise ValueError(
        f"progressive hedging needs an even number of MPI ranks or a multiple of 3, got {ranks}: "
        "mpi-sppy gives the PH hub and each bound spoke the same number of ranks of their own "
        "(mpiexec -n 2: hub + xhatshuffle upper bound, the hub's wait-and-see lower bound; "
        "mpiexec -n 3: hub + Lagrangian lower bound + xhatshuffle upper bound)"
    )


def _rho(net: Network) -> float:
    """A default PH penalty: 1e-3 of the largest first-stage cost coefficient (at least 1)."""
    from pyomo.repn import generate_standard_repn

    m = scenario_creator(net.scenarios[0], net=net)
    repn = generate_standard_repn(m.e_cost_stage1.expr, compute_values=True)
    top = max((abs(float(c)) for c in repn.linear_coefs), default=1.0)
    return max(1.0, 1e-3 * top)


def _config(settings: PHSettings, net: Network) -> Any:
    from mpisppy.utils import config

    cfg = config.Config()
    cfg.popular_args()
    cfg.two_sided_args()
    cfg.ph_args()
    cfg.mip_options()
    cfg.lagrangian_args()
    cfg.xhatshuffle_args()
    cfg.solver_name = SOLVER
    cfg.default_rho = settings.default_rho if settings.default_rho is not None else _rho(net)
    cfg.max_iterations = settings.max_iterations
    cfg.time_limit = settings.time_limit
    cfg.rel_gap = settings.rel_gap
    cfg.iter0_mipgap = settings.subproblem_gap
    cfg.iterk_mipgap = settings.subproblem_gap
    if settings.threads:
        cfg.max_solver_threads = settings.threads
    cfg.verbose = settings.verbose
    cfg.display_progress = settings.verbose
    # HiGHS solves no MIQP: PH's proximal term is linearised (binaries exactly, the rest by cuts)
    cfg.linearize_proximal_terms = True
    cfg.linearize_binary_proximal_terms = True
    cfg.lagrangian = True
    cfg.xhatshuffle = True
    return cfg


def run_ph(net: Network, settings: PHSettings, comm: Any = None) -> PHResult:
    """Run PH with its spokes on every rank of ``comm`` (default MPI.COMM_WORLD); collective.

    Rank 0 (the hub's first rank) gets the bounds, iterations, seconds and the first-stage
    values of the best xhat (the plan of the upper bound), keyed as in
    :func:`planner.model.stochastic.first_stage_values`.
    """
    from mpi4py import MPI
    from mpisppy.spin_the_wheel import WheelSpinner
    from mpisppy.utils import cfg_vanilla as vanilla
    from pyomo.environ import value

    comm = MPI.COMM_WORLD if comm is None else comm
    ranks = comm.Get_size()
    cylinders = cylinders_for(ranks)
    per_cylinder = ranks // len(cylinders)
    if per_cylinder > len(net.scenarios):
        raise ValueError(
            f"{ranks} MPI ranks give each of the {len(cylinders)} cylinders {per_cylinder} ranks, "
            f"more than the {len(net.scenarios)} scenarios to share among them; use fewer ranks"
        )
    cfg = _config(settings, net)
    kwargs = {"net": net}
    names, nodes = mpisppy_tree(net)
    tree = {"all_nodenames": nodes if net.multi_reveal else None, "scenario_creator_kwargs": kwargs}
    hub = vanilla.ph_hub(cfg, scenario_creator, None, names, **tree)
    spokes = []
    if "lagrangian" in cylinders:
        spokes.append(vanilla.lagrangian_spoke(cfg, scenario_creator, None, names, **tree))
    spokes.append(vanilla.xhatshuffle_spoke(cfg, scenario_creator, None, names, **tree))

    t0 = time.perf_counter()
    wheel = WheelSpinner(hub, spokes)
    wheel.spin(comm_world=comm)
    seconds = time.perf_counter() - t0

    spcomm = wheel.spcomm
    winner = wheel._determine_innerbound_winner()  # collective: the cylinder holding the best xhat
    values: dict[tuple[str, Any], float] | None = None
    if winner and spcomm.cylinder_rank == 0:
        opt = spcomm.opt
        if getattr(opt, "first_stage_solution_available", False) or opt.load_best_solution():
            scen = next(iter(opt.local_scenarios.values()))
            values = {
                (v.parent_component().name, v.index()): float(value(v))
                for v in scen._mpisppy_node_list[0].nonant_vardata_list
            }
    gathered = comm.gather(values, root=0)
    result = PHResult(ranks=ranks, cylinders=cylinders)
    if comm.Get_rank() == 0:
        result.is_root = True
        result.first_stage = next((v for v in gathered if v), {})
        if wheel.BestOuterBound is not None:
            result.lower_bound = float(wheel.BestOuterBound)
        if wheel.BestInnerBound is not None:
            result.upper_bound = float(wheel.BestInnerBound)
        result.iterations = int(getattr(spcomm.opt, "_PHIter", 0))
        result.seconds = seconds
        result.rho = float(cfg.default_rho)
    return result


__all__ = ["PHResult", "PHSettings", "cylinders_for", "run_ph"]
