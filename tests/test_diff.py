"""`policyx diff OLD NEW`: every kind of change, every format, and how files reach it.

The pure comparison (policyx.views.diff) is tested on small knowledge bases written
here; the command as a user runs it: in a pipe, on a pseudo-terminal, through a
shell's process substitution, a FIFO, standard input, and as git's diff driver.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policyx.kb.load import bundled_path, load_text
from policyx.output.registry import FormatKind, format_names, render
from policyx.views.diff import Change, KbDiff, diff_kbs, word_diff
from tests.conftest import write_kb

BASE = """\
version: 1
title: Uniforms
sources:
  - id: minutes
    title: School council minutes
actors:
  - id: students
    name: Most students
  - id: teacher
    name: One teacher
questions:
  - id: require-uniforms
    text: Should the school require uniforms?
  - id: school-rules
    text: Which rules should the school have?
positions:
  - id: no-uniforms
    question: require-uniforms
    claim: Uniforms should not be required.
    held_by: students
    agreement: broad
    quote: uniforms should not be required
    source: minutes
    tags: [expression]
  - id: uniforms
    question: require-uniforms
    claim: Uniforms should be required.
    held_by: teacher
    agreement: individual
arguments:
  - id: self-expression
    claim: Uniforms limit the self-expression of students in what they wear every day.
    for: no-uniforms
    by: students
    type: normative
    tags: [expression]
  - id: less-bullying
    claim: Uniforms reduce bullying.
    for: uniforms
    by: teacher
  - id: bullying-moves
    claim: Bullying moves to other possessions.
    against: less-bullying
    by: students
