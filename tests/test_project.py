"""The project file: `init` writes policyx.toml; every command run in its folder or below
reads the knowledge base(s) and sources folder it names, unless --kb or POLICYX_KB is given;
`info` says which was found and why. Read as config.toml is (regular file, bounded, exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyx.cli.selection import find_project, select
from tests.clirun import run_cli as cli
from tests.clirun import run_program

MINUTES = ("Council minutes 2026.\n"
           "The council discussed whether phones should be allowed in lessons. "
           "Most members agreed that phones distract pupils.\n")


def _run(cwd: Path, *args: str, home: Path, program: bool = False) -> subprocess.CompletedProcess[str]:
    """``policyx ARGS`` started in ``cwd`` with ``home`` as HOME: in this process (the entry point of
    ``python -m policyx``, the working folder changed for the run), or with ``program`` as a program."""
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "no-config"), "XDG_CACHE_HOME": str(home / "cache")}
    if program:
        environ = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "NO_COLOR", "FORCE_COLOR")}
        return subprocess.run([sys.executable, "-m", "policyx", *args], cwd=cwd, env={**environ, **env},
                              capture_output=True, text=True, check=False)
    here = os.getcwd()
    os.chdir(cwd)
    try:
        done = run_program(list(args), env=env)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["policyx", *args], done.exit_code, done.stdout, done.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The author's layout: sources in one folder, the debate in another, made with `init`."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "council.txt").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "debate").mkdir()
    done = _run(tmp_path / "debate", "init", "../sources/council.txt", "-o", "debate.yaml", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote policyx.toml" in done.stderr
    return tmp_path / "debate"


def test_init_writes_a_project_file_naming_the_kb_and_the_sources_folder(project: Path) -> None:
    text = (project / "policyx.toml").read_text(encoding="utf-8")
    assert 'kb = ["debate.yaml"]' in text and 'sources = "../sources"' in text


def test_check_quote_and_info_in_the_project_folder_or_below_use_it(project: Path) -> None:
    home = project.parent
    (project / "notes").mkdir()
    for where in (project, project / "notes"):
        checked = _run(where, "check", home=home, program=where == project)  # as a program once
        assert checked.returncode == 0, checked.stderr
        # not the bundled knowledge base; named as git names files, from where the user is
        shown = os.path.relpath(project / "debate.yaml", where)
        assert f"\nok: {shown}: 1 sources" in "\n" + checked.stderr
        quoted = _run(where, "quote", "phones", "distract", home=home)
        assert quoted.returncode == 0 and "\t100.0\tphones distract" in quoted.stdout
        assert quoted.stdout.startswith(os.path.relpath(project.parent / "sources" / "council.txt", where) + ":")
        found = json.loads(_run(where, "info", "-f", "json", home=home).stdout)
        assert found["path"] == str(project / "debate.yaml")
        assert "project file" in found["origin"] and found["project"]["used"] is True
        assert found["sources"] == str(project.parent / "sources")


def test_kb_and_policyx_kb_win_over_the_project_file_and_info_says_so(project: Path) -> None:
    other = project.parent / "other.yaml"
    other.write_text("version: 1\ntitle: Other\n", encoding="utf-8")
    env = {"HOME": str(project.parent)}
    assert select(("x.yaml",), env).origin == "--kb"
    assert select((), {**env, "POLICYX_KB": "x.yaml"}).origin == "POLICYX_KB"
    here = os.getcwd()
    try:
        os.chdir(project)
        assert select((), env).origin == str(project / "policyx.toml")
        shown = cli("--kb", str(other), "info", env=env)
        assert "(not used: given with --kb wins over it)" in shown.stdout
    finally:
        os.chdir(here)


def test_the_walk_stops_below_home(tmp_path: Path) -> None:
    (tmp_path / "policyx.toml").write_text('kb = ["a.yaml"]\n', encoding="utf-8")
    (tmp_path / "work" / "deep").mkdir(parents=True)
    assert find_project({"HOME": str(tmp_path)}, start=tmp_path / "work" / "deep") is None
    found = find_project({"HOME": "/nonexistent-home"}, start=tmp_path / "work" / "deep")
    assert found is not None and found.kb == (tmp_path / "a.yaml",)


@pytest.mark.parametrize(("text", "message"), [
    ("kb = [", "is not valid TOML: "),
    ("kbs = 'a.yaml'\n", "unknown key 'kbs' (did you mean 'kb'?); the keys are: kb, sources"),
    ("kb = 3\n", "'kb' must be a path or a list of paths (kb = [\"debate.yaml\"])"),
    ("kb = 'a.yaml'\nsources = ['x']\n", "'sources' must be the path of a folder"),
    ("# " + "x" * 70_000 + "\n", "is larger than 64 KB, so it is not read"),
])
def test_a_mistake_in_the_project_file_is_a_usage_error_naming_it(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "policyx.toml").write_text(text, encoding="utf-8")
    done = _run(tmp_path, "list", home=tmp_path.parent)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{tmp_path / 'policyx.toml'}: " in done.stderr and message in done.stderr


@pytest.mark.parametrize(("text", "shown", "message"), [
    ('kb = ["missing.yaml"]\n', "missing.yaml", "no such file"),
    ('kb = ["sub", "missing.yaml"]\n', "missing.yaml", "no such file"),
    ('kb = "empty"\n', "empty", "is a folder with no knowledge base in it"),
])
def test_a_knowledge_base_the_project_file_names_that_cannot_be_read_is_said_to_come_from_it(
        tmp_path: Path, text: str, shown: str, message: str) -> None:
    # --kb and POLICYX_KB were not given: the message says which file named the path, to fix it there
    (tmp_path / "sub").mkdir()
    (tmp_path / "empty").mkdir()
    (tmp_path / "sub" / "a.yaml").write_text("version: 1\ntitle: A\n", encoding="utf-8")
    (tmp_path / "policyx.toml").write_text(text, encoding="utf-8")
    for args in (("stats",), ("standing",), ("info",)):
        done = _run(tmp_path, *args, home=tmp_path.parent, program=args == ("stats",))
        assert done.returncode == 3 and "Traceback" not in done.stderr
        if args == ("info",):  # info still says what it found and from where (tests/test_info.py)
            assert f"(named by the project file {tmp_path / 'policyx.toml'}" in done.stdout, done.stdout
        else:
            assert done.stdout == ""
        assert done.stderr.startswith(f"policyx: {shown}: {message}"), done.stderr
        assert f"named by 'kb' in {tmp_path / 'policyx.toml'}" in done.stderr, done.stderr
        assert "POLICYX_KB" not in done.stderr


def test_check_says_where_a_missing_path_came_from(tmp_path: Path) -> None:
    (tmp_path / "policyx.toml").write_text('kb = ["missing.yaml"]\n', encoding="utf-8")
    done = _run(tmp_path, "check", home=tmp_path.parent)
    assert done.returncode == 3
    assert f"missing.yaml: no such file (check the path, named by 'kb' in {tmp_path / 'policyx.toml'})" in done.stderr
    done = _run(tmp_path, "check", "other.yaml", home=tmp_path.parent)  # the command's argument: no option to check
    assert done.returncode == 3
    assert "other.yaml: no such file (check the path)\n" in done.stderr and "POLICYX_KB" not in done.stderr


def test_a_project_file_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "policyx.toml")
    done = _run(tmp_path, "list", home=tmp_path.parent, program=True)  # were it read, it would hang
    assert done.returncode == 2 and "is not a regular file" in done.stderr


def test_init_leaves_an_existing_project_file(project: Path) -> None:
    before = (project / "policyx.toml").read_bytes()
    done = _run(project, "init", "../sources/council.txt", "-o", "second.yaml", home=project.parent)
    assert done.returncode == 0
    assert "policyx.toml exists and was left as it is" in done.stderr
    assert (project / "policyx.toml").read_bytes() == before


ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="file owners")
def test_another_users_project_file_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A policyx.toml planted in a shared folder by another user would choose what root's `check --fix`
    rewrites (its `kb`) and which folders sources may be read from (its `sources`)."""
    others = os.geteuid() + 1 if os.geteuid() else 4321
    if ROOT:
        os.chown(project / "policyx.toml", others, others)
    else:  # the file is ours: seen from another user's account it is someone else's
        monkeypatch.setattr(os, "geteuid", lambda: others)
    kb = project / "debate.yaml"
    before = kb.read_bytes()
    owner = os.stat(project / "policyx.toml").st_uid
    for args in (["list"], ["check", "--fix"], ["--kb", str(kb), "list"]):
        done = _run(project, *args, home=project.parent)
        assert done.returncode == 2 and done.stdout == "", done.stderr
        assert done.stderr == (f"policyx: {project / 'policyx.toml'}: belongs to another user (uid {owner}), who"
                               " could have put it there to choose what policyx reads and writes for you: it is not"
                               " read; remove it, or make it yours if it is yours to use (or give both --kb and"
                               " --sources, and it is not looked at)\n")
    assert kb.read_bytes() == before
    both = _run(project, "--kb", str(kb), "--sources", str(project.parent / "sources"), "check", home=project.parent)
    assert both.returncode == 0, both.stderr


def test_a_sources_folder_that_does_not_exist_is_said_by_check_and_info(project: Path) -> None:
    # a misspelt 'sources' left every quote of its files unread, and check blamed --sources
    toml = project / "policyx.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"../sources"', '"../sorces"'), encoding="utf-8")
    done = _run(project, "check", home=project.parent)
    assert (f"warning: the sources folder ../sorces (named by 'sources' in {toml}) does not exist: fix the path"
            in done.stderr), done.stderr
    shown = _run(project, "info", home=project.parent)
    assert f"sources folder  {project.parent / 'sorces'} (no such folder)" in shown.stdout
    assert json.loads(_run(project, "info", "-f", "json", home=project.parent).stdout)["sources_missing"] is True
    given = _run(project, "--sources", "../sources", "info", home=project.parent)  # --sources wins, and exists
    assert "(no such folder)" not in given.stdout
    wrong = _run(project, "--sources", "nowhere", "check", home=project.parent)
    assert "the sources folder nowhere (given with --sources) does not exist" in wrong.stderr
