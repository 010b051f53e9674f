"""A library of files of other formats, and the one index that makes a warm library cheap.

A folder of AIF, Argdown and Kialo files is a library of them (read through the CLI's
readers); a file that is no argument data is skipped with one note; the index re-reads only
the files that changed (counted in parses, not in time) and is a cache file like the others.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from policyx.cli.session import READERS
from policyx.kb import cacherows, store
from policyx.kb.libopen import open_library
from tests.clirun import run_cli


@pytest.fixture(autouse=True)
def _builtin_argdown(monkeypatch: pytest.MonkeyPatch) -> None:
    """debate.argdown is read with policyx's own parser, not a Node process of the Argdown CLI at
    each uncached read (a second each); the two readers are held together in test_import_argdown.py."""
    monkeypatch.setenv("POLICYX_ARGDOWN", "builtin")

IMPORTS = Path(__file__).parent / "fixtures" / "import"
MIXED = ("voting-age-dialogue.json", "debate.argdown", "phones-in-school.txt")

KB = """\
version: 1
actors:
  - id: council-{n}
    name: Council {n}
questions:
  - id: q-{n}
    text: Question {n}?
positions:
  - id: p-{n}
    question: q-{n}
    claim: Position {n}.
    held_by: council-{n}
    agreement: individual
arguments:
  - id: a-{n}
    claim: Argument {n}.
    for: p-{n}
"""


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in MIXED:
        shutil.copyfile(IMPORTS / name, folder / name)
    (folder / "council.yaml").write_text(KB.format(n=1), encoding="utf-8")
    return folder


def records(*kbs: Path) -> list[dict[str, object]]:
    args = [a for kb in kbs for a in ("--kb", str(kb))]
    result = run_cli(*args, "list", "arguments", "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list) and data
    return data


def test_a_folder_of_mixed_formats_is_the_same_files_given_one_by_one(mixed: Path) -> None:
    files = sorted(p for p in mixed.iterdir())
    assert records(mixed) == records(*files)
    kbs = {r["kb"] for r in records(mixed)}
    assert {"council", "voting-age-dialogue", "debate", "phones-in-school"} <= kbs


def test_an_unrelated_yaml_file_is_skipped_with_one_note_in_list_kbs(mixed: Path) -> None:
    (mixed / "environment.yml").write_text("name: tools\ndependencies:\n  - python=3.11\n", encoding="utf-8")
    (mixed / "README.txt").write_text("Data of the council's hearings.\n", encoding="utf-8")
    found = run_cli("--kb", str(mixed), "list", "arguments")
    assert found.exit_code == 0, found.stderr
    assert found.stderr.count("environment.yml") == 1 and found.stderr.count("README.txt") == 1  # once
    quiet = run_cli("--kb", str(mixed), "list", "arguments")
    assert quiet.exit_code == 0, quiet.stderr
    assert "environment.yml" not in quiet.stderr and "README.txt" not in quiet.stderr
    listed = run_cli("--kb", str(mixed), "list", "kbs")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stderr.count("environment.yml") == 1
    assert "not a knowledge base" in listed.stderr
    assert listed.stderr.count("README.txt") == 1


def test_a_broken_knowledge_base_in_a_folder_is_still_an_error(mixed: Path) -> None:
    (mixed / "broken.yaml").write_text("version: 1\narguments:\n  - id: x\n    claim: X.\n    for: nowhere\n",
                                       encoding="utf-8")
    result = run_cli("--kb", str(mixed), "list", "arguments")
    assert result.exit_code != 0
    assert "broken.yaml" in result.stderr and "Traceback" not in result.stderr


def _counted_folder(tmp_path: Path, count: int, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """A folder of ``count`` knowledge bases, and the names of the files the loader reads from
    now on (each appended as it is parsed)."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, count + 1):
        (folder / f"kb-{n}.yaml").write_text(KB.format(n=n), encoding="utf-8")
    parsed: list[str] = []
    real = store.load_checked

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        parsed.append(Path(path).name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "load_checked", counting)
    return folder, parsed


def test_a_changed_file_is_read_again_and_the_others_are_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cacherows, "RACY_NS", 0)  # written just now: kept in the index all the same
    folder, parsed = _counted_folder(tmp_path, 5, monkeypatch)
    first = open_library([folder], readers=READERS)
    assert sorted(parsed) == [f"kb-{n}.yaml" for n in range(1, 6)]
    parsed.clear()
    open_library([folder], readers=READERS)
    assert parsed == []
    changed = folder / "kb-3.yaml"
    changed.write_text(KB.format(n=3).replace("Argument 3.", "Argument three."), encoding="utf-8")
    parsed.clear()
    again = open_library([folder], readers=READERS)
    assert parsed == ["kb-3.yaml"]
    assert again.get("a-3").claim == "Argument three."  # type: ignore[union-attr]
    assert [a.id for a in again.arguments] == [a.id for a in first.arguments]


