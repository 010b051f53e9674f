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
    #: what could not be shown (an id naming no entry): reported on stderr after the output,
    #: and the command then exits 1 (NothingFound's status), as ``show good-id bad-id`` does
    problems: tuple[str, ...] = ()


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
    "any-tag": ("positions", "arguments", "questions", "models"),
    "by": ("positions", "arguments"),
    "for": ("arguments",),
    "against": ("arguments",),
    "deep": ("arguments",),
    "stance": ("arguments",),
    "unanswered": ("arguments",),
    "agreement": ("positions",),
    "type": ("arguments",),
    "match": ("positions", "arguments", "questions", "actors", "sources", "models"),
}

#: The filters only arguments can answer: given one, ``list`` lists arguments by default.
ARGUMENT_FILTERS: frozenset[str] = frozenset({"for", "against", "deep", "stance", "unanswered", "type"})

#: The fields ``--match`` looks in, per collection.
MATCH_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.POSITIONS: ("claim", "quote"),
    Kind.ARGUMENTS: ("claim", "quote"),
    Kind.QUESTIONS: ("text", "quote"),
    Kind.ACTORS: ("name", "description"),
    Kind.SOURCES: ("title", "author", "event"),
    Kind.MODELS: ("name", "summary", "also_known_as"),
}

#: Filters that take values: (the option a user types, the Filters field).
_VALUED: tuple[tuple[str, str], ...] = (
    ("question", "question"), ("tag", "tags"), ("any-tag", "any_tags"), ("by", "by"), ("for", "for_"),
    ("against", "against"), ("stance", "stance"), ("agreement", "agreement"), ("type", "type"),
    ("match", "match"),
)


@dataclass(frozen=True)
class Filters:
    """The filters of ``policyx list``.

    Different filters combine with AND: every one given must hold. A filter
    given several values keeps what matches any of them (OR), so that
    ``--type empirical --type normative`` lists both kinds, and an alias
    holding a filter can be widened by giving the same filter again. The one
    exception is ``tags``: every tag given must be on the entry (all of
    them); ``any_tags`` keeps entries with at least one of its tags.

    Values are plain strings (a single string stands for a one-value tuple),
    so that any front end (Typer, a fast path, a test) can build one.
    ``for_``/``against`` name positions or arguments; with ``deep`` the whole
    rebuttal subtree of the matching arguments is included. ``unanswered``
    keeps objections (arguments against something) that no argument attacks
    in turn. ``sort`` names a record field; without it, file order.
    ``limit`` keeps the first N records after sorting (the command line checks it is 1 or more).
    """

    question: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    any_tags: tuple[str, ...] = ()
    by: tuple[str, ...] = ()
    for_: tuple[str, ...] = ()
    against: tuple[str, ...] = ()
    deep: bool = False
    stance: tuple[str, ...] = ()
    unanswered: bool = False
    agreement: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    match: tuple[str, ...] = ()
    sort: str | None = None
    reverse: bool = False
    limit: int | None = None

    def __post_init__(self) -> None:
        for _, name in _VALUED:
            value = getattr(self, name)
            if value is None:
                object.__setattr__(self, name, ())
            elif isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    def given(self) -> list[str]:
        """Names (as a user types them) of the filters that are set."""
        names = [option for option, name in _VALUED if getattr(self, name)]
        names += [flag for flag in ("deep", "unanswered") if getattr(self, flag)]
        order = list(FILTER_APPLIES)
        return sorted(names, key=order.index)

    def options(self) -> list[str]:
        """The filters as command-line words (``--type empirical --type normative``), in the
        order of :data:`FILTER_APPLIES`, for messages that show a command to run."""
        words: list[str] = []
        for option in self.given():
            field_name = dict(_VALUED).get(option)
            if field_name is None:
                words.append(f"--{option}")
                continue
            for value in getattr(self, field_name):
                words += [f"--{option}", value]
        return words

    def without(self, option: str) -> Filters:
        """These filters but ``option`` (as a user types it: ``tag``, ``deep``...)."""
        from dataclasses import replace

        field_name = dict(_VALUED).get(option, option)
        empty: Any = False if field_name in ("deep", "unanswered") else ()
        changes = {field_name: empty}
        if option in ("for", "against") and not (self.for_ if option == "against" else self.against):
            changes["deep"] = False  # --deep means nothing without a --for or --against left
        return replace(self, **changes)

    @property
    def wants_arguments(self) -> bool:
        """True when only arguments can answer these filters (the default collection then)."""
        return any(n in ARGUMENT_FILTERS for n in self.given())


