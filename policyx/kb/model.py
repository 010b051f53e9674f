"""The typed, immutable model of a policyx knowledge base.

No I/O happens here: :mod:`policyx.kb.load` builds these records from a file and
checks every reference, so code that receives a :class:`KnowledgeBase` can
trust that ids are unique and every reference resolves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from itertools import chain
from operator import attrgetter

from .struct import dataclass, field

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


class Agreement(str, Enum):
    """How widely a position was held in the session."""

    CONSENSUS = "consensus"
    BROAD = "broad"
    DIVIDED = "divided"
    INDIVIDUAL = "individual"


class ClaimType(str, Enum):
    """What kind of claim an argument makes (an interpretation, for teaching)."""

    EMPIRICAL = "empirical"
    NORMATIVE = "normative"
    DEFINITIONAL = "definitional"
    PREDICTIVE = "predictive"
    PRACTICAL = "practical"


class Stance(str, Enum):
    """Whether an argument supports or attacks its target."""

    FOR = "for"
    AGAINST = "against"


class ActKind(str, Enum):
    """What a person did with an entry's claim (schema version 2, ``acts:``)."""

    ASSERTS = "asserts"
    AGREES = "agrees"
    CONCEDES = "concedes"
    ASKS = "asks"
    CHALLENGES = "challenges"
    DISAGREES = "disagrees"


#: The acts that make a person hold a claim: "held by" means only these.
HOLDING_ACTS: frozenset[ActKind] = frozenset({ActKind.ASSERTS, ActKind.AGREES, ActKind.CONCEDES})
#: The acts that dispute a claim (the ``disputed_by`` filter).
DISPUTING_ACTS: frozenset[ActKind] = frozenset({ActKind.CHALLENGES, ActKind.DISAGREES})


class StandsFor(str, Enum):
    """How many people an actor stands for, as the source describes them."""

    ONE = "one"
    SEVERAL = "several"
    WHOLE_GROUP = "whole-group"
    UNKNOWN = "unknown"


class Kind(str, Enum):
    """The collections of a knowledge base, in file order."""

    SOURCES = "sources"
    ACTORS = "actors"
    MODELS = "models"
    QUESTIONS = "questions"
    POSITIONS = "positions"
    ARGUMENTS = "arguments"

    @property
    def singular(self) -> str:
        return self.value[:-1]


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    author: str | None = None
    event: str | None = None
    file: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    stands_for: StandsFor = StandsFor.UNKNOWN
    description: str | None = None


@dataclass(frozen=True, slots=True)
class LegalModel:
    """Background definition of a legal model; never the session's own words."""

    id: str
    name: str
    summary: str
    also_known_as: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Act:
    """One person's act on an entry's claim (asserting, agreeing, asking...), in their own words."""

    by: str
    act: ActKind
    quote: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Premise:
    """One of an argument's linked premises: they support its target only together."""

    claim: str
    quote: str | None = None
    source: str | None = None
    by: str | None = None
    #: its id within the argument (kebab-case): what ``ARGUMENT.ID`` names in a relation or a restatement
    id: str | None = None
    #: the entries (or premises, ``ARGUMENT.ID``) this premise says again in other words
    restates: tuple[str, ...] = ()


def premise_ref(reference: str) -> tuple[str, str | None]:
    """``ARGUMENT.PREMISE`` -> (argument id, premise id); a plain id -> (id, None)."""
    entry, dot, premise = reference.partition(".")
    return (entry, premise) if dot else (reference, None)


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    quote: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    #: what the question came to, as the source records it (None: the source records none)
    outcome: str | None = None
    outcome_quote: str | None = None
    outcome_source: str | None = None
    #: the entries this one says again in other words (version 2; ``ARGUMENT.PREMISE`` names a premise)
    restates: tuple[str, ...] = ()
    acts: tuple[Act, ...] = ()


@dataclass(frozen=True, slots=True)
class Position:
    id: str
    question: str
    claim: str
    #: who held it: those the file names, and (version 2) those whose act asserts or agrees
    held_by: tuple[str, ...]
    #: None: the file records none (version 2 only; version 1 requires it)
    agreement: Agreement | None
    quote: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    note: str | None = None
    #: positions and arguments this position attacks (version 2: contradicting claims)
    against: tuple[str, ...] = ()
    restates: tuple[str, ...] = ()
    acts: tuple[Act, ...] = ()


