"""git's diff driver (docs/guide.md's recipe, `*.yaml diff=policyx`) on a repository's other YAML
files: an ordinary unified diff of their lines, never "external diff died"; and colour under git's
pager (GIT_PAGER_IN_USE), as git's own diff. In a real git repository, under a pseudo-terminal."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_diff import GIT_DRIVER

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "examples" / "uniforms"
WORKFLOW = "name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _env(tmp_path: Path) -> dict[str, str]:
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    (bindir / "policyx").write_text(f'#!/bin/sh\nexec {sys.executable} -m policyx "$@"\n', encoding="utf-8")
    (bindir / "policyx").chmod(0o755)
    unset = ("POLICYX_KB", "NO_COLOR", "FORCE_COLOR", "GIT_PAGER_IN_USE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(PATH=f"{bindir}{os.pathsep}{env['PATH']}", PYTHONPATH=str(ROOT), HOME=str(tmp_path),
               GIT_CONFIG_GLOBAL=str(tmp_path / "gitconfig"), GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
               TERM="xterm")
    return env


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo, env = tmp_path / "repo", _env(tmp_path)
    repo.mkdir()
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yaml").write_text(WORKFLOW, encoding="utf-8")
    shutil.copy(EXAMPLE / "debate.yaml", repo / "debate.yaml")
    (repo / ".gitattributes").write_text("*.yaml diff=policyx\n", encoding="utf-8")
    for args in (["init", "-q"], ["config", "diff.policyx.command", GIT_DRIVER], ["add", "."],
                 ["commit", "-q", "-m", "first"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    return repo, env


def test_the_recipe_shows_other_yaml_files_as_a_unified_diff(repo: tuple[Path, dict[str, str]]) -> None:
    folder, env = repo
    (folder / ".github" / "workflows" / "ci.yaml").write_text(WORKFLOW.replace("latest", "24.04"), encoding="utf-8")
    (folder / "environment.yml").write_text("name: x\ndependencies:\n  - python\n", encoding="utf-8")
    (folder / ".gitattributes").write_text("*.yaml diff=policyx\n*.yml diff=policyx\n", encoding="utf-8")
    subprocess.run(["git", "add", "-N", "environment.yml"], cwd=folder, env=env, check=True)
    shutil.copy(EXAMPLE / "reviewed.yaml", folder / "debate.yaml")
    done = subprocess.run(["git", "--no-pager", "diff"], cwd=folder, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "external diff died" not in done.stderr and done.stderr == ""
    assert ("--- a/.github/workflows/ci.yaml\n+++ b/.github/workflows/ci.yaml\n@@ -2,4 +2,4 @@\n on: push\n"
            " jobs:\n   test:\n-    runs-on: ubuntu-latest\n+    runs-on: ubuntu-24.04\n") in done.stdout
    assert "+dependencies:\n+  - python\n" in done.stdout  # a new file: git passes /dev/null as the old one
    assert "--- a/debate.yaml\n+++ b/debate.yaml\n1 added, 2 changed, 1 moved, 1 renamed" in done.stdout


def test_a_broken_knowledge_base_is_still_reported(repo: tuple[Path, dict[str, str]]) -> None:
    folder, env = repo
    (folder / "debate.yaml").write_text("version: 1\nquestions: [\n", encoding="utf-8")
    done = subprocess.run(["git", "--no-pager", "diff"], cwd=folder, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode != 0 and "debate.yaml" in done.stderr and "Traceback" not in done.stderr


def test_by_hand_a_note_says_the_lines_are_compared(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("name: a\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("name: b\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "policyx", "diff", "a.yml", "b.yml"], cwd=tmp_path,
                          env=_env(tmp_path), capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout == "--- a.yml\n+++ b.yml\n@@ -1 +1 @@\n-name: a\n+name: b\n"
    assert done.stderr == ("policyx: note: a.yml is not a knowledge base (no 'version:' and none of its keys):"
                           " its lines are compared\n")


def _under_gits_pager(folder: Path, env: dict[str, str], *paths: str) -> bytes:
    """What `git diff PATHS` shows on a terminal, through its pager (cat here)."""
    pid, fd = pty.fork()
    if pid == 0:  # git on a terminal starts its pager (cat here) and sets GIT_PAGER_IN_USE
        os.chdir(folder)
        os.execvpe("git", ["git", "-c", "core.pager=cat", "diff", *paths], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out


def test_under_gits_pager_the_diff_is_coloured(repo: tuple[Path, dict[str, str]]) -> None:
    folder, env = repo
    shutil.copy(EXAMPLE / "reviewed.yaml", folder / "debate.yaml")
    out = _under_gits_pager(folder, env, "debate.yaml")
    assert b"\x1b[1;33m~ changed \x1b[0m" in out
    plain = subprocess.run(["git", "-c", "core.pager=cat", "diff", "debate.yaml"], cwd=folder, env=env,
                           capture_output=True, check=False)  # a pipe: no pager, no colour
    assert b"\x1b[" not in plain.stdout and b"~ changed position uniforms" in plain.stdout


def test_under_gits_pager_another_file_s_diff_is_coloured_as_git_colours_it(
        repo: tuple[Path, dict[str, str]]) -> None:
    """The fallback diff of a file that is no knowledge base, coloured as git's own (file names
    bold, hunks cyan, lines red and green) and its control characters shown, not sent; in a
    pipe, the bytes as they are (for patch)."""
    folder, env = repo
    workflow = folder / ".github" / "workflows" / "ci.yaml"
    workflow.write_text(WORKFLOW.replace("latest", "24.04") + "# \x1b]0;title\x07\n", encoding="utf-8")
    out = _under_gits_pager(folder, env, str(workflow.relative_to(folder))).replace(b"\r\n", b"\n")
    assert b"\x1b[1m--- a/.github/workflows/ci.yaml\x1b[m\n" in out
    assert b"\x1b[36m@@ -2,4 +2,5 @@\x1b[m\n" in out
    assert b"\x1b[31m-    runs-on: ubuntu-latest\x1b[m\n\x1b[32m+    runs-on: ubuntu-24.04\x1b[m\n" in out
    assert b"\x1b[32m+# \\x1b]0;title\\x07\x1b[m" in out and b"\x1b]0" not in out
    plain = subprocess.run(["git", "diff"], cwd=folder, env=env, capture_output=True, check=False)
    assert b"+# \x1b]0;title\x07\n" in plain.stdout and b"\x1b[3" not in plain.stdout
