"""Schema version 2's rules: acts and linked premises, and the graph of relations.

Version 2 lets an argument support or attack several targets, undercut another
argument's step, and lets attacks run in a circle (two claims that contradict each
other). What stays an error: a circle of supports, an argument that answers itself,
an argument no chain of relations leads from to a position (no view could place it),
a target named twice, and a holder who, by their own acts, only asked or disputed.

The functions here are :class:`policyx.kb.validate.Validator`'s, given the validator:
they word problems through it, with key paths that locating.locate turns into lines.
"""

from __future__ import annotations

from .model import HOLDING_ACTS, ActKind, Kind
from .problems import KEY, type_name
from .schema import ID_PATTERN, TARGET_FIELD, FieldSpec, stance_and_target
from .suggestions import did_you_mean

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any, Protocol

    from .problems import PathKey

    Record = dict[str, Any]

    class Validator(Protocol):
        """What these rules use of policyx.kb.validate.Validator (which imports this module)."""

        unchecked: frozenset[Kind]

        def problem(self, key_path: PathKey | None, message: str, entry: str | None = None,
                    hint: str | None = None) -> None: ...

        def _text(self, spec: FieldSpec, value: Any, where: PathKey, label: str, entry_id: str | None) -> Any: ...

        def _texts(self, spec: FieldSpec, value: Any, where: PathKey, label: str,
                   entry_id: str | None) -> tuple[str, ...] | None: ...

_FOR, _AGAINST = TARGET_FIELD.values()
_UNDERCUTS = "undercuts"


def check_items(validator: Validator, spec: FieldSpec, value: Any, where: PathKey, label: str,
                entry_id: str | None) -> tuple[Record, ...] | None:
    """A records field's value (``acts:``, ``premises:``), each item checked, or None."""
    example = "- {by: ACTOR, act: asserts, quote: ..., source: ID}" if spec.name == "acts" else "- claim: ..."
    if not isinstance(value, list) or not value:
        validator.problem(where, f"{label}: '{spec.name}' must be a list of mappings, not {type_name(value)}",
                          entry_id, f"write each under '{spec.name}:' as '{example}'")
        return None
    known = [item.name for item in spec.items]
    checked: list[Record] = []
    ok = True
    for position, item in enumerate(value):
        at: PathKey = (*where, position)
        name = f"{label}: {spec.name} #{position + 1}"
        if not isinstance(item, dict):
            validator.problem(at, f"{name} must be a mapping, not {type_name(item)}", entry_id, f"write '{example}'")
            ok = False
            continue
        record: Record = {}
        for key in item:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"allowed: {', '.join(known)}"
                validator.problem((*at, key, KEY), f"{name}: unknown field {key!r}", entry_id, hint)
                ok = False
        for field in spec.items:
            given = item.get(field.name)
            if given is None:
                if field.required:
                    validator.problem(at, f"{name}: missing required field {field.name!r}", entry_id,
                                      f"add '{field.name}:'")
                    ok = False
                continue
            check = validator._texts if field.kind == "reflist" else validator._text
            text = check(field, given, (*at, field.name), name, entry_id)
            if text is None:
                ok = False
            else:
                record[field.name] = text
        if "quote" in record and "source" not in record:
            validator.problem((*at, "quote"), f"{name}: has a quote but no 'source'", entry_id,
                              "add 'source: ID' naming where the quote comes from")
            ok = False
        checked.append(record)
    return tuple(checked) if ok else None


def answers_some(validator: Validator, item: dict[Any, Any], record: Record, where: PathKey, label: str,
                 entry_id: str | None) -> bool:
    """A version-2 argument answers through at least one of for/against/undercuts."""
    if any(name in record for name in (_FOR, _AGAINST, _UNDERCUTS)):
        return True
    if all(item.get(name) is None for name in (_FOR, _AGAINST, _UNDERCUTS)):  # else: already reported
        validator.problem(where, f"{label}: needs 'for: ID', 'against: ID' or 'undercuts: ID'", entry_id,
                          "name the position or argument it bears on")
    return False


def relations(record: Record) -> list[tuple[str, str]]:
    """(field, target) of a version-2 argument's record, in the order for, against, undercuts."""
    found = [(_FOR, target) for target in record.get(_FOR, ())]
    found += [(_AGAINST, target) for target in record.get(_AGAINST, ())]
    if _UNDERCUTS in record:
        found.append((_UNDERCUTS, record[_UNDERCUTS]))
    return found


def premise_refs(arguments: list[Record]) -> set[str]:
    """``ARGUMENT.PREMISE`` of every premise that has an id: what a relation or a restatement may name."""
    return {f"{record['id']}.{premise['id']}" for record in arguments for premise in record.get("premises", ())
            if "id" in premise}


def base(reference: str) -> str:
    """The entry a reference names: ``ARGUMENT.PREMISE`` -> ARGUMENT."""
    return reference.partition(".")[0]


