"""Checks beyond the schema: quotes verbatim in their sources, and warnings.

Pure given the texts of the sources: :func:`check` takes a function that
returns a source's text, so tests can pass texts directly.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate, compress

from . import schema
from .errors import KnowledgeBaseError, Problem
from .model import Entry, KnowledgeBase, Question, QuoteCheck, Source, Stance, kind_of
from .schema import QUOTE_SOURCES, QUOTED_KINDS
from .sourceindex import SourceIndex, longest_prefix
from .sourceindex import normalize_quote as normalize_quote  # re-exported: tests and tools use it here


def first_difference(quote: str, text: str) -> str | None:
    """Where a (normalized) quote leaves its (normalized) source: the longest start
    of the quote found in the source, then a few words of each from there. None
    when not even the first words are in the source."""
    low, at, _ = longest_prefix(quote, text)
    return describe_difference(quote, text, low, at)


def describe_difference(quote: str, text: str, low: int, found_at: int) -> str | None:
    """:func:`first_difference`'s words, given where the longest start of the quote
    (``low`` characters long) was found in the text."""
    start = quote.rfind(" ", 0, low) + 1  # back to the start of the word that differs
    if start < 12:
        return None  # too little in common to point at one place
    at = found_at + start
    before = quote[max(0, start - 25):start]
    if start > 25 and quote[start - 26] != " ":  # do not begin halfway through a word
        before = before[before.find(" ") + 1:]
    return f"after {before!r}, the quote has {_words(quote[start:])} " \
        f"where the source has {_words(text[at:at + 200])}"


def _words(part: str) -> str:
    """A few words from the start of ``part``, quoted, for a message."""
    shown = " ".join(part.split(" ")[:4])
    return repr(shown if len(shown) <= 40 else shown[:39] + "…") if part else "nothing more"


def _difference_at_the_start(quote: str, text: str) -> str | None:
    """A quote that differs from its first word: only in the case of letters (a sentence's
    capital where the source is mid-sentence), or in a first word the source does not have."""
    folded_quote, folded_text = quote.casefold(), text.casefold()
    if len(folded_quote) == len(quote) and len(folded_text) == len(text) and folded_quote in folded_text:
        at = folded_text.find(folded_quote)
        differs = next((i for i, (a, b) in enumerate(zip(quote, text[at:], strict=False)) if a != b), None)
        if differs is None:
            return None
        word = quote.rfind(" ", 0, differs) + 1
        return (f"the quote has {_words(quote[word:])} where the source has {_words(text[at + word:])}"
                " (the case of a letter differs)")
    first, _, rest = quote.partition(" ")
    if len(rest) >= 12 and rest in text:
        preceding = text[:text.find(rest)].rstrip().rsplit(" ", 1)[-1]
        if preceding:
            return f"the quote begins with {first!r} where the source has {preceding!r}"
        return f"the quote begins with {first!r}, which the source does not have there"
    return None


def check(
    kb: KnowledgeBase,
    source_text: Callable[[Source], str],
    index: Callable[[str], SourceIndex] = SourceIndex,
) -> list[Problem]:
    """Problems (errors and warnings) of a valid knowledge base, in file order.

    Each source is read and indexed once (``index``), however many quotes it has;
    each quote then costs at most one pass over the source's text."""
    texts = _SourceTexts(kb, source_text, index)
    problems = _quote_problems(kb, texts, missing=True)
    if not kb.positions:
        problems.append(Problem(
            "the knowledge base has no positions: every read command will print nothing", kb.path,
            hint="add questions and the positions that answer them; docs/schema.md describes both", severity="warning",
        ))
    problems += _outcome_problems(kb)
    for position in kb.positions:
        if not any(a.stance is Stance.FOR for a in kb.replies_to(position.id)):
            problems.append(Problem(
                f"position {position.id!r} has no argument for it", kb.path, entry=position.id,
                hint="add an argument with 'for: " + position.id + "' if the source gives one",
                severity="warning",
            ))
    for source in kb.sources:
        if source.file is None:
            problems.append(Problem(f"source {source.id!r} has no 'file': its quotes cannot be checked",
                                    kb.path, entry=source.id, severity="warning"))
        else:  # a 'file' that cannot be read is an error even before anything quotes it
            texts.get(source.id)
    return problems + texts.problems


def quote_check(kb: KnowledgeBase, source_text: Callable[[Source], str]) -> QuoteCheck:
    """Every quote compared with its source's text, as every command that opens a knowledge
    base has it done (the cache keeps the result): the quotes not verbatim, the quoted
    sources that could not be read or name no file, and how many quotes were verbatim."""
    texts = _SourceTexts(kb, source_text, SourceIndex)
    wrong = _quote_problems(kb, texts)
    quoted = [(words, source) for _, _, words, source in _quotes(kb) if source is not None]
    sources = dict.fromkeys(source for words, source in quoted if words is not None)
    unread = {p.entry: p.message for p in texts.problems}
    unchecked = []
    for source_id in sources:
        if texts.get(source_id) is None:
            unchecked.append((source_id, unread.get(source_id, f"source {source_id!r} names no file")))
    checked = sum(1 for words, source in quoted if words is not None and texts.get(source) is not None)
    return QuoteCheck(
        not_verbatim=tuple((p.entry or "", p.field or "quote", p.message) for p in wrong),
        unchecked=tuple(unchecked), verbatim=checked - len(wrong),
    )


