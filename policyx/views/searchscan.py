"""Which entries ``policyx search`` finds, and in which of their fields each query word occurs:
exactly what folding each field of :func:`policyx.views.search.search_fields` finds, column by
column.

Making every entry's fields one by one cost most of a search of a large knowledge base, and
folding every column with ``str.casefold`` most of what was left (5 ns a character for any text
that is not ASCII: 0.05 s of 9 MB). Here each field of a collection is one column, the entries'
values joined by a separator no value holds, folded once; each query word is looked for at the
start of a word with one regular expression over the column, and a match names its entry by the
separators before it. A column of Latin-1 text searched for ASCII words is folded as bytes
(``bytes.lower``, 0.3 ns a character): the same matches, since no Latin-1 character but ``ß``
folds into ASCII letters (a column holding ``ß`` is casefolded), and the word before a match is
told by which bytes fold into a word character (:data:`_WORDISH`).

A field that holds several texts (tags, actors, premises) is one column of each entry's texts
joined by a line break; the texts of an entry found there are then folded one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from operator import attrgetter

from ..kb.model import Entry, Kind, KnowledgeBase
from ..kb.searchcolumns import SEP, Kept, actor_names, folded, has, joined, kept_actor_names, kept_columns, texts

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

#: the Latin-1 characters whose folded text ends in a word character (ASCII letters and digits,
#: "_", and the like of "é", "ª", "µ"), as a class of bytes: what may come before a word's start
_WORDISH = "".join(f"\\x{b:02x}" for b in range(256) if re.match(r"\w", chr(b).casefold()[-1:]))

#: one field's texts in an entry, for search: (field name as search_fields says it, text)
Texts = list[tuple[str, str]]
#: what an entry holds of a query: (field name, text, for each query word whether it begins
#: a word of the text), the fields where one does, in search_fields' order
Found = list[tuple[str, str, list[bool]]]
#: an entry's texts in a field of several, by the entry's position in its collection
Many = Callable[[int], Texts]


def word_start(term: str) -> re.Pattern[str]:
    """Where ``term`` begins a word of a folded text: ``" " + term in word_string(text)``, without
    the word string. (The test for the word before comes after the term, so that the regular
    expression looks for the term's letters first: 35 times faster than ``(?<!\\w)term``.)"""
    escaped = re.escape(term)
    return re.compile(f"{escaped}(?<!\\w{escaped})")


def _byte_start(term: str) -> re.Pattern[bytes]:
    """:func:`word_start` over Latin-1 text folded as bytes (ASCII ``term`` only)."""
    escaped = re.escape(term)
    return re.compile(f"{escaped}(?<![{_WORDISH}]{escaped})".encode("ascii"))


def _many(entries: Sequence[Entry], name: str, actor: dict[str, str]) -> Many | None:
    """What gives an entry's texts in a field of several, with the names search_fields gives
    them (None for a field of one)."""
    get = actor.get
    if name in ("tags", "also_known_as"):
        return lambda i: [(name, v) for v in getattr(entries[i], name)]
    if name == "held_by":
        return lambda i: [("actor", get(v, v)) for v in getattr(entries[i], name)]
    if name == "by":
        return lambda i: [("actor", get(by, by)) for by in (getattr(entries[i], name),)]
    if name == "acts":
        return lambda i: [("quote", act.quote) for act in getattr(entries[i], name) if act.quote]
    if name == "premises":
        return lambda i: [(n, t) for p in getattr(entries[i], name)
                          for n, t in (("premise", p.claim), ("quote", p.quote)) if t]
    return None


class _Folded:
    """One column folded, and the entries where a query word begins a word of it."""

    def __init__(self, values: Sequence[str | None], terms: list[str]) -> None:
        #: no value (None) is read as "None", a text a term may begin: its matches are dropped
        self.empty = [i for i, v in enumerate(values) if v is None] if any(map("none".startswith, terms)) else []
        text = joined(values)
        self.text: str | bytes
        if text.isascii():
            self.text = text.lower()  # the same as casefold for ASCII, 15 times faster
        else:
            self.text = folded(text) if all(map(str.isascii, terms)) else text.casefold()  # as the cache keeps it

    @classmethod
    def kept(cls, text: bytes | str) -> _Folded:
        """A column the cache kept (:func:`policyx.kb.searchcolumns.folded`), for a query
        of ASCII words none of which begins "none" (a column kept is read as made for such)."""
        made = cls.__new__(cls)
        made.empty, made.text = [], text
        return made

    def entries(self, term: str, patterns: dict[str, re.Pattern[str]]) -> list[int]:
        """The positions of the entries whose value holds ``term`` at the start of a word, in order."""
        text = self.text
        if isinstance(text, bytes):
            found = _entries(text, _byte_start(term), b"\0")
        else:
            found = _entries(text, patterns[term], SEP)
        if self.empty and "none".startswith(term):
            found = sorted(set(found).difference(self.empty))
        return found


def _entries(text: Any, pattern: Any, sep: Any) -> list[int]:
    found: list[int] = []
    index = last = 0
    while (match := pattern.search(text, last)) is not None:
        start = match.start()
        index += text.count(sep, last, start)
        found.append(index)
        last = text.find(sep, start) + 1  # the next entry's value: one match names an entry once
        if not last:
            break
        index += 1
    return found


def scan(kb: KnowledgeBase, terms: list[str], kinds: Iterable[Kind]) -> list[tuple[int, Found]]:
    """(position in ``kb.entries()``, where it holds the terms) of each entry of ``kinds`` where
    every term begins a word of some field a search reads, in order."""
    names = kept_actor_names(kb)
    if names is None:
        names = actor_names(kb)
    patterns = {term: word_start(term) for term in terms}
    wanted = set(kinds)
    # the columns the cache kept are folded for ASCII words, and read no missing value as "None"
    keeps = all(map(str.isascii, terms)) and not any(map("none".startswith, terms))
    found: list[tuple[int, Found]] = []
    base = 0
    for kind in Kind:
        entries = kb.collection(kind)
        if kind in wanted and entries:
            kept = kept_columns(kb, kind) if keeps else None
            found += [(base + i, held) for i, held in _in_collection(entries, kind, terms, patterns, names, kept)]
        base += len(entries)
    return found


def _folded(entries: Sequence[Entry], name: str, terms: list[str], actor: dict[str, str],
            kept: Kept | None) -> _Folded | None:
    """Field ``name``'s column folded (the cache's when it kept it); None when no entry has a text there."""
    if kept is not None and name in kept:
        text = kept[name]
        return None if text is None else _Folded.kept(text)
    values = texts(entries, name, actor)
    return None if values is None else _Folded(values, terms)


def _in_collection(
    entries: Sequence[Entry], kind: Kind, terms: list[str], patterns: dict[str, re.Pattern[str]],
    actor: dict[str, str], kept: Kept | None,
) -> list[tuple[int, Found]]:
    columns: list[tuple[str, Many | None, list[set[int]]]] = []
    covered: list[set[int]] = [set() for _ in terms]  # for each term, the entries some column holds it in
    for name in has(kind):
        folded = _folded(entries, name, terms, actor, kept)
        if folded is None:
            continue
        held = [set(folded.entries(term, patterns)) for term in terms]
        if any(held):
            columns.append((name, _many(entries, name, actor), held))
            for either, here in zip(covered, held, strict=True):
                either |= here
    starts = [patterns[term] for term in terms]
    chosen = set.intersection(*covered)
    # each entry's fields, column after column (in field order); the entries in order
    where: dict[int, Found] = {index: [] for index in sorted(chosen)}
    if len(terms) == 1:  # one word: every entry a column holds it in is chosen, and holds it there
        search = starts[0].search
        for name, many, (holding,) in columns:
            if many is not None:  # which of the entry's texts hold it
                for index in holding:
                    where[index] += [(text_name, text, _HOLDS_IT) for text_name, text in many(index)
                                     if search(text.casefold())]
            else:
                for index, text in zip(holding, map(attrgetter(name), map(entries.__getitem__, holding)), strict=True):
                    where[index].append((name, text, _HOLDS_IT))
        return list(where.items())
    for name, many, held in columns:
        if many is not None:
            for index in chosen.intersection(set().union(*held)):
                for text_name, text in many(index):  # which of the entry's texts hold which term
                    lowered = text.casefold()
                    each = [pattern.search(lowered) is not None for pattern in starts]
                    if True in each:
                        where[index].append((text_name, text, each))
        else:
            for index in chosen.intersection(set().union(*held)):
                where[index].append((name, getattr(entries[index], name), [index in here for here in held]))
    return list(where.items())


#: the flags of a field that holds the one word of a query (shared: never changed)
_HOLDS_IT = [True]