def check_graph(validator: Validator, records: dict[Kind, list[Record]], ids: dict[Kind, set[str]],
                premises: set[str], bad: set[str]) -> None:
    """Version 2's rules across entries; marks the entries that break one in ``bad``."""
    _premise_ids(validator, records[Kind.ARGUMENTS], bad)
    _item_references(validator, records, ids, premises, bad)
    answers: dict[str, list[str]] = {}  # argument -> the entries it answers (a premise: its argument)
    for record in records[Kind.ARGUMENTS]:
        entry_id = record["id"]
        if entry_id in bad:
            continue
        found = relations(record)
        if len(found) > 1 or (found and ("." in found[0][1] or found[0][1] == entry_id)):  # else: nothing to check
            _own_relations(validator, record, found, bad)
        answers[entry_id] = [t if "." not in t else t.partition(".")[0] for _, t in found]
    for record in records[Kind.POSITIONS]:
        _holders(validator, record, bad)
    arguments = [r for r in records[Kind.ARGUMENTS] if r["id"] not in bad]
    _support_cycles(validator, arguments, bad)
    _reach(validator, [r for r in arguments if r["id"] not in bad], answers, bad)


def _premise_ids(validator: Validator, arguments: list[Record], bad: set[str]) -> None:
    """A premise's id is kebab-case and names one premise of its argument."""
    for record in arguments:
        seen: set[str] = set()
        for position, premise in enumerate(record.get("premises", ())):
            premise_id = premise.get("id")
            if premise_id is None:
                continue
            at: PathKey = (Kind.ARGUMENTS.value, record["__index"], "premises", position, "id")
            name = f"argument {record['id']!r}: premises #{position + 1}"
            if not ID_PATTERN.match(premise_id):
                validator.problem(at, f"{name}: id {premise_id!r} is not kebab-case", record["id"],
                                  "use lowercase letters, digits and single hyphens, e.g. 'id: p1'")
                bad.add(record["id"])
            elif premise_id in seen:
                validator.problem(at, f"{name}: id {premise_id!r} is used by an earlier premise of the argument",
                                  record["id"], "give each premise of an argument its own id")
                bad.add(record["id"])
            seen.add(premise_id)


def _item_references(validator: Validator, records: dict[Kind, list[Record]], ids: dict[Kind, set[str]],
                     premises: set[str], bad: set[str]) -> None:
    """The actors and sources that acts and premises name, and what premises restate."""
    restatable: set[str] = set()
    for record in records[Kind.ARGUMENTS]:
        for position, premise in enumerate(record.get("premises", ())):
            for at, restated in enumerate(premise.get("restates", ())):
                restatable = restatable or ids[Kind.POSITIONS] | ids[Kind.ARGUMENTS] | premises
                if restated in restatable or Kind.ARGUMENTS in validator.unchecked:
                    continue
                validator.problem((Kind.ARGUMENTS.value, record["__index"], "premises", position, "restates", at),
                                  f"argument {record['id']!r}: premises #{position + 1}: restates {restated!r} "
                                  "names no position, argument or premise (ARGUMENT.PREMISE)", record["id"],
                                  did_you_mean(restated, sorted(restatable)) or "add it first, or fix the id")
                bad.add(record["id"])
    actors, sources = ids[Kind.ACTORS], ids[Kind.SOURCES]
    for kind in (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS):
        for record in records[kind]:
            for name in ("acts", "premises"):
                items = record.get(name)
                if not items:
                    continue
                for position, item in enumerate(items):
                    by, source = item.get("by"), item.get("source")
                    if (by is None or by in actors) and (source is None or source in sources):
                        continue  # (the common case, checked at once)
                    for field, pool_kind in (("by", Kind.ACTORS), ("source", Kind.SOURCES)):
                        value = item.get(field)
                        if value is None or value in ids[pool_kind] or pool_kind in validator.unchecked:
                            continue
                        validator.problem(
                            (kind.value, record["__index"], name, position, field),
                            f"{kind.singular} {record['id']!r}: {name} #{position + 1}: {field} {value!r} "
                            f"names no {pool_kind.singular}", record["id"],
                            f"add the {pool_kind.singular} first, or fix the id")
                        bad.add(record["id"])


def _own_relations(validator: Validator, record: Record, found: list[tuple[str, str]], bad: set[str]) -> None:
    """An argument answers neither itself nor one of its own premises, and names each target once."""
    at: PathKey = (Kind.ARGUMENTS.value, record["__index"])
    entry_id = record["id"]
    seen: dict[str, str] = {}
    for field, target in found:
        if base(target) == entry_id:
            validator.problem((*at, field), f"argument {entry_id!r}: answers itself ('{field}: {target}')",
                              entry_id, "name the position or argument it answers")
            bad.add(entry_id)
        elif target in seen:
            where = f"twice in '{field}'" if seen[target] == field else f"in both '{seen[target]}' and '{field}'"
            validator.problem((*at, field), f"argument {entry_id!r}: names {target!r} {where}", entry_id,
                              "an argument bears on each target one way: keep one"
                              + ("; 'undercuts' attacks its step, 'against' its claim"
                                 if _UNDERCUTS in (field, seen[target]) else ""))
            bad.add(entry_id)
        else:
            seen[target] = field


