"""Kialo's text export -> a knowledge base."""

from __future__ import annotations

import pytest

from policyx.importers.kialo import unescape
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.model import Stance
from tests.importing import by_claim, convert, imported, text_inputs

PHONES = "phones-in-school.txt"


def test_the_title_is_the_question_and_the_thesis_its_position() -> None:
    kb, _ = imported(PHONES)
    (question,) = kb.questions
    assert question.text == "Should schools ban smartphones during the school day?"
    (position,) = kb.positions
    assert position.claim == "Schools should ban smartphones during the school day."
    assert position.question == question.id and position.quote == position.claim
    assert kb.title == "Should schools ban smartphones during the school day?"


def test_pro_is_for_and_con_is_against_the_claim_one_number_up() -> None:
    kb, _ = imported(PHONES)
    (distract,) = by_claim(kb, "Phones distract pupils in lessons.")
    assert distract.stance is Stance.FOR and distract.target == kb.positions[0].id
    (confiscate,) = by_claim(kb, "Teachers can already confiscate a phone that is used in class.")
    assert (Stance.AGAINST, distract.id) in confiscate.relations  # type: ignore[union-attr]
    assert len(kb.arguments) == 9  # 9 claims; the link is a further target of the claim it names


def test_a_see_link_is_a_further_target_of_the_claim_it_names_never_a_new_claim() -> None:
    kb, result = imported(PHONES)
    assert not any("See" in a.claim for a in kb.arguments)
    (confiscate,) = by_claim(kb, "Teachers can already confiscate a phone that is used in class.")
    (rule,) = by_claim(kb, "A school rule can deal with phone use without a ban.")
    (distract,) = by_claim(kb, "Phones distract pupils in lessons.")
    assert set(confiscate.relations) == {(Stance.AGAINST, distract.id), (Stance.FOR, rule.id)}  # type: ignore[union-attr]
    assert confiscate.note is None
    assert "Kialo links ('-> See'): 1 read -> further targets of the claim they name (a reference, not a copy): 1" \
        in result.summary.lines()[-1]


def test_a_link_that_would_close_a_circle_of_supports_repeats_the_claim_with_a_note() -> None:
    text = "Discussion Title: T\n\n1. A.\n1.1. Pro: B.\n1.1.1. Pro: C.\n1.1.1.1. Pro: -> See 1.1.\n"
    kb, _ = convert(text_inputs("k.txt", text))
    first, link = by_claim(kb, "B.")
    assert link.note is not None and f"Kialo links claim 1.1. ('{first.id}') here as claim 1.1.1.1." in link.note


def test_escapes_are_undone_and_a_claim_may_run_over_lines() -> None:
    kb, result = imported(PHONES)
    (rules,) = by_claim(kb, "Rules short of a ban are hard to enforce (teachers say they spend lesson time "
                            "policing phones).")
    (evening,) = by_claim(kb, "Most cyberbullying happens in the evening, outside school and out of the "
                              "teachers' sight.")
    assert evening.quote == "Most cyberbullying happens in the evening,\noutside school and out of the teachers' sight."
    (text,) = result.sources.values()
    assert "1.4.2. Con: Rules short of a ban are hard to enforce (teachers say" in text and "\\(" not in text
    assert unescape(r"a \(b\) \*c\* \\ d") == r"a (b) *c* \ d"


def test_variations_discussion_name_missing_numbers_and_links() -> None:
    kb, result = imported("kialo-variations.txt")
    assert kb.questions[0].text == "Is a four-day week better?"
    assert kb.positions[0].claim == "A four-day working week is better for workers."
    assert result.summary.warnings == [
        "kialo-variations.txt:6: the link 1.2. names 1.9., which is not in the export; left out",
        "kialo-variations.txt:10: the link 1.3.2. names 1.3.1., which already answers 1.3. the same way; left out",
        "kialo-variations.txt:8: claim 1.5.1. answers 1.5., which is not in the export; left out",
    ]
    _, back = by_claim(kb, "A four-day working week is better for workers.")  # a link to the thesis itself
    assert back.stance is Stance.FOR


def test_what_answers_a_link_answers_the_claim_where_it_is_linked() -> None:
    text = ("Discussion Title: T\n\n1. A.\n1.1. Pro: B.\n1.2. Con: -> See 1.1.\n1.2.1. Con: C answers the link.\n"
            "1.3. Pro: -> See 1.4.\n1.4. Con: -> See 1.3.\n1.4.1. Pro: D waits on a circle.\n")
    kb, result = convert(text_inputs("k.txt", text))
    _, link = by_claim(kb, "B.")
    (answer,) = by_claim(kb, "C answers the link.")
    assert answer.target == link.id and link.stance is Stance.AGAINST
    assert result.summary.warnings == [
        "k.txt:7: claim 1.3. waits on links that name each other in a circle; left out",
        "k.txt:8: claim 1.4. waits on links that name each other in a circle; left out",
        "k.txt:9: claim 1.4.1. waits on links that name each other in a circle; left out",
    ]


def test_a_discussion_with_several_theses_asks_the_question_they_answer() -> None:
    kb, _ = imported("kialo-theses.txt")
    assert [p.claim for p in kb.positions] == ["Turn it into a market hall.", "Sell it to a developer for flats."]
    assert kb.questions[0].text == "What should the city do with the old station?"
    (listed,) = by_claim(kb, "The building is listed and cannot become flats.")
    assert set(listed.relations) == {  # type: ignore[union-attr]
        (Stance.AGAINST, kb.positions[1].id), (Stance.FOR, kb.positions[0].id)}


@pytest.mark.parametrize(("text", "message", "line"), [
    ("Discussion Title: Nothing here\n", "is an empty Kialo discussion", None),
    ("Discussion Title: T\n\n1. A\n1.1. Pro: B\n1.1. Con: C\n", "claim 1.1. is numbered twice (first on line 4)", 5),
    ("Discussion Title: T\nsome stray words\n1. A\n", "line 2 is neither the discussion's title nor a numbered claim",
     2),
    ("Discussion Title: T\n\n1.1. Pro: B\n", "claim 1.1. has no thesis above it", 3),
])
def test_exports_that_cannot_be_a_debate_are_errors_with_the_line(text: str, message: str, line: int | None) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        convert(text_inputs("k.txt", text))
    (problem,) = caught.value.problems
    assert message in problem.message and problem.line == line and problem.hint
