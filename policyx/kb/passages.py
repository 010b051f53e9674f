"""Find the passages of a source that best match approximate words.

A writer remembers a sentence roughly: another spelling, changed punctuation
or quote marks, a word or two different, part of a sentence. The finder cuts
the source into sentences once (:class:`PassageFinder`), compares the loose
folding of the words (see :mod:`policyx.sourceindex`) with every sentence,
and for the best ones finds the stretch of the sentence that matches (a
clause, or the sentence and its neighbour when the words run over), snapped
to whole words. Every passage is returned as the source's own text, with its
offsets, so it can be pasted, or written into a knowledge base, verbatim.

The similarity is RapidFuzz's (Indel distance, and its best-aligned
substring): measured against the standard library's difflib on the same
pipeline, it ranks as well or better and is 20-100 times faster (see
``benchmarks/quote_matchers.py``).

No I/O and no printing.
"""

from __future__ import annotations

import difflib
import math
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Sequence

from .sourceindex import SourceIndex, loose_words
from .struct import dataclass

#: where a sentence ends: end punctuation (and closing marks) before a space, or a blank line
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|\Z)|\n[ \t]*\r?\n")
#: a unit longer than this (a text without full stops) is cut at spaces into pieces this long
_LONGEST_UNIT = 600
#: how many sentences the fast first comparison keeps for the closer look
_SHORTLIST = 48
#: how many the matcher's fast comparison of every unit returns, before the lengths are weighed
_WIDE_SHORTLIST = 2000
#: a source of more units than this is first narrowed down to those sharing words looked for
_MANY_UNITS = 20_000
#: how many units the shared words narrow a large source down to (and those tied with the last)
_NARROWED = 4000
#: a word found more often than this in a source is too common to narrow the search
_COMMON_WORD = 20_000
_WORD = re.compile(r"\w")
_TOKEN = re.compile(r"\S+")
#: how many word edges either side of an aligned stretch's edges are tried
_EDGE_MOVES = 7
#: how much keeping all the words looked for counts, against similarity (0-100), in choosing edges
_COVERAGE_WEIGHT = 25.0
_CLOSING = "\"'\u201d\u2019\u00bb)].,;:!?\u2026"
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\Z")
#: a passage aligned with the words' first and last is preferred to one this much more similar
_REALIGNED_LOSS = 6.0
_OPENING = "\"'\u201c\u2018\u00ab(["
_STOPS = ".,;:!?\u2026"
_CLOSING_MARKS = "\"'\u201d\u2019\u00bb)]"


@dataclass(frozen=True)
class Passage:
    """A stretch of a source that matches the words looked for."""

    start: int
    end: int
    #: the source's own text, exactly
    text: str
    #: similarity of the (loose) words to the passage, 0-100
    score: float
    line: int
    column: int


@dataclass(frozen=True)
class SourcePassage:
    """A passage found in one of several texts: its source's id (None for a file outside a
    knowledge base) and the file as shown."""

    source: str | None
    file: str
    passage: Passage


@dataclass(frozen=True)
class Matcher:
    """The string similarity the finder uses; see :func:`rapidfuzz_matcher`."""

    #: (index, 0-100) of the (at most ``limit``) units that best hold the words anywhere in them
    shortlist: Callable[[str, Sequence[str], int], list[tuple[int, float]]]
    #: (start, end) of the stretch of a unit that best matches the words
    window: Callable[[str, str], tuple[int, int]]
    #: similarity of two strings, 0-100
    similarity: Callable[[str, str], float]


def rapidfuzz_matcher() -> Matcher:
    from rapidfuzz import fuzz, process  # lazy: RapidFuzz, only the commands that search need it

    def shortlist(words: str, units: Sequence[str], limit: int) -> list[tuple[int, float]]:
        found = process.extract(words, units, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=30)
        return [(index, score) for _, score, index in found]

    def window(words: str, unit: str) -> tuple[int, int]:
        aligned = fuzz.partial_ratio_alignment(words, unit)
        if aligned is None:
            return 0, len(unit)
        if len(words) <= len(unit):
            return aligned.dest_start, aligned.dest_end
        return aligned.src_start, aligned.src_end  # rapidfuzz aligns the shorter string

    def similarity(a: str, b: str) -> float:
        return float(fuzz.ratio(a, b))

    return Matcher(shortlist, window, similarity)


