"""The fast validator: :func:`clean_entry`, the hot loop of validation.

It gives, for an entry with nothing wrong, the same record as
:meth:`policyx.kb.validate.Validator.entry`, or None at the first doubt, and then the
full check runs and words the problem. Both read the field table (schema.fields_of);
tests/test_fastload.py feeds both the same entries and compares what they give.
"""

from __future__ import annotations

from functools import partial

from . import schema
from .model import Kind
from .schema import ID_PATTERN, TARGET_FIELD

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    Record = dict[str, Any]
    Seen = dict[str, tuple[Kind, int]]

_LISTS = ("strlist", "reflist")

_CLEAN: dict[tuple[Kind, int], Callable[[int, Any, Seen], Record | None]] = {}


def clean_entry(kind: Kind, version: int = 1) -> Callable[[int, Any, Seen], Record | None]:
    """The hot loop of validation: ``clean(index, item, seen)`` returns the record of
    an entry with nothing wrong, exactly as :meth:`Validator.entry` would, and
    None at the first doubt, for ``entry`` to check (and word) in full. It has
    no side effects: the caller does entry()'s bookkeeping for a valid entry."""
    key = (kind, version)
    if key not in _CLEAN:
        specs = schema.fields_of(kind, version)
        records = tuple((spec.name, _item_checks(spec.items)) for spec in specs if spec.kind == "records")
        answers = kind in schema.ANSWERING_KINDS
        _CLEAN[key] = partial(
            _clean if not records else partial(_clean_graph, records),
            frozenset(spec.name for spec in specs),
            _text_checks(specs),
            tuple((spec.name, spec.required, spec.kind == "reflist") for spec in specs if spec.kind in _LISTS),
            _rule(answers, schema.QUOTE_SOURCES[kind]) if version == 1 or not answers
            else _rule_v2(schema.QUOTE_SOURCES[kind]),
        )
    return _CLEAN[key]


def _text_checks(specs: tuple[schema.FieldSpec, ...]) -> tuple[tuple[str, bool, dict[str, Any] | None], ...]:
    return tuple(
        (spec.name, spec.required, {m.value: m for m in spec.enum} if spec.enum else None)
        for spec in specs if spec.kind not in _LISTS and spec.kind != "records"
    )


def _item_checks(specs: tuple[schema.FieldSpec, ...]) -> tuple[Any, ...]:
    """What an item of a records field (an act, a premise) is checked with."""
    return (frozenset(spec.name for spec in specs), _text_checks(specs),
            tuple(pair for pair in (("quote", "source"),) if {s.name for s in specs} >= set(pair)),
            tuple((spec.name, spec.required, spec.kind == "reflist") for spec in specs if spec.kind in _LISTS))


def _clean(known: frozenset[str], texts: tuple[tuple[str, bool, dict[str, Any] | None], ...],
           lists: tuple[tuple[str, bool, bool], ...], rule: Callable[[Record], bool],
           index: int, item: Any, seen: Seen) -> Record | None:
    if type(item) is not dict or not known.issuperset(item):
        return None
    raw_id = item.get("id")
    if type(raw_id) is not str or raw_id in seen or _ID_MATCH(raw_id) is None:
        return None
    record: Record = {}
    if _clean_texts(texts, item, record) and _clean_lists(lists, item, record) and rule(record):
        record["__index"] = index
        return record
    return None


def _clean_graph(records: tuple[tuple[str, tuple[Any, ...]], ...], known: frozenset[str],
                 texts: tuple[tuple[str, bool, dict[str, Any] | None], ...],
                 lists: tuple[tuple[str, bool, bool], ...], rule: Callable[[Record], bool],
                 index: int, item: Any, seen: Seen) -> Record | None:
    """_clean for a version-2 entry, with its acts and premises."""
    record = _clean(known, texts, lists, rule, index, item, seen)
    if record is None:
        return None
    for name, (item_known, item_texts, pairs, item_lists) in records:
        value = item[name] if name in item else None
        if value is None:
            continue
        if type(value) is not list or not value:
            return None
        checked = []
        for sub in value:
            if type(sub) is not dict or not item_known.issuperset(sub):
                return None
            sub_record: Record = {}
            if not _clean_texts(item_texts, sub, sub_record) or not _sourced(pairs, sub_record) \
                    or (item_lists and not _clean_lists(item_lists, sub, sub_record)):
                return None
            checked.append(sub_record)
        record[name] = tuple(checked)
    return record


_ID_MATCH = ID_PATTERN.match


def _clean_texts(texts: tuple[tuple[str, bool, dict[str, Any] | None], ...], item: dict[str, Any],
                 record: Record) -> bool:
    """The text, id and enum fields (``members``: an enum's, by value)."""
    for name, required, members in texts:
        value = item.get(name)
        if type(value) is str and value.strip():
            if members is not None:
                value = members.get(value)
                if value is None:
                    return False
            record[name] = value
        elif value is not None or required:
            return False
    return True


def _clean_lists(lists: tuple[tuple[str, bool, bool], ...], item: dict[str, Any], record: Record) -> bool:
    for name, required, one_is_a_list in lists:
        value = item.get(name)
        if value is None:
            if required:
                return False
            continue
        if one_is_a_list and type(value) is str:
            value = [value]
        if type(value) is not list or (required and not value) or not _all_texts(value):
            return False
        record[name] = tuple(value)
    return True


def _all_texts(values: list[Any]) -> bool:
    for value in values:
        if type(value) is not str or not value.strip():
            return False
    return True


_FIRST, _SECOND = TARGET_FIELD.values()


def _sourced(pairs: tuple[tuple[str, str], ...], record: Record) -> bool:
    for quote, source in pairs:
        if quote in record and source not in record:
            return False
    return True


def _answers_one(record: Record) -> bool:
    return (_FIRST in record) != (_SECOND in record)


def _always(record: Record) -> bool:
    return True


_UNDERCUTS = "undercuts"


def _answers_some(record: Record) -> bool:
    return _FIRST in record or _SECOND in record or _UNDERCUTS in record


def _rule_v2(pairs: tuple[tuple[str, str], ...]) -> Callable[[Record], bool]:
    """Version 2's rules of an argument: it answers through at least one of for/against/undercuts."""
    if not pairs:
        return _answers_some
    sourced = partial(_sourced, pairs)
    return lambda record: _answers_some(record) and sourced(record)


def _rule(answers: bool, pairs: tuple[tuple[str, str], ...]) -> Callable[[Record], bool]:
    """The rules between fields of a collection: it answers through exactly one of
    for/against (``answers``); each of its quotes names its source (``pairs``)."""
    sourced = partial(_sourced, pairs) if pairs else _always
    if not answers:
        return sourced
    if not pairs:
        return _answers_one
    return lambda record: _answers_one(record) and sourced(record)
