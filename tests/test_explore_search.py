"""Search as you type (`policyx explore`'s `/`): the index ranks as `policyx search` does, keeps
the best when there are many, and stops when a newer query comes."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyx.kb.load import bundled_path
from policyx.kb.store import open_kb
from policyx.views.browse import TREE_KINDS
from policyx.views.livesearch import Searcher
from policyx.views.search import search

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "graph" / "uniforms-v2.yaml"

QUERIES = ("buy", "buyers", "buyers victim", "criminal johns", "the law", "a", "st", "victim buy", "zzz")


@pytest.mark.parametrize("path", [bundled_path(), FIXTURE], ids=["bundled", "graph"])
def test_the_index_ranks_as_policyx_search(path: Path) -> None:
    kb = open_kb(path)
    searcher = Searcher(kb)
    for text in QUERIES:  # in this order, later queries narrow earlier ones (their matches reused)
        expected = [h.entry.id for h in search(kb, text, TREE_KINDS)]
        assert searcher.search(text) == (expected, len(expected)), text


def test_a_linked_premise_is_searched() -> None:
    kb = open_kb(FIXTURE)
    hits = search(kb, "differences")  # a word only in same-clothes' first premise
    assert [h.entry.id for h in hits] == ["same-clothes"]
    assert hits[0].matched == ("premise",) and hits[0].excerpt == "Teasing about clothes starts from differences."
    assert Searcher(kb).search("differences") == (["same-clothes"], 1)


def test_many_matches_keep_the_best(monkeypatch: pytest.MonkeyPatch) -> None:
    kb = open_kb(bundled_path())
    monkeypatch.setattr(Searcher, "LIMIT", 3)
    expected = [h.entry.id for h in search(kb, "a", TREE_KINDS)]
    assert len(expected) > 3
    assert Searcher(kb).search("a") == (expected[:3], len(expected))


def test_a_newer_query_stops_an_older_one() -> None:
    searcher = Searcher(open_kb(bundled_path()))
    assert searcher.search("buyers", stop=lambda: True) is None
    assert searcher.search("buyers", stop=lambda: False) is not None
