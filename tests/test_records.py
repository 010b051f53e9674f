"""Entries as records (kb/records.py): a batch of records is, entry for entry, the record the
JSON contract says (every field in schema order, lists as lists, enum members as their values,
an argument's for/against), for every entry class, version 1 and 2; a search's records are its
hit's fields then the entry's record; and no record is shared."""

from __future__ import annotations

import random
from enum import Enum
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.kb.load import load, load_text
from policyx.kb.model import KIND_OF, Act, Argument, Entry, Kind, KnowledgeBase, Premise
from policyx.kb.records import record_fields, to_record, to_records
from policyx.kb.schema import ENUM_FIELDS, LIST_FIELDS, TARGET_FIELD
from policyx.views.search import search, search_listing
from tests import test_searchscan
from tests.importing import FIXTURES, imported

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


def _plain(value: Any) -> Any:
    """A version-2 field's value as the contract says it: a tuple a list (an act or a premise a
    dict of its fields in class order), an enum member its value."""
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Act | Premise):
        return {name: _plain(getattr(value, name)) for name in _declared(type(value))}
    return value.value if isinstance(value, Enum) else value


def _declared(cls: type) -> list[str]:
    """The fields of an act's or a premise's class in the order the class declares them."""
    return list(cls.__annotations__)


def _reference_v2(entry: Entry) -> dict[str, Any]:
    """A version-2 record, a field at a time: an argument's for/against the ids it names with
    that stance (a premise's as ``ARGUMENT.PREMISE``), but the argument it undercuts."""
    record: dict[str, Any] = {}
    for name in record_fields(KIND_OF[type(entry)], 2):
        if isinstance(entry, Argument) and name in TARGET_FIELD.values():
            record[name] = [target for stance, target in entry.references
                            if TARGET_FIELD[stance] == name and target != entry.undercuts]
        else:
            record[name] = _plain(getattr(entry, name))
    return record


def _exact(records: list[dict[str, Any]]) -> list[Any]:
    """The records with their key order and value types, an act's and a premise's too (``==``
    sees neither)."""
    return [_typed(record) for record in records]


def _typed(value: Any) -> Any:
    if isinstance(value, dict):
        return [(key, _typed(item), type(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [(_typed(item), type(item)) for item in value]
    return value


def test_a_batch_is_each_entry_s_record(kb: KnowledgeBase) -> None:
    entries = list(kb.entries())
    kinds = {KIND_OF[type(entry)] for entry in entries}
    assert Kind.ARGUMENTS in kinds and len(kinds) >= 4  # several classes in one batch
    single = [to_record(entry, kb.version) for entry in entries]
    assert _exact(to_records(entries, kb.version)) == _exact(single)
    for kind in Kind:  # a batch of one class, as list_listing makes them
        assert _exact(to_records(kb.collection(kind), kb.version)) == _exact(
            [to_record(entry, kb.version) for entry in kb.collection(kind)])
    reference = _reference if kb.version == 1 else _reference_v2
    assert _exact(single) == _exact([reference(entry) for entry in entries])


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


#: a version-2 file with what the graph fixtures and an import leave out: legal models, a
#: premise with every field (its speaker, quote and source too), an act on an argument, and an
#: undercut with relations of both stances, some aimed at premises
WRITTEN_V2 = """version: 2
title: Written
sources:
  - id: notes
    title: Notes
    file: minutes.txt
actors:
  - id: ann
    name: Ann
    stands_for: one
models:
  - id: nordic-model
    name: Nordic model
    summary: A welfare state with open markets.
    also_known_as: [Scandinavian model]
    tags: [welfare]
  - id: bare
    name: Bare
    summary: Nothing else.
questions:
  - id: free-fares
    text: Should fares be free?
positions:
  - id: free
    question: free-fares
    claim: Fares should be free.
    held_by: ann
    agreement: individual
    models: [nordic-model]
arguments:
  - id: buses-full
    claim: Free buses fill up.
    for: free
    by: ann
    type: empirical
    tags: [transport]
    premises:
      - id: riders
        claim: More people ride free buses.
        quote: More people ride.
        source: notes
        by: ann
        restates: free
      - id: cars
        claim: Fewer people drive.
    acts:
      - by: ann
        act: asserts
        quote: Free buses fill up.
        source: notes
  - id: room-left
    claim: The buses have room, and fuller buses are no reason.
    against: [free, buses-full.riders]
    for: buses-full.cars
    undercuts: buses-full
"""


def _graph(name: str) -> KnowledgeBase:
    if name == "aif":  # an imported corpus: AIF nodesets and a dialogue (acts)
        nodesets = sorted((FIXTURES / "nodesets").glob("*.json"))
        return imported(*(f"nodesets/{path.name}" for path in nodesets), "voting-age-dialogue.json")[0]
    if name == "written-v2":
        return load_text(WRITTEN_V2, str(test_searchscan.GRAPHS / "written.yaml"))
    return load(Path(test_searchscan.GRAPHS) / f"{name}.yaml")


GRAPHS_V2 = ("premises-v2", "uniforms-v2", "aif", "written-v2")


@pytest.fixture(scope="module", params=GRAPHS_V2)
def graph(request: pytest.FixtureRequest) -> KnowledgeBase:
    """The version-2 knowledge bases: the two graph fixtures, an imported AIF corpus, one written here."""
    return _graph(request.param)


def test_a_version_2_batch_is_each_entry_s_record_field_by_field(graph: KnowledgeBase) -> None:
    """Every class of each version-2 knowledge base, a batch of each class and of all, against
    the field-at-a-time reference: key order and value types too."""
    assert graph.version == 2
    entries = list(graph.entries())
    expected = _exact([_reference_v2(entry) for entry in entries])
    assert _exact(to_records(entries, 2)) == expected
    assert _exact([to_record(entry, 2) for entry in entries]) == expected
    for kind in Kind:
        assert _exact(to_records(graph.collection(kind), 2)) == _exact(
            [_reference_v2(entry) for entry in graph.collection(kind)])


def test_the_version_2_fixtures_cover_every_class_and_every_field_of_acts_and_premises() -> None:
    """What the test above checks is there to check: every entry class, acts and premises with
    every field set, arguments with several relations, one aimed at a premise, an undercut."""
    kbs = [_graph(name) for name in GRAPHS_V2]
    entries = [entry for kb in kbs for entry in kb.entries()]
    assert {type(entry) for entry in entries} == set(KIND_OF)
    items = [item for entry in entries for item in (*getattr(entry, "acts", ()), *getattr(entry, "premises", ()))]
    for cls in (Act, Premise):
        for name in _declared(cls):
            assert any(isinstance(item, cls) and getattr(item, name) not in (None, ()) for item in items), name
    arguments = [entry for entry in entries if isinstance(entry, Argument)]
    assert any(argument.also for argument in arguments)
    assert any(argument.aims for argument in arguments)
    assert any(argument.undercuts and argument.also and argument.aims for argument in arguments)
    imports = kbs[GRAPHS_V2.index("aif")]
    assert any(position.acts for position in imports.positions)  # the import's own acts, not only the written
