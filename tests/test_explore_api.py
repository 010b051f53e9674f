"""`policyx explore` uses Textual's public API only, so that a newer Textual does not break it:
no private name of another module's object is read, and pyproject says which Textual is tested."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
import textual

ROOT = Path(__file__).resolve().parent.parent
EXPLORER = sorted((ROOT / "policyx" / "explore").glob("*.py"))
TESTS = sorted((ROOT / "tests").glob("test_explore*.py")) + [ROOT / "tests" / "explore_screens.py"]


def _own_private_names(tree: ast.AST) -> set[str]:
    """The private names a module defines itself: its functions, classes and ``self._x`` attributes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
    return {n for n in names if n.startswith("_")}


def private_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _own_private_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr in own):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual"):
            found += [f"{path.name}:{node.lineno}: {node.module}.{a.name}" for a in node.names
                      if a.name.startswith("_")]
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"{path.name}:{node.lineno}: {node.module}")
    return found


def test_the_explorer_and_its_tests_read_no_private_name() -> None:
    found = [use for path in EXPLORER + TESTS for use in private_uses(path)]
    assert found == []


def test_the_check_finds_a_private_name(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("class T:\n    def f(self, tree):\n        self._mine = 1\n        return tree._tree_lines,"
                      " self._mine, self._theirs\n", encoding="utf-8")
    assert private_uses(sample) == ["sample.py:4: ._tree_lines", "sample.py:4: ._theirs"]


def test_pyproject_pins_the_textual_the_tests_run_on() -> None:
    pin = re.search(r'"textual(>=[^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pin is not None
    low, high = re.fullmatch(r">=([\d.]+),<([\d.]+)", pin.group(1)).groups()  # type: ignore[union-attr]
    version = tuple(int(p) for p in textual.__version__.split(".")[:2])
    assert tuple(int(p) for p in low.split(".")[:2]) <= version < tuple(int(p) for p in high.split(".")[:2])


def test_the_pilot_waits_by_looking_and_keeps_textuals_wait_on_a_textual_it_does_not_know(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/pilotwait.py reads Textual's private names (the tests' one place that does): on the
    pinned Textual it is in effect (else the explorer's tests take three times as long), and on a
    Textual that waits some other way it leaves Textual's wait as it is."""
    import textual.app
    import textual.pilot

    from tests import pilotwait

    installed = os.environ.get("POLICYX_PILOT_WAIT") != "textual"  # (which asks for Textual's own wait)
    assert (textual.pilot.wait_for_idle is pilotwait.wait_for_idle) is installed
    assert (textual.app.wait_for_idle is pilotwait.wait_for_idle) is installed  # type: ignore[attr-defined]

    async def other(min_sleep: float = 0.02, max_sleep: float = 1) -> None: ...

    monkeypatch.setattr(textual.app, "wait_for_idle", other)
    monkeypatch.setattr(textual.pilot, "wait_for_idle", other)
    assert pilotwait.install() is False
    assert textual.pilot.wait_for_idle is other
