"""A bracket left open at the end of a knowledge base is named as the bracket it is, where it opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from .clirun import run_cli

CASES = {
    # (the file's last line, the bracket named, the line:column it opened at)
    "list at the end": ("tags: [", "[", "2:7"),
    "list with an item": ("tags: [a,", "[", "2:7"),
    "mapping at the end": ("x: {", "{", "2:4"),
    "mapping with an item": ("x: {a: 1,", "{", "2:4"),
    "list inside a mapping": ("x: {a: [", "[", "2:8"),
    "mapping inside a list": ("tags: [{a: 1}, {", "{", "2:16"),
    "brackets in quotes are text": ("tags: ['{', {b: \"[\", c: [", "[", "2:25"),
    "list cut by the next key": ("tags: [a, b\nclaim: x", "[", "2:7"),
}


@pytest.mark.parametrize("last, bracket, at", CASES.values(), ids=list(CASES))
def test_unclosed_bracket_is_the_one_opened(tmp_path: Path, last: str, bracket: str, at: str) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text(f"version: 1\n{last}", encoding="utf-8")
    result = run_cli("--kb", str(kb), "check")
    close = "]" if bracket == "[" else "}"
    assert result.exit_code == 3, result.stderr
    assert f"kb.yaml:{at}: unclosed '{bracket}': expected ',' or '{close}'" in result.stderr
    assert f"close it with '{close}'" in result.stderr
    assert "Traceback" not in result.stderr
