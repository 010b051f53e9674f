"""Hardening: random damage never crashes the loader, and hostile text never reaches a terminal.

- Property tests (Hypothesis): mutations of the bundled knowledge base, as data and as text,
  either load or raise KnowledgeBaseError whose problems all carry the file and a line.
- Hostile text (Rich markup, ANSI/OSC escapes, bell, C0/C1 controls, bidi overrides, zero-width and
  other invisible format characters, a line separator, a 5000-char
  word) loads unchanged and renders in EVERY registered format of `policyx list` for every
  collection: terminal formats show it escaped, data formats export it unchanged.
- The cache reader (Hypothesis): any damage to a cache file, and any payload someone without the
  folder's key can sign, gives exactly the knowledge base the file holds, never a crash.
"""

from __future__ import annotations

import copy
import csv
import importlib.util
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyx.kb import store
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.load import bundled_path, load, load_text
from policyx.kb.model import Kind, KnowledgeBase
from policyx.output.registry import format_names, formats
from tests.fuzz import examples

from .conftest import write_kb

FORMATS = format_names("listing")

BUNDLED_TEXT = bundled_path().read_text(encoding="utf-8")
BUNDLED_DATA: dict[str, Any] = yaml.safe_load(BUNDLED_TEXT)
PATH = "kb.yaml"

FAST = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: POLICYX_FUZZ=thorough (or =N) runs more examples, e.g. before a release (tests/fuzz.py)


def _assert_loads_or_explains(text: str) -> None:
    """The property: a KnowledgeBase, or policyx's own error, every problem located in the file."""
    try:
        kb = load_text(text, PATH)
    except KnowledgeBaseError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.path == PATH
            assert str(problem).startswith(PATH + ":")
            unlocated = problem.message == "the file is empty" or "more problem(s) not shown" in problem.message
            assert problem.line is not None or unlocated, f"no line: {problem}"
    else:
        assert isinstance(kb, KnowledgeBase)


# --------------------------------------------------------------------------
# Mutations of the data

ODD_VALUES = st.sampled_from([
    None, 0, 42, -1, 3.5, True, False, "", " ", "x", "Criminalize-Johns", "a b", [], ["x"], [1, 2], [[]],
    {}, {"id": "x"}, {"nested": {"deeper": [1]}}, "2024-13-45", "!!python/object:os.system", "*alias",
])
TEXT = st.text(max_size=40)


def _entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    collections = [data.get(kind.value) for kind in Kind]
    return [e for items in collections if isinstance(items, list) for e in items if isinstance(e, dict)]


@st.composite
def mutated_data(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(BUNDLED_DATA)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from([
            "drop-key", "swap-type", "rename-id", "inject-text", "duplicate-entry", "unknown-key",
            "break-collection", "drop-top-level", "retarget",
        ]))
        entries = _entries(data)
        if op == "drop-top-level" and data:
            data.pop(draw(st.sampled_from(list(data))), None)
            continue
        if op == "break-collection":
            data[draw(st.sampled_from([k.value for k in Kind]))] = draw(ODD_VALUES)
            continue
        if not entries:
            continue
        entry = draw(st.sampled_from(entries))
        keys = list(entry)
        if op == "drop-key" and keys:
            entry.pop(draw(st.sampled_from(keys)))
        elif op == "swap-type" and keys:
            entry[draw(st.sampled_from(keys))] = draw(ODD_VALUES)
        elif op == "rename-id":
            entry["id"] = draw(st.one_of(TEXT, st.sampled_from([
                str(entry.get("id", "")) + "s", str(entry.get("id", ""))[:-1], "group", "session-report",
            ])))
        elif op == "inject-text" and keys:
            key = draw(st.sampled_from(keys))
            entry[key] = str(entry[key]) + draw(TEXT)
        elif op == "duplicate-entry":
            for kind in Kind:
                items = data.get(kind.value)
                if isinstance(items, list) and any(e is entry for e in items):
                    items.append(copy.deepcopy(entry))
                    break
        elif op == "unknown-key":
            key = draw(st.sampled_from(["claims", "qoute", "for_", "by ", "x", "Tags", 1, 1.5, None, True]))
            entry[key] = draw(ODD_VALUES)
        elif op == "retarget":
            entry[draw(st.sampled_from(["for", "against", "question", "held_by", "source", "by", "models"]))] = (
                draw(st.sampled_from([e.get("id") for e in entries] + ["nowhere"]))
            )
    return data


