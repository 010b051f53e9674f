"""``policyx search``: every entry's text searched, best matches first."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from operator import attrgetter, itemgetter

from ..kb.errors import NothingFound, UsageError
from ..kb.hints import option
from ..kb.model import (
    KIND_OF,
    Entry,
    Kind,
    KnowledgeBase,
)
from ..kb.records import to_records
from ..kb.struct import dataclass, fields
from .listing import Listing, Record
from .lookup import _suggest, actor_names
from .searchscan import Found, scan

_WORD = re.compile(r"\w+", re.UNICODE)

#: Field weights for ranking: what an entry says counts more than where it is quoted from.
SEARCH_WEIGHTS: dict[str, int] = {
    "id": 3, "claim": 3, "text": 3, "name": 3, "title": 3,
    "tags": 2, "actor": 2, "also_known_as": 2,
    "premise": 2,
    "quote": 1, "description": 1, "summary": 1, "note": 1, "author": 1, "event": 1,
}

#: fields too short to serve as a search excerpt
_LABEL_FIELDS = frozenset({"id", "tags", "actor", "also_known_as"})
_SINGULAR: dict[type, str] = {cls: kind.singular for cls, kind in KIND_OF.items()}
#: each kind's main text (lookup.main_text), the excerpt when only a label field matched
_MAIN_FIELD: dict[type, str] = {
    cls: next(n for n in ("claim", "text", "name", "title") if n in {f.name for f in fields(cls)}) for cls in KIND_OF
}

SEARCH_COLUMNS: tuple[str, ...] = ("id", "kind", "score", "matched", "excerpt")
#: an entry's id; a hit's fields in its row (Row), read for every hit at once
_ID = attrgetter("id")
#: a field's name in what searchscan found (Found)
_NAME = itemgetter(0)
_ENTRY_OF, _SCORE_OF, _MATCHED_OF, _FIELD_OF, _EXCERPT_OF = map(itemgetter, range(5))


def search_terms(text: str) -> list[str]:
    """The words of a query, lower-cased, each once, in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.casefold()):
        seen.setdefault(word, None)
    return list(seen)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text`` that a term begins, for highlighting; sorted."""
    terms = [t for t in terms if t]
    spans = []
    for match in _WORD.finditer(text):
        word = match.group(0).casefold()
        for term in terms:
            if word.startswith(term):
                spans.append((match.start(), match.start() + len(term)))
                break
    return spans


def search_fields(kb: KnowledgeBase, entry: Entry) -> list[tuple[str, str]]:
    """(field name, text) of everything a search looks at in an entry, in field order."""
    fields: list[tuple[str, str]] = [("id", entry.id.replace("-", " "))]
    for name in ("claim", "text", "name", "title", "quote", "description", "summary", "note", "author", "event"):
        value = getattr(entry, name, None)
        if isinstance(value, str) and value:
            fields.append((name, value))
    for name in ("tags", "also_known_as"):
        for value in getattr(entry, name, ()):
            fields.append((name, value))
    for actor in actor_names(kb, entry):
        fields.append(("actor", actor))
    for premise in getattr(entry, "premises", ()):  # version 2: each premise's claim and quote
        fields += [("premise", premise.claim)] + ([("quote", premise.quote)] if premise.quote else [])
    fields += [("quote", act.quote) for act in getattr(entry, "acts", ()) if act.quote]
    return fields


#: an entry's fields folded for searching: (name, text, its words lower-cased, each after a
#: space), so that "a query word begins a word of the field" is one substring test
Folded = tuple[tuple[str, str, str], ...]


def word_string(text: str) -> str:
    """The words of ``text`` lower-cased, each after a space: a query word begins one of them
    when ``" " + word`` is in it."""
    return " " + " ".join(_words(text))


def fold_fields(fields: list[tuple[str, str]]) -> Folded:
    """:func:`search_fields` folded once (an index keeps them: see :func:`score_folded`)."""
    return tuple((name, value, word_string(value)) for name, value in fields)


def score_folded(fields: Folded, terms: list[str]) -> int | None:
    """An entry's score for ``terms`` (see :func:`search`), or None when a term matches none
    of its fields."""
    score = 0
    for term in terms:
        key = " " + term  # a word of the field that the term begins
        best = 0
        for name, _, words in fields:
            if key in words:
                weight = SEARCH_WEIGHTS[name]
                best = max(best, weight)
                # every field (but the id) that mentions it adds one
                score += name != "id"
        if not best:
            return None
        # the best field counts most
        score += 3 * best
    if len(terms) > 1:
        phrase = " ".join(terms)
        if any(phrase in words for _, _, words in fields):
            score += 2 * len(terms)
    return score


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: int
    #: the fields where a query word occurs, in field order
    matched: tuple[str, ...]
    #: the field shown as the excerpt, and its text
    field: str
    excerpt: str


#: a hit as :func:`_found` gives it: the fields of :class:`Hit`, in order, in a tuple (a Hit
#: costs 0.9 us to make: 7 ms of a search of 7,000 hits that a listing does without)
Row = tuple[Entry, int, tuple[str, ...], str, str]


def _hit(entry: Entry, where: Found, terms: list[str], phrase: Callable[[], bool]) -> Row:
    """The :class:`Hit` fields of :func:`search` for one entry found in the fields ``where``
    (:func:`policyx.views.searchscan.scan`: each field that holds a term; those that hold
    none add nothing), for a query of several words (one word: :func:`_found_one`); ``phrase``:
    whether the whole query is a phrase of one of its fields."""
    weights = SEARCH_WEIGHTS
    names = [name for name, _, _ in where]
    excerpt_field = _MAIN_FIELD[type(entry)]
    excerpt = getattr(entry, excerpt_field)
    best_weight = -1
    score = 0
    for column in range(len(terms)):
        best = 0
        for name, _, found in where:
            if found[column]:
                best = max(best, weights[name])
                score += name != "id"  # every field (but the id) that mentions it adds one
        score += 3 * best  # the best field counts most
    if phrase():
        score += 2 * len(terms)
    # the excerpt: the text field with most matches (a tag or a name alone says
    # little, so when only those matched, the entry's main text)
    for name, value, found in where:
        if name not in _LABEL_FIELDS:
            weight = sum(found) * 10 + weights[name]
            if weight > best_weight:
                best_weight, excerpt_field, excerpt = weight, name, value
    matched = tuple(dict.fromkeys(names))
    return entry, score, matched, excerpt_field, excerpt


#: the fields an entry holds the one word of a query in -> its score, matched fields and the
#: position of the excerpt's field among them (-1: the entry's main text); see _one_word
_ONE_WORD: dict[tuple[str, ...], tuple[int, tuple[str, ...], int]] = {}


def _one_word(names: tuple[str, ...]) -> tuple[int, tuple[str, ...], int]:
    """What :func:`_found_one` gives an entry whose fields ``names`` (in field order, the id first if
    any) each hold the one word of a query: its score, the fields matched, and which of them is
    the excerpt (the first of the best weight that is no label field; -1 for none)."""
    weights = SEARCH_WEIGHTS
    score = 3 * max(map(weights.__getitem__, names)) + len(names) - (names[0] == "id")
    best_weight, at = -1, -1
    for index, name in enumerate(names):  # the excerpt, as for several words: one match in each field
        if name not in _LABEL_FIELDS and weights[name] > best_weight:
            best_weight, at = weights[name], index
    return score, tuple(dict.fromkeys(names)), at


def search_kinds(names: Iterable[str]) -> tuple[Kind, ...]:
    """The collections the ``kind`` option names (``position`` or ``positions``...), in file order;
    every collection when none is named. A usage error names the choices."""
    wanted: set[Kind] = set()
    choices = [k.value for k in Kind]
    for name in names:
        plural = name if name in choices else name + "s"
        if plural not in choices:
            raise UsageError(f"{option('kind')}: no collection {name!r}{_suggest(name, choices)};"
                             f" choose from {', '.join(choices)}")
        wanted.add(Kind(plural))
    return tuple(k for k in Kind if k in wanted) or tuple(Kind)


def mark_matches(text: str, terms: Iterable[str], start: str = "[", end: str = "]") -> str:
    """``text`` with each matched word prefix between ``start`` and ``end``: the highlight
    where there are no styles to show it (no colour)."""
    out: list[str] = []
    last = 0
    for begin, finish in match_spans(text, terms):
        out += [text[last:begin], start, text[begin:finish], end]
        last = finish
    out.append(text[last:])
    return "".join(out)


def search(kb: KnowledgeBase, text: str, kinds: Iterable[Kind] = ()) -> list[Hit]:
    """Entries whose text contains every word of ``text`` (as a word prefix), best first.

    Score: for each query word, three times the weight of the best field it
    occurs in (claim, text, name, title, id 3; tags, actor names 2; quote and
    the rest 1) plus one per field that mentions it, plus a bonus when the
    whole query occurs as a phrase in one field. Ties keep file order. The
    excerpt is the text field with the most matches (else the main text).
    With ``kinds``, only entries of those collections.
    """
    found = _found(kb, _terms(text), kinds)
    found.sort(key=_SCORE_OF, reverse=True)  # stable, reversed too: ties keep file order
    return [Hit(*row) for row in found]


def _terms(text: str) -> list[str]:
    terms = search_terms(text)
    if not terms:
        raise UsageError("give words to search for")
    return terms


def _found(kb: KnowledgeBase, terms: list[str], kinds: Iterable[Kind] = ()) -> list[Row]:
    """:func:`search`'s hits in file order (then by kind, and so each kind's together), as rows."""
    entries = list(kb.entries())
    query = " ".join(terms)
    found: list[Row] = []
    # the entries where every word begins a word of some field, and those fields (searchscan)
    scanned = scan(kb, terms, set(kinds) or set(Kind))
    if len(terms) == 1:
        return _found_one(entries, scanned)
    for index, where in scanned:
        entry = entries[index]

        def phrase(entry: Entry = entry) -> bool:
            return any(query in word_string(value) for _, value in search_fields(kb, entry))

        found.append(_hit(entry, where, terms, phrase))
    return found


def _found_one(entries: list[Entry], scanned: list[tuple[int, Found]]) -> list[Row]:
    """:func:`_found` of a query of one word: the rows :func:`_hit` would give, what each entry's
    fields found give (the same for every entry found in the same ones: :func:`_one_word`), in
    a loop of its own (no call an entry)."""
    found: list[Row] = []
    append = found.append
    known_of, main_field = _ONE_WORD, _MAIN_FIELD
    for index, where in scanned:
        entry = entries[index]
        held = tuple(map(_NAME, where))
        known = known_of.get(held)
        if known is None:
            if len(known_of) > 4096:
                known_of.clear()
            known = known_of[held] = _one_word(held)
        score, matched, at = known
        if at < 0:
            field = main_field[type(entry)]
            append((entry, score, matched, field, getattr(entry, field)))
        else:
            append((entry, score, matched, held[at], where[at][1]))
    return found


def search_listing(kb: KnowledgeBase, text: str, kinds: Iterable[str] = ()) -> Listing:
    """What ``policyx search TEXT`` shows (``kinds``: the ``kind`` option); raises NothingFound when nothing matches
    (saying how many entries of other kinds would have, when ``kinds`` left them out)."""
    chosen = search_kinds(kinds)
    terms = _terms(text)
    found = _found(kb, terms, chosen)
    if not found:
        others = len(_found(kb, terms)) if len(chosen) < len(Kind) else 0
        where = f" among {', '.join(k.value for k in chosen)}" if len(chosen) < len(Kind) else ""
        entries = f"{others} entr{'ies' if others != 1 else 'y'}"
        hint = f" ({entries} of other kinds do: leave out {option('kind')})" if others else ""
        raise NothingFound(f"nothing{where} matches {text!r}{hint}")
    # each hit's record: the hit's fields, then its entry's record (its id, first in both, stays
    # first), made a column at a time in file order (each kind's together), then ordered as
    # search() orders its hits (best first, ties in file order)
    hit_entries = list(map(_ENTRY_OF, found))
    scores = list(map(_SCORE_OF, found))
    head = (("id", list(map(_ID, hit_entries))), ("kind", list(map(_SINGULAR.__getitem__, map(type, hit_entries)))),
            ("score", scores), ("matched", list(map(list, map(_MATCHED_OF, found)))),
            ("field", list(map(_FIELD_OF, found))), ("excerpt", list(map(_EXCERPT_OF, found))))
    made = to_records(hit_entries, kb.version, head)
    records: list[Record] = list(map(made.__getitem__, sorted(range(len(made)), key=scores.__getitem__,
                                                               reverse=True)))
    return Listing(records, SEARCH_COLUMNS, title=f"search: {text}", view="search",
                   highlight=tuple(search_terms(text)))
