"""Renderers: tables fit 80 columns without breaking ids, data never acts as markup or escape codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyx.kb.load import bundled_path, load
from policyx.kb.model import KnowledgeBase
from policyx.output.registry import format_names, render
from policyx.views.compare import compare_listing
from policyx.views.listing import Filters, Listing, list_listing
from policyx.views.search import search_listing
from policyx.views.show import show_listing

FORMATS = format_names("listing")

HOSTILE_KB = r"""
version: 1
title: "[bold]hostile[/bold]"
sources:
  - id: src
    title: "Report \e[2J cleared"
actors:
  - id: mallory
    name: "[bold red]Mallory[/] \e[31mred"
    stands_for: one
questions:
  - id: q
    text: "Why [/] ? \a bell"
positions:
  - id: evil
    question: q
    claim: "Evil \e]0;pwned\a title [link=http://x]click[/link] \u202ereversed\u202c and a \
      verylongwordwithoutanyspacesthatgoesonandonandonandonandonandonandonforever"
    held_by: [mallory]
    agreement: individual
    quote: "tab\there\nnewline"
    source: src
    tags: ["[red]", safety]
  - id: good
    question: q
    claim: "Plain [/] claim"
    held_by: [mallory]
    agreement: individual
    tags: [safety]
arguments:
  - id: attack
    claim: "[/] \e[31m red \x9b31m"
    against: good
    by: mallory
    tags: ["[red]"]
  - id: defence
    claim: "Defence [italic]"
    for: evil
    by: mallory