def _quote_problems(kb: KnowledgeBase, texts: _SourceTexts, missing: bool = False) -> list[Problem]:
    """Each quote not verbatim in its source, entry by entry; with ``missing``, also a
    warning for each position and argument without a quote."""
    quoted = _quotes(kb)
    normalized: dict[tuple[str, str], str] = {}
    for entry, quote_field, words, source in quoted:  # every quote's start, for one pass over each source
        if words is not None:
            normalized[entry.id, quote_field] = texts.want(source or "", normalize_quote(words))
    problems = []
    for entry, quote_field, _, source_field in quoted:
        if missing and quote_field == "quote" and not isinstance(entry, Question):
            problem = _missing_quote(kb, entry)
            if problem is not None:
                problems.append(problem)
        words = normalized.get((entry.id, quote_field))
        if words is not None:
            problem = _quote_problem(kb, entry, words, quote_field, source_field, texts)
            if problem is not None:
                problems.append(problem)
    return problems


def _outcome_problems(kb: KnowledgeBase) -> list[Problem]:
    """A question nobody answered, one whose outcome is not recorded, an outcome without a quote."""
    problems = []
    answered = {p.question for p in kb.positions}
    for question in kb.questions:
        if question.id not in answered:
            problems.append(Problem(
                f"question {question.id!r} has no positions", kb.path, entry=question.id,
                hint="add the positions the source records as answers to it, or remove the question",
                severity="warning",
            ))
        elif question.outcome is None:
            problems.append(Problem(
                f"question {question.id!r} has no recorded outcome", kb.path, entry=question.id,
                hint="if the source records what it came to, even 'no decision was reached', add 'outcome:'"
                     " with its words as 'outcome_quote' and 'outcome_source'; nothing is shown otherwise",
                severity="warning",
            ))
        if question.outcome is not None and question.outcome_quote is None:
            problems.append(Problem(
                f"question {question.id!r}: its outcome has no quote", kb.path, entry=question.id,
                hint="add the source's words as 'outcome_quote' (and 'outcome_source')", severity="warning",
                field="outcome",
            ))
    return problems


#: how many characters of each word start of a source's text index it (see _SourceTexts.verbatim)
_KEY = 24
#: how much of a source's text _word_starts splits at a time (its memory: a few times this)
_CHUNK = 1 << 18
#: quotes shorter than _KEY of one length in one source from which they are looked for in the pass
#: over its word starts (one more slice a word) rather than each searched for in the whole text
_MANY = 64


def _word_starts(text: str, wanted: set[str]) -> dict[str, int]:
    """Where in ``text`` (words separated by single spaces) a word begins with one of the
    ``wanted`` starts (of _KEY characters, or whole quotes shorter than that, one slice per
    word for each length wanted): the work is done in C (split, accumulate, compress), a piece
    of the text at a time, so that its memory does not grow with the text."""

    starts: dict[str, int] = {}
    if not wanted:
        return starts
    sizes = sorted({len(key) for key in wanted})
    begin = 0
    while begin <= len(text):
        end = text.find(" ", begin + _CHUNK)
        end = len(text) if end < 0 else end
        lengths = list(map((1).__add__, map(len, text[begin:end].split(" "))))
        positions = list(accumulate(lengths[:-1], initial=begin))
        for size in sizes:
            keys = list(map(text.__getitem__, map(slice, positions, map(size.__add__, positions))))
            starts.update(compress(zip(keys, positions, strict=True), map(wanted.__contains__, keys)))
        begin = end + 1
    return starts


def _contains(text: str, quote: str) -> bool:
    """The search of the whole text, for a quote the word starts did not place (tests count them)."""
    return quote in text


