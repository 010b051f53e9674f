"""A library kept whole (kb/libcache.py): a warm run stats its files and folders and reads one
cache file; any change that could change the library is seen and the library built again.

Counted in work done, never timed: how many knowledge base files are parsed, how many
per-file payloads rebuilt, how many folders listed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policyx.cli.session import READERS
from policyx.kb import cacherows, libcache, libfolders, store
from policyx.kb.cachefolder import cache_dir
from policyx.kb.libindex import _index_name
from policyx.kb.libopen import include_roots, open_library
from policyx.kb.library import Library
from policyx.kb.model import Kind
from tests.clirun import run_cli
from tests.test_library import HEARING_1, HEARING_2

ACTORS = """\
version: 1
actors:
  - id: mayor
    name: The mayor
"""

INCLUDING = """\
version: 1
include: [shared/actors.yaml]
questions:
  - id: q-{n}
    text: Question {n}?
positions:
  - id: p-{n}
    question: q-{n}
    claim: Position {n}.
    held_by: mayor
    agreement: individual
"""


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Two hearings that share the ids 'council' and 'rights', one with a source text."""
    root = tmp_path / "hearings"
    (root / "sources").mkdir(parents=True)
    (root / "2025").mkdir()
    (root / "hearing-1.yaml").write_text(HEARING_1, encoding="utf-8")
    (root / "2025" / "hearing-2.yml").write_text(HEARING_2, encoding="utf-8")
    (root / "sources" / "first.txt").write_text("The council wants no curfew.\n", encoding="utf-8")
    return root


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """What a run does: knowledge base files parsed, per-file payloads rebuilt, folders listed.
    Stamps are trusted at once (in a real run, a file changed in the last two seconds keeps the
    library from being kept whole)."""
    monkeypatch.setattr(cacherows, "RACY_NS", 0)
    done: dict[str, list[str]] = {"parsed": [], "rebuilt": [], "listed": []}
    load, rebuild, listing = store.load_checked, cacherows.rebuild, libfolders._listing

    def parse(path: Path, *args: object, **kwargs: object) -> object:
        done["parsed"].append(Path(path).name)
        return load(path, *args, **kwargs)  # type: ignore[arg-type]

    def rebuilt(content: object, shown: str) -> object:
        done["rebuilt"].append(Path(shown).name)
        return rebuild(content, shown)  # type: ignore[arg-type]

    def listed(folder: Path, walked: list[object]) -> object:
        done["listed"].append(Path(folder).name)
        return listing(folder, walked)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "load_checked", parse)
    monkeypatch.setattr("policyx.kb.libindex.rebuild", rebuilt)
    monkeypatch.setattr(libfolders, "_listing", listed)
    return done


def opened(folder: Path) -> Library:
    return open_library([folder], readers=READERS)


def clear(done: dict[str, list[str]]) -> None:
    for items in done.values():
        items.clear()


def test_a_warm_library_reads_no_knowledge_base_file_and_lists_no_folder(
    library: Path, counted: dict[str, list[str]],
) -> None:
    first = opened(library)
    assert sorted(counted["parsed"]) == ["hearing-1.yaml", "hearing-2.yml"] and first.built
    clear(counted)
    warm = opened(library)
    assert counted == {"parsed": [], "rebuilt": [], "listed": []}
    assert not warm.built
    assert warm == first  # every entry, id (NAME:id where shared) and member
    assert [m.kb for m in warm.members] == [m.kb for m in first.members]
    assert [m.name for m in warm.members] == ["hearing-2", "hearing-1"]
    assert warm.qualified("rights") == first.qualified("rights") == ("hearing-2:rights", "hearing-1:rights")
    assert warm.kb_of("hearing-1:rights") == "hearing-1" and warm.file_of("patrols") == first.file_of("patrols")
    assert warm.skipped == first.skipped and warm.quotes == first.quotes


def test_list_kbs_of_a_warm_library_counts_without_making_its_members(
    library: Path, counted: dict[str, list[str]],
) -> None:
    """A member's title and counts are kept with the library: `list kbs` of a warm corpus of 1,500
    files made each member's knowledge base again (0.28 s); what it lists is what they hold."""
    from policyx.views.library import kbs_listing

    built = opened(library)
    expected = [{"name": m.name, "path": m.kb.path, "title": m.kb.title,
                 **{kind.value: len(m.kb.collection(kind)) for kind in
                    (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS, Kind.ACTORS, Kind.MODELS, Kind.SOURCES)}}
                for m in built.members]
    assert kbs_listing(built).records == expected and any(r["title"] for r in expected)
    warm = opened(library)
    assert not warm.built and kbs_listing(warm).records == expected
    assert all(m._kb is None for m in warm.members)  # none made again


