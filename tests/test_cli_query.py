"""The read commands through the CLI: every command x format, golden files, errors, pipes, help, completion.

Golden files live in tests/golden/; regenerate them with POLICYX_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from policyx.cli import complete as commands
from policyx.output.registry import format_names
from tests.clirun import Outcome, run_cli, run_completion

FORMATS = format_names("listing")

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("POLICYX_UPDATE_GOLDEN") == "1"
ENV = {"COLUMNS": "80", "NO_COLOR": "", "FORCE_COLOR": "", "TERM": "xterm", "POLICYX_KB": ""}

#: name -> command line (after `policyx`)
COMMANDS: dict[str, list[str]] = {
    "list": ["list"],
    "list-arguments-deep": ["list", "arguments", "--for", "end-bifurcation", "--deep"],
    "list-tags": ["list", "tags"],
    "show-criminalize-johns": ["show", "criminalize-johns"],
    "show-question": ["show", "trafficking-bifurcation"],
    "compare-johns": ["compare", "criminalize-johns", "do-not-criminalize-johns"],
    "search-johns-safety": ["search", "johns", "safety"],
}
TEXT_FORMATS = ("table", "plain", "markdown", "csv", "tsv")


def invoke(*args: str, env: dict[str, str] | None = None) -> Outcome:
    """``policyx ARGS`` through the real entry point, in-process, in the environment ENV (and ``env``)."""
    return run_cli(*args, env={**ENV, **(env or {})})


# --------------------------------------------------------------------------
# every command x every format


def count_records(fmt: str, text: str, view: str) -> int:
    """Parse ``text`` in ``fmt`` back with the standard library (or PyYAML) and count its records."""
    if fmt == "json":
        return len(json.loads(text))
    if fmt == "jsonl":
        return len([json.loads(line) for line in text.splitlines()])
    if fmt == "csv":
        return len(list(csv.DictReader(io.StringIO(text))))
    if fmt == "tsv":
        rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
        assert len({len(r) for r in rows}) == 1, "every TSV row has as many cells as the header"
        return len(rows) - 1
    if fmt == "yaml":
        return len(yaml.safe_load(text))
    if fmt == "plain":
        return len(text.splitlines())
    if fmt == "ids":
        return len(text.split())
    if fmt == "markdown":
        if view == "show":
            return len(re.findall(r"^\s*- (?:[a-z]+ )?`[a-z0-9-]+`", text, re.M))
        return len([line for line in text.splitlines() if line.startswith("| ")]) - 1
    raise AssertionError(fmt)


@pytest.mark.parametrize("name", [n for n in COMMANDS if not n.startswith("compare")])
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "table"])
def test_every_format_carries_the_same_records_as_json(name: str, fmt: str) -> None:
    args = COMMANDS[name]
    reference = json.loads(invoke(*args, "--format", "json").stdout)
    result = invoke(*args, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    view = "show" if args[0] == "show" else "list"
    expected = len(reference)
    if fmt == "ids" and args[0] == "show":
        expected = len({r["id"] for r in reference})
    assert count_records(fmt, result.stdout, view) == expected


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("table", "json", "yaml", "markdown")])
def test_compare_rows_match_the_documented_structure(fmt: str) -> None:
    args = COMMANDS["compare-johns"]
    structure = json.loads(invoke(*args, "-f", "json").stdout)
    assert structure == yaml.safe_load(invoke(*args, "-f", "yaml").stdout)
    rows = json.loads("[" + ",".join(invoke(*args, "-f", "jsonl").stdout.splitlines()) + "]")
    facts = len(structure["shared_tags"]) + len(structure["clashes"]) + sum(
        2 + len(s["holders"]) + len(s["for"]) + len(s["against"]) + len(s["distinct_tags"]) + len(s["unanswered"])
        for s in structure["sides"]
    )
    assert len(rows) == facts
    out = invoke(*args, "-f", fmt).stdout
    if fmt == "ids":
        assert out.split() == list(dict.fromkeys(r["id"] for r in rows if r["id"]))
    else:
        assert count_records(fmt, out, "list") == facts


def test_compare_json_has_the_documented_keys() -> None:
    data = json.loads(invoke("compare", "criminalize-johns", "do-not-criminalize-johns", "-f", "json").stdout)
    assert list(data) == ["compared", "same_question", "shared_tags", "sides", "clashes"]
    assert list(data["sides"][0]) == [
        "id", "kind", "question", "claim", "holders", "agreement", "stance", "target", "tags", "distinct_tags",
        "for", "against", "unanswered",
    ]
    assert list(data["clashes"][0]) == ["side", "other", "id", "claim", "by", "stance", "target"]
    assert list(data["sides"][0]["for"][0]) == ["id", "claim", "by", "stance", "target", "depth"]


def test_compare_plain_shows_all_of_it() -> None:
    out = invoke("compare", "criminalize-johns", "do-not-criminalize-johns", "-f", "plain").stdout
    sections = [line.split("\t")[0] for line in out.splitlines()]
    for section in ("side", "question", "holder", "for", "against", "unanswered", "shared-tag", "clash"):
        assert section in sections
    assert "clash\tdo-not-criminalize-johns\tcriminalize-johns\tjohns-dangerous-for-girls\tagainst" in out


def test_compare_rows_of_arguments_keep_their_stance() -> None:
    out = invoke("compare", "johns-dangerous-for-girls", "stops-blaming-victim", "-f", "plain").stdout
    sides = [line.split("\t") for line in out.splitlines() if line.startswith("side\t")]
    assert [(s[3], s[4], s[5]) for s in sides] == [
        ("johns-dangerous-for-girls", "against", "criminalize-johns"),
        ("stops-blaming-victim", "for", "criminalize-johns"),
    ]


def test_compare_markdown_is_side_by_side_with_clashes() -> None:
    out = invoke("compare", "criminalize-johns", "do-not-criminalize-johns", "-f", "markdown").stdout
    assert "| | `criminalize-johns` | `do-not-criminalize-johns` |" in out
    assert "| unanswered objections | `johns-dangerous-for-girls`" in out
    assert "### Clashes" in out and "- `johns-focus-hides-problem` (side `do-not-criminalize-johns`)" in out


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_golden(name: str, fmt: str) -> None:
    result = invoke(*COMMANDS[name], "--format", fmt)
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"{name}.{fmt}"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with POLICYX_UPDATE_GOLDEN=1"
    assert result.stdout == path.read_text(encoding="utf-8")


def test_golden_compare_json() -> None:
    result = invoke(*COMMANDS["compare-johns"], "--format", "json")
    path = GOLDEN / "compare-johns.json"
    if UPDATE:
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# defaults, options, pipes


def test_default_in_a_pipe_is_plain_without_colour() -> None:
    result = invoke("list")
    assert result.stdout == invoke("list", "-f", "plain").stdout
    assert "\x1b" not in result.stdout


def test_table_follows_columns_and_no_color() -> None:
    wide = invoke("list", "arguments", "-f", "table", env={"COLUMNS": "140"})
    assert max(len(line) for line in wide.stdout.splitlines()) > 80
    assert all(len(line) <= 140 for line in wide.stdout.splitlines())
    assert "\x1b[" in invoke("list", "-f", "table", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b" not in invoke("--no-color", "list", "-f", "table", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b" not in invoke("list", "-f", "table", env={"NO_COLOR": "1"}).stdout


def test_options_in_any_order() -> None:
    a = invoke("list", "arguments", "-t", "johns", "--by", "individual-against-johns", "-f", "ids").stdout
    b = invoke("list", "-f", "ids", "--by", "individual-against-johns", "arguments", "--tag", "johns").stdout
    assert a == b == "johns-dangerous-for-girls\njohns-help-escape\njohns-focus-hides-problem\n"


@pytest.mark.parametrize(
    "alias",
    [["compare", "criminalize-johns", "do-not-criminalize-johns"], ["show", "end-bifurcation"],
     ["list", "arguments", "--type", "empirical"], ["search", "johns"]],
    ids=["compare", "show", "list", "search"],
)
def test_global_options_compose_with_aliases(cli: Any, tmp_path: Path, alias: list[str]) -> None:
    # A teacher's alias ends in the command's own options; `johns --kb mine.yaml` must still work.
    other = tmp_path / "mine.yaml"
    shutil.copy(Path(__file__).parent.parent / "data" / "positions.yaml", other)
    before = cli("--kb", str(other), "--no-cache", "--no-color", *alias, "-f", "json")
    after = cli(*alias, "-f", "json", "--kb", str(other), "--no-cache", "--no-color")
    assert before.exit_code == after.exit_code == 0, after.stderr
    assert after.stdout == before.stdout
    missing = cli(*alias, "--kb", str(tmp_path / "missing.yaml"))
    assert missing.exit_code == 3 and "missing.yaml" in missing.stderr and not missing.stdout


def test_kb_dash_points_to_dev_stdin(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no file called "-" here
    result = cli("--kb", "-", "list", "-f", "ids")
    assert result.exit_code == 3
    assert result.stderr == "policyx: -: no such file (to read standard input, give --kb /dev/stdin)\n"


def test_argument_filters_default_to_arguments() -> None:
    out = invoke("list", "--against", "criminalize-johns", "-f", "ids").stdout
    assert out == "johns-dangerous-for-girls\njohns-focus-hides-problem\n"


def test_list_ids_feed_show() -> None:
    ids = invoke("list", "-f", "ids").stdout.split()
    result = invoke("show", *ids, "-f", "json")
    roots = [r["id"] for r in json.loads(result.stdout) if r["depth"] == 0]
    assert roots == ids


def test_sort_by_field() -> None:
    out = invoke("list", "tags", "--sort", "count", "--reverse", "-f", "json").stdout
    counts = [r["count"] for r in json.loads(out)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


# --------------------------------------------------------------------------
# errors: message on stderr, nothing on stdout, documented status


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["show", "criminalize-john"], 1, "policyx: no entry 'criminalize-john' (did you mean 'criminalize-johns'?)\n"),
        (["show", "safety"], 1,
         "policyx: no entry 'safety' ('safety' is a tag: `policyx list --tag safety` lists what has it)\n"),
        (["list", "--by", "criminalize-johns"], 2,
         "policyx: 'criminalize-johns' is a position, not an actor; it is held by 'individual-for-johns'\n"),
        (["list", "--by", "johns-help-escape"], 2,
         "policyx: 'johns-help-escape' is an argument, not an actor; it is made by 'individual-against-johns'\n"),
        (["compare", "criminalize-john", "do-not-criminalize-johns"], 1,
         "policyx: no position or argument 'criminalize-john' (did you mean 'criminalize-johns'?)\n"),
        (["list", "--for", "criminalize-john"], 1,
         "policyx: no position or argument 'criminalize-john' (did you mean 'criminalize-johns'?)\n"),
        (["list", "-q", "criminalizing-john"], 1,
         "policyx: no question 'criminalizing-john' (did you mean 'criminalizing-johns'?)\n"),
        (["search", "zebra"], 1, "policyx: nothing matches 'zebra'\n"),
        (["list", "-t", "jonhs"], 1,
         "policyx: no entry has the tag 'jonhs' (did you mean 'johns'?); see `policyx list tags`\n"),
        (["list", "arguments", "--agreement", "broad"], 2,
         "policyx: --agreement does not apply to arguments; it filters positions\n"),
        (["compare", "criminalize-johns"], 2, "policyx: compare needs at least two ids\n"),
    ],
)
def test_errors(cli: Any, args: list[str], status: int, message: str) -> None:
    # through the real entry point (conftest's cli fixture), which maps errors to status and stderr
    outcome = cli(*args)
    assert (outcome.exit_code, outcome.stdout, outcome.stderr) == (status, "", message)


def test_unknown_format_is_a_usage_error(cli: Any) -> None:
    outcome = cli("list", "-f", "xml")
    assert outcome.exit_code == 2 and outcome.stdout == ""
    assert ("'xml' is not a format of list, show, compare, search, stats and standing; choose from table, plain,"
            " json") in outcome.stderr


def _policyx_program() -> list[str]:
    exe = shutil.which("policyx", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "policyx"]


def test_broken_pipe_ends_quietly() -> None:
    program = " ".join(_policyx_program())
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {program} list arguments | head -1"], capture_output=True, text=True,
        env={**os.environ, "POLICYX_KB": ""},
    )
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.startswith("trafficking-intertwined\t")
    assert len(result.stdout.splitlines()) == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a device that is always full)")
@pytest.mark.parametrize("args", [["list", "-f", "json"], ["list", "-f", "ids"], ["show", "criminalize-johns"],
                                  ["search", "johns", "-f", "table"], ["--version"], ["list", "-h"]])
@pytest.mark.parametrize("fastpath", [True, False], ids=["fast", "typer"])
def test_a_full_disk_is_an_error_message_not_a_traceback(args: list[str], fastpath: bool) -> None:
    # `johns -f markdown > johns.md` on a full disk or over quota
    env = {**os.environ, "POLICYX_KB": "", **({} if fastpath else {"POLICYX_NO_FASTPATH": "1"})}
    with open("/dev/full", "w") as full:
        result = subprocess.run([*_policyx_program(), *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env)
    assert result.stderr == "policyx: cannot write the output: No space left on device (is the disk full?)\n"
    assert result.returncode == 4


@pytest.mark.parametrize("fastpath", [True, False], ids=["fast", "typer"])
def test_a_stdout_that_is_not_utf8_gets_escapes_not_a_traceback(fastpath: bool) -> None:
    # PYTHONIOENCODING=ascii, or a Latin-1 locale: the curly quotes of the data cannot be encoded
    env = {**os.environ, "POLICYX_KB": "", "PYTHONIOENCODING": "ascii",
           **({} if fastpath else {"POLICYX_NO_FASTPATH": "1"})}
    data = subprocess.run([*_policyx_program(), "list", "-f", "json"], capture_output=True, env=env)
    assert data.returncode == 0 and data.stderr == b""
    assert json.loads(data.stdout) == json.loads(invoke("list", "-f", "json").stdout)  # \u escapes: same data
    table = subprocess.run([*_policyx_program(), "show", "criminalize-johns", "-f", "table"],
                           capture_output=True, env={**env, "COLUMNS": "80"})
    assert table.returncode == 0 and table.stderr == b""
    assert "`-- + for addresses-the-crime" in table.stdout.decode("ascii")  # Rich's ASCII tree guides


def test_closed_stdout_is_an_error_message_not_a_traceback() -> None:
    program = " ".join(_policyx_program())
    result = subprocess.run(["sh", "-c", f"{program} list -f ids >&-; echo $? >&2"], capture_output=True, text=True,
                            env={**os.environ, "POLICYX_KB": ""})
    assert result.stderr == "policyx: cannot write the output: standard output is closed\n4\n"


def test_broken_pipe_on_a_large_output_ends_quietly(tmp_path: Path) -> None:
    # Far more than a pipe buffer holds, so head really closes the pipe while policyx writes.
    lines = ["version: 1", "actors:", "  - id: someone", "    name: someone",
             "questions:", "  - id: q", "    text: A question?",
             "positions:", "  - id: p", "    question: q", "    claim: A claim.", "    held_by: [someone]",
             "    agreement: broad", "arguments:"]
    for i in range(1200):
        lines += [f"  - id: a{i}", f"    claim: Argument number {i} with some words to make the line longer.",
                  "    for: p" if i % 2 else "    against: p", "    by: someone"]
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    program = " ".join(_policyx_program())
    for fmt in ("plain", "json", "table"):
        result = subprocess.run(
            ["bash", "-c", f"set -o pipefail; {program} --kb {path} list arguments -f {fmt} | head -1"],
            capture_output=True, text=True,
        )
        assert result.returncode == 0
        assert result.stderr == "", fmt
        assert len(result.stdout.splitlines()) == 1


def test_list_ids_through_xargs_into_show() -> None:
    program = " ".join(_policyx_program())
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {program} list -q criminalizing-johns -f ids | xargs {program} show -f ids"],
        capture_output=True, text=True, env={**os.environ, "POLICYX_KB": ""},
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.split()[:2] == ["criminalize-johns", "johns-dangerous-for-girls"]
    assert "do-not-criminalize-johns" in result.stdout.split()


def test_list_json_does_not_import_rich() -> None:
    code = (
        "import sys\n"
        "from policyx.cli.app import run\n"
        "try:\n"
        "    run(['list', 'arguments', '-f', 'json'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "sys.stderr.write(repr('rich' in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "POLICYX_KB": ""})
    assert json.loads(result.stdout)[0]["id"] == "trafficking-intertwined"
    assert result.stderr == "False"


# --------------------------------------------------------------------------
# help and completion


@pytest.mark.parametrize("command", ["list", "show", "compare", "search"])
def test_help_has_a_summary_and_examples(command: str) -> None:
    result = invoke(command, "--help")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    summary = next(line for line in lines[1:] if line.strip())
    assert summary.strip().endswith(".") or summary.strip().endswith(",") or len(summary) > 20
    assert "Examples:" in result.stdout
    examples = [line.strip() for line in result.stdout.split("Examples:")[1].splitlines()
                if line.strip().startswith("policyx")]
    assert len(examples) >= 3
    assert all(e.startswith("policyx ") for e in examples)
    # the \b block keeps one example per line
    assert any(e.startswith(f"policyx {command}") for e in examples)


class FakeContext:
    """What a completion callback sees: the root context's parsed params (--kb)."""

    def __init__(self, kb: str | None = None) -> None:
        self.params = {"kb": kb}

    def find_root(self) -> FakeContext:
        return self


