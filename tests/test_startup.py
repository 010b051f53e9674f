"""The fast path (policyx.cli.fast) against the Typer CLI, and what start-up imports.

The fast path must be a pure shortcut: for every command line, running with
it and without it (POLICYX_NO_FASTPATH=1) gives the same stdout, stderr and
exit status. Both paths are built from the same table (policyx.cli.options), so
most command lines are compared in-process; a sample runs in subprocesses, as
users run them (stdout a pipe).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policyx.cli import fast
from policyx.cli.app import run
from policyx.kb.load import bundled_path

BUNDLED = str(bundled_path())
#: a library: a folder of two knowledge bases that include a third (docs/libraries.md, "A library of debates")
COUNCIL = str(bundled_path().parent.parent / "docs" / "examples" / "council")
INVALID_KB = "version: 1\npositions:\n  - id: p\n    claim: x\n"


@pytest.fixture(scope="module")
def kbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("kbs")
    invalid = root / "invalid.yaml"
    invalid.write_text(INVALID_KB, encoding="utf-8")
    broken = root / "broken.yaml"
    broken.write_text("version: 1\nsources: [\n", encoding="utf-8")
    return {"{invalid}": str(invalid), "{broken}": str(broken), "{missing}": str(root / "nope.yaml")}


def run_policyx(
    argv: list[str], cache: Path, fastpath: bool, extra_env: dict[str, str] | None = None
) -> tuple[str, str, int]:
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
    env["XDG_CACHE_HOME"] = str(cache)
    if not fastpath:
        env["POLICYX_NO_FASTPATH"] = "1"
    env.update(extra_env or {})
    done = subprocess.run(
        [sys.executable, "-m", "policyx", *argv], capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    return done.stdout, done.stderr, done.returncode


def run_in_process(argv: list[str], cache: Path, fastpath: bool) -> tuple[str, str, int]:
    """What ``policyx ARGV`` prints and exits with, run in this process as ``python -m policyx``
    runs it: the fast path first (unless turned off), else Typer."""
    env = {"XDG_CACHE_HOME": str(cache), "POLICYX_KB": None, "NO_COLOR": None, "FORCE_COLOR": None,
           "POLICYX_NO_FASTPATH": None if fastpath else "1"}
    with CliRunner().isolation(env=env) as (out, err, _):
        try:
            code = fast.try_run(argv)
            if code is None:
                run(argv)
                code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        sys.stdout.flush()
        sys.stderr.flush()
        return out.getvalue().decode(), err.getvalue().decode(), code


# (argv, handled by the fast path? None: not asserted)
CASES: list[tuple[list[str], bool | None]] = [
    (["list", "arguments", "--format", "json"], True),
    (["list", "arguments", "-f", "jsonl"], True),
    (["list", "-f", "csv", "positions"], True),
    (["list", "questions", "--format=tsv"], True),
    (["list", "actors", "-fyaml"], True),
    (["list", "sources", "-f", "markdown"], True),
    (["list", "models", "-f", "ids"], True),
    (["list", "arguments"], True),  # plain: stdout is a pipe
    (["list"], True),
    (["--no-cache", "list", "arguments", "-f", "json"], True),
    (["--no-color", "--kb", BUNDLED, "--no-cache", "list", "-f", "json"], True),
    (["--kb=" + BUNDLED, "list", "questions", "-f", "json"], True),
    (["--kb", "{missing}", "list", "-f", "json"], True),
    (["--kb", "{invalid}", "list", "-f", "json"], True),
    # Global options after the command (aliases compose); every --kb counts (a library).
    (["list", "--kb", BUNDLED, "-f", "json"], True),
    (["list", "-f", "ids", "--no-cache", "--kb", "{missing}", "--no-color"], True),
    (["--kb", "{missing}", "list", "--kb=" + BUNDLED, "-f", "json"], True),
    (["--kb", BUNDLED, "list", "--kb", "{invalid}", "-f", "ids"], True),
    (["--kb", "{broken}", "list", "arguments"], True),
    (["--no-cache", "--kb", "{invalid}", "list", "-f", "ids"], True),
    # Typer's: errors of usage, help, terminal formats, anything unusual.
    (["list", "-f", "nope"], False),
    (["list", "nope", "-f", "json"], None),  # with filters: list_listing's own usage error
    (["list", "-f"], False),
    (["list", "arguments", "positions"], False),
    (["list", "-f", "json", "-f", "csv"], False),
    (["list", "--", "arguments"], False),
    (["list", "--help"], False),
    (["--kb", BUNDLED, "--kb", BUNDLED, "list", "-f", "json"], True),
    (["--version"], False),
    ([], False),
    (["check"], False),
]
# A library: both paths read it alike (and say alike what they skipped).
CASES += [
    (["--kb", COUNCIL, "list", "-f", "json"], True),
    (["--kb", COUNCIL, "list", "kbs", "-f", "csv"], True),
    (["--kb", BUNDLED, "list", "questions", "--kb", COUNCIL, "-f", "ids"], True),
    (["--kb", COUNCIL, "list", "arguments", "--by", "one-teacher", "-f", "jsonl"], True),
    (["--kb", COUNCIL, "list", "positions", "--for", "no-change", "-f", "json"], True),  # a shared id
]
# The filters of the query issue: both paths must agree on results and on errors.
QUERY_CASES: list[tuple[list[str], bool | None]] = [
    (["list", "arguments", "--tag", "johns", "-f", "json"], True),
    (["list", "-t", "johns", "-t", "enforcement", "-f", "jsonl"], True),
    (["list", "--for", "end-bifurcation", "--deep", "-f", "ids"], True),
    (["list", "positions", "--agreement", "broad", "--sort", "id", "-r", "-f", "csv"], True),
    (["list", "--match=labor", "-f", "tsv"], True),
    (["list", "tags", "-f", "json"], True),
    (["list", "arguments", "--by", "nobody", "-f", "json"], True),
    (["list", "questions", "--type", "empirical", "-f", "json"], True),
    (["list", "arguments", "--tag", "no-such-tag", "-f", "ids"], True),
    (["list", "--deep", "-f", "json"], True),
    (["list", "--no-deep", "-f", "json"], False),
    # a repeated filter means any of its values; --any-tag, --unanswered, --stance, --limit
    (["list", "arguments", "--type", "empirical", "--type", "normative", "-f", "ids"], True),
    (["list", "-q", "criminalizing-johns", "--question", "trafficking-bifurcation", "-f", "json"], True),
    (["list", "--any-tag", "minors", "--any-tag", "safety", "-f", "jsonl"], True),
    (["list", "--unanswered", "-f", "ids"], True),
    (["list", "--stance", "against", "--limit", "2", "-f", "ids"], True),
    (["list", "--limit", "0", "-f", "ids"], True),
    (["list", "--by", "unattributed", "-f", "ids"], True),
    (["list", "--sort", "id", "--sort", "claim", "-f", "ids"], False),
]
CASES += QUERY_CASES
# show, compare, search and map: the same shortcut, from their option tables.
READ_CASES: list[tuple[list[str], bool | None]] = [
    (["show", "criminalize-johns", "-f", "json"], True),
    (["show", "criminalize-johns", "end-bifurcation"], True),
    (["show", "-f", "markdown", "criminalizing-johns"], True),
    (["show", "criminalize-johns", "-f", "table"], True),
    (["show", "--kb", "{missing}", "x"], True),
    (["show", "nope"], True),
    (["show"], False),
    (["show", "x", "-f", "tree"], False),
    (["show", "x", "--", "-y"], False),
    (["compare", "criminalize-johns", "do-not-criminalize-johns", "-f", "json"], True),
    (["compare", "--no-cache", "criminalize-johns", "do-not-criminalize-johns", "-f", "table"], True),
    (["compare", "criminalize-johns"], True),
    (["search", "johns", "safety"], True),
    (["search", "-f", "ids", "johns"], True),
    (["search", "johns", "-f", "table"], True),
    (["search", "zzzz"], True),
    (["map"], True),
    (["map", "criminalizing-johns"], True),
    (["map", "--tag", "minors", "--plain"], True),
    (["map", "-t", "nope"], True),
    (["map", "--kb", "{invalid}"], True),
    (["map", "a", "b"], False),
    (["map", "-f", "json"], False),
    (["list", "arguments", "-f", "table"], True),
]
CASES += READ_CASES


def _fill(argv: list[str], kbs: dict[str, str]) -> list[str]:
    return [kbs.get(arg, arg) for arg in argv]


@pytest.mark.parametrize(("argv", "handled"), CASES, ids=[" ".join(a) or "(none)" for a, _ in CASES])
def test_fast_path_matches_typer(argv: list[str], handled: bool | None, kbs: dict[str, str], tmp_path: Path) -> None:
    argv = _fill(argv, kbs)
    if handled is not None:
        assert (fast.parse(argv) is not None) == handled
    # Cold cache, then warm cache: the cache must not change a byte either.
    typer_cold = run_in_process(argv, tmp_path / "typer", fastpath=False)
    fast_cold = run_in_process(argv, tmp_path / "fast", fastpath=True)
    fast_warm = run_in_process(argv, tmp_path / "fast", fastpath=True)
    typer_warm = run_in_process(argv, tmp_path / "typer", fastpath=False)
    assert fast_cold == typer_cold
    assert fast_warm == typer_warm == typer_cold


#: a sample run as users run them: the program in a subprocess, stdout a pipe
END_TO_END: list[list[str]] = [
    ["list", "arguments", "--format", "json"],
    ["--kb", "{invalid}", "list", "-f", "json"],
    ["show", "nope"],
    ["list", "-f", "nope"],
    ["--kb", COUNCIL, "list", "kbs", "-f", "csv"],
    ["map", "--tag", "minors", "--plain"],
    ["list", "--stance", "against", "--limit", "2", "-f", "ids", "--kb", BUNDLED],
]


@pytest.mark.parametrize("argv", END_TO_END, ids=[" ".join(a) for a in END_TO_END])
def test_fast_path_matches_typer_in_a_subprocess(argv: list[str], kbs: dict[str, str], tmp_path: Path) -> None:
    argv = _fill(argv, kbs)
    typer_cold = run_policyx(argv, tmp_path / "typer", fastpath=False)
    fast_cold = run_policyx(argv, tmp_path / "fast", fastpath=True)
    fast_warm = run_policyx(argv, tmp_path / "fast", fastpath=True)
    typer_warm = run_policyx(argv, tmp_path / "typer", fastpath=False)
    assert fast_cold == typer_cold
    assert fast_warm == typer_warm == typer_cold
    assert "Traceback" not in typer_cold[1]


def test_fast_path_reads_policyx_kb(tmp_path: Path, kbs: dict[str, str]) -> None:
    env = {"POLICYX_KB": kbs["{invalid}"]}
    argv = ["list", "-f", "json"]
    fast_result = run_policyx(argv, tmp_path, fastpath=True, extra_env=env)
    assert fast_result == run_policyx(argv, tmp_path, fastpath=False, extra_env=env)
    assert fast_result[2] == 3 and "invalid.yaml" in fast_result[1]


@pytest.mark.parametrize("fastpath", [True, False])
def test_knowledge_base_from_a_pipe(fastpath: bool, tmp_path: Path) -> None:
    """``--kb /dev/stdin`` reads a pipe once: the cache must not consume it first."""
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    if not fastpath:
        env["POLICYX_NO_FASTPATH"] = "1"
    text = Path(BUNDLED).read_text(encoding="utf-8").replace("sources/session-report.txt", "x.txt")
    done = subprocess.run(
        [sys.executable, "-m", "policyx", "--kb", "/dev/stdin", "list", "questions", "-f", "ids"],
        input=text, capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0] == "trafficking-bifurcation"
    assert not (tmp_path / "policyx").exists()


@pytest.mark.parametrize("fastpath", [True, False])
def test_closed_pipe_ends_quietly(fastpath: bool, tmp_path: Path) -> None:
    """``policyx list ... | head -1``: exit 0, nothing on stderr, on both paths.

    The reading end is closed before policyx writes anything (it is still
    starting), so its first write meets a broken pipe every time."""
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    if not fastpath:
        env["POLICYX_NO_FASTPATH"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "policyx", "list", "arguments", "-f", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read()
    assert (process.wait(timeout=120), errors) == (0, b"")


def test_parse_maps_options() -> None:
    parsed = fast.parse(["--no-cache", "--kb", "x.yaml", "list", "-f", "json", "arguments"])
    assert parsed is not None
    name, session, options = parsed
    assert (session.kb_options, session.use_cache, session.no_color) == (("x.yaml",), False, False)
    assert options == {"fmt": "json", "collection": "arguments"}
    assert name == "list"


def test_the_typer_commands_are_built_from_the_option_tables() -> None:
    """Each command the fast path runs or completes takes exactly the options of its table, in
    order, spelt, shown, bounded and repeated the same way, plus the global options (hidden);
    its arguments are the table's. The root lists the commands of SUMMARIES."""
    import typer.main

    from policyx.cli.app import app
    from policyx.cli.options import COMMANDS as SPECS
    from policyx.cli.options import GLOBAL_OPTIONS, SUMMARIES

    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    assert list(commands) == list(SUMMARIES)
    assert {name: command.short_help for name, command in commands.items()} == SUMMARIES
    assert set(fast.RUNNERS) <= set(SPECS) <= set(SUMMARIES)
    assert set(SPECS) >= {"list", "show", "compare", "search", "map", "export", "quiz", "check"}
    for name, spec in SPECS.items():
        params = commands[name].params
        options = [p for p in params if p.param_type_name == "option" and not p.hidden]
        assert [tuple(p.opts) for p in options] == [o.flags for o in spec.options], name
        for param, option in zip(options, spec.options, strict=True):
            assert (param.is_flag, param.multiple, param.help) == (option.flag, option.multiple, option.help_text())
            assert (param.metavar, param.secondary_opts, param.required) == (option.metavar, [], option.required)
            assert param.default == (False if option.flag else option.default), (name, option.key)
            # the least value: on the parameter in Typer 0.29, on its Click type in 0.28
            least = getattr(param, "min", None) if hasattr(param, "min") else getattr(param.type, "min", None)
            assert least is None, (name, option.key)  # an "int" is converted by Opt.convert, in policyx's words
        hidden = [tuple(p.opts) for p in params if p.param_type_name == "option" and p.hidden]
        assert hidden == [o.flags for o in GLOBAL_OPTIONS], name
        arguments = [(p.name, p.nargs, p.required, p.metavar) for p in params if p.param_type_name == "argument"]
        wanted = [(a.key, -1 if a.many else 1, a.many or a.required, a.metavar) for a in spec.arguments]
        assert arguments == wanted, name


