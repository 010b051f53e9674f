"""A source's text, indexed once: normalised for comparing quotes, mapped back to exact offsets.

Two foldings of the same text, each with a map from its offsets back to the
source's own offsets (so a passage found in a folded text is printed, and
written into a knowledge base, exactly as the source has it):

- ``strict``: what ``policyx check`` compares (:func:`normalize_quote`):
  typographic quote marks made straight, every run of whitespace one space.
  A quote is verbatim when its strict form is in the source's strict form.
- ``loose`` (built on first use): strict, plus lower case, every quote mark
  and apostrophe one mark, every dash a hyphen, British spellings American.
  For *finding* near-misses only, never for deciding that a quote is verbatim.

The maps are breakpoint lists, not one offset per character: memory stays a
small multiple of the text (each folding is one string the size of the text,
plus two integers per place where lengths change: line breaks, runs of
spaces, respelt words).

No I/O and no printing: callers pass the text.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable

from .struct import dataclass

_TYPOGRAPHIC: dict[int, str] = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
})
_SPACE = re.compile(r"\s+")
#: whitespace that folding changes: a run of two or more, or one that is not a plain space
_FOLDED_SPACE = re.compile(r"\s{2,}|[^\S ]")


def normalize_quote(text: str) -> str:
    """What may differ between a quote and its source: typographic quotes and whitespace."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHIC)).strip()


# Loose folding: one mark for every quote mark, one hyphen for every dash (each one character
# for one, so the map does not change), then British spellings respelt the American way.
_LOOSE_MARKS: dict[int, str] = str.maketrans({
    '"': '"', "'": '"', "`": '"', "\u00b4": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})
#: British spellings: (British start of a word, American start, what may follow in the word).
#: What follows: "" anything, "$" nothing, "s$" an optional 's', "sd$" an optional 's' or 'd'.
_RESPELL: tuple[tuple[str, str, str], ...] = (
    *((stem + "ur", stem + "r", "") for stem in (  # colour -> color, labourers -> laborers
        "arbo ardo armo behavio cando clamo colo endeavo favo flavo harbo hono humo labo neighbo odo "
        "parlo rigo rumo savo savio splendo tumo valo vapo vigo").split()),
    *((stem + "re", stem + "er", "sd$") for stem in "cent theat met lit fib calib somb spect meag lust sab".split()),
    *((stem + "ce", stem + "se", "s$") for stem in ("defen", "offen", "licen", "preten")),  # defence
    *((stem + "gue", stem + "g", "s$") for stem in "analo catalo dialo prolo epilo monolo".split()),
    ("programme", "program", "s$"),
    *((stem + "ement", stem + "ment", "s$") for stem in ("judg", "acknowledg", "abridg", "lodg")),
    *((stem + "ae", stem + "e", "") for stem in ("p", "an", "h", "encyclop", "ortho")),  # paediatric, anaemia
    *((stem + "oe", stem + "e", "") for stem in ("f", "man", "oesoph", "oestr")),  # foetus, manoeuvre
    ("grey", "gray", ""), ("ageing", "aging", "$"), ("sceptic", "skeptic", ""), ("tyre", "tire", "s$"),
    ("mould", "mold", ""), ("plough", "plow", ""), ("aluminium", "aluminum", "$"), ("jewellery", "jewelry", "$"),
)
#: endings respelt inside any word: -ise/-yse/-isation (organise -> organize) and a doubled 'l'
#: before an ending (travelled -> traveled). Every such word is respelt, also those spelt so in
#: America (rise -> rize): both sides of a comparison are folded alike, so only the few true
#: -ise/-ize pairs merge.
_ISE = re.compile(r"[iy]s(?:ation|ations|able|ing|ers|es|ed|er|e)\b")
_LL = re.compile(r"ll(?:ed|ing|er|ers|or|ors|ous)\b")
_WORD_CHAR = re.compile(r"\w")


def _respellings(text: str) -> list[tuple[int, int, str]]:
    """(start, end, new text) of every British spelling in (lower-case) ``text``, in order."""
    edits = []
    for british, american, follows in _RESPELL:
        if british not in text:  # most are absent: one fast scan each
            continue
        for match in re.finditer(re.escape(british), text):
            start, end = match.span()
            if start and _WORD_CHAR.match(text[start - 1]):
                continue
            if follows:
                tail = end
                if follows != "$" and text[tail:tail + 1] and text[tail] in follows[:-1]:
                    tail += 1
                if tail < len(text) and _WORD_CHAR.match(text[tail]):
                    continue
            edits.append((start, end, american))
    for match in _ISE.finditer(text):
        if match.start() and _WORD_CHAR.match(text[match.start() - 1]):
            edits.append((match.start() + 1, match.start() + 2, "z"))
    for match in _LL.finditer(text):
        if match.start() and text[match.start() - 1] in "aeiou":
            edits.append((match.start(), match.start() + 2, "l"))
    edits.sort()
    kept: list[tuple[int, int, str]] = []
    for edit in edits:  # two rules on one word ('labourised'): the first one only
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


