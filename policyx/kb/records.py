"""Entries as plain records: the JSON contract every data format carries.

One object per entry with the YAML field names, every field present (null or
[] when the file leaves it out) so that CSV columns are stable, and for
arguments the YAML's ``for``/``against`` plus two derived fields, ``stance``
and ``target``.

A knowledge base of schema version 2 gives records of version 2 (``to_record(entry, 2)``):
the same fields, then version 2's (``restates``, ``acts``; a position's ``against``; an
argument's ``undercuts`` and ``premises``), and an argument's ``for`` and ``against`` are
lists of ids (``stance`` and ``target`` stay its first relation). A version-1 knowledge
base's records are what they always were.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from operator import attrgetter

from .model import KIND_OF, ActKind, Entry, Kind, Stance
from .schema import ANSWERING_KINDS, DERIVED_FIELDS, ENUM_FIELDS, FIELDS_V1, LIST_FIELDS, TARGET_FIELD, fields_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def _record_fields(kind: Kind, version: int = 1) -> tuple[str, ...]:
    """The kind's YAML field names in schema order; for arguments, stance and target
    right after for/against."""
    names = [spec.name for spec in (FIELDS_V1[kind] if version == 1 else fields_of(kind, version))]
    targets = [at for at, name in enumerate(names) if name in TARGET_FIELD.values()]
    if kind in ANSWERING_KINDS:
        names[targets[-1] + 1:targets[-1] + 1] = DERIVED_FIELDS
    return tuple(names)


#: Field order of each kind's record.
RECORD_FIELDS: dict[Kind, tuple[str, ...]] = {kind: _record_fields(kind) for kind in Kind}
#: Field order of each kind's record in a knowledge base of schema version 2.
RECORD_FIELDS_V2: dict[Kind, tuple[str, ...]] = {kind: _record_fields(kind, 2) for kind in Kind}
#: Fields of a ``list tags`` record.
TAG_FIELDS: tuple[str, ...] = ("tag", "count", "questions", "positions", "arguments", "models")
#: What ``policyx list`` can list: the records of each kind of entry, of the tags in use, of a library's members.
COLLECTIONS: tuple[str, ...] = (*(k.value for k in Kind), "tags", "kbs")


def record_fields(kind: Kind, version: int = 1) -> tuple[str, ...]:
    """Field order of ``kind``'s records in a knowledge base of schema ``version``."""
    return (RECORD_FIELDS if version == 1 else RECORD_FIELDS_V2)[kind]

# Enum members -> values by dict lookup: Enum.value is a descriptor call,
# and a record is built per entry (100,000 times for a large listing).
_ENUMS: tuple[type[Enum], ...] = (*ENUM_FIELDS.values(), ActKind)
_ENUM_VALUES: dict[Any, str] = {member: member.value for enum in _ENUMS for member in enum}
#: The for/against field an argument of each stance leaves empty.
_UNNAMED: dict[Stance, str] = {
    stance: next(name for other, name in TARGET_FIELD.items() if other is not stance) for stance in TARGET_FIELD
}


def _record_maker(kind: Kind) -> Callable[[dict[str, Any], Entry], dict[str, Any]]:
    """A function filling a dict with ``kind``'s record (after what it holds): attrgetter and
    zip run in C, then only the list and enum fields are fixed up."""
    names = RECORD_FIELDS[kind]
    # for/against both read `target`; the one the stance does not name is emptied below
    target = DERIVED_FIELDS[1]
    get = attrgetter(*(target if name in TARGET_FIELD.values() else name for name in names))
    lists = [name for name in names if name in LIST_FIELDS]
    enums = [name for name in names if name in ENUM_FIELDS]
    enum_value = _ENUM_VALUES.get
    unnamed = _UNNAMED
    is_argument = kind is Kind.ARGUMENTS

    def make(record: dict[str, Any], entry: Entry) -> dict[str, Any]:
        record.update(zip(names, get(entry), strict=True))
        if is_argument:
            record[unnamed[record["stance"]]] = None
        for name in lists:
            record[name] = list(record[name])
        for name in enums:
            value = record[name]
            record[name] = enum_value(value, value)
        return record

    return make


_MAKERS: dict[type, Callable[[dict[str, Any], Entry], dict[str, Any]]] = {
    cls: _record_maker(kind) for cls, kind in KIND_OF.items()
}


def to_record(entry: Entry, version: int = 1) -> dict[str, Any]:
    """The JSON-contract record of one entry (a new dict each call), as a knowledge base of
    schema ``version`` gives it."""
    if version == 1:
        return _MAKERS[type(entry)]({}, entry)
    return _record_v2(entry)


def record_after(head: dict[str, Any], entry: Entry, version: int = 1) -> dict[str, Any]:
    """``{**head, **to_record(entry, version)}``, made in ``head`` itself (one dict, not two, for
    each of the thousands of records of a search)."""
    if version == 1:
        return _MAKERS[type(entry)](head, entry)
    head.update(_record_v2(entry))
    return head


def _record_v2(entry: Entry) -> dict[str, Any]:
    kind = KIND_OF[type(entry)]
    record: dict[str, Any] = {}
    for name in RECORD_FIELDS_V2[kind]:
        if kind is Kind.ARGUMENTS and name in _TARGET_NAMES:
            stance = _STANCE_OF[name]
            record[name] = [target for s, target in entry.references  # type: ignore[union-attr]
                            if s is stance and target != entry.undercuts]  # type: ignore[union-attr]
            continue
        value = getattr(entry, name)
        if isinstance(value, tuple):
            value = [_plain(item) for item in value]
        record[name] = _ENUM_VALUES.get(value, value) if not isinstance(value, list) else value
    return record


_TARGET_NAMES = frozenset(TARGET_FIELD.values())
_STANCE_OF = {name: stance for stance, name in TARGET_FIELD.items()}


def _plain(item: Any) -> Any:
    """An act or a premise as a plain dict (enum members as their values)."""
    if isinstance(item, str):
        return item
    return {name: list(value) if isinstance(value, tuple) else _ENUM_VALUES.get(value, value)
            if value is not None else None for name, value in ((n, getattr(item, n)) for n in item.__slots__)}
