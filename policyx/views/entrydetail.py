"""``policyx explore``'s right-hand pane: an entry in full, as data.

:func:`detail`: its text, who asserted it, what is our interpretation (from the field
table), its quote inside the sentences around it in its source, whether the quote was
verified, and the ids it answers and is answered by; :class:`Standings`: its derived
grounded label, computed the first time one is asked for.
"""

from __future__ import annotations

from bisect import bisect_left
from threading import Lock
from typing import TYPE_CHECKING

from ..kb.errors import PolicyxError
from ..kb.load import read_source_text
from ..kb.model import (
    HOLDING_ACTS,
    Actor,
    Argument,
    Entry,
    Kind,
    KnowledgeBase,
    LegalModel,
    Position,
    Question,
    Source,
    kind_of,
)
from ..kb.passages import sentences
from ..kb.schema import FIELDS, QUOTE_SOURCES
from ..kb.sourceindex import SourceIndex
from ..kb.struct import dataclass, field
from . import framework
from .browse import relation_to
from .graph import ACT_WORDS
from .lookup import main_text

if TYPE_CHECKING:
    from .framework import Standing


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
    """Source texts read once each (the ``sources`` option honoured), for quotes in context.

    ``defer``: a source not read yet is not read by :meth:`get` (a large one takes tens of
    milliseconds to index): it says so (:attr:`READING`) and notes the source in ``waiting``,
    for :meth:`read_waiting` to read elsewhere (a thread)."""

    #: what :meth:`get` says of a source it left for later
    READING = "the source is being read"

    def __init__(self, kb: KnowledgeBase, sources: str | None = None, defer: bool = False) -> None:
        self.kb = kb
        self.sources = sources
        self.defer = defer
        self.waiting: set[str] = set()
        self._texts: dict[str, tuple[SourceIndex, list[tuple[int, int]], list[int]] | str] = {}

    def get(self, source: Source) -> tuple[SourceIndex, list[tuple[int, int]], list[int]] | str:
        """(the text, indexed for finding quotes; its sentences; where each sentence ends), or why
        it could not be read (or, deferred, that it is being read)."""
        found = self._texts.get(source.id)
        if found is not None:
            return found
        if self.defer:
            self.waiting.add(source.id)
            return self.READING
        return self.read(source)

    def read_waiting(self) -> bool:
        """Read the sources :meth:`get` left for later; whether it read any."""
        done = False
        while self.waiting:
            try:
                source = self.kb.get(self.waiting.pop())
            except KeyError:  # (another thread took the last one)
                break
            if isinstance(source, Source) and source.id not in self._texts:
                self.read(source)
                done = True
        return done

    def read(self, source: Source) -> tuple[SourceIndex, list[tuple[int, int]], list[int]] | str:
        """Read and index a source now (as :meth:`get`, deferred or not)."""
        try:
            text = read_source_text(self.kb, source, self.sources)
        except PolicyxError as exc:
            found: tuple[SourceIndex, list[tuple[int, int]], list[int]] | str = (
                exc.message.splitlines()[0] if exc.message else "cannot be read")
        else:
            bounds = sentences(text)
            found = (SourceIndex(text), bounds, [e for _, e in bounds])
        self._texts[source.id] = found
        return found


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
    index, bounds, ends = got  # (sentences are in order: a binary search finds the quote's)
    text = index.text
    span = index.find(words)
    if span is None:
        return QuoteInSource(quote_field, words, source_id, title, verified,
                             note="not found verbatim in the source's text")

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
        found.answered_by.append(_link(kb, other, "contradicted by position" if how == "attacked by position" else how))
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
                self._standing = framework.standing_of(self.kb)  # by its module: tests count the calls

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