"""


def kb(text: str = BASE, path: str = "kb.yaml"):  # type: ignore[no-untyped-def]
    return load_text(text, path)


def changed(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def only(diff: KbDiff):  # type: ignore[no-untyped-def]
    assert len(diff.changes) == 1, diff.changes
    return diff.changes[0]


# --------------------------------------------------------------------------
# the comparison


def test_the_same_knowledge_base_has_no_changes() -> None:
    diff = diff_kbs(kb(), kb(path="other.yaml"))
    assert diff.same and diff.changes == () and diff.kb_fields == ()
    assert diff.counts() == {"added": 0, "removed": 0, "changed": 0, "moved": 0, "renamed": 0}


def test_comments_and_layout_are_not_changes() -> None:
    other = changed(BASE, ("title: Uniforms\n", "title: Uniforms  # the debate\n"),
                    ("tags: [expression]\n", "tags:\n      - expression\n"))
    assert diff_kbs(kb(), kb(other)).same


def test_an_added_entry() -> None:
    new = BASE + "  - id: saves-money\n    claim: Uniforms save money.\n    for: uniforms\n"
    entry = only(diff_kbs(kb(), kb(new)))
    assert (entry.change, entry.kind.value, entry.id, entry.text) == (Change.ADDED, "arguments", "saves-money",
                                                                       "Uniforms save money.")
    assert entry.record is not None and entry.record["for"] == "uniforms" and entry.fields == ()


def test_a_removed_entry() -> None:
    new = changed(BASE, ("  - id: bullying-moves\n    claim: Bullying moves to other possessions.\n"
                         "    against: less-bullying\n    by: students\n", ""))
    entry = only(diff_kbs(kb(), kb(new)))
    assert (entry.change, entry.id, entry.text) == (Change.REMOVED, "bullying-moves",
                                                   "Bullying moves to other possessions.")
    assert entry.record is not None and entry.record["against"] == "less-bullying"


def test_a_changed_entry_names_each_field_with_old_and_new() -> None:
    new = changed(BASE, ("agreement: individual", "agreement: divided"),
                  ("    held_by: teacher\n", "    held_by: [teacher, students]\n"))
    entry = only(diff_kbs(kb(), kb(new)))
    assert entry.change is Change.CHANGED and entry.id == "uniforms"
    assert [(f.field, f.old, f.new, f.words) for f in entry.fields] == [
        ("held_by", ["teacher"], ["teacher", "students"], ()),
        ("agreement", "individual", "divided", ()),
    ]


def test_long_text_is_compared_word_by_word() -> None:
    new = changed(BASE, ("limit the self-expression of students", "limit the expression of pupils"))
    field = only(diff_kbs(kb(), kb(new))).field("claim")
    assert field is not None
    assert [(op, text) for op, text in field.words if op != "="] == [
        ("-", "self-expression"), ("+", "expression"), ("-", "students"), ("+", "pupils"),
    ]


def test_short_text_is_shown_whole() -> None:
    new = changed(BASE, ("Uniforms reduce bullying.", "Uniforms reduce teasing."))
    field = only(diff_kbs(kb(), kb(new))).field("claim")
    assert field is not None and field.words == ()
    assert (field.old, field.new) == ("Uniforms reduce bullying.", "Uniforms reduce teasing.")


@given(st.text(alphabet="ab \n.", max_size=40), st.text(alphabet="ab \n.", max_size=40))
def test_word_pieces_give_back_both_texts(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert "".join(t for op, t in pieces if op != "+") == old
    assert "".join(t for op, t in pieces if op != "-") == new
    assert all(a[0] != b[0] for a, b in zip(pieces, pieces[1:], strict=False))  # neighbours merged


def test_a_position_with_a_new_question_is_moved() -> None:
    new = changed(BASE, ("question: require-uniforms\n    claim: Uniforms should be required.",
                         "question: school-rules\n    claim: Uniforms should be required."))
    entry = only(diff_kbs(kb(), kb(new)))
    assert entry.change is Change.MOVED and entry.id == "uniforms"
    assert [(f.field, f.old, f.new) for f in entry.fields] == [("question", "require-uniforms", "school-rules")]


def test_an_argument_with_a_new_target_is_moved_and_keeps_its_other_changes() -> None:
    new = changed(BASE, ("against: less-bullying\n    by: students", "against: uniforms\n    by: teacher"))
    entry = only(diff_kbs(kb(), kb(new)))
    assert entry.change is Change.MOVED
    assert [(f.field, f.old, f.new) for f in entry.fields] == [("target", "less-bullying", "uniforms"),
                                                               ("by", "students", "teacher")]


def test_an_argument_that_changes_side_on_the_same_target_is_changed_not_moved() -> None:
    new = changed(BASE, ("against: less-bullying", "for: less-bullying"))
    entry = only(diff_kbs(kb(), kb(new)))
    assert entry.change is Change.CHANGED
    assert [(f.field, f.old, f.new) for f in entry.fields] == [("stance", "against", "for")]


def test_a_new_id_with_the_same_claim_and_quote_is_a_rename() -> None:
    new = changed(BASE, ("- id: no-uniforms", "- id: no-uniform-rule"), ("for: no-uniforms", "for: no-uniform-rule"))
    entry = only(diff_kbs(kb(), kb(new)))  # the argument under it has not moved: its target was renamed
    assert (entry.change, entry.kind.value, entry.old_id, entry.id) == (Change.RENAMED, "positions",
                                                                          "no-uniforms", "no-uniform-rule")
    assert entry.fields == ()


def test_a_renamed_entry_reports_its_other_changes_too() -> None:
    new = changed(BASE, ("- id: less-bullying", "- id: fewer-bullies"),
                  ("against: less-bullying", "against: fewer-bullies"),
                  ("    for: uniforms\n    by: teacher\n",
                   "    for: uniforms\n    by: teacher\n    tags: [bullying]\n"))
    entry = only(diff_kbs(kb(), kb(new)))
    assert (entry.change, entry.old_id, entry.id) == (Change.RENAMED, "less-bullying", "fewer-bullies")
    assert [(f.field, f.old, f.new) for f in entry.fields] == [("tags", [], ["bullying"])]


def test_a_new_claim_under_a_new_id_is_a_removal_and_an_addition() -> None:
    new = changed(BASE, ("- id: less-bullying\n    claim: Uniforms reduce bullying.",
                         "- id: fewer-fights\n    claim: Uniforms reduce fights."),
                  ("against: less-bullying", "against: fewer-fights"))
    diff = diff_kbs(kb(), kb(new))
    assert [(c.change, c.id) for c in diff.changes] == [
        (Change.REMOVED, "less-bullying"), (Change.ADDED, "fewer-fights"), (Change.MOVED, "bullying-moves"),
    ]


def test_the_same_claim_with_another_quote_is_not_a_rename() -> None:
    new = changed(BASE, ("- id: no-uniforms", "- id: no-uniform-rule"), ("for: no-uniforms", "for: no-uniform-rule"),
                  ("quote: uniforms should not be required", "quote: should not be required"))
    assert [c.change for c in diff_kbs(kb(), kb(new)).changes] == [Change.REMOVED, Change.ADDED, Change.MOVED]


def test_a_changed_title_is_a_change_of_the_knowledge_base() -> None:
    diff = diff_kbs(kb(), kb(changed(BASE, ("title: Uniforms", "title: School uniforms"))))
    assert not diff.same and diff.changes == ()
    assert [(f.field, f.old, f.new) for f in diff.kb_fields] == [("title", "Uniforms", "School uniforms")]


def test_changes_come_collection_by_collection_removals_first() -> None:
    new = changed(BASE, ("  - id: teacher\n    name: One teacher\n", "  - id: parents\n    name: Parents\n"),
                  ("held_by: teacher", "held_by: parents"), ("by: teacher", "by: parents"))
    diff = diff_kbs(kb(), kb(new))
    assert [(c.change.value, c.kind.value, c.id) for c in diff.changes] == [
        ("removed", "actors", "teacher"), ("added", "actors", "parents"),
        ("changed", "positions", "uniforms"), ("changed", "arguments", "less-bullying"),
    ]


# --------------------------------------------------------------------------
# the formats

EDITED = changed(
    BASE,
    ("title: Uniforms", "title: School uniforms"),
    ("limit the self-expression of students", "limit the expression of pupils"),
    ("- id: no-uniforms", "- id: no-uniform-rule"), ("for: no-uniforms", "for: no-uniform-rule"),
    ("against: less-bullying\n    by: students", "against: uniforms\n    by: students"),
) + "  - id: saves-money\n    claim: Uniforms save money.\n    for: uniforms\n"


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    return write_kb(tmp_path, BASE, "old.yaml"), write_kb(tmp_path, EDITED, "new.yaml")


def test_diff_formats_are_registered() -> None:
    assert format_names("diff") == ["text", "plain", "json", "markdown"]


def test_plain_is_one_fact_per_line(cli, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    result = cli("diff", str(old), str(new))
    assert result.exit_code == 1 and result.stderr == ""
    assert result.stdout.splitlines() == [
        "changed\tkb\t\ttitle\tUniforms\tSchool uniforms",
        "renamed\tposition\tno-uniform-rule\tid\tno-uniforms\tno-uniform-rule",
        "changed\targument\tself-expression\tclaim\tUniforms limit the self-expression of students in what they"
        " wear every day.\tUniforms limit the expression of pupils in what they wear every day.",
        "moved\targument\tbullying-moves\ttarget\tless-bullying\tuniforms",
        "added\targument\tsaves-money\t\t\tUniforms save money.",
    ]


def test_json_carries_every_change(cli, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    result = cli("diff", str(old), str(new), "-f", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["old"] == str(old) and document["new"] == str(new) and document["same"] is False
    assert document["counts"] == {"added": 1, "removed": 0, "changed": 1, "moved": 1, "renamed": 1}
    assert document["kb"] == [{"field": "title", "old": "Uniforms", "new": "School uniforms", "words": None}]
    by_id = {c["id"]: c for c in document["changes"]}
    assert by_id["no-uniform-rule"]["old_id"] == "no-uniforms"
    assert by_id["saves-money"]["record"]["claim"] == "Uniforms save money."
    words = by_id["self-expression"]["fields"][0]["words"]
    assert [w for w in words if w["op"] != "="] == [
        {"op": "-", "text": "self-expression"}, {"op": "+", "text": "expression"},
        {"op": "-", "text": "students"}, {"op": "+", "text": "pupils"},
    ]
    assert by_id["bullying-moves"]["fields"] == [
        {"field": "target", "old": "less-bullying", "new": "uniforms", "words": None}]


def test_markdown_for_a_pull_request(cli, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    result = cli("diff", str(old), str(new), "-f", "md", "--label", "a/kb.yaml", "--label", "b/kb.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "**Knowledge base changes** (`a/kb.yaml` → `b/kb.yaml`): 1 added, 1 changed, 1 moved, 1 renamed,"
        " the knowledge base's title changed.\n"
        "\n"
        "- **changed** the knowledge base:\n"
        "  - title: Uniforms → School uniforms\n"
        "\n"
        "- **renamed** position `no-uniforms` → `no-uniform-rule`: Uniforms should not be required.\n"
        "- **changed** argument `self-expression`: Uniforms limit the expression of pupils in what they wear"
        " every day.\n"
        "  - claim: Uniforms limit the ~~self-expression~~ **expression** of ~~students~~ **pupils** in what"
        " they wear every day.\n"
        "- **moved** argument `bullying-moves`: Bullying moves to other possessions.\n"
        "  - target: `less-bullying` → `uniforms`\n"
        "- **added** argument `saves-money`: Uniforms save money.\n"
    )


def test_text_without_colour_marks_the_words(cli, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    result = cli("diff", str(old), str(new), "-f", "text", env={"COLUMNS": "120"})
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert result.stdout.splitlines()[:3] == [f"--- {old}", f"+++ {new}",
                                              "1 added, 1 changed, 1 moved, 1 renamed, the knowledge base's title"
                                              " changed"]
    assert ("    claim: Uniforms limit the [-self-expression-]{+expression+} of [-students-]{+pupils+} in what"
            " they wear every day.") in result.stdout
    assert "= renamed position no-uniforms → no-uniform-rule\n    Uniforms should not be required.\n" in result.stdout
    assert "> moved argument bullying-moves\n    Bullying moves to other possessions.\n" \
           "    target: less-bullying → uniforms\n" in result.stdout


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run policyx with stdout (and stdin) on a pseudo-terminal: exit status and what it showed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "policyx", *argv], stdin=follower, stdout=follower, stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "100", "POLICYX_PAGER": "cat", "TERM": "xterm", **env}, close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal's other end closed: the program is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    code = process.wait()
    assert process.stderr is not None
    assert process.stderr.read() == b""
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_on_a_terminal_the_default_is_the_coloured_listing(versions: tuple[Path, Path]) -> None:
    old, new = versions
    code, shown = _on_a_terminal(["diff", str(old), str(new)], {"NO_COLOR": "", "FORCE_COLOR": ""})
    assert code == 1
    assert "\x1b[" in shown
    assert "\x1b[9;31mself-expression\x1b[0m" in shown and "\x1b[4;32mexpression\x1b[0m" in shown
    plain = re.sub("\x1b\\[[0-9;]*m", "", shown)
    assert "~ changed argument self-expression" in plain and "[-" not in plain


@pytest.mark.parametrize(("env", "args"), [({"NO_COLOR": "1"}, []), ({"TERM": "dumb"}, []), ({}, ["--no-color"])])
def test_on_a_terminal_without_colour_the_words_are_marked(
    versions: tuple[Path, Path], env: dict[str, str], args: list[str],
) -> None:
    old, new = versions
    code, shown = _on_a_terminal(["diff", str(old), str(new), *args], {"NO_COLOR": "", **env})
    assert code == 1
    assert "\x1b" not in shown
    assert "[-self-expression-]{+expression+}" in shown


def test_data_never_sends_escape_codes_to_a_terminal(tmp_path: Path) -> None:
    old = write_kb(tmp_path, BASE, "old.yaml")
    new = write_kb(tmp_path, changed(BASE, ("Uniforms reduce bullying.", '"Uniforms \\e[31mreduce\\u202e bullying."')),
                   "new.yaml")
    for fmt in ("text", "plain", "markdown", "json"):
        code, shown = _on_a_terminal(["diff", str(old), str(new), "-f", fmt], {"NO_COLOR": "1"})
        assert code == 1
        assert "\x1b" not in shown and "\u202e" not in shown, fmt
        assert ("\\u001b" if fmt == "json" else "\\x1b") in shown, fmt


def test_json_in_a_pipe_keeps_the_data_unchanged(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    old = write_kb(tmp_path, BASE, "old.yaml")
    new = write_kb(tmp_path, changed(BASE, ("Uniforms reduce bullying.", '"Uniforms \\e[31mreduce bullying."')),
                   "new.yaml")
    document = json.loads(cli("diff", str(old), str(new), "-f", "json").stdout)
    assert document["changes"][0]["fields"][0]["new"] == "Uniforms \x1b[31mreduce bullying."


# --------------------------------------------------------------------------
# exit status and errors, as diff


def test_the_same_files_exit_0_and_print_nothing(cli, kb_path: Path) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("plain", "text", "markdown"):
        result = cli("diff", str(kb_path), str(kb_path), "-f", fmt)
        assert result.exit_code == 0
        expected = f"**Knowledge base changes** (`{kb_path}` → `{kb_path}`): no changes.\n"
        assert result.stdout == (expected if fmt == "markdown" else "")
    assert json.loads(cli("diff", str(kb_path), str(kb_path), "-f", "json").stdout)["same"] is True


def test_an_unreadable_version_exits_3_naming_each_bad_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = write_kb(tmp_path, changed(BASE, ("for: uniforms", "for: uniform")), "bad.yaml")
    result = cli("diff", str(tmp_path / "missing.yaml"), str(bad))
    assert result.exit_code == 3 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"policyx: {tmp_path / 'missing.yaml'}: no such file (check the path)"
    assert lines[1].startswith(f"policyx: {bad}:") and "'uniform' names no position or argument" in lines[1]
    assert "Traceback" not in result.stderr


def test_an_unknown_format_is_a_usage_error(cli, kb_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("diff", str(kb_path), str(kb_path), "-f", "tabel")
    assert result.exit_code == 2
    assert "'tabel' is not a format of diff" in result.stderr
    assert "choose from text, plain, json, markdown" in result.stderr


def test_label_may_be_given_at_most_twice(cli, kb_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("diff", str(kb_path), str(kb_path), "-L", "a", "-L", "b", "-L", "c")
    assert result.exit_code == 2 and "at most twice" in result.stderr


def test_dev_null_is_an_empty_knowledge_base(cli, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, _ = versions
    added = cli("diff", os.devnull, str(old), "-f", "json")
    assert added.exit_code == 1
    counts = json.loads(added.stdout)["counts"]
    assert counts["added"] == 10 and sum(counts.values()) == 10  # every entry of BASE
    removed = json.loads(cli("diff", str(old), os.devnull, "-f", "json").stdout)["counts"]
    assert removed["removed"] == 10


# --------------------------------------------------------------------------
# files from git revisions: pipes, FIFOs, standard input, git's diff driver

PROGRAM = [sys.executable, "-m", "policyx"]
ENV = {**os.environ, "POLICYX_KB": "", "NO_COLOR": "1"}


def test_process_substitution_reads_each_pipe_once(versions: tuple[Path, Path]) -> None:
    old, new = versions
    command = f"{sys.executable} -m policyx diff <(cat {old}) <(cat {new})"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=ENV, check=False)
    assert done.returncode == 1, done.stderr
    assert re.match(r"changed\tkb\t\ttitle\tUniforms\tSchool uniforms\n", done.stdout)
    assert len(done.stdout.splitlines()) == 5


def test_a_fifo_is_read_once(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    old, new = versions
    fifo = tmp_path / "old.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as writer:  # blocks until policyx opens it: exactly one reader
            writer.write(old.read_bytes())

    feeder = threading.Thread(target=feed)
    feeder.start()
    done = subprocess.run([*PROGRAM, "diff", str(fifo), str(new), "-f", "json"], capture_output=True, text=True,
                          env=ENV, timeout=60, check=False)
    feeder.join(timeout=60)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["counts"]["renamed"] == 1


def test_standard_input_as_one_version(versions: tuple[Path, Path]) -> None:
    old, new = versions
    done = subprocess.run([*PROGRAM, "diff", "-", str(new), "-f", "json"], input=old.read_text(encoding="utf-8"),
                          capture_output=True, text=True, env=ENV, check=False)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["old"] == "-"
    both = subprocess.run([*PROGRAM, "diff", "-", "-"], input="", capture_output=True, text=True, env=ENV, check=False)
    assert both.returncode == 2 and "cannot both be standard input" in both.stderr


#: the git set-up of docs/guide.md, word for word ("Reviewing changes"): `--` before the file names, so
#: that a tracked file named `-rf.yaml` is a name to dirname and to policyx, never options
GIT_DRIVER = ('f() { policyx diff -f text --label "a/$1" --label "b/$1" --includes-from "$(dirname -- "$1")"'
              ' -- "$2" "$5"; [ $? -le 1 ]; }; f')


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_and_log_show_semantic_changes(tmp_path: Path, versions: tuple[Path, Path]) -> None:
    old, new = versions
    readme = (Path(__file__).resolve().parent.parent / "docs" / "guide.md").read_text(encoding="utf-8")
    assert f"git config diff.policyx.command '{GIT_DRIVER}'" in readme
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_PAGER": "cat"}

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "-q")
    git("config", "diff.policyx.command", GIT_DRIVER)
    (repo / ".gitattributes").write_text("*.yaml diff=policyx\n", encoding="utf-8")
    (repo / "debate.yaml").write_bytes(old.read_bytes())
    git("add", ".")
    git("commit", "-q", "-m", "first")
    (repo / "debate.yaml").write_bytes(new.read_bytes())
    shown = git("diff")
    assert shown.startswith("--- a/debate.yaml\n+++ b/debate.yaml\n1 added, 1 changed, 1 moved, 1 renamed")
    assert "[-self-expression-]{+expression+}" in shown
    git("commit", "-q", "-am", "second")
    log = git("log", "-p", "--ext-diff", "--format=commit %s")
    assert "commit second\n" in log and "= renamed position no-uniforms → no-uniform-rule" in log
    # the first commit adds the file: git passes /dev/null as the old version
    assert "commit first\n" in log and "10 added" in log
    # without the driver, git shows the YAML lines
    assert "-    claim: Uniforms limit" in git("diff", "--no-ext-diff", "HEAD~1", "HEAD")
    # a tracked file whose name looks like options
    (repo / "-rf.yaml").write_bytes(old.read_bytes())
    git("add", "--", "-rf.yaml")
    git("commit", "-q", "-m", "third")
    (repo / "-rf.yaml").write_bytes(new.read_bytes())
    shown = git("diff", "--", "-rf.yaml")
    assert shown.startswith("--- a/-rf.yaml\n+++ b/-rf.yaml\n1 added, 1 changed, 1 moved, 1 renamed")


def test_diff_takes_names_after_double_dash(cli, tmp_path: Path, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    shutil.copy(new, tmp_path / "-rf.yaml")
    os.chdir(tmp_path)
    result = cli("diff", "-f", "plain", "--", str(old), "-rf.yaml")
    assert result.exit_code == 1 and "renamed" in result.stdout, result.stderr


def test_markdown_names_and_labels_are_data(cli, versions: tuple[Path, Path]) -> None:  # type: ignore[no-untyped-def]
    old, new = versions
    label = "x`\n\n# Heading <img src=x onerror=alert(1)> ``"
    result = cli("diff", str(old), str(new), "-f", "markdown", "--label", label, "--label", "**b**")
    first = result.stdout.split("\n")[0]
    assert first.startswith("**Knowledge base changes** (``` x`\\n\\n# Heading <img src=x onerror=alert(1)> `` ```"
                            " → `**b**`): ")
    from markdown_it import MarkdownIt  # Rich's own Markdown parser: the page a reader sees

    page = MarkdownIt("commonmark").render(result.stdout)
    assert "<img" not in page and "<h1>" not in page and "<strong>b</strong>" not in page
    assert "<code>x`\\n\\n# Heading &lt;img src=x onerror=alert(1)&gt; ``</code>" in page


def test_render_diff_is_deterministic() -> None:
    diff = diff_kbs(kb(), kb(EDITED))
    for name in format_names("diff"):
        again = diff_kbs(kb(), kb(EDITED))
        assert render(name, diff, kind=FormatKind.DIFF) == render(name, again, kind=FormatKind.DIFF)


def test_renaming_an_id_of_the_bundled_knowledge_base_is_one_rename() -> None:
    text = bundled_path().read_text(encoding="utf-8")
    renamed = re.sub(r"(?<![\w-])criminalize-johns(?![\w-])", "penalize-johns", text)
    assert renamed.count("penalize-johns") >= 4  # the id and the arguments' for/against
    diff = diff_kbs(kb(text), kb(renamed))
    assert [(c.change, c.old_id, c.id, c.fields) for c in diff.changes] == [
        (Change.RENAMED, "criminalize-johns", "penalize-johns", ()),
    ]


def test_includes_from_finds_what_a_pipe_includes(tmp_path: Path) -> None:
    (tmp_path / "people.yaml").write_text("version: 1\nactors:\n  - id: teacher\n    name: One teacher\n",
                                          encoding="utf-8")
    own = BASE.replace("  - id: teacher\n    name: One teacher\n", "").replace("version: 1\n",
                                                                           "version: 1\ninclude: people.yaml\n")
    new = write_kb(tmp_path, own.replace("Uniforms reduce bullying.", "Uniforms reduce teasing."), "new.yaml")
    old = write_kb(tmp_path, own, "old.yaml")
    piped = f"{sys.executable} -m policyx diff -f json <(cat {old}) {new}"
    lost = subprocess.run(["bash", "-c", piped], capture_output=True, text=True, env=ENV, check=False)
    assert lost.returncode == 3 and "include 'people.yaml'" in lost.stderr  # looked for in /dev/fd
    found = subprocess.run(["bash", "-c", piped.replace("-f json", f"-f json --includes-from {tmp_path}")],
                           capture_output=True, text=True, env=ENV, check=False)
    assert found.returncode == 1, found.stderr
    assert [(c["id"], [f["field"] for f in c["fields"]]) for c in json.loads(found.stdout)["changes"]] == [
        ("less-bullying", ["claim"])]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_diff_of_a_knowledge_base_that_includes_another_from_a_subfolder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "hearings").mkdir(parents=True)
    env = {**ENV, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args: str, cwd: Path = repo) -> str:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "-q")
    git("config", "diff.policyx.command", GIT_DRIVER)
    (repo / ".gitattributes").write_text("hearings/*.yaml diff=policyx\n", encoding="utf-8")
    (repo / "hearings" / "people.yaml").write_text(
        "version: 1\nactors:\n  - id: teacher\n    name: One teacher\n", encoding="utf-8")
    own = BASE.replace("  - id: teacher\n    name: One teacher\n", "").replace(
        "version: 1\n", "version: 1\ninclude: people.yaml\n")
    (repo / "hearings" / "debate.yaml").write_text(own, encoding="utf-8")
    git("add", ".")
    git("commit", "-q", "-m", "first")
    (repo / "hearings" / "debate.yaml").write_text(own.replace("Uniforms reduce bullying.", "Uniforms help."),
                                                   encoding="utf-8")
    shown = git("diff", "--", "debate.yaml", cwd=repo / "hearings")  # from a subfolder, as people work
    assert shown.startswith("--- a/hearings/debate.yaml\n+++ b/hearings/debate.yaml\n1 changed\n")
    assert "claim: Uniforms reduce bullying. → Uniforms help." in shown
