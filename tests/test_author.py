"""`policyx init`, `policyx quote`, `check --fix` and `check --watch`, run as a user runs them."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from policyx.cli import watching
from policyx.kb.sourceindex import SourceIndex
from tests.clirun import Outcome
from tests.conftest import UNIFORMS

Cli = Callable[..., Outcome]


# --------------------------------------------------------------------------- check --fix


def test_fix_restores_the_shipped_example_byte_for_byte(cli: Cli, uniforms: Path) -> None:
    original = uniforms.read_bytes()
    changed = original.replace(b"over a school year", b"over the school year") \
        .replace(b"bullying simply moves", b"bullying just moves")
    assert changed != original
    uniforms.write_bytes(changed)
    result = cli("check", str(uniforms), "--fix")
    assert result.exit_code == 0, result.stderr
    assert uniforms.read_bytes() == original
    assert result.stdout.startswith(f"--- {uniforms}\n+++ {uniforms}\n")
    assert "-    quote: Parents said uniforms save money over the school year.\n" \
           "+    quote: Parents said uniforms save money over a school year.\n" in result.stdout
    assert "+    quote: bullying simply moves to shoes, bags and phones.\n" in result.stdout
    assert f"fixed: {uniforms}:72:12: argument 'saves-money': quote rewritten to the words of source " \
           "'minutes' at line 6, column 1" in result.stderr
    assert "ok: " in result.stderr and "error" not in result.stderr


def test_dry_run_prints_the_diff_and_changes_nothing(cli: Cli, uniforms: Path) -> None:
    uniforms.write_bytes(uniforms.read_bytes().replace(b"over a school year", b"over the school year"))
    before = uniforms.read_bytes()
    result = cli("check", str(uniforms), "--fix", "--dry-run")
    assert uniforms.read_bytes() == before
    assert "+    quote: Parents said uniforms save money over a school year.\n" in result.stdout
    assert "would fix: " in result.stderr
    assert result.exit_code == 3  # the file as it is still has the error
    assert "quote is not verbatim" in result.stderr


def test_fix_mends_quote_marks_and_british_spelling_and_keeps_the_rest(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("Intro.\nMost said that uniforms \u201climit self-expression\u201d and "
                                    "they organized a vote about the color of the ties.\n", encoding="utf-8")
    text = (
        "\ufeff# my notes\nversion: 1\nsources:\n  - {id: s, title: S, file: s.txt}\nactors:\n  - id: x\n"
        "    name: X\nquestions:\n  - id: q\n    text: Q?   # asked first\npositions:\n  - id: p\n"
        "    question: q\n    claim: P.\n    held_by: x\n    agreement: broad\n"
        "    quote: \"uniforms \u2018limit self-expression\u2019 and\"  # marks\narguments:\n  - id: a\n"
        "    claim: A.\n    for: p\n    quote: >-\n      they organised a vote about the\n      colour of the ties\n"
        "    source: s\n"
    ).replace("and\"  # marks", "and\"  # marks\n    source: s", 1)
    kb = tmp_path / "kb.yaml"
    kb.write_bytes(text.encode("utf-8"))
    result = cli("check", str(kb), "--fix")
    assert result.exit_code == 0, result.stderr
    new = kb.read_bytes().decode("utf-8")
    assert new == text.replace("\u2018limit self-expression\u2019", "\u201climit self-expression\u201d") \
        .replace("organised a vote about the\n      colour", "organized a vote about the\n      color")
    assert new.startswith("\ufeff# my notes\n")


def test_ambiguous_and_distant_quotes_are_left_and_reported(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("The council met on Monday and agreed.\nThe council met on Friday and agreed.\n",
                                    encoding="utf-8")
    kb = tmp_path / "kb.yaml"
    kb.write_text(
        "version: 1\nsources:\n  - {id: s, title: S, file: s.txt}\nactors:\n  - {id: x, name: X}\n"
        "questions:\n  - {id: q, text: Q?}\npositions:\n"
        "  - {id: p, question: q, claim: P., held_by: x, agreement: broad,"
        " quote: The council met on Sunday and agreed., source: s}\n"
        "  - {id: r, question: q, claim: R., held_by: x, agreement: broad,"
        " quote: Nothing like it at all., source: s}\n",
        encoding="utf-8")
    before = kb.read_bytes()
    result = cli("check", str(kb), "--fix")
    assert kb.read_bytes() == before and result.stdout == ""
    assert f"note: {kb}:9:74: position 'p': not fixed: several passages of source 's' match about as well " \
        "(at 1:1, 2:1) (see them with: policyx quote --kb" in result.stderr
    assert result.stderr.count("quote is not verbatim") == 2
    assert result.exit_code == 3


def test_fix_is_refused_with_json_and_watch(cli: Cli, uniforms: Path) -> None:
    for extra in (("--format", "json"), ("--watch",)):
        result = cli("check", str(uniforms), "--fix", *extra)
        assert result.exit_code == 2 and "--fix" in result.stderr


def test_fix_of_a_file_that_does_not_load_reports_it_as_check_does(cli: Cli, tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text("version: 1\nsources: [\n", encoding="utf-8")
    result = cli("check", str(kb), "--fix")
    assert result.exit_code == 3 and result.stdout == "" and "invalid: " in result.stderr


# --------------------------------------------------------------------------- init


def test_init_writes_a_starter_that_check_accepts(cli: Cli, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(UNIFORMS / "sources" / "minutes.txt", sources / "minutes.txt")
    (sources / "Second Report.txt").write_text("The second report\n\nIt says one thing, at length.\n",
                                               encoding="utf-8")
    out = tmp_path / "kb" / "debate.yaml"
    out.parent.mkdir()
    result = cli("init", str(sources / "minutes.txt"), str(sources / "Second Report.txt"), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data == {
        "version": 1, "title": "School council, minutes of the debate on uniforms.",
        "sources": [
            {"id": "minutes", "title": "School council, minutes of the debate on uniforms.",
             "file": "../sources/minutes.txt"},
            {"id": "second-report", "title": "The second report", "file": "../sources/Second Report.txt"},
        ],
    }
    # the sources are outside the knowledge base's folder: check reads them when --sources names
    # theirs, and init's hint says so
    assert f"check it with: policyx --sources {sources} check {out}" in result.stderr
    assert cli("check", str(out)).exit_code == 3
    checked = cli("check", str(out), "--sources", str(sources))
    assert checked.exit_code == 0, checked.stderr


def test_init_never_invents_a_quote(cli: Cli, tmp_path: Path) -> None:
    source = UNIFORMS / "sources" / "minutes.txt"
    shutil.copy(source, tmp_path / "minutes.txt")
    out = tmp_path / "debate.yaml"
    assert cli("init", str(tmp_path / "minutes.txt"), "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    # uncomment the examples: the file still checks, so every quote is verbatim in the source
    examples = text[text.index("# actors:"):]
    live = text[:text.index("# The examples")] + re.sub(r"^# ?", "", examples, flags=re.M)
    (tmp_path / "live.yaml").write_text(live, encoding="utf-8")
    checked = cli("check", str(tmp_path / "live.yaml"))
    assert checked.exit_code == 0, checked.stderr
    data = yaml.safe_load(live)
    quotes = [e["quote"] for kind in ("questions", "positions", "arguments") for e in data[kind]]
    index = SourceIndex(source.read_text(encoding="utf-8"))
    assert len(quotes) == 3 and len(set(quotes)) == 3
    assert all(index.contains(q) for q in quotes)
    # and what is not the source's is a placeholder, not a claim made up for the writer
    assert data["positions"][0]["claim"].startswith("<") and data["arguments"][0]["claim"].startswith("<")


def test_init_without_sentences_to_quote_writes_no_quote(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "short.txt").write_text("Title only\n", encoding="utf-8")
    out = tmp_path / "kb.yaml"
    assert cli("init", str(tmp_path / "short.txt"), "-o", str(out)).exit_code == 0
    assert "quote:" not in out.read_text(encoding="utf-8")


def test_init_refuses_to_overwrite(cli: Cli, tmp_path: Path) -> None:
    shutil.copy(UNIFORMS / "sources" / "minutes.txt", tmp_path / "minutes.txt")
    out = tmp_path / "debate.yaml"
    out.write_text("mine\n", encoding="utf-8")
    result = cli("init", str(tmp_path / "minutes.txt"), "-o", str(out))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"


def test_init_with_a_missing_source_says_so(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "kb.yaml"))
    assert result.exit_code == 3
    assert f"policyx: {tmp_path / 'nope.txt'}: does not exist (give the path of a UTF-8 text file)" in result.stderr
    assert not (tmp_path / "kb.yaml").exists()
    (tmp_path / "s.txt").write_text("A source.\n", encoding="utf-8")
    result = cli("init", str(tmp_path / "s.txt"), "-o", str(tmp_path / "no" / "kb.yaml"))
    assert result.exit_code == 2 and "the folder of" in result.stderr and "does not exist" in result.stderr


# --------------------------------------------------------------------------- quote


def test_quote_prints_passages_exactly_with_their_place(cli: Cli, uniforms: Path) -> None:
    result = cli("quote", "uniforms", "cut", "bullying", "over", "clothing", "--kb", str(uniforms))
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0].split("\t")
    assert first[0] == f"{uniforms.parent / 'sources' / 'minutes.txt'}:4:25"
    assert first[2] == "uniforms reduce bullying about clothes"


def test_quote_yaml_is_ready_to_paste(cli: Cli, uniforms: Path) -> None:
    result = cli("quote", "Parents said uniforms save money over the school year.", "-f", "yaml", "-n", "1",
                 "--kb", str(uniforms))
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout) == {"quote": "Parents said uniforms save money over a school year.",
                                             "source": "minutes"}
    assert result.stdout.startswith("# ") and ":6:1, similarity " in result.stdout


def test_quote_json_and_a_chosen_source(cli: Cli, kb_path: Path) -> None:
    result = cli("quote", "sex work should be seen as labour", "-f", "json", "--source", "session-report", "-n", "2")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["text"] == "Sex work should be viewed as labor" and rows[0]["source"] == "session-report"
    assert rows[0]["line"] == 5 and len(rows) == 2
    text = (kb_path.parent / "sources" / "session-report.txt").read_text(encoding="utf-8")
    assert text.splitlines()[4][rows[0]["column"] - 1:].startswith(rows[0]["text"])


def test_quote_in_any_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Alpha beta.\nThe colour of the sky is grey today.\n", encoding="utf-8")
    result = cli("quote", "the color of the sky is gray", "--in", str(tmp_path / "t.txt"), "-f", "yaml")
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(result.stdout) == {"quote": "The colour of the sky is grey"}


@pytest.mark.parametrize(("args", "code", "message"), [
    (("quote", "zzzz qqqq xxxx"), 1, "nothing in the sources is close to"),
    (("quote", "words", "--source", "session-reprt"), 1, "did you mean 'session-report'?"),
    (("quote", "words", "--source", "session-report", "--in", "x.txt"), 2, "with --in, leave it out"),
    (("quote", "words", "-f", "csv"), 2, "'csv' is not a format of quote; choose from plain, yaml, json"),
    (("quote", "words", "--in", "/nonexistent/t.txt"), 3, "does not exist"),
])
def test_quote_mistakes(cli: Cli, args: tuple[str, ...], code: int, message: str) -> None:
    result = cli(*args)
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- check --watch


def test_watch_runs_again_after_each_change_and_only_then() -> None:
    state = {"f": (1,)}
    runs: list[str] = []
    edits = iter([None, (2,), None, (3,), None])  # before each look: a save, or none

    def wait() -> bool:
        edit = next(edits, "stop")
        if edit == "stop":
            return False
        if edit is not None:
            state["f"] = edit
        return True

    count = watching.watch(lambda: dict(state), lambda: runs.append("run"), wait)
    assert count == 3 and len(runs) == 3


def test_a_save_while_a_run_reads_the_files_is_checked_by_the_next_run() -> None:
    """The report of a run describes the files as they were when it began: a save that lands
    while it runs (or just before it looks) was missed until the next save."""
    state = {"f": (1,)}
    runs: list[tuple[int, ...]] = []

    def run() -> None:
        runs.append(state["f"])
        if len(runs) == 1:
            state["f"] = (2,)  # the writer saves while the first check reads

    looks = iter([True, True, False])
    count = watching.watch(lambda: dict(state), run, lambda: next(looks))
    assert runs == [(1,), (2,)] and count == 2  # checked again, once, with nothing saved after


def test_files_a_run_finds_to_watch_count_from_when_it_found_them() -> None:
    """A source the first run finds is watched from then on: not a change by itself."""
    state = {"kb": (1,)}
    runs: list[str] = []

    def run() -> None:
        runs.append("run")
        state["source"] = (7,)

    looks = iter([True, True, False])
    assert watching.watch(lambda: dict(state), run, lambda: next(looks)) == 1 and runs == ["run"]


def test_check_watch_checks_again_on_save(cli: Cli, uniforms: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = iter(["break", "wait", "stop"])

    def pause(seconds: float = watching.INTERVAL) -> bool:
        step = next(steps)
        if step == "break":  # the writer saves a mistake (the size changes, so the stamp does)
            uniforms.write_text(uniforms.read_text(encoding="utf-8").replace("agreement: divided",
                                                                            "agreement: sometimes"), encoding="utf-8")
        return step != "stop"

    monkeypatch.setattr(watching, "pause", pause)
    result = cli("check", str(uniforms), "--watch")
    assert result.exit_code == 0
    reports = [line for line in result.stderr.splitlines() if line.startswith(("ok: ", "invalid: "))]
    assert [r.split(":")[0] for r in reports] == ["ok", "invalid"]  # checked twice: at start, after the save
    assert result.stderr.count("or one of its sources changed: checking again") == 1
    assert re.search(r"^\[\d\d:\d\d:\d\d\] .*uniforms.* changed: checking again \(Ctrl-C to stop\)$",
                     result.stderr, re.M)
    assert "\x1b" not in result.stderr  # the screen is cleared only on a terminal
    assert "'agreement' is 'sometimes', not one of" in result.stderr


def test_watch_stamps_notice_a_rewrite_of_the_same_size(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    before = watching.stamp([path])
    replacement = tmp_path / "new"
    replacement.write_text("a: 2\n", encoding="utf-8")
    replacement.replace(path)  # how many editors save: a new file renamed over the old one
    assert watching.stamp([path]) != before
    assert watching.stamp([tmp_path / "missing"]) == {str(tmp_path / "missing"): None}


def _on_a_terminal(args: list[str], cwd: Path) -> str:
    """What ``python -m policyx ARGS`` shows on a pseudo-terminal."""
    import os
    import subprocess
    import sys

    leader, follower = os.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "FORCE_COLOR")}
    done = subprocess.run([sys.executable, "-m", "policyx", *args], stdin=subprocess.DEVNULL, stdout=follower,
                          stderr=subprocess.PIPE, cwd=cwd, env={**env, "COLUMNS": "100"}, timeout=120, check=False)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed: everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert done.returncode == 0, done.stderr
    return b"".join(chunks).decode("utf-8")


def test_quote_shows_control_characters_of_a_source_as_escapes_on_a_terminal(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("Intro.\nThe council \x1b[31mvoted against the plan today.\n", encoding="utf-8")
    shown = _on_a_terminal(["quote", "the council voted against the plan", "--in", "t.txt"], tmp_path)
    assert "\x1b" not in shown
    assert "t.txt:2:1\t" in shown and "The council \\x1b[31mvoted against the plan" in shown
    piped = cli("quote", "the council voted against the plan", "--in", str(tmp_path / "t.txt"), "-f", "json")
    assert json.loads(piped.stdout)[0]["text"] == "The council \x1b[31mvoted against the plan"  # data stays data


def test_quote_completes_source_ids_and_formats(uniforms: Path) -> None:
    import os
    import subprocess
    import sys

    for words, expected in ((f"policyx quote x --kb {uniforms} --source ", ["minutes"]),
                            ("policyx quote x -f y", ["yaml"])):
        env = {**os.environ, "POLICYX_KB": "", "_POLICYX_COMPLETE": "complete_bash", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
        done = subprocess.run([sys.executable, "-m", "policyx"], capture_output=True, text=True, env=env,
                              timeout=120, check=False)
        assert done.stdout.split() == expected, (words, done.stdout, done.stderr)


def test_fix_leaves_a_foreign_file_alone(cli: Cli, tmp_path: Path) -> None:
    foreign = tmp_path / "debate.json"
    shutil.copy(Path(__file__).parent / "fixtures" / "import" / "araucaria-library.json", foreign)
    before = foreign.read_bytes()
    result = cli("check", str(foreign), "--fix")
    assert result.exit_code == 2 and "--fix rewrites YAML knowledge bases" in result.stderr
    assert f"policyx import {foreign} -o KB.yaml" in result.stderr
    assert foreign.read_bytes() == before and result.stdout == ""


def test_check_watch_checks_again_when_a_source_changes(cli: Cli, uniforms: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    minutes = uniforms.parent / "sources" / "minutes.txt"
    steps = iter(["edit source", "stop"])

    def pause(seconds: float = watching.INTERVAL) -> bool:
        if next(steps) == "stop":
            return False
        minutes.write_text(minutes.read_text(encoding="utf-8").replace("a school year", "the year"), encoding="utf-8")
        return True

    monkeypatch.setattr(watching, "pause", pause)
    result = cli("check", str(uniforms), "--watch")
    reports = [line.split(":")[0] for line in result.stderr.splitlines() if line.startswith(("ok: ", "invalid: "))]
    assert reports == ["ok", "invalid"]
    assert "argument 'saves-money': quote is not verbatim" in result.stderr


def test_watch_checks_again_when_only_the_mode_changes(cli: Cli, uniforms: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    steps = iter(["chmod", "wait", "stop"])

    def pause(seconds: float = watching.INTERVAL) -> bool:
        step = next(steps)
        if step == "chmod":  # same text, size, time and inode: only the permissions change
            info = uniforms.stat()
            os.chmod(uniforms, 0o000)
            os.utime(uniforms, ns=(info.st_atime_ns, info.st_mtime_ns))
        return step != "stop"

    monkeypatch.setattr(watching, "pause", pause)
    try:
        result = cli("check", str(uniforms), "--watch")
    finally:
        os.chmod(uniforms, 0o644)
    assert result.exit_code == 0
    assert result.stderr.count("or one of its sources changed: checking again") == 1
    reports = [line for line in result.stderr.splitlines() if line.startswith(("ok: ", "invalid: "))]
    assert len(reports) == 2  # at start, and after the chmod (root still reads it; anyone else gets an error)


# --------------------------------------------------------------------------- anchors and tabs


def test_a_lone_anchor_is_refused_by_check_and_kept_by_fix(cli: Cli, uniforms: Path) -> None:
    text = uniforms.read_text(encoding="utf-8")
    for anchored in (text.replace("    quote: Parents said uniforms save money over a school year.",
                                  "    quote: &q Parents said uniforms save money over the school year."),
                     text.replace("  - id: saves-money", "  - &anc\n    id: saves-money")):
        assert anchored != text
        uniforms.write_text(anchored, encoding="utf-8")
        result = cli("check", str(uniforms))
        assert result.exit_code == 3
        assert "YAML anchors (&name) are not allowed in a knowledge base" in result.stderr
        assert re.search(rf"{re.escape(str(uniforms))}:\d+:\d+: .*YAML anchors", result.stderr)
        fixed = cli("check", str(uniforms), "--fix")
        assert fixed.exit_code == 3 and uniforms.read_text(encoding="utf-8") == anchored  # nothing dropped


def test_a_quote_line_with_tabs_does_not_stop_the_other_fixes(cli: Cli, uniforms: Path) -> None:
    text = uniforms.read_text(encoding="utf-8")
    tabbed = text.replace("    quote: uniforms reduce bullying about clothes, because everyone looks the same.",
                          "    quote:\tuniforms reduce bullying about clothes, because everyone looks the same.\t")
    assert tabbed != text
    uniforms.write_text(tabbed.replace("over a school year", "over the school year"), encoding="utf-8")
    result = cli("check", str(uniforms), "--fix")
    assert result.exit_code == 0, result.stderr
    assert "not valid YAML" not in result.stderr
    assert uniforms.read_text(encoding="utf-8") == tabbed  # the quote fixed, the tabs where they were


def test_fix_edits_flow_style_files_that_check_accepts(cli: Cli, tmp_path: Path) -> None:
    """libyaml, which check reads with, takes ``uniforms?}``; --fix must read the file as check does."""
    (tmp_path / "s.txt").write_text("The council met on Monday and agreed on uniforms.\n", encoding="utf-8")
    text = (
        "version: 1\nsources:\n  - {id: s, title: 'S: minutes #1', file: s.txt}\nactors:\n  - {id: x, name: X}\n"
        "questions:\n  - {id: u, text: Should pupils wear uniforms?}\n"
        "  - {id: v, text: \"What, and why?\", tags: [why?, 'a: b', \"c # d\", it's]}   # a comment\n"
        "positions:\n  - {id: p, question: u, claim: Yes?, held_by: x, agreement: broad,"
        " quote: The council met on Monday and agreed on uniform., source: s}\n"
    )
    kb = tmp_path / "kb.yaml"
    kb.write_text(text, encoding="utf-8")
    checked = cli("check", str(kb))
    assert checked.exit_code == 3 and "quote is not verbatim" in checked.stderr  # check reads the file
    result = cli("check", str(kb), "--fix")
    assert "not valid YAML" not in result.stderr
    assert result.exit_code == 0, result.stderr
    assert kb.read_text(encoding="utf-8") == text.replace("agreed on uniform.,", "agreed on uniforms.,")
    assert f"fixed: {kb}:10:" in result.stderr
