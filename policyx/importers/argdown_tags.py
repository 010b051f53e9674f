"""An Argdown text without its tags, in one pass however many tags a line holds.

A trailing tag goes (nothing but blanks and tags follow it in the text as stripped so far); an
inline one keeps its word (``#safety`` -> ``safety``, ``#(road safety)`` -> ``road safety``).
Tags are taken from the last to the first, as Argdown's ranges place them. Rebuilding the text
for each tag and looking at all that follows it made 40,000 tags on one line take 9 s (twice
the tags, 3.4 times the time); here each character is looked at a bounded number of times.

What follows a tag is known by a summary of the text stripped so far (:class:`_Tail`), not by
reading it again: whether its words are all tags, and enough of its first word (no blank in it)
to tell whether that word, joined to what comes before it, is a tag.
"""

from __future__ import annotations

import re

from ..kb.struct import dataclass

TAG = re.compile(r"#\([^)]*\)|#[^\s#]+")
_BLANK = re.compile(r"\s")


@dataclass(frozen=True)
class _Word:
    """A run of characters without a blank, as much of it as tells whether it is a tag."""

    head: str = ""  # its first two characters
    hashes: int = 0  # how many '#' it holds
    closes: int = 0  # how many ')' it holds
    last: str = ""  # its last character
    size: int = 0

    @staticmethod
    def of(text: str) -> _Word:
        return _Word(text[:2], text.count("#"), text.count(")"), text[-1:], len(text))

    def __add__(self, other: _Word) -> _Word:
        if not other.size:
            return self
        if not self.size:
            return other
        return _Word((self.head + other.head)[:2], self.hashes + other.hashes, self.closes + other.closes,
                     other.last, self.size + other.size)

    def is_tag(self) -> bool:
        """Whether the word (no blank in it) is one whole tag, as ``TAG.fullmatch`` says."""
        if self.head == "#(" and self.closes == 1 and self.last == ")":
            return True  # #\([^)]*\)
        return self.size > 1 and self.head[:1] == "#" and self.hashes == 1  # #[^\s#]+


@dataclass(frozen=True)
class _Tail:
    """The text stripped so far, after the tag being looked at: its first word (empty when it
    starts with a blank) and whether its other words are all tags."""

    first: _Word = _Word()
    others_tags: bool = True


def _join(text: str, tail: _Tail) -> tuple[bool, _Tail]:
    """Whether the words of ``text + tail`` are all tags, and the summary of ``text + tail``."""
    if not text:
        return (tail.first.is_tag() or not tail.first.size) and tail.others_tags, tail
    if not _BLANK.search(text):  # one word, joined to the tail's first
        first = _Word.of(text) + tail.first
        return (first.is_tag() and tail.others_tags), _Tail(first, tail.others_tags)
    words = text.split()
    lead = "" if text[0].isspace() else words[0]
    trail = "" if text[-1].isspace() else words[-1]
    middle = words[(1 if lead else 0):(len(words) - 1 if trail else len(words))]
    joined = _Word.of(trail) + tail.first  # the last word of text, running on into the tail
    others = all(TAG.fullmatch(word) for word in middle) and (joined.is_tag() or not joined.size) \
        and tail.others_tags
    first = _Word.of(lead)
    return (others and (first.is_tag() or not first.size)), _Tail(first, others)


def strip_tags(text: str, starts: list[int]) -> str:
    """``text`` without the tags that start at ``starts`` (indexes into ``text``): a trailing one
    goes, an inline one keeps its word. A tag runs at most to where the next one starts."""
    pieces: list[str] = []  # the text stripped so far, from its end
    tail = _Tail()
    cursor = len(text)  # where the text stripped so far starts
    for start in sorted(set(starts), reverse=True):
        if start >= cursor:
            continue
        match = TAG.match(text, start, cursor)
        if match is None:
            continue
        between = text[match.end():cursor]
        trailing, after = _join(between, tail)
        token = match.group(0)
        kept = "" if trailing else (token[2:-1] if token.startswith("#(") else token[1:])
        _, tail = _join(kept, after)
        pieces += (between, kept)
        cursor = start
    pieces.append(text[:cursor])
    return "".join(reversed(pieces))