@FAST
@given(mutated_data())
def test_mutated_data_loads_or_explains(data: dict[str, Any]) -> None:
    _assert_loads_or_explains(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


# --------------------------------------------------------------------------
# Mutations of the text

SNIPPETS = st.sampled_from([
    ":", ": ", "- ", "-", "[", "]", "{", "}", "'", '"', "\t", "\n", "\n\t", "  ", "#", "&a ", "*a", "!!",
    "!!python/object/apply:os.system ['true']", "!!int x", "!!binary x", "? ", "|", ">", "%YAML 1.1\n",
    "---\n", "...\n", "\x1b", "\x07", "\x00", "\ufeff", "\u202e", "\x85", "2024-13-45", "9" * 5000,
    "[" * 80, "- " * 200, "<<: *a", "~", "null", "yes", "0x1F", ".inf",
])


@FAST
@given(
    position=st.integers(0, len(BUNDLED_TEXT)),
    snippet=st.one_of(SNIPPETS, st.text(max_size=20)),
    cut=st.integers(0, 40),
)
def test_mutated_text_loads_or_explains(position: int, snippet: str, cut: int) -> None:
    _assert_loads_or_explains(BUNDLED_TEXT[:position] + snippet + BUNDLED_TEXT[position + cut:])


@FAST
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(tmp_path_factory: pytest.TempPathFactory, blob: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "kb.yaml"
    path.write_bytes(blob)
    try:
        load(path)
    except KnowledgeBaseError as exc:
        assert all(p.path == str(path) for p in exc.problems)


# --------------------------------------------------------------------------
# The cache reader: damaged and forged cache files


@pytest.fixture(scope="module")
def _kb_to_cache(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, KnowledgeBase]:
    path = tmp_path_factory.mktemp("cached") / "kb.yaml"
    path.write_text(BUNDLED_TEXT, encoding="utf-8")
    return path, load(path)


@pytest.fixture
def cached_kb(_kb_to_cache: tuple[Path, KnowledgeBase]) -> tuple[Path, Path, bytes, KnowledgeBase]:
    """A knowledge base, its cache file (written by policyx in this test's cache folder) and that
    file's bytes. (The same in every example: the cache policyx rebuilds is the same bytes.)"""
    path, expected = _kb_to_cache
    store.open_kb(path)
    where = store.cache_file(path)
    assert where is not None and where.is_file()
    return path, where, where.read_bytes(), expected


#: the fixture's cache file is the same before every example (policyx rebuilds the same bytes)
CACHE_FUZZ = settings(FAST, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

CACHE_DAMAGE = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 1 << 20), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 1 << 20), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.integers(0, 255)),
    st.tuples(st.just("random"), st.integers(0, 300), st.integers(0, 1 << 30)),
)

def _assert_reads_as_the_file(path: Path, where: Path, blob: bytes, expected: KnowledgeBase) -> None:
    where.write_bytes(blob)
    assert store.open_kb(path) == expected  # damaged: ignored and rebuilt, never believed
    assert store.open_kb(path) == expected  # and what was rebuilt reads back the same


@CACHE_FUZZ
@given(damage=CACHE_DAMAGE)
def test_damaged_cache_reads_as_the_file(cached_kb: tuple[Path, Path, bytes, KnowledgeBase],
                                         damage: tuple[str, int, int]) -> None:
    path, where, blob, expected = cached_kb
    how, at, value = damage
    at %= len(blob) + 1
    if how == "flip":
        mutated = blob[:at] + bytes([blob[at % len(blob)] ^ value]) + blob[at + 1:] if at < len(blob) else blob + b"x"
    elif how == "cut":
        mutated = blob[:at]
    elif how == "insert":
        mutated = blob[:at] + bytes([value]) + blob[at:]
    else:
        mutated = os.urandom(at) if value % 2 else blob[: value % 64] + os.urandom(at)
    _assert_reads_as_the_file(path, where, mutated, expected)


# A payload altered and its checksum recomputed is not an attack any more: only the owner of the
# cache folder can write in it (tests/test_cache_trust.py plants such files in folders of others,
# and in folders others can write; neither is read), and the checksum, no longer keyed, is there
# for damage.


# --------------------------------------------------------------------------
# Hostile text inside a valid knowledge base

