"""``include:`` (shared actors and legal models) and ``name:``, alone and in a library."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policyx.cli.selection import select
from policyx.kb import load as load_module
from policyx.kb import store
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.libopen import open_library
from policyx.kb.load import load
from policyx.kb.schema import MAX_INCLUDE_DEPTH, MAX_INCLUDES
from tests.clirun import run_cli

PEOPLE = """\
version: 1
actors:
  - id: council
    name: The city council
models:
  - id: curfew-law
    name: Curfew law
    summary: A law that keeps minors off the streets at night.
"""

FIRST = """\
version: 1
name: first
include: ../shared/people.yaml
actors:
  - id: parents
    name: Parents
questions:
  - id: curfew
    text: Should the city have a curfew for minors?
positions:
  - id: no-curfew
    question: curfew
    claim: There should be no curfew.
    held_by: [council, parents]
    agreement: broad
    models: [curfew-law]
"""

SECOND = """\
version: 1
include: [../shared/people.yaml]
questions:
  - id: patrols
    text: Should the police patrol at night?
positions:
  - id: patrols-yes
    question: patrols
    claim: There should be patrols.
    held_by: council
    agreement: individual
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "shared").mkdir()
    (tmp_path / "hearings").mkdir()
    (tmp_path / "shared" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "hearings" / "first.yaml").write_text(FIRST, encoding="utf-8")
    (tmp_path / "hearings" / "second.yaml").write_text(SECOND, encoding="utf-8")
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load(path)
    return [str(p) for p in caught.value.problems]


# --------------------------------------------------------------------------
# one knowledge base


def test_included_actors_and_models_come_first_and_can_be_referred_to(tree: Path) -> None:
    kb = load(tree / "hearings" / "first.yaml", roots=[tree / "shared"])  # ../shared: allowed by the caller
    assert [a.id for a in kb.actors] == ["council", "parents"]
    assert [m.id for m in kb.models] == ["curfew-law"]
    assert kb.name == "first"
    assert [(Path(i.path).resolve(), i.ids) for i in kb.includes] == [
        ((tree / "shared" / "people.yaml").resolve(), ("council", "curfew-law"))]