def test_a_file_changed_just_before_it_was_read_is_kept_in_the_index_only_once_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file (or a source text) changed within the same tick of the clock as it was read could
    change again and keep its stat: the index keeps it only once that can no longer happen."""
    folder, parsed = _counted_folder(tmp_path, 2, monkeypatch)
    monkeypatch.setattr(cacherows, "RACY_NS", 10**18)  # every file changed a moment before it was read
    open_library([folder], readers=READERS)
    open_library([folder], readers=READERS)
    assert sorted(parsed) == ["kb-1.yaml", "kb-1.yaml", "kb-2.yaml", "kb-2.yaml"]  # read each time
    monkeypatch.setattr(cacherows, "RACY_NS", -10**18)  # later: their stats are settled
    parsed.clear()
    open_library([folder], readers=READERS)
    assert sorted(parsed) == ["kb-1.yaml", "kb-2.yaml"]  # read once more, and kept
    parsed.clear()
    assert len(open_library([folder], readers=READERS).arguments) == 2
    assert parsed == []


def test_a_warm_library_does_not_open_each_file_s_own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 4):
        (folder / f"kb-{n}.yaml").write_text(KB.format(n=n), encoding="utf-8")
    open_library([folder], readers=READERS)
    opened: list[str] = []
    monkeypatch.setattr(store, "open_kb", lambda path, **_: opened.append(str(path)))
    assert len(open_library([folder], readers=READERS).arguments) == 3
    assert opened == []


def _index_files() -> list[Path]:
    folder = store.cache_dir()
    assert folder is not None
    return sorted(folder.glob("lib-*.marshal"))


def test_the_index_is_a_private_checked_cache_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cacherows, "RACY_NS", 0)  # written just now: kept in the index all the same
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 3):
        (folder / f"kb-{n}.yaml").write_text(KB.format(n=n), encoding="utf-8")
    open_library([folder], readers=READERS)
    [whole] = [p for p in _index_files() if "-whole-" in p.name]
    whole.unlink()  # the library kept whole: gone, so that the next run reads the index
    [index] = _index_files()
    assert os.stat(index).st_mode & 0o077 == 0
    assert os.stat(index.parent).st_mode & 0o077 == 0
    data = bytearray(index.read_bytes())
    data[-5] ^= 0xFF  # damage the payload: the checksum must catch it
    index.write_bytes(bytes(data))
    warnings: list[str] = []
    library = open_library([folder], readers=READERS, warn=warnings.append)
    assert [a.claim for a in library.arguments] == ["Argument 1.", "Argument 2."]
    assert len(warnings) == 1 and "checksum mismatch" in warnings[0]


def test_the_index_in_a_folder_others_can_write_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    (cache / "policyx").mkdir(parents=True)
    os.chmod(cache / "policyx", 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "kb-1.yaml").write_text(KB.format(n=1), encoding="utf-8")
    assert len(open_library([folder], readers=READERS).arguments) == 1
    assert list((cache / "policyx").iterdir()) == []


def test_progress_is_reported_for_the_files_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cacherows, "RACY_NS", 0)  # written just now: kept in the index all the same
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1, 4):
        (folder / f"kb-{n}.yaml").write_text(KB.format(n=n), encoding="utf-8")
    steps: list[tuple[int, int]] = []
    open_library([folder], readers=READERS, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(1, 3), (2, 3), (3, 3)]
    steps.clear()
    open_library([folder], readers=READERS, progress=lambda done, total: steps.append((done, total)))
    assert steps == []  # warm: nothing read



def test_check_of_a_folder_checks_every_format_the_library_reads(mixed: Path) -> None:
    (mixed / "README.txt").write_text("Data of the council's hearings.\n", encoding="utf-8")
    (mixed / "sources").mkdir()
    (mixed / "sources" / "minutes.txt").write_text("Position 1.\n", encoding="utf-8")
    source = "sources:\n  - id: minutes\n    title: Minutes\n    file: sources/minutes.txt\n"
    (mixed / "council.yaml").write_text(KB.format(n=1).replace("actors:", source + "actors:"), encoding="utf-8")
    result = run_cli("check", str(mixed))
    assert result.exit_code == 0, result.stderr
    checked = sorted(line.split(": ")[1] for line in result.stderr.splitlines() if line.startswith("ok: "))
    assert checked == sorted(str(mixed / name) for name in (*MIXED, "council.yaml"))
    # a source text is part of its knowledge base; a file of no format is skipped, said once
    assert "minutes.txt" not in result.stderr
    assert result.stderr.count("README.txt") == 1 and "note: skipped" in result.stderr
    kbs = run_cli("--kb", str(mixed), "list", "kbs", "-f", "ids")
    assert sorted(kbs.stdout.split()) == sorted(Path(p).stem for p in checked)


def test_check_of_a_folder_locates_the_mistakes_of_another_format(mixed: Path) -> None:
    (mixed / "broken.json").write_text('{"nodes": 5, "edges": []}\n', encoding="utf-8")
    result = run_cli("check", str(mixed))
    assert result.exit_code == 3
    assert f"error: {mixed / 'broken.json'}: 'nodes' is not a list" in result.stderr
    assert f"invalid: {mixed / 'broken.json'}" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("ok: ") == len(MIXED) + 1  # the others are checked all the same
    as_json = run_cli("check", str(mixed), "-f", "json")
    reports = json.loads(as_json.stdout)
    assert len(reports) == len(MIXED) + 2


def test_a_text_in_another_encoding_beside_the_data_is_skipped_with_a_note(mixed: Path) -> None:
    """A corpus ships transcripts beside its nodesets, some in Windows-1252: not argument data."""
    (mixed / "transcript.txt").write_bytes("The debate \u2014 in full.\n".encode("cp1252"))
    result = run_cli("--kb", str(mixed), "list", "kbs", "-f", "ids")
    assert result.exit_code == 0, result.stderr
    assert "transcript" not in result.stdout
    assert f"skipped {mixed / 'transcript.txt'} (not UTF-8 text (byte 0x97 at 11)" in result.stderr
    checked = run_cli("check", str(mixed))
    assert checked.exit_code == 0 and checked.stderr.count("transcript.txt") == 1


def test_a_knowledge_base_in_another_encoding_is_still_an_error(mixed: Path) -> None:
    (mixed / "latin.yaml").write_bytes(KB.format(n=2).replace("Argument 2.", "Argument \u2014 2.").encode("cp1252"))
    result = run_cli("--kb", str(mixed), "list", "kbs")
    assert result.exit_code != 0 and "latin.yaml" in result.stderr and "UTF-8" in result.stderr
