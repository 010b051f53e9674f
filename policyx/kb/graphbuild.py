"""Schema version 2: validated records -> the model's entries.

An argument's ``for``, ``against`` and ``undercuts`` become its relations: the first
is its ``stance`` and ``target`` (what version 1 had, so every view that follows one
target keeps working), the others ``also``; ``undercuts: ID`` is the relation
(against, ID), marked as an attack on that argument's step. A position's holders are
those its ``held_by`` names and those whose act asserts, agrees or concedes it.
"""

from __future__ import annotations

from .model import CLASS_OF, HOLDING_ACTS, Act, ActKind, Entry, Kind, Premise, Stance, premise_ref

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_FOR, _AGAINST = Stance.FOR, Stance.AGAINST


def entries(kind: Kind, records: list[dict[str, Any]]) -> tuple[Entry, ...]:
    cls = CLASS_OF[kind]
    return tuple(cls(**fields(kind, record)) for record in records)


def fields(kind: Kind, record: dict[str, Any]) -> dict[str, Any]:
    """The model's fields of one validated version-2 record."""
    out = dict(record)
    del out["__index"]
    if "acts" in out:
        out["acts"] = tuple(Act(**act) for act in out["acts"])
    if kind is Kind.POSITIONS:
        holders = list(out.get("held_by", ()))
        holders += [act.by for act in out.get("acts", ()) if act.act in HOLDING_ACTS]
        out["held_by"] = tuple(dict.fromkeys(holders))
        out.setdefault("agreement", None)
    elif kind is Kind.ARGUMENTS:
        if "premises" in out:
            out["premises"] = tuple(Premise(**premise) for premise in out["premises"])
        supports, attacks = out.pop("for", ()), out.pop("against", ())
        relations = [(_FOR, target) for target in supports] if supports else []
        if attacks:
            relations += [(_AGAINST, target) for target in attacks]
        if "undercuts" in out:
            relations.append((_AGAINST, out["undercuts"]))
        if any("." in target for _, target in relations):  # ARGUMENT.PREMISE: the argument's relation, aimed
            aims = [premise_ref(target) for _, target in relations]
            relations = [(stance, target) for (stance, _), (target, _) in zip(relations, aims, strict=True)]
            out["aims"] = tuple(aim or "" for _, aim in aims)
        (out["stance"], out["target"]), *also = relations
        if also:
            out["also"] = tuple(also)
    return out


# --------------------------------------------------------------------------
# The cache (kb.store) keeps plain values: version 2's nested ones as tuples

_NESTED = ("also", "premises", "acts")


def encode_rows(version: int, rows: dict[str, list[Any]], names: dict[Kind, tuple[str, ...]]) -> None:
    """Turn the relations, premises and acts of cached rows into plain tuples, in place
    (version 1 has none)."""
    if version < 2:
        return
    for kind in Kind:
        at = [(index, name) for index, name in enumerate(names[kind]) if name in _NESTED]
        if not at:
            continue
        made = []
        for row in rows[kind.value]:
            row = list(row)
            for index, name in at:
                if row[index]:
                    row[index] = tuple(_encode(name, item) for item in row[index])
            made.append(row)
        rows[kind.value] = made


def _encode(name: str, item: Any) -> tuple[Any, ...]:
    if name == "also":
        return (item[0].value, item[1])
    if name == "acts":
        return (item.by, item.act.value, item.quote, item.source)
    return (item.claim, item.quote, item.source, item.by, item.id, item.restates)


def decoders(version: int) -> dict[str, Callable[[Any], Any]]:
    """How to make a cached row's relations, premises and acts whole again, by field name: each
    applied to a column of values as the entries are made (no entry made twice); none for
    version 1."""
    return _DECODERS if version >= 2 else {}


#: the enums' members by value: a dict look-up, where calling the enum costs a microsecond
_STANCES: dict[str, Stance] = {member.value: member for member in Stance}
_ACT_KINDS: dict[str, ActKind] = {member.value: member for member in ActKind}


def _also(value: Any) -> Any:
    return tuple([(_STANCES[stance], target) for stance, target in value]) if value else value


def _premises(value: Any) -> Any:
    return tuple([Premise(*premise) for premise in value]) if value else value


def _acts(value: Any) -> Any:
    return tuple([Act(by, _ACT_KINDS[act], quote, source) for by, act, quote, source in value]) if value else value


_DECODERS: dict[str, Callable[[Any], Any]] = {"also": _also, "premises": _premises, "acts": _acts}
