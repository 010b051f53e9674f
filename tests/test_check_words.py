"""`policyx check` says each mistake once, with a subject, a place and the likely fix."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clirun import Outcome

Cli = Callable[..., Outcome]
UNIFORMS = Path(__file__).resolve().parent.parent / "docs" / "examples" / "uniforms" / "debate.yaml"


def _uniforms(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = UNIFORMS.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "debate.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _errors(cli: Cli, path: Path) -> list[str]:
    done = cli("check", str(path))
    return [line for line in done.stderr.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(("old", "new", "meant"), [
    ("type: empirical", "type: factual", "empirical"),     # spelling alone suggested 'practical'
    ("type: normative", "type: moral", "normative"),
    ("agreement: broad", "agreement: unanimous", "consensus"),
    ("agreement: broad", "agreement: wide", "broad"),
    ("stands_for: several", "stands_for: many", "several"),
])
def test_a_word_people_use_for_a_choice_suggests_that_choice(cli: Cli, tmp_path: Path, old: str, new: str,
                                                             meant: str) -> None:
    (error,) = _errors(cli, _uniforms(tmp_path, (old, new)))
    assert error.endswith(f"(did you mean {meant!r}?)"), error


def test_the_filters_suggest_the_same(cli: Cli) -> None:
    assert "no claim type 'factual' (did you mean 'empirical'?)" in cli("list", "--type", "factual").stderr
    assert "(did you mean 'consensus'?)" in cli("list", "--agreement", "unanimous").stderr


def test_choices_are_listed_once(cli: Cli, tmp_path: Path) -> None:
    (error,) = _errors(cli, _uniforms(tmp_path, ("agreement: broad", "agreement: lots")))
    assert error.endswith("'agreement' is 'lots', not one of consensus, broad, divided, individual"), error
    assert error.count("consensus") == 1


def test_a_misspelt_required_field_is_one_error(cli: Cli, tmp_path: Path) -> None:
    errors = _errors(cli, _uniforms(tmp_path, ("    held_by: most-students", "    held-by: most-students")))
    assert len(errors) == 1, errors
    assert errors[0].endswith("position 'no-uniforms': unknown field 'held-by' (did you mean 'held_by'?)")
    # a field that is missing and not misspelt is still missing
    errors = _errors(cli, _uniforms(tmp_path, ("    held_by: most-students\n", "")))
    assert len(errors) == 1 and "missing required field 'held_by'" in errors[0]


def test_check_of_a_pipe_keeps_line_numbers(tmp_path: Path) -> None:
    # the file's text is read once: /dev/stdin cannot be read again to find the lines
    env = {k: v for k, v in os.environ.items() if k != "POLICYX_KB"}
    done = subprocess.run([sys.executable, "-m", "policyx", "check", "/dev/stdin"],
                          input=UNIFORMS.read_text(encoding="utf-8"), capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    lines = UNIFORMS.read_text(encoding="utf-8").splitlines()
    uniforms_at = next(n for n, line in enumerate(lines, start=1) if "id: uniforms" in line)
    assert f"warning: /dev/stdin:{uniforms_at}:5: position 'uniforms' has no quote" in done.stderr, done.stderr


def test_a_file_that_is_not_utf8_is_the_subject_of_its_message(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("version: 1\ntitle: caf\u00e9\n".encode("latin-1"))
    done = cli("check", str(path))
    assert f"error: {path}:2:11: the file is not valid UTF-8 text (byte 0xe9" in done.stderr, done.stderr
    binary = tmp_path / "kb.yaml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert f"{binary}: the file is binary, not YAML text" in cli("check", str(binary)).stderr