def test_parse_refuses_what_click_would_treat_differently() -> None:
    assert fast.parse(["list", "-f", "-json"]) is None  # a value that looks like an option
    assert fast.parse(["list", "-f="]) is None
    assert fast.parse(["--kb=", "list", "-f", "json"]) is None  # empty value
    assert fast.parse(["lis", "-f", "json"]) is None
    assert fast.parse(["list", "-rf", "json"]) is None


def test_switches_that_turn_the_fast_path_off() -> None:
    argv = ["list", "-f", "json"]
    assert fast.try_run(argv, {"POLICYX_NO_FASTPATH": "1"}) is None
    assert fast.try_run(argv, {"_POLICYX_COMPLETE": "bash_complete"}) is None


PROBE = """
import sys
from policyx.__main__ import main
sys.argv = ["policyx", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"typer", "rich", "yaml", "click", "typing", "difflib",
                                                    "dataclasses", "inspect"})
sys.stderr.write(" ".join(heavy) + "\\n")
"""


def imported(argv: list[str], cache: Path, fastpath: bool = True) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
    env["XDG_CACHE_HOME"] = str(cache)
    if not fastpath:
        env["POLICYX_NO_FASTPATH"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=env, timeout=120, check=True,
    )
    assert done.stdout.startswith("[")
    return set(done.stderr.split())


