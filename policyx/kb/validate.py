"""Validation: plain data (as parsed from YAML) -> records, collecting every problem.

Two validators, one table. :class:`Validator` checks everything and words
every problem (with a key path, for locating.locate to turn into a line);
:func:`clean_entry` is its hot loop, for the entries with nothing wrong:
it gives the same record as :meth:`Validator.entry`, or None at the first
doubt, and then the full check runs. Both read schema.FIELDS, and
tests/test_fastload.py feeds both the same entries and compares what they give.

A record is a dict of an entry's fields, checked and converted (enum members,
tuples), plus ``__index``, the entry's place in its collection.
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial

from . import graphrules, schema
from .errors import Problem
from .fastcheck import clean_entry
from .model import Kind
from .problems import KEY, QUOTE_HINTS, PathKey, a_kind, is_date, missing_hint, type_name
from .schema import FIELDS, ID_PATTERN, TARGET_FIELD, FieldSpec
from .suggestions import Suggestions, closest, did_you_mean, suggest_choice

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    Record = dict[str, Any]
    Seen = dict[str, tuple[Kind, int]]

_REFS = ("ref", "reflist")
_LISTS = ("strlist", "reflist")
#: The fields of each collection that only schema version 2 knows.
_LATER: dict[Kind, frozenset[str]] = {
    kind: frozenset(spec.name for spec in specs if spec.since > 1) for kind, specs in FIELDS.items()
}
#: How to upgrade a version-1 file that uses what version 2 brought.
UPGRADE = ("write 'version: 2' at the top of the file: a version-1 file is valid as version 2 "
           "(see docs/schema.md, \"Version 2\")")


class Validator:
    """The full check of a knowledge base's data: :meth:`run` gives the records of
    the valid entries; ``problems`` (with ``paths``, their key paths) says what is wrong."""

    def __init__(self, path: str, given: Mapping[str, tuple[Kind, str]] | None = None,
                 included: bool = False) -> None:
        self.path = path
        #: ids the file's included files already have (id -> collection, file): taken, and referable
        self.given = given or {}
        #: the file is included by another: it may hold only schema.INCLUDED_TOP_LEVEL
        self.included = included
        #: collections whose ids are not all known (an include that failed): references
        #: to them are not reported as unknown (the include's own problem says why)
        self.unchecked: frozenset[Kind] = frozenset()
        self.problems: list[Problem] = []
        self.paths: list[PathKey | None] = []
        self.dropped = 0
        # ids that an entry claims but does not get (a duplicate, or a non-kebab id
        # whose kebab form is suggested): references to them are not reported again
        self.claimed: list[tuple[Kind, str]] = []
        # the ids a reference may name, indexed once per pool for did-you-mean hints
        self._suggestions: dict[int, Suggestions] = {}
        #: the file's schema version (version 1's rules until the file says otherwise)
        self.version = 1

    def fields(self, kind: Kind) -> tuple[FieldSpec, ...]:
        """The fields of ``kind`` in the file's schema version."""
        return schema.fields_of(kind, self.version)

    @property
    def full(self) -> bool:
        """Whether as many problems as are reported have been found: later ones are only counted."""
        return len(self.problems) >= schema.MAX_PROBLEMS

    def problem(
        self, key_path: PathKey | None, message: str, entry: str | None = None,
        hint: str | None = None,
    ) -> None:
        if len(self.problems) < schema.MAX_PROBLEMS:
            self.problems.append(Problem(message, self.path, entry=entry, hint=hint))
            self.paths.append(key_path)
        else:
            self.dropped += 1

    def run(self, data: Any) -> dict[Kind, list[Record]]:
        records: dict[Kind, list[Record]] = {kind: [] for kind in Kind}
        if not self._top_level(data):
            return records
        seen: Seen = {entry_id: (kind, -1) for entry_id, (kind, _) in self.given.items()}
        for kind in Kind:
            self._collection(kind, data.get(kind.value), records[kind], seen)
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

    def _top_level(self, data: Any) -> bool:
        """Check the file's top level; False when there are no collections to look into."""
        if data is None:
            self.problem(None, "the file is empty", hint="start from the bundled positions.yaml")
            return False
        if not isinstance(data, dict):
            self.problem((), f"the top level must be a mapping of collections, not {type_name(data)}",
                         hint="start the file with 'version: 1'")
            return False
        for key in data:
            if key not in schema.TOP_LEVEL:
                hint = did_you_mean(str(key), schema.TOP_LEVEL) or f"allowed keys: {', '.join(schema.TOP_LEVEL)}"
                self.problem((key, KEY), f"unknown top-level key {key!r}", hint=hint)
            elif self.included and key not in schema.INCLUDED_TOP_LEVEL:
                self.problem((key, KEY), f"{key!r} cannot be in an included file, which holds only actors and models",
                             hint="move it to the knowledge base that includes this file")
        self._version(data.get("version"))
        title = data.get("title")
        if title is not None and not isinstance(title, str):
            self.problem(("title",), "'title' must be a string")
        name = data.get("name")
        if name is not None and (not isinstance(name, str) or not ID_PATTERN.match(name)):
            self.problem(("name",), f"'name' must be kebab-case, like an id, not {name!r}",
                         hint="lowercase letters, digits and single hyphens, e.g. 'name: hearing-2'")
        return True

    def _version(self, version: Any) -> None:
        known = schema.SCHEMA_VERSIONS
        if version is None:
            self.problem((), "missing 'version'", hint="add 'version: 1' at the top")
        elif isinstance(version, str) and version.strip() in {str(v) for v in known}:
            wanted = version.strip()
            self.problem(("version",), f"'version' must be the number {wanted}, not the text {version!r}",
                         hint=f"write 'version: {wanted}' without quotes")
        elif version not in known or isinstance(version, bool):
            self.problem(("version",), f"unsupported schema version {version!r}",
                         hint="this policyx reads versions 1 and 2")
            self.version = schema.SCHEMA_VERSION
        else:
            self.version = version

    def _collection(self, kind: Kind, items: Any, records: list[Record], seen: Seen) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            self.problem((kind.value,), f"'{kind.value}' must be a list of entries, not {type_name(items)}",
                         hint=f"write each entry as '- id: ...' under '{kind.value}:'")
            if isinstance(items, dict) and isinstance(items.get("id"), str):  # one entry without its '- '
                self.claimed.append((kind, items["id"]))
            return
        clean = clean_entry(kind, self.version)
        for index, item in enumerate(items):
            record = clean(index, item, seen)
            if record is None:  # something is wrong: the full check words it
                record = self.entry(kind, index, item, seen)
            else:  # the bookkeeping entry() does for a valid entry (keep the two in step)
                seen[record["id"]] = (kind, index)
            if record is not None:
                records.append(record)

    def entry(self, kind: Kind, index: int, item: Any, seen: Seen) -> Record | None:
        """The record of one entry, or None after saying what is wrong with it.
        Records its id in ``seen`` (a well-formed id, not already taken)."""
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
        entry_id = self._id(kind, index, raw_id, seen)
        label = f"{kind.singular} {raw_id!r}" if isinstance(raw_id, str) and raw_id else name
        ok = self._known_fields(kind, item, where, label, entry_id) and entry_id is not None
        record: Record = {} if entry_id is None else {"id": entry_id}
        ok = self._fields(kind, item, record, where, label, entry_id, _misspelt(self.fields(kind), item)) and ok
        ok = self._rules(kind, item, record, where, label, entry_id) and ok
        record["__index"] = index
        return record if ok else None

    def _id(self, kind: Kind, index: int, raw_id: Any, seen: Seen) -> str | None:
        """The entry's id if it can be kept (well formed, not taken), after saying what is wrong."""
        where: PathKey = (kind.value, index, "id")
        name = f"{kind.singular} #{index + 1}"
        if raw_id is None:
            self.problem(where[:2], f"{name} has no 'id'", hint="add a unique kebab-case id")
        elif not isinstance(raw_id, str):
            self.problem(where, f"{name}: 'id' must be a string, not {type_name(raw_id)}",
                         hint="quote it or use words, e.g. 'id: arg-12'" + (
                             "; YAML reads yes, no, on, off, true and false as booleans"
                             if isinstance(raw_id, bool) else ""))
        elif not ID_PATTERN.match(raw_id):
            self.problem(where, f"{kind.singular} {raw_id!r}: id is not kebab-case", entry=raw_id,
                         hint=self._kebab_hint(kind, raw_id))
        elif raw_id in seen and seen[raw_id][1] < 0:  # an included file's
            other_kind, other_file = self.given[raw_id]
            self.problem(where, f"{kind.singular} {raw_id!r}: duplicate id, already used by "
                         f"{other_kind.singular} {raw_id!r} of the included file {other_file}",
                         entry=raw_id, hint="ids must be unique across a file and the files it includes")
            self.claimed.append((kind, raw_id))
        elif raw_id in seen:
            other_kind, other_index = seen[raw_id]
            self.problem(where, f"{kind.singular} {raw_id!r}: duplicate id, already used by "
                         f"{other_kind.singular} #{other_index + 1}",
                         entry=raw_id, hint="ids must be unique across the whole file")
            self.claimed.append((kind, raw_id))
            # not kept: with a second entry under one id, every reference would be ambiguous
        else:
            seen[raw_id] = (kind, index)
            return raw_id
        return None

    def _kebab_hint(self, kind: Kind, raw_id: str) -> str:
        hint = "use lowercase letters, digits and single hyphens"
        folded = unicodedata.normalize("NFKD", raw_id).encode("ascii", "ignore").decode()  # é -> e
        kebab = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
        if ID_PATTERN.match(kebab):
            hint += f", e.g. {kebab!r}"
            self.claimed.append((kind, kebab))
        return hint

    def _known_fields(self, kind: Kind, item: dict[Any, Any], where: PathKey, label: str,
                      entry_id: str | None) -> bool:
        known = [spec.name for spec in self.fields(kind)]
        ok = True
        for key in item:
            if key not in known and self.version < 2 and key in _LATER[kind]:
                self.problem((*where, key, KEY), f"{label}: {key!r} needs schema version 2", entry_id, UPGRADE)
                ok = False
            elif key not in known:
                hint = did_you_mean(str(key), known) or f"allowed: {', '.join(known)}"
                self.problem((*where, key, KEY), f"{label}: unknown field {key!r}", entry_id, hint)
                ok = False
        return ok

    def _fields(self, kind: Kind, item: dict[Any, Any], record: Record, where: PathKey, label: str,
                entry_id: str | None, misspelt: frozenset[str] = frozenset()) -> bool:
        """Check each field but the id (checked first) into ``record``. A required field in
        ``misspelt`` is there under another spelling (``held-by:``): the unknown field's
        message, with its did-you-mean, already says so, so it is not reported missing too."""
        ok = True
        for spec in self.fields(kind):
            value = item.get(spec.name)
            if spec.name == "id":
                continue
            if value is None:
                if spec.required:
                    if spec.name not in misspelt:
                        self.problem(where, f"{label}: missing required field {spec.name!r}", entry_id,
                                     missing_hint(spec))
                    ok = False
                continue
            checker = (self._texts if spec.kind in _LISTS else self._text if spec.kind != "records"
                       else partial(graphrules.check_items, self))
            checked = checker(spec, value, (*where, spec.name), label, entry_id)
            if checked is None:
                ok = False
            else:
                record[spec.name] = checked
        return ok

    def _rules(self, kind: Kind, item: dict[Any, Any], record: Record, where: PathKey, label: str,
               entry_id: str | None) -> bool:
        """The rules between fields: exactly one of for/against; a quote names its source."""
        ok = True
        if kind in schema.ANSWERING_KINDS and self.version >= 2:
            ok = graphrules.answers_some(self, item, record, where, label, entry_id)
        elif kind in schema.ANSWERING_KINDS:
            has_for, has_against = (name in record for name in TARGET_FIELD.values())
            if has_for and has_against:
                self.problem(where, f"{label}: has both 'for' and 'against'", entry_id, "keep exactly one")
                ok = False
            elif not has_for and not has_against:
                if all(item.get(name) is None for name in TARGET_FIELD.values()):  # else: already reported
                    self.problem(where, f"{label}: needs 'for: ID' or 'against: ID'", entry_id,
                                 "name the position or argument it bears on")
                ok = False
        for quote, source in schema.QUOTE_SOURCES[kind]:
            if quote in record and source not in record:
                what = "a quote" if quote == "quote" else f"'{quote}'"
                self.problem((*where, quote), f"{label}: has {what} but no '{source}'", entry_id,
                             f"add '{source}: ID' naming where the quote comes from")
                ok = False
        return ok

    def _text(self, spec: FieldSpec, value: Any, where: PathKey, label: str, entry_id: str | None) -> Any:
        """A text, id or enum field's value, checked (an enum's member), or None."""
        if spec.name == "date" and is_date(value):
            return value.isoformat()  # `date: 2024-05-01` is what an author means
        if not isinstance(value, str):
            hint = UPGRADE if spec.many_since and isinstance(value, list) else _not_text_hint(spec, value)
            self.problem(where, f"{label}: '{spec.name}' must be a string, not {type_name(value)}", entry_id, hint)
            return None
        if not value.strip():
            self.problem(where, f"{label}: '{spec.name}' is empty", entry_id,
                         "fill it in" if spec.required else "fill it in, or remove the line")
            return None
        if spec.enum is None:
            return value
        allowed = [member.value for member in spec.enum]
        if value not in allowed:
            # the message lists the choices: the hint only adds what was probably meant
            self.problem(where, f"{label}: '{spec.name}' is {value!r}, not one of {', '.join(allowed)}",
                         entry_id, suggest_choice(value, allowed))
            return None
        return spec.enum(value)

    def _texts(self, spec: FieldSpec, value: Any, where: PathKey, label: str,
               entry_id: str | None) -> tuple[str, ...] | None:
        """A list field's value, checked, as a tuple, or None."""
        if isinstance(value, str) and spec.kind == "reflist":
            value = [value]
        if not isinstance(value, list):
            self.problem(where, f"{label}: '{spec.name}' must be a list, not {type_name(value)}", entry_id,
                         f"write '{spec.name}: [a, b]'")
            return None
        for position, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.problem((*where, position), f"{label}: '{spec.name}' items must be non-empty strings, "
                             f"not {type_name(item)}", entry_id, QUOTE_HINTS.get(type_name(item)))
                return None
        if spec.required and not value:
            self.problem(where, f"{label}: '{spec.name}' is empty", entry_id,
                         f"name at least one, e.g. '{spec.name}: [an-id]'" if spec.kind == "reflist"
                         else "give at least one item")
            return None
        return tuple(value)

    def references(self, records: dict[Kind, list[Record]], ids: dict[Kind, set[str]]) -> None:
        """Check that every reference names an entry of the right collection, and that
        rebuttals lead to a position; drop the records that fail."""
        bad: set[str] = set()
        pools: dict[tuple[Kind, ...], set[str]] = {}  # one pool per kind of reference, not per record
        premises = graphrules.premise_refs(records[Kind.ARGUMENTS]) if self.version >= 2 else set()
        wide: dict[tuple[Kind, ...], set[str]] = {}  # the same, with premises (ARGUMENT.PREMISE)
        for kind in Kind:
            refs = [(spec, _pool(pools, spec.refs, ids) if not (spec.premises and premises)
                     else wide.get(spec.refs) or wide.setdefault(spec.refs, _pool(pools, spec.refs, ids) | premises))
                    for spec in self.fields(kind) if spec.kind in _REFS]
            for record in records[kind]:
                for spec, pool in refs:
                    value = record.get(spec.name)
                    if value is None or (pool.issuperset(value) if spec.kind == "reflist" else value in pool):
                        continue
                    if not self.unchecked.issuperset(spec.refs):
                        self._refer(kind, record, spec, pool, ids)
                    bad.add(record["id"])
        if self.version >= 2:
            graphrules.check_graph(self, records, ids, premises, bad)
        else:
            graphrules.tree_cycles(self, records[Kind.ARGUMENTS], bad)
        for kind in Kind:
            records[kind] = [r for r in records[kind] if r["id"] not in bad]

    def _refer(self, kind: Kind, record: Record, spec: FieldSpec, pool: set[str], ids: dict[Kind, set[str]]) -> None:
        """Say which ids of one reference field are not in ``pool``."""
        values = record[spec.name] if spec.kind == "reflist" else (record[spec.name],)
        for position, value in enumerate(values):
            if value in pool:
                continue
            if self.full:  # counted, not worded: a hint costs a comparison with every id
                self.dropped += 1
                continue
            where: PathKey = (kind.value, record["__index"], spec.name)
            if spec.kind == "reflist":
                where = (*where, position)
            wanted = " or ".join(a_kind(k) for k in spec.refs)
            other = next((k for k in Kind if k not in spec.refs and value in ids[k]), None)
            if other is not None:  # `for:` naming a question, `held_by:` naming a position...
                self.problem(
                    where, f"{kind.singular} {record['id']!r}: {spec.name} {value!r} is {a_kind(other)}, not {wanted}",
                    record["id"], f"'{spec.name}' takes the id of {wanted}",
                )
                continue
            what = " or ".join(k.singular for k in spec.refs)
            suggestions = self._suggestions.get(id(pool))
            if suggestions is None:
                suggestions = self._suggestions[id(pool)] = Suggestions(pool)
            hint = suggestions.did_you_mean(value) or (
                f"known {' and '.join(k.value for k in spec.refs)}: {suggestions.some()}" if pool
                else f"add the {what} first")
            self.problem(where, f"{kind.singular} {record['id']!r}: {spec.name} {value!r} names no {what}",
                         record["id"], hint)


