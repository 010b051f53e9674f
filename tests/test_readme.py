"""Every example in the README and docs/ runs and prints what the page shows.

The rules (bash, a pipe, no colour, 80 columns, stdout then stderr) live in
tools/readme_examples.py, which also rewrites the examples after a change. The README's
tours (a teacher's, a student's, a researcher's, an author's) each run in order, as pasted,
in an empty folder of their own; the docs/ pages' examples run from the repository's root.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from policyx.importers import argdown, dispatch
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
#: the README's tours: (heading, its examples in order)
TOURS = readme_examples.tours(PAGES["README.md"].read_text(encoding="utf-8"))


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
#: The usual shapes of an example around one plain ``policyx ...``: files made first
#: (``SETUP && policyx ...``, SETUP a list of other commands: no subshell, variable or policyx),
#: its stderr to the pipe or away (``2>&1``, ``2>/dev/null``), its output read by other programs
#: (``| PIPELINE``, one pipeline: no ``;``, ``&&``, ``||`` or ``&``, after which a command would
#: not read the pipe) and its exit status told (``; echo "exit status $?"``).
SHAPE = re.compile(
    rf"(?:(?P<setup>[^()$|;]+?) && )?(?P<policyx>{PLAIN.pattern})(?P<stderr> 2>&1| 2>/dev/null)?"
    r"(?: \| (?P<rest>(?!.*\|\|)[^;&\n]+))?(?:; echo \"(?P<status>exit(?: status)?) \$\?\")?"
)
#: policyx as a command (not in a path such as /tmp/policyx-demo)
A_POLICYX = re.compile(r"(?<![\w/.-])policyx(?![\w/.-])")


@functools.cache
def _argdown_json(cli: str, text: str, name: str) -> str:
    return json.dumps(argdown.run_cli(cli, text, name))


def _argdown_read_once(cli: str, text: str, name: str) -> object:
    """What the Argdown CLI makes of ``text``, asked once per worker: the same JSON (a fresh copy)."""
    return json.loads(_argdown_json(cli, text, name))


@pytest.fixture(autouse=True)
def _argdown_cli_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples run in this process read each .argdown document through the Argdown CLI (Node,
    half a second a run) once: the researcher's tour reads its two documents six times. A user's
    library is indexed once and cached, but a file written less than two seconds before is read
    again (policyx.kb.cacherows.RACY_NS), as every file a tour has just written is. What the
    example prints is the same: the CLI's JSON of the same text is the same."""
    monkeypatch.setattr(dispatch, "run_cli", _argdown_read_once)


def _in_process(command: str, cwd: Path, config: Path | None) -> tuple[str, str, int]:
    """stdout, stderr and exit status of a plain ``policyx ...`` line run in this process, as
    ``python -m policyx`` runs it (fast path, then Typer), in ``cwd``, by the rules of
    tools/readme_examples.py."""
    before = os.getcwd()
    os.chdir(cwd)
    env: dict[str, str | None] = {"NO_COLOR": "1", "COLUMNS": "80", "TERM": "dumb"}
    if config is not None:
        env["XDG_CONFIG_HOME"] = str(config)
    try:
        done = run_program(shlex.split(command)[1:], env=env)
    finally:
        os.chdir(before)
    return done.stdout, done.stderr, done.exit_code


def _bash(command: str, cwd: Path, config: Path | None, stdin: str = "") -> tuple[str, str, int]:
    """stdout, stderr and exit status of ``command`` in bash as tools/readme_examples.py runs it."""
    done = subprocess.run(["bash", "-c", command], input=stdin, cwd=cwd, env=readme_examples.environment(config),
                          capture_output=True, text=True, timeout=120, check=False)
    return done.stdout, done.stderr, done.returncode


def shape(command: str) -> re.Match[str] | None:
    """The parts of ``command`` if it has one of the usual shapes (:data:`SHAPE`), else None."""
    found = SHAPE.fullmatch(command)
    if found is None:
        return None
    setup, rest = found["setup"] or "", found["rest"] or ""
    if A_POLICYX.search(setup) or A_POLICYX.search(rest) or re.search(r"(^|&& )(cd|\w+=)", setup):
        return None
    if re.search(r"(?<![&>])&(?![&>])", setup):  # a command sent to the background
        return None
    if rest and found["status"]:
        return None  # the status would be the pipeline's
    return found


