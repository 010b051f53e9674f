"""``policyx list``: entries of one collection, filtered and sorted, as a :class:`Listing`.

A :class:`Listing` is what every read command returns: records of one shape plus how a
table should show them; the renderers in :mod:`policyx.output` turn it into text."""

from __future__ import annotations

import shlex

from ..kb.errors import NothingFound, UsageError
from ..kb.hints import command, option
from ..kb.model import Agreement, ClaimType, Kind, KnowledgeBase, Position, Stance
from ..kb.records import COLLECTIONS as COLLECTIONS  # re-exported: the views name them here
from ..kb.records import TAG_FIELDS as TAG_FIELDS
from ..kb.records import record_fields, to_records
from ..kb.struct import dataclass, field
from ..kb.suggestions import suggest_choice
from .filtering import FILTER_APPLIES, filter_entries
from .filtering import Filters as Filters  # where the front ends import it from
from .lookup import _suggest, all_tags, get_entry

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
    #: every field of a record, in order: the header CSV, TSV and Markdown give when there is no
    #: record (so that a script finds the same columns); none: the table's ``columns``
    fields: tuple[str, ...] = ()
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
    #: how many of the last records sum up the others (stats' total row): ``ids`` leaves them out
    summary_rows: int = 0
    #: what could not be shown (an id naming no entry): reported on stderr after the output,
    #: and the command then exits 1 (NothingFound's status), as ``show good-id bad-id`` does
    problems: tuple[str, ...] = ()
    #: said on stderr after the output: why there is no record at all when no filter chose
    #: (an empty collection), so that an empty output is not taken for a fault
    note: str = ""
    #: which figures are derived (interpretation, never recorded): a terminal table says so above
    #: its rows, as Markdown's title does
    derived: str = ""


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


#: No filter at all (the default of list_listing).
NO_FILTERS = Filters()


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
            hint = suggest_choice(value, choices)
            raise UsageError(f"no {what} {value!r}{f' ({hint})' if hint else ''}; choose from {', '.join(choices)}")


def check_filters(kb: KnowledgeBase, collection: str, filters: Filters) -> None:
    for name in filters.given():
        applies = FILTER_APPLIES[name]
        if collection not in applies:
            raise UsageError(
                f"{option(name)} does not apply to {collection}; it filters {', '.join(applies)}"
            )
    if filters.deep and not (filters.for_ or filters.against):
        raise UsageError(f"{option('deep')} needs {option('for_')} ID or {option('against')} ID")
    for question in filters.question:
        get_entry(kb, question, (Kind.QUESTIONS,))
    for actor in (*filters.by, *filters.asked_by, *filters.disputed_by):
        get_entry(kb, actor, (Kind.ACTORS,))
    for attacked in filters.undercuts:
        get_entry(kb, attacked, (Kind.ARGUMENTS,))
    for target in (*filters.for_, *filters.against):
        get_entry(kb, target, (Kind.POSITIONS, Kind.ARGUMENTS))
    _check_choice("agreement level", filters.agreement, [a.value for a in Agreement])
    _check_choice("claim type", filters.type, [t.value for t in ClaimType])
    _check_choice("stance", filters.stance, [s.value for s in Stance])
    if filters.standing:
        from .framework import SEMANTICS_OF  # lazy: the derived standing, only when a filter asks for it

        _check_choice("standing", filters.standing, list(SEMANTICS_OF))
    fields = TAG_FIELDS if collection == "tags" else record_fields(Kind(collection), kb.version)
    if filters.sort and filters.sort not in fields:
        raise UsageError(f"cannot sort {collection} by {filters.sort!r}{_suggest(filters.sort, fields)}; "
                         f"fields: {', '.join(fields)}")




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
    return command("list", collection, *filters.options())


def _count(n: int, collection: str) -> str:
    return f"{n} {collection if n != 1 else collection[:-1]}"


def unknown_tag(kb: KnowledgeBase, filters: Filters) -> NothingFound | None:
    """A tag of ``filters`` that no entry has, said with the nearest one; None when all are known."""
    known = all_tags(kb)
    for tag in (*filters.tags, *filters.any_tags):
        if tag not in known:
            return NothingFound(f"no entry has the tag {tag!r}{_suggest(tag, known)}; "
                                f"see `{command('list', 'tags')}`")
    return None


def _nothing_found(kb: KnowledgeBase, collection: str, filters: Filters) -> NothingFound:
    """Nothing matches: say so, and what would have matched (a near tag, the same filters
    on another collection, or the filters with one of them left out)."""

    unknown = unknown_tag(kb, filters)
    if unknown is not None:
        return unknown
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
        for name in filters.given():
            if name == "deep":
                continue
            fewer = filters.without(name)
            found = len(filter_entries(kb, kind, fewer))
            if found:
                dropped = [w for w in filters.options() if w not in fewer.options()] or [option(name)]
                without.append(f"without {' '.join(shlex.quote(w) for w in dropped)}, {_count(found, collection)}"
                               f" match: {_command(collection, fewer)}")
    if without:
        return NothingFound(f"{message}; {'; '.join(without)}")
    return NothingFound(message)


def list_listing(kb: KnowledgeBase, collection: str, filters: Filters = NO_FILTERS) -> Listing:
    """What ``policyx list COLLECTION [filters]`` shows.

    Positions come grouped by question (questions in file order) unless a
    sort is asked for. Raises UsageError for filters that do not apply,
    UnknownIdError for unknown ids, NothingFound when filters match nothing.
    """
    kind = _check_collection(collection)
    check_filters(kb, collection, filters)
    columns = LIST_COLUMNS[collection]
    if kind is None:
        records = sort_records(tag_records(kb), filters.sort or "tag", filters.reverse)
        if filters.limit is not None:
            del records[filters.limit:]
        return Listing(records, columns, title="tags", view="list", id_field="tag", fields=TAG_FIELDS,
                       note="" if records or filters.limit == 0 else f"no entry has a tag in {kb.path}")
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
    records = to_records(entries, kb.version)
    if filters.sort:
        records = sort_records(records, filters.sort, filters.reverse)
    elif filters.reverse:
        records.reverse()
    if filters.limit is not None:
        del records[filters.limit:]
    return Listing(records, columns, title=collection, view="list", group_by=group_by, groups=groups,
                   fields=record_fields(kind, kb.version), note="" if entries else f"no {collection} in {kb.path}")
