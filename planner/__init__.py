"""planner: rare-earth magnet supply-chain planning under export-licence risk."""

from __future__ import annotations

__version__ = "0.1.0"
