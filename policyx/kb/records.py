"""Entries as plain records: the JSON contract every data format carries.

One object per entry with the YAML field names, every field present (null or
[] when the file leaves it out) so that CSV columns are stable, and for
arguments the YAML's ``for``/``against`` plus two derived fields, ``stance``
and ``target``.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from .model import ENUM_FIELDS, KIND_OF, Entry, Kind, Stance

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: Field order of each kind's record (the YAML field names, in schema order).
RECORD_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.SOURCES: ("id", "title", "author", "event", "file", "date", "url"),
    Kind.ACTORS: ("id", "name", "stands_for", "description"),
    Kind.MODELS: ("id", "name", "summary", "also_known_as", "tags"),
    Kind.QUESTIONS: ("id", "text", "quote", "source", "tags"),
    Kind.POSITIONS: (
        "id", "question", "claim", "held_by", "agreement", "quote", "source", "tags", "models", "note",
    ),
    Kind.ARGUMENTS: (
        "id", "claim", "for", "against", "stance", "target", "by", "type", "quote", "source", "tags", "note",
    ),
}


#: Fields whose values are tuples in the model and lists in a record.
_LIST_FIELDS = frozenset({"held_by", "tags", "models", "also_known_as"})
# Enum members -> values by dict lookup: Enum.value is a descriptor call,
# and a record is built per entry (100,000 times for a large listing).
_ENUM_VALUES: dict[Any, str] = {member: member.value for enum in ENUM_FIELDS.values() for member in enum}


def _record_maker(kind: Kind) -> Callable[[Entry], dict[str, Any]]:
    """A function building ``kind``'s records: attrgetter and zip run in C,
    then only the list and enum fields are fixed up."""
    names = RECORD_FIELDS[kind]
    # for/against both read `target`; the one the stance does not name is emptied below
    get = attrgetter(*("target" if name in ("for", "against") else name for name in names))
    lists = [name for name in names if name in _LIST_FIELDS]
    enums = [name for name in names if name in ENUM_FIELDS]
    enum_value = _ENUM_VALUES.get
    is_argument = kind is Kind.ARGUMENTS

    def make(entry: Entry) -> dict[str, Any]:
        record = dict(zip(names, get(entry), strict=True))
        if is_argument:
            record["against" if record["stance"] is Stance.FOR else "for"] = None
        for name in lists:
            record[name] = list(record[name])
        for name in enums:
            value = record[name]
            record[name] = enum_value(value, value)
        return record

    return make


_MAKERS: dict[type, Callable[[Entry], dict[str, Any]]] = {cls: _record_maker(kind) for cls, kind in KIND_OF.items()}


def to_record(entry: Entry) -> dict[str, Any]:
    """The JSON-contract record of one entry (a new dict each call)."""
    return _MAKERS[type(entry)](entry)
