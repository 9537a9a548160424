"""README blocks generated from code are up to date."""

from __future__ import annotations

from planner.docs import README, block
from planner.schema import markdown_reference


def test_readme_workbook_reference_is_current() -> None:
    assert block(README.read_text(), "schema").strip() == markdown_reference().strip(), (
        "run: python -m planner.docs (the schema block is stale)"
    )
