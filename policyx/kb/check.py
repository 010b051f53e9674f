"""Checks beyond the schema: quotes verbatim in their sources, and warnings.

Pure given the texts of the sources: :func:`check` takes a function that
returns a source's text, so tests can pass texts directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import KnowledgeBaseError, Problem
from .model import Argument, KnowledgeBase, Position, Question, Source, Stance

_TYPOGRAPHIC = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
})
_SPACE = re.compile(r"\s+")


def normalize_quote(text: str) -> str:
    """What may differ between a quote and its source: typographic quotes and whitespace."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


def first_difference(quote: str, text: str) -> str | None:
    """Where a (normalized) quote leaves its (normalized) source: the longest start
    of the quote found in the source, then a few words of each from there. None
    when not even the first words are in the source."""
    low, high = 0, len(quote)  # the longest prefix found: a prefix found means every shorter one is
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    start = quote.rfind(" ", 0, low) + 1  # back to the start of the word that differs
    if start < 12:
        return None  # too little in common to point at one place
    at = text.find(quote[:low]) + start

    def words(part: str) -> str:
        shown = " ".join(part.split(" ")[:4])
        return repr(shown if len(shown) <= 40 else shown[:39] + "…") if part else "nothing more"

    before = quote[max(0, start - 25):start]
    if start > 25 and quote[start - 26] != " ":  # do not begin halfway through a word
        before = before[before.find(" ") + 1:]
    return f"after {before!r}, the quote has {words(quote[start:])} " \
        f"where the source has {words(text[at:])}"


def check(
    kb: KnowledgeBase,
    source_text: Callable[[Source], str],
) -> list[Problem]:
    """Problems (errors and warnings) of a valid knowledge base, in file order."""
    texts = _SourceTexts(kb, source_text)
    quoted: list[Question | Position | Argument] = [*kb.questions, *kb.positions, *kb.arguments]
    for entry in quoted:
        problem = _quote_problem(kb, entry, texts)
        if problem is not None:
            texts.problems.append(problem)
    if not kb.positions:
        texts.problems.append(Problem(
            "the knowledge base has no positions: every read command will print nothing", kb.path,
            hint="add questions and the positions that answer them; docs/schema.md describes both", severity="warning",
        ))
    for position in kb.positions:
        if not any(a.stance is Stance.FOR for a in kb.replies_to(position.id)):
            texts.problems.append(Problem(
                f"position {position.id!r} has no argument for it", kb.path, entry=position.id,
                hint="add an argument with 'for: " + position.id + "' if the source gives one",
                severity="warning",
            ))
    for source in kb.sources:
        if source.file is None:
            texts.problems.append(Problem(f"source {source.id!r} has no 'file': its quotes cannot be checked",
                                          kb.path, entry=source.id, severity="warning"))
        else:  # a 'file' that cannot be read is an error even before anything quotes it
            texts.get(source.id)
    return texts.problems


class _SourceTexts:
    """The normalized text of each source, read once; a source that cannot be read
    adds its problem (once) and has no text."""

    def __init__(self, kb: KnowledgeBase, source_text: Callable[[Source], str]) -> None:
        self.kb = kb
        self.source_text = source_text
        self.texts: dict[str, str | None] = {}
        self.problems: list[Problem] = []

    def get(self, source_id: str) -> str | None:
        if source_id not in self.texts:
            source = self.kb.get(source_id)
            assert isinstance(source, Source)
            self.texts[source_id] = None
            if source.file is not None:
                try:
                    self.texts[source_id] = normalize_quote(self.source_text(source))
                except KnowledgeBaseError as exc:
                    self.problems.extend(exc.problems)
        return self.texts[source_id]


def _quote_problem(kb: KnowledgeBase, entry: Question | Position | Argument, texts: _SourceTexts) -> Problem | None:
    """A missing quote (a warning, but for questions), or one not verbatim in its source."""
    kind = type(entry).__name__.lower()
    if entry.quote is None:
        if isinstance(entry, Question):
            return None
        return Problem(f"{kind} {entry.id!r} has no quote", kb.path, entry=entry.id,
                       hint="add the source's words as 'quote'", severity="warning")
    assert entry.source is not None
    text = texts.get(entry.source)
    quote = normalize_quote(entry.quote)
    if text is None or quote in text:
        return None
    where = first_difference(quote, text)
    return Problem(
        f"{kind} {entry.id!r}: quote is not verbatim in source {entry.source!r}" + (f": {where}" if where else ""),
        kb.path, entry=entry.id,
        hint="copy the words exactly from the source file; only quote marks and spacing may differ",
        field="quote",
    )
