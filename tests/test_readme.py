"""Every example in the README and docs/ runs and prints what the page shows.

The rules (bash, a pipe, no colour, 80 columns, stdout then stderr) live in
tools/readme_examples.py, which also rewrites the examples after a change.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parent.parent / "tools" / "readme_examples.py"
_spec = importlib.util.spec_from_file_location("readme_examples", TOOL)
assert _spec is not None and _spec.loader is not None
readme_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_examples)

PAGES = {page.relative_to(readme_examples.ROOT).as_posix(): page for page in readme_examples.PAGES}
EXAMPLES = [
    (name, command, expected)
    for name, page in PAGES.items()
    for command, expected in readme_examples.examples(page.read_text(encoding="utf-8"))
]


def test_docs_pages_are_covered() -> None:
    """The README and each docs/ page that shows console examples take part."""
    assert {"README.md", "docs/guide.md", "docs/authoring.md", "docs/libraries.md", "docs/reference.md"} <= {
        name for name, _, _ in EXAMPLES
    }


def test_readme_stays_short() -> None:
    """The README is a tour read in five minutes; the manual lives in docs/."""
    assert len(PAGES["README.md"].read_text(encoding="utf-8").splitlines()) <= 250


def test_readme_shows_every_command() -> None:
    shown = {command.split()[1] for _, command, _ in EXAMPLES if command.startswith("policyx ")}
    shown |= {word for _, command, _ in EXAMPLES for word in command.split() if word in ("quiz", "map")}
    assert {"list", "show", "compare", "search", "map", "export", "quiz", "check"} <= shown


@pytest.mark.parametrize(("page", "command", "expected"), EXAMPLES, ids=[f"{p}: {c}" for p, c, _ in EXAMPLES])
def test_readme_example(page: str, command: str, expected: str) -> None:
    assert shutil.which("bash"), "bash is needed to run README examples"
    assert readme_examples.run(command) == expected
