"""Every writer (`import -o`, `export -o`, `init`, `check --fix`) by one rule (docs/files.md): never over a file
policyx did not write, never through a link, never over an edit made while it ran; owner, group, mode and hard
links kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from policyx.cli import importing
from policyx.kb import quotefix, safewrite
from tests.clirun import Outcome
from tests.importing import FIXTURES

Cli = Callable[..., Outcome]
UNIFORMS = Path(__file__).resolve().parent.parent / "docs" / "examples" / "uniforms"
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
OTHER = 4321  # a uid and gid no test account has


@pytest.fixture
def near_miss(tmp_path: Path) -> Path:
    """A copy of the shipped example whose quote check --fix rewrites."""
    shutil.copytree(UNIFORMS, tmp_path / "uniforms")
    kb = tmp_path / "uniforms" / "debate.yaml"
    kb.write_bytes(kb.read_bytes().replace(b"over a school year", b"over the school year"))
    return kb


def _fixed(kb: Path) -> bool:
    return b"over a school year" in kb.read_bytes()


# --------------------------------------------------------------------------- check --fix


def test_fix_keeps_an_edit_made_while_it_worked(cli: Cli, near_miss: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = quotefix.plan_fixes

    def plan_while_the_user_saves(*args: object, **kwargs: object) -> object:
        with near_miss.open("a", encoding="utf-8") as out:
            out.write("# a line the user added meanwhile\n")
        return plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(quotefix, "plan_fixes", plan_while_the_user_saves)
    done = cli("check", str(near_miss), "--fix")
    assert done.exit_code == 4
    assert f"policyx: {near_miss} changed while policyx worked on it" in done.stderr
    assert "nothing was written" in done.stderr and "fixed:" not in done.stderr
    assert near_miss.read_text(encoding="utf-8").endswith("# a line the user added meanwhile\n")
    assert not _fixed(near_miss)
    assert sorted(p.name for p in near_miss.parent.iterdir()) == ["debate.yaml", "reviewed.yaml", "sources"]


def test_fix_keeps_an_edit_of_the_same_size_and_time(near_miss: Path) -> None:
    """The hash catches what size and mtime cannot: a same-length edit within the clock's grain."""
    data, read = safewrite.read_snapshot(near_miss)
    info = near_miss.stat()
    near_miss.write_bytes(data.replace(b"Parents", b"PARENTS"))
    os.utime(near_miss, ns=(info.st_atime_ns, info.st_mtime_ns))
    with pytest.raises(safewrite.OutputError, match="changed while policyx worked"):
        safewrite.write_bytes(near_miss, b"version: 1\n", read=read)
    assert b"PARENTS" in near_miss.read_bytes()


