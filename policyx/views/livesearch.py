"""Search as you type (``policyx explore``'s ``/``): ``policyx search``'s ranking on an index
made once.

:class:`Searcher` folds every entry once (:func:`policyx.views.search.fold_fields`: each
field's words lower-cased, the same as ``search`` computes per query), so a query costs one
substring test per entry to find the matches and :func:`~policyx.views.search.score_folded`
(the one scoring of ``search``) on those alone, each entry's fields folded the first time
it matches. A query that narrows an earlier one (one more
letter, one more word) looks only at that one's matches. A newer query stops an older one
between chunks (``stop``), and at most :attr:`Searcher.LIMIT` of the best are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

from ..kb.model import Kind, KnowledgeBase, kind_of
from .browse import TREE_KINDS
from .search import Folded, fold_fields, score_folded, search_fields, search_terms, word_string


class Searcher:
    """The ids of the entries matching a query, best first, as ``policyx search`` ranks them:
    by score, then file order (an entry's score depends on that entry alone, so ranking a
    subset ranks it as the whole would)."""

    #: entries looked at between two questions to ``stop``
    CHUNK = 500
    #: the most matches a query keeps (the best ones; the status line says when there are more)
    LIMIT = 2000

    def __init__(self, kb: KnowledgeBase, kinds: tuple[Kind, ...] = TREE_KINDS) -> None:
        self._lock = Lock()  # searches run in worker threads: one prepares, the others wait for it
        self.kb = kb
        self.kinds = kinds
        self._ids: list[str] = []
        #: per entry (file order): every word of every field, each after a space
        self._words: list[str] = []
        self._raw: list[list[tuple[str, str]]] = []
        #: per entry: its fields folded, the first time it matches a query
        self._fields: list[Folded | None] = []
        self._ready = False
        #: terms -> (every match, best first, as indexes; how many there were)
        self._done: dict[tuple[str, ...], list[int]] = {}

    @property
    def ready(self) -> bool:
        return self._ready

    def prepare(self) -> None:
        """Every entry's words (once: about half a second for 22,500 arguments); each one's
        fields are folded the first time it matches."""
        with self._lock:
            if self._ready:
                return
            entries = [e for kind in self.kinds for e in self.kb.collection(kind)]
            entries.sort(key=lambda e: self.kinds.index(kind_of(e)))
            self._ids = [e.id for e in entries]
            self._raw = [search_fields(self.kb, e) for e in entries]
            # (the words of every field at once: the same words as each field's, in order)
            self._words = [word_string("\n".join(value for _, value in raw)) for raw in self._raw]
            self._fields = [None] * len(entries)
            self._ready = True

    def search(self, text: str, stop: Callable[[], bool] = lambda: False) -> tuple[list[str], int] | None:
        """(the ids of the best matches of ``text``, best first, at most :attr:`LIMIT`; how many
        entries match in all); None when ``stop`` said to give up."""
        terms = search_terms(text)
        if not terms:
            return [], 0
        self.prepare()
        key = tuple(terms)
        found = self._done.get(key)
        if found is None:
            found = self._rank(terms, stop)
            if found is None:
                return None
            if len(self._done) > 64:
                self._done.clear()
            self._done[key] = found
        return [self._ids[i] for i in found[:self.LIMIT]], len(found)

    def _rank(self, terms: list[str], stop: Callable[[], bool]) -> list[int] | None:
        narrower = [hits for old, hits in self._done.items()
                    if all(any(new.startswith(t) for new in terms) for t in old)]
        pool: range | list[int] = min(narrower, key=len) if narrower else range(len(self._ids))
        keys = [" " + t for t in terms]
        words, fields = self._words, self._fields
        scored: list[tuple[int, int]] = []
        for start in range(0, len(pool), self.CHUNK):
            if stop():
                return None
            for index in pool[start:start + self.CHUNK]:
                # every term begins a word of some field: a match (the score says how good)
                if all(k in words[index] for k in keys):
                    folded = fields[index]
                    if folded is None:
                        folded = fields[index] = fold_fields(self._raw[index])
                    score = score_folded(folded, terms)
                    if score is not None:
                        scored.append((-score, index))
        scored.sort()
        return [index for _, index in scored]
