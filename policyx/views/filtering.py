"""The filters of ``policyx list`` (:class:`Filters`) and the entries they keep
(:func:`filter_entries`): which collections each applies to, and how each is tested,
version 2's acts and undercuts included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..kb.hints import command, option
from ..kb.model import (
    DISPUTING_ACTS,
    ActKind,
    Argument,
    Entry,
    Kind,
    KnowledgeBase,
    Position,
    Stance,
)
from ..kb.struct import dataclass, replace
from .lookup import questions_of
from .tree import subtree_ids

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: Which collections each filter applies to, by the filter's key (its field here, its option's
#: key in the command line's table, which spells it: policyx.kb.hints.option).
FILTER_APPLIES: dict[str, tuple[str, ...]] = {
    "question": ("positions", "arguments", "questions"),
    "tags": ("positions", "arguments", "questions", "models"),
    "any_tags": ("positions", "arguments", "questions", "models"),
    "by": ("positions", "arguments"),
    "asked_by": ("positions", "arguments", "questions"),
    "disputed_by": ("positions", "arguments", "questions"),
    "for_": ("arguments",),
    "against": ("arguments",),
    "undercuts": ("arguments",),
    "deep": ("arguments",),
    "stance": ("arguments",),
    "unanswered": ("arguments",),
    "agreement": ("positions",),
    "type": ("arguments",),
    "match": ("positions", "arguments", "questions", "actors", "sources", "models"),
    "standing": ("positions", "arguments"),
}

#: The filters only arguments can answer: given one, ``list`` lists arguments by default.
ARGUMENT_FILTERS: frozenset[str] = frozenset({"for_", "against", "undercuts", "deep", "stance", "unanswered", "type"})

#: The flags among the filters (the others take values).
_FLAGS = ("deep", "unanswered")

#: The fields the ``match`` filter looks in, per collection.
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
    """The filters of ``policyx list``.

    Different filters combine with AND: every one given must hold. A filter
    given several values keeps what matches any of them (OR), so that
    ``type=("empirical", "normative")`` keeps both kinds, and an alias
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
    #: version 2: entries someone asked about, entries someone challenged or disagreed with,
    #: arguments undercutting (attacking the step of) these arguments
    asked_by: tuple[str, ...] = ()
    disputed_by: tuple[str, ...] = ()
    undercuts: tuple[str, ...] = ()
    #: derived labels (views/framework.py): in, out, undecided (grounded); skeptical, credulous,
    #: rejected (preferred)
    standing: tuple[str, ...] = ()
    sort: str | None = None
    reverse: bool = False
    limit: int | None = None

    def __post_init__(self) -> None:
        for name in FILTER_APPLIES:
            if name in _FLAGS:
                continue
            value = getattr(self, name)
            if value is None:
                object.__setattr__(self, name, ())
            elif isinstance(value, str):
                object.__setattr__(self, name, (value,))
            elif not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    def given(self) -> list[str]:
        """The keys of the filters that are set (``tags``, ``for_``, ``deep``...), in the order
        of :data:`FILTER_APPLIES`."""
        return [name for name in FILTER_APPLIES if getattr(self, name)]

    def options(self) -> list[str]:
        """The filters as command-line words (each option spelt by the command line), in the
        order of :data:`FILTER_APPLIES`, for messages that show a command to run."""
        words: list[str] = []
        for name in self.given():
            if name in _FLAGS:
                words.append(option(name))
                continue
            for value in getattr(self, name):
                words += [option(name), value]
        return words

    def without(self, name: str) -> Filters:
        """These filters but the one whose key is ``name`` (``tags``, ``deep``...)."""

        empty: Any = False if name in _FLAGS else ()
        changes = {name: empty}
        if name in ("for_", "against") and not (self.for_ if name == "against" else self.against):
            changes["deep"] = False  # deep means nothing without a for_ or against left
        return replace(self, **changes)

    @property
    def wants_arguments(self) -> bool:
        """True when only arguments can answer these filters (the default collection then)."""
        return any(n in ARGUMENT_FILTERS for n in self.given())


def _bearing(kb: KnowledgeBase, targets: tuple[str, ...], stance: Stance, deep: bool) -> set[str]:
    """Ids of the arguments with ``stance`` on any of ``targets``, plus their subtrees when ``deep``
    (in version 2, an argument bears on each of its targets its own way; an undercut is not
    "against" the argument whose step it attacks: see the ``undercuts`` filter)."""
    ids: set[str] = set()
    for target in targets:
        if kb.version >= 2:
            direct = [a for a in kb.replies_to(target)
                      if (stance, target) in a.relations and a.undercuts != target]
        else:
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


def _acted(entries: Iterable[Entry], filters: Filters) -> list[Entry]:
    """The entries on which one of ``asked_by`` asked, and one of ``disputed_by``
    challenged or disagreed (their acts, version 2)."""
    kept = list(entries)
    for actors, kinds in ((set(filters.asked_by), {ActKind.ASKS}), (set(filters.disputed_by), DISPUTING_ACTS)):
        if actors:
            kept = [e for e in kept if any(a.by in actors and a.act in kinds for a in getattr(e, "acts", ()))]
    return kept


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
    if filters.asked_by or filters.disputed_by:
        entries = _acted(entries, filters)
    if filters.undercuts:
        attacked = set(filters.undercuts)
        entries = [e for e in entries if isinstance(e, Argument) and e.undercuts in attacked]
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
        entries = [e for e in entries if isinstance(e, Position) and e.agreement is not None
                   and e.agreement.value in levels]
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
    if filters.standing:
        entries = _standing(kb, entries, filters.standing)
    return list(entries)


def _standing(kb: KnowledgeBase, entries: Iterable[Entry], wanted: tuple[str, ...]) -> list[Entry]:
    """The entries whose derived label is one of ``wanted`` (each under its own semantics)."""
    from .framework import SEMANTICS_OF, TooHard, standing_of  # lazy: the derived standing, only when asked for

    try:
        labels = [standing_of(kb, semantics).labels for semantics in sorted({SEMANTICS_OF[w] for w in wanted})]
    except TooHard as exc:  # list has neither standing's semantics nor its time limit: advice it can follow
        longer = command("standing", option("semantics"), exc.semantics, option("time_limit"), "60")
        raise TooHard(exc.semantics, exc.seconds, exc.size, exc.found, advice=(
            f"the grounded labels ({option('standing')} in, out or undecided: always fast), a part of the debate"
            f" ({option('question')}), or {longer} (a longer search)")) from None
    return [e for e in entries if any(found.get(e.id) in wanted for found in labels)]
