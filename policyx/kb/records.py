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

from .model import KIND_OF, ActKind, Argument, Entry, Kind, Stance
from .schema import (
    ANSWERING_KINDS,
    DERIVED_FIELDS,
    ENUM_FIELDS,
    FIELDS_V1,
    LIST_FIELDS,
    RECORD_LISTS,
    TARGET_FIELD,
    FieldSpec,
    fields_of,
)

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


def _expressions(kind: Kind, version: int) -> dict[str, str]:
    """Each field of ``kind``'s record in a knowledge base of schema ``version`` as a Python
    expression of its entry ``e`` (see :func:`_maker`): the list fields as lists, enum members
    as their values, an act or a premise as a dict of its fields (made by a comprehension
    written for its class too), and an argument's for/against: version 1's its target where its
    stance names the field (else None), version 2's the ids of its references of that stance
    (but the argument it undercuts)."""
    stance, target = DERIVED_FIELDS
    specs = {spec.name: spec for spec in fields_of(kind, version)}
    expressions = {}
    for name in record_fields(kind, version):
        if name in _STANCE_OF and kind in ANSWERING_KINDS:
            member = f"_{_STANCE_OF[name].name}"
            expressions[name] = (
                f"(e.{target} if e.{stance} is {member} else None)" if version == 1 else
                # one relation, not aimed at a premise (the most): no tuple of references made
                f"(([e.{target}] if e.{stance} is {member} and e.{target} != e.undercuts else [])"
                f" if not (e.also or e.aims) else _references(e, {member}))")
        elif not name.isidentifier():
            raise ValueError(f"no attribute reads the record field {name!r}")
        elif name in ENUM_FIELDS:
            expressions[name] = f"_value(e.{name}, e.{name})"
        elif name in RECORD_LISTS and version > 1:
            items = ", ".join(f"{item.name!r}: {_item_expression(item)}" for item in RECORD_LISTS[name])
            expressions[name] = f"([{{{items}}} for i in e.{name}] if e.{name} else [])"
        elif name in LIST_FIELDS or name in specs and specs[name].kind in ("strlist", "reflist"):
            expressions[name] = f"list(e.{name})"
        else:
            expressions[name] = f"e.{name}"
    return expressions


def _item_expression(item: FieldSpec) -> str:
    """A field of an act or a premise (``i``) as a Python expression."""
    if not item.name.isidentifier():
        raise ValueError(f"no attribute reads the field {item.name!r}")
    if item.kind == "enum":
        return f"_value(i.{item.name}, i.{item.name})"
    if item.kind in ("strlist", "reflist"):
        return f"list(i.{item.name})"
    return f"i.{item.name}"


def _references(entry: Argument, stance: Stance) -> list[str]:
    """A version-2 argument's ids of its references of ``stance``, but the argument it undercuts."""
    return [target for s, target in entry.references if s is stance and target != entry.undercuts]


#: (entry class, schema version, names of the head columns) -> what makes those records (see _maker)
_MAKERS: dict[tuple[type, int, tuple[str, ...]], Callable[..., list[dict[str, Any]]]] = {}


def _maker(cls: type, version: int, head: tuple[str, ...]) -> Callable[..., list[dict[str, Any]]]:
    """``make(entries, *head_columns)``: the records of entries of class ``cls`` in a knowledge
    base of schema ``version``, each after the head's values. One list comprehension of one dict
    display, written for the class's fields (as namedtuple and dataclass write their methods):
    0.8 us a record of a version-1 argument, where reading its fields with attrgetter, zipping
    them with the names and fixing the lists and enums up cost 2 us, and a batch made column by
    column (map in C, then ``dict(zip(names, row))``) 1.4 us, the dicts made of zip the most of
    it. Version 2's, its acts and premises made inline too, are a third of the time of a loop
    over the fields with getattr and a dict of each act's slots."""
    made = _MAKERS.get((cls, version, head))
    if made is not None:
        return made
    fields = _expressions(KIND_OF[cls], 1 if version == 1 else 2)
    columns = [f"h{at}" for at in range(len(head))]
    # a field of both keeps the head's place and takes the record's value ({**head, **record})
    display = [f"{name!r}: {fields.pop(name, column)}" for name, column in zip(head, columns, strict=True)]
    display += [f"{name!r}: {expression}" for name, expression in fields.items()]
    each = f"for e, {', '.join(columns)} in zip(entries, {', '.join(columns)})" if head else "for e in entries"
    source = (f"def bind(_value, _references, {', '.join(f'_{stance.name}' for stance in Stance)}):\n"
              f"    def make(entries, {''.join(c + ', ' for c in columns)}):\n"
              f"        return [{{{', '.join(display)}}} {each}]\n"
              f"    return make\n")
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # noqa: S102 - made here of field names (checked) and repr()s
    bound: Callable[..., list[dict[str, Any]]] = namespace["bind"](_ENUM_VALUES.get, _references, *Stance)
    _MAKERS[cls, version, head] = bound
    return bound


#: each entry class's place in file order (kb.entries(): by Kind), to group a batch by class
_CLASS_ORDER: dict[type, int] = {cls: list(Kind).index(kind) for cls, kind in KIND_OF.items()}


def to_record(entry: Entry, version: int = 1) -> dict[str, Any]:
    """The JSON-contract record of one entry (a new dict each call), as a knowledge base of
    schema ``version`` gives it: the batch of one of :func:`to_records`."""
    return _maker(type(entry), version, ())((entry,))[0]


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
    return _maker(cls, version, tuple(name for name, _ in head))(entries, *(column for _, column in head))


_STANCE_OF = {name: stance for stance, name in TARGET_FIELD.items()}