@dataclass(frozen=True, slots=True)
class Argument:
    id: str
    claim: str
    stance: Stance
    target: str
    by: str | None = None
    type: ClaimType | None = None
    quote: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None
    #: the further targets (version 2), after the first (``stance``, ``target``), in file order
    also: tuple[tuple[Stance, str], ...] = ()
    #: the argument whose inference this one attacks (then one of its relations is
    #: (AGAINST, that id), an attack on the step, not on the claim)
    undercuts: str | None = None
    #: linked premises: the reason holds only with all of them
    premises: tuple[Premise, ...] = ()
    restates: tuple[str, ...] = ()
    acts: tuple[Act, ...] = ()
    #: version 2: for each of ``relations``, in order, the id of the premise of its target it is
    #: aimed at ("" for the target as a whole); empty when none is aimed at a premise
    aims: tuple[str, ...] = ()

    @property
    def relations(self) -> tuple[tuple[Stance, str], ...]:
        """Every (stance, target) of the argument, the first one first."""
        first = ((self.stance, self.target),)
        return first + self.also if self.also else first

    @property
    def references(self) -> tuple[tuple[Stance, str], ...]:
        """Every (stance, reference) as the file names it: a relation aimed at one premise of a
        linked argument as ``ARGUMENT.PREMISE``."""
        if not self.aims:
            return self.relations
        return tuple((stance, f"{target}.{aim}" if aim else target)
                     for (stance, target), aim in zip(self.relations, self.aims, strict=True))

    def aim_at(self, target: str) -> tuple[str, ...]:
        """The premises of ``target`` this argument is aimed at (none: at ``target`` as a whole)."""
        if not self.aims:
            return ()
        return tuple(aim for (_, t), aim in zip(self.relations, self.aims, strict=True) if t == target and aim)


Entry = Source | Actor | LegalModel | Question | Position | Argument

KIND_OF: dict[type, Kind] = {
    Source: Kind.SOURCES,
    Actor: Kind.ACTORS,
    LegalModel: Kind.MODELS,
    Question: Kind.QUESTIONS,
    Position: Kind.POSITIONS,
    Argument: Kind.ARGUMENTS,
}


#: The record class of each collection.
CLASS_OF: dict[Kind, type] = {kind: cls for cls, kind in KIND_OF.items()}

def kind_of(entry: Entry) -> Kind:
    return KIND_OF[type(entry)]


@dataclass(frozen=True, slots=True)
class Include:
    """A file of shared actors and legal models that a knowledge base reads in (``include:``)."""

    #: the file, as found from the including file's folder
    path: str
    #: the ids of the entries it holds itself (those of the files it includes in turn are theirs)
    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """What comparing every quote with its source found, kept with the knowledge base (and
    in its cache, so later runs do not read the sources again): see kb.check.quote_check."""

    #: (entry id, the quote's field, what differs) of each quote that is not verbatim in its source
    not_verbatim: tuple[tuple[str, str, str], ...] = ()
    #: (source id, why) of each source whose text could not be read or that names no file
    unchecked: tuple[tuple[str, str], ...] = ()
    #: how many quotes were found verbatim
    verbatim: int = 0

    @property
    def entries(self) -> frozenset[str]:
        """The ids of the entries whose quote is not verbatim."""
        return frozenset(entry for entry, _, _ in self.not_verbatim)

    def verbatim_at(self, entry: str, field: str = "quote") -> bool:
        """Whether the entry's quote in ``field`` was found verbatim (or not checked)."""
        return not any(e == entry and f == field for e, f, _ in self.not_verbatim)


