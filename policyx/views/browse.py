"""``policyx explore``: the debate as a tree unfolded one node at a time, and an entry in full.

:class:`Outline` answers what the explorer's tree asks, node by node: the questions,
the children of an entry (a question's positions, an entry's replies, file order, as
:mod:`policyx.views.tree` nests them), the way from a question down to an entry, and
which entries a filter keeps (with the entries above them, so the tree can reach
them). Nothing is built for nodes nobody unfolds, so a corpus of tens of thousands
of claims opens as fast as one of ten.

:func:`detail` is an entry in full as data: its text, who asserted it, what is our
interpretation (from the field table), its quote inside the sentences around it in
its source, whether the quote was verified, and the ids it answers and is answered by.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from ..kb.errors import PolicyxError
from ..kb.load import read_source_text
from ..kb.model import (
    HOLDING_ACTS,
    Actor,
    Argument,
    ClaimType,
    Entry,
    Kind,
    KnowledgeBase,
    LegalModel,
    Position,
    Question,
    Source,
    Stance,
    kind_of,
)
from ..kb.schema import FIELDS, QUOTE_SOURCES
from ..kb.sourceindex import SourceIndex
from .filtering import filter_entries
from .graph import ACT_WORDS
from .listing import Filters
from .lookup import all_tags, main_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..kb.sourceindex import SourceIndex
    from .framework import Standing
    from .search import Hit

_E = TypeVar("_E", Question, Position, Argument, Position | Argument)

#: the collections the tree shows, top down
TREE_KINDS = (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS)


class Outline:
    """The tree of a knowledge base (questions -> positions -> arguments -> rebuttals), asked
    for one node's children at a time. ``member``: in a library, only that knowledge base's
    questions (and what is under them)."""

    def __init__(self, kb: KnowledgeBase, member: str | None = None) -> None:
        self.kb = kb
        self.member = member
        self._positions: dict[str, list[Position]] | None = None
        #: with a filter: the ids the tree shows (matches and the entries above them)
        self.visible: set[str] | None = None
        #: with a filter: the ids that match it
        self.matched: set[str] = set()

    def questions(self) -> list[Question]:
        found = [q for q in self.kb.questions if self.member is None or self.kb.kb_of(q.id) == self.member]
        return self._kept(found)

    def children(self, entry_id: str) -> list[Position | Argument]:
        """What hangs under an entry in the tree, file order: a question's positions, else
        the arguments that answer it (supports and attacks)."""
        entry = self.kb.get(entry_id)
        found: list[Position | Argument]
        if isinstance(entry, Question):
            if self._positions is None:
                self._positions = {}
                for position in self.kb.positions:
                    self._positions.setdefault(position.question, []).append(position)
            found = list(self._positions.get(entry_id, ()))
        else:
            found = list(self.kb.replies_to(entry_id))
        return self._kept(found)

    def branches(self, entry_id: str) -> list[Branch]:
        """:meth:`children` with how each bears on ``entry_id``, and whether it is shown
        whole here or is a reference to where it is (version 2: an argument answering
        several entries, or met again round a circle of attacks, is whole only under
        :meth:`parent`, so the tree is finite and each argument unfolds in one place)."""
        found = []
        for child in self.children(entry_id):
            if isinstance(child, Argument):
                found.append(Branch(child, relation_to(child, entry_id), self.parent(child.id) != entry_id))
            else:
                found.append(Branch(child, "position"))
        return found

    def has_children(self, entry_id: str) -> bool:
        entry = self.kb.get(entry_id)
        if isinstance(entry, Question):
            return bool(self.children(entry_id))
        if isinstance(entry, Argument) and entry.premises:
            return True
        replies = self.kb.replies_to(entry_id)
        return any(r.id in self.visible for r in replies) if self.visible is not None else bool(replies)

    def parent(self, entry_id: str) -> str | None:
        """Where the tree shows an entry whole: a position under its question, an argument
        under its target (version 2: the next step of a shortest way to a position)."""
        entry = self.kb.get(entry_id)
        if isinstance(entry, Argument):
            return self.kb.toward(entry)
        if isinstance(entry, Position):
            return entry.question
        return None

    def path(self, entry_id: str) -> list[str]:
        """The ids from the entry's question down to the entry (ends at a circle of
        attacks that reaches no position, if a file holds one)."""
        ids = [entry_id]
        seen = {entry_id}
        while (up := self.parent(ids[-1])) is not None and up not in seen:
            ids.append(up)
            seen.add(up)
        return ids[::-1]

    def in_tree(self, entry_id: str) -> bool:
        """Whether the tree (as filtered, and in this member) shows the entry."""
        entry = self.kb.get(entry_id)
        if entry is None or kind_of(entry) not in TREE_KINDS:
            return False
        if self.member is not None and self.kb.kb_of(self.path(entry_id)[0]) != self.member:
            return False
        return self.visible is None or entry_id in self.visible

    def set_filters(self, filters: Filters | None) -> int:
        """Keep only what ``filters`` match (and the entries above them); None: everything.
        Returns how many entries match (raises UsageError on a bad filter value)."""
        if filters is None or not filters.given():
            self.visible, self.matched = None, set()
            return 0
        matched: set[str] = set()
        for kind in (Kind.POSITIONS, Kind.ARGUMENTS):
            names = filters.given()
            if kind is Kind.POSITIONS and any(n in ("stance", "unanswered", "type") for n in names):
                continue  # those filters speak of arguments: positions show only above them
            matched.update(e.id for e in filter_entries(self.kb, kind, filters))
        visible: set[str] = set()
        for entry_id in matched:
            for step in reversed(self.path(entry_id)):
                if step in visible:
                    break
                visible.add(step)
        self.visible, self.matched = visible, matched
        return len(matched)

    def _kept(self, entries: list[_E]) -> list[_E]:
        if self.visible is None:
            return entries
        visible = self.visible
        return [e for e in entries if e.id in visible]


def relation_to(argument: Argument, target: str) -> str:
    """How an argument bears on one of its targets: ``for``, ``against`` or ``undercuts``."""
    if argument.undercuts == target:
        return "undercuts"
    return next((s.value for s, t in argument.relations if t == target), argument.stance.value)


@dataclass(frozen=True)
class Branch:
    """An entry under another in the tree: how it bears on it (``position``, ``for``,
    ``against``, ``undercuts``), and whether it is a reference to where it is shown whole."""

    entry: Position | Argument
    relation: str
    ref: bool = False


@dataclass(frozen=True)
class Link:
    """Another entry, as the detail names it: its id, how it relates, its text."""

    id: str
    relation: str
    text: str


@dataclass(frozen=True)
class QuoteInSource:
    """A quote inside its source: the sentence before, the quote, the sentence after (the
    source's own text), or the quote alone when the source could not be read."""

    field: str
    quote: str
    source: str | None
    source_title: str | None
    #: "verified" (verbatim in its source), "not verbatim", or "not checked"
    verified: str
    before: str = ""
    after: str = ""
    #: why the surrounding text is missing, when it is
    note: str | None = None


@dataclass(frozen=True)
class Detail:
    entry: Entry
    kind: str
    text: str
    #: (label, value) of the entry's own facts: stance, target, agreement, outcome...
    facts: list[tuple[str, str]] = field(default_factory=list)
    #: (role, actor name) of who asserted or held it
    who: list[tuple[str, str]] = field(default_factory=list)
    #: (label, value) of our reading of it (tags, claim type, legal models): interpretation
    interpretation: list[tuple[str, str]] = field(default_factory=list)
    quotes: list[QuoteInSource] = field(default_factory=list)
    answers: list[Link] = field(default_factory=list)
    answered_by: list[Link] = field(default_factory=list)
    #: in a library, the knowledge base it comes from
    kb: str | None = None
    #: version 2: an argument's linked premises (one reason), each claim with its quote
    premises: list[tuple[str, QuoteInSource | None]] = field(default_factory=list)
    #: version 2: each act on the entry: (what, who, its quote), "asserted by" first
    acts: list[tuple[str, str, QuoteInSource | None]] = field(default_factory=list)
    #: derived: (grounded label, why in one line), for a position or an argument
    standing: tuple[str, str] | None = None


_INTERPRETED: dict[Kind, tuple[str, ...]] = {
    kind: tuple(spec.name for spec in specs if spec.interpretation) for kind, specs in FIELDS.items()
}


class SourceTexts:
    """Source texts read once each (``--sources`` honoured), for quotes in context."""

    def __init__(self, kb: KnowledgeBase, sources: str | None = None) -> None:
        self.kb = kb
        self.sources = sources
        self._texts: dict[str, tuple[SourceIndex, list[tuple[int, int]]] | str] = {}

    def get(self, source: Source) -> tuple[SourceIndex, list[tuple[int, int]]] | str:
        """(the text, indexed for finding quotes; its sentences), or why it could not be read."""
        if source.id not in self._texts:
            from ..kb.passages import sentences

            try:
                text = read_source_text(self.kb, source, self.sources)
            except PolicyxError as exc:
                self._texts[source.id] = exc.message.splitlines()[0] if exc.message else "cannot be read"
            else:
                self._texts[source.id] = (SourceIndex(text), sentences(text))
        return self._texts[source.id]


def quote_in_source(kb: KnowledgeBase, entry: Entry, quote_field: str, source_field: str,
                    texts: SourceTexts) -> QuoteInSource | None:
    words = getattr(entry, quote_field, None)
    if not words:
        return None
    return quote_at(kb, entry.id, quote_field, words, getattr(entry, source_field, None), texts)


def quote_at(kb: KnowledgeBase, entry_id: str, quote_field: str, words: str, source_id: str | None,
             texts: SourceTexts) -> QuoteInSource:
    """``words`` inside the text of ``source_id``; ``quote_field`` as the quote check names it
    (``quote``, ``acts[0].quote``...)."""
    source = kb.get(source_id) if source_id else None
    title = source.title if isinstance(source, Source) else None
    checked = kb.quotes
    unchecked = checked is None or any(s == source_id for s, _ in checked.unchecked)
    verified = "not checked" if unchecked else (
        "verified" if checked is not None and checked.verbatim_at(entry_id, quote_field) else "not verbatim")
    if not isinstance(source, Source):
        return QuoteInSource(quote_field, words, source_id, title, verified, note="no source named")
    got = texts.get(source)
    if isinstance(got, str):
        return QuoteInSource(quote_field, words, source_id, title, verified, note=got)
    index, bounds = got
    text = index.text
    span = index.find(words)
    if span is None:
        return QuoteInSource(quote_field, words, source_id, title, verified,
                             note="not found verbatim in the source's text")

    ends = [e for _, e in bounds]  # (sentences are in order: a binary search finds the quote's)
    first = bisect_left(ends, span.start + 1)
    last = min(bisect_left(ends, span.end), len(bounds) - 1)
    start = bounds[first - 1][0] if first > 0 else (bounds[first][0] if first < len(bounds) else span.start)
    end = bounds[last + 1][1] if last + 1 < len(bounds) else (bounds[last][1] if bounds else span.end)
    start, end = min(start, span.start), max(end, span.end)
    return QuoteInSource(quote_field, text[span.start:span.end], source_id, title, verified,
                         before=text[start:span.start], after=text[span.end:end])


def _actor(kb: KnowledgeBase, actor_id: str) -> str:
    actor = kb.get(actor_id)
    return actor.name if isinstance(actor, Actor) else actor_id


def _link(kb: KnowledgeBase, entry_id: str, relation: str) -> Link:
    entry = kb.get(entry_id)
    return Link(entry_id, relation, main_text(entry) if entry is not None else "")


def detail(kb: KnowledgeBase, entry: Entry, texts: SourceTexts, standings: Standings | None = None) -> Detail:
    """An entry in full, as the explorer's right-hand pane shows it; with ``standings``, its
    standing (derived) too."""
    kind = kind_of(entry)
    found = Detail(entry, kind.singular, main_text(entry), kb=kb.kb_of(entry.id),
                   standing=standings.of(entry.id) if standings is not None else None)
    if isinstance(entry, Question):
        if entry.outcome:
            found.facts.append(("outcome", entry.outcome))
    elif isinstance(entry, Position):
        if entry.agreement is not None:
            found.facts.append(("agreement", entry.agreement.value))
        found.who.extend(("held by", _actor(kb, a)) for a in entry.held_by)
        if entry.note:
            found.facts.append(("note", entry.note))
        found.answers.append(_link(kb, entry.question, "answers"))
    elif isinstance(entry, Argument):
        if kb.version >= 2:
            found.facts.append(("answers", "; ".join(f"{relation_to(entry, t)} {t}" for _, t in entry.relations)))
            if entry.undercuts:
                found.facts.append(("undercuts", _undercut(kb, entry.undercuts)))
        else:
            found.facts.append(("stance", f"{entry.stance.value} {entry.target}"))
        if entry.by:
            found.who.append(("argued by", _actor(kb, entry.by)))
        if entry.note:
            found.facts.append(("note", entry.note))
        found.answers.extend(_link(kb, t, relation_to(entry, t)) for _, t in entry.relations)
    elif isinstance(entry, Actor):
        found.facts.append(("stands for", entry.stands_for.value))
        if entry.description:
            found.facts.append(("description", entry.description))
    elif isinstance(entry, LegalModel):
        found.facts.append(("summary", entry.summary))
        if entry.also_known_as:
            found.facts.append(("also known as", ", ".join(entry.also_known_as)))
    elif isinstance(entry, Source):
        found.facts.extend((name, value) for name in ("author", "event", "date", "file", "url")
                           if isinstance(value := getattr(entry, name), str))
    for name in _INTERPRETED[kind]:
        value = getattr(entry, name, None)
        if isinstance(value, tuple) and value:
            found.interpretation.append((name, ", ".join(value)))
        elif value is not None and not isinstance(value, tuple):
            found.interpretation.append((name, str(getattr(value, "value", value))))
    for quote_field, source_field in QUOTE_SOURCES.get(kind, ()):
        quote = quote_in_source(kb, entry, quote_field, source_field, texts)
        if quote is not None:
            found.quotes.append(quote)
    if isinstance(entry, Question):
        found.answered_by.extend(Link(p.id, "position", p.claim) for p in kb.positions if p.question == entry.id)
    else:
        found.answered_by.extend(Link(a.id, relation_to(a, entry.id), a.claim) for a in kb.replies_to(entry.id))
    if kb.version >= 2 and isinstance(entry, (Question, Position, Argument)):
        _graph_detail(kb, entry, found, texts)
    return found


def _undercut(kb: KnowledgeBase, argument_id: str) -> str:
    """Which step an undercut attacks: from the argument it undercuts to what that one answers."""
    attacked = kb.get(argument_id)
    if not isinstance(attacked, Argument):
        return argument_id
    return (f"the step from {attacked.id} to {', '.join(t for _, t in attacked.relations)}"
            " (its inference, not its claim)")


def _graph_detail(kb: KnowledgeBase, entry: Question | Position | Argument, found: Detail,
                  texts: SourceTexts) -> None:
    """What version 2 adds to the detail: linked premises, restatements, contradictions, acts."""
    if isinstance(entry, Argument):
        for at, premise in enumerate(entry.premises):
            quote = (quote_at(kb, entry.id, f"premises[{at}].quote", premise.quote, premise.source, texts)
                     if premise.quote else None)
            found.premises.append((premise.claim, quote))
    found.answers.extend(_link(kb, restated.partition(".")[0], "restates") for restated in entry.restates)
    if isinstance(entry, Position):
        found.answers.extend(_link(kb, other.partition(".")[0], "contradicts") for other in entry.against)
    for how, other in kb.links_to(entry.id):
        found.answered_by.append(_link(kb, other, "contradicted by" if how == "attacked by position" else how))
    order = list(ACT_WORDS)
    acts = sorted(enumerate(entry.acts), key=lambda pair: order.index(pair[1].act))
    for at, act in acts:
        quote = quote_at(kb, entry.id, f"acts[{at}].quote", act.quote, act.source, texts) if act.quote else None
        word = ACT_WORDS[act.act] + (" (holds it)" if act.act in HOLDING_ACTS else "")
        found.acts.append((word, _actor(kb, act.by), quote))


class Standings:
    """The grounded label of every position and argument (derived), computed the first time
    one is asked for: a knowledge base is labelled once, and only if someone looks."""

    #: what a position or an argument shows while the labels are being worked out elsewhere
    PENDING = ("being worked out", "")

    def __init__(self, kb: KnowledgeBase) -> None:
        from threading import Lock

        self.kb = kb
        self._standing: Standing | None = None
        self._lock = Lock()  # the labels may be worked out in a thread: once, the others wait
        #: how many positions and arguments there are to label
        self.size = len(kb.positions) + len(kb.arguments)

    @property
    def ready(self) -> bool:
        return self._standing is not None

    def wanted(self, entry_id: str) -> bool:
        """Whether the entry has a standing (a position or an argument)."""
        return isinstance(self.kb.get(entry_id), (Position, Argument))

    def compute(self) -> None:
        """Label the knowledge base (once; about a second for 20,000 arguments)."""
        with self._lock:
            if self._standing is None:
                from .framework import standing_of

                self._standing = standing_of(self.kb)

    def of(self, entry_id: str) -> tuple[str, str] | None:
        """(label, why in one line) of a position or an argument; None for anything else."""
        if not self.wanted(entry_id):
            return None
        self.compute()
        assert self._standing is not None
        label = self._standing.label(entry_id)
        return None if label is None else (label, self._standing.why(entry_id))


def links(found: Detail) -> list[Link]:
    """Every id the detail links to, in the order shown."""
    return [*found.answers, *found.answered_by]


def members(kb: KnowledgeBase) -> list[str]:
    """The names of a library's knowledge bases (none for one knowledge base)."""
    return [m.name for m in getattr(kb, "members", ())]


def filter_choices(kb: KnowledgeBase) -> dict[str, list[str]]:
    """What each filter of the explorer can be set to, in file order."""

    return {
        "tag": all_tags(kb),
        "by": [a.id for a in kb.actors],
        "stance": [s.value for s in Stance],
        "type": [t.value for t in ClaimType],
    }


def make_filters(chosen: dict[str, str], unanswered: bool) -> Filters:
    """The explorer's filters (one value each) as ``policyx list`` has them."""
    return Filters(tags=_one(chosen.get("tag")), by=_one(chosen.get("by")), stance=_one(chosen.get("stance")),
                   type=_one(chosen.get("type")), unanswered=unanswered)


def _one(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


class _Subset:
    """Some entries of a knowledge base, for :func:`policyx.views.search.search` to rank: it
    asks only for the entries and looks actors up by id."""

    def __init__(self, kb: KnowledgeBase, entries: list[Entry]) -> None:
        self._kb = kb
        self._entries = entries

    def entries(self) -> list[Entry]:
        return self._entries

    def get(self, entry_id: str) -> Entry | None:
        return self._kb.get(entry_id)


class Searcher:
    """``policyx search``'s ranking, as you type: the same :func:`~policyx.views.search.search`
    run on fewer entries. Each entry's searchable text is folded once; a query looks only
    at the entries whose text holds every word, and a query that narrows an earlier one
    (one more letter, one more word) only at that one's matches. The entries go through
    ``search`` a chunk at a time, so a newer query can stop an older one between chunks;
    the chunks' hits merged by (score, file order) are ``search``'s order (an entry's
    score depends on that entry alone)."""

    CHUNK = 400

    def __init__(self, kb: KnowledgeBase, kinds: tuple[Kind, ...] = TREE_KINDS) -> None:
        from threading import Lock

        self._lock = Lock()  # searches run in worker threads: one prepares, the others wait for it
        self.kb = kb
        self.kinds = kinds
        self._entries: list[Entry] | None = None
        self._blobs: list[str] = []
        self._order: dict[str, int] = {}
        self._done: dict[tuple[str, ...], list[Entry]] = {}

    def prepare(self) -> None:
        """Fold every entry's searchable text (once; a second or so for 20,000 entries)."""
        with self._lock:
            if self._entries is None:
                self._prepare()

    def _prepare(self) -> None:
        from .search import _search_fields

        entries = [e for kind in self.kinds for e in self.kb.collection(kind)]
        entries.sort(key=lambda e: self.kinds.index(kind_of(e)))
        self._blobs = ["\n".join(v for _, v in _search_fields(self.kb, e)).casefold() for e in entries]
        self._order = {e.id: i for i, e in enumerate(entries)}
        self._entries = entries

    def search(self, text: str, stop: Callable[[], bool] = lambda: False) -> list[str] | None:
        """The ids of the entries matching ``text``, best first (as ``policyx search`` ranks
        them); None when ``stop`` said to give up."""
        from .search import search, search_terms

        terms = tuple(search_terms(text))
        if not terms:
            return []
        self.prepare()
        assert self._entries is not None
        if terms in self._done:
            return [e.id for e in self._done[terms]]
        narrower = [hits for old, hits in self._done.items()
                    if all(any(new.startswith(t) for new in terms) for t in old)]
        if narrower:
            pool = min(narrower, key=len)
        else:
            pool = [e for e, blob in zip(self._entries, self._blobs, strict=True) if all(t in blob for t in terms)]
        hits: list[Hit] = []
        for start in range(0, len(pool), self.CHUNK):
            if stop():
                return None
            subset = _Subset(self.kb, pool[start:start + self.CHUNK])
            hits.extend(search(subset, text, self.kinds))  # type: ignore[arg-type]
        order = self._order
        hits.sort(key=lambda h: (-h.score, order[h.entry.id]))
        found = [h.entry for h in hits]
        if len(self._done) > 64:
            self._done.clear()
        self._done[terms] = found
        return [e.id for e in found]
