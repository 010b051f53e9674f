"""The cache of validated knowledge bases (policyx.kb.store).

It must never change what a command prints, must notice any change to the
file, and must survive being damaged, unreadable or unwritable.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyx.cli.app import command
from policyx.kb import cacherows, store
from policyx.kb.check import check
from policyx.kb.load import bundled_path, load, read_source_text
from policyx.kb.model import Kind
from tests.clirun import run_cli
from tests.conftest import make_kb_module

BUNDLED = bundled_path()
FORMATS = ("plain", "json", "jsonl", "csv", "tsv", "yaml", "markdown", "ids")
COLLECTIONS = ("sources", "actors", "models", "questions", "positions", "arguments")


@pytest.fixture(scope="module")
def generated_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = make_kb_module().write_kb(300, tmp_path_factory.mktemp("gen") / "kb.yaml", seed=3)
    return path


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("POLICYX_KB", raising=False)
    return home


def invoke(*argv: str) -> tuple[str, str, int]:
    """stdout, stderr and exit status of ``policyx ARGV`` (the real entry point, in-process)."""
    outcome = run_cli(*argv)
    return outcome.stdout, outcome.stderr, outcome.exit_code


def copy_kb(tmp_path: Path, source: Path = BUNDLED) -> Path:
    target = tmp_path / "kb" / "positions.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return target


# --------------------------------------------------------------------------
# Same output with and without the cache


#: Command lines for every command; a command added later without an entry is
#: still run bare (``[name]``) with and without the cache.
COMMAND_LINES: dict[str, list[list[str]]] = {
    "list": [["list", c, "-f", f] for c in COLLECTIONS for f in FORMATS] + [["list"], ["list", "tags", "-f", "json"]],
    "check": [["check"], ["check", "--format", "json"]],
    "show": [["show", "end-bifurcation", "-f", f] for f in FORMATS] + [["show", "no-such-id"]],
    "search": [["search", "johns", "-f", f] for f in FORMATS],
    "compare": [["compare", "criminalize-johns", "do-not-criminalize-johns", "-f", f] for f in FORMATS],
    "map": [["map"]],
    "export": [["export", "-f", f] for f in ("markdown", "dot", "mermaid", "argdown", "aif", "json", "yaml", "csv")],
    "quiz": [["quiz", "--seed", "1"]],  # without a seed a quiz is new each time, by design
    "diff": [["diff", str(BUNDLED), str(BUNDLED.parent.parent / "docs" / "examples" / "uniforms" / "debate.yaml"),
              "-f", f] for f in ("plain", "json", "markdown", "text")],
    "info": [],  # it reports the cache itself, by design (tests/test_quotes_verified.py tests it both ways)
}


def _command_names() -> list[str]:
    return sorted(getattr(command(), "commands", {}))


@pytest.mark.parametrize("kb_name", ["bundled", "generated"])
def test_every_command_prints_the_same_with_and_without_cache(
    kb_name: str, generated_kb: Path, cache_home: Path
) -> None:
    kb = str(BUNDLED if kb_name == "bundled" else generated_kb)
    names = _command_names()
    assert "list" in names and "check" in names
    # The first run writes the cache (and must print what --no-cache prints); every later run
    # reads it. (A second, "cold" run per command line would only read it again.)
    first = ["list", "arguments", "-f", "json"]
    assert invoke("--kb", kb, *first) == invoke("--kb", kb, "--no-cache", *first)
    assert list((cache_home / "policyx").iterdir()), "the cache was written"
    for name in names:
        for argv in COMMAND_LINES.get(name, [[name]]):
            without = invoke("--kb", kb, "--no-cache", *argv)
            warm = invoke("--kb", kb, *argv)  # reads the cache
            assert warm == without, argv


@pytest.mark.parametrize("source", ["bundled", "generated"])
def test_cached_knowledge_base_equals_loaded_one(source: str, generated_kb: Path, tmp_path: Path) -> None:
    path = BUNDLED if source == "bundled" else generated_kb
    loaded = load(path)
    cold = store.open_kb(path)
    warm = store.open_kb(path)
    assert store.cache_file(path).exists()
    assert loaded == cold == warm
    assert [e for k in loaded.ids for e in (loaded.get(k),)] == [warm.get(k) for k in loaded.ids]
    assert warm.path == str(path)


def test_cache_shows_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = copy_kb(tmp_path)
    monkeypatch.chdir(kb.parent)
    assert store.open_kb(Path("positions.yaml")).path == "positions.yaml"
    assert store.open_kb(kb).path == str(kb)  # same cache file, other spelling
    assert store.cache_file(Path("positions.yaml")) == store.cache_file(kb)


# --------------------------------------------------------------------------
# Invalidation


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import policyx.kb.load

    calls: list[Path] = []
    real = policyx.kb.load.load

    def counting(path: Path | str, **given: object) -> object:
        calls.append(Path(path))
        return real(path, **given)  # type: ignore[arg-type]

    monkeypatch.setattr(policyx.kb.load, "load", counting)
    return calls


def test_warm_cache_does_not_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = copy_kb(tmp_path)
    loads = _count_loads(monkeypatch)
    store.open_kb(kb)
    store.open_kb(kb)
    store.open_kb(kb)
    assert len(loads) == 1


def test_edit_of_same_size_and_same_mtime_invalidates(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    before = store.open_kb(kb)
    stat = kb.stat()
    text = kb.read_text(encoding="utf-8")
    old = "Sex work should be viewed as labor."
    new = "Sex work should be viewed as LABOR."
    assert len(new) == len(old) and text.count(f"claim: {old}") == 1
    kb.write_text(text.replace(f"claim: {old}", f"claim: {new}"), encoding="utf-8")
    os.utime(kb, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as a coarse clock or `touch -r` would leave it
    assert kb.stat().st_size == stat.st_size and kb.stat().st_mtime_ns == stat.st_mtime_ns
    after = store.open_kb(kb)
    assert before.get("sex-work-is-labor").claim == old  # type: ignore[union-attr]
    assert after.get("sex-work-is-labor").claim == new  # type: ignore[union-attr]
    assert store.open_kb(kb) == after


def test_other_policyx_version_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = copy_kb(tmp_path)
    store.open_kb(kb)
    loads = _count_loads(monkeypatch)
    monkeypatch.setattr(store, "__version__", "999.0")
    store.open_kb(kb)
    assert len(loads) == 1


def test_other_model_layout_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache written by code whose model had its fields in another order is not read."""
    kb = copy_kb(tmp_path)
    expected = store.open_kb(kb)
    before = store.cache_identity(kb)
    loads = _count_loads(monkeypatch)
    swapped = dict(cacherows.ROW_FIELDS)
    names = list(swapped[Kind.ARGUMENTS])
    names[1], names[6] = names[6], names[1]  # claim <-> quote: same types, so no error would show it
    swapped[Kind.ARGUMENTS] = tuple(names)
    monkeypatch.setattr(cacherows, "ROW_FIELDS", swapped)
    assert store.cache_identity(kb) != before
    assert store.open_kb(kb) == expected
    assert len(loads) == 1  # the cache was not taken: the file was parsed again