"""


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    path = tmp_path_factory.mktemp("kb") / "hostile.yaml"
    path.write_text(HOSTILE_KB, encoding="utf-8")
    return load(path)


def listings(kb: KnowledgeBase) -> dict[str, Listing]:
    """One listing of each view and collection, as the commands build them."""
    out = {f"list {c}": list_listing(kb, c, Filters()) for c in ("positions", "arguments", "questions", "actors",
                                                                 "sources", "models", "tags")}
    out["list arguments --for end-bifurcation --deep"] = list_listing(
        kb, "arguments", Filters(for_="end-bifurcation", deep=True))
    out["show criminalize-johns"] = show_listing(kb, ["criminalize-johns"])
    out["show decriminalize-sex-work criminalizing-johns group"] = show_listing(
        kb, ["decriminalize-sex-work", "criminalizing-johns", "group"])
    out["compare johns"] = compare_listing(kb, ["criminalize-johns", "do-not-criminalize-johns"])
    out["compare decriminalization"] = compare_listing(kb, ["decriminalize-sex-work", "decriminalization-not-soon"])
    out["compare three"] = compare_listing(kb, ["end-bifurcation", "decriminalize-sex-work", "criminalize-johns"])
    out["compare arguments"] = compare_listing(kb, ["johns-help-escape", "johns-dangerous-for-girls",
                                                    "stops-blaming-victim"])
    out["compare four"] = compare_listing(kb, ["criminalize-johns", "do-not-criminalize-johns", "end-bifurcation",
                                               "decriminalize-sex-work"])
    out["search criminal"] = search_listing(kb, "criminal")
    return out


def all_ids(listing: Listing) -> set[str]:
    found = {str(r[listing.id_field]) for r in listing.records if r.get(listing.id_field)}
    if listing.view == "compare":
        found |= set(listing.meta["compared"])
        found |= {r["target"] for r in listing.records if r["section"] == "side" and r["target"]}
    return found


@pytest.mark.parametrize("width", [80, 60, 40, 120])
def test_tables_fit_the_width_and_never_break_an_id(kb: KnowledgeBase, width: int) -> None:
    for name, listing in listings(kb).items():
        out = render("table", listing, width=width)
        lines = out.splitlines()
        assert lines, name
        too_long = [line for line in lines if len(line) > width]
        assert not too_long, f"{name}: {too_long[:2]}"
        # a tree indents each level by 4 columns: an id deep in it has less room
        depth = {str(r["id"]): int(r["depth"]) for r in listing.records} if listing.view == "show" else {}
        for entry_id in all_ids(listing):
            if len(entry_id) + 8 + 4 * depth.get(entry_id, 0) > width:  # wider than the room left: cannot be whole
                continue
            assert any(entry_id in line for line in lines), f"{name}: id {entry_id!r} broken or missing"


@pytest.mark.parametrize("width", [40, 60, 80])
def test_narrow_tables_keep_every_column_and_whole_words(kb: KnowledgeBase, width: int) -> None:
    # At 40 columns the id column used to leave the claim one letter wide (a letter a
    # line), and `list tags` dropped the columns that did not fit.
    from policyx.output.cells import column_label

    for name, listing in listings(kb).items():
        if listing.view not in ("list", "search"):
            continue
        out = render("table", listing, width=width)
        for column in listing.columns:
            if column != listing.group_by and any(r.get(column) not in (None, [], "") for r in listing.records):
                assert column_label(column) in " ".join(out.split()), f"{name} at {width}: column {column!r} missing"
        if listing.highlight:  # without colour the matches are marked [ ] in the text
            assert "[" in out and "]" in out, name
            out = out.replace("[", "").replace("]", "")
        words = set(out.split())
        first = listing.records[0]
        for field in ("claim", "text", "excerpt", "description", "title", "summary"):
            if field in listing.columns and first.get(field):
                whole = {w for w in str(first[field]).split() if len(w) < 20}
                assert whole <= words, f"{name} at {width}: {sorted(whole - words)[:5]} broken"
                break


def test_a_long_id_stacks_the_table_instead_of_squeezing_the_claim(tmp_path: Path) -> None:
    long_id = "an-argument-with-a-really-quite-long-identifier-number-one"
    path = tmp_path / "kb.yaml"
    path.write_text(bundled_path().read_text(encoding="utf-8").replace("sex-work-is-labor", long_id),
                    encoding="utf-8")
    out = render("table", list_listing(load(path), "arguments", Filters()), width=80)
    assert long_id in out.splitlines()
    assert "Sex work should be viewed as labor." in out.splitlines()


def test_table_fits_an_80_column_terminal(kb: KnowledgeBase) -> None:
    listing = list_listing(kb, "arguments", Filters())
    text = render("table", listing, width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    for record in listing.records:
        assert record["id"] in text


def test_table_colour_only_when_asked(kb: KnowledgeBase) -> None:
    listing = search_listing(kb, "johns")
    plain = render("table", listing, width=100, color=False)
    coloured = render("table", listing, width=100, color=True)
    assert "\x1b" not in plain
    assert "\x1b[" in coloured
    # matched words are highlighted by style spans, not by markup
    assert "\x1b[1;7mjohns\x1b[0m" in coloured or "\x1b[7;1mjohns\x1b[0m" in coloured


def test_hostile_text_is_shown_literally_and_safely(hostile: KnowledgeBase) -> None:
    views = [
        list_listing(hostile, "positions", Filters()),
        list_listing(hostile, "arguments", Filters()),
        list_listing(hostile, "actors", Filters()),
        list_listing(hostile, "sources", Filters()),
        list_listing(hostile, "tags", Filters()),
        show_listing(hostile, ["evil", "q", "mallory", "src"]),
        compare_listing(hostile, ["evil", "good"]),
        search_listing(hostile, "red"),
    ]
    for listing in views:
        for color, width in ((False, 80), (True, 80), (True, 40)):  # 40: the stacked layout
            out = render("table", listing, width=width, color=color)
            # no escape sequence from the data: every ESC in the output starts an SGR colour code of ours
            stripped = out.replace("\x1b[0m", "")
            import re

            assert not re.search("\x1b(?!\\[[0-9;]*m)", stripped), listing.view
            assert "\x07" not in out and "\x9b" not in out and "\u202e" not in out
            assert all(len(line) <= width for line in re.sub("\x1b\\[[0-9;]*m", "", out).splitlines())
        assert "\x1b" not in render("table", listing, width=80, color=False)
    shown = render("table", show_listing(hostile, ["mallory", "evil"]), width=80)
    assert "[bold red]Mallory[/]" in shown and "\\x1b[31m" in shown
    assert "[link=http://x]click[/link]" in shown and "\\u202e" in shown
    compared = render("table", compare_listing(hostile, ["evil", "good"]), width=80)
    assert "Plain [/] claim" in compared
    # a word too long for its column is folded onto the next line, never cut off
    for listing in views:
        assert "…" not in render("table", listing, width=80)
    joined = "".join(line.strip() for line in shown.splitlines())
    assert "verylongwordwithoutanyspacesthatgoesonandonandonandonandonandonandonforever" in joined


def test_hostile_text_in_plain_is_escaped_and_stays_on_one_line(hostile: KnowledgeBase) -> None:
    out = render("plain", list_listing(hostile, "positions", Filters()))
    assert len(out.splitlines()) == 2
    assert "\x1b" not in out and "\\x1b]0;pwned\\x07" in out
    full = render("plain", show_listing(hostile, ["evil"]))
    assert "tab\\there\\nnewline" in full


def test_data_formats_keep_the_text_unchanged(hostile: KnowledgeBase) -> None:
    listing = list_listing(hostile, "positions", Filters())
    data = json.loads(render("json", listing))
    assert data[0]["claim"].startswith("Evil \x1b]0;pwned\x07")
    assert data[0]["quote"] == "tab\there\nnewline"


def test_markdown_escapes_pipes_and_keeps_one_line_per_row(hostile: KnowledgeBase) -> None:
    out = render("markdown", list_listing(hostile, "positions", Filters()))
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(rows) == 3  # header and two positions


def test_every_format_is_registered_with_an_importable_renderer() -> None:
    from policyx.output.registry import FORMATS as ALL
    from policyx.output.registry import load_function

    assert list(FORMATS) == ["table", "plain", "json", "jsonl", "csv", "tsv", "yaml", "markdown", "ids"]
    for chosen in ALL:
        assert callable(load_function(chosen.renderer)), (chosen.kind, chosen.name)
        if chosen.stream:
            assert callable(load_function(chosen.stream)), (chosen.kind, chosen.name)


def test_ids_are_unique_even_when_a_tree_repeats_them(kb: KnowledgeBase) -> None:
    listing = show_listing(kb, ["criminalize-johns", "johns-dangerous-for-girls"])
    ids = render("ids", listing).split()
    assert ids.count("johns-dangerous-for-girls") == 1
    assert ids[0] == "criminalize-johns"


def test_data_renderers_do_not_import_rich() -> None:
    code = (
        "import sys\n"
        "from policyx.kb.load import bundled_path, load\n"
        "from policyx.views.listing import Filters, list_listing\n"
        "from policyx.views.show import show_listing\n"
        "from policyx.views.compare import compare_listing\n"
        "from policyx.views.search import search_listing\n"
        "from policyx.output.registry import render, format_names\n"
        "kb = load(bundled_path())\n"
        "for name in format_names('listing'):\n"
        "    if name != 'table':\n"
        "        render(name, list_listing(kb, 'arguments', Filters()))\n"
        "        render(name, show_listing(kb, ['end-bifurcation']))\n"
        "        render(name, compare_listing(kb, ['criminalize-johns', 'do-not-criminalize-johns']))\n"
        "        render(name, search_listing(kb, 'johns'))\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.') or m == 'typer'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parent)
    assert result.stdout.strip() == "[]"


def test_every_kind_has_one_default_on_a_terminal_and_one_in_a_pipe() -> None:
    from policyx.output.registry import FORMATS, FormatKind, default_format

    for kind in FormatKind:
        for terminal in (True, False):
            chosen = [f for f in FORMATS if f.kind is kind and (f.on_terminal if terminal else f.in_pipe)]
            if kind is FormatKind.EXPORT:  # --format is required
                assert chosen == []
                continue
            assert len(chosen) == 1, (kind, terminal)
            assert default_format(kind, terminal) is chosen[0]
    assert default_format(FormatKind.LISTING, True).name == "table"
    assert default_format(FormatKind.LISTING, False).name == "plain"
    assert default_format(FormatKind.MAP, False).name == "outline"


def test_the_formats_that_carry_every_field_are_the_data_formats_but_ids_and_plain() -> None:
    from policyx.output.registry import FormatKind, formats

    listing = formats(FormatKind.LISTING)
    assert [n for n, f in listing.items() if f.all_fields] == ["json", "jsonl", "csv", "tsv", "yaml", "markdown"]
    assert {n: f.spreadsheet for n, f in listing.items() if f.spreadsheet} == {"csv": "csv", "tsv": "tsv"}
    assert [n for n, f in formats(FormatKind.EXPORT).items() if f.escape == "json"] == ["aif", "json"]
