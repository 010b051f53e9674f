"""Rewriting text values in place: only the value's characters change, in the style it had."""

from __future__ import annotations

import pytest
import yaml

from policyx.kb.yamledit import EditedValue, EditError, ValueEdit, edit_values, edit_values_partly, format_scalar

DOC = """\
# a comment that must stay
items:
  - id: plain   # why
    quote: the old words here
  - id: single
    quote: 'it''s the old words'
  - {id: flow, quote: old flow words}
  - id: double
    quote: "the \\"old\\" words"   # trailing comment
  - id: folded
    quote: >
      the old words that were
      folded over two lines
    next: kept
  - id: literal
    quote: |-
      the old literal words

    next: kept
  - id: long-plain
    quote: the old words of a long plain value that
      goes on over a second line
"""


def edit(text: str, *edits: tuple[tuple[str | int, ...], str]) -> str:
    old = yaml.safe_load(text)
    made = []
    for path, new in edits:
        value = old
        for key in path:
            value = value[key]
        made.append(ValueEdit(path, value, new))
    return edit_values(text, made)[0]


@pytest.mark.parametrize(("index", "new", "expected"), [
    (0, "the new words", "    quote: the new words\n"),
    (0, "new: with a colon", "    quote: 'new: with a colon'\n"),  # plain cannot hold ': '
    (1, "it's new", "    quote: 'it''s new'\n"),
    (3, 'the "new" \\ words', '    quote: "the \\"new\\" \\\\ words"   # trailing comment\n'),
    (4, "the new words that are folded", "      the new words that are\n"),  # as wide as it was
    (5, "the new literal words", "      the new literal words\n"),
])
def test_each_style_is_kept_and_nothing_else_changes(index: int, new: str, expected: str) -> None:
    changed = edit(DOC, (("items", index, "quote"), new))
    assert yaml.safe_load(changed)["items"][index]["quote"].strip() == new
    old_lines, new_lines = DOC.splitlines(keepends=True), changed.splitlines(keepends=True)
    differing = [line for line in new_lines if line not in old_lines]
    assert expected in differing
    # every other line is there byte for byte, in order
    assert [line for line in new_lines if line not in differing] == \
        [line for line in old_lines if line in new_lines]


def test_flow_values_and_multi_line_values() -> None:
    changed = edit(DOC, (("items", 2, "quote"), "new, flow words"), (("items", 6, "quote"),
                   "the new words of a long plain value that now goes on over the second line"))
    data = yaml.safe_load(changed)
    assert data["items"][2]["quote"] == "new, flow words"
    assert "  - {id: flow, quote: 'new, flow words'}\n" in changed  # a comma needs quotes in [ ] / { }
    assert data["items"][6]["quote"] == "the new words of a long plain value that now goes on over the second line"
    assert "    quote: the new words of a long plain value that\n      now goes" in changed


def test_windows_line_endings_and_unicode_are_kept() -> None:
    text = "a:\r\n  quote: old “words”\r\n  b: 1\r\n"
    changed = edit(text, (("a", "quote"), "new “words” – here"))
    assert changed == "a:\r\n  quote: new “words” – here\r\n  b: 1\r\n"


def test_a_value_that_is_not_the_one_expected_is_refused() -> None:
    with pytest.raises(EditError):
        edit_values(DOC, [ValueEdit(("items", 0, "quote"), "other words", "new")])
    with pytest.raises(EditError):
        edit_values(DOC, [ValueEdit(("items", 9, "quote"), "x", "new")])


@pytest.mark.parametrize("value", ["plain words", "yes", "123", "a: b", "#x", "it's", "tab\there", "- x",
                                   "\x1b[31m", "quote \"marks\"", " lead", "trail "])
def test_format_scalar_reads_back_as_the_same_text(value: str) -> None:
    assert yaml.safe_load(f"k: {format_scalar(value)}\n") == {"k": value}


def test_an_anchor_or_a_tag_is_never_dropped() -> None:
    text = "a:\n  quote: &q old words\n  other: !!str x\n  b: old too\n"
    with pytest.raises(EditError, match="anchor or tag"):
        edit_values(text, [ValueEdit(("a", "quote"), "old words", "new words")])
    with pytest.raises(EditError, match="anchor or tag"):
        edit_values(text, [ValueEdit(("a", "other"), "x", "y")])
    changed, results = edit_values_partly(text, [ValueEdit(("a", "quote"), "old words", "new words"),
                                                 ValueEdit(("a", "b"), "old too", "new too")])
    assert changed == "a:\n  quote: &q old words\n  other: !!str x\n  b: new too\n"
    assert isinstance(results[0], EditError) and isinstance(results[1], EditedValue)