@dataclass(frozen=True)
class Span:
    """A stretch of a source's own text: ``text[start:end]``."""

    start: int
    end: int


class Folding:
    """A folded text and the map from its offsets to those of the text it was folded from."""

    __slots__ = ("text", "_at", "_to")

    def __init__(self, text: str, at: array[int], to: array[int]) -> None:
        self.text = text
        #: breakpoints: from folded offset _at[i] on, source offset = _to[i] + (offset - _at[i])
        self._at = at
        self._to = to

    def to_source(self, offset: int) -> int:
        """The source offset of a folded offset (the start of a folded run for an offset inside it)."""
        i = bisect_right(self._at, offset) - 1
        source = self._to[i] + (offset - self._at[i])
        if i + 1 < len(self._at):
            source = min(source, self._to[i + 1])  # inside a shortened run: not past its end
        return source

    def to_source_end(self, offset: int) -> int:
        """The source offset for a folded *end* offset: past the whole run that ends there."""
        i = bisect_right(self._at, offset) - 1
        if offset == self._at[i] and i > 0:  # the end of the previous run: include all of it
            return self._to[i]
        return self.to_source(offset)

    def from_sources(self, offsets: Iterable[int]) -> list[int]:
        """:meth:`from_source` of many offsets in ascending order: one walk along the map."""
        at, to, size = self._at, self._to, len(self.text)
        found: list[int] = []
        i, last = 0, len(at) - 1
        for offset in offsets:
            while i < last and to[i + 1] <= offset:
                i += 1
            folded = at[i] + (offset - to[i])
            if i < last:
                folded = min(folded, at[i + 1])
            found.append(max(0, min(folded, size)))
        return found

    def from_source(self, offset: int) -> int:
        """The folded offset of a source offset (inside a folded run: its start)."""
        i = bisect_right(self._to, offset) - 1
        folded = self._at[i] + (offset - self._to[i])
        if i + 1 < len(self._at):
            folded = min(folded, self._at[i + 1])
        return max(0, min(folded, len(self.text)))


_WORD_RUN = re.compile(r"\w+")
_SLICE = 1 << 16


def _respell_words(text: str) -> list[tuple[int, int, str]]:
    """:func:`_respellings` of a large text, by way of its distinct words: a text of
    millions of words has some thousands of distinct ones, and few of them are British."""
    if len(text) < 100_000:
        return _respellings(text)
    words: set[str] = set()
    start = 0
    while start < len(text):  # a slice at a time: the list of all words would be many times the text
        end = text.find(" ", start + _SLICE)
        end = len(text) if end < 0 else end
        words.update(text[start:end].split(" "))
        start = end + 1
    distinct = "\n".join(words)
    changed: dict[str, str] = {}
    for start, end, new in _respellings(distinct):
        word = _WORD_RUN.search(distinct, distinct.rfind("\n", 0, start) + 1)
        if word is not None and word.start() <= start and end <= word.end():
            changed[word.group(0)] = word.group(0)[:start - word.start()] + new + word.group(0)[end - word.start():]
    edits = []
    for british, american in changed.items():
        at = text.find(british)
        while at >= 0:  # a literal search: a pattern with \b would try every position
            end = at + len(british)
            if not (at and _WORD_CHAR.match(text[at - 1])) and not _WORD_CHAR.match(text[end:end + 1] or " "):
                edits.append((at, end, american))
            at = text.find(british, end)
    edits.sort()
    return edits


def _edit(text: str, edits: Iterable[tuple[int, int, str]]) -> tuple[str, array[int], array[int]]:
    """``text`` with each (start, end, new) edit made (in order, not overlapping), and the
    breakpoints from the result's offsets back to ``text``'s."""
    at, to = array("q", [0]), array("q", [0])
    pieces: list[str] = []
    last = 0
    out = 0
    for start, end, new in edits:
        pieces.append(text[last:start])
        out += start - last
        pieces.append(new)
        at.append(out)
        to.append(start)
        out += len(new)
        at.append(out)
        to.append(end)
        last = end
    pieces.append(text[last:])
    return "".join(pieces), at, to


