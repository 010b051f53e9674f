"""Entries as records (kb/records.py): a batch of records is, entry for entry, the record the
JSON contract says (every field in schema order, lists as lists, enum members as their values,
an argument's for/against), for every entry class, version 1 and 2; a search's records are its
hit's fields then the entry's record; and no record is shared."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.kb.model import KIND_OF, Argument, Entry, Kind, KnowledgeBase
from policyx.kb.records import record_fields, to_record, to_records
from policyx.kb.schema import ENUM_FIELDS, LIST_FIELDS, TARGET_FIELD
from policyx.views.search import search, search_listing
from tests import test_searchscan

#: bundled, generated (400 arguments) and the two version-2 knowledge bases
kb = test_searchscan.kb

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _reference(entry: Entry) -> dict[str, Any]:
    """A version-1 record, a field at a time, as the contract says it."""
    record: dict[str, Any] = {}
    for name in record_fields(KIND_OF[type(entry)]):
        if name in TARGET_FIELD.values():
            assert isinstance(entry, Argument)
            record[name] = entry.target if TARGET_FIELD[entry.stance] == name else None
            continue
        value = getattr(entry, name)
        if name in LIST_FIELDS:
            value = list(value)
        elif name in ENUM_FIELDS and value is not None:
            value = value.value
        record[name] = value
    return record


def _exact(records: list[dict[str, Any]]) -> list[list[tuple[str, Any, type]]]:
    """The records with their key order and value types (``==`` sees neither)."""
    return [[(key, value, type(value)) for key, value in record.items()] for record in records]


def test_a_batch_is_each_entry_s_record(kb: KnowledgeBase) -> None:
    entries = list(kb.entries())
    kinds = {KIND_OF[type(entry)] for entry in entries}
    assert Kind.ARGUMENTS in kinds and len(kinds) >= 4  # several classes in one batch
    single = [to_record(entry, kb.version) for entry in entries]
    assert _exact(to_records(entries, kb.version)) == _exact(single)
    for kind in Kind:  # a batch of one class, as list_listing makes them
        assert _exact(to_records(kb.collection(kind), kb.version)) == _exact(
            [to_record(entry, kb.version) for entry in kb.collection(kind)])
    if kb.version == 1:
        assert _exact(single) == _exact([_reference(entry) for entry in entries])
    else:  # version 2: version 1's fields first, then its own, for/against lists of ids
        for entry, record in zip(entries, single, strict=True):
            assert list(record) == list(record_fields(KIND_OF[type(entry)], 2))
            assert all(isinstance(record[name], list) for name in TARGET_FIELD.values() if name in record)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 60))
def test_a_batch_with_a_head_is_the_head_then_each_record(kb: KnowledgeBase, seed: int, size: int) -> None:
    """Entries of several classes in any order, after head columns (one named as a record field:
    it keeps the head's place and takes the record's value): ``{**head, **record}`` each."""
    entries = list(kb.entries())
    chosen = random.Random(seed).choices(entries, k=size)
    heads = [{"id": f"head-{at}", "kind": KIND_OF[type(entry)].singular, "score": at, "matched": [str(at)]}
             for at, entry in enumerate(chosen)]
    columns = [(name, [head[name] for head in heads]) for name in heads[0]]
    made = to_records(chosen, kb.version, columns)
    expected = [{**head, **to_record(entry, kb.version)} for head, entry in zip(heads, chosen, strict=True)]
    assert _exact(made) == _exact(expected)
    assert len({id(record) for record in made}) == len(made)  # a new dict each, even for one entry twice
    assert to_records([], kb.version, columns) == []


def test_each_record_is_a_new_dict(kb: KnowledgeBase) -> None:
    entry = next(iter(kb.entries()))
    first, second = to_record(entry, kb.version), to_record(entry, kb.version)
    assert first == second and first is not second
    first["id"] = "changed"
    assert to_record(entry, kb.version)["id"] == entry.id


def test_a_search_record_is_its_hit_fields_then_the_entry_record(kb: KnowledgeBase) -> None:
    for query in ("law", "the", "a", "market reform", "uniform"):
        hits = search(kb, query)
        if not hits:
            continue
        records = search_listing(kb, query).records
        expected = [{"id": hit.entry.id, "kind": KIND_OF[type(hit.entry)].singular, "score": hit.score,
                     "matched": list(hit.matched), "field": hit.field, "excerpt": hit.excerpt,
                     **to_record(hit.entry, kb.version)} for hit in hits]
        assert _exact(records) == _exact(expected), query