def test_edited_policyx_code_invalidates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a checkout, editing the loader (same version number) must not leave stale caches."""
    code = tmp_path / "code"
    code.mkdir()
    for name in store.CODE_MODULES:
        (code / name).write_text(f"# {name}\n", encoding="utf-8")
    monkeypatch.setattr(store, "__file__", str(code / "store.py"))
    kb = copy_kb(tmp_path)
    before = store.cache_identity(kb)
    assert store.cache_identity(kb) == before
    (code / "store.py").write_text("# store.py, edited while it runs\n", encoding="utf-8")
    assert store.cache_identity(kb) == before  # stamped once per process: a run is not slowed by it
    for name in store.CODE_MODULES:
        (code / name).write_text(f"# {name}, with a new rule\n", encoding="utf-8")
        store._CONSTANT.clear()  # the next run: the code is stamped once per process
        assert store.cache_identity(kb) != before, name
        before = store.cache_identity(kb)


def test_invalid_knowledge_base_is_not_cached(tmp_path: Path, cache_home: Path) -> None:
    kb = tmp_path / "bad.yaml"
    kb.write_text("version: 1\npositions: 3\n", encoding="utf-8")
    first = invoke("--kb", str(kb), "list", "-f", "json")
    second = invoke("--kb", str(kb), "list", "-f", "json")
    assert first == second and first[2] == 3 and "bad.yaml" in first[1]
    assert not store.cache_file(kb).exists()


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    where = store.cache_file(kb)
    out, err, code = invoke("--kb", str(kb), "--no-cache", "list", "-f", "ids")
    assert code == 0 and out and not where.exists()
    where.parent.mkdir(parents=True)
    where.write_bytes(b"garbage")
    assert invoke("--kb", str(kb), "--no-cache", "list", "-f", "ids") == (out, "", 0)
    assert where.read_bytes() == b"garbage"


# --------------------------------------------------------------------------
# Damaged, unreadable, unwritable


def _damage_truncate(where: Path) -> None:
    where.write_bytes(where.read_bytes()[:-40])


def _damage_flip(where: Path) -> None:
    data = bytearray(where.read_bytes())
    data[len(data) // 2] ^= 0xFF
    where.write_bytes(bytes(data))


def _damage_foreign(where: Path) -> None:
    where.write_bytes(b"\x80\x04not a policyx cache")


def _damage_unreadable(where: Path) -> None:
    where.unlink()
    where.mkdir()  # reading a directory fails even for root


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_flip, _damage_foreign, _damage_unreadable])
def test_damaged_cache_gives_one_warning_and_right_output(damage, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kb = copy_kb(tmp_path)
    expected = invoke("--kb", str(kb), "list", "arguments", "-f", "json")
    where = store.cache_file(kb)
    assert expected[1:] == ("", 0) and where.exists()
    damage(where)
    out, err, code = invoke("--kb", str(kb), "list", "arguments", "-f", "json")
    assert (out, code) == (expected[0], 0)
    assert err.count("\n") == 1 and err.startswith("policyx: warning: ignoring the cache ")
    assert str(where) in err
    if damage is not _damage_unreadable:  # rebuilt: the next run is quiet
        assert invoke("--kb", str(kb), "list", "arguments", "-f", "json") == expected


def test_unwritable_cache_directory_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    expected = invoke("--kb", str(BUNDLED), "--no-cache", "list", "-f", "csv")
    assert invoke("--kb", str(BUNDLED), "list", "-f", "csv") == expected
    assert invoke("--kb", str(BUNDLED), "list", "-f", "csv") == expected
    assert blocker.is_file()


def test_cache_location_follows_xdg(tmp_path: Path) -> None:
    assert store.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "policyx"
    home_cache = tmp_path / ".cache" / "policyx"
    assert store.cache_dir({"HOME": str(tmp_path)}) == home_cache
    # XDG: relative values are ignored
    assert store.cache_dir({"HOME": str(tmp_path), "XDG_CACHE_HOME": "relative/dir"}) == home_cache
    import pwd

    account = Path(pwd.getpwuid(os.geteuid()).pw_dir) / ".cache" / "policyx"  # HOME unset: the account's
    assert store.cache_dir({}) == (account if account.parent.parent.is_dir() else None)


def test_cache_file_is_private_and_data_only(tmp_path: Path) -> None:
    kb = copy_kb(tmp_path)
    store.open_kb(kb)
    where = store.cache_file(kb)
    assert where.stat().st_mode & 0o777 == 0o600
    assert b"pickle" not in where.read_bytes()[:64]
    assert where.read_bytes().startswith(b"policyx-kb-cache 7\n")
    assert not [p for p in where.parent.iterdir() if p.name.endswith(".tmp")]  # no temporary left behind


# --------------------------------------------------------------------------
# The benchmark's generator writes valid knowledge bases


def test_generated_knowledge_base_passes_check(generated_kb: Path) -> None:
    kb = load(generated_kb)
    assert len(kb.arguments) == 300 and kb.questions and kb.positions and len(kb.sources) >= 2
    errors = [p for p in check(kb, lambda s: read_source_text(kb, s)) if p.severity == "error"]
    assert errors == []
    depth = 0
    for argument in kb.arguments:  # rebuttal chains run several levels deep
        level, target = 1, argument.target
        while target.startswith("arg-"):
            level, target = level + 1, kb.get(target).target  # type: ignore[union-attr]
        depth = max(depth, level)
    assert depth >= 4


def test_generator_is_deterministic(tmp_path: Path) -> None:
    make_kb = make_kb_module()
    a = make_kb.write_kb(50, tmp_path / "a" / "kb.yaml", seed=5).read_bytes()
    b = make_kb.write_kb(50, tmp_path / "b" / "kb.yaml", seed=5).read_bytes()
    assert a == b


# --------------------------------------------------------------------------
# A library: each knowledge base cached on its own


def test_a_library_caches_its_knowledge_bases_and_rereads_only_the_changed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache_home: Path,
) -> None:
    from policyx.cli.selection import select
    from policyx.kb.libopen import open_library

    monkeypatch.setattr(cacherows, "RACY_NS", 0)  # written just now: kept in the index all the same
    folder = tmp_path / "library"
    folder.mkdir()
    text = BUNDLED.read_text(encoding="utf-8")
    for name in ("one", "two", "three"):
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    loads = _count_loads(monkeypatch)
    cold = open_library(select((str(folder),), {}).paths)
    assert sorted(p.name for p in loads) == ["one.yaml", "three.yaml", "two.yaml"]
    # kept in the library's index (and the library whole): no cache file of each one's own
    assert list((cache_home / "policyx").glob("kb-*")) == []
    assert len(list((cache_home / "policyx").glob("lib-*"))) >= 1
    loads.clear()
    warm = open_library(select((str(folder),), {}).paths)
    assert loads == [] and warm == cold
    (folder / "two.yaml").write_text(text.replace("Sex work should be viewed as labor.", "Sex work is labor."),
                                     encoding="utf-8")
    changed = open_library(select((str(folder),), {}).paths)
    assert [p.name for p in loads] == ["two.yaml"]
    assert changed.get("two:sex-work-is-labor").claim == "Sex work is labor."  # type: ignore[union-attr]
    assert changed.get("one:sex-work-is-labor").claim == "Sex work should be viewed as labor."  # type: ignore[union-attr]


def test_a_library_prints_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "bundled.yaml").write_bytes(BUNDLED.read_bytes())
    (folder / "uniforms.yaml").write_bytes((BUNDLED.parent.parent / "docs" / "examples" / "uniforms" /
                                            "debate.yaml").read_bytes())
    for argv in (["list", "arguments", "-f", "json"], ["list", "kbs", "-f", "csv"], ["show", "uniforms"],
                 ["search", "uniforms", "-f", "json"], ["map"], ["export", "-f", "argdown"]):
        without = invoke("--kb", str(folder), "--no-cache", *argv)
        cold = invoke("--kb", str(folder), *argv)
        warm = invoke("--kb", str(folder), *argv)
        assert cold == without == warm, argv
        assert without[2] == 0, (argv, without[1])


# --------------------------------------------------------------------------
# Source texts: a warm run stats them; their digest decides when the stat cannot


def _same_size_edit(path: Path) -> None:
    """Change a byte and put the mtime back, as a coarse clock or ``touch -r`` would leave it."""
    stat = path.stat()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + (b"X" if data[-1:] != b"X" else b"Y"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def _counted_digests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    digest = cacherows.file_digest

    def counting(path: Path | str) -> tuple[int, str]:
        read.append(str(path))
        return digest(path)

    monkeypatch.setattr(cacherows, "file_digest", counting)
    return read


def test_a_settled_source_text_is_statted_not_read_and_an_edit_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = tmp_path / "speech.txt"
    text.write_text("The council wants no curfew.\n", encoding="utf-8")
    monkeypatch.setattr(cacherows, "RACY_NS", -10**18)  # as if written long before the cache
    stamps = cacherows._source_stamps([str(text)])
    assert stamps[0][2] is not None
    read = _counted_digests(monkeypatch)
    assert cacherows._sources_check([str(text)], stamps)[0] and read == []
    _same_size_edit(text)  # the ctime moved
    assert not cacherows._sources_check([str(text)], stamps)[0] and read == [str(text)]


def test_a_source_text_changed_just_before_the_cache_is_told_by_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = tmp_path / "speech.txt"
    text.write_text("The council wants no curfew.\n", encoding="utf-8")
    stamps = cacherows._source_stamps([str(text)])  # written a moment ago: the same clock tick could hide an edit
    assert stamps[0][2] is None
    read = _counted_digests(monkeypatch)
    assert cacherows._sources_check([str(text)], stamps)[0] and read == [str(text)]
    _same_size_edit(text)
    assert not cacherows._sources_check([str(text)], stamps)[0]
    text.unlink()
    assert not cacherows._sources_check([str(text)], stamps)[0]
    assert cacherows._sources_check([str(text)], cacherows._source_stamps([str(text)]))[0]  # unreadable then and now


LABOR = "Sex work should be viewed as LABOR."


def _edit_a_claim(kb: Path) -> None:
    """A claim of the bundled knowledge base changed in place, its size and mtime as they were
    (``touch -r``, or a coarse clock)."""
    stat = kb.stat()
    old = "Sex work should be viewed as labor."
    kb.write_text(kb.read_text(encoding="utf-8").replace(f"claim: {old}", f"claim: {LABOR}"), encoding="utf-8")
    os.utime(kb, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert kb.stat().st_size == stat.st_size and kb.stat().st_mtime_ns == stat.st_mtime_ns


def test_a_settled_knowledge_base_is_statted_not_hashed_and_an_edit_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = copy_kb(tmp_path)
    monkeypatch.setattr(cacherows, "RACY_NS", -10**18)  # as if written long before it was read
    before = store.open_kb(kb)
    read = _counted_digests(monkeypatch)
    assert store.open_kb(kb) == before and str(kb) not in read  # its stat told: no byte of it read
    _edit_a_claim(kb)
    after = store.open_kb(kb)  # the ctime moved (a write, after a whole load since the first stat)
    assert after.get("sex-work-is-labor").claim == LABOR  # type: ignore[union-attr]


def test_a_knowledge_base_changed_just_before_it_was_read_is_told_by_its_digest_until_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = copy_kb(tmp_path)
    monkeypatch.setattr(cacherows, "RACY_NS", 10**18)  # written a moment ago: the same clock tick could hide an edit
    before = store.open_kb(kb)
    where = store.cache_file(kb)
    assert where is not None
    written = where.stat().st_mtime_ns
    read = _counted_digests(monkeypatch)
    assert store.open_kb(kb) == before and read.count(str(kb)) == 1  # hashed: its digest decides
    assert where.stat().st_mtime_ns == written  # nothing new to keep: the cache is not written again
    monkeypatch.setattr(cacherows, "RACY_NS", -10**18)  # later: its stat is settled now
    assert store.open_kb(kb) == before and read.count(str(kb)) == 2  # hashed once more, and its stat kept
    assert store.open_kb(kb) == before and read.count(str(kb)) == 2  # from now on a stat tells
    _edit_a_claim(kb)
    assert store.open_kb(kb).get("sex-work-is-labor").claim == LABOR  # type: ignore[union-attr]


def test_a_source_text_found_unchanged_by_its_digest_keeps_its_stat_once_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = tmp_path / "speech.txt"
    text.write_text("The council wants no curfew.\n", encoding="utf-8")
    monkeypatch.setattr(cacherows, "RACY_NS", 10**18)  # written a moment ago
    stamps = cacherows._source_stamps([str(text)])
    assert stamps[0][2] is None
    assert cacherows._sources_check([str(text)], stamps) == (True, False)  # still too recent
    monkeypatch.setattr(cacherows, "RACY_NS", -10**18)
    assert cacherows._sources_check([str(text)], stamps) == (True, True)  # its digest told; its stat kept
    read = _counted_digests(monkeypatch)
    assert cacherows._sources_check([str(text)], stamps) == (True, False) and read == []


def test_columns_of_another_shape_are_a_damaged_cache_not_entries_half_made(tmp_path: Path) -> None:
    kb = store.open_kb(copy_kb(tmp_path))
    content = cacherows.payload_of(kb)
    assert content is not None and cacherows.rebuild(content, kb.path) == kb
    columns = content["columns"]["arguments"]
    for damaged in (columns[:-1], [columns[0][:-1], *columns[1:]]):  # a field short; an entry short in one field
        with pytest.raises(store.Corrupt, match="damaged: ValueError"):
            cacherows.rebuild({**content, "columns": {**content["columns"], "arguments": damaged}}, kb.path)