@pytest.mark.parametrize("change", ["mtime", "inode"])
def test_fix_keeps_a_file_saved_again_with_the_same_bytes(near_miss: Path, change: str) -> None:
    """Each of the snapshot's parts is looked at: the same bytes touched, or saved as a new file (an editor's
    save by rename) with the old time, are a save made meanwhile too."""
    data, read = safewrite.read_snapshot(near_miss)
    info = near_miss.stat()
    if change == "mtime":
        os.utime(near_miss, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    else:
        saved = near_miss.with_name("saved.tmp")
        saved.write_bytes(data)
        os.utime(saved, ns=(info.st_atime_ns, info.st_mtime_ns))
        os.replace(saved, near_miss)
        assert near_miss.stat().st_ino != info.st_ino
    with pytest.raises(safewrite.OutputError, match="changed while policyx worked"):
        safewrite.write_bytes(near_miss, b"version: 1\n", read=read)
    assert near_miss.read_bytes() == data


@pytest.mark.skipif(not ROOT, reason="giving a file to another user needs root")
def test_fix_run_by_root_keeps_the_users_owner_group_and_mode(cli: Cli, near_miss: Path) -> None:
    os.chown(near_miss, OTHER, OTHER)
    os.chmod(near_miss, 0o640)
    done = cli("check", str(near_miss), "--fix")
    assert done.exit_code == 0, done.stderr
    info = near_miss.stat()
    assert _fixed(near_miss) and (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (OTHER, OTHER, 0o640)


def test_fix_leaves_a_read_only_file_unless_forced(cli: Cli, near_miss: Path) -> None:
    os.chmod(near_miss, 0o444)
    before = near_miss.read_bytes()
    done = cli("check", str(near_miss), "--fix")
    assert done.exit_code == 2 and "is read-only" in done.stderr and "--force" in done.stderr
    assert near_miss.read_bytes() == before  # root too: the mode says read-only
    done = cli("check", str(near_miss), "--fix", "--force")
    assert done.exit_code == 0, done.stderr
    assert _fixed(near_miss) and near_miss.stat().st_mode & 0o777 == 0o444


def test_fix_never_splits_hard_links(cli: Cli, near_miss: Path) -> None:
    other = near_miss.with_name("same-file.yaml")
    os.link(near_miss, other)
    done = cli("check", str(near_miss), "--fix")
    assert done.exit_code == 2 and "2 hard links" in done.stderr
    assert not _fixed(near_miss) and not _fixed(other)
    done = cli("check", str(near_miss), "--fix", "--force")
    assert done.exit_code == 0, done.stderr
    assert _fixed(other) and near_miss.samefile(other)  # in place: both names, one file, the new text


def test_fix_does_not_write_through_a_link(cli: Cli, near_miss: Path) -> None:
    link = near_miss.with_name("latest.yaml")
    link.symlink_to(near_miss.name)
    done = cli("check", str(link), "--fix")
    assert done.exit_code == 2 and "is a symbolic link" in done.stderr
    assert not _fixed(near_miss) and link.is_symlink()
    done = cli("check", str(link), "--fix", "--force")
    assert done.exit_code == 0, done.stderr
    assert not link.is_symlink() and _fixed(link) and not _fixed(near_miss)  # the link replaced, not its target


def test_force_goes_with_fix(cli: Cli, near_miss: Path) -> None:
    done = cli("check", str(near_miss), "--force")
    assert done.exit_code == 2 and "--force goes with --fix" in done.stderr


# --------------------------------------------------------------------------- import -o


def _dialogue(tmp_path: Path) -> str:
    shutil.copy(FIXTURES / "voting-age-dialogue.json", tmp_path / "dialogue.json")
    return str(tmp_path / "dialogue.json")


@pytest.mark.parametrize("name", ["debate.yaml", "council.txt"])
def test_import_never_replaces_a_file_it_did_not_write(cli: Cli, tmp_path: Path, name: str) -> None:
    existing = tmp_path / name
    existing.write_text("someone's hand-edited words\n", encoding="utf-8")
    done = cli("import", _dialogue(tmp_path), "-o", str(existing))
    assert done.exit_code == 2 and "already exists and is not an unchanged output of `policyx import`" in done.stderr
    assert existing.read_text(encoding="utf-8") == "someone's hand-edited words\n"
    assert not (tmp_path / f"{existing.stem}-sources").exists()  # nothing written at all
    done = cli("import", _dialogue(tmp_path), "-o", str(existing), "--force")
    assert done.exit_code == 0, done.stderr
    assert existing.read_text(encoding="utf-8").startswith("# policyx knowledge base")


def test_import_never_replaces_a_source_text_it_did_not_write(cli: Cli, tmp_path: Path) -> None:
    sources = tmp_path / "votes-sources"
    sources.mkdir()
    mine = sources / "dialogue-text.txt"
    mine.write_text("my own transcript\n", encoding="utf-8")
    done = cli("import", _dialogue(tmp_path), "-o", str(tmp_path / "votes.yaml"))
    assert done.exit_code == 2 and f"source text {mine} already exists" in done.stderr
    assert mine.read_text(encoding="utf-8") == "my own transcript\n" and not (tmp_path / "votes.yaml").exists()


def test_import_again_over_its_own_unchanged_output_but_not_over_an_edit(cli: Cli, tmp_path: Path) -> None:
    kb = tmp_path / "votes.yaml"
    assert cli("import", _dialogue(tmp_path), "-o", str(kb)).exit_code == 0
    first = kb.read_bytes()
    again = cli("import", _dialogue(tmp_path), "-o", str(kb))
    assert again.exit_code == 0, again.stderr
    assert kb.read_bytes() == first
    kb.write_bytes(first + b"# my note\n")
    done = cli("import", _dialogue(tmp_path), "-o", str(kb))
    assert done.exit_code == 2 and "is not an unchanged output of `policyx import`" in done.stderr
    assert kb.read_bytes().endswith(b"# my note\n")


@pytest.mark.parametrize("when", ["while it converts", "at the rename"])
def test_import_keeps_an_edit_made_while_it_ran(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                when: str) -> None:
    """Over its own earlier output: an edit made while the map is converted is a file policyx did not write
    when it looks again before writing (status 2); one made in the last moment, just before the rename, is
    an edit made meanwhile (status 4). Either way the edit is kept and nothing is written."""
    from policyx.kb import load

    kb = tmp_path / "votes.yaml"
    assert cli("import", _dialogue(tmp_path), "-o", str(kb)).exit_code == 0
    first = kb.read_bytes()

    def edit() -> None:
        if kb.read_bytes() == first:
            with kb.open("ab") as out:
                out.write(b"# my note\n")

    if when == "while it converts":
        build = load.build
        monkeypatch.setattr(importing, "build", lambda *args, **kwargs: edit() or build(*args, **kwargs))
        expected = (2, "is not an unchanged output of `policyx import`")
    else:
        recheck = safewrite._recheck  # the last look, once the new file is whole, just before the rename

        def last_look(path: Path, *args: object, **kwargs: object) -> None:
            if path == kb:
                edit()
            recheck(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(safewrite, "_recheck", last_look)
        expected = (4, f"policyx: {kb} changed while policyx worked on it")
    done = cli("import", _dialogue(tmp_path), "-o", str(kb), "--title", "Another title")
    assert done.exit_code == expected[0] and expected[1] in done.stderr, done.stderr
    assert kb.read_bytes() == first + b"# my note\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_import_does_not_write_through_a_link(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "precious.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "votes.yaml"
    link.symlink_to(target)
    done = cli("import", _dialogue(tmp_path), "-o", str(link))
    assert done.exit_code == 2 and "is a symbolic link" in done.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "keep me\n"
    done = cli("import", _dialogue(tmp_path), "-o", str(link), "--force")
    assert done.exit_code == 0, done.stderr
    assert not link.is_symlink() and target.read_text(encoding="utf-8") == "keep me\n"


# --------------------------------------------------------------------------- export -o


@pytest.mark.parametrize(("name", "fmt", "content"), [
    ("corpus.json", "json", '{"nodes": [], "edges": []}\n'),       # a researcher's raw AIF corpus
    ("corpus.json", "aif", '{"nodes": [], "edges": []}\n'),
    ("other-debate.yaml", "yaml", "version: 1\ntitle: Another debate\n"),
    ("handout.md", "markdown", "# My own handout\n"),
    ("table.csv", "csv", "a,b\n1,2\n"),
])
def test_export_never_replaces_a_file_of_the_right_extension_it_did_not_write(
        cli: Cli, tmp_path: Path, name: str, fmt: str, content: str) -> None:
    existing = tmp_path / name
    existing.write_text(content, encoding="utf-8")
    done = cli("export", "-f", fmt, "-o", str(existing))
    assert done.exit_code == 2 and "is not an unchanged output of `policyx export`" in done.stderr
    assert existing.read_text(encoding="utf-8") == content


def test_export_again_over_its_own_unchanged_export(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "debate.json"
    assert cli("export", "-f", "json", "-o", str(out)).exit_code == 0
    assert cli("export", "-f", "markdown", "-o", str(out)).exit_code == 0  # its own, unchanged: any format
    out.write_text(out.read_text(encoding="utf-8") + "my notes\n", encoding="utf-8")
    done = cli("export", "-f", "markdown", "-o", str(out))
    assert done.exit_code == 2 and out.read_text(encoding="utf-8").endswith("my notes\n")


def test_export_never_follows_a_link(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "root-owned.md"
    target.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "handout.md"
    link.symlink_to(target)
    if ROOT:  # planted by another user in a sticky folder
        os.lchown(link, OTHER, OTHER)
    done = cli("export", "-f", "markdown", "-o", str(link))
    assert done.exit_code == 2 and "is a symbolic link" in done.stderr and "--force" in done.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    done = cli("export", "-f", "markdown", "-o", str(link), "--force")
    assert done.exit_code == 0, done.stderr
    assert not link.is_symlink() and target.read_text(encoding="utf-8") == "keep me\n"


def test_export_leaves_a_read_only_export_unless_forced(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "handout.md"
    assert cli("export", "-f", "markdown", "-o", str(out)).exit_code == 0
    os.chmod(out, 0o444)
    done = cli("export", "-f", "csv", "-o", str(out))
    assert done.exit_code == 2 and "is read-only" in done.stderr
    assert cli("export", "-f", "csv", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("kind,") and out.stat().st_mode & 0o777 == 0o444


def test_a_new_file_gets_the_umask_mode(cli: Cli, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert cli("export", "-f", "csv", "-o", str(tmp_path / "new.csv")).exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "new.csv").stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- init


def test_init_never_follows_a_link_and_replaces_only_its_own_starter(cli: Cli, tmp_path: Path) -> None:
    shutil.copy(UNIFORMS / "sources" / "minutes.txt", tmp_path / "minutes.txt")
    out = tmp_path / "debate.yaml"
    out.symlink_to(tmp_path / "elsewhere.yaml")  # a dangling link: writing through it would create its target
    done = cli("init", str(tmp_path / "minutes.txt"), "-o", str(out))
    assert done.exit_code == 2 and "is a symbolic link" in done.stderr
    assert not (tmp_path / "elsewhere.yaml").exists()
    out.unlink()
    assert cli("init", str(tmp_path / "minutes.txt"), "-o", str(out)).exit_code == 0
    assert cli("init", str(tmp_path / "minutes.txt"), "-o", str(out)).exit_code == 0  # its own, unchanged
    out.write_text(out.read_text(encoding="utf-8") + "# started\n", encoding="utf-8")
    assert cli("init", str(tmp_path / "minutes.txt"), "-o", str(out)).exit_code == 2
    assert out.read_text(encoding="utf-8").endswith("# started\n")


def test_a_folder_that_may_not_be_written_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's own writable file in a folder they may not write (as an unprivileged user meets it): the
    message names the folder, since the file itself is writable."""
    import tempfile

    out = tmp_path / "kb.yaml"
    out.write_bytes(b"version: 1\n")

    def denied(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(safewrite.OutputError) as raised:
        safewrite.write_bytes(out, b"version: 2\n", force=True)
    assert raised.value.message == (f"cannot write {out}: its folder {tmp_path} may not be written (policyx writes"
                                    " the new text to a temporary file there, then gives it the file's name: all or"
                                    " nothing)")
    assert out.read_bytes() == b"version: 1\n"


def test_a_file_made_while_writing_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "new.yaml"
    real_fsync = os.fsync

    def someone_creates_it(fd: int) -> None:
        real_fsync(fd)
        if not out.exists():
            out.write_text("theirs\n", encoding="utf-8")

    monkeypatch.setattr(os, "fsync", someone_creates_it)
    with pytest.raises(safewrite.OutputError, match="created by another program"):
        safewrite.write_bytes(out, b"ours\n")
    assert out.read_text(encoding="utf-8") == "theirs\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_import_to_a_device_or_a_pipe_is_refused_before_its_sources_are_written_beside_it(
        cli: Cli, tmp_path: Path) -> None:
    """The source texts go beside the knowledge base: beside /dev/null would be /dev/null-sources/ (as root)."""
    pipe = tmp_path / "kb.yaml"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # a writer through a regression never waits
    made = [Path("/dev/null-sources"), Path("/dev/stdout-sources"), tmp_path / "kb-sources"]
    before = [path.exists() for path in made]
    try:
        for output in ("/dev/null", "/dev/stdout", str(pipe)):
            done = cli("import", _dialogue(tmp_path), "-o", output)
            assert done.exit_code == 2, done.stderr
            assert done.stderr == (f"policyx: --output {output} is not a file but a device, a pipe or a terminal:"
                                   " import writes the knowledge base and, beside it, the source texts its quotes"
                                   " come from; give a file name\n")
            assert [path.exists() for path in made] == before
    finally:
        os.close(reader)
        for path, existed in zip(made, before, strict=True):
            if path.exists() and not existed:
                shutil.rmtree(path)


def test_init_to_a_device_writes_no_project_file_beside_it(cli: Cli, tmp_path: Path) -> None:
    shutil.copy(UNIFORMS / "sources" / "minutes.txt", tmp_path / "minutes.txt")
    project = Path("/dev/policyx.toml")
    existed = project.exists()
    try:
        done = cli("init", str(tmp_path / "minutes.txt"), "-o", "/dev/null")
        assert done.exit_code == 0, done.stderr
        assert "policyx.toml" not in done.stderr and project.exists() == existed
    finally:
        if project.exists() and not existed:
            project.unlink()


def test_init_never_replaces_a_source_it_reads(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "minutes.txt"
    shutil.copy(UNIFORMS / "sources" / "minutes.txt", source)
    before = source.read_bytes()
    done = cli("init", str(source), "-o", str(source), "--force")
    assert done.exit_code == 2 and "is a source text being read" in done.stderr
    assert source.read_bytes() == before


def test_dev_stdout_is_what_the_shell_opened_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text("kept\n", encoding="utf-8")
    with out.open("a", encoding="utf-8") as handle:  # `>> out.csv`
        done = subprocess.run([sys.executable, "-m", "policyx", "export", "-f", "csv", "-o", "/dev/stdout"],
                              stdout=handle, stderr=subprocess.PIPE, check=False)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("kept\nkind,") and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


@pytest.mark.skipif(not ROOT, reason="running as another user needs root")
def test_another_users_file_is_not_taken_over(tmp_path: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="policyx-shared-"))  # a shared folder anyone may write in
    try:
        os.chmod(folder, 0o1777)
        theirs = folder / "handout.md"
        theirs.write_text("root's handout\n", encoding="utf-8")
        os.chmod(theirs, 0o666)  # writable by all, but root's
        home = folder / "home"
        home.mkdir()
        os.chown(home, OTHER, OTHER)

        def as_other() -> None:
            os.setgid(OTHER)
            os.setuid(OTHER)

        argv = [sys.executable, "-m", "policyx", "export", "-f", "markdown", "-o", str(theirs)]
        env = {"HOME": str(home), "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(Path.cwd())}
        try:
            done = subprocess.run(argv, capture_output=True, text=True, preexec_fn=as_other, env=env, check=False,
                                  cwd=folder)
        except PermissionError:
            pytest.skip("this Python cannot be run by another user (it lives in a private folder)")
        assert done.returncode == 2, done.stderr
        assert "belongs to another user" in done.stderr
        assert theirs.read_text(encoding="utf-8") == "root's handout\n" and theirs.stat().st_uid == 0
    finally:
        shutil.rmtree(folder)


def test_another_users_file_is_refused_by_the_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rule in-process, where the interpreter cannot be run as another user: the file is this
    user's, policyx runs as someone else (not root)."""
    theirs = tmp_path / "handout.md"
    theirs.write_text("their handout\n", encoding="utf-8")
    owner = theirs.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    with pytest.raises(safewrite.UsageError, match="belongs to another user"):
        safewrite.write_bytes(theirs, b"ours\n", read=safewrite.read_snapshot(theirs)[1])
    assert theirs.read_text(encoding="utf-8") == "their handout\n"


def test_a_file_that_already_holds_the_new_bytes_loses_nothing(cli: Cli, tmp_path: Path) -> None:
    """The record of what policyx wrote may be gone (another account, a cleared cache): a file that holds
    exactly what the export writes is still written, since nothing of it is lost."""
    out = tmp_path / "handout.md"
    assert cli("export", "-f", "markdown", "-o", str(out)).exit_code == 0
    from policyx.kb import written

    written.forget(out)
    assert cli("export", "-f", "markdown", "-o", str(out)).exit_code == 0
    written.forget(out)
    assert cli("export", "-f", "csv", "-o", str(out)).exit_code == 2  # other bytes, and no record: refused


def test_import_does_not_write_through_a_linked_sources_folder(cli: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "votes-sources").symlink_to(elsewhere)
    done = cli("import", _dialogue(tmp_path), "-o", str(tmp_path / "votes.yaml"))
    assert done.exit_code == 2 and "votes-sources is a symbolic link" in done.stderr
    assert list(elsewhere.iterdir()) == [] and not (tmp_path / "votes.yaml").exists()


def test_a_record_in_a_folder_others_may_write_is_not_believed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policyx.kb import written

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    target = tmp_path / "notes.md"
    written.record(target, b"my notes\n", "export")
    assert written.wrote(target, b"my notes\n", "export") and not written.wrote(target, b"other\n", "export")
    assert not written.wrote(target, b"my notes\n", "import")  # each writer its own outputs
    os.chmod(tmp_path / "cache" / "policyx" / "written", 0o777)  # anyone could have planted it
    assert not written.wrote(target, b"my notes\n", "export")


def test_export_never_replaces_a_knowledge_base_that_import_or_init_wrote(cli: Cli, tmp_path: Path) -> None:
    kb = tmp_path / "votes.yaml"
    assert cli("import", _dialogue(tmp_path), "-o", str(kb)).exit_code == 0
    before = kb.read_bytes()
    done = cli("export", "-f", "markdown", "-o", str(kb))  # a mistyped name
    assert done.exit_code == 2 and kb.read_bytes() == before


def test_fix_leaves_no_record_that_would_let_a_writer_replace_the_file(cli: Cli, near_miss: Path) -> None:
    assert cli("check", str(near_miss), "--fix").exit_code == 0
    fixed = near_miss.read_bytes()
    done = cli("export", "-f", "yaml", "-o", str(near_miss))
    assert done.exit_code == 2 and near_miss.read_bytes() == fixed


def test_a_file_policyx_cannot_read_is_refused_and_replaced_only_with_force(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "locked.md"
    out.write_text("someone's\n", encoding="utf-8")

    def unreadable(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(safewrite, "read_snapshot", unreadable)  # as for a user without read permission
    with pytest.raises(safewrite.UsageError, match="cannot be read"):
        safewrite.write_bytes(out, b"ours\n")
    assert out.read_text(encoding="utf-8") == "someone's\n"
    safewrite.write_bytes(out, b"ours\n", force=True)
    assert out.read_text(encoding="utf-8") == "ours\n"


def test_diff_writes_standard_output_only(cli: Cli, near_miss: Path) -> None:
    """The fifth writer of the table in docs/files.md: `diff` has no -o, so it replaces no file at all."""
    other = near_miss.with_name("reviewed.yaml")
    kept = near_miss.with_name("changes.md")
    kept.write_text("my notes\n", encoding="utf-8")
    for option in ("-o", "--output"):
        done = cli("diff", "-f", "markdown", str(near_miss), str(other), option, str(kept))
        assert done.exit_code == 2 and "No such option" in done.stderr and done.stdout == ""
    assert kept.read_text(encoding="utf-8") == "my notes\n"
    done = cli("diff", "-f", "markdown", str(near_miss), str(other))
    assert done.exit_code == 1 and done.stdout.strip()  # they differ: the Markdown is on standard output
    assert sorted(p.name for p in near_miss.parent.iterdir()) == ["changes.md", "debate.yaml", "reviewed.yaml",
                                                                  "sources"]