def _compose(outer: Folding, at: array[int], to: array[int], text: str) -> Folding:
    """A folding of ``outer.text`` (breakpoints ``at``/``to``) as a folding of the original."""
    if len(at) == 1:
        return Folding(text, outer._at, outer._to)
    # the union of both maps' breakpoints, expressed in the new folding's offsets
    points = sorted({*at, *(Folding(text, at, to).from_source(a) for a in outer._at)})
    new_at, new_to = array("q"), array("q")
    inner = Folding(text, at, to)
    for point in points:
        new_at.append(point)
        new_to.append(outer.to_source(inner.to_source(point)))
    return Folding(text, new_at, new_to)


def fold_strict(text: str) -> Folding:
    """:func:`normalize_quote` of ``text``, with its map back to ``text``."""
    start = len(text) - len(text.lstrip())
    spaced = _translate(text[start:len(text.rstrip())], _TYPOGRAPHIC)
    folded, at, to = _edit(spaced, ((m.start(), m.end(), " ") for m in _FOLDED_SPACE.finditer(spaced)))
    if start:
        to = array("q", (offset + start for offset in to))
    return Folding(folded, at, to)


def _translate(text: str, table: dict[int, str]) -> str:
    """``str.translate`` for a table of one character for one, at C speed (``translate`` with a
    dict is a Python-speed loop on large non-ASCII texts): one ``replace`` per character present."""
    for code, new in table.items():
        old = chr(code)
        if old != new and old in text:
            text = text.replace(old, new)
    return text


def _lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # a few letters lower to two characters ('İ'): keep those as they are, so offsets stay put
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def fold_loose(strict: Folding) -> Folding:
    """The loose folding (case, marks, dashes, spelling) on top of a strict one."""
    text = _translate(_lower(strict.text), _LOOSE_MARKS)
    new, at, to = _edit(text, _respell_words(text))
    return _compose(Folding(text, strict._at, strict._to), at, to, new)


def loose_words(text: str) -> str:
    """The loose folding of any text (a quote, a search): what :attr:`SourceIndex.loose` holds."""
    return fold_loose(fold_strict(text)).text


def longest_prefix(quote: str, text: str) -> tuple[int, int, int]:
    """(length, offset) of the longest start of ``quote`` found in ``text``, and the
    number of characters of ``text`` the search went through.

    One forward pass at most: each occurrence found is extended as far as it
    agrees, and the next search, for one character more, starts after it (a
    longer start can only occur later). Work: the text once, plus the quote's
    length for each occurrence that lengthened the match.
    """
    best, best_at, position, scanned = 0, 0, 0, 0
    limit = len(quote)
    while best < limit:
        found = text.find(quote[:best + 1], position)
        if found < 0:
            scanned += len(text) - position
            break
        length = best + 1
        while length < limit and found + length < len(text) and text[found + length] == quote[length]:
            length += 1
        scanned += found - position + length
        best, best_at, position = length, found, found + 1
    return best, best_at, scanned


class SourceIndex:
    """A source's text, folded once, for checking and finding many quotes in it.

    ``scanned`` counts the characters of the folded text that searches went
    through, so tests can assert the work done (not the time).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.strict = fold_strict(text)
        self._loose: Folding | None = None
        self.scanned = 0

    @property
    def loose(self) -> Folding:
        if self._loose is None:
            self._loose = fold_loose(self.strict)
        return self._loose

    def contains(self, quote: str) -> bool:
        """Whether ``quote`` is verbatim in the source (as ``policyx check`` decides)."""
        return self.longest_prefix(normalize_quote(quote))[0] == len(normalize_quote(quote))

    def find(self, quote: str) -> Span | None:
        """Where ``quote`` is verbatim in the source, as a span of the source's own text."""
        wanted = normalize_quote(quote)
        length, at = self.longest_prefix(wanted)
        if length < len(wanted) or not wanted:
            return None
        return self.span(self.strict, at, at + length)

    def span(self, folding: Folding, start: int, end: int) -> Span:
        """The source span of a span of one of its foldings."""
        return Span(folding.to_source(start), folding.to_source_end(end))

    def longest_prefix(self, quote: str) -> tuple[int, int]:
        """(length, offset) of the longest start of the strict ``quote`` in the strict text."""
        length, at, scanned = longest_prefix(quote, self.strict.text)
        self.scanned += scanned
        return length, at

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count characters."""
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1
