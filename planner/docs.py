"""Generated parts of README.md: ``python -m planner.docs`` rewrites them in place.

Each generated block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
markers; tests fail when a block is stale, so the README cannot drift from the code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from planner.schema import markdown_reference

README = Path(__file__).resolve().parents[1] / "README.md"

BLOCKS: dict[str, Callable[[], str]] = {"schema": markdown_reference}


def replace_block(text: str, name: str, body: str) -> str:
    """Return ``text`` with the block ``name`` replaced by ``body``."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(text):
        raise KeyError(f"README has no block {name!r}")
    return pattern.sub(lambda m: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text)


def block(text: str, name: str) -> str:
    """The current content of block ``name``."""
    m = re.search(rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.S)
    if not m:
        raise KeyError(f"README has no block {name!r}")
    return m.group(1)


def update(path: Path = README, blocks: dict[str, Callable[[], str]] | None = None) -> list[str]:
    """Rewrite every generated block; returns the names that changed."""
    text = path.read_text()
    changed = []
    for name, make in (blocks or BLOCKS).items():
        new = replace_block(text, name, make())
        if new != text:
            changed.append(name)
            text = new
    if changed:
        path.write_text(text)
    return changed


if __name__ == "__main__":  # pragma: no cover
    names = update()
    sys.stdout.write(f"updated: {', '.join(names) or 'nothing'}\n")
