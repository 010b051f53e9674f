"""Tables streamed a few rows at a time are byte for byte the tables Rich draws whole.

``stream_table`` sizes the columns once from all the records and draws the rows itself
(policyx.output.tablestream); ``render_table`` lets Rich lay out the whole table. For
every listing, width and colour setting the joined pieces must be the very same text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.box import SIMPLE_HEAD
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from policyx.kb.errors import PolicyxError
from policyx.kb.load import bundled_path, load
from policyx.kb.model import KnowledgeBase
from policyx.output.console import console_for
from policyx.output.table import render_table, stream_table
from policyx.output.tablestream import SINGLE_CELL, stream_parts, wrap_text
from policyx.views.listing import COLLECTIONS, Filters, Listing, list_listing
from policyx.views.search import search_listing
from tests.conftest import make_kb_module
from tests.fuzz import examples

WIDTHS = [24, 33, 40, 57, 80, 101, 160]

# Text Rich measures and wraps in its own ways: tabs, wide and zero-width characters,
# line separators, no-break spaces, words longer than any line, empty fields, long ids.
AWKWARD_KB = """\
version: 1
sources:
  - {id: src, title: "Bericht über 東京 und Zürich"}
actors:
  - {id: a, name: "Ana\\tMaría", stands_for: one, description: "tab\\there and 漢字 wide ones, e\\u0301 combined"}
  - {id: b-with-a-rather-long-identifier-for-an-actor, name: "B\\u2028second line", stands_for: several}
questions:
  - {id: q, text: "Should \\u00a0no-break\\u00a0spaces wrap? 🙂 or not", tags: [t1]}
  - {id: q2, text: "?", tags: []}
positions:
  - id: p
    question: q
    claim: "Averyveryveryveryveryveryveryveryveryverylongwordthatnolinecanhold and then some short words"
    held_by: [a, b-with-a-rather-long-identifier-for-an-actor]
    agreement: individual
    quote: "“quoted” — with a dash… and an ellipsis"
    source: src
    tags: [t1, t2]
    note: "  leading and trailing blanks  "
  - {id: p2, question: q2, claim: "x", held_by: [a], agreement: broad}
arguments:
  - {id: arg, claim: "Short.", for: p, by: a, type: empirical, tags: [t1]}
  - id: arg-with-an-identifier-so-long-that-it-leaves-little-room-for-anything-else
    claim: "Its claim is ordinary text that wraps over several lines at any width below a hundred columns."
    against: p
    by: b-with-a-rather-long-identifier-for-an-actor
    tags: [t2, t3, t4]
  - {id: wide, claim: "全角の文字は二つのセルを占めます。全角の文字は二つのセルを占めます。", for: arg}
  - {id: tabs, claim: "a\\tb\\tc\\td and\\u2028more", against: arg, type: normative}
"""


@pytest.fixture(scope="module")
def kbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KnowledgeBase]:
    root = tmp_path_factory.mktemp("stream")
    awkward = root / "awkward.yaml"
    awkward.write_text(AWKWARD_KB, encoding="utf-8")
    generated = make_kb_module().write_kb(400, root / "gen" / "kb.yaml", seed=11)
    return {"bundled": load(bundled_path()), "awkward": load(awkward), "generated": load(generated)}


def _listings(kb: KnowledgeBase) -> dict[str, Listing]:
    found: dict[str, Listing] = {}
    for collection in COLLECTIONS:
        try:
            found[collection] = list_listing(kb, collection, Filters())
        except PolicyxError:  # `list kbs` lists the knowledge bases of a library only
            continue
    assert len(found) >= 7
    for words in ("johns", "labor trafficking", "wide", "report"):
        try:
            found[f"search {words}"] = search_listing(kb, words)
        except Exception:  # noqa: BLE001  (nothing found in this knowledge base)
            continue
    return found


@pytest.mark.parametrize("name", ["bundled", "awkward", "generated"])
@pytest.mark.parametrize("width", WIDTHS)
def test_streamed_tables_are_the_tables_rich_draws(kbs: dict[str, KnowledgeBase], name: str, width: int) -> None:
    for label, listing in _listings(kbs[name]).items():
        for color in (False, True):
            whole = render_table(listing, width, color)
            pieces = list(stream_table(listing, width, color))
            assert "".join(pieces) == whole, f"{name} {label} at {width}, color={color}"


def test_a_long_table_comes_in_pieces_header_first(kbs: dict[str, KnowledgeBase]) -> None:
    listing = list_listing(kbs["generated"], "arguments", Filters())
    pieces = list(stream_table(listing, 100, True))
    assert len(pieces) >= 3  # 400 rows: the first screenful, then 200 rows at a time
    first = pieces[0].splitlines()
    assert "id" in first[0] and "claim" in first[0]
    assert set(first[1].strip()) == {"─"}
    assert not any(line.startswith("\x1b[1mid") for piece in pieces[1:] for line in piece.splitlines())


def test_a_table_it_cannot_draw_is_drawn_whole_by_rich() -> None:
    console = console_for(60, False)

    class Rows:
        def __len__(self) -> int:
            return 2

        def texts(self, index: int) -> list[str]:
            return ["one", "two"]

        def cells(self, row: int) -> list[Text]:
            return [Text(["one", "two"][row])]

    frame = Table(box=SIMPLE_HEAD, show_lines=True)  # lines between rows: not streamed
    frame.add_column("n")
    assert list(stream_parts([(frame, Rows())], console, False, lambda: "whole\n")) == ["whole\n"]


def test_single_cell_characters_are_one_cell_wide_to_rich() -> None:
    ranges = SINGLE_CELL.encode("unicode_escape").decode().replace("\\\\", "\\")
    assert ranges  # the class is written as ranges a-b
    characters = [chr(c) for c in range(0x20, 0x2100) if Text(chr(c)).plain and _in_class(chr(c))]
    assert len(characters) > 900
    assert [c for c in characters if cell_len(c) != 1] == []


def _in_class(character: str) -> bool:
    import re

    return re.fullmatch(f"[{SINGLE_CELL}]", character) is not None


@settings(max_examples=examples(400), deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab cdé fg  hij.,-x\u00a0yz")), max_size=80),
    width=st.integers(min_value=1, max_value=30),
)
def test_wrap_text_wraps_as_rich_does(text: str, width: int) -> None:
    console = Console(width=200)
    expected = [line.plain for line in Text(text).wrap(console, width, justify="left", overflow="fold")]
    assert [line + " " * (width - len(line)) for line in wrap_text(text, width)] == expected


def test_on_a_terminal_that_is_not_utf8_the_ascii_tables_match_too() -> None:
    # Rich draws ASCII boxes when stdout cannot encode its box characters (its safe_box)
    import os
    import subprocess
    import sys

    code = (
        "from policyx.kb.load import bundled_path, load\n"
        "from policyx.views.listing import Filters, list_listing\n"
        "from policyx.output.table import render_table, stream_table\n"
        "kb = load(bundled_path())\n"
        "for collection in ('positions', 'arguments', 'tags'):\n"
        "    for width in (40, 80):\n"
        "        listing = list_listing(kb, collection, Filters())\n"
        "        whole = render_table(listing, width, True)\n"
        "        assert '-' in whole and '\\u2500' not in whole\n"
        "        assert ''.join(stream_table(listing, width, True)) == whole, (collection, width)\n"
        "print('same')\n"
    )
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "same\n", "")
