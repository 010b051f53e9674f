"""Every example in the README runs and prints what the README shows.

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

EXAMPLES = readme_examples.examples(readme_examples.README.read_text(encoding="utf-8"))


def test_readme_shows_every_command() -> None:
    shown = {command.split()[1] for command, _ in EXAMPLES if command.startswith("policyx ")}
    shown |= {word for command, _ in EXAMPLES for word in command.split() if word in ("quiz", "map")}
    assert {"list", "show", "compare", "search", "map", "export", "quiz", "check"} <= shown


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example(command: str, expected: str) -> None:
    assert shutil.which("bash"), "bash is needed to run README examples"
    assert readme_examples.run(command) == expected
