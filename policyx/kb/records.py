"""Entries as plain records: the JSON contract every data format carries.

One object per entry with the YAML field names, every field present (null or
[] when the file leaves it out) so that CSV columns are stable, and for
arguments the YAML's ``for``/``against`` plus two derived fields, ``stance``
and ``target``.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from .model import KIND_OF, Entry, Kind, Stance
from .schema import DERIVED_FIELDS, ENUM_FIELDS, FIELDS, LIST_FIELDS, TARGET_FIELD

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def _record_fields(kind: Kind) -> tuple[str, ...]:
    """The kind's YAML field names in schema order; for arguments, stance and target
    right after for/against."""
    names = [spec.name for spec in FIELDS[kind]]
    targets = [at for at, name in enumerate(names) if name in TARGET_FIELD.values()]
    if targets:
        names[targets[-1] + 1:targets[-1] + 1] = DERIVED_FIELDS
    return tuple(names)


#: Field order of each kind's record.
RECORD_FIELDS: dict[Kind, tuple[str, ...]] = {kind: _record_fields(kind) for kind in Kind}

# Enum members -> values by dict lookup: Enum.value is a descriptor call,
# and a record is built per entry (100,000 times for a large listing).
_ENUM_VALUES: dict[Any, str] = {member: member.value for enum in ENUM_FIELDS.values() for member in enum}
#: The for/against field an argument of each stance leaves empty.
_UNNAMED: dict[Stance, str] = {
    stance: next(name for other, name in TARGET_FIELD.items() if other is not stance) for stance in TARGET_FIELD
}


def _record_maker(kind: Kind) -> Callable[[Entry], dict[str, Any]]:
    """A function building ``kind``'s records: attrgetter and zip run in C,
    then only the list and enum fields are fixed up."""
    names = RECORD_FIELDS[kind]
    # for/against both read `target`; the one the stance does not name is emptied below
    target = DERIVED_FIELDS[1]
    get = attrgetter(*(target if name in TARGET_FIELD.values() else name for name in names))
    lists = [name for name in names if name in LIST_FIELDS]
    enums = [name for name in names if name in ENUM_FIELDS]
    enum_value = _ENUM_VALUES.get
    unnamed = _UNNAMED
    is_argument = kind is Kind.ARGUMENTS

    def make(entry: Entry) -> dict[str, Any]:
        record = dict(zip(names, get(entry), strict=True))
        if is_argument:
            record[unnamed[record["stance"]]] = None
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
