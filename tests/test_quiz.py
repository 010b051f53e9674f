"""`policyx quiz`: questions generated from a seed, answered from a script."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyx.kb.errors import UnknownIdError
from policyx.kb.load import bundled_path, load
from policyx.kb.model import Actor, Argument, KnowledgeBase, Position, Stance
from policyx.views.argmap import select
from policyx.views.quiz import KINDS, STANCE_OPTIONS, candidates, check_answer, make_quiz
from tests.clirun import run_cli as cli


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


def test_same_seed_same_quiz_other_seed_other_quiz(kb: KnowledgeBase) -> None:
    assert make_quiz(kb, 8, 42) == make_quiz(kb, 8, 42)
    assert make_quiz(kb, 8, 42) != make_quiz(kb, 8, 43)


def test_the_seed_fixes_the_questions(kb: KnowledgeBase) -> None:
    quiz = make_quiz(kb, 5, 7)
    assert [(q.kind, q.about, q.answer + 1) for q in quiz] == [
        ("type", "stops-blaming-victim", 1),
        ("who", "decriminalize-sex-work", 3),
        ("supports", "johns-help-escape", 2),
        ("stance", "exploitation-as-control", 2),
        ("type", "voluntary-entry-excluded", 5),
    ]


def test_every_kind_is_asked_and_answers_are_right(kb: KnowledgeBase) -> None:
    quiz = make_quiz(kb, 200, 1)
    assert len(quiz) == len(candidates(kb))  # capped at what the knowledge base allows
    assert {q.kind for q in quiz} == set(KINDS)
    for q in quiz:
        entry = kb.get(q.about)
        assert len(set(q.options)) == len(q.options) >= 2
        assert 0 <= q.answer < len(q.options)
        if q.kind == "stance":
            assert isinstance(entry, Argument)
            assert set(q.options) == set(STANCE_OPTIONS)
            assert q.right == STANCE_OPTIONS[0 if entry.stance is Stance.FOR else 1]
        elif q.kind == "who":
            assert isinstance(entry, Argument | Position) and entry.quote == q.subject[0][1]
            speaker = kb.get(entry.by if isinstance(entry, Argument) else entry.held_by[0])  # type: ignore[arg-type]
            assert isinstance(speaker, Actor) and q.right == speaker.name
        elif q.kind == "supports":
            assert isinstance(entry, Argument) and entry.stance is Stance.FOR
            target = kb.get(entry.target)
            assert isinstance(target, Position) and q.right == target.claim
            # the rival positions of the same question are offered first
            rivals = {p.claim for p in kb.positions if p.question == target.question} - {target.claim}
            assert rivals <= set(q.options)
        else:
            assert isinstance(entry, Argument) and entry.type is not None and q.right == entry.type.value


def test_first_questions_take_the_kinds_in_turn(kb: KnowledgeBase) -> None:
    for seed in range(5):
        assert {q.kind for q in make_quiz(kb, 4, seed)} == set(KINDS)


def test_question_filter_stays_on_topic(kb: KnowledgeBase) -> None:
    keep = select(kb, question="criminalizing-johns")
    quiz = make_quiz(kb, 50, 3, "criminalizing-johns")
    assert quiz and all(q.about in keep for q in quiz)
    with pytest.raises(UnknownIdError):
        make_quiz(kb, 5, 3, "no-such-question")


def test_check_answer() -> None:
    q = make_quiz(load(bundled_path()), 1, 7)[0]
    right = str(q.answer + 1)
    assert check_answer(q, right + "\n") is True
    assert check_answer(q, f" {right}) ") is True
    assert check_answer(q, "1" if right != "1" else "2") is False
    for bad in ("", "x", "0", "9", "-1", "²", "1.0"):
        assert check_answer(q, bad) is None, bad


def test_scripted_answers_give_the_exact_score() -> None:
    # seed 7: the right answers are 1 3 2 2 5 (see test_the_seed_fixes_the_questions)
    result = cli("quiz", "--count", "5", "--seed", "7", input="1\n3\n2\n1\n2\n")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.endswith("\nscore: 3/5\n")
    assert result.stdout.count("\nright\n") == 3
    assert "wrong; the answer is 2) for: it supports it\n  read more: policyx show exploitation-as-control\n" \
        in result.stdout
    assert "wrong; the answer is 5) definitional\n  read more: policyx show voluntary-entry-excluded\n" \
        in result.stdout
    # questions, options and feedback are all on stdout, in order
    assert result.stdout.startswith("quiz: 5 questions (seed 7); answer with a number, q to stop\n\n1/5. ")
    who = result.stdout.index("2/5. Whose view does this quote from the source give?")
    assert who < result.stdout.index("3/5. Which position")


def test_all_right() -> None:
    assert cli("quiz", "-n", "5", "-s", "7", input="1\n3\n2\n2\n5\n").stdout.endswith("score: 5/5\n")


def test_same_seed_same_output_byte_for_byte() -> None:
    first = cli("quiz", "-n", "6", "-s", "123", input="1\n1\n1\n1\n1\n1\n")
    second = cli("quiz", "-n", "6", "-s", "123", input="1\n1\n1\n1\n1\n1\n")
    assert first.stdout == second.stdout and first.stdout


def test_end_of_input_ends_early_with_the_score_so_far() -> None:
    result = cli("quiz", "-n", "5", "-s", "7", input="1\n3\n")
    assert result.exit_code == 0
    assert result.stdout.endswith("\nscore: 2/2 (stopped)\n")
    assert "3/5. " in result.stdout and "4/5. " not in result.stdout


def test_q_stops_and_nonsense_counts_as_wrong_in_a_script() -> None:
    for stop in ("q", "quit", "exit", "Q", " Quit "):
        assert cli("quiz", "-n", "5", "-s", "7", input=f"{stop}\n").stdout.endswith("score: 0/0 (stopped)\n"), stop
    result = cli("quiz", "-n", "2", "-s", "7", input="banana\n3\n")
    assert "not an option; the answer is 1) normative" in result.stdout
    assert result.stdout.endswith("score: 1/2\n")


def test_quiz_on_one_question_and_bad_options() -> None:
    result = cli("quiz", "-n", "3", "-s", "1", "-q", "criminalizing-johns", input="")
    assert result.exit_code == 0 and "quiz: 3 questions (seed 1)" in result.stdout
    assert cli("quiz", "-n", "0").exit_code == 2
    bad = cli("quiz", "-q", "nope", input="")
    assert bad.exit_code == 1 and "no question 'nope'" in bad.stderr and bad.stdout == ""


def test_without_a_seed_the_seed_is_shown_so_the_quiz_can_be_replayed() -> None:
    first = cli("quiz", "-n", "3", input="")
    seed = first.stdout.split("(seed ")[1].split(")")[0]
    again = cli("quiz", "-n", "3", "-s", seed, input="")
    assert again.stdout == first.stdout


def test_answers_that_are_not_utf8_are_not_options() -> None:
    result = cli("quiz", "-n", "2", "-s", "7", input=b"\xff\xfe\n1\n")
    assert result.exit_code == 0 and result.stderr == ""
    assert "answer> \ufffd\ufffd\nnot an option; the answer is 1) normative" in result.stdout
    assert result.stdout.endswith("score: 0/2\n")


def test_a_question_with_nothing_to_ask_is_named(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text(
        "version: 1\nactors:\n  - {id: a, name: A}\nquestions:\n  - {id: q, text: Q?}\n  - {id: r, text: R?}\n"
        "positions:\n  - {id: p, question: q, claim: P, held_by: [a], agreement: individual}\n",
        encoding="utf-8",
    )
    result = cli("--kb", str(kb), "quiz", "-q", "r", input="")
    assert result.exit_code == 1 and result.stdout == ""
    assert "question 'r' has no arguments or attributed quotes to ask about" in result.stderr
    assert "leave out --question" in result.stderr


def test_asking_for_more_questions_than_there_are_says_so() -> None:
    result = cli("quiz", "-n", "100", "-s", "1", "-q", "decriminalization-timing", input="")
    assert result.exit_code == 0
    assert result.stderr == "note: question 'decriminalization-timing' allows only 1 question, not 100\n"
    assert result.stdout.startswith("quiz: 1 question (seed 1)")
    assert cli("quiz", "-n", "3", "-s", "1", input="").stderr == ""


def test_no_item_whose_quote_names_its_answer(kb: KnowledgeBase) -> None:
    from policyx.views.quiz import names_answer

    # the quote names the speaker: asking whose view it gives asks nothing
    assert names_answer("The individual against the criminalization of “johns”",
                        "one individual (against criminalizing johns)")
    assert not names_answer("uniforms \"limit self-expression\"", "Uniforms should not be required.")
    for q in make_quiz(kb, 500, 3):
        if q.kind in ("who", "supports"):
            assert not names_answer(q.subject[0][1], q.right), q


def test_tag_and_a_separate_key_written_with_o(tmp_path: Path) -> None:
    sheet, key = tmp_path / "quiz.md", tmp_path / "key.md"
    done = cli("quiz", "--print", "--no-key", "-n", "3", "-s", "7", "--tag", "johns", "-o", str(sheet))
    assert done.exit_code == 0 and done.stdout == "" and f"wrote {sheet}" in done.stderr
    text = sheet.read_text(encoding="utf-8")
    assert "## Answer key" not in text and "`policyx quiz --key-only --count 3 --seed 7 --tag johns`" in text
    assert cli("quiz", "--key-only", "-n", "3", "-s", "7", "--tag", "johns", "-o", str(key)).exit_code == 0
    answers = key.read_text(encoding="utf-8")
    assert answers.startswith("# Answer key: ") and answers.count("(read more: ") == 3
    whole = cli("quiz", "--print", "-n", "3", "-s", "7", "--tag", "johns").stdout
    assert whole.split("## Answer key\n\n")[1] == answers.split("prints (3 questions).\n\n")[1]
    assert cli("quiz", "--no-key", "--key-only").exit_code == 2
    assert cli("quiz", "-o", str(tmp_path / "x.md")).exit_code == 2  # -o needs --print or --key-only
    nothing = cli("quiz", "--tag", "no-such-tag")
    assert nothing.exit_code != 0 and "Traceback" not in nothing.stderr