def test_a_member_s_own_ids_come_back_unqualified(library: Path, counted: dict[str, list[str]]) -> None:
    opened(library)
    warm = opened(library)
    member = warm.members[1].kb
    assert member.get("rights") is not None and member.get("hearing-1:rights") is None
    assert member.get("no-curfew").held_by == ("council",)  # type: ignore[union-attr]
    assert member == store.open_kb(library / "hearing-1.yaml", readers=READERS)


def test_a_changed_file_is_seen_and_only_it_is_read(library: Path, counted: dict[str, list[str]]) -> None:
    opened(library)
    path = library / "2025" / "hearing-2.yml"
    path.write_text(HEARING_2.replace("Patrols cost money.", "Patrols cost a great deal."), encoding="utf-8")
    clear(counted)
    changed = opened(library)
    assert counted["parsed"] == ["hearing-2.yml"]
    assert changed.get("cost").claim == "Patrols cost a great deal."  # type: ignore[union-attr]
    clear(counted)
    assert opened(library) == changed and counted["parsed"] == [] and counted["listed"] == []


def test_a_file_added_in_a_subfolder_is_seen(library: Path, counted: dict[str, list[str]]) -> None:
    opened(library)
    (library / "2025" / "later").mkdir()
    (library / "2025" / "later" / "hearing-3.yaml").write_text(INCLUDING.format(n=3).replace(
        "include: [shared/actors.yaml]\n", "actors:\n  - id: mayor\n    name: The mayor\n"), encoding="utf-8")
    clear(counted)
    grown = opened(library)
    assert counted["parsed"] == ["hearing-3.yaml"]
    assert [m.name for m in grown.members] == ["hearing-2", "hearing-3", "hearing-1"]


def test_a_changed_source_text_checks_the_quotes_again(library: Path, counted: dict[str, list[str]]) -> None:
    assert opened(library).quotes.not_verbatim == ()  # type: ignore[union-attr]
    (library / "sources" / "first.txt").write_text("The council said nothing.\n", encoding="utf-8")
    again = opened(library)
    assert [e for e, _, _ in again.quotes.not_verbatim] == ["no-curfew"]  # type: ignore[union-attr]


def _index(library: Path, tag: str) -> dict[str, object]:
    from policyx.kb.cachefolder import CacheFolder

    folder = CacheFolder.open(cache_dir())
    assert folder is not None
    roots = [os.path.abspath(r) for r in include_roots([library])]
    with folder:
        blob = (folder.path / _index_name(roots, tag)).read_bytes()
    import marshal

    from policyx.kb.cachefolder import CHECKSUM_SIZE, MAGIC

    files = marshal.loads(blob[len(MAGIC) + CHECKSUM_SIZE:])["files"]
    assert isinstance(files, dict)
    return files


def test_a_deleted_file_leaves_the_index_with_its_cache(library: Path, counted: dict[str, list[str]]) -> None:
    opened(library)
    gone = library / "2025" / "hearing-2.yml"
    assert str(gone) in _index(library, "kb")
    store.open_kb(gone, readers=READERS)  # once opened alone, it has a cache of its own
    own_cache = store.cache_file(gone)
    assert own_cache is not None and own_cache.exists()
    gone.unlink()
    left = opened(library)
    assert [m.name for m in left.members] == ["hearing-1"] and left.get("patrols") is None
    assert str(gone) not in _index(library, "kb")
    assert not own_cache.exists()
    assert opened(library) == left  # and kept so


def test_a_renamed_file_is_one_member_listed_once(library: Path, counted: dict[str, list[str]]) -> None:
    opened(library)
    (library / "2025" / "hearing-2.yml").rename(library / "2025" / "second.yml")
    renamed = opened(library)
    assert [m.name for m in renamed.members] == ["second", "hearing-1"]
    assert sorted(_index(library, "kb")) == [str(library / "2025" / "second.yml"), str(library / "hearing-1.yaml")]
    listed = run_cli("--kb", str(library), "list", "kbs", "-f", "ids")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.splitlines() == ["second", "hearing-1"]
    info = run_cli("--kb", str(library), "info", "-f", "json")
    assert info.exit_code == 0, info.stderr
    assert info.stdout.count("second.yml") == 1 and "hearing-2.yml" not in info.stdout