def test_tabs_where_yaml_separates_do_not_stop_the_edits() -> None:
    text = "a:\n  quote:\told words\t\n  b:\tx\n  c: keep\tthis\n"
    changed = edit_values(text, [ValueEdit(("a", "quote"), "old words", "new words"), ValueEdit(("a", "b"), "x", "y")])
    assert changed[0] == "a:\n  quote:\tnew words\t\n  b:\ty\n  c: keep\tthis\n"
    assert yaml.load(changed[0], Loader=yaml.CSafeLoader)["a"] == {"quote": "new words", "b": "y", "c": "keep\tthis"}


def test_one_value_that_cannot_be_rewritten_leaves_the_others_to_be() -> None:
    text = 'a:\n  q1: "changed meanwhile"\n  q2: old\n'
    changed, results = edit_values_partly(text, [ValueEdit(("a", "q1"), "tab\tinside", "new"),
                                                 ValueEdit(("a", "q2"), "old", "new")])
    assert changed == 'a:\n  q1: "changed meanwhile"\n  q2: new\n'
    assert isinstance(results[0], EditError) and isinstance(results[1], EditedValue)


FLOW = """\
questions:
  - {id: u, text: Should pupils wear uniforms?}
  - {id: v, text: What is it for?, tags: [why?, 'a: b', "c # d", it's]}
positions:
  - {id: p, quote: the old words, note: a#b}   # a comment
  - [x?, {k: old?}]
"""


def test_flow_collections_that_libyaml_reads_can_be_edited() -> None:
    """libyaml (what check reads with) takes a ``?`` just before ``}`` or ``]``; PyYAML's pure parser does not."""
    changed, results = edit_values_partly(FLOW, [ValueEdit(("positions", 0, "quote"), "the old words", "new words"),
                                                 ValueEdit(("positions", 1, 1, "k"), "old?", "new?"),
                                                 ValueEdit(("questions", 0, "text"), "Should pupils wear uniforms?",
                                                           "Must pupils wear uniforms?")])
    assert all(isinstance(r, EditedValue) for r in results), results
    assert changed == FLOW.replace("quote: the old words,", "quote: new words,").replace("{k: old?}", "{k: 'new?'}") \
        .replace("text: Should pupils wear uniforms?}", "text: 'Must pupils wear uniforms?'}")
    data = yaml.load(changed, Loader=yaml.CSafeLoader)
    assert data["questions"][1] == {"id": "v", "text": "What is it for?", "tags": ["why?", "a: b", "c # d", "it's"]}
    assert data["positions"] == [{"id": "p", "quote": "new words", "note": "a#b"}, ["x?", {"k": "new?"}]]


def test_a_byte_order_mark_and_a_tab_inside_quotes_are_kept() -> None:
    text = '\ufeffa:\r\n  q1: "tab\tinside"\r\n  q2: {x: old?}\r\n'
    changed, results = edit_values_partly(text, [ValueEdit(("a", "q1"), "tab\tinside", "new\twords"),
                                                 ValueEdit(("a", "q2", "x"), "old?", "new")])
    assert changed == '\ufeffa:\r\n  q1: "new\\twords"\r\n  q2: {x: new}\r\n'
    assert all(isinstance(r, EditedValue) for r in results)


def test_brackets_inside_quotes_do_not_send_the_edit_to_the_pure_parser() -> None:
    text = f"a:\n  note: '{'[' * 80}'\n  q: {{x: old?}}\n"
    changed, results = edit_values_partly(text, [ValueEdit(("a", "q", "x"), "old?", "new")])
    assert changed == text.replace("{x: old?}", "{x: new}") and isinstance(results[0], EditedValue)


@pytest.mark.parametrize(("depth", "message"), [(900, "nest deeper than"), (5000, "not valid YAML")])
def test_collections_nested_too_deep_are_refused_not_crashed_on(depth: int, message: str) -> None:
    text = "a: " + "[" * depth + "]" * depth + "\nb: old\n"
    with pytest.raises(EditError, match=message):
        edit_values(text, [ValueEdit(("b",), "old", "new")])
