"""The console examples of the README and docs/: find them, run them, rewrite their output.

A ```console block holds commands after ``$ `` and, below each, its exact
output. Commands run from the repository's root through bash (so pipes
work), as in a pipe (no terminal), with no colour and 80 columns; the shown
output is stdout then stderr. The pages are read in the order of
:data:`PAGES` and each page's examples in order, as a reader pastes them
(a later example may use a file an earlier one wrote). tests/test_readme.py
checks every example with :func:`run`; ``python tools/readme_examples.py``
rewrites the outputs after a change (then read the diff: it is the change
users will see); ``python tools/readme_examples.py docs/guide.md`` rewrites
one page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: every page whose examples run as tests: the README, then docs/ in name order
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(```console\n)(.*?)(```)", re.S)


def examples(text: str) -> list[tuple[str, str]]:
    """(command, expected output) of every example, in order."""
    found: list[tuple[str, str]] = []
    for match in BLOCK.finditer(text):
        for chunk in re.split(r"^\$ ", match.group(2), flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output.rstrip("\n")))
    return found


def run(command: str) -> str:
    """What ``command`` shows, as the README prints it."""
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "FORCE_COLOR")}
    env.update(NO_COLOR="1", COLUMNS="80", TERM="dumb")
    # The policyx installed beside this interpreter comes first on PATH.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    return (done.stdout + done.stderr).rstrip("\n")


def rewrite(text: str) -> str:
    """``text`` with every example's output replaced by what it prints now."""

    def block(match: re.Match[str]) -> str:
        commands = [c for c, _ in examples(match.group(0))]
        return match.group(1) + "".join(f"$ {c}\n{run(c)}\n" for c in commands) + match.group(3)

    return BLOCK.sub(block, text)


if __name__ == "__main__":
    for page in [ROOT / name for name in sys.argv[1:]] or PAGES:
        page.write_text(rewrite(page.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"rewrote the examples of {page.relative_to(ROOT)}")