def test_fast_json_path_imports_neither_typer_nor_rich(tmp_path: Path) -> None:
    # nor typing or difflib (a few ms each: policyx's modules import them only for mypy or mistakes),
    # nor dataclasses and the inspect it imports (10 ms: policyx's records are kb/struct.py's)
    argv = ["list", "arguments", "--format", "json"]
    assert imported(["--no-cache", *argv], tmp_path) == {"yaml"}
    imported(argv, tmp_path)  # fills the cache
    assert imported(argv, tmp_path) == set()  # warm: not even PyYAML


def test_typer_json_path_does_not_import_rich(tmp_path: Path) -> None:
    found = imported(["list", "arguments", "-f", "json"], tmp_path, fastpath=False)
    assert "typer" in found  # the probe really took the Typer path
    assert "rich" not in found


#: start-ups that import no ``typing``: the fast path's reads in a pipe and the completion of names
TYPING_FREE_RUNS: list[tuple[list[str], dict[str, str]]] = [
    (["list", "arguments", "-f", "json"], {}), (["--no-cache", "list", "-f", "ids"], {}),
    (["list", "tags", "-f", "csv"], {}), (["list", "kbs", "-f", "json"], {}),
    (["list", "--standing", "in", "-f", "ids"], {}), (["show", "criminalize-johns"], {}),
    (["compare", "criminalize-johns", "do-not-criminalize-johns", "-f", "json"], {}),
    (["search", "johns", "-f", "ids"], {}), (["stats", "-f", "json"], {}),
    ([], {"_POLICYX_COMPLETE": "complete_bash", "COMP_WORDS": "policyx list --", "COMP_CWORD": "2"}),
]
UNION_PROBE = """
import contextlib, io, os, sys
from policyx.__main__ import main
for argv, env in RUNS:
    os.environ.update(env)
    sys.argv = ["policyx", *argv]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main()
        except SystemExit:
            pass
    for key in env:
        del os.environ[key]
sys.stderr.write(str("dataclasses" in sys.modules or "inspect" in sys.modules) + "\\n")
sys.stderr.write(str("typing" in sys.modules) + "\\n" + " ".join(m for m in sys.modules if m.startswith("policyx")))
"""


