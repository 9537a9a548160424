"""Recorded values checked by the regression tests. Change one only on purpose, with a dated note.

HiGHS 1.15.1, Pyomo standard-form hand-off, planner at commit 2cfe7b2 plus the uncommitted
reader/validator of Nov 2026.
"""

# 2026-11-22: inputs/example.xlsx as written by inputs/build_example.py. Proven optimum of the
# five-scenario example (expected cost in US$), solved at mip_gap 1e-5 (gap 0, 28 s). The default
# solve (mip_gap 0.005) stops at 30,048,227,054 (0.31% above, ~5 s): an extra Vulcan phase and
# the Mt Weld expansion, same shortages.
EXAMPLE_OBJECTIVE = 29_955_128_633.20
# 2026-11-22 (later): Chinese capacity growth is now a base ScenarioChanges profile instead of 12
# free options (same capacities, fewer binaries): optimum 29,955,128,633 (was 29,955,210,807).

# 2026-11-22: size of the example's extensive form as handed to HiGHS (before presolve).
# Later the same day: 12 growth options replaced by a base capacity profile.
EXAMPLE_COLUMNS = 42_702
EXAMPLE_ROWS = 31_242  # +228 rows of c_lanes_open (strong open link), 2026-11-22
EXAMPLE_INTEGERS = 19  # 16 binary (site open, builds, lane qualifications) + 3 phased options

# 2026-11-22: expected unmet magnet demand (t over the horizon) in the licence-ban scenario SC4;
# every other scenario is fully served.
EXAMPLE_SC4_SHORTAGE = 8_668.0
# 2026-11-29: the stories test now reads the proven optimum (one thread, seed 0, HiGHS 1.16.0):
# SC4 short 8,668 t (D_EU 6.0 kt), as above.

# inputs/tiny.xlsx: the hand-derived expected cost of the docstring of inputs/build_tiny.py.
TINY_OBJECTIVE = 1_290_000.0
