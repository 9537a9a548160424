"""README blocks generated from code are up to date."""

from __future__ import annotations

from planner.docs import BLOCKS, README, block


def test_readme_generated_blocks_are_current() -> None:
    text = README.read_text()
    for name, make in BLOCKS.items():
        assert block(text, name).strip() == make().strip(), f"run: python -m planner.docs ({name} is stale)"