@dataclass(frozen=True)
class KnowledgeBase:
    """A validated knowledge base. Build it with :func:`policyx.kb.load.load`."""

    path: str
    version: int
    sources: tuple[Source, ...] = ()
    actors: tuple[Actor, ...] = ()
    models: tuple[LegalModel, ...] = ()
    questions: tuple[Question, ...] = ()
    positions: tuple[Position, ...] = ()
    arguments: tuple[Argument, ...] = ()
    title: str | None = None
    #: its short name in a library (``name:``); None: the file's stem
    name: str | None = None
    #: the files it includes (and those include), each once, in the order read; their
    #: actors and models come first in ``actors`` and ``models``
    includes: tuple[Include, ...] = ()
    #: the quotes compared with their sources, when the knowledge base was opened for a
    #: command (kb.store.open_kb); None when nobody checked (``check`` checks itself)
    quotes: QuoteCheck | None = field(default=None, compare=False)
    # The indexes below are made when first asked (a listing of arguments may need none of them;
    # made on every open, they cost a warm library of 1,500 files 7-19 ms), then kept: no
    # attribute until then (init=False, no default), so that ``__getattr__`` is asked only the
    # first time, and every later use is a plain attribute. Each is made whole and then set in
    # one step: threads (the explorer's workers) asking at once each make the same index, and
    # either one is kept; none sees one half made. ``replace`` makes them again, when asked.
    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)
    _replies: dict[str, tuple[Argument, ...]] = field(init=False, repr=False, compare=False)
    #: version 2's links that are no reply: restatements, and positions' attacks
    _links: dict[str, tuple[tuple[str, str], ...]] = field(init=False, repr=False, compare=False)
    #: version 2: each argument's next step on a shortest way to a position
    _toward: dict[str, str] = field(init=False, repr=False, compare=False)
    #: where the cache it was made from keeps what a search reads (policyx.kb.searchcolumns)
    _search: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    if not TYPE_CHECKING:  # (not for mypy: any other attribute missing stays an error there)

        def __getattr__(self, name: str) -> Any:
            """An index not made yet (see above): made now. Any other name is missing."""
            if name == "_by_id":
                return self._index_ids()
            if name == "_replies":
                return self._index_replies()
            if name in ("_links", "_toward"):
                return self._index_links()[name == "_toward"]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _has_index(self, name: str) -> bool:
        """Whether the index ``name`` was made (asking for it would make it)."""
        try:
            object.__getattribute__(self, name)
        except AttributeError:
            return False
        return True

    def _index_ids(self) -> dict[str, Entry]:
        """Every entry by its id (made on first use: see above)."""
        # in C: a third of the time of a loop
        by_id = dict(zip(map(attrgetter("id"), self.entries()), self.entries(), strict=True))
        object.__setattr__(self, "_by_id", by_id)
        return by_id

    def _index_replies(self) -> dict[str, tuple[Argument, ...]]:
        """Every target id -> the arguments replying to it, in file order (made on first use)."""
        replies: dict[str, list[Argument]] = {}
        for argument in self.arguments:
            replies.setdefault(argument.target, []).append(argument)
            for _, other in argument.also:
                answered = replies.setdefault(other, [])
                if not answered or answered[-1] is not argument:  # two premises of one target: one reply
                    answered.append(argument)
        made = {k: tuple(v) for k, v in replies.items()}
        object.__setattr__(self, "_replies", made)
        return made

    def _index_links(self) -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, str]]:
        """Version 2's links (see ``_links``) and each argument's way to a position (``_toward``),
        made on first use; none in version 1."""
        links: dict[str, list[tuple[str, str]]] = {}
        toward: dict[str, str] = {}
        if self.version >= 2:
            claims: tuple[Question | Position | Argument, ...] = (*self.questions, *self.positions, *self.arguments)
            for entry in claims:
                for restated in entry.restates:
                    links.setdefault(premise_ref(restated)[0], []).append(("restated by", entry.id))
            for argument in self.arguments:
                for premise in argument.premises:
                    for restated in premise.restates:
                        links.setdefault(premise_ref(restated)[0], []).append(("restated by", argument.id))
            for position in self.positions:
                for target in position.against:
                    links.setdefault(premise_ref(target)[0], []).append(("attacked by position", position.id))
            replies = self._replies
            todo = [p.id for p in self.positions]
            for entry_id in todo:  # breadth first: the list grows as it is read
                for reply in replies.get(entry_id, ()):
                    if reply.id not in toward:
                        toward[reply.id] = entry_id
                        todo.append(reply.id)
        made = {k: tuple(v) for k, v in links.items()}
        # (two threads may each set one of the pair: each is whole, and the same)
        object.__setattr__(self, "_links", made)
        object.__setattr__(self, "_toward", toward)
        return made, toward

    def toward(self, argument: Argument) -> str:
        """What an argument answers on its way to a position: its target in version 1; in a
        graph (where its first target may lead round a circle of attacks), the next step of a
        shortest way to a position."""
        return self._toward.get(argument.id, argument.target)

    def links_to(self, entry_id: str) -> tuple[tuple[str, str], ...]:
        """(how, id) of the entries that restate ``entry_id`` or, being positions, attack it."""
        return self._links.get(entry_id, ())

    def collection(self, kind: Kind) -> tuple[Entry, ...]:
        return getattr(self, kind.value)  # type: ignore[no-any-return]

    def entries(self) -> Iterator[Entry]:
        """Every entry, collection by collection, in file order."""
        # (a C iterator: a generator's resuming cost a search's list of 37,500 entries 0.5 ms)
        return chain.from_iterable([self.collection(kind) for kind in Kind])

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    @property
    def ids(self) -> Mapping[str, Entry]:
        return self._by_id

    def replies_to(self, entry_id: str) -> tuple[Argument, ...]:
        """Arguments whose target is ``entry_id`` (supports and attacks), in file order."""
        return self._replies.get(entry_id, ())

    @property
    def replies(self) -> Mapping[str, tuple[Argument, ...]]:
        """Every target id -> the arguments replying to it (see :meth:`replies_to`)."""
        return self._replies

    # A library (policyx.kb.library.Library) is a knowledge base of several: these say
    # where its entries come from. One knowledge base answers None and ().

    def kb_of(self, entry_id: str) -> str | None:
        """The name of the knowledge base of a library that ``entry_id`` comes from."""
        return None

    def kbs_of(self, entry_ids: Sequence[str | None]) -> list[str | None]:
        """:meth:`kb_of` of each of ``entry_ids`` (None for None), at once: what names the
        records of a listing."""
        return [None] * len(entry_ids)

    def qualified(self, entry_id: str) -> tuple[str, ...]:
        """The ``NAME:id`` ids a plain id stands for when several knowledge bases of a library use it."""
        return ()

    def file_of(self, entry_id: str) -> str:
        """The knowledge base file an entry comes from (a source's ``file`` is relative to its folder)."""
        return self.path
