"""The fast JSON writer is byte for byte json.dumps(..., ensure_ascii=False, indent=2)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.kb.load import bundled_path, load
from policyx.kb.records import to_record
from policyx.output.data import dumps_records
from tests.fuzz import examples

#: text, and text of what a layout is made of (brackets, quotes, separators, control characters)
TEXT = st.one_of(st.text(), st.text(alphabet='[]{}"\\:, \n\x00\x01\x02a', max_size=6))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), TEXT, st.floats())
ITEMS = st.one_of(TEXT, st.none(), st.integers(), st.floats(), st.booleans())
#: flat values (what records hold), and now and then what is not (a dict, a list of lists or dicts)
VALUES = st.one_of(SCALARS, st.lists(ITEMS, max_size=4), st.tuples(ITEMS), st.dictionaries(st.text(max_size=3), ITEMS,
                   max_size=2), st.lists(st.one_of(st.lists(ITEMS, max_size=2), st.dictionaries(st.text(max_size=2),
                                                                                                 ITEMS, max_size=2))))
#: keys: text, with a few that json writes as text (numbers, booleans, None)
KEYS = st.one_of(st.text(max_size=8), TEXT, st.integers(), st.booleans())
RECORDS = st.lists(st.dictionaries(KEYS, VALUES, max_size=6), max_size=5)


def reference(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2)


@settings(max_examples=examples(300), deadline=None)
@given(RECORDS)
def test_same_bytes_as_json_dumps(records: list[dict[str, Any]]) -> None:
    assert dumps_records(records) == reference(records)


def test_same_bytes_on_every_record_of_the_bundled_kb() -> None:
    records = [to_record(entry) for entry in load(bundled_path()).entries()]
    assert dumps_records(records) == reference(records)


def test_hostile_text_is_escaped_as_json_does() -> None:
    records = [{"id": "x", "claim": "\x1b[31m\u202e \"quoted\" \\ [bold]\n\t", "tags": ["\x07", "é"]}]
    assert dumps_records(records) == reference(records)
    assert json.loads(dumps_records(records)) == records


def test_a_long_listing_is_written_in_pieces_that_join_to_the_whole() -> None:
    from policyx.output import data
    from policyx.views.listing import Listing

    kb = load(bundled_path())
    flat = [to_record(a) for a in kb.arguments]
    records: list[dict[str, Any]] = [dict(flat[i % len(flat)], n=i) for i in range(2 * data._CHUNK + 7)]
    records[data._CHUNK + 3]["nested"] = {"a": [1.5, {"b": None}]}  # a later piece that is not flat
    pieces = list(data.stream_json(Listing(records, ("id",))))
    assert len(pieces) == 4  # three pieces of records, then the closing bracket
    assert "".join(pieces) == reference(records) + "\n"
    short = Listing(flat, ("id",))
    assert list(data.stream_json(short)) == [reference(flat) + "\n"]