def _check_collection(collection: str) -> Kind | None:
    if collection == "tags":
        return None
    for kind in Kind:
        if kind.value == collection:
            return kind
    raise UsageError(
        f"no collection {collection!r}{_suggest(collection, COLLECTIONS)}; choose from {', '.join(COLLECTIONS)}"
    )


def _check_choice(what: str, values: tuple[str, ...], choices: list[str]) -> None:
    for value in values:
        if value not in choices:
            from ..kb.problems import suggest_choice  # only a mistake needs it

            hint = suggest_choice(value, choices)
            raise UsageError(f"no {what} {value!r}{f' ({hint})' if hint else ''}; choose from {', '.join(choices)}")


def _check_filters(kb: KnowledgeBase, collection: str, filters: Filters) -> None:
    for name in filters.given():
        applies = FILTER_APPLIES[name]
        if collection not in applies:
            raise UsageError(
                f"--{name} does not apply to {collection}; it filters {', '.join(applies)}"
            )
    if filters.deep and not (filters.for_ or filters.against):
        raise UsageError("--deep needs --for ID or --against ID")
    for question in filters.question:
        get_entry(kb, question, (Kind.QUESTIONS,))
    for actor in filters.by:
        get_entry(kb, actor, (Kind.ACTORS,))
    for target in (*filters.for_, *filters.against):
        get_entry(kb, target, (Kind.POSITIONS, Kind.ARGUMENTS))
    _check_choice("agreement level", filters.agreement, [a.value for a in Agreement])
    _check_choice("claim type", filters.type, [t.value for t in ClaimType])
    _check_choice("stance", filters.stance, [s.value for s in Stance])
    fields = TAG_FIELDS if collection == "tags" else RECORD_FIELDS[Kind(collection)]
    if filters.sort and filters.sort not in fields:
        raise UsageError(f"cannot sort {collection} by {filters.sort!r}{_suggest(filters.sort, fields)}; "
                         f"fields: {', '.join(fields)}")


def _bearing(kb: KnowledgeBase, targets: tuple[str, ...], stance: Stance, deep: bool) -> set[str]:
    """Ids of the arguments with ``stance`` on any of ``targets``, plus their subtrees when ``deep``."""
    ids: set[str] = set()
    for target in targets:
        direct = [a for a in kb.replies_to(target) if a.stance is stance]
        ids |= {a.id for a in direct}
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


def unanswered(kb: KnowledgeBase, argument: Argument) -> bool:
    """An objection (an argument against something) that no argument attacks in turn."""
    return argument.stance is Stance.AGAINST and not any(
        reply.stance is Stance.AGAINST for reply in kb.replies_to(argument.id)
    )


