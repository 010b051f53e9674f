"""The only module that reads files: YAML -> validated :class:`KnowledgeBase`.

Loading is two-speed on purpose. The happy path parses with libyaml's C loader
(when available) and builds plain Python data without keeping any position
marks, because marks cost time on large files. Only when something is wrong
do we parse the file a second time, into nodes, to turn each problem's path
(``arguments[3].against``) into a line and column. Errors are rare and small;
valid files are common and may be large.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from .errors import KnowledgeBaseError, Problem
from .model import (
    Actor,
    Agreement,
    Argument,
    ClaimType,
    Entry,
    Kind,
    KnowledgeBase,
    LegalModel,
    Position,
    Question,
    Source,
    StandsFor,
    Stance,
)

SCHEMA_VERSION = 1
#: Largest knowledge base file we read (documented in the README, "Limits").
MAX_FILE_BYTES = 256 * 1024 * 1024
#: Deepest nesting of YAML collections we accept; a knowledge base needs 3.
MAX_DEPTH = 64
#: At most this many problems are reported for one file.
MAX_PROBLEMS = 50
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

PathKey = tuple[str | int, ...]


# --------------------------------------------------------------------------
# The schema, as data: one table drives validation, the docs and JSON Schema.


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "str" | "strlist" | "enum" | "ref" | "reflist" | "int"
    required: bool = False
    enum: type[Enum] | None = None
    refs: tuple[Kind, ...] = ()
    doc: str = ""


def _f(name: str, kind: str = "str", required: bool = False, **kw: Any) -> FieldSpec:
    return FieldSpec(name, kind, required, **kw)


FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {
    Kind.SOURCES: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("title", required=True, doc="Title of the source."),
        _f("author", doc="Who wrote it."),
        _f("event", doc="The event it reports on."),
        _f("file", doc="Path of the source's text, relative to the knowledge base file; quotes are checked against it."),
        _f("date", doc="Date of the source, free text (ISO 8601 preferred)."),
        _f("url", doc="Where the source can be read."),
    ),
    Kind.ACTORS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("name", required=True, doc="Who spoke, as the source identifies them."),
        _f("stands_for", "enum", enum=StandsFor, doc="How many people the actor stands for."),
        _f("description", doc="Who this is, in the source's terms."),
    ),
    Kind.MODELS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("name", required=True, doc="Name of the legal model."),
        _f("summary", required=True, doc="Background definition (interpretation, not the source's words)."),
        _f("also_known_as", "strlist", doc="Other names of the model."),
        _f("tags", "strlist", doc="Tags (interpretation)."),
    ),
    Kind.QUESTIONS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("text", required=True, doc="The question, neutrally worded."),
        _f("quote", doc="Verbatim words of the source that raise the question."),
        _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
        _f("tags", "strlist", doc="Tags (interpretation)."),
    ),
    Kind.POSITIONS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("question", "ref", required=True, refs=(Kind.QUESTIONS,), doc="The question this position answers."),
        _f("claim", required=True, doc="The position in one neutral sentence."),
        _f("held_by", "reflist", required=True, refs=(Kind.ACTORS,), doc="Actors who held it."),
        _f("agreement", "enum", required=True, enum=Agreement, doc="How widely it was held."),
        _f("quote", doc="Verbatim words of the source stating the position."),
        _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
        _f("tags", "strlist", doc="Tags (interpretation)."),
        _f("models", "reflist", refs=(Kind.MODELS,), doc="Legal models the position leans towards (interpretation)."),
        _f("note", doc="Editor's note: context the quote does not carry."),
    ),
    Kind.ARGUMENTS: (
        _f("id", required=True, doc="Unique kebab-case id."),
        _f("claim", required=True, doc="The reason or objection in one neutral sentence."),
        _f("for", "ref", refs=(Kind.POSITIONS, Kind.ARGUMENTS), doc="Id of the position or argument this supports (exactly one of for/against)."),
        _f("against", "ref", refs=(Kind.POSITIONS, Kind.ARGUMENTS), doc="Id of the position or argument this attacks (exactly one of for/against)."),
        _f("by", "ref", refs=(Kind.ACTORS,), doc="Actor who made the argument."),
        _f("type", "enum", enum=ClaimType, doc="Claim type (interpretation)."),
        _f("quote", doc="Verbatim words of the source making the argument."),
        _f("source", "ref", refs=(Kind.SOURCES,), doc="Source of the quote."),
        _f("tags", "strlist", doc="Tags (interpretation)."),
        _f("note", doc="Editor's note: context the quote does not carry."),
    ),
}

TOP_LEVEL: dict[str, str] = {
    "version": "Schema version; must be 1.",
    "title": "Title of the knowledge base.",
    **{kind.value: f"List of {kind.value}." for kind in Kind},
}


# --------------------------------------------------------------------------
# YAML reading


def _yaml_module() -> Any:
    import yaml  # deferred: commands that hit the cache never need PyYAML

    return yaml


def _make_loader_class(yaml: Any) -> type:
    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader

    class StrictLoader(base):  # type: ignore[misc, valid-type]
        """SafeLoader that refuses duplicate keys and aliases."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            if node in self.constructed_objects:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    "YAML aliases (*name) are not allowed in a knowledge base; write the value out",
                    node.start_mark,
                )
            return super().construct_object(node, deep)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # a complex key: SafeConstructor refuses it as unhashable
                key = key_node.value
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r} in a mapping", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep)

    return StrictLoader