class _SourceTexts:
    """The index of each source's text, read once; a source that cannot be read
    adds its problem (once) and has no text."""

    def __init__(self, kb: KnowledgeBase, source_text: Callable[[Source], str],
                 index: Callable[[str], SourceIndex]) -> None:
        self.kb = kb
        self.source_text = source_text
        self.index = index
        self.texts: dict[str, SourceIndex | None] = {}
        self.problems: list[Problem] = []
        self._wanted: dict[str, set[str]] = {}
        self._short: dict[str, dict[int, set[str]]] = {}
        self._starts: dict[str, dict[str, int]] = {}

    def want(self, source_id: str, quote: str) -> str:
        """Note that the (normalized) ``quote`` will be looked for in the source; returns it."""
        if len(quote) >= _KEY:
            self._wanted.setdefault(source_id, set()).add(quote[:_KEY])
        elif quote:
            self._short.setdefault(source_id, {}).setdefault(len(quote), set()).add(quote)
        return quote

    def verbatim(self, source_id: str, quote: str) -> bool:
        """Whether the (normalized) quote is in the source's strict text, found at once when it
        begins a word of the text: most quotes do, and a knowledge base of many quotes from
        long sources would otherwise search each text once per quote (100,000 arguments: ten
        seconds). On the first look-up in a source, one pass over its word starts
        (:func:`_word_starts`) notes where the starts of the quotes :meth:`want` named occur, and
        where the shorter quotes do, when there are many of one length (an AIF map's claims are
        often shorter than a start: 100,000 of them searched for one by one took 35 seconds); a
        quote not found that way is searched for in full."""
        index = self.texts[source_id]
        assert index is not None
        text = index.strict.text
        starts = self._starts.get(source_id)
        if starts is None:
            wanted = set(self._wanted.get(source_id, ()))
            for quotes in self._short.get(source_id, {}).values():
                if len(quotes) >= _MANY:
                    wanted |= quotes
            starts = self._starts[source_id] = _word_starts(text, wanted)
        at = starts.get(quote[:_KEY])
        if at is not None and text.startswith(quote, at):
            return True
        return _contains(text, quote)

    def get(self, source_id: str) -> SourceIndex | None:
        if source_id not in self.texts:
            source = self.kb.get(source_id)
            assert isinstance(source, Source)
            self.texts[source_id] = None
            if source.file is not None:
                try:
                    self.texts[source_id] = self.index(self.source_text(source))
                except KnowledgeBaseError as exc:
                    self.problems.extend(exc.problems)
        return self.texts[source_id]


def _quotes(kb: KnowledgeBase) -> list[tuple[Entry, str, str | None, str | None]]:
    """(entry, quote field, words, source id) of every quote field of the knowledge base; in
    version 2 also each act's and premise's, as ``acts[0].quote``, ``premises[1].quote``."""
    quoted = [(entry, quote, getattr(entry, quote), getattr(entry, source))
              for kind in QUOTED_KINDS for entry in kb.collection(kind) for quote, source in QUOTE_SOURCES[kind]]
    if kb.version >= 2:
        for kind in QUOTED_KINDS:
            for entry in kb.collection(kind):
                for name in ("acts", "premises"):
                    for at, item in enumerate(getattr(entry, name, ())):
                        quoted.append((entry, f"{name}[{at}].quote", item.quote, item.source))
    return quoted


def _field_words(quote_field: str) -> str:
    """``outcome_quote`` -> "outcome quote", ``acts[0].quote`` -> "act #1's quote"."""
    if "[" not in quote_field:
        return quote_field.replace("_", " ")
    name, rest = quote_field.split("[", 1)
    return f"{name[:-1]} #{int(rest.split(']', 1)[0]) + 1}'s quote"


def _missing_quote(kb: KnowledgeBase, entry: Entry) -> Problem | None:
    """A position or an argument without the source's words: a warning."""
    if getattr(entry, "quote", None) is not None:
        return None
    if any(item.quote for name in ("acts", "premises") for item in getattr(entry, name, ())):
        return None  # version 2: the source's words are in its acts or premises
    return Problem(f"{kind_of(entry).singular} {entry.id!r} has no quote", kb.path, entry=entry.id,
                   hint="add the source's words as 'quote'", severity="warning")


def _quote_problem(kb: KnowledgeBase, entry: Entry, quote: str, quote_field: str, source: str | None,
                   texts: _SourceTexts) -> Problem | None:
    """The entry's (normalized) ``quote``, from ``quote_field``, when it is not verbatim in its source."""
    assert source is not None
    text = texts.get(source)
    if text is None or texts.verbatim(source, quote):
        return None
    low, found_at = text.longest_prefix(quote)
    if low == len(quote):
        return None
    where = describe_difference(quote, text.strict.text, low, found_at) or _difference_at_the_start(
        quote, text.strict.text)
    what = "quote" if quote_field == "quote" else _field_words(quote_field)
    return Problem(
        f"{kind_of(entry).singular} {entry.id!r}: {what} is not verbatim in source {source!r}"
        + (f": {where}" if where else ""),
        kb.path, entry=entry.id,
        hint="copy the words exactly from the source file; only quote marks and spacing may differ",
        field=quote_field,
    )


def cap_problems(
    problems: list[Problem], path: str, limit: int = schema.MAX_PROBLEMS,
) -> tuple[list[Problem], int, int]:
    """At most ``limit`` of ``problems`` (errors first, then warnings, each kept in the order
    given), then one line saying how many more there are: (shown, errors not shown,
    warnings not shown). The line is an error when errors are left out, else a warning."""
    if len(problems) <= limit:
        return problems, 0, 0
    errors = [p for p in problems if p.severity == "error"]
    kept = {id(p) for p in errors[:limit]}
    kept.update(id(p) for p in [p for p in problems if p.severity != "error"][:max(0, limit - len(errors))])
    shown = [p for p in problems if id(p) in kept]
    hidden_errors = max(0, len(errors) - limit)
    hidden_warnings = len(problems) - len(shown) - hidden_errors
    shown.append(Problem(
        f"{hidden_errors + hidden_warnings} more problem(s) not shown (at most {limit} are reported)", path,
        hint="fix these first, then check again", severity="error" if hidden_errors else "warning",
    ))
    return shown, hidden_errors, hidden_warnings
