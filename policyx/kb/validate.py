"""Validation: plain data (as parsed from YAML) -> records, collecting every problem.

Two validators, one table. :class:`Validator` checks everything and words
every problem (with a key path, for problems.locate to turn into a line);
:func:`clean_entry` is its hot loop, for the entries with nothing wrong:
it gives the same record as :meth:`Validator.entry`, or None at the first
doubt, and then the full check runs. Both are driven by schema.FIELDS, and
tests/test_fastload.py feeds both the same entries and compares what they give.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from . import schema
from .errors import Problem
from .model import Kind
from .problems import KEY, QUOTE_HINTS, PathKey, a_kind, did_you_mean, missing_hint, type_name
from .schema import (
    ANSWERING_KINDS,
    FIELDS,
    ID_PATTERN,
    QUOTED_KINDS,
    SCHEMA_VERSION,
    TARGET_FIELD,
    TOP_LEVEL,
    FieldSpec,
    stance_and_target,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


class Validator:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.paths: list[PathKey | None] = []
        self.dropped = 0
        # ids that an entry claims but does not get (a duplicate, or a non-kebab id
        # whose kebab form is suggested): references to them are not reported again
        self.claimed: list[tuple[Kind, str]] = []

    def problem(
        self, key_path: PathKey | None, message: str, entry: str | None = None,
        hint: str | None = None,
    ) -> None:
        if len(self.problems) < schema.MAX_PROBLEMS:
            self.problems.append(Problem(message, self.path, entry=entry, hint=hint))
            self.paths.append(key_path)
        else:
            self.dropped += 1

    def run(self, data: Any) -> dict[Kind, list[dict[str, Any]]]:
        records: dict[Kind, list[dict[str, Any]]] = {kind: [] for kind in Kind}
        if data is None:
            self.problem(None, "the file is empty", hint="start from the bundled positions.yaml")
            return records
        if not isinstance(data, dict):
            self.problem((), f"the top level must be a mapping of collections, not {type_name(data)}",
                         hint="start the file with 'version: 1'")
            return records
        for key in data:
            if key not in TOP_LEVEL:
                hint = did_you_mean(str(key), TOP_LEVEL) or f"allowed keys: {', '.join(TOP_LEVEL)}"
                self.problem((key, KEY), f"unknown top-level key {key!r}", hint=hint)
        version = data.get("version")
        if version is None:
            self.problem((), "missing 'version'", hint="add 'version: 1' at the top")
        elif isinstance(version, str) and version.strip() == str(SCHEMA_VERSION):
            self.problem(("version",), f"'version' must be the number {SCHEMA_VERSION}, not the text {version!r}",
                         hint=f"write 'version: {SCHEMA_VERSION}' without quotes")
        elif version != SCHEMA_VERSION or isinstance(version, bool):
            self.problem(("version",), f"unsupported schema version {version!r}", hint="this policyx reads version 1")
        title = data.get("title")
        if title is not None and not isinstance(title, str):
            self.problem(("title",), "'title' must be a string")
        seen: dict[str, tuple[Kind, int]] = {}
        for kind in Kind:
            items = data.get(kind.value)
            if items is None:
                continue
            if not isinstance(items, list):
                self.problem((kind.value,), f"'{kind.value}' must be a list of entries, not {type_name(items)}",
                             hint=f"write each entry as '- id: ...' under '{kind.value}:'")
                if isinstance(items, dict) and isinstance(items.get("id"), str):  # one entry without its '- '
                    self.claimed.append((kind, items["id"]))
                continue
            clean = clean_entry(kind)
            for index, item in enumerate(items):
                record = clean(index, item, seen)
                if record is None:  # something is wrong: the full check words it
                    record = self.entry(kind, index, item, seen)
                else:  # the bookkeeping entry() does for a valid entry (keep the two in step)
                    seen[record["id"]] = (kind, index)
                if record is not None:
                    records[kind].append(record)
        # Every well-formed id by collection, valid entry or not (both the fast and
        # the full check record ids in `seen`): references to an entry that has its
        # own problem are not reported again as unknown.
        declared: dict[Kind, set[str]] = {kind: set() for kind in Kind}
        for entry_id, (kind, _) in seen.items():
            declared[kind].add(entry_id)
        for kind, entry_id in self.claimed:
            declared[kind].add(entry_id)
        self.references(records, declared)
        return records

    def entry(
        self, kind: Kind, index: int, item: Any, seen: dict[str, tuple[Kind, int]]
    ) -> dict[str, Any] | None:
        where: PathKey = (kind.value, index)
        name = f"{kind.singular} #{index + 1}"
        if not isinstance(item, dict):
            hint = None
            if isinstance(item, str) and ID_PATTERN.match(item):  # `- parents`: an id alone
                hint = f"write '- id: {item}' and its fields below it"
                self.claimed.append((kind, item))
            self.problem(where, f"{name} must be a mapping of fields, not {type_name(item)}", hint=hint)
            return None
        raw_id = item.get("id")
        entry_id: str | None = None
        if raw_id is None:
            self.problem(where, f"{name} has no 'id'", hint="add a unique kebab-case id")
        elif not isinstance(raw_id, str):
            self.problem((*where, "id"), f"{name}: 'id' must be a string, not {type_name(raw_id)}",
                         hint="quote it or use words, e.g. 'id: arg-12'" + (
                             "; YAML reads yes, no, on, off, true and false as booleans"
                             if isinstance(raw_id, bool) else ""))
        elif not ID_PATTERN.match(raw_id):
            hint = "use lowercase letters, digits and single hyphens"
            folded = unicodedata.normalize("NFKD", raw_id).encode("ascii", "ignore").decode()  # é -> e
            kebab = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
            if ID_PATTERN.match(kebab):
                hint += f", e.g. {kebab!r}"
                self.claimed.append((kind, kebab))
            self.problem((*where, "id"), f"{kind.singular} {raw_id!r}: id is not kebab-case",
                         entry=raw_id, hint=hint)
        else:
            entry_id = raw_id
            if raw_id in seen:
                other_kind, other_index = seen[raw_id]
                self.problem((*where, "id"), f"{kind.singular} {raw_id!r}: duplicate id, already used by "
                             f"{other_kind.singular} #{other_index + 1}",
                             entry=raw_id, hint="ids must be unique across the whole file")
                self.claimed.append((kind, raw_id))
                entry_id = None  # not kept: with a second entry under one id, every reference would be ambiguous
            else:
                seen[raw_id] = (kind, index)
        label = f"{kind.singular} {raw_id!r}" if isinstance(raw_id, str) and raw_id else name
        specs = FIELDS[kind]
        known = {spec.name: spec for spec in specs}
        ok = entry_id is not None
        for key in item:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"allowed: {', '.join(known)}"
                self.problem((*where, key, KEY), f"{label}: unknown field {key!r}", entry_id, hint)
                ok = False
        record: dict[str, Any] = {}
        for spec in specs:
            if spec.name == "id":  # checked above
                if entry_id is not None:
                    record["id"] = entry_id
                continue
            value = item.get(spec.name)
            if value is None:
                if spec.required:
                    self.problem(where, f"{label}: missing required field {spec.name!r}", entry_id,
                                 missing_hint(spec))
                    ok = False
                continue
            checked = self.value(spec, value, (*where, spec.name), label, entry_id)
            if checked is None:
                ok = False
            else:
                record[spec.name] = checked
        if kind in ANSWERING_KINDS:
            has_for, has_against = (name in record for name in TARGET_FIELD.values())
            if has_for and has_against:
                self.problem(where, f"{label}: has both 'for' and 'against'", entry_id, "keep exactly one")
                ok = False
            elif not has_for and not has_against:
                if all(item.get(name) is None for name in TARGET_FIELD.values()):  # else: already reported
                    self.problem(where, f"{label}: needs 'for: ID' or 'against: ID'", entry_id,
                                 "name the position or argument it bears on")
                ok = False
        if kind in QUOTED_KINDS and "quote" in record and "source" not in record:
            self.problem((*where, "quote"), f"{label}: has a quote but no 'source'", entry_id,
                         "add 'source: ID' naming where the quote comes from")
            ok = False
        record["__index"] = index
        return record if ok else None

    def value(self, spec: FieldSpec, value: Any, where: PathKey, label: str, entry_id: str | None) -> Any:
        import datetime  # only entries in doubt get here; a valid file never pays for it

        if spec.kind in ("str", "ref", "enum"):
            if spec.name == "date" and isinstance(value, (datetime.date, datetime.datetime)):
                return value.isoformat()  # `date: 2024-05-01` is what an author means
            if not isinstance(value, str) or isinstance(value, bool):
                if spec.enum is not None:
                    hint = "one of: " + ", ".join(member.value for member in spec.enum)
                    if isinstance(value, bool):
                        hint += "; YAML reads yes, no, on, off, true and false as booleans"
                elif spec.kind == "ref":
                    hint = "write one id; to name several, use several entries"
                elif not isinstance(value, (list, dict)):
                    hint = "put the value in quotes"
                else:
                    hint = f"write '{spec.name}' as one text"
                if spec.kind == "ref" and isinstance(value, (bool, int, float, datetime.date)):
                    hint = "put the id in quotes: YAML reads yes, no, on, off, numbers and dates as other types"
                self.problem(where, f"{label}: '{spec.name}' must be a string, not {type_name(value)}", entry_id, hint)
                return None
            if not value.strip():
                self.problem(where, f"{label}: '{spec.name}' is empty", entry_id,
                             "fill it in" if spec.required else "fill it in, or remove the line")
                return None
            if spec.kind == "enum":
                assert spec.enum is not None
                allowed = [member.value for member in spec.enum]
                if value not in allowed:
                    hint = did_you_mean(value, allowed) or f"one of: {', '.join(allowed)}"
                    self.problem(where, f"{label}: '{spec.name}' is {value!r}, not one of {', '.join(allowed)}",
                                 entry_id, hint)
                    return None
                return spec.enum(value)
            return value
        if spec.kind in ("strlist", "reflist"):
            if isinstance(value, str) and spec.kind == "reflist":
                value = [value]
            if not isinstance(value, list):
                self.problem(where, f"{label}: '{spec.name}' must be a list, not {type_name(value)}", entry_id,
                             f"write '{spec.name}: [a, b]'")
                return None
            items: list[str] = []
            for position, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.problem((*where, position), f"{label}: '{spec.name}' items must be non-empty strings, "
                                 f"not {type_name(item)}", entry_id, QUOTE_HINTS.get(type_name(item)))
                    return None
                items.append(item)
            if spec.required and not items:
                self.problem(where, f"{label}: '{spec.name}' is empty", entry_id,
                             f"name at least one, e.g. '{spec.name}: [an-id]'" if spec.kind == "reflist"
                             else "give at least one item")
                return None
            return tuple(items)
        raise AssertionError(spec.kind)  # pragma: no cover

    def references(self, records: dict[Kind, list[dict[str, Any]]], ids: dict[Kind, set[str]]) -> None:
        bad: set[str] = set()
        pools: dict[tuple[Kind, ...], set[str]] = {}  # one pool per kind of reference, not per record
        for kind in Kind:
            refs = [spec for spec in FIELDS[kind] if spec.kind in ("ref", "reflist")]
            for spec in refs:
                if spec.refs not in pools:
                    pools[spec.refs] = set().union(*(ids[k] for k in spec.refs))
            for record in records[kind]:
                for spec in refs:
                    if spec.name not in record:
                        continue
                    pool = pools[spec.refs]
                    values = record[spec.name] if spec.kind == "reflist" else (record[spec.name],)
                    for position, value in enumerate(values):
                        if value in pool:
                            continue
                        what = " or ".join(k.singular for k in spec.refs)
                        where: PathKey = (kind.value, record["__index"], spec.name)
                        if spec.kind == "reflist":
                            where = (*where, position)
                        other = next((k for k in Kind if k not in spec.refs and value in ids[k]), None)
                        if other is not None:  # `for:` naming a question, `held_by:` naming a position...
                            self.problem(
                                where, f"{kind.singular} {record['id']!r}: {spec.name} {value!r} is "
                                f"{a_kind(other)}, not {' or '.join(a_kind(k) for k in spec.refs)}", record["id"],
                                f"'{spec.name}' takes the id of {' or '.join(a_kind(k) for k in spec.refs)}",
                            )
                            bad.add(record["id"])
                            continue
                        known = ", ".join(sorted(pool)[:8]) + (", ..." if len(pool) > 8 else "")
                        hint = did_you_mean(value, pool) or (
                            f"known {' and '.join(k.value for k in spec.refs)}: {known}" if pool
                            else f"add the {what} first")
                        self.problem(
                            where,
                            f"{kind.singular} {record['id']!r}: {spec.name} {value!r} names no {what}",
                            record["id"], hint,
                        )
                        bad.add(record["id"])
        self.cycles(records[Kind.ARGUMENTS], bad)
        for kind in Kind:
            records[kind] = [r for r in records[kind] if r["id"] not in bad]

    def cycles(self, arguments: list[dict[str, Any]], bad: set[str]) -> None:
        target: dict[str, str] = {a["id"]: stance_and_target(a)[1] for a in arguments}
        index: dict[str, int] = {a["id"]: a["__index"] for a in arguments}
        index_of: dict[str, int] = {a["id"]: position for position, a in enumerate(arguments)}
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
                first = min(loop, key=lambda i: index[i])
                chain = " -> ".join([*loop, node])
                if len(loop) == 1:
                    stance = TARGET_FIELD[stance_and_target(arguments[index_of[first]])[0]]
                    self.problem(("arguments", index[first], stance), f"argument {first!r}: answers itself "
                                 f"('{stance}: {first}')", first, "name the position or argument it answers")
                else:
                    self.problem(("arguments", index[first]), f"argument {first!r}: rebuttal cycle {chain}", first,
                                 "an argument must lead, through for/against, to a position")
                bad.update(loop)
            for item in walk:
                state[item] = 2


_STR_FIELD, _ENUM_FIELD, _LIST_FIELD, _REFLIST_FIELD = range(4)
_CLEAN: dict[Kind, Callable[[int, Any, dict[str, tuple[Kind, int]]], dict[str, Any] | None]] = {}


def clean_entry(kind: Kind) -> Callable[[int, Any, dict[str, tuple[Kind, int]]], dict[str, Any] | None]:
    """The hot loop of validation: ``clean(index, item, seen)`` returns the record of
    an entry with nothing wrong, exactly as :meth:`_Validator.entry` would, and
    None at the first doubt, for ``entry`` to check (and word) in full. It has
    no side effects: the caller does entry()'s bookkeeping for a valid entry."""
    if kind in _CLEAN:
        return _CLEAN[kind]
    codes = {"str": _STR_FIELD, "ref": _STR_FIELD, "enum": _ENUM_FIELD, "strlist": _LIST_FIELD,
             "reflist": _REFLIST_FIELD}
    specs = [
        (spec.name, codes[spec.kind], spec.required, {m.value: m for m in spec.enum} if spec.enum else {})
        for spec in FIELDS[kind]
    ]
    known = frozenset(spec.name for spec in FIELDS[kind])
    one_target = kind in ANSWERING_KINDS
    quoted = kind in QUOTED_KINDS
    first, second = TARGET_FIELD.values()
    match = ID_PATTERN.match

    def clean(index: int, item: Any, seen: dict[str, tuple[Kind, int]]) -> dict[str, Any] | None:
        if type(item) is not dict:
            return None
        raw_id = item.get("id")
        if type(raw_id) is not str or raw_id in seen or match(raw_id) is None or not known.issuperset(item):
            return None
        record: dict[str, Any] = {}
        for name, code, required, members in specs:
            value = item.get(name)
            if value is None:
                if required:
                    return None
                continue
            if code == _STR_FIELD:
                if type(value) is not str or not value.strip():
                    return None
            elif code == _ENUM_FIELD:
                value = members.get(value) if type(value) is str else None
                if value is None:
                    return None
            else:
                if code == _REFLIST_FIELD and type(value) is str:
                    value = [value]
                if type(value) is not list or (required and not value):
                    return None
                for part in value:
                    if type(part) is not str or not part.strip():
                        return None
                value = tuple(value)
            record[name] = value
        if one_target and (first in record) == (second in record):
            return None
        if quoted and "quote" in record and "source" not in record:
            return None
        record["__index"] = index
        return record

    _CLEAN[kind] = clean
    return clean