def _misspelt(specs: tuple[FieldSpec, ...], item: dict[Any, Any]) -> frozenset[str]:
    """The fields of ``specs`` that an unknown key of ``item`` is a near spelling of."""
    known = [spec.name for spec in specs]
    return frozenset(m for key in item if key not in known and (m := closest(str(key), known)) is not None)


def _pool(pools: dict[tuple[Kind, ...], set[str]], kinds: tuple[Kind, ...], ids: dict[Kind, set[str]]) -> set[str]:
    """The ids a reference to ``kinds`` may name (one set per combination of kinds)."""
    if kinds not in pools:
        pools[kinds] = set().union(*(ids[kind] for kind in kinds))
    return pools[kinds]


def _not_text_hint(spec: FieldSpec, value: Any) -> str:
    """What to do when a field that takes one text holds something else."""
    if spec.kind == "ref" and (isinstance(value, (bool, int, float)) or is_date(value)):
        return "put the id in quotes: YAML reads yes, no, on, off, numbers and dates as other types"
    if spec.enum is not None:
        hint = "one of: " + ", ".join(member.value for member in spec.enum)
        if isinstance(value, bool):
            hint += "; YAML reads yes, no, on, off, true and false as booleans"
        return hint
    if spec.kind == "ref":
        return "write one id; to name several, use several entries"
    if not isinstance(value, (list, dict)):
        return "put the value in quotes"
    return f"write '{spec.name}' as one text"