def _holders(validator: Validator, record: Record, bad: set[str]) -> None:
    """"Held by" means asserted or agreed: a holder whose own acts only ask or dispute is a contradiction."""
    acts: dict[str, set[ActKind]] = {}
    for act in record.get("acts", ()):
        acts.setdefault(act["by"], set()).add(act["act"])
    for position, actor in enumerate(record.get("held_by", ())):
        done = acts.get(actor)
        if done and not done & HOLDING_ACTS:
            what = ", ".join(sorted(kind.value for kind in done))
            validator.problem((Kind.POSITIONS.value, record["__index"], "held_by", position),
                              f"position {record['id']!r}: held_by names {actor!r}, whose acts on it are only: "
                              f"{what}", record["id"],
                              "a person holds a claim only by asserting, agreeing or conceding: remove them "
                              "from held_by, or record the act by which they hold it")
            bad.add(record["id"])


def _support_cycles(validator: Validator, arguments: list[Record], bad: set[str]) -> None:
    """A circle of supports (attacks may run in circles)."""
    supports = {r["id"]: [t if "." not in t else t.partition(".")[0] for t in r[_FOR]] for r in arguments
                if _FOR in r}
    by_id = {r["id"]: r for r in arguments}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in supports:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, at = stack[-1]
            nexts = supports.get(node, [])
            if at == len(nexts):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, at + 1)
            target = nexts[at]
            if target not in supports:
                continue
            if state.get(target) == 1:
                loop = path[path.index(target):]
                first = min(loop, key=lambda i: by_id[i]["__index"])
                chain = " -> ".join([*loop, loop[0]])
                validator.problem((Kind.ARGUMENTS.value, by_id[first]["__index"]),
                                  f"argument {first!r}: support cycle {chain}", first,
                                  "a claim cannot support itself through others; attacks may run in a circle, "
                                  "supports may not")
                bad.update(loop)
            elif not state.get(target):
                state[target] = 1
                path.append(target)
                stack.append((target, 0))


def _reach(validator: Validator, arguments: list[Record], answers: dict[str, list[str]], bad: set[str]) -> None:
    """Every argument leads, through some chain of its relations, to a position."""
    answered_by: dict[str, list[str]] = {}
    for record in arguments:
        entry_id = record["id"]
        for target in answers[entry_id]:
            if target in answered_by:
                answered_by[target].append(entry_id)
            else:
                answered_by[target] = [entry_id]
    ids = {r["id"] for r in arguments}
    reached: set[str] = set()
    # a position, or an argument with a problem of its own (reported already): a start
    todo = [a for target, answers in answered_by.items() if target not in ids for a in answers]
    while todo:
        node = todo.pop()
        if node in reached:
            continue
        reached.add(node)
        todo.extend(answered_by.get(node, ()))
    for record in arguments:
        if record["id"] not in reached:
            chain = ", ".join(target for _, target in relations(record))
            validator.problem((Kind.ARGUMENTS.value, record["__index"]),
                              f"argument {record['id']!r}: leads to no position (it answers {chain}, "
                              "and no chain of answers from there reaches one)", record["id"],
                              "an argument must lead, through for/against/undercuts, to a position")
            bad.add(record["id"])


def tree_cycles(validator: Validator, arguments: list[Record], bad: set[str]) -> None:
    """Version 1: report (and mark bad) the arguments whose for/against lead round in a loop."""
    target: dict[str, str] = {a["id"]: stance_and_target(a)[1] for a in arguments}
    by_id = {a["id"]: a for a in arguments}
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to end at a position
    for start in target:
        walk: list[str] = []
        node = start
        while node in target and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = target[node]
        if node in target and state.get(node) == 1:
            loop = walk[walk.index(node):]
            _cycle(validator, by_id, loop)
            bad.update(loop)
        for item in walk:
            state[item] = 2

def _cycle(validator: Validator, by_id: dict[str, Record], loop: list[str]) -> None:
    first = min(loop, key=lambda i: by_id[i]["__index"])
    index = by_id[first]["__index"]
    if len(loop) == 1:
        stance = TARGET_FIELD[stance_and_target(by_id[first])[0]]
        validator.problem(("arguments", index, stance), f"argument {first!r}: answers itself "
                     f"('{stance}: {first}')", first, "name the position or argument it answers")
    else:
        chain = " -> ".join([*loop, loop[0]])
        validator.problem(("arguments", index), f"argument {first!r}: rebuttal cycle {chain}", first,
                     "an argument must lead, through for/against, to a position")
