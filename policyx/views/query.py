"""Pure query functions: filters, argument trees, search ranking, comparison.

Everything here takes a :class:`KnowledgeBase` and returns data (a
:class:`~policyx.views.listing.Listing` or plain dicts); nothing prints, and nothing
imports Typer or Rich, so a fast path can call these functions without paying
for either. Mistakes a user can make (an unknown id, a filter that does not
apply) raise :class:`~policyx.kb.errors.PolicyxError` subclasses with a message
that says what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..kb.errors import NothingFound, UnknownIdError, UsageError
from ..kb.load import did_you_mean
from ..kb.model import (
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
    Stance,
    kind_of,
)
from ..kb.records import RECORD_FIELDS, to_record
from .listing import Listing, Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: What ``policyx list`` can list: the collections, plus the tags in use.
COLLECTIONS: tuple[str, ...] = (*(k.value for k in Kind), "tags")

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


# --------------------------------------------------------------------------
# Looking entries up


def _suggest(word: str, choices: Iterable[str]) -> str:
    hint = did_you_mean(word, choices)
    return f" ({hint})" if hint else ""


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def get_entry(kb: KnowledgeBase, entry_id: str, kinds: tuple[Kind, ...] = ()) -> Entry:
    """The entry called ``entry_id``; raises UnknownIdError (with a suggestion) if there is none.

    With ``kinds``, the entry must be of one of them; otherwise a UsageError says what it is.
    """
    entry = kb.get(entry_id)
    if entry is None:
        choices = kb.ids if not kinds else [e.id for k in kinds for e in kb.collection(k)]
        what = "entry" if not kinds else " or ".join(k.singular for k in kinds)
        import shlex  # only on this error path: the fast path imports this module

        hint = _suggest(entry_id, choices)
        # `show johns`: a tag, not an entry. (Only for a tag the shell takes as it is,
        # so the command shown can be pasted and no control character is echoed.)
        if not hint and shlex.quote(entry_id) == entry_id and entry_id in all_tags(kb):
            hint = f" ({entry_id!r} is a tag: `policyx list --tag {entry_id}` lists what has it)"
        raise UnknownIdError(f"no {what} {entry_id!r}{hint}")
    if kinds and kind_of(entry) not in kinds:
        wanted = " or ".join(_a(k.singular) for k in kinds)
        where = ""  # a pointer to what was probably meant
        if Kind.QUESTIONS in kinds and isinstance(entry, Position):
            where = f"; its question is {entry.question!r}"
        elif Kind.ACTORS in kinds and isinstance(entry, Position) and entry.held_by:
            where = f"; it is held by {', '.join(repr(a) for a in entry.held_by)}"
        elif Kind.ACTORS in kinds and isinstance(entry, Argument) and entry.by:
            where = f"; it is made by {entry.by!r}"
        raise UsageError(f"{entry_id!r} is {_a(kind_of(entry).singular)}, not {wanted}{where}")
    return entry


def main_text(entry: Entry) -> str:
    """The one line that says what an entry is: claim, question text, name or title."""
    if isinstance(entry, (Position, Argument)):
        return entry.claim
    if isinstance(entry, Question):
        return entry.text
    if isinstance(entry, (Actor, LegalModel)):
        return entry.name
    return entry.title


def root_position(kb: KnowledgeBase, argument: Argument) -> Position:
    """The position an argument ultimately bears on (the loader refuses cycles)."""
    target = kb.get(argument.target)
    while isinstance(target, Argument):
        target = kb.get(target.target)
    assert isinstance(target, Position)
    return target


def question_of(kb: KnowledgeBase, entry: Position | Argument) -> Question:
    position = entry if isinstance(entry, Position) else root_position(kb, entry)
    question = kb.get(position.question)
    assert isinstance(question, Question)
    return question


def questions_of(kb: KnowledgeBase) -> dict[str, str]:
    """The question every question, position and argument belongs to (linear time)."""
    question_of: dict[str, str] = {q.id: q.id for q in kb.questions}
    question_of.update({p.id: p.question for p in kb.positions})
    target = {a.id: a.target for a in kb.arguments}
    for argument in kb.arguments:
        path: list[str] = []
        node = argument.id
        while node not in question_of:
            path.append(node)
            node = target[node]
        for item in path:
            question_of[item] = question_of[node]
    return question_of


def actor_names(kb: KnowledgeBase, entry: Entry) -> list[str]:
    """Names of who held a position or made an argument ([] for other entries)."""
    ids: tuple[str, ...] = ()
    if isinstance(entry, Position):
        ids = entry.held_by
    elif isinstance(entry, Argument) and entry.by:
        ids = (entry.by,)
    names = []
    for actor_id in ids:
        actor = kb.get(actor_id)
        names.append(actor.name if isinstance(actor, Actor) else actor_id)
    return names


# --------------------------------------------------------------------------
# Argument trees


@dataclass(frozen=True)
class TreeNode:
    """An argument in the tree under an entry: ``depth`` 1 replies to the entry itself."""

    argument: Argument
    depth: int
    #: +1 when the argument supports the tree's root, -1 when it attacks it
    polarity: int


def argument_tree(kb: KnowledgeBase, entry_id: str) -> list[TreeNode]:
    """Every argument bearing on ``entry_id``, rebuttals nested, depth first in file order."""
    nodes: list[TreeNode] = []
    # Iterative depth-first walk: deep rebuttal chains must not hit the recursion limit.
    stack: list[tuple[Argument, int, int]] = [
        (a, 1, 1 if a.stance is Stance.FOR else -1) for a in reversed(kb.replies_to(entry_id))
    ]
    seen: set[str] = set()
    while stack:
        argument, depth, polarity = stack.pop()
        if argument.id in seen:  # defensive: the loader refuses cycles
            continue
        seen.add(argument.id)
        nodes.append(TreeNode(argument, depth, polarity))
        for reply in reversed(kb.replies_to(argument.id)):
            sign = 1 if reply.stance is Stance.FOR else -1
            stack.append((reply, depth + 1, polarity * sign))
    return nodes


def subtree_ids(kb: KnowledgeBase, entry_id: str) -> set[str]:
    return {node.argument.id for node in argument_tree(kb, entry_id)}


# --------------------------------------------------------------------------
# list


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


def all_tags(kb: KnowledgeBase) -> list[str]:
    """Every tag in use, in order of first appearance in the file."""
    seen: dict[str, None] = {}
    for entry in kb.entries():
        for tag in getattr(entry, "tags", ()):
            seen.setdefault(tag, None)
    return list(seen)


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


# --------------------------------------------------------------------------
# show

#: Columns a plain line of ``show`` carries, in order (a row lacks some by kind: empty cell).
SHOW_COLUMNS: tuple[str, ...] = (
    "id", "kind", "root", "depth", "parent", "stance", "target", "claim", "who", "agreement", "type", "tags",
    "quote", "source",
)


def _row(kb: KnowledgeBase, entry: Entry, root: str, depth: int, parent: str | None) -> Record:
    record = to_record(entry)
    row: Record = {"id": entry.id, "kind": kind_of(entry).singular, "root": root, "depth": depth,
                   "parent": parent}
    row.update((k, v) for k, v in record.items() if k != "id")
    if "claim" not in row:
        row["claim"] = main_text(entry)
    row["who"] = actor_names(kb, entry)
    return row


def show_rows(kb: KnowledgeBase, entry: Entry) -> list[Record]:
    """The entry, then everything under it: its argument tree (rebuttals nested); for a
    question its positions and their trees; for an actor the positions they held and the
    arguments they made; for a legal model the positions leaning towards it. ``depth``
    and ``parent`` give the nesting."""
    rows = [_row(kb, entry, entry.id, 0, None)]
    if isinstance(entry, (Position, Argument)):
        for node in argument_tree(kb, entry.id):
            rows.append(_row(kb, node.argument, entry.id, node.depth, node.argument.target))
    elif isinstance(entry, Question):
        for position in kb.positions:
            if position.question == entry.id:
                rows.append(_row(kb, position, entry.id, 1, entry.id))
                for node in argument_tree(kb, position.id):
                    rows.append(_row(kb, node.argument, entry.id, node.depth + 1, node.argument.target))
    elif isinstance(entry, Actor):
        # who said what: the positions the actor held, then the arguments they made
        rows.extend(_row(kb, p, entry.id, 1, entry.id) for p in kb.positions if entry.id in p.held_by)
        rows.extend(_row(kb, a, entry.id, 1, entry.id) for a in kb.arguments if a.by == entry.id)
    elif isinstance(entry, LegalModel):
        rows.extend(_row(kb, p, entry.id, 1, entry.id) for p in kb.positions if entry.id in p.models)
    return rows


def show_listing(kb: KnowledgeBase, ids: Iterable[str]) -> Listing:
    """What ``policyx show ID...`` shows: every id checked first, then one block per id."""
    entries = [get_entry(kb, i) for i in ids]
    if not entries:
        raise UsageError("give at least one id")
    rows: list[Record] = []
    for entry in entries:
        rows.extend(show_rows(kb, entry))
    return Listing(rows, SHOW_COLUMNS, title="show", view="show")


# --------------------------------------------------------------------------
# search

_WORD = re.compile(r"\w+", re.UNICODE)

#: Field weights for ranking: what an entry says counts more than where it is quoted from.
SEARCH_WEIGHTS: dict[str, int] = {
    "id": 3, "claim": 3, "text": 3, "name": 3, "title": 3,
    "tags": 2, "actor": 2, "also_known_as": 2,
    "quote": 1, "description": 1, "summary": 1, "note": 1, "author": 1, "event": 1,
}

#: fields too short to serve as a search excerpt
_LABEL_FIELDS = frozenset({"id", "tags", "actor", "also_known_as"})

SEARCH_COLUMNS: tuple[str, ...] = ("id", "kind", "score", "matched", "excerpt")


def search_terms(text: str) -> list[str]:
    """The words of a query, lower-cased, each once, in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.casefold()):
        seen.setdefault(word, None)
    return list(seen)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _term_matches(term: str, words: list[str]) -> bool:
    # a query word matches a word it begins (criminal -> criminalization)
    return any(w.startswith(term) for w in words)


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` that a term begins, for highlighting; sorted."""
    terms = [t for t in terms if t]
    spans = []
    for match in _WORD.finditer(text):
        word = match.group(0).casefold()
        for term in terms:
            if word.startswith(term):
                spans.append((match.start(), match.start() + len(term)))
                break
    return spans


def _search_fields(kb: KnowledgeBase, entry: Entry) -> list[tuple[str, str]]:
    fields: list[tuple[str, str]] = [("id", entry.id.replace("-", " "))]
    for name in ("claim", "text", "name", "title", "quote", "description", "summary", "note", "author", "event"):
        value = getattr(entry, name, None)
        if isinstance(value, str) and value:
            fields.append((name, value))
    for name in ("tags", "also_known_as"):
        for value in getattr(entry, name, ()):
            fields.append((name, value))
    for actor in actor_names(kb, entry):
        fields.append(("actor", actor))
    return fields


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: int
    #: the fields where a query word occurs, in field order
    matched: tuple[str, ...]
    #: the field shown as the excerpt, and its text
    field: str
    excerpt: str


def search(kb: KnowledgeBase, text: str) -> list[Hit]:
    """Entries whose text contains every word of ``text`` (as a word prefix), best first.

    Score: for each query word, three times the weight of the best field it
    occurs in (claim, text, name, title, id 3; tags, actor names 2; quote and
    the rest 1) plus one per field that mentions it, plus a bonus when the
    whole query occurs as a phrase in one field. Ties keep file order. The
    excerpt is the text field with the most matches (else the main text).
    """
    terms = search_terms(text)
    if not terms:
        raise UsageError("give words to search for")
    phrase = " ".join(terms)
    hits: list[tuple[int, int, Hit]] = []
    for index, entry in enumerate(kb.entries()):
        raw = _search_fields(kb, entry)
        blob = "\n".join(value for _, value in raw).casefold()
        if not all(term in blob for term in terms):  # cheap test first: most entries fail it
            continue
        fields = [(name, value, _words(value)) for name, value in raw]
        score = 0
        for term in terms:
            weights = [SEARCH_WEIGHTS[n] for n, _, words in fields if _term_matches(term, words)]
            if not weights:
                break
            # the best field counts most; every other field (but the id) that mentions it adds one
            score += 3 * max(weights) + sum(1 for n, _, w in fields if n != "id" and _term_matches(term, w))
        else:
            if len(terms) > 1 and any(phrase in " ".join(words) for _, _, words in fields):
                score += 2 * len(terms)
            # the excerpt: the text field with most matches (a tag or a name alone says
            # little, so when only those matched, the entry's main text)
            excerpt = main_text(entry)
            excerpt_field = next(n for n in ("claim", "text", "name", "title") if hasattr(entry, n))
            best_weight = -1
            for name, value, words in fields:
                hits_here = sum(_term_matches(t, words) for t in terms)
                weight = hits_here * 10 + SEARCH_WEIGHTS[name]
                if hits_here and name not in _LABEL_FIELDS and weight > best_weight:
                    best_weight, excerpt_field, excerpt = weight, name, value
            matched = tuple(dict.fromkeys(n for n, _, words in fields if any(_term_matches(t, words) for t in terms)))
            hits.append((-score, index, Hit(entry, score, matched, excerpt_field, excerpt)))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h[2] for h in hits]


def search_listing(kb: KnowledgeBase, text: str) -> Listing:
    """What ``policyx search TEXT`` shows; raises NothingFound when nothing matches."""
    hits = search(kb, text)
    if not hits:
        raise NothingFound(f"nothing matches {text!r}")
    records = []
    for hit in hits:
        record: Record = {"id": hit.entry.id, "kind": kind_of(hit.entry).singular, "score": hit.score,
                          "matched": list(hit.matched), "field": hit.field, "excerpt": hit.excerpt}
        record.update((k, v) for k, v in to_record(hit.entry).items() if k != "id")
        records.append(record)
    return Listing(records, SEARCH_COLUMNS, title=f"search: {text}", view="search",
                   highlight=tuple(search_terms(text)))


# --------------------------------------------------------------------------
# compare

#: Columns of the flat rows every non-JSON format of ``compare`` carries.
COMPARE_COLUMNS: tuple[str, ...] = ("section", "side", "other", "id", "relation", "target", "by", "text")


def _item(node: TreeNode) -> dict[str, Any]:
    a = node.argument
    return {"id": a.id, "claim": a.claim, "by": a.by, "stance": a.stance.value, "target": a.target,
            "depth": node.depth}


def _side(kb: KnowledgeBase, entry: Position | Argument) -> dict[str, Any]:
    question = question_of(kb, entry)
    tree = argument_tree(kb, entry.id)
    holders = entry.held_by if isinstance(entry, Position) else ((entry.by,) if entry.by else ())
    actors = []
    for actor_id in holders:
        actor = kb.get(actor_id)
        assert isinstance(actor, Actor)
        actors.append({"id": actor.id, "name": actor.name, "stands_for": actor.stands_for.value})
    unanswered = [
        _item(n) for n in tree
        if n.polarity < 0 and n.argument.stance is Stance.AGAINST
        and not any(r.stance is Stance.AGAINST for r in kb.replies_to(n.argument.id))
    ]
    return {
        "id": entry.id,
        "kind": kind_of(entry).singular,
        "question": {"id": question.id, "text": question.text},
        "claim": entry.claim,
        "holders": actors,
        "agreement": entry.agreement.value if isinstance(entry, Position) else None,
        "stance": entry.stance.value if isinstance(entry, Argument) else None,
        "target": entry.target if isinstance(entry, Argument) else None,
        "tags": list(entry.tags),
        "distinct_tags": [],
        "for": [_item(n) for n in tree if n.polarity > 0],
        "against": [_item(n) for n in tree if n.polarity < 0],
        "unanswered": unanswered,
    }


def _camp(kb: KnowledgeBase, entry: Position | Argument) -> set[str]:
    """Arguments on an entry's side: supporters in its tree, and anything its holders argued."""
    camp = {n.argument.id for n in argument_tree(kb, entry.id) if n.polarity > 0}
    holders = set(entry.held_by) if isinstance(entry, Position) else ({entry.by} if entry.by else set())
    camp |= {a.id for a in kb.arguments if a.by in holders and a.id != entry.id}
    return camp


def compare(kb: KnowledgeBase, ids: list[str]) -> dict[str, Any]:
    """The comparison of two or more positions or arguments (the documented JSON structure).

    ``clashes``: arguments of one side (made by one of its holders, or
    supporting it in its tree) that attack another side or one of that side's
    arguments. ``unanswered`` (per side): objections to the side (attacks in
    its tree) that no argument attacks in turn.
    """
    if len(ids) < 2:
        raise UsageError("compare needs at least two ids")
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise UsageError(f"{duplicates[0]!r} is given twice; compare different entries")
    entries: list[Position | Argument] = []
    for entry_id in ids:
        entry = get_entry(kb, entry_id, (Kind.POSITIONS, Kind.ARGUMENTS))
        assert isinstance(entry, (Position, Argument))
        entries.append(entry)
    sides = [_side(kb, e) for e in entries]
    tag_sets = [set(e.tags) for e in entries]
    shared = [t for t in entries[0].tags if all(t in s for s in tag_sets)]
    for side, entry, tags in zip(sides, entries, tag_sets, strict=True):
        others = set().union(*(s for s in tag_sets if s is not tags))
        side["distinct_tags"] = [t for t in entry.tags if t not in others]
    camps = [_camp(kb, e) for e in entries]
    in_file_order = _file_order(kb)
    clashes = []
    for i, entry in enumerate(entries):
        for j, other in enumerate(entries):
            if i == j:
                continue
            attacked = camps[j] | {other.id}
            for argument_id in sorted(camps[i] - camps[j], key=in_file_order):
                argument = kb.get(argument_id)
                assert isinstance(argument, Argument)
                if argument.stance is Stance.AGAINST and argument.target in attacked:
                    clashes.append({"side": entry.id, "other": other.id, "id": argument.id,
                                    "claim": argument.claim, "by": argument.by, "stance": argument.stance.value,
                                    "target": argument.target})
    return {
        "compared": [e.id for e in entries],
        "same_question": len({s["question"]["id"] for s in sides}) == 1,
        "shared_tags": shared,
        "sides": sides,
        "clashes": clashes,
    }


def _file_order(kb: KnowledgeBase) -> Any:
    order = {a.id: i for i, a in enumerate(kb.arguments)}
    return lambda argument_id: order.get(argument_id, -1)


def compare_rows(structure: dict[str, Any]) -> list[Record]:
    """The comparison as flat rows (one fact per row) for plain, CSV, TSV, JSONL and ids."""
    rows: list[Record] = []

    def add(section: str, side: str | None, id_: str | None, relation: str | None = None,
            target: str | None = None, by: str | None = None, text: str | None = None,
            other: str | None = None) -> None:
        rows.append({"section": section, "side": side, "other": other, "id": id_, "relation": relation,
                     "target": target, "by": by, "text": text})

    for side in structure["sides"]:
        sid = side["id"]
        # an argument's row says what it does to its target ("against criminalize-johns"), as
        # every other argument row does; without it the plain formats lost the stance
        add("side", sid, sid, side["stance"] or side["kind"], side["target"], None, side["claim"])
        add("question", sid, side["question"]["id"], None, None, None, side["question"]["text"])
        relation = side["agreement"] if side["kind"] == "position" else "author"
        for actor in side["holders"]:
            add("holder", sid, actor["id"], relation, None, None, actor["name"])
        for stance in ("for", "against"):
            for item in side[stance]:
                add(stance, sid, item["id"], item["stance"], item["target"], item["by"], item["claim"])
        for tag in side["distinct_tags"]:
            add("distinct-tag", sid, None, None, None, None, tag)
        for item in side["unanswered"]:
            add("unanswered", sid, item["id"], item["stance"], item["target"], item["by"], item["claim"])
    for tag in structure["shared_tags"]:
        add("shared-tag", None, None, None, None, None, tag)
    for clash in structure["clashes"]:
        add("clash", clash["side"], clash["id"], clash["stance"], clash["target"], clash["by"], clash["claim"],
            other=clash["other"])
    return rows


def compare_listing(kb: KnowledgeBase, ids: list[str]) -> Listing:
    """What ``policyx compare ID ID...`` shows: json/yaml get the structure, other formats its rows."""
    structure = compare(kb, ids)
    return Listing(compare_rows(structure), COMPARE_COLUMNS, title="compare " + " ".join(ids),
                   meta=structure, view="compare")


def entry_ids(kb: KnowledgeBase, kinds: Iterable[Kind] = ()) -> list[str]:
    """Ids for shell completion, in file order."""
    kinds = tuple(kinds) or tuple(Kind)
    return [e.id for k in kinds for e in kb.collection(k)]

