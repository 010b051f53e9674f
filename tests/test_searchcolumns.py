"""The columns a search reads, kept beside the cache (kb/searchcolumns.py): a search through them
finds what columns made afresh find, and they are read only for the entries they were made from;
a side file that is missing, damaged or another cache file's is not believed, quietly."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policyx.kb import searchcolumns, store
from policyx.kb.model import Kind, KnowledgeBase
from policyx.kb.struct import replace
from policyx.views.search import search, search_terms, word_string
from policyx.views.searchscan import _Folded, scan, word_start
from tests import test_cache, test_searchscan
from tests.clirun import run_cli
from tests.conftest import make_kb_module
from tests.fuzz import examples
from tests.test_searchscan import _LETTERS, QUERIES

#: the fixtures of those tests: a cache folder of each test's own (autouse), the same four knowledge bases
cache_home = test_cache.cache_home
kb = test_searchscan.kb


def _with_kept(kb: KnowledgeBase) -> KnowledgeBase:
    """``kb`` as one made from the cache with its columns read (those ``payload`` keeps)."""
    kept = replace(kb, _search={})
    kept._search.update(side=("", 0, ""), collections={kind: kept.collection(kind) for kind in Kind},
                        actors=kept.actors, columns={Kind(k): v for k, v in searchcolumns.payload(kept).items()},
                        actor_names=searchcolumns.actor_names(kept))
    return kept


def test_the_kept_columns_find_what_columns_made_afresh_find(kb: KnowledgeBase) -> None:
    kept = _with_kept(kb)
    assert any(searchcolumns.kept_columns(kept, kind) for kind in Kind)
    for query in QUERIES:
        terms = search_terms(query)
        assert scan(kept, terms, tuple(Kind)) == scan(kb, terms, tuple(Kind)), query


def test_columns_are_read_only_for_the_entries_and_actors_they_were_made_from(kb: KnowledgeBase) -> None:
    kept = _with_kept(kb)
    fewer = replace(kept, arguments=kept.arguments[:-1])  # (replace shares the dict: the check is identity)
    assert searchcolumns.kept_columns(fewer, Kind.ARGUMENTS) is None
    assert searchcolumns.kept_columns(fewer, Kind.QUESTIONS) is searchcolumns.kept_columns(kept, Kind.QUESTIONS)
    renamed = replace(kept, actors=tuple(replace(a, name=a.name + " Smith") for a in kept.actors))
    assert all(searchcolumns.kept_columns(renamed, kind) is None for kind in Kind)
    # the actors' names: only with every collection (an entry may take an actor's id) and the actors
    assert searchcolumns.kept_actor_names(kept) == searchcolumns.actor_names(kb)
    assert searchcolumns.kept_actor_names(fewer) is None and searchcolumns.kept_actor_names(renamed) is None
    for query in ("smith", "law"):
        assert scan(renamed, [query], tuple(Kind)) == scan(replace(renamed, _search={}), [query], tuple(Kind))


@given(values=st.lists(st.text(alphabet=_LETTERS, max_size=8), min_size=1, max_size=5),
       term=st.text(alphabet="ablsw_1", min_size=1, max_size=3))
@settings(max_examples=examples(600), deadline=None)
def test_a_kept_column_finds_what_folding_each_value_finds(values: list[str], term: str) -> None:
    text = searchcolumns.folded(searchcolumns.joined(values))
    # Latin-1 without ß: its bytes; any other column: its text casefolded
    latin = "ß" not in "".join(values) and all(c < "\u0100" for c in "".join(values))
    assert isinstance(text, bytes) == latin
    expected = [i for i, v in enumerate(values) if " " + term in word_string(v)]
    assert _Folded.kept(text).entries(term, {term: word_start(term)}) == expected


def _searched(kb: Path) -> list[tuple[str, int, str]]:
    return [(h.entry.id, h.score, h.excerpt) for h in search(store.open_kb(kb), "law market")]


def test_a_warm_search_reads_the_columns_kept_beside_its_cache(tmp_path: Path, cache_home: Path) -> None:
    path = make_kb_module().write_kb(60, tmp_path / "kb.yaml", seed=5)
    cold = _searched(path)
    warm = store.open_kb(path)
    assert searchcolumns.kept_columns(warm, Kind.ARGUMENTS)  # read from the side file
    assert _searched(path) == cold and cold
    assert searchcolumns.kept_actor_names(warm) == searchcolumns.actor_names(store.open_kb(path)) != {}
    scan(warm, ["law"], tuple(Kind))
    assert not warm._has_index("_by_id")  # the names kept: no index of every id made for them
    (side,) = (cache_home / "policyx").glob("search-kb-*")
    assert side.name == "search-" + store.cache_name(path)
    first = run_cli("--kb", str(path), "search", "law", "-f", "json")
    whole = side.read_bytes()
    for damaged in (whole[:-10], b"not a cache", whole.replace(b"search-columns", b"search-c0lumns")):
        side.write_bytes(damaged)
        assert searchcolumns.kept_columns(store.open_kb(path), Kind.ARGUMENTS) is None
        again = run_cli("--kb", str(path), "search", "law", "-f", "json")
        assert (again.stdout, again.stderr, again.exit_code) == (first.stdout, first.stderr, 0)


def test_a_column_beyond_latin_1_is_kept_casefolded(tmp_path: Path, cache_home: Path) -> None:
    """Real corpora write curly quotes and dashes: such a column is kept too, as its text casefolded,
    and a warm search through it finds what a search without the cache finds."""
    path = make_kb_module().write_kb(30, tmp_path / "kb.yaml", seed=3)
    text = path.read_text(encoding="utf-8").replace("claim: ", "claim: \u201cStraße\u201d \u2014 ", 5)
    path.write_text(text, encoding="utf-8")
    cold = run_cli("--no-cache", "--kb", str(path), "search", "strasse", "law", "-f", "json")
    store.open_kb(path)
    warm = store.open_kb(path)
    claims = searchcolumns.kept_columns(warm, Kind.ARGUMENTS)
    assert claims is not None and isinstance(claims["claim"], str) and "\u201cstrasse\u201d" in claims["claim"]
    again = run_cli("--kb", str(path), "search", "strasse", "law", "-f", "json")
    assert again.stdout == cold.stdout and '"score"' in cold.stdout


def test_columns_written_with_another_cache_file_are_not_read(tmp_path: Path, cache_home: Path) -> None:
    path = make_kb_module().write_kb(30, tmp_path / "kb.yaml", seed=7)
    store.open_kb(path)
    (side,) = (cache_home / "policyx").glob("search-kb-*")
    before = side.read_bytes()
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a new cache, new columns
    store.open_kb(path)
    now = side.read_bytes()
    assert now != before
    side.write_bytes(before)  # the old columns beside the new cache file: another key
    assert searchcolumns.kept_columns(store.open_kb(path), Kind.ARGUMENTS) is None
    side.write_bytes(now)
    assert searchcolumns.kept_columns(store.open_kb(path), Kind.ARGUMENTS)
