"""Every example in the README and docs/ runs and prints what the page shows.

The rules (bash, a pipe, no colour, 80 columns, stdout then stderr) live in
tools/readme_examples.py, which also rewrites the examples after a change.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.clirun import run_program

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


#: a command line with nothing for the shell to do: ``policyx`` and words (quoted or not)
PLAIN = re.compile(r"""policyx( ([-\w./:=,]+|"[^"$`\\]*"))*""")


def shown(command: str) -> str:
    """What ``command`` shows, by the rules of tools/readme_examples.py (bash, a pipe, no colour,
    80 columns, from the repository's root, stdout then stderr). A plain ``policyx ...`` line runs
    in this process, as ``python -m policyx`` runs it (starting Python for each of them was most of
    this file's time); any line with pipes, redirections or other programs runs in bash."""
    if not PLAIN.fullmatch(command):
        return readme_examples.run(command)
    cwd = os.getcwd()
    os.chdir(readme_examples.ROOT)
    try:
        done = run_program(shlex.split(command)[1:], env={"NO_COLOR": "1", "COLUMNS": "80", "TERM": "dumb"})
    finally:
        os.chdir(cwd)
    return (done.stdout + done.stderr).rstrip("\n")


def test_plain_command_lines_are_recognised() -> None:
    assert PLAIN.fullmatch('policyx quote --kb d.yaml "parents said so" -f yaml -n 1')
    for shell in ("policyx list | head", "policyx list 2>&1", "X=1 policyx list", "policyx list; echo",
                  'policyx show "$HOME"', "policyx list > f", "policyx show $(echo x)"):
        assert not PLAIN.fullmatch(shell), shell


def test_a_plain_line_shows_the_same_in_process_as_in_bash() -> None:
    """The in-process run is the shell's: same bytes, including a message on stderr and the order."""
    for command in ("policyx show criminalize-john", "policyx list questions --format ids"):
        assert shown(command) == readme_examples.run(command)


@pytest.mark.parametrize(("page", "command", "expected"), EXAMPLES, ids=[f"{p}: {c}" for p, c, _ in EXAMPLES])
def test_readme_example(page: str, command: str, expected: str) -> None:
    assert shutil.which("bash"), "bash is needed to run README examples"
    assert shown(command) == expected


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings (code blocks left out)."""
    found: set[str] = set()
    fenced = False
    for line in page.read_text(encoding="utf-8").splitlines():
        fenced ^= line.startswith("```")
        heading = re.match(r"#+ (.*)", line)
        if heading and not fenced:
            found.add(re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-"))
    return found


def test_links_between_the_pages_lead_somewhere() -> None:
    """A relative link names a file that exists and, after '#', a heading of it."""
    pages = [*PAGES.values(), readme_examples.ROOT / "benchmarks" / "README.md"]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            path, _, heading = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists() or (heading and linked.suffix == ".md" and heading not in _anchors(linked)):
                broken.append(f"{page.name}: {target}")
    assert not broken
