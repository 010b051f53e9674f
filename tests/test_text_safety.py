"""Text from a knowledge base, or in a file's name, reaches a terminal only as visible escapes,
and a spreadsheet only as text (items 17-19 of the second hardening round).

- On a terminal (a real pseudo-terminal), every read command in every data format shows
  ESC, BEL and direction overrides as escapes, as ``export`` does; in a pipe the same formats
  carry the text unchanged.
- Markdown from every read command escapes HTML, images and links (one escaper for all).
- ``--csv-safe`` neutralises formula cells in CSV and TSV, and changes nothing else.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from policyx.output.registry import format_names

from .clirun import Outcome
from .conftest import write_kb, write_text_everywhere
from .ptyrun import run_in_terminal

Cli = Callable[..., Outcome]

ESCAPES = "\x1b]0;pwned\x07 \x1b[2J\x1b[31mred \u202eevil"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile_kb(tmp_path: Path) -> Path:
    return write_text_everywhere(tmp_path, json.dumps(ESCAPES))


READ_COMMANDS = {
    "list": ["list", "arguments"],
    "show": ["show", "p", "a", "q", "who"],
    "compare": ["compare", "p", "a"],
    "search": ["search", "evil"],
}
DATA_FORMATS = [f for f in format_names("listing") if f not in ("table",)]


# --------------------------------------------------------------------------
# 17. The terminal and the pipe agree: escaped on a terminal, unchanged in a pipe


@pytest.mark.parametrize("fmt", DATA_FORMATS)
@pytest.mark.parametrize("command", list(READ_COMMANDS))
def test_data_formats_on_a_terminal_show_escapes(tmp_path: Path, command: str, fmt: str) -> None:
    path = hostile_kb(tmp_path)
    seen = run_in_terminal("--kb", str(path), *READ_COMMANDS[command], "-f", fmt, env={"NO_COLOR": "1"})
    assert seen.exit_code == 0, seen.stderr
    assert seen.screen.strip()
    assert not UNSAFE.search(seen.screen.replace("\n", "").replace("\t", "")), repr(UNSAFE.search(seen.screen))
    if fmt in ("json", "jsonl"):  # still JSON that loads to the same data
        assert ESCAPES in _strings(_records(fmt, seen.screen))


def _records(fmt: str, text: str) -> object:
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    if fmt == "yaml":
        import yaml

        return yaml.safe_load(text)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(text, newline="")))
    return [line.split("\t") for line in text.splitlines()]  # tsv: the hostile text holds no tab


def _strings(data: object) -> list[str]:
    """Every string in ``data``, at any depth."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return []


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "yaml"])
@pytest.mark.parametrize("command", list(READ_COMMANDS))
def test_data_formats_in_a_pipe_carry_the_text_unchanged(cli: Cli, tmp_path: Path, command: str, fmt: str) -> None:
    path = hostile_kb(tmp_path)
    result = cli("--kb", str(path), *READ_COMMANDS[command], "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert ESCAPES in _strings(_records(fmt, result.stdout))


@pytest.mark.parametrize("fmt", ["json", "csv", "yaml", "markdown", "argdown", "dot"])
def test_export_on_a_terminal_shows_escapes_too(tmp_path: Path, fmt: str) -> None:
    seen = run_in_terminal("--kb", str(hostile_kb(tmp_path)), "export", "-f", fmt, env={"NO_COLOR": "1"})
    assert seen.exit_code == 0, seen.stderr
    assert not UNSAFE.search(seen.screen.replace("\n", "").replace("\t", ""))


def test_check_json_on_a_terminal_shows_escapes(tmp_path: Path) -> None:
    path = write_kb(tmp_path, "version: 1\nactors: [x]\n", name="\x1b]0;pwned\x07\u202eevil.yaml")
    seen = run_in_terminal("check", str(path), "-f", "json", env={"NO_COLOR": "1"})
    assert seen.exit_code == 3
    assert not UNSAFE.search(seen.screen.replace("\n", ""))
    assert json.loads(seen.screen)["path"] == str(path)


# --------------------------------------------------------------------------
# 17. Paths in messages: escaped, and a newline cannot forge a message line


def test_a_hostile_cache_folder_name_is_escaped_and_stays_on_one_line(tmp_path: Path) -> None:
    kb = write_kb(tmp_path, Path(__file__).parent.parent.joinpath("data", "positions.yaml").read_text("utf-8"))
    home = tmp_path / "c\x1b]0;pwned\x07\nerror: forged"
    env = {k: v for k, v in os.environ.items() if k != "POLICYX_KB"}
    env["XDG_CACHE_HOME"] = str(home)
    args = [sys.executable, "-m", "policyx", "--kb", str(kb), "list", "-f", "ids"]
    assert subprocess.run(args, capture_output=True, env=env, timeout=120).returncode == 0
    (cache,) = [p for p in (home / "policyx").iterdir() if p.name.startswith("kb-")]
    cache.write_bytes(b"damaged")
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0
    assert done.stderr.count("\n") == 1 and "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert "c\\x1b]0;pwned\\x07\\nerror: forged/policyx/kb-" in done.stderr


