"""compare on a terminal, as a user sees it: clashes wrapped at a narrow width keep their indent."""

from __future__ import annotations

import re

from tests.ptyrun import run_in_terminal

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_a_clash_wrapped_at_60_columns_keeps_its_indent() -> None:
    seen = run_in_terminal("compare", "criminalize-johns", "do-not-criminalize-johns", columns=60)
    assert seen.exit_code == 0, seen.stderr
    lines = ESCAPES.sub("", seen.screen).splitlines()
    clashes = lines[lines.index("clashes: arguments of one side attacking another") + 1:]
    assert "  Focusing on johns would push the problem further out of" in clashes
    assert "  sight again." in clashes  # the wrapped rest, indented like its first line
    for line in clashes:
        assert line.startswith(("− ", "  ")) and len(line) <= 60, line
