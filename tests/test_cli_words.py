"""What the command line says in its own words: help with examples, `help`, `-V`, option
suggestions that fit, and no Click jargon."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
import typer.main

from policyx import __version__
from policyx.cli.app import app
from tests.clirun import Outcome

Cli = Callable[..., Outcome]
COMMANDS = sorted(getattr(typer.main.get_command(app), "commands", {}))


def test_top_level_help_has_examples_that_run(cli: Cli) -> None:
    import shlex

    shown = cli("--help", env={"COLUMNS": "100"}).stdout
    examples = [line.strip() for line in shown.split("Examples:")[1].split("Options:")[0].splitlines() if line.strip()]
    assert len(examples) >= 6 and all(line.startswith("policyx ") for line in examples)
    for example in examples:
        words = shlex.split(re.split(r"\s{2,}", example)[0])[1:]  # the command, not its comment
        if "-o" in words or "my-debate.yaml" in words:
            continue  # writes a file, or reads the reader's own knowledge base
        done = cli(*words, input="")
        assert done.exit_code == 0, (example, done.stderr)


@pytest.mark.parametrize("args", [["-V"], ["--version"]])
def test_version(cli: Cli, args: list[str]) -> None:
    assert cli(*args).stdout == f"policyx {__version__}\n"


def test_help_command_prints_what_help_prints(cli: Cli) -> None:
    assert cli("help").stdout == cli("--help").stdout
    for command in ("list", "quiz", "check"):
        assert cli("help", command).stdout == cli(command, "--help").stdout
    done = cli("help", "lst")
    assert done.exit_code == 2 and "no command 'lst' (did you mean 'list'?)" in done.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["search", "--match", "x", "johns"], "No such option: --match (it is an option of policyx list)"),
    (["list", "--stanse", "for"], "No such option: --stanse (did you mean --stance?)"),
    (["list", "--tga", "johns"], "No such option: --tga (did you mean --tag?)"),
    (["show", "--deep", "x"], "No such option: --deep (it is an option of policyx list)"),
    (["list", "--no-cahce"], "No such option: --no-cahce (did you mean --no-cache?)"),
    (["list", "--zzz"], "No such option: --zzz\n"),
])
def test_a_mistyped_option_gets_a_fitting_suggestion(cli: Cli, args: list[str], message: str) -> None:
    done = cli(*args)
    assert done.exit_code == 2 and message in done.stderr, done.stderr
    assert "Possible options" not in done.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_no_click_jargon_in_help(cli: Cli, command: str) -> None:
    shown = cli(command, "--help", env={"COLUMNS": "200"}).stdout
    for jargon in ("<str>", "<text>", "<int>", "<integer>", "x>=", "int range", "<path>"):
        assert jargon not in shown, (command, jargon)


@pytest.mark.parametrize(("args", "usage"), [
    (["show", "--help"], "Usage: policyx show [OPTIONS] ID...\n"),
    (["check", "--help"], "Usage: policyx check [OPTIONS] [PATH]\n"),
    (["standing", "--help"], "Usage: policyx standing [OPTIONS] [ID]\n"),
    (["compare", "--help"], "Usage: policyx compare [OPTIONS] ID ID [ID...]\n"),
    (["diff", "--help"], "Usage: policyx diff [OPTIONS] OLD NEW\n"),
])
def test_usage_lines_show_arguments_as_written(cli: Cli, args: list[str], usage: str) -> None:
    shown = cli(*args).stdout
    assert shown.startswith(usage), shown.splitlines()[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_lines_wrap_no_argument_twice(cli: Cli, command: str) -> None:
    usage = cli(command, "--help", env={"COLUMNS": "200"}).stdout.splitlines()[0]
    assert not re.search(r"\[\[|\]\]|\{|\.\.\.\.", usage), usage


@pytest.mark.parametrize("args", [["quiz", "-n", "0"], ["quiz", "-n", "x"], ["quiz", "-s", "x"],
                                  ["list", "--limit", "x"]])
def test_no_click_jargon_in_errors(cli: Cli, args: list[str]) -> None:
    done = cli(*args, input="")
    assert done.exit_code == 2
    for jargon in ("x>=", "int range", "valid int", "Invalid value"):
        assert jargon not in done.stderr, done.stderr


# --------------------------------------------------------------------------
# a terminal that cannot show curly quotes and dashes (LC_ALL=C)


def _run_in_c_locale(*args: str, encoding: str | None = None) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "PYTHONIOENCODING", "LANG")}
    env.update(LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    done = subprocess.run([sys.executable, "-m", "policyx", *args], capture_output=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode(encoding or "ascii")


def test_text_for_people_gets_ascii_lookalikes_where_stdout_cannot_encode_punctuation() -> None:
    table = _run_in_c_locale("show", "criminalize-johns", "-f", "table")
    assert 'quote      "another thought that it was currently the best option."' in table
    assert "           -- session-report" in table
    assert "\\u20" not in table
    plain = _run_in_c_locale("search", "shadows")
    assert 'By focusing on the "johns," it will again push' in plain
    outline = _run_in_c_locale("map", "decriminalization-timing")
    assert "\\u" not in outline


def test_data_formats_keep_escapes_that_read_back() -> None:
    out = _run_in_c_locale("list", "arguments", "--match", "focusing", "-f", "json")
    assert json.loads(out)[0]["quote"].startswith("By focusing on the \u201cjohns,\u201d")


def test_only_what_the_encoding_cannot_show_is_replaced() -> None:
    latin = _run_in_c_locale("show", "criminalize-johns", "-f", "table", encoding="latin-1")
    assert '"another thought' in latin  # U+201C is not Latin-1
    assert "(against criminalizing johns) \u00b7 predictive" in latin  # U+00B7 is Latin-1: kept
    ascii_table = _run_in_c_locale("show", "criminalize-johns", "-f", "table")
    assert "(against criminalizing johns) - predictive" in ascii_table
