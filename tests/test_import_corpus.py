"""`policyx import FOLDER -o corpus/`: a library of one knowledge base per file, written by the writers' rule."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from policyx.kb.libopen import open_library
from policyx.output.progress import progress_bar
from tests.clirun import run_cli as cli
from tests.importing import FIXTURES

BUILTIN = {"POLICYX_ARGDOWN": "builtin"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three AIF nodesets, an Argdown document, transcripts of two nodesets and a README: four debates."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    for name in ("nodeset9.json", "nodeset10.json", "nodeset11.json"):
        shutil.copy(FIXTURES / "nodesets" / name, corpus / name)
    shutil.copy(FIXTURES / "debate.argdown", corpus / "debate.argdown")
    (corpus / "nodeset9.txt").write_text("[00:01] Chair: Welcome to the debate.\nAmira: Thank you.\n", encoding="utf-8")
    (corpus / "nodeset10.txt").write_text("[deleted]: <span>Cars make the air dirty</span><br>\n",
                                          encoding="utf-8")  # a forum's transcript: lines read as Argdown
    (corpus / "README.txt").write_text("The nodesets of a small invented corpus.\n", encoding="utf-8")
    return corpus


def _claims(path: Path) -> set[str]:
    done = cli("--kb", str(path), "list", "-f", "json", env=BUILTIN)
    assert done.exit_code == 0, done.stderr
    return {entry["claim"] for entry in json.loads(done.stdout)}


def _snapshot(top: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(top)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(top.rglob("*"))
            if p.is_file()}


def test_a_folder_becomes_a_library_with_the_claims_of_each_file_alone(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    done = cli("import", str(folder), "-o", f"{out}/", env=BUILTIN)
    assert done.exit_code == 0, done.stderr
    assert sorted(p.name for p in out.glob("*.yaml")) == [
        "debate.yaml", "nodeset10.yaml", "nodeset11.yaml", "nodeset9.yaml"]
    assert (out / "nodeset9-sources").is_dir()
    assert f"note: {folder / 'nodeset9.txt'}: no argument data (the text of nodeset9.json?); left out" in done.stderr
    assert f"note: {folder / 'nodeset10.txt'}: no argument data (the text of nodeset10.json?); left out" \
        in done.stderr
    assert f"note: {folder / 'README.txt'}: no argument data policyx reads; left out" in done.stderr
    assert "wrote 4 knowledge base(s) and" in done.stderr
    alone: set[str] = set()
    for name in ("nodeset9.json", "nodeset10.json", "nodeset11.json", "debate.argdown"):
        single = tmp_path / "alone" / name / "kb.yaml"
        single.parent.mkdir(parents=True)
        assert cli("import", str(folder / name), "-o", str(single), env=BUILTIN).exit_code == 0
        alone |= _claims(single)
    assert _claims(out) == alone and alone
    checked = cli("check", str(out), env=BUILTIN)
    assert checked.exit_code == 0, checked.stderr
    library = open_library([out])
    assert sorted(m.name for m in library.members) == ["debate", "nodeset10", "nodeset11", "nodeset9"]
    assert library.skipped == () or all(s.expected for s in library.skipped)  # the source texts, read as such


def test_one_file_from_a_folder_still_writes_one_knowledge_base(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.yaml"
    done = cli("import", str(folder), "-o", str(out), env=BUILTIN)
    assert done.exit_code == 0, done.stderr
    assert f"{folder / 'nodeset10.txt'}: no argument data (the text of nodeset10.json?); left out" in done.stderr
    assert out.is_file() and (tmp_path / "corpus-sources").is_dir()
    assert _claims(out) == _claims_of_library(folder, tmp_path)


def _claims_of_library(folder: Path, tmp_path: Path) -> set[str]:
    out = tmp_path / "as-library"
    assert cli("import", str(folder), "-o", f"{out}/", env=BUILTIN).exit_code == 0
    return _claims(out)


def test_a_second_run_over_its_own_library_succeeds_and_changes_nothing(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    assert cli("import", str(folder), "-o", f"{out}/", env=BUILTIN).exit_code == 0
    before = _snapshot(out)
    again = cli("import", str(folder), "-o", str(out), env=BUILTIN)  # an existing folder, no slash needed
    assert again.exit_code == 0, again.stderr
    assert {k: v[0] for k, v in _snapshot(out).items()} == {k: v[0] for k, v in before.items()}


def test_a_hand_edited_file_in_the_library_is_refused_without_force(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    assert cli("import", str(folder), "-o", f"{out}/", env=BUILTIN).exit_code == 0
    edited = out / "nodeset10.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# my note\n", encoding="utf-8")
    untouched = (out / "nodeset9.yaml").stat().st_mtime_ns
    refused = cli("import", str(folder), "-o", f"{out}/", env=BUILTIN)
    assert refused.exit_code == 2
    assert "nodeset10.yaml already exists and is not an unchanged output of `policyx import`" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert edited.read_text(encoding="utf-8").endswith("# my note\n")
    assert (out / "nodeset9.yaml").stat().st_mtime_ns == untouched  # nothing written before the refusal
    forced = cli("import", str(folder), "-o", f"{out}/", "--force", env=BUILTIN)
    assert forced.exit_code == 0, forced.stderr
    assert "# my note" not in edited.read_text(encoding="utf-8")


def test_a_file_the_import_did_not_write_in_the_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "notes"
    out.mkdir()
    (out / "my-notes.md").write_text("mine\n", encoding="utf-8")
    refused = cli("import", str(folder), "-o", f"{out}/", env=BUILTIN)
    assert refused.exit_code == 2
    assert "my-notes.md, which no earlier `policyx import` wrote there" in refused.stderr
    assert sorted(p.name for p in out.iterdir()) == ["my-notes.md"]


@pytest.mark.parametrize("where", ["nodeset9.yaml", "elsewhere.yaml", "nodeset9-sources"])
def test_a_symlink_in_the_library_folder_is_refused_and_never_followed(folder: Path, tmp_path: Path,
                                                                     where: str) -> None:
    out = tmp_path / "corpus"
    assert cli("import", str(folder), "-o", f"{out}/", env=BUILTIN).exit_code == 0
    target = tmp_path / "precious"
    target.mkdir()
    (target / "keep.txt").write_text("keep\n", encoding="utf-8")
    link = out / where
    if link.is_dir():
        shutil.rmtree(link)
    elif link.exists():
        link.unlink()
    os.symlink(target if where.endswith("sources") else target / "keep.txt", link)
    refused = cli("import", str(folder), "-o", f"{out}/", env=BUILTIN)
    assert refused.exit_code == 2, refused.stderr
    assert "link" in refused.stderr and "Traceback" not in refused.stderr
    assert link.is_symlink()
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]
    assert (target / "keep.txt").read_text(encoding="utf-8") == "keep\n"


def test_the_output_folder_as_a_link_is_refused(folder: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "link")
    refused = cli("import", str(folder), "-o", f"{tmp_path / 'link'}/", env=BUILTIN)
    assert refused.exit_code == 2
    assert "is a symbolic link" in refused.stderr
    assert list(real.iterdir()) == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_once_the_work_is_slow(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with progress_bar("importing", delay=0.0) as advance:
        for done in range(1, 4):
            advance(done, 3 + 1)
    assert "importing" in screen.getvalue() and "3/4" in screen.getvalue()
    quick = _Terminal()
    monkeypatch.setattr(sys, "stderr", quick)
    with progress_bar("importing") as advance:  # under a second: nothing drawn
        advance(1, 2)
    assert quick.getvalue() == ""


def test_no_progress_bar_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with progress_bar("importing", delay=0.0) as advance:
        advance(1, 4)
    assert piped.getvalue() == ""


def test_the_import_reports_its_progress_per_file(folder: Path) -> None:
    from policyx.importers.corpus import convert_corpus
    from policyx.importers.files import gather

    files, optional = gather([folder])
    seen: list[tuple[int, int]] = []
    corpus = convert_corpus(files, optional, None, None, None, lambda done, total: seen.append((done, total)))
    assert seen == [(n, 7) for n in range(1, 8)]
    assert len(corpus.members) == 4 and len(corpus.notes) == 3