def filter_entries(kb: KnowledgeBase, kind: Kind, filters: Filters) -> list[Entry]:
    """Entries of ``kind`` for which every given filter holds (any of its values), in file order."""
    entries: Iterable[Entry] = kb.collection(kind)
    if filters.question:
        wanted = set(filters.question)
        if kind is Kind.POSITIONS:
            entries = [e for e in entries if isinstance(e, Position) and e.question in wanted]
        elif kind is Kind.ARGUMENTS:
            question = questions_of(kb)  # one linear pass, not a walk to the root per argument
            entries = [e for e in entries if question[e.id] in wanted]
        else:
            entries = [e for e in entries if e.id in wanted]
    for tag in filters.tags:
        entries = [e for e in entries if tag in getattr(e, "tags", ())]
    if filters.any_tags:
        any_of = set(filters.any_tags)
        entries = [e for e in entries if any_of.intersection(getattr(e, "tags", ()))]
    if filters.by:
        actors = set(filters.by)
        entries = [
            e for e in entries
            if (isinstance(e, Position) and actors.intersection(e.held_by))
            or (isinstance(e, Argument) and e.by in actors)
        ]
    if filters.for_:
        keep = _bearing(kb, filters.for_, Stance.FOR, filters.deep)
        entries = [e for e in entries if e.id in keep]
    if filters.against:
        keep = _bearing(kb, filters.against, Stance.AGAINST, filters.deep)
        entries = [e for e in entries if e.id in keep]
    if filters.stance:
        stances = set(filters.stance)
        entries = [e for e in entries if isinstance(e, Argument) and e.stance.value in stances]
    if filters.unanswered:
        entries = [e for e in entries if isinstance(e, Argument) and unanswered(kb, e)]
    if filters.agreement:
        levels = set(filters.agreement)
        entries = [e for e in entries if isinstance(e, Position) and e.agreement.value in levels]
    if filters.type:
        types = set(filters.type)
        entries = [e for e in entries if isinstance(e, Argument) and e.type is not None
                   and e.type.value in types]
    if filters.match:
        needles = [m.casefold() for m in filters.match]
        names = MATCH_FIELDS[kind]
        entries = [
            e for e in entries
            if any(needle in t.casefold() for t in _text_fields(e, names) for needle in needles)
        ]
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


def _command(collection: str, filters: Filters) -> str:
    from ..kb.hints import command

    return command("list", collection, *filters.options())


def _count(n: int, collection: str) -> str:
    return f"{n} {collection if n != 1 else collection[:-1]}"


def _nothing_found(kb: KnowledgeBase, collection: str, filters: Filters) -> NothingFound:
    """Nothing matches: say so, and what would have matched (a near tag, the same filters
    on another collection, or the filters with one of them left out)."""
    import shlex

    from ..kb.hints import command

    known = all_tags(kb)
    for tag in (*filters.tags, *filters.any_tags):
        if tag not in known:
            return NothingFound(f"no entry has the tag {tag!r}{_suggest(tag, known)}; "
                                f"see `{command('list', 'tags')}`")
    message = f"no {collection} match {' '.join(shlex.quote(w) for w in filters.options())}"
    elsewhere = []
    for other in COLLECTIONS:
        if other in (collection, "tags") or not all(other in FILTER_APPLIES[n] for n in filters.given()):
            continue
        found = len(filter_entries(kb, Kind(other), filters))
        if found:
            elsewhere.append(f"{_count(found, other)}: {_command(other, filters)}")
    if elsewhere:
        return NothingFound(f"{message}; the same filters match {'; '.join(elsewhere)}")
    kind = Kind(collection)
    without = []
    if len(filters.given()) > 1:
        for option in filters.given():
            if option == "deep":
                continue
            fewer = filters.without(option)
            found = len(filter_entries(kb, kind, fewer))
            if found:
                dropped = [w for w in filters.options() if w not in fewer.options()] or [f"--{option}"]
                without.append(f"without {' '.join(shlex.quote(w) for w in dropped)}, {_count(found, collection)}"
                               f" match: {_command(collection, fewer)}")
    if without:
        return NothingFound(f"{message}; {'; '.join(without)}")
    return NothingFound(message)


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
        records = sort_records(tag_records(kb), filters.sort or "tag", filters.reverse)
        if filters.limit is not None:
            del records[filters.limit:]
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
    if filters.limit is not None:
        del records[filters.limit:]
    return Listing(records, columns, title=collection, view="list", group_by=group_by, groups=groups)