_LOADER: type | None = None


def _loader_class() -> type:
    global _LOADER
    if _LOADER is None:
        _LOADER = _make_loader_class(_yaml_module())
    return _LOADER


class _NotPlain(Exception):
    """Something the fast reader leaves to the strict loader."""


_STR = "tag:yaml.org,2002:str"
_SCALARS = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_NO_KEY = object()


def _read_plain(text: str) -> Any:
    """Plain data from YAML text, exactly as the strict loader builds it, or _NotPlain.

    The strict loader composes the whole file into nodes (each with two
    position marks) and then constructs data from them: for 100,000
    arguments that is about 1.7 million nodes, most of the time and memory
    of a load. A valid knowledge base is plain (mappings with string keys,
    sequences, untagged scalars), so this builds the data straight from
    libyaml's events, with SafeConstructor's own tag resolution and scalar
    constructors, and never holds more than one event. At anything else (an
    anchor, an alias, a tag, a duplicate or non-string key, a merge key, a
    second document, a syntax error) it raises :class:`_NotPlain` and the
    strict loader reads the text again: its result, or its error and the
    error's location, is what the caller gets.
    """
    yaml = _yaml_module()
    events = yaml.events
    scalar_event = events.ScalarEvent
    mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
    collection_ends = (events.MappingEndEvent, events.SequenceEndEvent)
    scalar_node = yaml.ScalarNode
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        if loader.yaml_path_resolvers:
            raise _NotPlain
        constructors = {tag: loader.yaml_constructors[tag] for tag in _SCALARS}
        resolve, get = loader.resolve, loader.get_event
        if type(get()) is not events.StreamStartEvent:
            raise _NotPlain
        event = get()
        if type(event) is events.StreamEndEvent:
            return None  # no document: what get_single_node gives
        if type(event) is not events.DocumentStartEvent:
            raise _NotPlain
        root: Any = None
        stack: list[tuple[Any, Any]] = []
        container: Any = None  # the mapping or list being filled (None: the document)
        key: Any = _NO_KEY  # in a mapping: the key waiting for its value
        while True:
            event = get()
            kind = type(event)
            at_key = key is _NO_KEY and type(container) is dict
            if kind is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                value = event.value
                if event.implicit[0]:  # plain scalar: resolved as the composer resolves it
                    tag = resolve(scalar_node, value, event.implicit)
                    if tag != _STR:
                        if at_key or tag not in constructors:
                            raise _NotPlain
                        value = constructors[tag](loader, scalar_node(tag, value))
                if at_key:
                    if value in container:
                        raise _NotPlain  # a duplicate key: the strict loader words it
                    key = value
                    continue
            elif kind is mapping_start or kind is sequence_start:
                if event.anchor is not None or event.tag is not None or at_key:
                    raise _NotPlain
                value = {} if kind is mapping_start else []
            elif kind in collection_ends:
                container, key = stack.pop()
                continue
            elif kind is events.DocumentEndEvent:
                break
            else:  # an alias
                raise _NotPlain
            if container is None:
                root = value
            elif type(container) is list:
                container.append(value)
            else:
                container[key] = value
                key = _NO_KEY
            if kind is not scalar_event:
                stack.append((container, key))
                container, key = value, _NO_KEY
        if type(get()) is not events.StreamEndEvent:
            raise _NotPlain  # another document: the strict loader refuses it
        return root
    except yaml.YAMLError:
        raise _NotPlain from None
    finally:
        loader.dispose()


