"""The fast JSON writer is byte for byte json.dumps(..., ensure_ascii=False, indent=2)."""

from __future__ import annotations

import enum
import json
import shutil
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.cli.session import Session
from policyx.kb.load import bundled_path, load
from policyx.kb.records import to_record
from policyx.output import data
from policyx.output.data import dumps_records
from policyx.views.listing import Listing, list_listing
from policyx.views.search import search_listing
from tests.fuzz import examples

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: text, and text of what a layout is made of (brackets, quotes, separators, control characters)
TEXT = st.one_of(st.text(), st.text(alphabet='[]{}"\\:, \n\x00\x01\x02\x1b\u2028\u202eaé', max_size=6))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), TEXT, st.floats())
ITEMS = st.one_of(TEXT, st.none(), st.integers(), st.floats(), st.booleans())
#: flat values (what version-1 records hold), and now and then a dict or a list of lists or dicts
VALUES = st.one_of(SCALARS, st.lists(ITEMS, max_size=4), st.tuples(ITEMS), st.dictionaries(st.text(max_size=3), ITEMS,
                   max_size=2), st.lists(st.one_of(st.lists(ITEMS, max_size=2), st.dictionaries(st.text(max_size=2),
                                                                                                 ITEMS, max_size=2))))
#: keys: text, with a few that json writes as text (numbers, booleans, None)
KEYS = st.one_of(st.text(max_size=8), TEXT, st.integers(), st.booleans(), st.floats(), st.none())
RECORDS = st.lists(st.dictionaries(KEYS, VALUES, max_size=6), max_size=5)
#: values nested to any depth: dicts, lists and tuples of dicts, lists, tuples and scalars, empty ones too
NESTED = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=25)
#: what a version-2 argument holds: lists of strings, lists of dicts of scalars and lists of strings
LIST_OF_TEXT = st.lists(TEXT, max_size=3)
PART = st.dictionaries(st.sampled_from(["claim", "quote", "by", "id", "restates", "kind"]),
                       st.one_of(TEXT, st.none(), LIST_OF_TEXT))
GRAPH_RECORDS = st.lists(st.dictionaries(st.sampled_from(["id", "claim", "for", "against", "premises", "acts", "note"]),
                                         st.one_of(TEXT, st.none(), LIST_OF_TEXT, st.lists(PART, max_size=3))),
                         max_size=6)


def reference(records: Any) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)


@settings(max_examples=examples(300), deadline=None)
@given(RECORDS)
def test_same_bytes_as_json_dumps(records: list[dict[str, Any]]) -> None:
    assert dumps_records(records) == reference(records)


@settings(max_examples=examples(600), deadline=None)
@given(st.lists(st.one_of(st.dictionaries(KEYS, NESTED, max_size=6), NESTED), max_size=5))
def test_same_bytes_as_json_dumps_at_any_depth(records: list[Any]) -> None:
    """Of every shape, and laid out by the writer itself (it hands json.dumps only the types it does not know)."""
    expected = reference(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data.json, "dumps", _no_json_dumps)
        assert dumps_records(records) == expected


@settings(max_examples=examples(300), deadline=None)
@given(GRAPH_RECORDS)
def test_nested_records_are_laid_out_by_the_writer_itself(records: list[dict[str, Any]]) -> None:
    """Records of version 2 (lists of dicts) are not handed to json.dumps (pure Python with an indent)."""
    expected = reference(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data.json, "dumps", _no_json_dumps)
        assert dumps_records(records) == expected


def _no_json_dumps(*args: Any, **kwargs: Any) -> str:
    raise AssertionError("json.dumps was called")


def test_same_bytes_on_every_record_of_the_bundled_kb() -> None:
    records = [to_record(entry) for entry in load(bundled_path()).entries()]
    assert dumps_records(records) == reference(records)


def test_hostile_text_is_escaped_as_json_does() -> None:
    records = [{"id": "x", "claim": "\x1b[31m\u202e \"quoted\" \\ [bold]\n\t", "tags": ["\x07", "é"],
                "premises": [{"claim": "\x00\u2028", "restates": ["\x1b]8;;x\x07"]}]}]
    assert dumps_records(records) == reference(records)
    assert json.loads(dumps_records(records)) == records


class Level(enum.IntEnum):
    LOW = 1


class Name(str):
    pass


