"""The data formats' fast paths (output/data.py, spreadsheet.py, cells.py) held to the simple ones.

Each format once wrote every cell through a call or three (cell_text, the TSV escapes,
terminal_text, markdown_text); now most of the text is joined and looked at at once, in C, and
only what needs escaping is escaped cell by cell. The simple ways are kept here, as they were,
and every format must give their bytes on hostile text: controls, invisible and direction
characters, tabs, newlines, carriage returns, quotes, commas, Markdown's markup, list starts,
whitespace other than spaces, characters beyond U+FFFF, and the joints the fast paths use.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.output import cells
from policyx.output.cells import cell_text, markdown_cell, markdown_text, terminal_text
from policyx.output.data import (
    record_columns,
    render_ids,
    render_jsonl,
    render_markdown,
    render_plain,
    render_tsv,
)
from policyx.output.spreadsheet import render_csv, write_csv
from policyx.views.listing import Listing

from .fuzz import examples

# --------------------------------------------------------------------------
# The simple ways (as the formats were written before their fast paths)


def simple_cell(value: Any, sep: str = ", ") -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(simple_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    return str(value)


def simple_columns(listing: Listing) -> list[str]:
    seen: dict[str, None] = {}
    for record in listing.records:
        for key in record:
            seen.setdefault(key, None)
    return list(seen) or list(listing.fields or listing.columns)


_TSV = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def simple_tsv(listing: Listing) -> str:
    columns = simple_columns(listing)
    lines = ["\t".join(columns)]
    lines.extend("\t".join(simple_cell(r.get(c)).translate(_TSV) for c in columns) for r in listing.records)
    return "\n".join(lines) + "\n"


def simple_plain(listing: Listing) -> str:
    columns = list(listing.columns) or simple_columns(listing)
    return "".join("\t".join(terminal_text(simple_cell(r.get(c)).translate(_TSV)) for c in columns) + "\n"
                   for r in listing.records)


def simple_csv(listing: Listing) -> str:
    columns = simple_columns(listing)
    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in [columns, *([simple_cell(r.get(c)) for c in columns] for r in listing.records)]:
        (quoted if any("\r" in cell for cell in row) else minimal).writerow(row)
    return out.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~&])")
_LINE_START = re.compile(r"^([-+=]|\d+[.)])(?=\s|$)")


def simple_markdown_text(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(terminal_text(text).split()))
    return _LINE_START.sub(r"\\\1", escaped)


def simple_markdown(listing: Listing) -> str:
    columns = simple_columns(listing)
    lines = []
    if listing.title:
        lines += [f"## {simple_markdown_text(simple_cell(listing.title))}", ""]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    lines.extend("| " + " | ".join(simple_markdown_text(simple_cell(r.get(c))) for c in columns) + " |"
                 for r in listing.records)
    return "\n".join(lines) + "\n"


def simple_ids(listing: Listing) -> str:
    seen: dict[str, None] = {}
    for record in listing.records[:len(listing.records) - listing.summary_rows]:
        value = record.get(listing.id_field)
        if value is not None:
            seen.setdefault(terminal_text(str(value)), None)
    return "".join(f"{value}\n" for value in seen)


def simple_jsonl(listing: Listing) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in listing.records)


PAIRS = [(render_tsv, simple_tsv), (render_plain, simple_plain), (render_csv, simple_csv),
         (render_markdown, simple_markdown), (render_ids, simple_ids), (render_jsonl, simple_jsonl)]

# --------------------------------------------------------------------------
# Hostile text

#: what the fast paths look for or join with, and what a terminal or Markdown must not get as is
HOSTILE = [
    "\x00", "\x01", "\x02", "\x1b", "\x07", "\x7f", "\x85", "\x9b", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c",
    "\\", '"', "'", ",", ";", " ", "  ", "|", "`", "*", "_", "{", "}", "[", "]", "<", ">", "#", "!", "~", "&",
    "-", "+", "=", "1.", "2)", "٣.", "\xa0", "\xad", "\u034f", "\u061c", "\u1680", "\u2000", "\u200b", "\u200c",
    "\u200d", "\u200e", "\u2028", "\u2029", "\u202e", "\u2066", "\u3000", "\u3164", "\ufe0f", "\ufeff", "\ufffb",
    "\U000110bd", "\U0001d173", "\U000e0041", "\U000e0100", "\U0001f600", "é", "ß", "语", "ا", "a", "z", "0",
]
texts = st.lists(st.one_of(st.sampled_from(HOSTILE), st.characters(codec="utf-8")), max_size=12).map("".join)
plain_texts = st.text(alphabet="abcxyz .:-0123456789éü—“”", max_size=30)
scalars = st.one_of(st.none(), texts, plain_texts, st.booleans(), st.integers(), st.floats(allow_nan=False))
values = st.one_of(
    scalars, st.lists(texts, max_size=3), st.lists(plain_texts, max_size=3),
    st.lists(st.dictionaries(st.sampled_from(["claim", "quote", "role"]), st.one_of(texts, st.none()), max_size=3),
             max_size=2),
    st.lists(scalars, max_size=3), st.dictionaries(plain_texts, scalars, max_size=2),
)
KEYS = ["id", "claim", "for", "stance", "note", "premises", "kb"]
records = st.lists(
    st.dictionaries(st.sampled_from(KEYS), values, max_size=len(KEYS)).map(
        lambda record: {key: record[key] for key in KEYS if key in record}),
    max_size=8,
)


@settings(max_examples=examples(600), deadline=None)
@given(records=records, columns=st.sampled_from([(), ("id", "stance", "claim")]),
       title=st.one_of(st.none(), texts), summary=st.integers(0, 2))
def test_every_data_format_writes_the_simple_ways_bytes(records: list[dict[str, Any]], columns: tuple[str, ...],
                                                        title: str | None, summary: int) -> None:
    listing = Listing(records, columns=columns, fields=("id", "claim"), title=title,
                      summary_rows=min(summary, len(records)))
    for fast, simple in PAIRS:
        assert fast(listing) == simple(listing), fast.__name__


def clean_record(index: int) -> dict[str, Any]:
    return {"id": f"kb:arg-{index}", "claim": f"Claim number {index} says something plain.", "for": [f"kb:p-{index}"],
            "against": [], "stance": "for", "note": None, "premises": [], "kb": "kb"}


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("where", [0, 255, 256, 700])
def test_one_hostile_cell_in_a_long_listing_is_escaped_as_the_simple_way_does(hostile: str, where: int) -> None:
    """A chunk of rows or of a column's cells (256) holding one cell to escape, at its edges too."""
    rows = [clean_record(index) for index in range(800)]
    rows[where]["claim"] = f"Hidden {hostile} here"
    rows[where + 1]["note"] = hostile + "start"
    rows[where + 2]["for"] = [hostile, "x" + hostile]
    listing = Listing(rows, columns=("id", "stance", "claim", "note"))
    for fast, simple in PAIRS:
        assert fast(listing) == simple(listing), fast.__name__


