"""check --fix on schema errors: a misspelt id or choice with exactly one close match is
rewritten in place (nothing else in the file changes); a synonym, a guess among several or
any other error is left, and --fix says what it does and does not do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.clirun import run_cli as cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "docs" / "examples" / "uniforms", tmp_path / "u")
    return tmp_path / "u" / "debate.yaml"


def _spoil(path: Path, *pairs: tuple[str, str]) -> str:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def test_misspelt_choices_and_ids_with_one_close_match_are_fixed(kb: Path) -> None:
    original = kb.read_text(encoding="utf-8")
    _spoil(kb, ("stands_for: several", "stands_for: severalx"), ("type: empirical", "type: empiricl"),
           ("by: parents", "by: parnets"))
    done = cli("check", str(kb), "--fix")
    assert done.exit_code == 0, done.stderr
    assert kb.read_text(encoding="utf-8") == original  # the very bytes, comments and all
    assert "most-students: stands_for 'severalx' -> 'several' (the one close match)" in done.stderr
    assert "by 'parnets' -> 'parents'" in done.stderr  # found once the choices were mended
    assert "\n-    type: empiricl\n" in done.stdout and "\n+    type: empirical\n" in done.stdout


def test_dry_run_shows_and_writes_nothing(kb: Path) -> None:
    spoilt = _spoil(kb, ("type: empirical", "type: empiricl"))
    done = cli("check", str(kb), "--fix", "--dry-run")
    assert done.exit_code == 3 and "would fix:" in done.stderr and "+    type: empirical" in done.stdout
    assert kb.read_text(encoding="utf-8") == spoilt


def test_a_synonym_or_a_guess_among_several_is_left_and_fix_says_what_it_does(kb: Path) -> None:
    spoilt = _spoil(kb, ("type: normative", "type: moral"), ("    for: uniforms\n", "    for: uniform\n"))
    done = cli("check", str(kb), "--fix")
    assert done.exit_code == 3
    assert kb.read_text(encoding="utf-8") == spoilt
    assert "nothing fixed: --fix rewrites quotes that are nearly the source's words, and misspelt ids and" \
           " choices with exactly one close match; the other errors are yours to fix" in done.stderr
    assert "did you mean 'normative'?" in done.stderr  # the error is still reported, with its hint