def test_a_newline_in_the_knowledge_base_path_cannot_forge_a_message_line(cli: Cli, tmp_path: Path) -> None:
    path = write_kb(tmp_path, "version: 1\nactors: [x]\n", name="kb.yaml\nerror: all is well")
    result = cli("check", str(path))
    assert result.exit_code == 3
    assert all(line.startswith(("error: ", "invalid: ")) and str(tmp_path) in line
               for line in result.stderr.splitlines()), result.stderr
    assert "kb.yaml\\nerror: all is well" in result.stderr


# --------------------------------------------------------------------------
# 18. Markdown: one escaper for every read command

HTML = '<img src=x onerror=alert(1)> <script>alert(2)</script> <svg onload=alert(3)> ![t](http://evil.example/p.png)'


@pytest.mark.parametrize("command", list(READ_COMMANDS))
def test_markdown_of_every_read_command_escapes_html_and_images(cli: Cli, tmp_path: Path, command: str) -> None:
    text = json.dumps(HTML)
    path = write_kb(tmp_path, f"""\
version: 1
actors: [{{id: who, name: {text}}}]
questions: [{{id: q, text: {text}}}]
positions: [{{id: p, question: q, claim: {text}, held_by: [who], agreement: broad, tags: [red]}}]
arguments: [{{id: a, claim: {text}, for: p, by: who, tags: [red]}}]
""")
    args = {"search": ["search", "img"]}.get(command, READ_COMMANDS[command])
    result = cli("--kb", str(path), *args, "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "img" in out
    for live in ("<img", "<script", "<svg", "![", "](http"):  # only escaped: a backslash before it
        assert not re.search(r"(?<!\\)" + re.escape(live), out), (live, out)
    assert "\\<img src=x onerror=alert(1)\\>" in out and "\\!\\[t\\](http://evil.example/p.png)" in out


# --------------------------------------------------------------------------
# 19. --csv-safe: formula cells become text in spreadsheets

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def formula_kb(tmp_path: Path) -> Path:
    claims = "\n".join(f"  - {{id: a{i}, claim: {json.dumps(c)}, for: p}}" for i, c in enumerate(FORMULAS))
    return write_kb(tmp_path, f"""\
version: 1
actors: [{{id: x, name: {json.dumps(FORMULAS[0])}}}]
questions: [{{id: q, text: "Plain text, kept as it is"}}]
positions: [{{id: p, question: q, claim: "-5% wages, a claim", held_by: [x], agreement: broad}}]
arguments:
{claims}
""")


def _csv_cells(fmt: str, text: str) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(text, newline="")))
    return [line.split("\t") for line in text.splitlines()]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_csv_safe_prefixes_formula_cells_with_an_apostrophe(cli: Cli, tmp_path: Path, fmt: str, where: str) -> None:
    path = formula_kb(tmp_path)
    plain = cli("--kb", str(path), "list", "arguments", "-f", fmt)
    args = ["--kb", str(path), "list", "arguments", "-f", fmt]
    safe = cli(*(["--csv-safe", *args] if where == "before" else [*args, "--csv-safe"]))
    assert plain.exit_code == safe.exit_code == 0
    unsafe_rows, safe_rows = _csv_cells(fmt, plain.stdout), _csv_cells(fmt, safe.stdout)
    assert len(unsafe_rows) == len(safe_rows) == len(FORMULAS) + 1
    claim = safe_rows[0].index("claim")
    for before, after in zip(unsafe_rows[1:], safe_rows[1:], strict=True):
        # (TSV writes a tab or a CR in the data as \t, \r: such a cell starts with a backslash)
        risky = before[claim].startswith(("=", "+", "-", "@", "\t", "\r"))
        assert after[claim] == ("'" + before[claim] if risky else before[claim])
        assert risky or fmt == "tsv"
        assert [c for i, c in enumerate(after) if i != claim] == [c for i, c in enumerate(before) if i != claim]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in safe_rows for cell in row)


