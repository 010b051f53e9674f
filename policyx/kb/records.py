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

from collections.abc import Callable, Sequence
from enum import Enum

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


def _v1_expressions(kind: Kind) -> dict[str, str]:
    """Each field of ``kind``'s record as a Python expression of its entry ``e`` (see
    :func:`_maker`): the list fields as lists, enum members as their values, and an argument's
    for/against its target where its stance names the field (else None)."""
    stance, target = DERIVED_FIELDS
    expressions = {}
    for name in RECORD_FIELDS[kind]:
        if name in _STANCE_OF and kind in ANSWERING_KINDS:
            expressions[name] = f"(e.{target} if e.{stance} is _{_STANCE_OF[name].name} else None)"
        elif not name.isidentifier():
            raise ValueError(f"no attribute reads the record field {name!r}")
        elif name in LIST_FIELDS:
            expressions[name] = f"list(e.{name})"
        elif name in ENUM_FIELDS:
            expressions[name] = f"_value(e.{name}, e.{name})"
        else:
            expressions[name] = f"e.{name}"
    return expressions


#: (entry class, names of the head columns) -> what makes those records (see _maker)
_MAKERS: dict[tuple[type, tuple[str, ...]], Callable[..., list[dict[str, Any]]]] = {}


def _maker(cls: type, head: tuple[str, ...]) -> Callable[..., list[dict[str, Any]]]:
    """``make(entries, *head_columns)``: the version-1 records of entries of class ``cls``, each
    after the head's values. One list comprehension of one dict display, written for the class's
    fields (as namedtuple and dataclass write their methods): 0.8 us a record of an argument,
    where reading its fields with attrgetter, zipping them with the names and fixing the lists
    and enums up cost 2 us, and a batch made column by column (map in C, then ``dict(zip(names,
    row))``) 1.4 us, the dicts made of zip the most of it."""
    made = _MAKERS.get((cls, head))
    if made is not None:
        return made
    fields = _v1_expressions(KIND_OF[cls])
    columns = [f"h{at}" for at in range(len(head))]
    # a field of both keeps the head's place and takes the record's value ({**head, **record})
    display = [f"{name!r}: {fields.pop(name, column)}" for name, column in zip(head, columns, strict=True)]
    display += [f"{name!r}: {expression}" for name, expression in fields.items()]
    each = f"for e, {', '.join(columns)} in zip(entries, {', '.join(columns)})" if head else "for e in entries"
    source = (f"def bind(_value, {', '.join(f'_{stance.name}' for stance in Stance)}):\n"
              f"    def make(entries, {''.join(c + ', ' for c in columns)}):\n"
              f"        return [{{{', '.join(display)}}} {each}]\n"
              f"    return make\n")
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # noqa: S102 - made here of field names (checked) and repr()s
    bound: Callable[..., list[dict[str, Any]]] = namespace["bind"](_ENUM_VALUES.get, *Stance)
    _MAKERS[cls, head] = bound
    return bound


#: each entry class's place in file order (kb.entries(): by Kind), to group a batch by class
_CLASS_ORDER: dict[type, int] = {cls: list(Kind).index(kind) for cls, kind in KIND_OF.items()}


def to_record(entry: Entry, version: int = 1) -> dict[str, Any]:
    """The JSON-contract record of one entry (a new dict each call), as a knowledge base of
    schema ``version`` gives it: the batch of one of :func:`to_records`."""
    if version == 1:
        return _maker(type(entry), ())((entry,))[0]
    return _record_v2(entry)


def to_records(entries: Sequence[Entry], version: int = 1, head: Sequence[tuple[str, Sequence[Any]]] = (),
               ) -> list[dict[str, Any]]:
    """The records of ``entries`` (new dicts), each after the values of the ``head`` columns
    (name, one value per entry): ``{**{name: column[i] for name, column in head},
    **to_record(entries[i], version)}``, a field of both keeping the head's place and taking the
    record's value. Made a batch of each entry class at a time (see :func:`_maker`)."""
    if not entries:
        return []
    classes = set(map(type, entries))
    if len(classes) == 1:
        return _batch(type(entries[0]), entries, version, head)
    keys = list(map(_CLASS_ORDER.__getitem__, map(type, entries)))
    made: list[dict[str, Any]] = []
    if keys == sorted(keys):  # each class's entries together, in file order (as a search finds them)
        for cls in sorted(classes, key=_CLASS_ORDER.__getitem__):
            start, stop = len(made), len(made) + keys.count(_CLASS_ORDER[cls])
            made += _batch(cls, entries[start:stop], version, [(name, column[start:stop]) for name, column in head])
        return made
    # a batch of each class (in file order), then the records back in the entries' order
    order = sorted(range(len(entries)), key=keys.__getitem__)  # stable: each class in order
    for cls in sorted(classes, key=_CLASS_ORDER.__getitem__):
        at = order[len(made):len(made) + keys.count(_CLASS_ORDER[cls])]
        made += _batch(cls, list(map(entries.__getitem__, at)), version,
                       [(name, list(map(column.__getitem__, at))) for name, column in head])
    return list(map(made.__getitem__, sorted(range(len(order)), key=order.__getitem__)))


def _batch(cls: type, entries: Sequence[Entry], version: int, head: Sequence[tuple[str, Sequence[Any]]],
           ) -> list[dict[str, Any]]:
    """:func:`to_records` of entries all of class ``cls``."""
    if version == 1:
        return _maker(cls, tuple(name for name, _ in head))(entries, *(column for _, column in head))
    records = list(map(_record_v2, entries))
    if not head:
        return records
    names = tuple(name for name, _ in head)
    heads = [dict(zip(names, values, strict=True)) for values in zip(*(column for _, column in head), strict=True)]
    for made, record in zip(heads, records, strict=True):
        made.update(record)
    return heads


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
