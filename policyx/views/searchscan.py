"""Which entries ``policyx search`` must score: those where every query word begins a word of
one of the fields it searches (:func:`policyx.views.search.search_fields`).

Making every entry's fields one by one cost most of a search of a large knowledge base (a
corpus of 34,000 entries: about 0.14 s before the first one was scored). Here each field of a
collection is one column, the entries' values joined by a separator no word holds, folded once;
each query word is looked for at the start of a word with one regular expression over the
column, and a match names its entry by where it falls. A column may hold more than the search
reads (an actor's id beside its name): the entries found are never fewer than those a search
scores, and :func:`policyx.views.search.search` scores each of them as before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import fields
from itertools import accumulate
from operator import attrgetter

from ..kb.model import CLASS_OF, Entry, Kind, KnowledgeBase

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

#: the fields a search reads (search_fields'), as columns: plain texts...
_TEXTS = ("id", "claim", "text", "name", "title", "quote", "description", "summary", "note", "author", "event")
#: ... and those that hold several texts, or ids of actors whose names are read
_MANY = ("tags", "also_known_as", "held_by", "by", "premises", "acts")
#: between two entries' values in a column: not a word character (no match spans two), and
#: in no text (a value's own several texts are joined by a line break)
_SEP = "\0"
_SEPARATOR = re.compile(_SEP)


def word_start(term: str) -> re.Pattern[str]:
    """Where ``term`` begins a word of a folded text: ``" " + term in word_string(text)``, without
    the word string. (The test for the word before comes after the term, so that the regular
    expression looks for the term's letters first: 35 times faster than ``(?<!\\w)term``.)"""
    escaped = re.escape(term)
    return re.compile(f"{escaped}(?<!\\w{escaped})")


def _has(kind: Kind) -> tuple[str, ...]:
    names = {f.name for f in fields(CLASS_OF[kind])}
    return tuple(n for n in (*_TEXTS, *_MANY) if n in names)


def _column(entries: Sequence[Entry], name: str, actor: Callable[[str], str]) -> list[str]:
    """Each entry's text in field ``name`` (several joined by the separator; "" for none)."""
    values = list(map(attrgetter(name), entries))
    if name in ("tags", "also_known_as"):
        return ["\n".join(v) for v in values]
    if name == "held_by":
        return ["\n".join(map(actor, v)) for v in values]
    if name == "by":
        return [actor(v) if isinstance(v, str) else "" for v in values]
    if name == "premises":
        return ["\n".join(t for p in v for t in (p.claim, p.quote) if t) if v else "" for v in values]
    if name == "acts":
        return ["\n".join(a.quote for a in v if a.quote) if v else "" for v in values]
    return [v if isinstance(v, str) else "" for v in values]


def _folded(values: list[str]) -> tuple[str, list[int]]:
    """The values folded and joined, and where each one starts."""
    joined = _SEP.join(values)
    folded = joined.casefold()
    if len(folded) != len(joined):  # a letter folded into several (ß): find the separators again
        if joined.count(_SEP) == len(values) - 1:
            return folded, [0, *(m.end() for m in _SEPARATOR.finditer(folded))]
        values = [v.casefold() for v in values]
        folded = _SEP.join(values)
    return folded, list(accumulate(map((1).__add__, map(len, values[:-1])), initial=0))


def candidates(kb: KnowledgeBase, terms: Iterable[str], kinds: Iterable[Kind]) -> list[int]:
    """Positions in ``kb.entries()`` of the entries of ``kinds`` where every term begins a word of
    some field a search reads, in order."""
    names = {a.id: a.name for a in kb.actors}

    def actor(actor_id: str) -> str:
        name = names.get(actor_id)
        return actor_id if name is None else f"{actor_id}\n{name}"

    patterns = [word_start(term) for term in terms]
    wanted = set(kinds)
    found: list[int] = []
    base = 0
    for kind in Kind:
        entries = kb.collection(kind)
        if kind in wanted and entries:
            found += [base + i for i in _in_collection(entries, _has(kind), patterns, actor)]
        base += len(entries)
    return found


def _in_collection(
    entries: Sequence[Entry], names: tuple[str, ...], patterns: list[re.Pattern[str]], actor: Callable[[str], str],
) -> list[int]:
    columns = [_folded(_column(entries, name, actor)) for name in names]
    chosen: set[int] | None = None
    for pattern in patterns:
        here: set[int] = set()
        for text, starts in columns:
            here.update(_matching(text, starts, pattern))
        chosen = here if chosen is None else chosen & here
        if not chosen:
            return []
    return sorted(chosen or ())


def _matching(text: str, starts: list[int], pattern: re.Pattern[str]) -> list[int]:
    """The entries (by position) whose value in a column holds a match of ``pattern``."""
    found: list[int] = []
    at = 0
    while (match := pattern.search(text, at)) is not None:
        index = bisect_right(starts, match.start()) - 1
        found.append(index)
        if index + 1 >= len(starts):
            break
        at = starts[index + 1]  # the next entry's value: one match names an entry once
    return found
