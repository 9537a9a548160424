"""Recorded values checked by the regression tests. Change one only on purpose, with a dated note.

HiGHS 1.15.1 until 2026-11-29, HiGHS 1.16.0 since; Pyomo standard-form hand-off, planner at commit 2cfe7b2 plus the uncommitted
reader/validator of Nov 2026.
"""

# The LEGACY_ values belong to the five-scenario network that was inputs/example.xlsx until
# 2026-11-29 (now tests/regression/legacy_network.py); the notes below keep their history.
# 2026-11-22: inputs/example.xlsx as written by inputs/build_example.py. Proven optimum of the
# five-scenario example (expected cost in US$), solved at mip_gap 1e-5 (gap 0, 28 s). The default
# solve (mip_gap 0.005) stops at 30,048,227,054 (0.31% above, ~5 s): an extra Vulcan phase and
# the Mt Weld expansion, same shortages.
# (was LEGACY_OBJECTIVE = 29_955_128_633.20)
# 2026-11-29: new licence mechanism; proven optimum (one thread, seed 0), inputs/example_answer.json.
# (was 29,939,694,756.89 until the terminal condition)
# 2026-11-29 (later): closing-stock target (opening level, charged at Products.value) and one-off
# costs booked at commissioning: 30,441,659,671.23 (+$502M: the plan still ends with no magnet
# stock and pays its value; see CHANGELOG).
LEGACY_OBJECTIVE = 30_441_659_671.23
# 2026-11-22 (later): Chinese capacity growth is now a base ScenarioChanges profile instead of 12
# free options (same capacities, fewer binaries): optimum 29,955,128,633 (was 29,955,210,807).

# 2026-11-22: size of the example's extensive form as handed to HiGHS (before presolve).
# Later the same day: 12 growth options replaced by a base capacity profile.
# (was 42,702 columns and 31,242 rows, +228 rows of c_lanes_open (strong open link), 2026-11-22)
# 2026-11-29: licences move no material (no application variables per origin; filings per rule and
# product), end-use declarations, and the partial tag P (content accumulates) on processes whose
# output is used again: 58,310 columns, 37,854 rows.
# 2026-11-29 (later): + closing-stock variables and rows: 58,375 columns, 37,919 rows.
LEGACY_COLUMNS = 58_375
LEGACY_ROWS = 37_919
LEGACY_INTEGERS = 19  # 16 binary (site open, builds, lane qualifications) + 3 phased options

# 2026-11-22: expected unmet magnet demand (t over the horizon) in the licence-ban scenario SC4;
# every other scenario is fully served.
# (was 8,668 t at the proven optimum, 2026-11-29 morning; the stories test reads the proven optimum,
# one thread, seed 0, HiGHS 1.16.0, since then)
# 2026-11-29: new licence mechanism (issue: licences that bite): proven optimum SC4 short 8,210 t.
LEGACY_SC4_SHORTAGE = 8_210.0

# 2026-11-29: inputs/example.xlsx is the buyer's-seat network (issue #12, inputs/example/build.py):
# the size of its extensive form as handed to HiGHS (before presolve); its cost is certified by
# inputs/example_answer.json (tests/regression/test_readme_example.py).
# 2026-11-29 evening: licence_reference.csv gives R18/R61 on Dy/Tb oxide and metal a reference
# volume, so their filing rows exist (868 rows, 26 columns more than 414,943 x 229,941).
# 2026-11-30: one qualified lane per supplier-buyer pair carrying the four grades (9 lanes in place
# of 36 per-grade lanes): 27 binaries and 4,617 lane rows fewer (was 414,969 x 230,809).
EXAMPLE_COLUMNS = 414_942
EXAMPLE_ROWS = 226_192

# inputs/tiny.xlsx: the hand-derived expected cost of the docstring of inputs/build_tiny.py.
TINY_OBJECTIVE = 1_290_000.0