def test_csv_safe_in_export_and_every_read_command(cli: Cli, tmp_path: Path) -> None:
    path = formula_kb(tmp_path)
    for args in (["export", "-f", "csv"], ["show", "p", "-f", "csv"], ["search", "2", "-f", "csv"],
                 ["compare", "a1", "a2", "-f", "csv"], ["list", "actors", "-f", "csv"]):
        unsafe = cli("--kb", str(path), *args)
        safe = cli("--kb", str(path), "--csv-safe", *args)
        assert unsafe.exit_code == safe.exit_code == 0
        cells = [cell for row in _csv_cells("csv", safe.stdout) for cell in row]
        assert any(cell.startswith(("=", "+", "-", "@")) for row in _csv_cells("csv", unsafe.stdout) for cell in row)
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), args
        assert len(safe.stdout) - len(unsafe.stdout) == sum(cell.startswith("'") for cell in cells) - sum(
            cell.startswith("'") for row in _csv_cells("csv", unsafe.stdout) for cell in row)


def test_without_csv_safe_csv_is_the_data_unchanged(cli: Cli, tmp_path: Path) -> None:
    result = cli("--kb", str(formula_kb(tmp_path)), "list", "arguments", "-f", "csv")
    claims = [row["claim"] for row in csv.DictReader(io.StringIO(result.stdout, newline=""))]
    assert claims == FORMULAS


def test_a_carriage_return_in_csv_stays_inside_its_field(cli: Cli, tmp_path: Path) -> None:
    path = formula_kb(tmp_path)
    exported = cli("--kb", str(path), "export", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.stdout, newline="")))
    assert [r["claim"] for r in rows if r["kind"] == "argument"] == FORMULAS  # "\rCR" among them


# --------------------------------------------------------------------------
# 21. A tag holding a newline is not two completions


def test_a_tag_holding_a_newline_is_not_two_completions(tmp_path: Path) -> None:
    path = write_kb(tmp_path, """\
version: 1
actors: [{id: x, name: X}]
questions: [{id: q, text: Q}]
positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad, tags: ["safe", "sa\\nfe-forged"]}]
""")
    env = {**os.environ, "POLICYX_KB": str(path), "_POLICYX_COMPLETE": "complete_bash",
           "COMP_WORDS": "policyx list --tag sa", "COMP_CWORD": "3"}
    done = subprocess.run([sys.executable, "-m", "policyx"], capture_output=True, text=True, env=env, timeout=120)
    words = [w for w in done.stdout.split("\n") if w and w not in ("plain", "_")]
    assert "fe-forged" not in done.stdout and any("safe" in w for w in words), done.stdout
