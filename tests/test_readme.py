"""Every example in the README runs and prints what the README shows.

A ```console block holds commands after ``$ `` and, below each, its exact
output. Commands run in the repository root through bash (so pipes work),
with the output of a pipe (no terminal), no colour and 80 columns.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def examples() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            found.append((command, "\n".join(output)))
    return found


def test_readme_has_examples() -> None:
    assert len(examples()) >= 1


@pytest.mark.parametrize(("command", "expected"), examples(), ids=[c for c, _ in examples()])
def test_readme_example(command: str, expected: str) -> None:
    assert shutil.which("bash"), "bash is needed to run README examples"
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "FORCE_COLOR")}
    env.update(NO_COLOR="1", COLUMNS="80", TERM="dumb")
    # The policyx of the interpreter running the tests comes first on PATH.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    shown = (done.stdout + done.stderr).rstrip("\n")
    assert shown == expected.rstrip("\n")