class PassageFinder:
    """A source cut into sentences once, for any number of searches."""

    def __init__(self, index: SourceIndex, matcher: Matcher | None = None) -> None:
        self.index = index
        self.matcher = matcher or rapidfuzz_matcher()
        loose = index.loose
        #: where each unit starts and ends in the loose text (arrays: a large source has many)
        self.starts, self.ends = array("q"), array("q")
        bounds = sentences(index.text)
        mapped = loose.from_sources(offset for bound in bounds for offset in bound)
        for a, b in zip(mapped[::2], mapped[1::2], strict=True):
            while a < b and loose.text[a] == " ":
                a += 1
            while b > a and loose.text[b - 1] == " ":
                b -= 1
            if a >= b:
                continue
            while b - a > _LONGEST_UNIT:  # no full stops: cut at a space
                cut = loose.text.rfind(" ", a + 1, a + _LONGEST_UNIT)
                cut = cut if cut > a else a + _LONGEST_UNIT
                self.starts.append(a)
                self.ends.append(cut)
                a = cut + 1 if loose.text[cut:cut + 1] == " " else cut
            self.starts.append(a)
            self.ends.append(b)
        #: each unit's loose text, for the matcher
        self.units = [loose.text[a:b] for a, b in zip(self.starts, self.ends, strict=True)]

    def find(self, words: str, limit: int = 5, min_score: float = 50.0) -> list[Passage]:
        """The passages that best match ``words``, best first (ties in source order), not overlapping."""
        wanted = loose_words(words)
        if not wanted or not self.units:
            return []
        candidates: list[tuple[float, int, int]] = []
        for unit in self._shortlist(wanted):
            candidates.extend(self._windows(wanted, unit))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        chosen: list[Passage] = []
        for score, start, end in candidates:
            if score < min_score or len(chosen) >= limit:
                break
            passage = self._passage(wanted, start, end, score)
            if passage is not None:
                passage = self.aligned(words, passage)
            if passage is not None and not any(_overlap(passage, other) for other in chosen):
                chosen.append(passage)
        return chosen

    def _shortlist(self, wanted: str) -> list[int]:
        """The units to look at closely. A unit shorter than the words matches them at best
        in part (a short sentence can be all inside the words): its score is scaled down
        to the best similarity a stretch of its length can reach, and its neighbours'
        lengths count too, since the words may run over into them."""
        size = len(wanted)
        scored = []
        among = self._sharing_words(wanted) if len(self.units) > _MANY_UNITS else None
        units = self.units if among is None else [self.units[i] for i in among]
        for found, score in self.matcher.shortlist(wanted, units, _WIDE_SHORTLIST):
            unit = found if among is None else among[found]
            length = len(self.units[unit])
            if length < size:
                around = length + max(len(self.units[unit - 1]) if unit else 0,
                                      len(self.units[unit + 1]) if unit + 1 < len(self.units) else 0)
                score *= min(1.0, 2 * around / (around + size)) * 2 * length / (length + size)
            scored.append((-score, unit))
        scored.sort()
        return [unit for _, unit in scored[:_SHORTLIST]]

    def _sharing_words(self, wanted: str) -> list[int] | None:
        """For a large source: the units that share the most (and the rarest) of the words
        looked for, so that the matcher compares the words with these only. A word found
        too often says little and is skipped; None when no word helps (the matcher then
        compares them all)."""
        text = self.index.loose.text
        weights: dict[int, float] = {}
        for word in {w.strip(_CLOSING + _OPENING) for w in wanted.split()}:
            if len(word) < 3:
                continue
            hits: list[int] = []
            at = text.find(word)
            while at >= 0 and len(hits) <= _COMMON_WORD:
                hits.append(at)
                at = text.find(word, at + len(word))
            if len(hits) > _COMMON_WORD:
                continue
            weight = len(word) / math.log2(2 + len(hits))
            for unit in {bisect_right(self.starts, hit) - 1 for hit in hits}:
                weights[unit] = weights.get(unit, 0.0) + weight
        if not weights:
            return None
        ranked = sorted(weights, key=lambda unit: (-weights[unit], unit))
        if len(ranked) > _NARROWED:  # keep those tied with the last one kept too: order says nothing
            least = weights[ranked[_NARROWED - 1]]
            ranked = [unit for unit in ranked[:_NARROWED * 4] if weights[unit] >= least]
        best = ranked
        # and their neighbours, where the words may run over
        return sorted({n for unit in best for n in (unit - 1, unit, unit + 1) if 0 <= n < len(self.units)})

    def _windows(self, wanted: str, unit: int) -> list[tuple[float, int, int]]:
        """Scored (score, loose start, loose end) stretches in and around one unit."""
        start, end = self.starts[unit], self.ends[unit]
        found = [self._best_window(wanted, start, end)]
        if len(wanted) > end - start:  # words that run over into the next or previous sentence
            for first, last in ((unit, unit + 1), (unit - 1, unit)):
                if 0 <= first and last < len(self.units):
                    found.append(self._best_window(wanted, self.starts[first], self.ends[last]))
        return found

    def _best_window(self, wanted: str, low: int, high: int) -> tuple[float, int, int]:
        """The best-matching stretch of loose[low:high] that starts and ends at a word's edge:
        the matcher's alignment, then each edge moved by up to a few words either way."""
        loose = self.index.loose.text
        if len(wanted) >= high - low:
            return self.matcher.similarity(wanted, loose[low:high]), low, high
        a, b = self.matcher.window(wanted, loose[low:high])
        a, b = low + a, low + b
        starts, ends = [], []
        for token in _TOKEN.finditer(loose, low, high):
            starts.append(token.start())
            ends.append(token.end())
            bare = token.end() - len(token.group(0)) + len(token.group(0).rstrip(_CLOSING))
            if token.start() < bare < token.end():
                ends.append(bare)
        starts = sorted(starts, key=lambda s: abs(s - a))[:_EDGE_MOVES]
        ends = sorted(ends, key=lambda e: abs(e - b))[:_EDGE_MOVES]
        # the edges are chosen for similarity and for keeping the words looked for: similarity
        # alone would rather cut a differing word at an edge than keep it ('The regulation of')
        terms = {word.strip(_CLOSING + _OPENING) for word in wanted.split()}
        weight = sum(map(len, terms)) or 1
        best, objective = (-1.0, a, b), -1.0
        for s in sorted(starts):
            for e in sorted(ends):
                if s < e:
                    score = self.matcher.similarity(wanted, loose[s:e])
                    kept = {word.strip(_CLOSING + _OPENING) for word in loose[s:e].split()} & terms
                    value = score + _COVERAGE_WEIGHT * sum(map(len, kept)) / weight
                    if value > objective:
                        best, objective = (score, s, e), value
        return best

    def aligned(self, quote: str, best: Passage) -> Passage:
        """``best`` with its edges where the quote's are. The most similar stretch leaves out a
        quote's wrong first or last word, where the writer meant the source's word there ('Part
        of the horror', not 'of the horror'). So the quote's words are aligned with the source's
        around ``best`` (a few words more each side), and the passage runs from the source words
        facing the quote's first words to those facing its last: as long as those are (in
        letters), and not into the sentence before or after."""
        text = self.index.text
        wanted = [_bare(word) for word in loose_words(quote).split()]
        room = max(0, len(wanted) - len(best.text.split())) + 2
        low, high = words_before(text, best.start, room), words_after(text, best.end, room)
        tokens = [(low + m.start(), low + m.end()) for m in re.finditer(r"\S+", text[low:high])]
        words = [_bare(loose_words(text[a:b])) for a, b in tokens]
        opcodes = [op for op in difflib.SequenceMatcher(None, wanted, words, autojunk=False).get_opcodes()
                   if op[0] != "insert"]  # words only the source has count where other words surround them
        equal = [number for number, op in enumerate(opcodes) if op[0] == "equal"]
        if not equal:
            return best
        first, last = opcodes[equal[0]][3], opcodes[equal[-1]][4]
        if equal[0] > 0:  # quote words before the first equal ones: the source words facing them
            _, i1, i2, j1, j2 = opcodes[equal[0] - 1]
            size = sum(len(w) + 1 for w in wanted[i1:i2])
            while first > j1 and abs(sum(len(w) + 1 for w in words[first - 1:j2]) - size) < \
                    abs(sum(len(w) + 1 for w in words[first:j2]) - size) and \
                    not _ENDS_SENTENCE.search(text[slice(*tokens[first - 1])]):
                first -= 1
        if equal[-1] < len(opcodes) - 1:  # and after the last ones
            _, i1, i2, j1, j2 = opcodes[equal[-1] + 1]
            size = sum(len(w) + 1 for w in wanted[i1:i2])
            while last < j2 and abs(sum(len(w) + 1 for w in words[j1:last + 1]) - size) < \
                    abs(sum(len(w) + 1 for w in words[j1:last]) - size) and \
                    not _ENDS_SENTENCE.search(text[slice(*tokens[last - 1])]):
                last += 1
        start, end = trim_marks(text, tokens[first][0], tokens[last - 1][1], quote.strip())
        if start >= end:
            return best
        found = self.passage_at(quote, start, end)
        return found if found.score >= best.score - _REALIGNED_LOSS else best

    def passage_at(self, words: str, start: int, end: int) -> Passage:
        """The source's text[start:end] as a passage, scored against ``words``."""
        text = self.index.text
        score = self.matcher.similarity(loose_words(words), loose_words(text[start:end]))
        line, column = self.index.position(start)
        return Passage(start, end, text[start:end], round(score, 1), line, column)

    def _passage(self, wanted: str, start: int, end: int, score: float) -> Passage | None:
        index = self.index
        a = index.loose.to_source(start)
        b = index.loose.to_source_end(end)
        text = index.text
        a, b = _whole_words(text, a, b, 0, len(text))
        # the marks around the words, when the words looked for have them too
        if not _WORD.match(wanted[-1]):
            for _ in range(3):
                if b < len(text) and text[b] in _CLOSING:
                    b += 1
        if not _WORD.match(wanted[0]):
            for _ in range(2):
                if a > 0 and text[a - 1] in _OPENING:
                    a -= 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            return None
        line, column = index.position(a)
        return Passage(a, b, text[a:b], round(score, 1), line, column)