def shown(command: str, cwd: Path = readme_examples.ROOT, config: Path | None = None) -> str:
    """What ``command`` shows, by the rules of tools/readme_examples.py (bash, a pipe, no colour,
    80 columns, in ``cwd``: by default the repository's root, stdout then stderr). The one policyx
    of an example of a usual shape (:data:`SHAPE`) runs in this process, as ``python -m policyx``
    runs it (starting Python for each example was most of this file's time); the commands before
    it, and the programs that read its output, run in bash. Any other line runs in bash whole."""
    found = shape(command)
    if found is None:
        return readme_examples.run(command, cwd, config)
    stdout = stderr = ""
    if found["setup"]:
        stdout, stderr, code = _bash(found["setup"], cwd, config)
    if not found["setup"] or code == 0:
        out, err, code = _in_process(found["policyx"], cwd, config)
        if found["stderr"] == " 2>/dev/null":
            err = ""
        elif found["stderr"] == " 2>&1":
            if out and err:  # the order in which they reached the pipe is the program's to say
                return readme_examples.run(command, cwd, config)
            out, err = out + err, ""
        if found["rest"]:
            out, rest_err, _ = _bash(found["rest"], cwd, config, out)
            err += rest_err
        stdout, stderr = stdout + out, stderr + err
    if found["status"]:
        stdout += f"{found['status']} {code}\n"
    return (stdout + stderr).rstrip("\n")


def test_plain_command_lines_are_recognised() -> None:
    assert PLAIN.fullmatch('policyx quote --kb d.yaml "parents said so" -f yaml -n 1')
    for shell in ("policyx list | head", "policyx list 2>&1", "X=1 policyx list", "policyx list; echo",
                  'policyx show "$HOME"', "policyx list > f", "policyx show $(echo x)"):
        assert not PLAIN.fullmatch(shell), shell
    usual = shape("mkdir -p /tmp/policyx-x && cp a /tmp/policyx-x/ && policyx check x 2>/dev/null; "
                  'echo "exit status $?"')
    assert usual is not None and usual["setup"] == "mkdir -p /tmp/policyx-x && cp a /tmp/policyx-x/"
    assert shape("policyx list -f ids 2>&1 | head -2 | tail -1") is not None
    for shell in ("policyx list > f | head", "policyx list; echo | head", "X=1 policyx list | head",
                  "policyx list | head && echo", "policyx list | head; echo", "policyx list | head || echo",
                  "cd /tmp && policyx list", "d=$(mktemp -d) && policyx list", "policyx list && policyx show x",
                  "sleep 1 & policyx list", 'policyx list | head; echo "exit status $?"',
                  "policyx list | xargs policyx show"):
        assert shape(shell) is None, shell


def test_a_plain_line_shows_the_same_in_process_as_in_bash(tmp_path: Path) -> None:
    """The in-process run is the shell's: same bytes, including a message on stderr, the order,
    the exit status, and the commands before and after it."""
    kb = tmp_path / "kb.yaml"
    for command in ("policyx show criminalize-john", "policyx list questions --format ids",
                    "policyx list arguments -f ids | head -3", "policyx show criminalize-john | head -1",
                    "policyx show criminalize-john 2>&1 | tail -1",
                    "policyx show criminalize-john 2>/dev/null | wc -l",
                    'policyx show criminalize-john; echo "exit status $?"',
                    f"printf 'version: 1\\ntitle: [\\n' > {kb} && policyx --kb {kb} list",
                    f'printf "version: 1\\nactors: 7\\n" > {kb} && policyx --kb {kb} list 2>&1; echo "exit status $?"',
                    f'printf "version: 1\\n" > {kb} && policyx check {kb} 2>&1 | tail -1',
                    f'rm -f {kb} && false && policyx --kb {kb} list; echo "exit $?"',
                    f'cp data/positions.yaml {kb} && policyx --kb {kb} show nope 2>/dev/null; echo "exit $?"'):
        assert shape(command) is not None, command
        assert shown(command) == readme_examples.run(command), command


DOCS_EXAMPLES = [example for example in EXAMPLES if example[0] != "README.md"]


@pytest.mark.parametrize(("page", "command", "expected"), DOCS_EXAMPLES,
                         ids=[f"{p}: {c}" for p, c, _ in DOCS_EXAMPLES])
def test_docs_example(page: str, command: str, expected: str) -> None:
    assert shutil.which("bash"), "bash is needed to run the examples"
    assert shown(command) == expected


def test_the_readme_has_a_tour_for_each_user() -> None:
    assert {"For a teacher", "For a student", "For a researcher", "For an author"} <= {name for name, _ in TOURS}


@pytest.mark.parametrize(("name", "steps"), TOURS, ids=[name for name, _ in TOURS])
def test_readme_tour(name: str, steps: list[tuple[str, str]], tmp_path: Path) -> None:
    """A tour of the README pasted in order, as a new user would, into a fresh empty folder
    (no clone at hand, no config.toml): each example prints what the README shows."""
    assert shutil.which("bash"), "bash is needed to run README examples"
    folder = tmp_path / "tour"
    folder.mkdir()
    for command, expected in steps:
        assert shown(command, folder, tmp_path / "config") == expected, f"{name}: {command}"


def test_the_readme_tours_make_their_own_files() -> None:
    """Nothing of the clone, no fixed folder elsewhere: a tour pasted twice, or after another,
    does not clash."""
    for name, steps in TOURS:
        for command, _ in steps:
            assert not re.search(r"/tmp|\bcd\b|\brm\b|\.\./|~|\b(?:tests|docs|data)/", command), f"{name}: {command}"


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
