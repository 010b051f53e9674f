"""The loader: the bundled knowledge base, and every class of error with its exact message.

Each bad file is tested twice: through :func:`policyx.kb.load.load` (exact message, line,
column, entry) and through the CLI (exit 3, the message on stderr, nothing on stdout,
no traceback).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policyx.cli.runtime import ExitCode
from policyx.cli.selection import select
from policyx.kb import schema
from policyx.kb.errors import KnowledgeBaseError, Problem
from policyx.kb.load import bundled_path, load, load_text
from policyx.kb.model import Agreement, Argument, ClaimType, Kind, Position, Stance, StandsFor
from policyx.kb.problems import did_you_mean

from .conftest import write_kb

# --------------------------------------------------------------------------
# Happy path: the bundled knowledge base


def test_bundled_kb_counts(kb_path: Path) -> None:
    kb = load(kb_path)
    counts = {kind.value: len(kb.collection(kind)) for kind in Kind}
    assert counts == {"sources": 1, "actors": 6, "models": 4, "questions": 4, "positions": 5, "arguments": 23}
    assert kb.version == 1
    assert kb.title == (
        "Open Source Innovation Development session: sex and labor trafficking, decriminalization, and buyers"
    )
    assert len(kb.ids) == sum(counts.values())


def test_bundled_kb_exact_records(kb_path: Path) -> None:
    kb = load(kb_path)
    assert kb.get("criminalize-johns") == Position(
        id="criminalize-johns",
        question="criminalizing-johns",
        claim='Criminalizing buyers ("johns") is currently the best option.',
        held_by=("individual-for-johns",),
        agreement=Agreement.INDIVIDUAL,
        quote="another thought that it was currently the best option.",
        source="session-report",
        tags=("johns", "enforcement"),
        models=("buyer-criminalization",),
    )
    assert kb.get("johns-help-escape") == Argument(
        id="johns-help-escape",
        claim="Johns are potentially a resource for trafficked women and at times help them escape.",
        stance=Stance.FOR,
        target="do-not-criminalize-johns",
        by="individual-against-johns",
        type=ClaimType.EMPIRICAL,
        quote="stated that they are potentially a resource for the women being trafficked, "
        "and at times help them escape.",
        source="session-report",
        tags=("johns", "safety", "resources"),
    )
    actor = kb.get("group-member")
    assert actor is not None and actor.stands_for is StandsFor.ONE  # type: ignore[union-attr]


def test_bundled_kb_stance_and_target(kb_path: Path) -> None:
    kb = load(kb_path)
    replies = [(a.id, a.stance.value, a.target) for a in kb.replies_to("criminalize-johns")]
    assert replies == [
        ("johns-dangerous-for-girls", "against", "criminalize-johns"),
        ("johns-focus-hides-problem", "against", "criminalize-johns"),
        ("stops-blaming-victim", "for", "criminalize-johns"),
        ("addresses-the-crime", "for", "criminalize-johns"),
    ]
    # an objection to a reason, not to a position
    rebuttal = kb.get("minors-still-profitable")
    assert isinstance(rebuttal, Argument)
    assert (rebuttal.stance, rebuttal.target) == (Stance.AGAINST, "reduce-trafficker-incentive")


def test_records_are_immutable(kb_path: Path) -> None:
    kb = load(kb_path)
    entry = kb.positions[0]
    with pytest.raises(AttributeError):
        entry.claim = "changed"  # type: ignore[misc]


def test_kb_wins_over_policyx_kb_which_wins_over_the_bundled_one(tmp_path: Path) -> None:
    no_config = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert select(("a.yaml",), {"POLICYX_KB": "b.yaml", **no_config}).paths == (Path("a.yaml"),)
    assert select((), {"POLICYX_KB": "b.yaml", **no_config}).paths == (Path("b.yaml"),)
    assert select((), no_config).paths == (bundled_path(),)


def test_did_you_mean() -> None:
    assert did_you_mean("criminalize-john", ["criminalize-johns", "group"]) == "did you mean 'criminalize-johns'?"
    assert did_you_mean("zzz", ["criminalize-johns"]) is None


def test_date_written_as_a_yaml_date_is_kept_as_text() -> None:
    kb = load_text("version: 1\nsources:\n  - id: s\n    title: t\n    date: 2024-05-01\n")
    assert kb.sources[0].date == "2024-05-01"


# --------------------------------------------------------------------------
# Every error class, with its exact message

MINI = """\
version: 1
sources:
  - id: report
    title: The report