def _bare(word: str) -> str:
    """A word without the punctuation and marks around it, for aligning words."""
    return word.strip(_CLOSING + _OPENING) or word


def trim_marks(text: str, start: int, end: int, words: str) -> tuple[int, int]:
    """text[start:end] without the punctuation and quote marks at its edges that ``words``
    does not have at its own."""
    inside = text[start:end]
    if words[-1:].isalnum():  # a closing mark goes too only when it closes nothing in the passage
        while end > start and text[end - 1] in _CLOSING and (
                text[end - 1] in _STOPS or not any(mark in inside for mark in _OPENING)):
            end -= 1
    if words[:1].isalnum():
        while start < end and text[start] in _OPENING and not any(mark in inside[1:] for mark in _CLOSING_MARKS):
            start += 1
    return start, end


def words_before(text: str, start: int, count: int) -> int:
    """``start`` moved back over ``count`` more words (and the spaces before them)."""
    for _ in range(count):
        at = start
        while at > 0 and text[at - 1].isspace():
            at -= 1
        while at > 0 and not text[at - 1].isspace():
            at -= 1
        if at == start or "\n\n" in text[at:start]:  # not past the start of the text or a paragraph
            break
        start = at
    return start


def words_after(text: str, end: int, count: int) -> int:
    """``end`` moved on over ``count`` more words (and the spaces before them)."""
    for _ in range(count):
        at = end
        while at < len(text) and text[at].isspace():
            at += 1
        while at < len(text) and not text[at].isspace():
            at += 1
        if at == end or "\n\n" in text[end:at]:
            break
        end = at
    return end


def _whole_words(text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """``start``/``end`` moved out to the edges of the words they cut, within [low, high]."""
    while low < start < high and _WORD.match(text[start - 1]) and _WORD.match(text[start]):
        start -= 1
    while low < end < high and _WORD.match(text[end - 1]) and _WORD.match(text[end]):
        end += 1
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return start, end


def _overlap(a: Passage, b: Passage) -> bool:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared * 2 > min(a.end - a.start, b.end - b.start)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, in order, without the spaces around it
    (a paragraph break ends one too)."""
    bounds = []
    last = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = len(text) if match is None else match.end() if match.group(0)[0] != "\n" else match.start()
        part = text[last:end]
        start = last + len(part) - len(part.lstrip())
        stop = last + len(part.rstrip())
        if start < stop:
            bounds.append((start, stop))
        last = len(text) if match is None else match.end()
    return bounds