def test_ids_complete_from_the_active_knowledge_base(tmp_path: Path) -> None:
    ctx: Any = FakeContext()
    assert commands.complete_id(ctx, "criminalize-") == ["criminalize-johns"]
    assert commands.complete_claim_id(ctx, "johns-h") == ["johns-help-escape"]
    assert commands.complete_question(ctx, "crim") == ["criminalizing-johns"]
    assert commands.complete_actor(ctx, "individual") == ["individual-against-johns", "individual-for-johns"]
    assert commands.complete_tag(ctx, "vic") == ["victim-status"]
    assert commands.complete_format("j") == ["json", "jsonl"]
    assert commands.complete_collection("a") == ["actors", "arguments"]
    assert "claim" in commands.complete_sort(ctx, "cl")
    # a broken or missing knowledge base completes nothing, quietly
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: [\n", encoding="utf-8")
    assert commands.complete_id(FakeContext(str(bad)), "") == []
    assert commands.complete_id(FakeContext(str(tmp_path / "missing.yaml")), "") == []


def test_completion_through_the_shell_protocol() -> None:
    env = {**os.environ, "POLICYX_KB": "", "_POLICYX_COMPLETE": "complete_bash",
           "COMP_WORDS": "policyx show criminalize-j", "COMP_CWORD": "2"}
    result = subprocess.run(_policyx_program(), capture_output=True, text=True, env=env)
    assert "criminalize-johns" in result.stdout.split()


@pytest.mark.parametrize(("words", "expected"), [
    ("policyx list --sort c", ["claim"]),
    ("policyx list arguments --sort t", ["target", "type", "tags"]),
    ("policyx list --against criminalize-johns --sort t", ["target", "type", "tags"]),
    ("policyx list tags --sort ", ["tag", "count", "questions", "positions", "arguments", "models"]),
    ("policyx list sources --sort t", ["title"]),
])
def test_sort_completes_the_fields_of_the_collection(words: str, expected: list[str]) -> None:
    env = {"POLICYX_KB": "", "_POLICYX_COMPLETE": "complete_bash",
           "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    result = run_completion(env)
    assert (result.exit_code, result.stdout.split()) == (0, expected)


def test_ids_complete_from_a_kb_given_after_the_command(tmp_path: Path) -> None:
    other = tmp_path / "mine.yaml"
    other.write_text(Path(__file__).parent.parent.joinpath("data", "positions.yaml").read_text(encoding="utf-8")
                     .replace("criminalize-johns", "penalize-johns"), encoding="utf-8")
    env = {"POLICYX_KB": "", "_POLICYX_COMPLETE": "complete_bash",
           "COMP_WORDS": f"policyx show --kb {other} pen", "COMP_CWORD": "4"}
    result = run_completion(env)
    assert (result.exit_code, result.stdout.split()) == (0, ["penalize-johns"])


# --------------------------------------------------------------------------
# on a terminal: table by default, colour unless told otherwise


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from policyx.cli.session import Session

    monkeypatch.setattr(Session, "terminal", property(lambda self: True))


@pytest.mark.usefixtures("terminal")
def test_on_a_terminal_the_default_is_a_coloured_table() -> None:
    out = invoke("list").stdout
    assert "\x1b[" in out
    assert "trafficking-bifurcation: Should sex trafficking" in re.sub("\x1b\\[[0-9;]*m", "", out)


@pytest.mark.usefixtures("terminal")
@pytest.mark.parametrize(("env", "args"), [({"NO_COLOR": "1"}, []), ({"TERM": "dumb"}, []), ({}, ["--no-color"])])
def test_on_a_terminal_colour_can_be_turned_off(env: dict[str, str], args: list[str]) -> None:
    result = invoke(*args, "show", "criminalize-johns", env=env)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert "arguments on criminalize-johns" in result.stdout


def test_top_level_help_lists_each_command_with_a_whole_summary() -> None:
    out = invoke("--help").stdout
    for command in ("list", "show", "compare", "search"):
        line = next(line for line in out.splitlines() if line.strip().startswith(command + " "))
        assert line.rstrip().endswith(".") and not line.rstrip().endswith("..."), line


@pytest.mark.parametrize("command", ["list", "show", "compare", "search"])
def test_help_examples_run(command: str) -> None:
    import shlex

    help_text = invoke(command, "--help").stdout
    examples = [line.strip() for line in help_text.split("Examples:")[1].splitlines()
                if line.strip().startswith("policyx ")]
    for example in examples:
        first = example.split("|")[0]  # the policyx part of a pipeline
        result = invoke(*shlex.split(first)[1:])
        assert result.exit_code == 0, (example, result.stderr)
        assert result.stdout, example


@pytest.mark.parametrize("fast", [False, True], ids=["typer", "fast"])
@pytest.mark.parametrize("body", ["version: 1\n", "version: 1\nquestions:\n  - id: q1\n    text: Why?\n"],
                         ids=["empty", "questions-only"])
def test_an_empty_collection_prints_nothing_and_says_what_is_missing(tmp_path: Path, body: str, fast: bool) -> None:
    """No filter chose, so nothing was 'not found' (exit 0, docs/reference.md): stdout stays empty
    and one note on stderr says what the knowledge base lacks."""
    from tests.clirun import run_program

    kb = tmp_path / "kb.yaml"
    kb.write_text(body, encoding="utf-8")
    for args, note in ((["list"], "no positions in"), (["list", "arguments"], "no arguments in"),
                       (["standing"], "no positions or arguments in")):
        words = ["--kb", str(kb), *args]
        done = run_program(words) if fast else run_cli(*words)
        assert done.exit_code == 0 and done.stdout == "", done.stdout
        assert done.stderr == f"policyx: note: {note} {kb}{': nothing to label' if args == ['standing'] else ''}\n"
    questions = run_cli("--kb", str(kb), "list", "questions")
    assert ("q1" in questions.stdout) == ("q1" in body) and ("note" in questions.stderr) == ("q1" not in body)


def test_a_filter_that_matches_nothing_is_still_nothing_found_without_the_note(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text("version: 1\n", encoding="utf-8")
    done = run_cli("--kb", str(kb), "list", "--type", "empirical")
    assert done.exit_code == 1 and "note:" not in done.stderr