@settings(max_examples=examples(900), deadline=None)
@given(text=texts)
def test_markdown_cell_is_markdown_text(text: str) -> None:
    assert markdown_cell(text) == markdown_text(text) == simple_markdown_text(text)


@settings(max_examples=examples(300), deadline=None)
@given(rows=st.lists(st.lists(st.one_of(texts, plain_texts), min_size=3, max_size=3), max_size=6))
def test_write_csv_is_the_row_by_row_writer(rows: list[list[str]]) -> None:
    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in cell for cell in row) else minimal).writerow(row)
    assert write_csv(iter(rows)) == out.getvalue()


def test_the_other_spaces_are_exactly_the_whitespace_other_than_the_space() -> None:
    """markdown_text joins words split at any whitespace: the fast check's class must hold all of it."""
    other = re.compile("[" + cells.OTHER_SPACES + "]")
    wrong = [hex(code) for code in range(sys.maxunicode + 1)
             if (other.match(chr(code)) is not None) != (chr(code).isspace() and chr(code) != " ")]
    assert wrong == []


def test_cell_text_is_the_simple_one_on_every_kind_of_value() -> None:
    class Tagged(str):
        def __str__(self) -> str:
            return "tagged"

    for value in [None, "", "x", [], ["a", "b"], ["a", None, 1, True, {"k": "v"}], (1, 2), {"a": [1, "é"]}, True,
                  False, 0, 1.5, Tagged("raw"), [Tagged("raw")], [[["deep"]]]]:
        assert cell_text(value) == simple_cell(value), value
        assert cell_text(value, " / ") == simple_cell(value, " / "), value


def test_record_columns_in_order_of_first_appearance_and_the_fields_when_there_is_no_record() -> None:
    listing = Listing([{"b": 1, "a": 2}, {"c": 3, "a": 4}, {}])
    assert record_columns(listing) == ["b", "a", "c"]
    assert record_columns(Listing([], columns=("x",), fields=("y", "z"))) == ["y", "z"]
    assert record_columns(Listing([], columns=("x",))) == ["x"]


@settings(max_examples=examples(900), deadline=None)
@given(text=texts)
def test_shown_as_is_says_whether_terminal_text_finds_anything_to_escape(text: str) -> None:
    assert cells.shown_as_is(text) == (cells._UNSAFE.search(text) is None)
    if cells.shown_as_is(text):
        assert terminal_text(text) == text


def test_the_split_classes_hold_the_characters_of_the_whole_one() -> None:
    """shown_as_is looks for ASCII's, the first 65,536's and the rest's apart: together, _UNSAFE."""
    wrong = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        unsafe = cells._UNSAFE.match(char) is not None
        split = (cells._UNSAFE_ASCII if code < 0x80 else cells._UNSAFE_BMP if code <= 0xFFFF
                 else cells._UNSAFE_ASTRAL).match(char) is not None
        if unsafe != split or cells._astral(char) != (code > 0xFFFF):
            wrong.append(hex(code))
    assert wrong == []


@settings(max_examples=examples(300), deadline=None)
@given(text=texts)
def test_a_format_on_a_terminal_escapes_as_terminal_text_or_json_does(text: str) -> None:
    from policyx.output.cells import terminal_json
    from policyx.output.registry import FormatKind, formats

    for fmt in formats(FormatKind.LISTING).values():
        assert fmt.terminal_safe(text) == (terminal_json(text) if fmt.escape == "json" else terminal_text(text))
