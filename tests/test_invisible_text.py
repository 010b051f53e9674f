"""Characters a terminal does not show as themselves reach it only as visible escapes.

A knowledge base's text is data: zero-width characters, U+FEFF, the soft hyphen, tag
characters and other format characters (Unicode category Cf) could hide text or make two
texts look alike, direction controls reorder it ("Trojan Source"), and U+2028/U+2029 break
a table's lines. Each is shown as an escape (``\\u200b``, as control characters are) on every
terminal path: tables, trees, plain lines, search results, stderr, the explorer; data formats
in a pipe carry the text unchanged. The joiners U+200C/U+200D are kept where they join two
letters or symbols outside ASCII (a Persian word, an emoji sequence).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from policyx.output.cells import markdown_text, one_line, terminal_json, terminal_text

from .clirun import Outcome
from .conftest import write_kb, write_text_everywhere
from .ptyrun import run_in_terminal

Cli = Callable[..., Outcome]

#: every character Unicode calls a control (Cc), a format character (Cf) or a line or
#: paragraph separator (Zl, Zp), as the running Python knows them: tab and newline excepted
HIDDEN = [chr(c) for c in range(0x110000)
          if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp") and chr(c) not in "\t\n"]
JOINERS = "\u200c\u200d"
#: any of them, as a test looks for them in what a terminal received
RAW = re.compile("[" + "".join(re.escape(c) for c in HIDDEN if c not in "\r") + "]")


def escape_of(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def test_every_control_format_and_separator_character_is_shown_as_an_escape() -> None:
    assert len(HIDDEN) > 200  # (the category's tag characters alone are 97)
    for char in HIDDEN:
        shown = terminal_text(f"a{char}b")
        assert shown == f"a{escape_of(char)}b", (hex(ord(char)), shown)
        assert one_line(f"a{char}b") == shown  # a separator is no line break either
        assert char not in markdown_text(f"a{char}b")


def test_in_json_on_a_terminal_they_are_json_escapes_that_load_back() -> None:
    text = "".join(f"x{char}" for char in HIDDEN)
    shown = terminal_json(json.dumps(text, ensure_ascii=False))
    assert not RAW.search(shown) and "\r" not in shown
    assert json.loads(shown) == text
    assert terminal_json('"tag\U000e0041"') == '"tag\\udb40\\udc41"'  # beyond U+FFFF: a surrogate pair, as JSON has it


@pytest.mark.parametrize("text", [
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: the non-joiner inside a word
    "\u0915\u094d\u200d\u0937",  # Devanagari: a joiner after a virama (a mark)
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # an emoji family
    "\u2764\ufe0f\u200d\U0001f525",  # after a variation selector
])
def test_joiners_are_kept_where_they_join(text: str) -> None:
    assert terminal_text(text) == text
    assert json.loads(terminal_json(json.dumps(text, ensure_ascii=False))) == text


@pytest.mark.parametrize(("text", "shown"), [
    ("a\u200db", "a\\u200db"),  # between ASCII letters it joins nothing: it hides
    ("\u200c\u0645", "\\u200c\u0645"),  # at the start
    ("\u0645\u200c", "\u0645\\u200c"),  # at the end
    ("\u0645\u200c \u0645", "\u0645\\u200c \u0645"),  # beside a space
    ("\u0645\u200c\u200c\u0645", "\u0645\\u200c\\u200c\u0645"),  # doubled
    ("\u0645\u200d1", "\u0645\\u200d1"),
])
def test_joiners_anywhere_else_are_shown(text: str, shown: str) -> None:
    assert terminal_text(text) == shown


@pytest.mark.parametrize(("text", "shown"), [
    ("\u3164", "\\u3164"),  # a Hangul filler: a letter no one sees (an "empty" name)
    ("x\u115f\u1160y\uffa0", "x\\u115f\\u1160y\\uffa0"),
    ("\u17b4\u17b5", "\\u17b4\\u17b5"),  # Khmer's invisible vowels
    ("\ufff0", "\\ufff0"),  # unassigned, default-ignorable
    ("\u2764\ufe0f", "\u2764\ufe0f"),  # emoji presentation after its emoji: kept
    ("1\ufe0f\u20e3", "1\ufe0f\u20e3"),  # a keycap
    ("\u845b\U000e0100", "\u845b\U000e0100"),  # an ideographic variant
    ("\u1820\u180b", "\u1820\u180b"),  # a Mongolian variant
    ("\u05d0\u034f\u05b7", "\u05d0\u034f\u05b7"),  # the grapheme joiner between Hebrew marks
    ("\ufe0fa", "\\ufe0fa"),  # at the start
    ("x \ufe0f", "x \\ufe0f"),  # after a space
    ("admin\ufe0f", "admin\\ufe0f"),  # after an ASCII letter: two names that look alike
    ("e\u034fx", "e\\u034fx"),
    # a run of selectors after one emoji spells out hidden bytes: the first selects, the rest show
    ("\U0001f600\U000e0101\U000e0102\U000e0103", "\U0001f600\U000e0101\\U000e0102\\U000e0103"),
])
def test_default_ignorable_characters_show_unless_they_select(text: str, shown: str) -> None:
    assert terminal_text(text) == shown
    as_json = terminal_json(json.dumps(text, ensure_ascii=False))
    assert json.loads(as_json) == text
    hidden = [c for c in text if escape_of(c) in shown]
    assert not any(c in as_json for c in hidden)  # JSON on a terminal shows the same ones as escapes


# --------------------------------------------------------------------------
# As users see it: every terminal path, on a pseudo-terminal

INVISIBLE = ("zero\u200bwidth word\u2060joiner bom\ufeffx soft\u00adhyphen line\u2028sep para\u2029sep "
             "rlo\u202eevil\u202c isolate\u2066x\u2069 tag\U000e0041\U000e0042 join\u200dx arabic\u0600x")
#: what a user must be able to read where the text was: each hidden character, as its escape
SHOWN = ["\\u200b", "\\u2060", "\\ufeff", "\\xad", "\\u2028", "\\u2029", "\\u202e", "\\u2066",
         "\\U000e0041", "\\u200d", "\\u0600"]


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` (every character outside ASCII as an escape)."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in text) + '"'


def invisible_kb(tmp_path: Path) -> Path:
    return write_text_everywhere(tmp_path, _yaml_string(INVISIBLE), tags=True)


TERMINAL_COMMANDS = {
    "list": ["list"],
    "list-arguments": ["list", "arguments"],
    "list-plain": ["list", "-f", "plain"],
    "list-csv": ["list", "-f", "csv"],
    "list-json": ["list", "-f", "json"],
    "show-tree": ["show", "p"],
    "show-others": ["show", "a", "q", "who", "src"],
    "map": ["map"],
    "search": ["search", "evil"],
    "compare": ["compare", "p", "a"],
    "standing": ["standing"],
    "info": ["info"],
}


def _unwrapped(screen: str) -> str:
    """The screen's text without the line breaks and tree or table rules a wrapped cell
    is drawn with, so that an escape split over two lines reads whole."""
    return re.sub(r"\s*\n[\s│├└─┃|]*", "", screen)


@pytest.mark.parametrize("colour", ["NO_COLOR", "FORCE_COLOR"])
@pytest.mark.parametrize("command", list(TERMINAL_COMMANDS))
def test_every_terminal_path_shows_them_as_escapes(tmp_path: Path, command: str, colour: str) -> None:
    seen = run_in_terminal("--kb", str(invisible_kb(tmp_path)), *TERMINAL_COMMANDS[command], env={colour: "1"},
                           columns=200)
    assert seen.exit_code == 0, seen.stderr
    found = RAW.search(seen.screen.replace("\x1b", ""))  # (the colour's own escape codes are allowed)
    assert not found, (hex(ord(found.group(0))), seen.screen)
    if colour == "NO_COLOR" and command != "list-json":  # (JSON has its own escapes: \u00ad, surrogate pairs)
        whole = _unwrapped(seen.screen)
        assert all(escape in whole for escape in SHOWN), seen.screen


def test_a_separator_does_not_break_a_table_line(tmp_path: Path) -> None:
    seen = run_in_terminal("--kb", str(invisible_kb(tmp_path)), "list", "arguments", env={"NO_COLOR": "1"},
                           columns=500)
    assert seen.exit_code == 0, seen.stderr
    (row_a,) = [line for line in seen.screen.splitlines() if line.startswith("a ")]
    assert terminal_text(INVISIBLE) in row_a  # the whole claim on the row's one line


def test_messages_on_stderr_show_them_as_escapes(tmp_path: Path) -> None:
    seen = run_in_terminal("--kb", str(tmp_path / "no\u200bsuch\u2028file.yaml"), "list", env={"NO_COLOR": "1"})
    assert seen.exit_code != 0
    assert "no\\u200bsuch\\u2028file.yaml: no such file" in seen.stderr
    assert not RAW.search(seen.stderr.replace("\n", "")), seen.stderr


# --------------------------------------------------------------------------
# In a pipe, data formats carry the text unchanged


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_data_formats_in_a_pipe_carry_them_unchanged(cli: Cli, tmp_path: Path, fmt: str) -> None:
    result = cli("--kb", str(invisible_kb(tmp_path)), "list", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "csv":
        header, row = list(csv.reader(io.StringIO(result.stdout, newline="")))
        record = dict(zip(header, row, strict=True))
    else:
        # (one JSON Lines record per "\n": a record may hold U+2028, which splitlines() would split at)
        loaded = json.loads(result.stdout.split("\n")[0] if fmt == "jsonl" else result.stdout)
        record = loaded if fmt == "jsonl" else loaded[0]
    assert record["claim"] == INVISIBLE


# --------------------------------------------------------------------------
# The explorer (Textual) draws the same escapes


def test_the_explorer_shows_them_as_escapes(tmp_path: Path) -> None:
    from textual.widgets import Static

    from policyx.explore.app import DebateTree, ExploreApp
    from policyx.kb.store import open_kb

    app = ExploreApp(open_kb(invisible_kb(tmp_path)), None)

    async def run() -> None:
        async with app.run_test(size=(200, 40)) as pilot:
            await pilot.pause()
            tree = app.query_one(DebateTree)
            assert not RAW.search(tree.root.label.plain)
            assert all(escape in tree.root.label.plain for escape in SHOWN)
            await pilot.press("enter", "j")
            await pilot.pause()
            assert tree.cursor_node is not None and tree.cursor_node.data == "p"
            label = tree.cursor_node.label.plain
            rendered = app.query_one("#detail", Static).content
            detail = getattr(rendered, "plain", str(rendered))
            for text in (label, detail):
                assert not RAW.search(text), text
                assert all(escape in text for escape in SHOWN), text

    asyncio.run(run())


# --------------------------------------------------------------------------
# A file policyx reads back keeps them: Argdown's export and import


def test_an_argdown_export_keeps_them_for_its_import_back(tmp_path: Path) -> None:
    from policyx.importers import InputFile, import_files
    from policyx.kb.load import build, load
    from policyx.output.argdown import render_argdown

    kept = "zero\u200bwidth word\u2060joiner bom\ufeffx soft\u00adhyphen tag\U000e0041 arabic\u0600x join\u200dx"
    path = write_kb(tmp_path, f"""\
version: 1
actors: [{{id: who, name: Who}}]
questions: [{{id: q, text: "Q?"}}]
positions: [{{id: p, question: q, claim: {_yaml_string(kept)}, held_by: [who], agreement: broad}}]
arguments: [{{id: a, claim: {_yaml_string("for " + kept)}, for: p, by: who}}]
""")
    text = render_argdown(load(path))
    back = build(import_files([InputFile("back.argdown", text.encode("utf-8"))]).document, "back.yaml")
    assert {e.claim for e in (*back.positions, *back.arguments)} == {kept, "for " + kept}
    seen = run_in_terminal("--kb", str(path), "export", "-f", "argdown", env={"NO_COLOR": "1"})
    assert seen.exit_code == 0 and not RAW.search(seen.screen.replace("\n", "")) and "\\u200b" in seen.screen
