"""The console examples of the README and docs/: find them, run them, rewrite their output.

A ```console block holds commands after ``$ `` and, below each, its exact
output. Commands run through bash (so pipes work), as in a pipe (no
terminal), with no colour and 80 columns; the shown output is stdout then
stderr.

The README is a set of tours (each heading with examples is one: "A first
look", "For a teacher"...), each pasted in order by a new user into a fresh
empty folder: its examples run in order in an empty temporary folder of the
tour's own (a later example may use a file an earlier one wrote; nothing of
the clone is at hand), with no config.toml (:func:`tours`). The docs/ pages
are the manual read in a clone: their examples run from the repository's
root, page by page in the order of :data:`PAGES`, each page's in order.

tests/test_readme.py checks every example with :func:`run`;
``python tools/readme_examples.py`` rewrites the outputs after a change
(then read the diff: it is the change users will see);
``python tools/readme_examples.py docs/guide.md`` rewrites one page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: every page whose examples run as tests: the README, then docs/ in name order
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(```console\n)(.*?)(```)", re.S)
#: a heading outside a code block
HEADING = re.compile(r"^#+ (.*)$", re.M)


def examples(text: str) -> list[tuple[str, str]]:
    """(command, expected output) of every example, in order."""
    found: list[tuple[str, str]] = []
    for match in BLOCK.finditer(text):
        for chunk in re.split(r"^\$ ", match.group(2), flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            found.append((command, output.rstrip("\n")))
    return found


def tours(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, its examples in order) of each heading of the README that has examples: a tour,
    pasted in order into a fresh empty folder."""
    found: list[tuple[str, list[tuple[str, str]]]] = []
    headings = [m for m in HEADING.finditer(text) if text.count("```", 0, m.start()) % 2 == 0]
    for at, heading in enumerate(headings):
        end = headings[at + 1].start() if at + 1 < len(headings) else len(text)
        shown = examples(text[heading.end():end])
        if shown:
            found.append((heading.group(1).strip(), shown))
    return found


def environment(config: Path | None = None) -> dict[str, str]:
    """The environment examples run in: a pipe's, no colour, 80 columns, the policyx installed beside
    this interpreter first on PATH; with ``config``, that folder as XDG_CONFIG_HOME (no config.toml
    of the developer's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "FORCE_COLOR")}
    env.update(NO_COLOR="1", COLUMNS="80", TERM="dumb")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    if config is not None:
        env["XDG_CONFIG_HOME"] = str(config)
    return env


def run(command: str, cwd: Path = ROOT, config: Path | None = None) -> str:
    """What ``command`` shows, as the README prints it, run in ``cwd`` (by default the repository's root)."""
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=environment(config), capture_output=True,
                          text=True, timeout=120, check=False)
    return (done.stdout + done.stderr).rstrip("\n")


def rewrite(text: str, cwd: Path = ROOT, config: Path | None = None) -> str:
    """``text`` with every example's output replaced by what it prints now, run in ``cwd``."""

    def block(match: re.Match[str]) -> str:
        commands = [c for c, _ in examples(match.group(0))]
        shown = [(c, run(c, cwd, config)) for c in commands]
        return match.group(1) + "".join(f"$ {c}\n" + (f"{out}\n" if out else "") for c, out in shown) + match.group(3)

    return BLOCK.sub(block, text)


def rewrite_tours(text: str) -> str:
    """The README's ``text`` with each tour's examples run in order in an empty folder of its own."""
    headings = [m for m in HEADING.finditer(text) if text.count("```", 0, m.start()) % 2 == 0]
    starts = [0, *(m.start() for m in headings), len(text)]
    parts = []
    for start, end in zip(starts, starts[1:], strict=False):
        with tempfile.TemporaryDirectory(prefix="policyx-tour-") as folder:
            (Path(folder) / "tour").mkdir()
            parts.append(rewrite(text[start:end], Path(folder) / "tour", Path(folder) / "config"))
    return "".join(parts)


if __name__ == "__main__":
    for page in [ROOT / name for name in sys.argv[1:]] or PAGES:
        text = page.read_text(encoding="utf-8")
        page.write_text(rewrite_tours(text) if page.resolve() == README else rewrite(text), encoding="utf-8")
        print(f"rewrote the examples of {page.relative_to(ROOT)}")