actors:
  - id: group
    name: the group
questions:
  - id: johns
    text: Should buyers be criminalized?
positions:
  - id: criminalize-johns
    question: johns
    claim: Buyers should be criminalized.
    held_by: [group]
    agreement: individual
arguments:
  - id: johns-help-escape
    claim: Johns help women escape.
    against: criminalize-johns
    by: group
    type: empirical
    quote: they help them escape
    source: report
"""


def sub(old: str, new: str) -> str:
    assert old in MINI, old
    return MINI.replace(old, new, 1)


def test_mini_is_valid() -> None:
    kb = load_text(MINI, "kb.yaml")
    assert [a.id for a in kb.arguments] == ["johns-help-escape"]


#: name -> (file content, exact problems as "line:col: message (hint)" after "kb.yaml", entry id)
CASES: dict[str, tuple[str | bytes, list[str], str | None]] = {
    "yaml-syntax": (
        sub("claim: Johns help women escape.", "claim: Johns: help women escape."),
        [":19:17: argument 'johns-help-escape': a ':' where YAML does not expect a key "
         "(check the indentation, or put text containing ': ' in quotes)"],
        "johns-help-escape",
    ),
    "tab-indentation": (
        sub("    by: group\n", "\tby: group\n"),
        [":21:1: argument 'johns-help-escape': a tab character where YAML needs spaces "
         "(indent with spaces, not tabs)"],
        "johns-help-escape",
    ),
    # the entry is named even where the parser stopped before reading its id
    "tab-indentation-after-the-id": (
        sub("    claim: Johns help women escape.\n", "\tclaim: Johns help women escape.\n"),
        [":19:1: argument 'johns-help-escape': a tab character where YAML needs spaces "
         "(indent with spaces, not tabs)"],
        "johns-help-escape",
    ),
    "tab-before-the-dash": (
        sub("  - id: criminalize-johns\n", "\t- id: criminalize-johns\n"),
        [":12:1: position 'criminalize-johns': a tab character where YAML needs spaces "
         "(indent with spaces, not tabs)"],
        "criminalize-johns",
    ),
    "field-indented-one-space-too-little": (
        sub("    claim: Johns help women escape.\n", "   claim: Johns help women escape.\n"),
        [":19:4: argument 'johns-help-escape': this line is not indented like the lines above it "
         "(indent with spaces: the '- ' of every entry at one column, and an entry's fields at the column "
         "of its 'id')"],
        "johns-help-escape",
    ),
    "field-indented-one-space-too-much": (
        sub("    claim: Johns help women escape.\n", "     claim: Johns help women escape.\n"),
        [":19:11: argument 'johns-help-escape': a ':' where YAML does not expect a key "
         "(check the indentation, or put text containing ': ' in quotes)"],
        "johns-help-escape",
    ),
    "collection-key-indented": (
        sub("arguments:\n", " arguments:\n"),
        [":17:2: 'arguments:' is indented (start 'arguments:' at the beginning of the line, like 'version:')"],
        None,
    ),
    # the line that lacks the ':' is reported, not the next one where PyYAML noticed it
    "missing-colon": (
        sub("claim: Johns help women escape.", "claim Johns help women escape."),
        [":19:5: argument 'johns-help-escape': missing ':' after 'claim' (write 'claim: Johns help women escape.')"],
        "johns-help-escape",
    ),
    "unclosed-quote": (
        sub("claim: Johns help women escape.", 'claim: "Johns help women escape.'),
        [":19:12: argument 'johns-help-escape': unclosed quote: this quoted text never ends "
         "(add the closing quote; inside \"...\" write \\\" for a quote mark, inside '...' write '')"],
        "johns-help-escape",
    ),
    "unclosed-bracket": (
        sub("held_by: [group]", "held_by: [group"),
        [":15:14: position 'criminalize-johns': unclosed '[': expected ',' or ']' at line 16, column 14 "
         "(close it with ']', and separate items with ',')"],
        "criminalize-johns",
    ),
    "duplicate-key": (
        sub("    by: group\n", "    by: group\n    by: group\n"),
        [":22:5: argument 'johns-help-escape': duplicate key 'by' in a mapping "
         "(keep one: YAML would silently drop all but the last)"],
        "johns-help-escape",
    ),
    "duplicate-id": (
        sub("    name: the group\n", "    name: the group\n  - id: group\n    name: the same group\n"),
        [":8:9: actor 'group': duplicate id, already used by actor #1 (ids must be unique across the whole file)"],
        "group",
    ),
    "unknown-reference": (
        sub("against: criminalize-johns", "against: criminalize-john"),
        [":20:14: argument 'johns-help-escape': against 'criminalize-john' names no position or argument "
         "(did you mean 'criminalize-johns'?)"],
        "johns-help-escape",
    ),
    "both-for-and-against": (
        sub("    against: criminalize-johns\n", "    against: criminalize-johns\n    for: criminalize-johns\n"),
        [":18:5: argument 'johns-help-escape': has both 'for' and 'against' (keep exactly one)"],
        "johns-help-escape",
    ),
    "neither-for-nor-against": (
        sub("    against: criminalize-johns\n", ""),
        [":18:5: argument 'johns-help-escape': needs 'for: ID' or 'against: ID' "
         "(name the position or argument it bears on)"],
        "johns-help-escape",
    ),
    "rebuttal-cycle": (
        MINI + "  - id: loop-a\n    claim: A.\n    for: loop-b\n  - id: loop-b\n    claim: B.\n    against: loop-a\n",
        [":25:5: argument 'loop-a': rebuttal cycle loop-a -> loop-b -> loop-a "
         "(an argument must lead, through for/against, to a position)"],
        "loop-a",
    ),
    "self-rebuttal": (
        sub("against: criminalize-johns", "against: johns-help-escape"),
        [":20:14: argument 'johns-help-escape': answers itself ('against: johns-help-escape') "
         "(name the position or argument it answers)"],
        "johns-help-escape",
    ),
    "list-where-string": (
        sub("claim: Johns help women escape.", "claim: [Johns, help]"),
        [":19:12: argument 'johns-help-escape': 'claim' must be a string, not a list (write 'claim' as one text)"],
        "johns-help-escape",
    ),
    "number-as-id": (
        sub("  - id: johns-help-escape\n", "  - id: 42\n"),
        [":18:9: argument #1: 'id' must be a string, not a number (quote it or use words, e.g. 'id: arg-12')"],
        None,
    ),
    # YAML 1.1 reads yes/no/on/off as booleans and 2024-01-01 as a date: say so, and what to do
    "yaml-boolean-as-id": (
        sub("  - id: johns-help-escape\n", "  - id: no\n"),
        [":18:9: argument #1: 'id' must be a string, not a boolean (quote it or use words, e.g. 'id: arg-12'; "
         "YAML reads yes, no, on, off, true and false as booleans)"],
        None,
    ),
    "yaml-date-as-reference": (
        sub("against: criminalize-johns", "against: 2024-01-01"),
        [":20:14: argument 'johns-help-escape': 'against' must be a string, not a date "
         "(put the id in quotes: YAML reads yes, no, on, off, numbers and dates as other types)"],
        "johns-help-escape",
    ),
    "yaml-boolean-as-enum": (
        sub("agreement: individual", "agreement: yes"),
        [":16:16: position 'criminalize-johns': 'agreement' must be a string, not a boolean "
         "(one of: consensus, broad, divided, individual; YAML reads yes, no, on, off, true and false as booleans)"],
        "criminalize-johns",
    ),
    "yaml-booleans-as-tags": (
        sub("    type: empirical\n", "    type: empirical\n    tags: [on, off]\n"),
        [":23:12: argument 'johns-help-escape': 'tags' items must be non-empty strings, not a boolean "
         "(YAML reads yes, no, on, off, true and false as booleans: put the item in quotes, e.g. [\"on\"])"],
        "johns-help-escape",
    ),
    "version-as-text": (
        sub("version: 1\n", "version: '1'\n"),
        [":1:10: 'version' must be the number 1, not the text '1' (write 'version: 1' without quotes)"],
        None,
    ),
    "id-with-an-accent": (
        sub("  - id: johns-help-escape\n", "  - id: \u00e9chapper\n"),
        [":18:9: argument '\u00e9chapper': id is not kebab-case (use lowercase letters, digits and single hyphens, "
         "e.g. 'echapper')"],
        "\u00e9chapper",
    ),
    "empty-required-list": (
        sub("held_by: [group]", "held_by: []"),
        [":15:14: position 'criminalize-johns': 'held_by' is empty (name at least one, e.g. 'held_by: [an-id]')"],
        "criminalize-johns",
    ),
    "empty-text": (
        sub("claim: Johns help women escape.", "claim: ''"),
        [":19:12: argument 'johns-help-escape': 'claim' is empty (fill it in)"],
        "johns-help-escape",
    ),
    "entry-written-as-its-id": (
        sub("  - id: group\n    name: the group\n", "  - group\n"),
        [":6:5: actor #1 must be a mapping of fields, not a string (write '- id: group' and its fields below it)"],
        None,
    ),
    "collection-written-as-one-mapping": (
        sub("questions:\n  - id: johns\n    text: Should", "questions:\n  id: johns\n  text: Should"),
        [":9:3: 'questions' must be a list of entries, not a mapping (write each entry as '- id: ...' under "
         "'questions:')"],
        None,
    ),
    "id-not-kebab-case": (
        sub("  - id: johns-help-escape\n", "  - id: Johns_Help\n"),
        [":18:9: argument 'Johns_Help': id is not kebab-case (use lowercase letters, digits and single hyphens, "
         "e.g. 'johns-help')"],
        "Johns_Help",
    ),
    # one mistake, one message: what refers to the id in its fixed form is not reported again
    "id-with-capitals-and-spaces": (
        sub("  - id: criminalize-johns\n", "  - id: Criminalize Johns\n"),
        [":12:9: position 'Criminalize Johns': id is not kebab-case (use lowercase letters, digits and "
         "single hyphens, e.g. 'criminalize-johns')"],
        "Criminalize Johns",
    ),
    "duplicate-id-across-collections": (
        sub("  - id: johns-help-escape\n", "  - id: criminalize-johns\n"),
        [":18:9: argument 'criminalize-johns': duplicate id, already used by position #1 "
         "(ids must be unique across the whole file)"],
        "criminalize-johns",
    ),
    "for-names-a-question": (
        sub("against: criminalize-johns", "against: johns"),
        [":20:14: argument 'johns-help-escape': against 'johns' is a question, not a position or an argument "
         "('against' takes the id of a position or an argument)"],
        "johns-help-escape",
    ),
    "held-by-names-a-position": (
        sub("held_by: [group]", "held_by: [criminalize-johns]"),
        [":15:15: position 'criminalize-johns': held_by 'criminalize-johns' is a position, not an actor "
         "('held_by' takes the id of an actor)"],
        "criminalize-johns",
    ),
    "unknown-key": (
        sub("    type: empirical\n", "    typ: empirical\n"),
        [":22:5: argument 'johns-help-escape': unknown field 'typ' (did you mean 'type'?)"],
        "johns-help-escape",
    ),
    "unknown-actor-in-list": (
        sub("held_by: [group]", "held_by: [group, grup]"),
        [":15:22: position 'criminalize-johns': held_by 'grup' names no actor (did you mean 'group'?)"],
        "criminalize-johns",
    ),
    "quote-without-source": (
        sub("    source: report\n", ""),
        [":23:12: argument 'johns-help-escape': has a quote but no 'source' "
         "(add 'source: ID' naming where the quote comes from)"],
        "johns-help-escape",
    ),
    "number-as-key": (
        sub("    type: empirical\n", "    type: empirical\n    1: x\n"),
        [":23:5: argument 'johns-help-escape': unknown field 1 "
         "(allowed: id, claim, for, against, by, type, quote, source, tags, note)"],
        "johns-help-escape",
    ),
    "list-as-key": (
        sub("    type: empirical\n", "    type: empirical\n    ? [a, b]\n    : x\n"),
        [":23:7: argument 'johns-help-escape': a list or mapping used as a key "
         "(keys must be plain words such as 'claim')"],
        "johns-help-escape",
    ),
    "string-where-enum": (
        sub("agreement: individual", "agreement: [individual]"),
        [":16:16: position 'criminalize-johns': 'agreement' must be a string, not a list "
         "(one of: consensus, broad, divided, individual)"],
        "criminalize-johns",
    ),
    "unknown-top-level-key": (
        sub("version: 1\n", "version: 1\ntitel: Debate\n"),
        [":2:1: unknown top-level key 'titel' (did you mean 'title'?)"],
        None,
    ),
    "unknown-enum-value": (
        sub("agreement: individual", "agreement: individul"),
        [":16:16: position 'criminalize-johns': 'agreement' is 'individul', not one of consensus, broad, divided, "
         "individual (did you mean 'individual'?)"],
        "criminalize-johns",
    ),
    "missing-required-field": (
        sub("    claim: Buyers should be criminalized.\n", ""),
        [":12:5: position 'criminalize-johns': missing required field 'claim' "
         "(add 'claim:', the position in one neutral sentence)"],
        "criminalize-johns",
    ),
    "invalid-date": (
        sub("    title: The report\n", "    title: The report\n    date: 2024-13-45\n"),
        [":5:11: source 'report': '2024-13-45' is not a valid date (month must be in 1..12) "
         "(put the value in quotes to keep it as text)"],
        "report",
    ),
    "empty-file": ("", [": the file is empty (start from the bundled positions.yaml)"], None),
    "only-comments": ("# nothing yet\n", [": the file is empty (start from the bundled positions.yaml)"], None),
    "top-level-not-a-mapping": (
        "- version: 1\n",
        [":1:1: the top level must be a mapping of collections, not a list (start the file with 'version: 1')"],
        None,
    ),
    "binary-file": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        [": the file is binary, not YAML text (give the path of a .yaml file)"],
        None,
    ),
    "non-utf8": (
        MINI.replace("Johns help", "Johns h\xe9lp").encode("latin-1"),
        [":19:19: the file is not valid UTF-8 text (byte 0xe9, '\xe9' in Windows-1252) "
         "(save the file as UTF-8: in most editors, 'Save as' with the encoding 'UTF-8')"],
        None,
    ),
    "control-character-in-text": (
        sub("Johns help", "Johns \x1b[31mhelp"),
        [":19:18: argument 'johns-help-escape': control character U+001B (ESC) is not allowed in YAML text "
         '(remove it, or write it as an escape inside double quotes, e.g. "\\x1b")'],
        "johns-help-escape",
    ),
    "alias-bomb": (
        "version: 1\n"
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
        [":2:4: YAML anchors and aliases (&name, *name) are not allowed in a knowledge base "
         "(this anchored value is used again through an alias: write it out in full where it is used)"],
        None,
    ),
    "deep-nesting-brackets": (
        "version: 1\ntitle: " + "[" * 100 + "]" * 100 + "\n",
        [":2:72: nesting deeper than 64 levels of brackets (a knowledge base needs four levels of nesting)"],
        None,
    ),
    "deep-nesting-indentation": (
        "version: 1\n" + "".join(" " * i + "a:\n" for i in range(2000)),
        [":1001:1001: nesting too deep for a knowledge base (a knowledge base needs four levels of nesting)"],
        None,
    ),
    "python-tag": (
        sub("    by: group\n", "    by: !!python/object/apply:os.system [touch pwned]\n"),
        [":21:9: argument 'johns-help-escape': YAML tag !!python/object/apply:os.system refused "
         "(policyx reads plain data only and runs nothing; remove the tag)"],
        "johns-help-escape",
    ),
    "python-object-tag": (
        sub("    by: group\n", "    by: !!python/object:subprocess.Popen {args: [touch, pwned]}\n"),
        [":21:9: argument 'johns-help-escape': YAML tag !!python/object:subprocess.Popen refused "
         "(policyx reads plain data only and runs nothing; remove the tag)"],
        "johns-help-escape",
    ),
    "include-tag": (
        sub("    by: group\n", "    by: !include other.yaml\n"),
        [":21:9: argument 'johns-help-escape': YAML tag !include refused "
         "(policyx reads plain data only and runs nothing; remove the tag)"],
        "johns-help-escape",
    ),
    "two-documents": (
        MINI + "---\nversion: 1\n",
        [":25:1: more than one YAML document in the file (a knowledge base is one document: remove the '---')"],
        None,
    ),
}


def _problems(exc: KnowledgeBaseError, path: Path) -> list[str]:
    return [str(p).removeprefix(str(path)) for p in exc.problems]


@pytest.mark.parametrize("name", CASES)
def test_error_message(name: str, tmp_path: Path) -> None:
    content, expected, entry = CASES[name]
    path = write_kb(tmp_path, content)
    with pytest.raises(KnowledgeBaseError) as caught:
        load(path)
    assert _problems(caught.value, path) == expected
    assert caught.value.problems[0].entry == entry
    assert all(p.path == str(path) for p in caught.value.problems)


@pytest.mark.parametrize("name", CASES)
def test_error_through_cli(name: str, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    content, expected, _ = CASES[name]
    path = write_kb(tmp_path, content)
    result = cli("--kb", str(path), "list", "-f", "json")
    assert result.exit_code == ExitCode.INVALID_KB
    assert result.stdout == ""
    for message in expected:
        assert str(path) + message in result.stderr
    assert "Traceback" not in result.stderr


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write_kb(tmp_path, sub("    by: group\n", f"    by: !!python/object/apply:os.system [touch {marker}]\n"))
    with pytest.raises(KnowledgeBaseError):
        load(path)
    assert not marker.exists()


# --------------------------------------------------------------------------
# Files that are not knowledge base files


def test_missing_file(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nope.yaml"
    with pytest.raises(KnowledgeBaseError) as caught:
        load(path)
    assert str(caught.value) == f"{path}: no such file (check the path, --kb and POLICYX_KB)"
    result = cli("--kb", str(path), "list", "-f", "json")
    assert (result.exit_code, result.stdout) == (ExitCode.INVALID_KB, "")
    assert f"{path}: no such file" in result.stderr


def test_missing_file_from_environment(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "env.yaml"
    result = cli("list", "-f", "json", env={"POLICYX_KB": str(path)})
    assert result.exit_code == ExitCode.INVALID_KB
    assert f"{path}: no such file (check the path, --kb and POLICYX_KB)" in result.stderr


def test_directory(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KnowledgeBaseError) as caught:
        load(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: the path is a directory, not a knowledge base file (give the path of a .yaml file)")
    result = cli("--kb", str(tmp_path), "list", "-f", "json")
    assert (result.exit_code, result.stdout) == (ExitCode.INVALID_KB, "")
    assert result.stderr == (f"policyx: {tmp_path}: is a folder with no knowledge base in it (no .yaml or .yml"
                             " file, nor in its folders) (give a folder of knowledge bases, or the path of a .yaml"
                             " file)\n")


def test_file_over_the_size_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
    path = write_kb(tmp_path, MINI)
    monkeypatch.setattr(schema, "MAX_FILE_BYTES", 100)
    with pytest.raises(KnowledgeBaseError) as caught:
        load(path)
    size = len(MINI.encode())
    assert str(caught.value) == (
        f"{path}: is {size} bytes; the limit for a knowledge base is 100 bytes (split it into several knowledge bases)"
    )
    result = cli("--kb", str(path), "list", "-f", "json")
    assert (result.exit_code, result.stdout) == (ExitCode.INVALID_KB, "")
    assert "the limit for a knowledge base is 100 bytes" in result.stderr


def test_size_cap_holds_when_the_size_lies(monkeypatch: pytest.MonkeyPatch) -> None:
    """/dev/zero reports size 0: the reader stops one byte past the cap instead of reading forever."""
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    monkeypatch.setattr(schema, "MAX_FILE_BYTES", 1000)
    with pytest.raises(KnowledgeBaseError) as caught:
        load("/dev/zero")
    assert "is larger than the limit; the limit for a knowledge base is 1000 bytes" in str(caught.value)


def test_default_size_cap_is_documented() -> None:
    assert schema.MAX_FILE_BYTES == 128 * 1024 * 1024
    docs = Path(__file__).resolve().parent.parent / "docs" / "reference.md"
    assert "at most 128 MiB" in docs.read_text(encoding="utf-8")


def test_problem_cap(tmp_path: Path) -> None:
    many = "".join(f"  - id: actor-{i}\n    nam: x\n" for i in range(schema.MAX_PROBLEMS + 7))
    path = write_kb(tmp_path, "version: 1\nactors:\n" + many)
    with pytest.raises(KnowledgeBaseError) as caught:
        load(path)
    problems = caught.value.problems
    # each actor has one problem (unknown 'nam', which says 'name' is meant): 57 found, 50 shown, 1 summary
    assert len(problems) == schema.MAX_PROBLEMS + 1
    assert str(problems[-1]) == (
        f"{path}: 7 more problem(s) not shown (at most 50 are reported) (fix these first, then check again)"
    )


def test_problem_str_and_dict() -> None:
    problem = Problem("bad", "kb.yaml", 3, 7, "x", "fix it")
    assert str(problem) == "kb.yaml:3:7: bad (fix it)"
    assert problem.as_dict() == {
        "severity": "error", "path": "kb.yaml", "line": 3, "column": 7, "entry": "x",
        "message": "bad", "hint": "fix it",
    }
    assert str(Problem("bad")) == "<knowledge base>: bad"


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path: Path, kb_path: Path) -> None:
    # 70 unclosed '[' inside a quoted claim trip the raw-text bracket count; the
    # pure-Python parse then shows the data is only four levels deep: it loads.
    text = kb_path.read_text(encoding="utf-8").replace(
        "claim: Sex work should be viewed as labor.", 'claim: "' + "[" * 70 + ' Sex work should be viewed as labor."'
    )
    kb = load(write_kb(tmp_path, text))
    argument = kb.get("sex-work-is-labor")
    assert argument is not None and argument.claim.startswith("[" * 70)


@pytest.mark.parametrize("anchored", [False, True], ids=["plain", "anchored"])
def test_too_many_values_is_refused_before_they_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, anchored: bool
) -> None:
    # A file of tiny values costs far more memory per byte than real entries: the
    # value cap bounds it, on the fast reader and (anchored: strict loader) alike.
    monkeypatch.setattr(schema, "MAX_VALUES", 100)
    head = "x: &a 1\n" if anchored else ""
    path = write_kb(tmp_path, head + "version: 1\nactors:\n" + "- {}\n" * 200)
    with pytest.raises(KnowledgeBaseError) as caught:
        load(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: more than 100 YAML values: too large for a knowledge base (split it into several knowledge bases)"
    ]


@pytest.mark.parametrize("argv", [["--kb", ""], ["--kb="]], ids=["space", "equals"])
def test_an_empty_kb_option_is_a_usage_error_not_the_bundled_kb(cli, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*argv, "list", "-f", "ids")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == ("policyx: --kb needs the path of a knowledge base file or folder;"
                             " it was given an empty one\n")


def test_an_empty_policyx_kb_counts_as_unset(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("list", "questions", "-f", "ids", env={"POLICYX_KB": ""})
    assert result.exit_code == 0 and "criminalizing-johns" in result.stdout.split()
