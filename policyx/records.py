"""Entries as plain records: the JSON contract every data format carries.

One object per entry with the YAML field names, every field present (null or
[] when the file leaves it out) so that CSV columns are stable, and for
arguments the YAML's ``for``/``against`` plus two derived fields, ``stance``
and ``target``.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from .model import Argument, Entry, Kind, kind_of

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


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def to_record(entry: Entry) -> dict[str, Any]:
    """The JSON-contract record of one entry (a new dict each call)."""
    kind = kind_of(entry)
    if isinstance(entry, Argument):
        stance = entry.stance.value
        record: dict[str, Any] = {}
        for name in RECORD_FIELDS[kind]:
            if name in ("for", "against"):
                record[name] = entry.target if stance == name else None
            else:
                record[name] = _plain(getattr(entry, name))
        return record
    return {name: _plain(getattr(entry, name)) for name in RECORD_FIELDS[kind]}