def test_a_library_changed_in_the_last_moments_is_not_kept_whole(library: Path) -> None:
    """Files written just now may change again within the clock's tick: the library is read
    through its index (no file parsed again) until they are older."""
    opened(library)
    name = libcache.cache_name([library], include_roots([library]))
    where = cache_dir()
    assert where is not None and not (where / name).exists()
    assert opened(library).built  # built again, through the index


def test_members_sharing_an_included_file_come_back_whole(tmp_path: Path, counted: dict[str, list[str]]) -> None:
    root = tmp_path / "city"
    (root / "shared").mkdir(parents=True)
    (root / "shared" / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    for n in (1, 2):
        (root / f"hearing-{n}.yaml").write_text(INCLUDING.format(n=n), encoding="utf-8")
    first = opened(root)
    warm = opened(root)
    assert not warm.built and warm == first
    assert [m.kb for m in warm.members] == [m.kb for m in first.members]
    assert [len(m.kb.actors) for m in warm.members] == [1, 1]  # the second's given by the first in the library


def test_a_stray_file_is_noted_by_the_run_that_finds_it_and_listed_by_list_kbs(
    library: Path, counted: dict[str, list[str]],
) -> None:
    (library / "environment.yml").write_text("name: tools\ndependencies:\n  - python=3.11\n", encoding="utf-8")
    first = run_cli("--kb", str(library), "list", "arguments", "-f", "ids")
    assert first.exit_code == 0, first.stderr
    assert first.stderr.count("environment.yml") == 1 and "not a knowledge base" in first.stderr
    for _ in range(2):
        again = run_cli("--kb", str(library), "list", "arguments", "-f", "ids")
        assert again.exit_code == 0 and "environment.yml" not in again.stderr
        listed = run_cli("--kb", str(library), "list", "kbs")
        assert listed.stderr.count("environment.yml") == 1
    shutil.copyfile(library / "environment.yml", library / "2025" / "conda.yml")
    found = run_cli("--kb", str(library), "list", "arguments", "-f", "ids")
    assert "conda.yml" in found.stderr and "environment.yml" not in found.stderr


def test_a_missing_source_text_that_appears_is_read(library: Path, counted: dict[str, list[str]]) -> None:
    text = library / "sources" / "first.txt"
    text.unlink()
    missing = opened(library)
    assert [s for s, _ in missing.quotes.unchecked] == ["minutes"]  # type: ignore[union-attr]
    assert opened(library).built is False  # kept, missing text and all
    text.write_text("The council wants no curfew.\n", encoding="utf-8")
    clear(counted)
    found = opened(library)
    assert counted["parsed"] == ["hearing-1.yaml"]
    assert found.quotes.unchecked == () and found.quotes.not_verbatim == ()  # type: ignore[union-attr]


def test_an_index_whose_files_are_all_gone_is_removed(library: Path, counted: dict[str, list[str]]) -> None:
    aif = library / "dialogue.json"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "import" / "voting-age-dialogue.json", aif)
    assert [m.name for m in opened(library).members] == ["hearing-2", "dialogue", "hearing-1"]
    assert list(_index(library, "other")) == [str(aif)]
    aif.unlink()
    assert [m.name for m in opened(library).members] == ["hearing-2", "hearing-1"]
    roots = [os.path.abspath(r) for r in include_roots([library])]
    where = cache_dir()
    assert where is not None and not (where / _index_name(roots, "other")).exists()


def test_a_warm_library_searches_through_the_columns_kept_beside_it(
    library: Path, counted: dict[str, list[str]],
) -> None:
    from policyx.kb.searchcolumns import kept_columns
    from policyx.views.search import search

    first = opened(library)
    warm = opened(library)
    assert not warm.built and kept_columns(warm, Kind.POSITIONS) and kept_columns(first, Kind.POSITIONS) is None
    for query in ("council", "curfew", "curfew rights", "minors", "nothing here"):
        found = [(hit.entry.id, hit.score, hit.matched, hit.excerpt) for hit in search(warm, query)]
        assert found == [(hit.entry.id, hit.score, hit.matched, hit.excerpt) for hit in search(first, query)]
        assert found or query == "nothing here"
