"""The source index: foldings that map back to the source's exact text, and bounded work."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from policyx.kb.check import check, normalize_quote
from policyx.kb.load import load_text
from policyx.kb.sourceindex import SourceIndex, fold_loose, fold_strict, longest_prefix, loose_words

PIECES = ["a", "b", "word", " ", "  ", "\n", "\r\n", "\t", "\u201c", "\u2019", "\u2014", "colour", "organised",
          "travelled", "Centre", "İ", ".", ","]


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_strict_folding_is_normalize_quote_and_maps_back(text: str) -> None:
    folding = fold_strict(text)
    assert folding.text == normalize_quote(text)
    straight = text.translate(str.maketrans({"\u201c": '"', "\u2019": "'"}))
    for offset, char in enumerate(folding.text):
        if char != " ":
            assert straight[folding.to_source(offset)] == char


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_loose_folding_maps_every_word_back_to_its_source_word(text: str) -> None:
    index = SourceIndex(text)
    loose = fold_loose(index.strict)
    for offset in range(len(loose.text) + 1):
        assert 0 <= loose.to_source(offset) <= len(text)
    # a word the loose folding does not respell comes back as the same word, lower-cased
    for word in ("a", "b", "word"):
        at = loose.text.find(f" {word} ")
        if at >= 0:
            start = loose.to_source(at + 1)
            assert text[start:start + len(word)].lower() == word


def test_loose_words_fold_case_marks_dashes_and_british_spellings() -> None:
    assert loose_words("The Colour of ‘Labour’ — organised, travelled; the centre’s defence") == \
        'the color of "labor" - organized, traveled; the center"s defense'
    assert loose_words("the color of \"labor\" - organized") == loose_words("The colour of 'labour' — organised")


def test_find_returns_the_source_s_own_text_and_line_and_column() -> None:
    text = "Title\n\nOne teacher argued that “uniforms\n   reduce bullying” here.\n"
    index = SourceIndex(text)
    span = index.find('uniforms reduce bullying"')
    assert span is not None
    assert text[span.start:span.end] == "uniforms\n   reduce bullying”"
    assert index.position(span.start) == (3, 26)
    assert index.find("uniforms increase bullying") is None
    assert index.contains("argued that \"uniforms reduce")


def test_longest_prefix_reads_the_text_once_however_long_the_quote() -> None:
    text = "the council met. " * 20_000 + "the council decided nothing at all."
    quote = "the council decided something else entirely"
    length, at, scanned = longest_prefix(quote, text)
    assert text[at:at + length] == "the council decided "
    assert length == len("the council decided ")
    # one pass over the text plus a few characters per place the match grew: the binary
    # search this replaces read the text once for each of ~log2(len(quote)) tries
    assert scanned <= len(text) + len(quote) * len(quote)


def test_check_reads_each_source_once_and_each_quote_costs_one_pass(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("Words that are in the source. " * 40_000, encoding="utf-8")
    entries = "".join(
        f"  - id: a{i}\n    claim: C.\n    for: p\n    quote: Words that are not in the source {i}.\n"
        "    source: big\n" for i in range(60)
    )
    kb_text = ("version: 1\nsources:\n  - id: big\n    title: B\n    file: big.txt\n"
               "actors:\n  - id: x\n    name: X\nquestions:\n  - id: q\n    text: Q?\n"
               "positions:\n  - id: p\n    question: q\n    claim: P.\n    held_by: x\n    agreement: broad\n"
               f"arguments:\n{entries}")
    kb = load_text(kb_text, str(tmp_path / "kb.yaml"))
    indexes: list[SourceIndex] = []
    reads: list[str] = []

    def index(text: str) -> SourceIndex:
        indexes.append(SourceIndex(text))
        return indexes[-1]

    def source_text(source: object) -> str:
        reads.append("read")
        return (tmp_path / "big.txt").read_text(encoding="utf-8")

    problems = check(kb, source_text, index)
    assert sum("not verbatim" in p.message for p in problems) == 60
    assert len(reads) == 1 and len(indexes) == 1
    size = len(indexes[0].strict.text)
    assert indexes[0].scanned <= 60 * (size + 200)


def test_index_memory_is_a_small_multiple_of_the_source() -> None:
    text = "A sentence of the source, with “marks” and  spaces.\n" * 40_000  # 2 MB, not ASCII
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = SourceIndex(text)
        for i in range(20):
            index.longest_prefix(f"A sentence of the source, with nothing {i}")
        assert index.loose.text  # the loose folding too
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 6 * len(text.encode("utf-16-le"))  # the text itself is 2 bytes a character here
