"""One module per constraint family; each exposes ``add_<family>_constraints(m, net, ix)``."""