def test_what_json_dumps_writes_its_own_way_is_written_by_json_dumps() -> None:
    """Subclasses (an IntEnum, a str subclass, an OrderedDict): the same bytes, from json.dumps."""
    for records in ([{"level": Level.LOW}], [{"levels": ["a", Level.LOW]}], [{"name": Name("a"), "names": [Name("b")]}],
                    [{"kinds": OrderedDict(b=1, a=[])}], [{"a": [{"b": [1, Level.LOW]}]}]):
        assert dumps_records(records) == reference(records)


def test_what_json_dumps_writes_the_writer_writes_the_same_without_it() -> None:
    """Numbers out of range, keys that are no text, records that are no dict, empty records and
    containers, depths beyond the writer's table of indentations: the same bytes, not from json.dumps."""
    records: list[Any] = [
        {1: "one", 2.5: None, None: True, False: [{}], "n": [float("nan")]},
        {True: {10**20: (), float("inf"): 1, -1: "x"}},
        {"inf": float("inf"), "ninf": [float("-inf"), -0.0, 10**30, 1e-7]},
        {"deep": _deep(40)},
        _deep(20),
        {},
        [],
        "text",
        None,
    ]
    expected = reference(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data.json, "dumps", _no_json_dumps)
        assert dumps_records(records) == expected


def _deep(depth: int) -> Any:
    value: Any = ["bottom", {}]
    for level in range(depth):
        parts = [{"a": level}, {"b": [str(level)], "c": {}}]  # a list of dicts, as premises are, at every depth
        value = {"level": level, "below": [value, []], "parts": parts} if level % 2 else [value, (), "x", parts]
    return value


def test_what_json_dumps_cannot_write_fails_as_it_fails() -> None:
    for records in ([{"a": [object()]}], [{"a": {"b": {1j: 1}}}], [{"a": b"bytes"}]):
        with pytest.raises(TypeError) as ours:
            dumps_records(records)
        with pytest.raises(TypeError) as theirs:
            reference(records)
        assert str(ours.value) == str(theirs.value)
    circular: list[Any] = []
    circular.append({"self": circular})
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_records([{"a": circular}])


@pytest.fixture(scope="module")
def graph_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of version-2 knowledge bases: premises, acts, restatements, undercuts, imported AIF."""
    folder = tmp_path_factory.mktemp("graph-library")
    for name in ("graph/premises-v2.yaml", "graph/uniforms-v2.yaml", "import/voting-age-dialogue.json",
                 "import/araucaria-library.json", "import/stats-shapes.json"):
        shutil.copy(FIXTURES / name, folder / name.split("/")[1])
    return folder


def graph_listings(folder: Path) -> list[Listing]:
    session = Session()
    session.apply("kb", (str(folder),))
    kb = session.kb()
    return [*(list_listing(kb, collection) for collection in ("arguments", "positions", "questions")),
            search_listing(kb, "the", ())]


def test_same_bytes_on_a_library_of_version_2_knowledge_bases(graph_library: Path) -> None:
    listings = graph_listings(graph_library)
    arguments = listings[0].records
    assert any(r.get("premises") for r in arguments) and any(r.get("acts") for r in arguments)
    assert any(isinstance(p, dict) for r in arguments for p in r.get("premises") or ())
    for listing in listings:
        assert listing.records
        expected = reference(listing.records)
        with pytest.MonkeyPatch.context() as patch:  # the writer's own layout, all of it
            patch.setattr(data.json, "dumps", _no_json_dumps)
            assert dumps_records(listing.records) == expected


def test_a_long_listing_is_written_in_pieces_that_join_to_the_whole(graph_library: Path) -> None:
    kb = load(bundled_path())
    flat = [to_record(a) for a in kb.arguments]
    records: list[dict[str, Any]] = [dict(flat[i % len(flat)], n=i) for i in range(2 * data._CHUNK + 7)]
    records[data._CHUNK + 3]["nested"] = {"a": [1.5, {"b": None}]}  # a later piece that is not flat
    records[data._CHUNK + 5]["odd"] = Level.LOW  # and one that json.dumps writes
    pieces = list(data.stream_json(Listing(records, ("id",))))
    assert len(pieces) == 4  # three pieces of records, then the closing bracket
    assert "".join(pieces) == reference(records) + "\n"
    short = Listing(flat, ("id",))
    assert list(data.stream_json(short)) == [reference(flat) + "\n"]
    graph = graph_listings(graph_library)[0].records
    long = [dict(graph[i % len(graph)], n=i) for i in range(data._CHUNK + 1)]
    assert "".join(data.stream_json(Listing(long, ("id",)))) == reference(long) + "\n"
