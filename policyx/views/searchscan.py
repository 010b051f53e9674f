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
from dataclasses import fields
from operator import attrgetter

from ..kb.model import CLASS_OF, Entry, Kind, KnowledgeBase

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

#: the fields a search reads (search_fields'), in its order, as columns: plain texts...
_TEXTS = ("id", "claim", "text", "name", "title", "quote", "description", "summary", "note", "author", "event")
#: ... and those that hold several texts, or ids of actors whose names are read
_MANY = ("tags", "also_known_as", "held_by", "by", "premises", "acts")
#: between two entries' values in a column: not a word character (no match spans two); a value
#: holding it has it read as a space (which begins and ends the same words)
_SEP = "\0"
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


def _has(kind: Kind) -> tuple[str, ...]:
    names = {f.name for f in fields(CLASS_OF[kind])}
    return tuple(n for n in (*_TEXTS, *_MANY) if n in names)


def _column(entries: Sequence[Entry], name: str, actor: dict[str, str]) -> tuple[list[str], Many | None] | None:
    """Each entry's text in field ``name`` ("" for none), and for a field of several texts, what
    gives an entry's texts with the names search_fields gives them (None for a field of one);
    None when no entry has a text there."""
    values = list(map(attrgetter(name), entries))
    if not any(values):
        return None
    if name in ("tags", "also_known_as"):
        return list(map("\n".join, values)), lambda i: [(name, v) for v in values[i]]
    get = actor.get
    if name == "held_by":
        return ["\n".join(map(get, v, v)) for v in values], lambda i: [("actor", get(v, v)) for v in values[i]]
    if name == "by":
        return ["" if v is None else get(v, v) for v in values], lambda i: [("actor", get(values[i], values[i]))]
    if name in ("premises", "acts"):

        def many(i: int) -> Texts:
            if name == "acts":
                return [("quote", act.quote) for act in values[i] if act.quote]
            return [(n, t) for p in values[i] for n, t in (("premise", p.claim), ("quote", p.quote)) if t]

        return ["\n".join(t for _, t in many(i)) if v else "" for i, v in enumerate(values)], many
    return values, None  # str or None: see _Folded


class _Folded:
    """One column folded, and the entries where a query word begins a word of it."""

    def __init__(self, values: Sequence[str | None], terms: list[str]) -> None:
        #: no value (None) is read as "None", a text a term may begin: its matches are dropped
        self.empty = [i for i, v in enumerate(values) if v is None] if any(map("none".startswith, terms)) else []
        joined = _SEP.join(map(str, values))
        if joined.count(_SEP) != len(values) - 1:  # a value holds the separator: read as a space
            joined = _SEP.join(str(v).replace(_SEP, " ") for v in values)
        self.text: str | bytes
        if joined.isascii():
            self.text = joined.lower()  # the same as casefold for ASCII, 15 times faster
        else:
            latin1 = _latin1(joined) if all(map(str.isascii, terms)) and "\xdf" not in joined else None
            self.text = joined.casefold() if latin1 is None else latin1.lower()

    def entries(self, term: str, patterns: dict[str, re.Pattern[str]]) -> list[int]:
        """The positions of the entries whose value holds ``term`` at the start of a word, in order."""
        text = self.text
        if isinstance(text, bytes):
            found = _entries(text, _byte_start(term), b"\0")
        else:
            found = _entries(text, patterns[term], _SEP)
        if self.empty and "none".startswith(term):
            found = sorted(set(found).difference(self.empty))
        return found


def _latin1(text: str) -> bytes | None:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return None


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
    names = {a.id: a.name for a in kb.actors if kb.get(a.id) is a}  # as actor_names reads them
    patterns = {term: word_start(term) for term in terms}
    wanted = set(kinds)
    found: list[tuple[int, Found]] = []
    base = 0
    for kind in Kind:
        entries = kb.collection(kind)
        if kind in wanted and entries:
            found += [(base + i, held) for i, held in _in_collection(entries, _has(kind), terms, patterns, names)]
        base += len(entries)
    return found


def _in_collection(
    entries: Sequence[Entry], names: tuple[str, ...], terms: list[str], patterns: dict[str, re.Pattern[str]],
    actor: dict[str, str],
) -> list[tuple[int, Found]]:
    columns: list[tuple[str, list[str], Many | None, list[set[int]]]] = []
    covered: list[set[int]] = [set() for _ in terms]  # for each term, the entries some column holds it in
    for name in names:
        column = _column(entries, name, actor)
        if column is None:
            continue
        values, many = column
        folded = _Folded(values, terms)
        held = [set(folded.entries(term, patterns)) for term in terms]
        if any(held):
            columns.append((name, values, many, held))
            for either, here in zip(covered, held, strict=True):
                either |= here
    starts = [patterns[term] for term in terms]
    chosen = set.intersection(*covered)
    where: dict[int, Found] = {index: [] for index in chosen}
    for name, values, many, held in columns:  # each entry's fields, column after column: in field order
        if many is not None:
            for index in chosen.intersection(*held) if len(held) == 1 else chosen.intersection(set().union(*held)):
                for text_name, text in many(index):  # which of the entry's texts hold which term
                    lowered = text.casefold()
                    each = [pattern.search(lowered) is not None for pattern in starts]
                    if True in each:
                        where[index].append((text_name, text, each))
        elif len(held) == 1:  # one word: every field found holds it
            for index in chosen.intersection(held[0]):
                where[index].append((name, values[index], _HOLDS_IT))
        else:
            for index in chosen.intersection(set().union(*held)):
                where[index].append((name, values[index], [index in here for here in held]))
    return [(index, where[index]) for index in sorted(chosen)]


#: the flags of a field that holds the one word of a query (shared: never changed)
_HOLDS_IT = [True]