def test_the_typing_trick_is_only_where_no_typing_is_imported(tmp_path: Path) -> None:
    """``TYPE_CHECKING = False`` (typing.TYPE_CHECKING without importing typing) is kept by the
    modules that a start-up importing no typing loads; every other module imports typing plainly
    (docs/architecture.md, "Imports")."""
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_NO_FASTPATH", "POLICYX_KB")}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    library = tmp_path / "library"  # a library's reads too, once its files are cached (the loader imports typing)
    library.mkdir()
    for name in ("one", "two"):
        (library / f"{name}.yaml").write_text(f"version: 1\nactors:\n  - id: council\n    name: The {name} council\n",
                                              encoding="utf-8")
    subprocess.run([sys.executable, "-m", "policyx", "--kb", str(library), "list", "-f", "ids"], capture_output=True,
                   env=env, timeout=120, check=True)
    runs = [*TYPING_FREE_RUNS, (["--kb", str(library), "search", "council", "-f", "ids"], {})]
    code = f"RUNS = {runs!r}\n" + UNION_PROBE
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          check=True)
    dataclasses_imported, typing_imported, loaded = done.stderr.splitlines()[-3:]
    assert typing_imported == "False"
    assert dataclasses_imported == "False"  # nor dataclasses and its inspect: the records are kb/struct.py's
    package = Path(__file__).resolve().parent.parent / "policyx"
    trick = set()
    for path in package.rglob("*.py"):
        if "\nTYPE_CHECKING = False" in path.read_text(encoding="utf-8"):
            parts = list(path.relative_to(package.parent).with_suffix("").parts)
            trick.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    assert trick - set(loaded.split()) == set()
