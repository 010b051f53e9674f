"""``policyx list``: entries of one collection, filtered and sorted, as a :class:`Listing`.

A :class:`Listing` is what every read command returns: records of one shape plus how a
table should show them; the renderers in :mod:`policyx.output` turn it into text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..kb.errors import NothingFound, UsageError
from ..kb.model import (
    Agreement,
    Argument,
    ClaimType,
    Entry,
    Kind,
    KnowledgeBase,
    Position,
    Stance,
)
from ..kb.records import RECORD_FIELDS, to_record
from .lookup import _suggest, all_tags, get_entry, questions_of
from .tree import subtree_ids

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


Record = dict[str, "Any"]  # a string: typing is not imported at run time


@dataclass(frozen=True)
class Listing:
    """What a read command shows: records plus how a table should show them."""

    records: list[Record]
    #: columns a table or plain line shows, in order (all record keys when empty)
    columns: tuple[str, ...] = ()
    title: str | None = None
    #: extra, command-specific structure (e.g. compare); json and yaml show it instead of the records
    meta: dict[str, Any] = field(default_factory=dict)
    #: which command's layout a table or markdown uses: "list", "show", "search" or "compare"
    view: str = "list"
    #: tables: one section per value of this field, headed by ``groups[value]``
    group_by: str | None = None
    groups: dict[str, str] = field(default_factory=dict)
    #: search: words to highlight (word prefixes, lower case)
    highlight: tuple[str, ...] = ()
    #: the field ``ids`` prints
    id_field: str = "id"


#: What ``policyx list`` can list: the collections, plus the tags in use.
COLLECTIONS: tuple[str, ...] = (*(k.value for k in Kind), "tags", "kbs")

#: Fields of a ``list tags`` record.
TAG_FIELDS: tuple[str, ...] = ("tag", "count", "questions", "positions", "arguments", "models")

#: Columns a table or a plain line shows for each collection (JSON and CSV carry every field).
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "positions": ("id", "question", "claim", "held_by", "agreement", "tags"),
    "arguments": ("id", "stance", "target", "claim", "by", "type", "tags"),
    "questions": ("id", "text", "tags"),
    "actors": ("id", "name", "stands_for", "description"),
    "sources": ("id", "title", "author", "date"),
    "models": ("id", "name", "also_known_as", "summary"),
    "tags": TAG_FIELDS,
}

#: Which collections each filter applies to (the option names a user types).
FILTER_APPLIES: dict[str, tuple[str, ...]] = {
    "question": ("positions", "arguments", "questions"),
    "tag": ("positions", "arguments", "questions", "models"),
    "by": ("positions", "arguments"),
    "for": ("arguments",),
    "against": ("arguments",),
    "deep": ("arguments",),
    "agreement": ("positions",),
    "type": ("arguments",),
    "match": ("positions", "arguments", "questions", "actors", "sources", "models"),
}

#: The fields ``--match`` looks in, per collection.
MATCH_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.POSITIONS: ("claim", "quote"),
    Kind.ARGUMENTS: ("claim", "quote"),
    Kind.QUESTIONS: ("text", "quote"),
    Kind.ACTORS: ("name", "description"),
    Kind.SOURCES: ("title", "author", "event"),
    Kind.MODELS: ("name", "summary", "also_known_as"),
}


@dataclass(frozen=True)
class Filters:
    """The filters of ``policyx list``; all given filters must hold (AND).

    Values are plain strings so that any front end (Typer, a fast path, a
    test) can build one. ``for_``/``against`` name a position or argument;
    with ``deep`` the whole rebuttal subtree of the matching arguments is
    included. ``sort`` names a record field; without it, file order.
    """

    question: str | None = None
    tags: tuple[str, ...] = ()
    by: str | None = None
    for_: str | None = None
    against: str | None = None
    deep: bool = False
    agreement: str | None = None
    type: str | None = None
    match: str | None = None
    sort: str | None = None
    reverse: bool = False

    def given(self) -> list[str]:
        """Names (as a user types them) of the filters that are set."""
        names = []
        for name, value in (
            ("question", self.question), ("tag", self.tags), ("by", self.by), ("for", self.for_),
            ("against", self.against), ("deep", self.deep), ("agreement", self.agreement),
            ("type", self.type), ("match", self.match),
        ):
            if value:
                names.append(name)
        return names

    @property
    def wants_arguments(self) -> bool:
        """True when only arguments can answer these filters (the default collection then)."""
        return any(n in ("for", "against", "deep", "type") for n in self.given())




def _check_collection(collection: str) -> Kind | None:
    if collection == "tags":
        return None
    for kind in Kind:
        if kind.value == collection:
            return kind
    raise UsageError(
        f"no collection {collection!r}{_suggest(collection, COLLECTIONS)}; choose from {', '.join(COLLECTIONS)}"
    )


def _check_filters(kb: KnowledgeBase, collection: str, filters: Filters) -> None:
    for name in filters.given():
        applies = FILTER_APPLIES[name]
        if collection not in applies:
            raise UsageError(
                f"--{name} does not apply to {collection}; it filters {', '.join(applies)}"
            )
    if filters.deep and not (filters.for_ or filters.against):
        raise UsageError("--deep needs --for ID or --against ID")
    if filters.question:
        get_entry(kb, filters.question, (Kind.QUESTIONS,))
    if filters.by:
        get_entry(kb, filters.by, (Kind.ACTORS,))
    for target in (filters.for_, filters.against):
        if target:
            get_entry(kb, target, (Kind.POSITIONS, Kind.ARGUMENTS))
    if filters.agreement and filters.agreement not in {a.value for a in Agreement}:
        values = [a.value for a in Agreement]
        raise UsageError(f"no agreement level {filters.agreement!r}{_suggest(filters.agreement, values)}; "
                         f"choose from {', '.join(values)}")
    if filters.type and filters.type not in {t.value for t in ClaimType}:
        values = [t.value for t in ClaimType]
        raise UsageError(f"no claim type {filters.type!r}{_suggest(filters.type, values)}; "
                         f"choose from {', '.join(values)}")
    fields = TAG_FIELDS if collection == "tags" else RECORD_FIELDS[Kind(collection)]
    if filters.sort and filters.sort not in fields:
        raise UsageError(f"cannot sort {collection} by {filters.sort!r}{_suggest(filters.sort, fields)}; "
                         f"fields: {', '.join(fields)}")


def _bearing(kb: KnowledgeBase, target: str, stance: Stance, deep: bool) -> set[str]:
    """Ids of the arguments with ``stance`` on ``target``, plus their subtrees when ``deep``."""
    direct = [a for a in kb.replies_to(target) if a.stance is stance]
    ids = {a.id for a in direct}
    if deep:
        for argument in direct:
            ids |= subtree_ids(kb, argument.id)
    return ids


def _text_fields(entry: Entry, names: tuple[str, ...]) -> Iterator[str]:
    for name in names:
        value = getattr(entry, name, None)
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            yield from (v for v in value if isinstance(v, str))


def filter_entries(kb: KnowledgeBase, kind: Kind, filters: Filters) -> list[Entry]:
    """Entries of ``kind`` for which every given filter holds, in file order."""
    entries: Iterable[Entry] = kb.collection(kind)
    if filters.question:
        qid = filters.question
        if kind is Kind.POSITIONS:
            entries = [e for e in entries if isinstance(e, Position) and e.question == qid]
        elif kind is Kind.ARGUMENTS:
            question = questions_of(kb)  # one linear pass, not a walk to the root per argument
            entries = [e for e in entries if question[e.id] == qid]
        else:
            entries = [e for e in entries if e.id == qid]
    for tag in filters.tags:
        entries = [e for e in entries if tag in getattr(e, "tags", ())]
    if filters.by:
        actor = filters.by
        entries = [
            e for e in entries
            if (isinstance(e, Position) and actor in e.held_by) or (isinstance(e, Argument) and e.by == actor)
        ]
    if filters.for_:
        keep = _bearing(kb, filters.for_, Stance.FOR, filters.deep)
        entries = [e for e in entries if e.id in keep]
    if filters.against:
        keep = _bearing(kb, filters.against, Stance.AGAINST, filters.deep)
        entries = [e for e in entries if e.id in keep]
    if filters.agreement:
        entries = [e for e in entries if isinstance(e, Position) and e.agreement.value == filters.agreement]
    if filters.type:
        entries = [e for e in entries if isinstance(e, Argument) and e.type is not None
                   and e.type.value == filters.type]
    if filters.match:
        needle = filters.match.casefold()
        names = MATCH_FIELDS[kind]
        entries = [e for e in entries if any(needle in t.casefold() for t in _text_fields(e, names))]
    return list(entries)




def tag_records(kb: KnowledgeBase) -> list[Record]:
    """One record per tag: how many entries of each tagged collection carry it."""
    counts: dict[str, Record] = {}
    for kind in (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS, Kind.MODELS):
        for entry in kb.collection(kind):
            for tag in getattr(entry, "tags", ()):
                record = counts.setdefault(tag, {"tag": tag, "count": 0, "questions": 0, "positions": 0,
                                                 "arguments": 0, "models": 0})
                record["count"] += 1
                record[kind.value] += 1
    return [counts[tag] for tag in all_tags(kb) if tag in counts]


def _sort_key(value: Any) -> tuple[int, Any]:
    """Missing values last; numbers as numbers; text case-insensitively."""
    if value is None or value == []:
        return (2, "")
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return (1, str(value).casefold())


def sort_records(records: list[Record], field: str, reverse: bool = False) -> list[Record]:
    """Stable sort by ``field``; ties keep their order, missing values stay last."""
    present = [r for r in records if r.get(field) not in (None, [])]
    missing = [r for r in records if r.get(field) in (None, [])]
    return sorted(present, key=lambda r: _sort_key(r.get(field)), reverse=reverse) + missing


def _nothing_found(kb: KnowledgeBase, collection: str, filters: Filters) -> NothingFound:
    known = all_tags(kb)
    for tag in filters.tags:
        if tag not in known:
            return NothingFound(f"no entry has the tag {tag!r}{_suggest(tag, known)}; "
                                f"see `policyx list tags`")
    return NothingFound(f"no {collection} match the filters ({', '.join('--' + n for n in filters.given())})")


def list_listing(kb: KnowledgeBase, collection: str, filters: Filters = Filters()) -> Listing:
    """What ``policyx list COLLECTION [filters]`` shows.

    Positions come grouped by question (questions in file order) unless a
    sort is asked for. Raises UsageError for filters that do not apply,
    UnknownIdError for unknown ids, NothingFound when filters match nothing.
    """
    kind = _check_collection(collection)
    _check_filters(kb, collection, filters)
    columns = LIST_COLUMNS[collection]
    if kind is None:
        records = tag_records(kb)
        if filters.sort:
            records = sort_records(records, filters.sort, filters.reverse)
        return Listing(records, columns, title="tags", view="list", id_field="tag")
    entries = filter_entries(kb, kind, filters)
    if not entries and filters.given():
        raise _nothing_found(kb, collection, filters)
    group_by = None
    groups: dict[str, str] = {}
    if kind is Kind.POSITIONS and not filters.sort:
        order = {q.id: i for i, q in enumerate(kb.questions)}
        entries.sort(key=lambda e: order[e.question] if isinstance(e, Position) else 0)
        group_by = "question"
        groups = {q.id: q.text for q in kb.questions}
    records = [to_record(e) for e in entries]
    if filters.sort:
        records = sort_records(records, filters.sort, filters.reverse)
    elif filters.reverse:
        records.reverse()
    return Listing(records, columns, title=collection, view="list", group_by=group_by, groups=groups)
