"""`policyx check` and the checks behind it (policyx.kb.check)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policyx.cli.runtime import ExitCode
from policyx.kb.check import check, normalize_quote
from policyx.kb.load import load_text
from policyx.kb.model import Source

from .conftest import write_kb

WARNING_NOT_SOON = (
    "position 'decriminalization-not-soon' has no argument for it "
    "(add an argument with 'for: decriminalization-not-soon' if the source gives one)"
)


@pytest.fixture
def data_copy(tmp_path: Path, kb_path: Path) -> Path:
    """A copy of data/ (positions.yaml and sources/) that a test may edit; returns the yaml's path."""
    shutil.copytree(kb_path.parent, tmp_path / "data")
    return tmp_path / "data" / "positions.yaml"


def _line_col(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_bundled_kb_passes(cli, kb_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("check")
    assert result.exit_code == ExitCode.OK
    assert result.stdout == ""
    line, column = _line_col(kb_path.read_text(encoding="utf-8"), "id: decriminalization-not-soon")
    assert result.stderr == (
        f"warning: {kb_path}:{line}:{column}: {WARNING_NOT_SOON}\n"
        f"ok: {kb_path}: 1 sources, 6 actors, 4 models, 4 questions, 5 positions, 23 arguments; 1 warning(s)\n"
    )


def test_strict_fails_on_warnings(cli, kb_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--strict")
    assert result.exit_code == ExitCode.INVALID_KB
    assert WARNING_NOT_SOON in result.stderr
    assert result.stderr.endswith(f"failed (--strict counts warnings): {kb_path}: 1 warning(s)\n")


def test_check_takes_a_path_and_the_global_kb(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    assert f"ok: {data_copy}:" in cli("check", str(data_copy)).stderr
    assert f"ok: {data_copy}:" in cli("--kb", str(data_copy), "check").stderr


def test_one_word_changed_in_a_quote_fails_naming_the_entry(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    text = data_copy.read_text(encoding="utf-8")
    old = "reduce a trafficker’s financial incentive"
    assert text.count(old) == 1
    data_copy.write_text(text.replace(old, "reduce a trafficker’s economic incentive"), encoding="utf-8")
    line, column = _line_col(text, "quote: The regulation of the industry")
    column += len("quote: ")
    result = cli("check", str(data_copy))
    assert result.exit_code == ExitCode.INVALID_KB
    assert (
        f"error: {data_copy}:{line}:{column}: argument 'reduce-trafficker-incentive': quote is not verbatim in "
        "source 'session-report': after \"reduce a trafficker's \", the quote has 'economic incentive, which would' "
        "where the source has 'financial incentive, which would' "
        "(copy the words exactly from the source file; "
        "only quote marks and spacing may differ)\n"
    ) in result.stderr
    assert result.stderr.endswith(f"invalid: {data_copy}: 1 error(s), 1 warning(s)\n")


def test_quotes_may_differ_in_typographic_quotes_and_spacing(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    text = data_copy.read_text(encoding="utf-8")
    old = "quote: By focusing on the “johns,” it will again push"
    assert old in text
    data_copy.write_text(text.replace(old, 'quote: By  focusing on the "johns," it will\n      again push'),
                         encoding="utf-8")
    assert cli("check", str(data_copy)).exit_code == ExitCode.OK


def test_missing_source_file_is_an_error(cli, data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (data_copy.parent / "sources" / "session-report.txt").unlink()
    result = cli("check", str(data_copy))
    assert result.exit_code == ExitCode.INVALID_KB
    missing = data_copy.parent / "sources" / "session-report.txt"
    line, column = _line_col(data_copy.read_text(encoding="utf-8"), "sources/session-report.txt")
    assert result.stderr.startswith(
        f"error: {data_copy}:{line}:{column}: source 'session-report': file {missing} does not exist "
        "(fix the source's 'file': it is relative to the knowledge base file's folder)\n"
    )


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p.mkdir(), "is a directory ('file' names the source's text file, not a folder: "
                          "it is relative to the knowledge base file's folder)"),
    (lambda p: p.write_bytes(b"%PDF-1.4\0\0"), "is a binary file ('file' names the source's plain text, "
                                                 "saved as UTF-8 (not a PDF or Word file))"),
])
def test_unusable_source_file_is_worded_as_a_source(cli, tmp_path: Path, make, words) -> None:  # type: ignore[no-untyped-def]
    # the hints of a bad knowledge base file ("give the path of a .yaml file") would mislead here
    path = write_kb(tmp_path, "version: 1\nsources:\n  - id: s\n    title: T\n    file: src\n")
    make(tmp_path / "src")
    result = cli("check", str(path))
    assert result.exit_code == ExitCode.INVALID_KB
    assert f"error: {path}:5:11: source 's': file {tmp_path / 'src'} {words}\n" in result.stderr
    assert ".yaml file" not in result.stderr


def test_invalid_kb_lists_its_errors(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_kb(tmp_path, "version: 1\nactors:\n  - id: a\n    nam: x\n    stands_for: many\n"
                              "  - id: b\n    stands_for: one\n")
    result = cli("check", str(path))
    assert result.exit_code == ExitCode.INVALID_KB
    assert result.stderr == (  # in file order; 'nam' is one mistake, not also a missing 'name'
        f"error: {path}:4:5: actor 'a': unknown field 'nam' (did you mean 'name'?)\n"
        f"error: {path}:5:17: actor 'a': 'stands_for' is 'many', not one of one, several, whole-group, unknown"
        " (did you mean 'several'?)\n"
        f"error: {path}:6:5: actor 'b': missing required field 'name' "
        "(add 'name:', who spoke, as the source identifies them)\n"
        f"invalid: {path}: 3 error(s), 0 warning(s)\n"
    )


def test_json_format_on_the_bundled_kb(cli, kb_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--format", "json")
    assert result.exit_code == ExitCode.OK
    line, column = _line_col(kb_path.read_text(encoding="utf-8"), "id: decriminalization-not-soon")
    assert json.loads(result.stdout) == {
        "path": str(kb_path),
        "valid": True,
        "errors": 0,
        "warnings": 1,
        "counts": {"sources": 1, "actors": 6, "models": 4, "questions": 4, "positions": 5, "arguments": 23},
        "problems": [{
            "severity": "warning", "path": str(kb_path), "line": line, "column": column,
            "entry": "decriminalization-not-soon",
            "message": "position 'decriminalization-not-soon' has no argument for it",
            "hint": "add an argument with 'for: decriminalization-not-soon' if the source gives one",
        }],
    }
    assert result.stderr == ""


def test_json_format_on_an_invalid_kb(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_kb(tmp_path, "version: 3\n")
    result = cli("check", str(path), "-f", "json")
    assert result.exit_code == ExitCode.INVALID_KB
    report = json.loads(result.stdout)
    assert report == {
        "path": str(path), "valid": False, "errors": 1, "warnings": 0, "counts": {},
        "problems": [{
            "severity": "error", "path": str(path), "line": 1, "column": 10, "entry": None,
            "message": "unsupported schema version 3", "hint": "this policyx reads versions 1 and 2",
        }],
    }


def test_unknown_format_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--format", "xml")
    assert result.exit_code == ExitCode.USAGE
    assert "'xml' is not a format of check; choose from text, json" in result.stderr


# --------------------------------------------------------------------------
# The checks as a pure function

SMALL = """\
version: 1
sources:
  - id: report
    title: The report
    file: report.txt
  - id: hearsay
    title: Something someone said
actors:
  - id: group
    name: the group
questions:
  - id: q
    text: Should it be done?
positions:
  - id: do-it
    question: q
    claim: It should be done.
    held_by: [group]
    agreement: broad
    quote: It should be done.
    source: report
  - id: do-not
    question: q
    claim: It should not be done.
    held_by: [group]
    agreement: divided
arguments:
  - id: cheap
    claim: It is cheap.
    for: do-it
    by: group
    quote: It is  “cheap”.
    source: report
  - id: unquoted
    claim: It is fast.
    for: do-it
  - id: misquoted
    claim: It is free.
    against: do-not
    quote: It is free.
    source: report
"""
SOURCE_TEXT = 'It should be done. It is "cheap". It is not free.'


def _check_small() -> list[str]:
    kb = load_text(SMALL, "small.yaml")

    def text_of(source: Source) -> str:
        assert source.id == "report"
        return SOURCE_TEXT

    return [f"{p.severity}: {p.entry}: {p.message}" for p in check(kb, text_of)]


def test_check_finds_each_kind_of_problem() -> None:
    assert _check_small() == [
        "warning: do-not: position 'do-not' has no quote",
        "warning: unquoted: argument 'unquoted' has no quote",
        "error: misquoted: argument 'misquoted': quote is not verbatim in source 'report'",
        "warning: q: question 'q' has no recorded outcome",
        "warning: do-not: position 'do-not' has no argument for it",
        "warning: hearsay: source 'hearsay' has no 'file': its quotes cannot be checked",
    ]


def test_normalize_quote() -> None:
    assert normalize_quote(" “johns,”\n  it ’s ") == '"johns," it \'s'


def test_text_cut_short_by_a_comment_is_a_warning(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # `quote: ... #1 ...` unquoted: YAML keeps only the words before ' #', and a quote cut
    # short is still verbatim in its source, so nothing else would notice
    (tmp_path / "src.txt").write_text("They said safety is the #1 priority.\n", encoding="utf-8")
    path = write_kb(tmp_path, (
        "version: 1\nsources:\n  - id: s\n    title: T\n    file: src.txt\n"
        "actors:\n  - id: a\n    name: A  # who spoke: a comment on purpose\n"
        "questions:\n  - id: q\n    text: Q?\n"
        "positions:\n  - id: p\n    question: q\n    claim: 'Safety #1.'\n    held_by: a\n"
        "    agreement: broad\n    quote: They said safety is the #1 priority.\n    source: s\n"
    ))
    result = cli("check", str(path), "--format", "json")
    assert result.exit_code == ExitCode.OK
    cut = [p for p in json.loads(result.stdout)["problems"] if "comment" in p["message"]]
    assert cut == [{
        "severity": "warning", "path": str(path), "line": 18, "column": 36, "entry": "p",
        "message": "position 'p': 'quote' ends before ' #': YAML reads the rest of the line as a comment",
        "hint": "put the whole text in quotes (\"...\") to keep the '#'",
    }]


def test_source_file_not_utf8_names_its_own_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "src.txt").write_bytes("Line one.\nParents\u2019 money.\n".encode("cp1252"))
    path = write_kb(tmp_path, "version: 1\nsources:\n  - id: s\n    title: T\n    file: src.txt\n")
    result = cli("check", str(path))
    assert result.exit_code == ExitCode.INVALID_KB
    assert result.stderr.startswith(
        f"error: {path}:5:11: source 's': file {tmp_path / 'src.txt'} is not valid UTF-8 text "
        "(byte 0x92, '\u2019' in Windows-1252) at line 2, column 8 "
        "(save the file as UTF-8: in most editors, 'Save as' with the encoding 'UTF-8')\n"
    )


@pytest.mark.parametrize(("quote", "where"), [
    ("Parents said uniforms save money over the school year.",
     ": after 'uniforms save money over ', the quote has 'the school year.' where the source has "
     "'a school year. The'"),
    ("Parents said uniforms save money over a school year, always.",
     ": after 'save money over a school ', the quote has 'year, always.' where the source has 'year. The council did'"),
    ("Teachers said uniforms save money.", ""),  # nothing in common at the start: no place to point at
])
def test_a_misquote_shows_where_it_leaves_the_source(quote: str, where: str) -> None:
    from policyx.kb.check import first_difference, normalize_quote

    text = normalize_quote("Parents said uniforms save money over a school year. The council did not decide.")
    found = first_difference(normalize_quote(quote), text)
    assert (": " + found if found else "") == where


def test_backslashes_in_a_source_file_get_a_hint(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "r.txt").write_text("Words.\n", encoding="utf-8")
    path = write_kb(tmp_path, "version: 1\nsources:\n  - id: s\n    title: T\n    file: sources\\r.txt\n")
    result = cli("check", str(path))
    assert result.exit_code == ExitCode.INVALID_KB
    assert "does not exist (write '/' between folders, also on Windows (e.g. 'sources/report.txt'): " in result.stderr


def test_errors_beyond_the_cap_are_counted(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = "".join(f"  - id: a{i}\n    name: A\n    stands_for: lots\n" for i in range(60))
    path = write_kb(tmp_path, "version: 1\nactors:\n" + bad)
    result = cli("check", str(path))
    assert result.stderr.endswith(f"invalid: {path}: 60 error(s), 0 warning(s)\n")
    assert "10 more problem(s) not shown" in result.stderr
    report = json.loads(cli("check", str(path), "--format", "json").stdout)
    assert (report["errors"], len(report["problems"])) == (60, 51)


def test_an_empty_knowledge_base_gets_a_warning(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_kb(tmp_path, "version: 1\n")
    result = cli("check", str(path))
    assert result.exit_code == ExitCode.OK
    assert result.stderr.splitlines()[0] == (
        f"warning: {path}: the knowledge base has no positions: every read command will print nothing "
        "(add questions and the positions that answer them; docs/schema.md describes both)"
    )
    assert cli("check", "--strict", str(path)).exit_code == ExitCode.INVALID_KB


def test_many_short_quotes_are_placed_in_one_pass_over_their_source(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quotes shorter than the start the word-start index keys on (an AIF map's claims, "the tax 7 is fair")
    were each searched for in the whole text: 100,000 of them against their 2 MB source took 35 seconds.
    Now the whole text is searched only for the few of a length and the ones not at a word start."""
    from policyx.kb import check as check_module

    count = 3_000
    claims = [f"the {('tax', 'road', 'school')[i % 3]} {1000 + i} is fair" for i in range(count)]  # 20-23 chars
    (tmp_path / "s.txt").write_text("\n\n".join(claims) + "\n", encoding="utf-8")
    misquoted = {6: "the tax 1006 is unfair", 7: "the road 1007 is fairer", 10: "oad 1010 is fair"}  # last: mid-word
    quotes = [misquoted.get(i, claim) for i, claim in enumerate(claims)]
    quotes += ["the tax 1003 is", "tax 1003 is fair"]  # the only quotes of their lengths: searched in full
    arguments = "".join(f"  - {{id: a{i}, claim: C., for: p, quote: {json.dumps(q)}, source: s}}\n"
                        for i, q in enumerate(quotes))
    path = write_kb(tmp_path, "version: 1\nsources: [{id: s, title: S, file: s.txt}]\nactors: [{id: x, name: X}]\n"
                              "questions: [{id: q, text: Q}]\n"
                              "positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad}]\n"
                              f"arguments:\n{arguments}")
    searched: list[str] = []
    real = check_module._contains
    monkeypatch.setattr(check_module, "_contains", lambda text, quote: searched.append(quote) or real(text, quote))
    kb = load_text(path.read_text(encoding="utf-8"), str(path))
    wrong = [p.entry for p in check(kb, lambda source: (tmp_path / "s.txt").read_text(encoding="utf-8"))
             if p.field == "quote"]
    assert wrong == ["a6", "a7"]
    assert sorted(searched) == sorted([*misquoted.values(), "the tax 1003 is", "tax 1003 is fair"])