def _read_text(path: Path) -> str:
    shown = str(path)
    try:
        if path.is_dir():
            raise _fail(shown, "is a directory, not a knowledge base file", "give the path of a .yaml file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(
                shown,
                f"is {size} bytes; the limit for a knowledge base is {MAX_FILE_BYTES} bytes",
                "split it into several knowledge bases",
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(shown, "no such file", "check the path, --kb and POLICYX_KB") from None
    except PermissionError:
        raise _fail(shown, "permission denied", "make the file readable") from None
    except OSError as exc:
        raise _fail(shown, f"cannot be read: {exc.strerror or exc}") from None
    if b"\0" in data:
        raise _fail(shown, "is a binary file, not YAML text", "give the path of a .yaml file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return _raise(Problem("is not valid UTF-8 text", shown, line, hint="save the file as UTF-8"))


def _fail(path: str, message: str, hint: str | None = None) -> KnowledgeBaseError:
    return KnowledgeBaseError([Problem(message, path, hint=hint)])


def _raise(problem: Problem) -> Any:
    raise KnowledgeBaseError([problem])


_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _check_depth(text: str, path: str) -> None:
    """Refuse pathological nesting before libyaml and Python recursion meet it."""
    depth = 0
    deepest = 0
    for char in _NOT_BRACKETS.sub("", text):  # only brackets count: skip the rest at C speed
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif char in "]}":
            depth -= 1
    if deepest > MAX_DEPTH:
        _raise(Problem(f"nesting deeper than {MAX_DEPTH} levels", path, hint="a knowledge base needs three levels"))


def parse_yaml(text: str, path: str) -> Any:
    """Parse YAML text into plain data, or raise KnowledgeBaseError with a location."""
    # Parsing allocates objects by the hundred thousand and frees none, so the
    # cyclic garbage collector would run again and again over a growing heap that
    # holds no cycles. Pausing it saves ~10% on the event reader, and makes the
    # strict loader (1.7 million nodes for 100,000 arguments) about 5x faster.
    with gc_paused():
        return _parse_yaml(text, path)


class gc_paused:  # noqa: N801  (used as a statement: with gc_paused())
    """Pause the cyclic garbage collector in a block (re-entrant)."""

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


def _parse_yaml(text: str, path: str) -> Any:
    yaml = _yaml_module()
    if "[" in text or "{" in text:
        _check_depth(text, path)
    try:
        return _read_plain(text)
    except _NotPlain:
        pass  # anything unusual: the strict loader decides (and words the errors)
    try:
        loader = _loader_class()(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if "found character '\\t'" in message:
            message = "a tab character where YAML needs spaces"
            hint = "indent with spaces, not tabs"
        elif "could not determine a constructor" in message:
            message = f"YAML tag refused: {message.split('tag ')[-1]}"
            hint = "policyx reads plain data only; remove the !tag"
        else:
            hint = "fix the YAML syntax"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        _raise(Problem(message, path, line, column, hint=hint))
    except yaml.YAMLError as exc:
        _raise(Problem(f"invalid YAML: {exc}", path, hint="fix the YAML syntax"))
    except RecursionError:
        _raise(Problem("nesting too deep", path, hint="a knowledge base needs three levels"))


def _node_at(root: Any, key_path: PathKey) -> Any:
    """Walk composed YAML nodes along ``key_path``; stop at the deepest found."""
    node = root
    for key in key_path:
        value = getattr(node, "value", None)
        if isinstance(key, int) and isinstance(value, list):
            if key >= len(value):
                break
            node = value[key]
        elif isinstance(key, str) and isinstance(value, list):
            for key_node, value_node in value:
                if isinstance(key_node, tuple):
                    break
                if getattr(key_node, "value", None) == key:
                    node = value_node
                    break
            else:
                break
        else:
            break
    return node


def locate_entries(kb: KnowledgeBase, problems: list[Problem]) -> list[Problem]:
    """Give problems found after validation (by entry id) a line and column."""
    if not any(p.entry and p.line is None for p in problems):
        return problems
    try:
        text = _read_text(Path(kb.path))
    except KnowledgeBaseError:
        return problems
    where: dict[str, PathKey] = {}
    for kind in Kind:
        for index, entry in enumerate(kb.collection(kind)):
            where[entry.id] = (kind.value, index)
    paths: list[PathKey | None] = []
    for problem in problems:
        base = where.get(problem.entry or "")
        paths.append(None if base is None else (*base, problem.field) if problem.field else base)
    return locate(text, problems, paths)


def locate(text: str, problems: list[Problem], paths: list[PathKey | None]) -> list[Problem]:
    """Fill in line and column of each problem from its key path (second parse)."""
    yaml = _yaml_module()
    try:
        with gc_paused():  # composing holds every node of the file at once: see parse_yaml
            root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return problems
    located = []
    for problem, key_path in zip(problems, paths):
        if key_path is None or root is None or problem.line is not None:
            located.append(problem)
            continue
        mark = _node_at(root, key_path).start_mark
        located.append(
            Problem(
                problem.message, problem.path, mark.line + 1, mark.column + 1,
                problem.entry, problem.hint, problem.severity, problem.field,
            )
        )
    return located


# --------------------------------------------------------------------------
# Validation: plain data -> records, collecting every problem


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


class _Validator:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.paths: list[PathKey | None] = []

    def problem(
        self, key_path: PathKey | None, message: str, entry: str | None = None,
        hint: str | None = None,
    ) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(message, self.path, entry=entry, hint=hint))
            self.paths.append(key_path)

    def run(self, data: Any) -> dict[Kind, list[dict[str, Any]]]:
        records: dict[Kind, list[dict[str, Any]]] = {kind: [] for kind in Kind}
        if data is None:
            self.problem(None, "the file is empty", hint="start from the bundled positions.yaml")
            return records
        if not isinstance(data, dict):
            self.problem((), f"the top level must be a mapping of collections, not {_type_name(data)}",
                         hint="start the file with 'version: 1'")
            return records
        for key in data:
            if key not in TOP_LEVEL:
                hint = did_you_mean(str(key), TOP_LEVEL) or f"allowed keys: {', '.join(TOP_LEVEL)}"
                self.problem((key,), f"unknown top-level key {key!r}", hint=hint)
        version = data.get("version")
        if version is None:
            self.problem((), "missing 'version'", hint="add 'version: 1' at the top")
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
                self.problem((kind.value,), f"'{kind.value}' must be a list of entries, not {_type_name(items)}",
                             hint=f"write each entry as '- id: ...' under '{kind.value}:'")
                continue
            clean = _clean_entry(kind)
            for index, item in enumerate(items):
                record = clean(index, item, seen)
                if record is None:  # something is wrong: the full check words it
                    record = self.entry(kind, index, item, seen)
                else:  # the bookkeeping entry() does for a valid entry (keep the two in step)
                    seen[record["id"]] = (kind, index)
                if record is not None:
                    records[kind].append(record)
        self.references(records)
        return records

    def entry(
        self, kind: Kind, index: int, item: Any, seen: dict[str, tuple[Kind, int]]
    ) -> dict[str, Any] | None:
        where: PathKey = (kind.value, index)
        name = f"{kind.singular} #{index + 1}"
        if not isinstance(item, dict):
            self.problem(where, f"{name} must be a mapping of fields, not {_type_name(item)}")
            return None
        raw_id = item.get("id")
        entry_id: str | None = None
        if raw_id is None:
            self.problem(where, f"{name} has no 'id'", hint="add a unique kebab-case id")
        elif not isinstance(raw_id, str):
            self.problem((*where, "id"), f"{name}: 'id' must be a string, not {_type_name(raw_id)}",
                         hint="quote it or use words, e.g. 'id: arg-12'")
        elif not ID_PATTERN.match(raw_id):
            self.problem((*where, "id"), f"{kind.singular} {raw_id!r}: id is not kebab-case",
                         entry=raw_id, hint="use lowercase letters, digits and single hyphens")
        else:
            entry_id = raw_id
            if raw_id in seen:
                other_kind, other_index = seen[raw_id]
                self.problem((*where, "id"), f"duplicate id {raw_id!r} (also {other_kind.singular} #{other_index + 1})",
                             entry=raw_id, hint="ids must be unique across the whole file")
            else:
                seen[raw_id] = (kind, index)
        label = f"{kind.singular} {entry_id!r}" if entry_id else name
        specs = FIELDS[kind]
        known = {spec.name: spec for spec in specs}
        ok = entry_id is not None
        for key in item:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"allowed: {', '.join(known)}"
                self.problem((*where, key), f"{label}: unknown field {key!r}", entry_id, hint)
                ok = False
        record: dict[str, Any] = {}
        for spec in specs:
            value = item.get(spec.name)
            if value is None:
                if spec.required:
                    self.problem(where, f"{label}: missing required field {spec.name!r}", entry_id)
                    ok = False
                continue
            checked = self.value(spec, value, (*where, spec.name), label, entry_id)
            if checked is None:
                ok = False
            else:
                record[spec.name] = checked
        if kind is Kind.ARGUMENTS:
            has_for, has_against = "for" in record, "against" in record
            if has_for and has_against:
                self.problem(where, f"{label}: has both 'for' and 'against'", entry_id, "keep exactly one")
                ok = False
            elif not has_for and not has_against and "for" not in item and "against" not in item:
                self.problem(where, f"{label}: needs 'for: ID' or 'against: ID'", entry_id,
                             "name the position or argument it bears on")
                ok = False
        if kind in (Kind.POSITIONS, Kind.ARGUMENTS, Kind.QUESTIONS) and "quote" in record and "source" not in record:
            self.problem((*where, "quote"), f"{label}: has a quote but no 'source'", entry_id,
                         "add 'source: ID' naming where the quote comes from")
            ok = False
        record["__index"] = index
        return record if ok else None

    def value(self, spec: FieldSpec, value: Any, where: PathKey, label: str, entry_id: str | None) -> Any:
        if spec.kind in ("str", "ref", "enum"):
            if not isinstance(value, str) or isinstance(value, bool):
                self.problem(where, f"{label}: '{spec.name}' must be a string, not {_type_name(value)}", entry_id)
                return None
            if not value.strip():
                self.problem(where, f"{label}: '{spec.name}' is empty", entry_id)
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
                self.problem(where, f"{label}: '{spec.name}' must be a list, not {_type_name(value)}", entry_id,
                             f"write '{spec.name}: [a, b]'")
                return None
            items: list[str] = []
            for position, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.problem((*where, position), f"{label}: '{spec.name}' items must be non-empty strings, "
                                 f"not {_type_name(item)}", entry_id)
                    return None
                items.append(item)
            if spec.required and not items:
                self.problem(where, f"{label}: '{spec.name}' is empty", entry_id)
                return None
            return tuple(items)
        raise AssertionError(spec.kind)  # pragma: no cover

    def references(self, records: dict[Kind, list[dict[str, Any]]]) -> None:
        ids: dict[Kind, set[str]] = {kind: {r["id"] for r in records[kind]} for kind in Kind}
        bad: set[str] = set()
        pools: dict[tuple[Kind, ...], set[str]] = {}
        for kind in Kind:
            refs = [spec for spec in FIELDS[kind] if spec.kind in ("ref", "reflist")]
            for spec in refs:  # one pool per kind of reference, not per record (linear time)
                if spec.refs not in pools:
                    pools[spec.refs] = set().union(*(ids[k] for k in spec.refs))
            for record in records[kind]:
                for spec in refs:
                    if spec.name not in record:
                        continue
                    values = record[spec.name] if spec.kind == "reflist" else (record[spec.name],)
                    pool = pools[spec.refs]
                    for value in values:
                        if value not in pool:
                            what = " or ".join(k.singular for k in spec.refs)
                            hint = did_you_mean(value, pool) or (
                                f"known {spec.refs[0].value}: {', '.join(sorted(pool)[:8])}" if pool
                                else f"add the {what} first")
                            self.problem(
                                (kind.value, record["__index"], spec.name),
                                f"{kind.singular} {record['id']!r}: {spec.name} {value!r} names no {what}",
                                record["id"], hint,
                            )
                            bad.add(record["id"])
        self.cycles(records[Kind.ARGUMENTS], bad)
        for kind in Kind:
            records[kind] = [r for r in records[kind] if r["id"] not in bad]

    def cycles(self, arguments: list[dict[str, Any]], bad: set[str]) -> None:
        target = {a["id"]: a.get("for", a.get("against")) for a in arguments}
        index = {a["id"]: a["__index"] for a in arguments}
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to end at a position
        for start in target:
            walk: list[str] = []
            node: str | None = start
            while node in target and state.get(node) is None:
                state[node] = 1
                walk.append(node)
                node = target[node]
            if node in target and state.get(node) == 1:
                loop = walk[walk.index(node):]
                first = min(loop, key=lambda i: index[i])
                chain = " -> ".join([*loop, node])
                self.problem(("arguments", index[first]), f"argument {first!r}: rebuttal cycle {chain}", first,
                             "an argument must lead, through for/against, to a position")
                bad.update(loop)
            for item in walk:
                state[item] = 2


_STR_FIELD, _ENUM_FIELD, _LIST_FIELD, _REFLIST_FIELD = range(4)
_CLEAN_ENTRY: dict[Kind, Callable[[int, Any, dict[str, tuple[Kind, int]]], dict[str, Any] | None]] = {}


def _clean_entry(kind: Kind) -> Callable[[int, Any, dict[str, tuple[Kind, int]]], dict[str, Any] | None]:
    """The hot loop of validation: ``clean(index, item, seen)`` returns the record of
    an entry with nothing wrong, exactly as :meth:`_Validator.entry` would, and
    None at the first doubt, for ``entry`` to check (and word) in full. It has
    no side effects: the caller does entry()'s bookkeeping for a valid entry."""
    if kind in _CLEAN_ENTRY:
        return _CLEAN_ENTRY[kind]
    codes = {"str": _STR_FIELD, "ref": _STR_FIELD, "enum": _ENUM_FIELD, "strlist": _LIST_FIELD,
             "reflist": _REFLIST_FIELD}
    specs = [
        (spec.name, codes[spec.kind], spec.required, {m.value: m for m in spec.enum} if spec.enum else {})
        for spec in FIELDS[kind]
    ]
    known = frozenset(spec.name for spec in FIELDS[kind])
    one_target = kind is Kind.ARGUMENTS
    quoted = kind in (Kind.POSITIONS, Kind.ARGUMENTS, Kind.QUESTIONS)
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
        if one_target and ("for" in record) == ("against" in record):
            return None
        if quoted and "quote" in record and "source" not in record:
            return None
        record["__index"] = index
        return record

    _CLEAN_ENTRY[kind] = clean
    return clean


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    return {
        dict: "a mapping", list: "a list", str: "a string", int: "a number", float: "a number",
    }.get(type(value), type(value).__name__)


def _build(path: str, version: int, title: str | None, records: dict[Kind, list[dict[str, Any]]]) -> KnowledgeBase:
    def clean(record: dict[str, Any]) -> dict[str, Any]:
        fields = dict(record)
        del fields["__index"]
        return fields

    def argument(record: dict[str, Any]) -> Argument:
        fields = clean(record)
        if "for" in fields:
            fields["stance"], fields["target"] = Stance.FOR, fields.pop("for")
        else:
            fields["stance"], fields["target"] = Stance.AGAINST, fields.pop("against")
        return Argument(**fields)

    makers: dict[Kind, Callable[[dict[str, Any]], Entry]] = {
        Kind.SOURCES: lambda r: Source(**clean(r)),
        Kind.ACTORS: lambda r: Actor(**clean(r)),
        Kind.MODELS: lambda r: LegalModel(**clean(r)),
        Kind.QUESTIONS: lambda r: Question(**clean(r)),
        Kind.POSITIONS: lambda r: Position(**clean(r)),
        Kind.ARGUMENTS: argument,
    }
    collections = {kind.value: tuple(makers[kind](r) for r in records[kind]) for kind in Kind}
    return KnowledgeBase(path=path, version=version, title=title, **collections)  # type: ignore[arg-type]


def build(data: Any, path: str, text: str | None = None) -> KnowledgeBase:
    """Validate plain data (as parsed from YAML) into a KnowledgeBase.

    ``text`` is the file's text, used only to locate problems by line.
    """
    validator = _Validator(path)
    records = validator.run(data)
    if validator.problems:
        problems = validator.problems
        if text is not None:
            problems = locate(text, problems, validator.paths)
        raise KnowledgeBaseError(problems)
    return _build(path, SCHEMA_VERSION, data.get("title"), records)


# --------------------------------------------------------------------------
# Public entry points


def bundled_path() -> Path:
    """The bundled knowledge base: inside the package when installed from a
    wheel, at the repository's data/ in a source checkout."""
    here = Path(__file__).resolve().parent
    inside = here / "data" / "positions.yaml"
    return inside if inside.exists() else here.parent / "data" / "positions.yaml"


def resolve_path(option: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """--kb wins over POLICYX_KB, which wins over the bundled file."""
    if option:
        return Path(option)
    env = environ.get("POLICYX_KB")
    if env:
        return Path(env)
    return bundled_path()


def display_path(path: Path) -> str:
    return str(path)


def load(path: Path | str) -> KnowledgeBase:
    """Read and validate a knowledge base file. Raises KnowledgeBaseError."""
    path = Path(path)
    shown = display_path(path)
    text = _read_text(path)
    data = parse_yaml(text, shown)
    return build(data, shown, text)


def source_path(kb: KnowledgeBase, source: Source) -> Path | None:
    if source.file is None:
        return None
    return Path(kb.path).parent / source.file


def read_source_text(kb: KnowledgeBase, source: Source) -> str:
    """The text of a source file, for quote checks. Raises KnowledgeBaseError."""
    path = source_path(kb, source)
    if path is None:
        raise KnowledgeBaseError([Problem(f"source {source.id!r} has no 'file'", kb.path, entry=source.id)])
    try:
        return _read_text(path)
    except KnowledgeBaseError as exc:
        problem = exc.problems[0]
        raise KnowledgeBaseError([
            Problem(f"source {source.id!r}: file {problem.path} {problem.message}", kb.path,
                    entry=source.id, hint=problem.hint)
        ]) from None
