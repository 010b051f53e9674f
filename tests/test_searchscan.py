"""``policyx search`` scores the entries views/searchscan.py finds, from the fields it says hold the
query: it must find every entry the scoring would score and no other, and the right fields, so
that the hits (scores, matched fields, excerpts) are those of scoring every entry by the simple
rule (the reference below, ``search.py``'s own folding and scoring, which search as you type
shares)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.kb.load import bundled_path, load
from policyx.kb.model import Kind, KnowledgeBase, kind_of
from policyx.views.lookup import main_text
from policyx.views.search import (
    _LABEL_FIELDS,
    SEARCH_WEIGHTS,
    fold_fields,
    score_folded,
    search,
    search_fields,
    search_terms,
    word_string,
)
from policyx.views.searchscan import _Folded, scan, word_start
from tests.conftest import make_kb_module
from tests.fuzz import examples

GRAPHS = Path(__file__).parent / "fixtures" / "graph"
QUERIES = ("law", "market reform", "the", "a", "s", "1", "arg", "council", "straße", "STRASSE", "é", "são paulo",
           "naïve coöperation", "zürich", "x y", "police rights", "premise", "uniform", "_", "evidence study",
           "no", "none", "n")  # ("None": what a column reads for a field left out)


@pytest.fixture(scope="module", params=["bundled", "generated", "premises-v2", "uniforms-v2"])
def kb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    if request.param == "bundled":
        return load(bundled_path())
    if request.param == "generated":
        return load(make_kb_module().write_kb(400, tmp_path_factory.mktemp("gen") / "kb.yaml", seed=11))
    return load(GRAPHS / f"{request.param}.yaml")


Shown = tuple[str, int, tuple[str, ...], str, str]


def _reference(kb: KnowledgeBase, text: str, kinds: tuple[Kind, ...]) -> list[Shown]:
    """(id, score, matched fields, excerpt's field, excerpt) of every entry of ``kinds`` the
    scoring scores, best first, ties in file order: every field of every entry folded."""
    terms = search_terms(text)
    scored = []
    for index, entry in enumerate(kb.entries()):
        if kind_of(entry) in (kinds or tuple(Kind)):
            folded = fold_fields(search_fields(kb, entry))
            score = score_folded(folded, terms)
            if score is not None:
                begun = [(name, value, sum(" " + t in words for t in terms)) for name, value, words in folded]
                field = next(n for n in ("claim", "text", "name", "title") if hasattr(entry, n))
                excerpt, best = main_text(entry), -1
                for name, value, count in begun:
                    if count and name not in _LABEL_FIELDS and count * 10 + SEARCH_WEIGHTS[name] > best:
                        best, field, excerpt = count * 10 + SEARCH_WEIGHTS[name], name, value
                matched = tuple(dict.fromkeys(name for name, _, count in begun if count))
                scored.append((-score, index, (entry.id, score, matched, field, excerpt)))
    return [shown for _, _, shown in sorted(scored)]


@pytest.mark.parametrize("kinds", [(), (Kind.ARGUMENTS,), (Kind.ACTORS, Kind.SOURCES), (Kind.POSITIONS,)])
def test_search_finds_what_scoring_every_entry_finds(kb: KnowledgeBase, kinds: tuple[Kind, ...]) -> None:
    found = 0
    for query in QUERIES:
        hits = [(hit.entry.id, hit.score, hit.matched, hit.field, hit.excerpt) for hit in search(kb, query, kinds)]
        assert hits == _reference(kb, query, kinds), query
        found += len(hits)
    assert found  # the queries find something in every knowledge base


def test_the_scan_finds_each_matching_entry_once_in_order(kb: KnowledgeBase) -> None:
    entries = list(kb.entries())
    for query in QUERIES:
        terms = search_terms(query)
        found = [index for index, _ in scan(kb, terms, tuple(Kind))]
        assert found == sorted(set(found))
        scored = {i for i, entry in enumerate(entries)
                  if score_folded(fold_fields(search_fields(kb, entry)), terms) is not None}
        assert scored == set(found), query


@pytest.mark.parametrize("text", ["Straße", "a_b c", "x-ray", "naïve", "ﬁle", "İstanbul", "", "1990s", "ΣΟΦΙΑ"])
def test_a_word_start_is_what_the_word_string_says(text: str) -> None:
    words = word_string(text)
    for term in ("s", "ss", "stra", "b", "ray", "x", "na", "ve", "file", "i", "1990", "σοφ", "σοφια", "a_b"):
        assert (word_start(term).search(text.casefold()) is not None) == (" " + term in words), (text, term)


@pytest.mark.parametrize("values", [
    ["Straße", "ﬁle", "x"], ["a", "b\0c", "İ"], ["plain", "", "ascii"], ["one"], ["Zürich", "ÉLAN", "naïve", "µlaw"],
    ["“quoted” law", "x—law"], ["élaw", "ölaw", "_law"],
])
def test_a_column_finds_the_entries_a_folded_value_holds_a_term_in(values: list[str]) -> None:
    terms = ["s", "ss", "file", "b", "c", "i", "plain", "ascii", "one", "zü", "zurich", "élan", "elan", "na", "ve",
             "law", "quoted", "x", "µlaw", "μlaw", "lan", "ïve"]
    for term in terms:  # each alone: the ASCII words fold Latin-1 columns as bytes
        folded = _Folded(values, [term])
        expected = [i for i, v in enumerate(values) if " " + term in word_string(v)]
        assert folded.entries(term, {term: word_start(term)}) == expected, (values, term)


#: characters that fold in every way a column can meet: ASCII of both cases, Latin-1 letters that
#: fold into Latin-1 (É), out of it (µ) or into ASCII (ß), word and non-word characters out of
#: Latin-1 (“ — ſ İ ﬁ), the separator and line breaks
_LETTERS = "aAbBlLsSwW_1 -\0\nÉéµßÿïª“—ſİﬁΣ"


@given(values=st.lists(st.text(alphabet=_LETTERS, max_size=8), min_size=1, max_size=5),
       term=st.text(alphabet="ablsw_1éïµσ", min_size=1, max_size=3))
@settings(max_examples=examples(600), deadline=None)
def test_a_column_finds_what_folding_each_value_finds(values: list[str], term: str) -> None:
    for terms in ([term], [term, "é"]):  # an ASCII query folds a Latin-1 column as bytes; another, casefolds
        expected = [i for i, v in enumerate(values) if " " + term in word_string(v)]
        assert _Folded(values, terms).entries(term, {term: word_start(term)}) == expected