MARKUP = "[bold red]x[/] and a stray [/] and [link=https://example.invalid]link[/link]"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]0;pwned title\x07 \x1b[2J cleared"
CONTROLS = "bell\x07 bs\x08 vt\x0b ff\x0c so\x0e del\x7f csi\x9b nel\x85 osc\x9d"
BIDI = "abc\u202eevil\u202c \u2066isolate\u2069"
#: text a terminal would hide, or whose line it would break
INVISIBLE = "zero\u200bwidth soft\u00adhyphen line\u2028sep bom\ufeff tag\U000e0041\U000e0042"
LONG = "w" * 5000
HOSTILE = [MARKUP, ESCAPES, CONTROLS, BIDI, INVISIBLE, LONG]


def _q(text: str) -> str:
    """A YAML double-quoted scalar, every character outside printable ASCII as YAML's ``\\U`` escape."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08x}" for c in text) + '"'


HOSTILE_KB = f"""\
version: 1
title: {_q(MARKUP)}
sources:
  - id: src
    title: {_q(ESCAPES)}
    author: {_q(BIDI)}
actors:
  - id: who
    name: {_q(MARKUP)}
    description: {_q(CONTROLS)}
models:
  - id: model
    name: {_q(BIDI + " " + INVISIBLE)}
    summary: {_q(ESCAPES)}
    tags: [{_q(MARKUP)}]
questions:
  - id: q
    text: {_q(CONTROLS)}
    quote: {_q(LONG)}
    source: src
positions:
  - id: p
    question: q
    claim: {_q(ESCAPES + " " + INVISIBLE)}
    held_by: [who]
    agreement: broad
    quote: {_q(MARKUP)}
    source: src
    tags: [{_q(BIDI)}, {_q(CONTROLS)}]
    note: {_q(LONG)}
arguments:
  - id: a
    claim: {_q(BIDI + " " + MARKUP)}
    for: p
    by: who
    quote: {_q(CONTROLS + ESCAPES)}
    source: src
    tags: [{_q(ESCAPES)}, {_q(INVISIBLE)}]
    note: {_q(LONG + " " + ESCAPES)}
"""

#: the hostile texts of each collection's records, by field (what data formats must keep)
EXPECTED: dict[Kind, dict[str, Any]] = {
    Kind.SOURCES: {"title": ESCAPES, "author": BIDI},
    Kind.ACTORS: {"name": MARKUP, "description": CONTROLS},
    Kind.MODELS: {"name": BIDI + " " + INVISIBLE, "summary": ESCAPES, "tags": [MARKUP]},
    Kind.QUESTIONS: {"text": CONTROLS, "quote": LONG},
    Kind.POSITIONS: {"claim": ESCAPES + " " + INVISIBLE, "quote": MARKUP, "tags": [BIDI, CONTROLS], "note": LONG},
    Kind.ARGUMENTS: {"claim": BIDI + " " + MARKUP, "quote": CONTROLS + ESCAPES, "tags": [ESCAPES, INVISIBLE],
                     "note": LONG + " " + ESCAPES},
}

#: formats whose output is data for programs: they must carry the text unchanged
UNCHANGED = {"json", "jsonl", "csv", "yaml", "tsv"}
#: a data format that does not show text (ids)
RESHAPED = {"ids"}
#: anything else (table, plain, and formats added later) may reach a terminal and must be safe
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
                    "\ufeff\U000e0000-\U000e007f]")


def test_hostile_text_loads_unchanged(tmp_path: Path) -> None:
    kb = load(write_kb(tmp_path, HOSTILE_KB))
    assert kb.title == MARKUP
    for kind, fields in EXPECTED.items():
        entry = kb.collection(kind)[0]
        for name, value in fields.items():
            assert getattr(entry, name) == (tuple(value) if isinstance(value, list) else value)


def _records(fmt: str, out: str) -> list[dict[str, Any]]:
    if fmt == "json":
        records: list[dict[str, Any]] = json.loads(out)
        return records
    if fmt == "jsonl":
        return [json.loads(line) for line in out.split("\n")[:-1]]  # JSON Lines end in "\n" only
    if fmt == "yaml":
        loaded: list[dict[str, Any]] = yaml.safe_load(out)
        return loaded
    if fmt in ("csv", "tsv"):
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(out, newline="")))
        else:
            unescape = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
            rows = [[re.sub(r"\\[\\tnr]", lambda m: unescape[m.group(0)], cell) for cell in line.split("\t")]
                    for line in out.split("\n")[:-1]]
        header, *body = rows
        return [dict(zip(header, row, strict=True)) for row in body]
    raise AssertionError(fmt)


@pytest.mark.parametrize("kind", list(Kind), ids=[k.value for k in Kind])
@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("color", ["no-color", "force-color"])
def test_hostile_text_in_every_format(cli, tmp_path: Path, fmt: str, kind: Kind, color: str) -> None:  # type: ignore[no-untyped-def]
    module = formats("listing")[fmt].renderer.split(":")[0]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"format {fmt!r} is registered but {module} does not exist on this branch yet")
    path = write_kb(tmp_path, HOSTILE_KB)
    env = {"NO_COLOR": "1"} if color == "no-color" else {"FORCE_COLOR": "1"}
    result = cli("--kb", str(path), "list", kind.value, "--format", fmt, env=env)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    assert out
    if fmt in UNCHANGED:
        (record,) = _records(fmt, out)
        for name, value in EXPECTED[kind].items():
            if fmt in ("csv", "tsv") and isinstance(value, list):
                value = ", ".join(value)  # cells join list fields
            assert record[name] == value, f"{fmt} changed {kind.value}.{name}"
    elif fmt in RESHAPED:
        assert "\x1b]0;" not in out  # ids shows no text at all
    else:
        # a terminal format: no control, escape or direction-override character from the data
        if color == "no-color":
            assert not UNSAFE.search(out.replace("\t", "").replace("\n", "")), repr(UNSAFE.search(out))
        else:  # Rich's own colour codes are allowed, the data's are not
            assert "\x1b]" not in out and "\x1b[2J" not in out and "\x07" not in out and "\x9b" not in out
            assert not re.search("[\u202a-\u202e\u2066-\u2069]", out)
        if fmt == "plain":  # shown escaped and literal, not swallowed (a table may wrap or truncate)
            assert "\\x07" in out or "\\u202e" in out
            if kind is Kind.ACTORS:
                assert "[bold red]x[/] and a stray [/]" in out  # markup shown as text, not applied


@pytest.mark.parametrize(
    "args", [["show", "p", "a", "q", "who", "src", "model"], ["compare", "p", "a"], ["search", "red"]],
    ids=["show", "compare", "search"],
)
def test_hostile_text_in_markdown_of_every_read_command(cli, tmp_path: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    # Markdown is read on a terminal (the teachers' `handout` alias prints it there).
    path = write_kb(tmp_path, HOSTILE_KB)
    result = cli("--kb", str(path), *args, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert not UNSAFE.search(result.stdout.replace("\n", "")), repr(UNSAFE.search(result.stdout))
    # shown, not swallowed: the escape as text, its backslash and bracket escaped for Markdown
    assert "\\\\x1b\\]0;pwned title\\\\x07" in result.stdout


def test_hostile_text_in_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`check` messages name entries and quote nothing raw from the data."""
    path = write_kb(tmp_path, HOSTILE_KB)
    result = cli("check", str(path))
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


# --------------------------------------------------------------------------
# The documented limits are the real ones


def test_limits_and_exit_codes_are_documented() -> None:
    from policyx.cli.runtime import ExitCode
    from policyx.kb import schema

    docs = (Path(__file__).resolve().parent.parent / "docs" / "reference.md").read_text(encoding="utf-8")
    assert f"at most {schema.MAX_FILE_BYTES // (1024 * 1024)} MiB" in docs
    assert f"at most {schema.MAX_DEPTH} levels" in docs
    assert f"at most {schema.MAX_VALUES:,} YAML values" in docs
    assert f"at most {schema.MAX_PROBLEMS} per file" in docs
    from policyx.output.cells import MAX_INDENT

    assert f"indent at most {MAX_INDENT} levels" in docs
    for code in (ExitCode.OK, ExitCode.NOT_FOUND, ExitCode.USAGE, ExitCode.INVALID_KB, ExitCode.OUTPUT,
                 ExitCode.INTERNAL, ExitCode.INTERRUPTED):
        assert f"\n| {code} |" in docs


def test_hostile_file_name_does_not_reach_the_terminal(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_kb(tmp_path, "version: 1\nactors: [x]\n", name="\x1b]0;pwned\x07\u202e.yaml")
    for args in (("--kb", str(path), "list", "-f", "json"), ("check", str(path))):
        result = cli(*args)
        assert result.exit_code == 3
        assert "\\x1b]0;pwned\\x07\\u202e.yaml" in result.stderr
        assert not UNSAFE.search(result.stderr.replace("\n", ""))
