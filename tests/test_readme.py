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
import subprocess
import sys
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
#: a plain ``policyx ...`` piped into other programs (its stderr to the screen, to the pipe with
#: ``2>&1``, or away with ``2>/dev/null``), the most common shape of an example; the rest is one
#: pipeline (no ``;``, ``&&``, ``||`` or ``&``, after which a command would not read the pipe)
PIPED = re.compile(rf"(?P<policyx>{PLAIN.pattern})(?P<stderr> 2>&1| 2>/dev/null)? \| (?P<rest>(?!.*\|\|)[^;&\n]+)")


def _in_process(command: str) -> tuple[str, str]:
    """stdout and stderr of a plain ``policyx ...`` line run in this process, as ``python -m policyx``
    runs it (fast path, then Typer), from the repository's root, by the rules of tools/readme_examples.py."""
    cwd = os.getcwd()
    os.chdir(readme_examples.ROOT)
    try:
        done = run_program(shlex.split(command)[1:], env={"NO_COLOR": "1", "COLUMNS": "80", "TERM": "dumb"})
    finally:
        os.chdir(cwd)
    return done.stdout, done.stderr


def _bash(command: str, stdin: str) -> tuple[str, str]:
    """stdout and stderr of ``command`` in bash as tools/readme_examples.py runs it, reading ``stdin``."""
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "FORCE_COLOR")}
    env.update(NO_COLOR="1", COLUMNS="80", TERM="dumb")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    done = subprocess.run(["bash", "-c", command], input=stdin, cwd=readme_examples.ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    return done.stdout, done.stderr


def shown(command: str) -> str:
    """What ``command`` shows, by the rules of tools/readme_examples.py (bash, a pipe, no colour,
    80 columns, from the repository's root, stdout then stderr). A plain ``policyx ...`` line runs
    in this process, as ``python -m policyx`` runs it (starting Python for each of them was most of
    this file's time), and so does the policyx of ``policyx ... | other programs``, whose output the
    other programs then read in bash; any other line (redirections, variables, several policyx,
    a policyx after a pipe) runs in bash whole."""
    if PLAIN.fullmatch(command):
        out, err = _in_process(command)
        return (out + err).rstrip("\n")
    piped = PIPED.fullmatch(command)
    if piped and "policyx" not in piped["rest"]:
        out, err = _in_process(piped["policyx"])
        if piped["stderr"] == " 2>/dev/null":
            err = ""
        elif piped["stderr"] == " 2>&1":
            if out and err:  # the order in which they reached the pipe is the program's to say
                return readme_examples.run(command)
            out, err = out + err, ""
        rest_out, rest_err = _bash(piped["rest"], out)
        return (rest_out + err + rest_err).rstrip("\n")
    return readme_examples.run(command)


def test_plain_command_lines_are_recognised() -> None:
    assert PLAIN.fullmatch('policyx quote --kb d.yaml "parents said so" -f yaml -n 1')
    for shell in ("policyx list | head", "policyx list 2>&1", "X=1 policyx list", "policyx list; echo",
                  'policyx show "$HOME"', "policyx list > f", "policyx show $(echo x)"):
        assert not PLAIN.fullmatch(shell), shell
    assert PIPED.fullmatch("policyx list -f ids 2>/dev/null | head -2 | tail -1")
    for shell in ("policyx list > f | head", "policyx list; echo | head", "X=1 policyx list | head",
                  "policyx list | head && echo", "policyx list | head; echo", "policyx list | head || echo"):
        assert not PIPED.fullmatch(shell), shell


def test_a_plain_line_shows_the_same_in_process_as_in_bash() -> None:
    """The in-process run is the shell's: same bytes, including a message on stderr and the order,
    and so is a pipeline whose policyx runs in-process."""
    for command in ("policyx show criminalize-john", "policyx list questions --format ids",
                    "policyx list arguments -f ids | head -3", "policyx show criminalize-john | head -1",
                    "policyx show criminalize-john 2>&1 | tail -1",
                    "policyx show criminalize-john 2>/dev/null | wc -l"):
        assert shown(command) == readme_examples.run(command), command


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
