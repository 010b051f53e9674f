"""``policyx search`` scores only the entries views/searchscan.py finds: it must find every entry
the scoring would score, so that the hits are those of scoring every entry (the reference below,
``search.py``'s own folding and scoring, which search as you type shares)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyx.kb.load import bundled_path, load
from policyx.kb.model import Kind, KnowledgeBase, kind_of
from policyx.views.search import fold_fields, score_folded, search, search_fields, search_terms, word_string
from policyx.views.searchscan import candidates, word_start
from tests.conftest import make_kb_module

GRAPHS = Path(__file__).parent / "fixtures" / "graph"
QUERIES = ("law", "market reform", "the", "a", "s", "1", "arg", "council", "straße", "STRASSE", "é", "são paulo",
           "naïve coöperation", "zürich", "x y", "police rights", "premise", "uniform", "_", "evidence study")


@pytest.fixture(scope="module", params=["bundled", "generated", "premises-v2", "uniforms-v2"])
def kb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    if request.param == "bundled":
        return load(bundled_path())
    if request.param == "generated":
        return load(make_kb_module().write_kb(400, tmp_path_factory.mktemp("gen") / "kb.yaml", seed=11))
    return load(GRAPHS / f"{request.param}.yaml")


def _reference(kb: KnowledgeBase, text: str, kinds: tuple[Kind, ...]) -> list[tuple[str, int]]:
    """(id, score) of every entry of ``kinds`` the scoring scores, best first, ties in file order."""
    terms = search_terms(text)
    scored = []
    for index, entry in enumerate(kb.entries()):
        if kind_of(entry) in (kinds or tuple(Kind)):
            score = score_folded(fold_fields(search_fields(kb, entry)), terms)
            if score is not None:
                scored.append((-score, index, entry.id))
    return [(entry_id, -score) for score, _, entry_id in sorted(scored)]


@pytest.mark.parametrize("kinds", [(), (Kind.ARGUMENTS,), (Kind.ACTORS, Kind.SOURCES), (Kind.POSITIONS,)])
def test_search_finds_what_scoring_every_entry_finds(kb: KnowledgeBase, kinds: tuple[Kind, ...]) -> None:
    found = 0
    for query in QUERIES:
        hits = [(hit.entry.id, hit.score) for hit in search(kb, query, kinds)]
        assert hits == _reference(kb, query, kinds), query
        found += len(hits)
    assert found  # the queries find something in every knowledge base


def test_the_scan_finds_each_matching_entry_once_in_order(kb: KnowledgeBase) -> None:
    entries = list(kb.entries())
    for query in QUERIES:
        terms = search_terms(query)
        found = candidates(kb, terms, tuple(Kind))
        assert found == sorted(set(found))
        scored = {i for i, entry in enumerate(entries)
                  if score_folded(fold_fields(search_fields(kb, entry)), terms) is not None}
        assert scored <= set(found), query


@pytest.mark.parametrize("text", ["Straße", "a_b c", "x-ray", "naïve", "ﬁle", "İstanbul", "", "1990s", "ΣΟΦΙΑ"])
def test_a_word_start_is_what_the_word_string_says(text: str) -> None:
    words = word_string(text)
    for term in ("s", "ss", "stra", "b", "ray", "x", "na", "ve", "file", "i", "1990", "σοφ", "σοφια", "a_b"):
        assert (word_start(term).search(text.casefold()) is not None) == (" " + term in words), (text, term)


@pytest.mark.parametrize("values", [["Straße", "ﬁle", "x"], ["a", "b\0c", "İ"], ["plain", "", "ascii"], ["one"]])
def test_a_column_knows_where_each_folded_value_starts(values: list[str]) -> None:
    from policyx.views.searchscan import _folded

    text, starts = _folded(values)
    assert len(starts) == len(values)
    ends = [*starts[1:], len(text) + 1]
    assert [text[start:end - 1] for start, end in zip(starts, ends, strict=True)] == [v.casefold() for v in values]
