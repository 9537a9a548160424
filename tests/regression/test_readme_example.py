"""README's "what the example says" is what a run of the example says today."""

from __future__ import annotations

from planner.docs import README, block, example_findings


def test_readme_example_findings_are_current() -> None:
    assert block(README.read_text(), "example").strip() == example_findings().strip(), (
        "run: python -m planner.docs (the example block no longer matches a run of inputs/example.xlsx)"
    )
