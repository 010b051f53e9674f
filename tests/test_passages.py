"""Finding a source's passages from approximate words, and deciding which quotes --fix may rewrite."""

from __future__ import annotations

from pathlib import Path

from policyx.kb.load import load_text
from policyx.kb.passages import PassageFinder, sentences
from policyx.kb.quotefix import decide, plan_fixes
from policyx.kb.sourceindex import SourceIndex

SIMILAR = (
    "Minutes of the debate.\n\n"
    "One teacher argued that uniforms reduce bullying about clothes, because everyone looks the same.\n"
    "A student replied that bullying simply moves to shoes, bags and phones.\n"
    "One parent argued that uniforms reduce spending on clothes, because they last all year.\n"
    "A teacher said that bullying about phones is rare, because phones stay in lockers.\n"
)


def finder(text: str) -> PassageFinder:
    return PassageFinder(SourceIndex(text))


def test_a_paraphrase_finds_the_right_sentence_among_similar_ones() -> None:
    found = finder(SIMILAR).find("uniforms cut down bullying over clothing")
    assert found[0].text == "uniforms reduce bullying about clothes"
    assert (found[0].line, found[0].column) == (3, 25)
    found = finder(SIMILAR).find("uniforms cut what parents spend on clothing")
    assert found[0].line == 5 and "spending on clothes" in found[0].text


def test_passages_are_the_source_s_exact_text_whatever_the_marks_and_spelling() -> None:
    text = "Intro.\nThey said that uniforms “limit self‑expression” and the colour of labour is grey.\n"
    best = finder(text).find('uniforms "limit self-expression" and the color of labor is gray')[0]
    assert best.text == "uniforms “limit self‑expression” and the colour of labour is grey"
    assert text[best.start:best.end] == best.text
    assert best.score == 100
    assert (best.line, best.column) == (2, 16)


def test_words_over_two_sentences_and_over_a_line_break() -> None:
    text = "First part.\nParents said uniforms save money.\nThe council did\nnot decide.\n"
    best = finder(text).find("uniforms save money. The council did not decide")[0]
    assert best.text == "uniforms save money.\nThe council did\nnot decide"


def test_nothing_close_is_nothing_found() -> None:
    assert finder(SIMILAR).find("quantum chromodynamics of neutron stars") == []
    assert finder("").find("anything") == []


def test_sentences_end_at_full_stops_and_blank_lines() -> None:
    text = 'A title\n\nHe said "no." Then: she left! Did she? Yes.'
    assert [text[a:b] for a, b in sentences(text)] == ["A title", 'He said "no."', "Then: she left!",
                                                      "Did she?", "Yes."]


def test_a_long_text_without_full_stops_is_cut_into_pieces() -> None:
    text = " ".join(f"word{i}" for i in range(3000)) + " the needle we want here " + "filler " * 500
    best = finder(text).find("the needle we want")[0]
    assert best.text == "the needle we want"


KB = """version: 1
sources:
  - id: minutes
    title: Minutes
    file: minutes.txt
actors:
  - id: x
    name: X
questions:
  - id: q
    text: Q?
positions:
  - id: p
    question: q
    claim: P.
    held_by: x
    agreement: broad
arguments:
"""


def argument(aid: str, quote: str) -> str:
    return f"  - id: {aid}\n    claim: C.\n    for: p\n    quote: {quote!r}\n    source: minutes\n"


def plan(tmp_path: Path, source: str, quotes: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    (tmp_path / "minutes.txt").write_text(source, encoding="utf-8")
    kb = load_text(KB + "".join(argument(k, v) for k, v in quotes.items()), str(tmp_path / "kb.yaml"))
    fixes, left = plan_fixes(kb, lambda s: (tmp_path / "minutes.txt").read_text(encoding="utf-8"))
    return [f"{f.entry}={f.new}" for f in fixes], {q.entry: q.reason for q in left}


def test_fixes_only_unambiguous_close_matches(tmp_path: Path) -> None:
    fixed, left = plan(tmp_path, SIMILAR, {
        "verbatim": "uniforms reduce bullying about clothes",
        "one-word": "A student replied that bullying just moves to shoes, bags and phones.",
        "british": "One parent argued that uniforms reduce spending on clothes, because they last all year",
        "far": "Homework should be banned on weekends.",
        "paraphrase": "uniforms cut down bullying over clothing",
    })
    assert fixed == ["one-word=A student replied that bullying simply moves to shoes, bags and phones."]
    assert left == {"far": "distant", "paraphrase": "distant"}


def test_a_quote_as_close_to_two_different_passages_is_ambiguous(tmp_path: Path) -> None:
    source = "The council met on Monday and agreed.\nThe council met on Friday and agreed.\n"
    fixed, left = plan(tmp_path, source, {"which": "The council met on Sunday and agreed."})
    assert fixed == [] and left == {"which": "ambiguous"}
    # the same words twice are one passage, not two candidates
    fixed, left = plan(tmp_path, "The council met and agreed.\nLater: The council met and agreed.\n",
                       {"same": "The council met and agred."})
    assert fixed == ["same=The council met and agreed."] and left == {}


def test_quote_marks_case_and_spelling_are_fixed_to_the_source_s_own(tmp_path: Path) -> None:
    source = "Most said that uniforms \u201climit self-expression\u201d and they organized a vote.\n"
    fixed, _ = plan(tmp_path, source, {"a": "uniforms \u2018limit self-expression\u2019 and they organised a vote"})
    assert fixed == ["a=uniforms \u201climit self-expression\u201d and they organized a vote"]


def test_decide_never_returns_text_that_is_not_in_the_source() -> None:
    words = finder(SIMILAR)
    for quote in ("uniforms reduce bulying", "bullying simply moves to shoe", "A teacher said that bulling"):
        decision = decide(words, quote)
        if not isinstance(decision, tuple):
            assert decision.text in SIMILAR


def test_a_fix_runs_from_the_source_word_facing_the_quote_s_first_to_its_last(tmp_path: Path) -> None:
    source = ("Society responds differently. Part of the horror of sex labor trafficking is that it involves "
              "sexual exploitation as a means of maintaining control. Also, many experiences differ.\n")
    fixed, _ = plan(tmp_path, source, {
        # a wrong first word: the most similar stretch would leave it out ('of the horror...')
        "first": "Most of the horror of sex labor trafficking is that it involves sexual exploitation",
        # a word left out in the middle, and a wrong last word
        "middle": "the horror of sex trafficking is that it involves sexual exploitation as a means of keeping",
        # a word too many at the start: not the end of the sentence before
        "extra": "Indeed Part of the horror of sex labor trafficking is that it involves sexual exploitation",
    })
    assert fixed == [
        "first=Part of the horror of sex labor trafficking is that it involves sexual exploitation",
        "middle=the horror of sex labor trafficking is that it involves sexual exploitation as a means of maintaining",
        "extra=Part of the horror of sex labor trafficking is that it involves sexual exploitation",
    ]