def test_the_cli_reads_the_included_entries(tree: Path) -> None:
    result = run_cli("--kb", str(tree / "hearings" / "first.yaml"), "--sources", str(tree), "show", "council",
                     "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [row["id"] for row in json.loads(result.stdout)] == ["council", "no-curfew"]


def test_includes_nest_and_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", "version: 1\nactors:\n  - id: clerk\n    name: The clerk\n")
    write(tmp_path / "left.yaml", "version: 1\ninclude: base.yaml\nactors:\n  - id: left\n    name: L\n")
    write(tmp_path / "right.yaml", "version: 1\ninclude: ./base.yaml\nactors:\n  - id: right\n    name: R\n")
    main = write(tmp_path / "main.yaml", "version: 1\ninclude: [left.yaml, right.yaml, left.yaml]\n")
    kb = load(main)
    assert [a.id for a in kb.actors] == ["clerk", "left", "right"]
    assert [(Path(i.path).name, i.ids) for i in kb.includes] == [
        ("base.yaml", ("clerk",)), ("left.yaml", ("left",)), ("right.yaml", ("right",))]


def test_a_cycle_is_an_error_at_the_include_that_closes_it(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "version: 1\ninclude: b.yaml\n")
    write(tmp_path / "b.yaml", "version: 1\nactors:\n  - id: x\n    name: X\ninclude: [a.yaml]\n")
    assert problems(tmp_path / "a.yaml") == [
        f"{tmp_path / 'b.yaml'}:5:11: include 'a.yaml' makes a cycle: a.yaml -> b.yaml -> a.yaml"
        " (a file cannot include itself, directly or through others: remove one include)"]


def test_a_file_including_itself_is_a_cycle(tmp_path: Path) -> None:
    me = write(tmp_path / "me.yaml", "version: 1\ninclude: me.yaml\n")
    assert problems(me) == [f"{me}:2:10: include 'me.yaml' makes a cycle: me.yaml -> me.yaml"
                            " (a file cannot include itself, directly or through others: remove one include)"]


def test_a_missing_file_is_an_error_at_its_include_line(tmp_path: Path) -> None:
    main = write(tmp_path / "main.yaml", "version: 1\ninclude:\n  - shared/people.yaml\n")
    result = run_cli("--kb", str(main), "list")
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr == (f"policyx: {main}:3:5: include 'shared/people.yaml': {tmp_path / 'shared/people.yaml'}:"
                             f" no such file (the path is relative to the folder of {main})\n")


def test_a_mistake_inside_an_included_file_is_located_there(tmp_path: Path) -> None:
    shared = write(tmp_path / "shared.yaml", "version: 1\nactors:\n  - id: council\n    nam: Council\n")
    main = write(tmp_path / "main.yaml", "version: 1\ninclude: shared.yaml\n")
    found = problems(main)
    # one mistake, one message: the unknown 'nam' says 'name' is meant (it is not also missing)
    assert found == [f"{shared}:4:5: actor 'council': unknown field 'nam' (did you mean 'name'?)"]


def test_an_included_file_holds_only_actors_and_models(tmp_path: Path) -> None:
    shared = write(tmp_path / "shared.yaml", "version: 1\nquestions:\n  - id: q\n    text: Q?\n")
    main = write(tmp_path / "main.yaml", "version: 1\ninclude: shared.yaml\n")
    assert problems(main) == [f"{shared}:2:1: 'questions' cannot be in an included file, which holds only actors"
                              " and models (move it to the knowledge base that includes this file)"]


def test_an_id_both_in_the_file_and_an_included_one_is_a_duplicate(tmp_path: Path) -> None:
    write(tmp_path / "shared.yaml", "version: 1\nactors:\n  - id: council\n    name: Council\n")
    main = write(tmp_path / "main.yaml", "version: 1\ninclude: shared.yaml\nactors:\n  - id: council\n    name: C\n")
    assert problems(main) == [
        f"{main}:4:9: actor 'council': duplicate id, already used by actor 'council' of the included file"
        f" {tmp_path / 'shared.yaml'} (ids must be unique across a file and the files it includes)"]


def test_an_id_in_two_included_files_is_an_error_at_the_second(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write(tmp_path / f"{name}.yaml", "version: 1\nactors:\n  - id: council\n    name: Council\n")
    main = write(tmp_path / "main.yaml", "version: 1\ninclude: [one.yaml, two.yaml]\n")
    assert problems(main) == [f"{main}:2:21: include '{tmp_path / 'two.yaml'}': actor 'council' is also in"
                              f" {tmp_path / 'one.yaml'} (an id may be in one included file only)"]


@pytest.mark.parametrize(("value", "message"), [
    ("3", "'include' must be a path or a list of paths"),
    ("[a.yaml, '']", "'include' must be a path or a list of paths"),
])
def test_include_takes_paths(tmp_path: Path, value: str, message: str) -> None:
    main = write(tmp_path / "main.yaml", f"version: 1\ninclude: {value}\n")
    (found,) = problems(main)
    assert found.startswith(f"{main}:2:10: {message}")


def test_name_is_kebab_case(tmp_path: Path) -> None:
    main = write(tmp_path / "main.yaml", "version: 1\nname: First Hearing\n")
    (found,) = problems(main)
    assert found.startswith(f"{main}:2:7: 'name' must be kebab-case, like an id, not 'First Hearing'")


# --------------------------------------------------------------------------
# the cache: an included file is part of what a cache stands for


def test_editing_an_included_file_invalidates_the_cache_of_who_includes_it(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = tree / "hearings" / "first.yaml"
    cold = store.open_kb(first, roots=(tree,))
    warm = store.open_kb(first, roots=(tree,))
    assert warm == cold and warm.includes == cold.includes and warm.name == "first"
    people = tree / "shared" / "people.yaml"
    people.write_text(PEOPLE.replace("The city council", "The town council"), encoding="utf-8")
    after = store.open_kb(first, roots=(tree,))
    assert after.get("council").name == "The town council"  # type: ignore[union-attr]
    with pytest.raises(KnowledgeBaseError) as caught:  # the cache made with --sources does not stand for a run without
        store.open_kb(first)
    assert "include '../shared/people.yaml': " in str(caught.value) and "is outside" in str(caught.value)
    people.unlink()
    with pytest.raises(KnowledgeBaseError) as caught:
        store.open_kb(first, roots=(tree,))
    assert "include '../shared/people.yaml'" in str(caught.value)


def test_a_settled_included_file_is_statted_not_hashed_and_an_edit_in_place_is_seen(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from policyx.kb import cacherows

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = tree / "hearings" / "first.yaml"
    people = tree / "shared" / "people.yaml"
    monkeypatch.setattr(cacherows, "RACY_NS", -10**18)  # as if written long before they were read
    cold = store.open_kb(first, roots=(tree,))
    hashed: list[str] = []
    digest = cacherows.file_digest

    def counting(path: str | os.PathLike[str]) -> tuple[int, str]:
        hashed.append(str(path))
        return digest(path)

    monkeypatch.setattr(cacherows, "file_digest", counting)
    assert store.open_kb(first, roots=(tree,)) == cold and hashed == []  # a stat each told
    stat = people.stat()
    people.write_text(PEOPLE.replace("The city council", "The City Council"), encoding="utf-8")
    os.utime(people, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # `touch -r`: size and mtime as they were
    assert people.stat().st_size == stat.st_size and people.stat().st_mtime_ns == stat.st_mtime_ns
    after = store.open_kb(first, roots=(tree,))  # its ctime moved
    assert after.get("council").name == "The City Council"  # type: ignore[union-attr]


# --------------------------------------------------------------------------
# in a library


def test_a_file_several_knowledge_bases_include_gives_one_entry(tree: Path) -> None:
    lib = open_library(select((str(tree / "hearings"),), {}).paths, sources=str(tree))
    assert [m.name for m in lib.members] == ["first", "second"]  # `name:`, then the stem
    assert [a.id for a in lib.actors] == ["council", "parents"]
    assert lib.kb_of("council") == "people" and lib.kb_of("parents") == "first"
    asked = ["council", "parents", "people:council", "nothing"]
    assert lib.kbs_of([*asked, None]) == [*map(lib.kb_of, asked), None] and lib.kbs_of(asked)[:2] == ["people", "first"]
    assert lib.get("people:council") is lib.get("council")
    shown = run_cli("--kb", str(tree / "hearings"), "--sources", str(tree), "show", "council", "-f", "ids")
    assert shown.stdout.splitlines() == ["council", "no-curfew", "patrols-yes"]  # across both hearings


def test_a_folders_included_files_are_skipped_with_the_reason(tree: Path) -> None:
    result = run_cli("--kb", str(tree), "list", "kbs", "-f", "ids")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["first", "second"]
    assert result.stderr == (f"policyx: note: skipped {tree / 'shared' / 'people.yaml'}"
                             f" (included by {tree / 'hearings' / 'first.yaml'})\n")


def test_the_same_actor_from_two_different_files_is_two_entries(tree: Path) -> None:
    (tree / "other").mkdir()
    write(tree / "other" / "people.yaml", PEOPLE)
    write(tree / "hearings" / "second.yaml", SECOND.replace("../shared/people.yaml", "../other/people.yaml"))
    ids = run_cli("--kb", str(tree / "hearings"), "--sources", str(tree), "list", "actors", "-f", "ids")
    ids = ids.stdout.splitlines()
    assert ids == ["first:council", "parents", "second:council"]


def test_two_knowledge_bases_of_one_name_are_a_usage_error(tree: Path) -> None:
    write(tree / "hearings" / "second.yaml", SECOND.replace("version: 1\n", "version: 1\nname: first\n"))
    result = run_cli("--kb", str(tree / "hearings"), "--sources", str(tree), "list")
    assert result.exit_code == 2
    assert result.stderr == (
        f"policyx: two knowledge bases of the library are called 'first': {tree / 'hearings' / 'first.yaml'} and"
        f" {tree / 'hearings' / 'second.yaml'} (give one of them another 'name:' at its top)\n")


def test_an_include_file_given_with_kb_is_read(tree: Path) -> None:
    result = run_cli("--kb", str(tree / "hearings" / "first.yaml"), "--kb", str(tree / "shared" / "people.yaml"),
                     "list", "kbs", "-f", "ids")
    assert result.stdout.splitlines() == ["first", "people"]


def test_a_failed_include_is_not_followed_by_an_error_per_reference(tree: Path) -> None:
    first = tree / "hearings" / "first.yaml"
    write(first, FIRST.replace("../shared/people.yaml", "../shared/peple.yaml").replace("held_by: [council, parents]",
                                                                                       "held_by: [council, parnets]"))
    found = problems(first)
    # what the include would have given is unknown, so no reference to an actor or a model is
    # reported as unknown (not even 'parnets': the file that could not be read might hold it)
    assert len(found) == 1 and found[0].startswith(f"{first}:3:10: include '../shared/peple.yaml'")
    write(first, FIRST.replace("questions:", "questions:\n  - id: curfew\n    text: Again?"))
    assert any("duplicate id" in p for p in problems(first))  # other mistakes still are


# --------------------------------------------------------------------------
# hostile includes: each a located error (exit 3), never a crash or a hang


def test_a_chain_400_deep_is_a_located_error_not_a_recursion_error(tmp_path: Path) -> None:
    for n in range(400):
        write(tmp_path / f"f{n}.yaml", f"version: 1\ninclude: f{n + 1}.yaml\n")
    write(tmp_path / "f400.yaml", "version: 1\nactors:\n  - id: x\n    name: X\n")
    result = run_cli("--kb", str(tmp_path / "f0.yaml"), "list", "actors")
    assert result.exit_code == 3 and result.stdout == ""
    deepest = tmp_path / f"f{MAX_INCLUDE_DEPTH}.yaml"
    assert result.stderr == (f"policyx: {deepest}:2:10: include 'f{MAX_INCLUDE_DEPTH + 1}.yaml' is more than"
                             f" {MAX_INCLUDE_DEPTH} includes deep (include the shared files from the knowledge"
                             " base itself, not through a long chain)\n")


def test_a_chain_as_deep_as_allowed_is_read(tmp_path: Path) -> None:
    for n in range(MAX_INCLUDE_DEPTH):
        write(tmp_path / f"f{n}.yaml", f"version: 1\ninclude: f{n + 1}.yaml\n")
    write(tmp_path / f"f{MAX_INCLUDE_DEPTH}.yaml", "version: 1\nactors:\n  - id: x\n    name: X\n")
    assert [a.id for a in load(tmp_path / "f0.yaml").actors] == ["x"]


def test_a_diamond_lattice_reads_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # level n includes both files of level n+1: 2**14 routes to the bottom, 30 files
    for n in range(14):
        for side in "ab":
            write(tmp_path / f"{side}{n}.yaml", f"version: 1\ninclude: [a{n + 1}.yaml, b{n + 1}.yaml]\n")
    for side in "ab":
        write(tmp_path / f"{side}14.yaml", f"version: 1\nactors:\n  - id: {side}\n    name: X\n")
    main = write(tmp_path / "main.yaml", "version: 1\ninclude: [a0.yaml, b0.yaml]\n")
    reads: list[str] = []
    real_read = load_module.read_included
    monkeypatch.setattr(load_module, "read_included", lambda real, shown: reads.append(real) or real_read(real, shown))
    assert [a.id for a in load(main).actors] == ["a", "b"]
    assert len(reads) == len(set(reads)) == 30


def test_more_files_than_the_limit_are_refused(tmp_path: Path) -> None:
    names = [f"p{n}.yaml" for n in range(MAX_INCLUDES + 1)]
    for name in names:
        write(tmp_path / name, "version: 1\n")
    main = write(tmp_path / "main.yaml", "version: 1\ninclude:\n" + "".join(f"  - {n}\n" for n in names))
    assert problems(main) == [f"{main}:{MAX_INCLUDES + 3}:5: include '{names[-1]}': more than {MAX_INCLUDES} files"
                              " are included (gather the shared actors and models in fewer files)"]


def test_a_nul_in_the_path_is_a_located_error(tmp_path: Path) -> None:
    main = write(tmp_path / "main.yaml", 'version: 1\ninclude: "a\\0b.yaml"\n')
    result = run_cli("--kb", str(main), "list")
    assert result.exit_code == 3
    assert result.stderr == (f"policyx: {main}:2:10: include 'a\\x00b.yaml' holds a NUL character, which no file"
                             " name can (fix the path)\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_is_refused_without_waiting_on_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "people.yaml")  # nobody writes to it: opening it to read would wait for ever
    main = write(tmp_path / "main.yaml", "version: 1\ninclude: people.yaml\n")
    assert problems(main) == [
        f"{main}:2:10: include 'people.yaml': {tmp_path / 'people.yaml'}: is not a regular file (a device, a pipe"
        f" or a socket), so it is not read (the path is relative to the folder of {main})"]


@pytest.mark.parametrize("target", ["/etc/passwd", "../outside/people.yaml", "link/people.yaml"])
def test_a_file_outside_the_folder_is_not_read(tmp_path: Path, target: str) -> None:
    (tmp_path / "outside").mkdir()
    write(tmp_path / "outside" / "people.yaml", PEOPLE)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "link").symlink_to(tmp_path / "outside")  # a link out: where it leads is checked
    main = write(tmp_path / "kb" / "main.yaml", f"version: 1\ninclude: {target}\n")
    result = run_cli("--kb", str(main), "list", "actors")
    assert result.exit_code == 3 and result.stdout == ""
    shown = os.path.normpath(tmp_path / "kb" / target)
    assert result.stderr == (
        f"policyx: {main}:2:10: include {target!r}: {shown} is outside the knowledge base's folder, so it is not"
        " read (keep shared files in the knowledge base's folder or below it, or give the folder that holds them"
        " with --sources DIR)\n")
    if target != "/etc/passwd":  # the folder named with --sources is allowed, as for sources
        allowed = run_cli("--kb", str(main), "--sources", str(tmp_path / "outside"), "list", "actors", "-f", "ids")
        assert allowed.exit_code == 0, allowed.stderr
        assert allowed.stdout.splitlines() == ["council"]


def test_check_allows_includes_under_sources_and_the_library_folder(tree: Path) -> None:
    first = str(tree / "hearings" / "first.yaml")
    assert run_cli("check", first).exit_code == 3
    assert run_cli("--sources", str(tree), "check", first).exit_code == 0
    assert run_cli("--kb", str(tree), "check").exit_code == 0  # the library's folder holds shared/


def test_diff_allows_includes_under_sources(tree: Path) -> None:
    first = tree / "hearings" / "first.yaml"
    changed = write(tree / "hearings" / "changed.yaml", FIRST.replace("There should be no curfew.", "No curfew."))
    assert run_cli("diff", str(first), str(changed)).exit_code == 3  # ../shared is outside hearings/
    result = run_cli("--sources", str(tree), "diff", "-f", "json", str(first), str(changed))
    assert result.exit_code == 1, result.stderr  # they differ
    assert [c["id"] for c in json.loads(result.stdout)["changes"]] == ["no-curfew"]
