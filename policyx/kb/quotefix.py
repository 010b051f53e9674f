"""Which quotes ``policyx check`` may rewrite (its ``fix`` option), and to what.

A quote that is not verbatim is rewritten only when one passage of its source
is an unambiguous close match: similar enough (:data:`FIX_MIN_SCORE`), about
as long, and no passage with other words nearly as close
(:data:`AMBIGUITY_MARGIN`). It then becomes the source's exact words (runs
of whitespace as one space, which ``check`` treats alike). Anything else is
left for the writer, and reported by ``check`` as before.

No I/O and no printing: the caller passes a function that returns a source's text.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import KnowledgeBaseError
from .model import Argument, Kind, KnowledgeBase, Position, Question, Source
from .passages import Passage, PassageFinder
from .sourceindex import SourceIndex, loose_words
from .struct import dataclass

#: the least similarity (0-100, loose words) of a passage that a quote is rewritten to
FIX_MIN_SCORE = 85.0
#: a passage with other words within this many points of the best makes the fix ambiguous
AMBIGUITY_MARGIN = 5.0
#: the rewritten quote's loose length may differ from the old one's by at most this share
LENGTH_TOLERANCE = 0.15


@dataclass(frozen=True)
class QuoteFix:
    """A quote to rewrite: the entry, where its value is, the old and the new words."""

    kind: Kind
    position: int  # the entry's place in its collection
    entry: str
    source: str
    old: str
    new: str
    passage: Passage


@dataclass(frozen=True)
class QuoteLeft:
    """A quote that is not verbatim and is not rewritten, and why."""

    entry: str
    source: str
    reason: str  # "ambiguous" or "distant"
    passages: tuple[Passage, ...]


def plan_fixes(
    kb: KnowledgeBase, source_text: Callable[[Source], str],
) -> tuple[list[QuoteFix], list[QuoteLeft]]:
    """The quotes to rewrite and those left alone, in file order. Sources that cannot be
    read are skipped (``check`` reports them)."""
    finders: dict[str, PassageFinder | None] = {}
    fixes: list[QuoteFix] = []
    left: list[QuoteLeft] = []
    for kind in (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS):
        for position, entry in enumerate(kb.collection(kind)):
            assert isinstance(entry, (Question, Position, Argument))
            if entry.quote is None or entry.source is None:
                continue
            finder = _finder(kb, entry.source, source_text, finders)
            if finder is None or finder.index.contains(entry.quote):
                continue
            decision = decide(finder, entry.quote)
            if isinstance(decision, Passage):
                new = " ".join(decision.text.split())
                fixes.append(QuoteFix(kind, position, entry.id, entry.source, entry.quote, new, decision))
            else:
                reason, passages = decision
                left.append(QuoteLeft(entry.id, entry.source, reason, passages))
    return fixes, left


def decide(finder: PassageFinder, quote: str) -> Passage | tuple[str, tuple[Passage, ...]]:
    """The passage to rewrite ``quote`` to, or why not ("ambiguous"/"distant") and the candidates."""
    passages = tuple(finder.find(quote, limit=3, min_score=0))
    if not passages:
        return "distant", ()
    best = passages[0]
    wanted, found = loose_words(quote), loose_words(best.text)
    if best.score < FIX_MIN_SCORE or abs(len(found) - len(wanted)) > LENGTH_TOLERANCE * len(wanted):
        return "distant", passages
    for other in passages[1:]:
        if other.score >= best.score - AMBIGUITY_MARGIN and loose_words(other.text) != found:
            return "ambiguous", passages
    if not finder.index.contains(best.text):  # cannot happen: a passage is the source's own text
        return "distant", passages
    return best


def _finder(
    kb: KnowledgeBase, source_id: str, source_text: Callable[[Source], str], finders: dict[str, PassageFinder | None],
) -> PassageFinder | None:
    if source_id not in finders:
        source = kb.get(source_id)
        finders[source_id] = None
        if isinstance(source, Source) and source.file is not None:
            try:
                finders[source_id] = PassageFinder(SourceIndex(source_text(source)))
            except KnowledgeBaseError:
                pass
    return finders[source_id]
