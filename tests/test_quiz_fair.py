"""The quiz cannot be gamed, and plays well at a terminal, from a script and on paper."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from policyx.kb.load import bundled_path, load
from policyx.kb.model import KnowledgeBase
from policyx.views.quiz import QuizQuestion, make_quiz
from tests.clirun import Outcome
from tests.terminal import Terminal

Cli = Callable[..., Outcome]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


@pytest.fixture(scope="module")
def large_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """A generated knowledge base with room for a single quiz of 200 questions."""
    spec = importlib.util.spec_from_file_location(
        "make_kb", Path(__file__).resolve().parent.parent / "benchmarks" / "make_kb.py")
    assert spec is not None and spec.loader is not None
    make_kb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_kb)
    return load(make_kb.write_kb(300, tmp_path_factory.mktemp("quiz") / "kb.yaml"))


def score_of(questions: list[QuizQuestion], number: int) -> int:
    """How many questions answering ``number`` (1-based) every time gets right."""
    return sum(q.answer == number - 1 for q in questions)


def chance(questions: list[QuizQuestion]) -> float:
    """What guessing scores on average: 1/options per question."""
    return sum(1 / len(q.options) for q in questions)


def test_no_fixed_answer_beats_chance_in_a_quiz_of_200_questions(large_kb: KnowledgeBase) -> None:
    questions = make_quiz(large_kb, 200, 1)
    assert len(questions) == 200
    expected = chance(questions)
    for number in range(1, 6):
        # the right answers are dealt evenly: always-N scores chance, give or take a question or two
        assert score_of(questions, number) <= expected + 2, (number, score_of(questions, number), expected)
    assert score_of(questions, 1) >= expected - 2  # and the first option is not avoided either


def test_no_fixed_answer_beats_chance_over_200_questions_of_classroom_quizzes(kb: KnowledgeBase) -> None:
    # 40 quizzes of 5 on the bundled debate, as a class would take them: the old quiz gave
    # "always 1" 77 of 200 where guessing gives 60 (for and empirical came first, and won)
    questions = [q for seed in range(40) for q in make_quiz(kb, 5, seed)]
    assert len(questions) == 200
    expected = chance(questions)
    spread = math.sqrt(sum((1 / len(q.options)) * (1 - 1 / len(q.options)) for q in questions))
    for number in range(1, 6):
        assert score_of(questions, number) <= expected + 2 * spread, (number, score_of(questions, number))


def test_always_for_or_always_empirical_does_not_pay(kb: KnowledgeBase) -> None:
    # the bundled debate has 18 arguments for and 5 against, 12 of 23 empirical: the right
    # answers take turns, so a student answering by the words does no better than chance
    questions = [q for seed in range(40) for q in make_quiz(kb, 5, seed)]
    stance = [q for q in questions if q.kind == "stance"]
    types = [q for q in questions if q.kind == "type"]
    assert len(stance) > 30 and len(types) > 30
    for_right = sum(q.right.startswith("for") for q in stance)
    empirical_right = sum(q.right == "empirical" for q in types)
    assert for_right <= len(stance) / 2 + 2 * math.sqrt(len(stance) / 4)
    assert empirical_right <= len(types) / 5 + 2 * math.sqrt(len(types) * 0.16)


def test_options_are_shuffled_reproducibly_from_the_seed(kb: KnowledgeBase) -> None:
    assert make_quiz(kb, 20, 5) == make_quiz(kb, 20, 5)
    positions = {q.options.index("empirical") for seed in range(40) for q in make_quiz(kb, 5, seed)
                 if q.kind == "type"}
    assert positions == {0, 1, 2, 3, 4}  # "empirical" is not always first


# --------------------------------------------------------------------------
# at a terminal, in a script, on paper


def test_ctrl_c_prints_the_score_so_far() -> None:
    terminal = Terminal(["quiz", "-n", "5", "-s", "7"])
    terminal.expect("answer> ")
    terminal.send("1\n")  # right (see tests/test_quiz.py: the answers of seed 7 are 1 3 2 2 5)
    terminal.expect("2/5. ")
    terminal.expect("answer> ")
    terminal.send("3")  # typed, not yet entered
    terminal.interrupt()
    code = terminal.finish()
    assert code == 130
    assert "\nscore: 1/1 (stopped)\n" in terminal.output
    assert "Traceback" not in terminal.output and "KeyboardInterrupt" not in terminal.output


def test_text_wraps_to_the_terminal() -> None:
    terminal = Terminal(["quiz", "-n", "2", "-s", "7"], {"COLUMNS": "40"})
    terminal.expect("answer> ")
    terminal.send("q\n")
    assert terminal.finish() == 0
    lines = terminal.output.splitlines()
    assert all(len(line) <= 40 for line in lines), [line for line in lines if len(line) > 40]
    argument = lines.index(next(line for line in lines if line.startswith("  argument: ")))
    assert lines[argument:argument + 4] == [
        "  argument: Criminalizing johns is an",
        "    effective way of dealing with the",
        "    problem because it no longer blames",
        "    the victim.",
    ]


def test_in_a_pipe_nothing_is_wrapped(cli: Cli) -> None:
    done = cli("quiz", "-n", "2", "-s", "7", input="q\n", env={"COLUMNS": "40"})
    assert ("  argument: Criminalizing johns is an effective way of dealing with the problem because it no longer"
            " blames the victim.\n") in done.stdout


def test_a_closed_stdin_and_a_huge_answer_are_no_traceback() -> None:
    closed = subprocess.run([sys.executable, "-m", "policyx", "quiz", "-n", "2", "-s", "7"],
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)
    assert (closed.returncode, closed.stderr) == (0, "")
    shell = subprocess.run(["bash", "-c", f"{sys.executable} -m policyx quiz -n 2 -s 7 <&-"],
                           capture_output=True, text=True, timeout=60, check=False)
    assert shell.returncode == 0 and "Traceback" not in shell.stderr, shell.stderr
    assert shell.stdout.endswith("answer> \n\nscore: 0/0 (stopped)\n")
    huge = subprocess.run([sys.executable, "-m", "policyx", "quiz", "-n", "1", "-s", "7"],
                          input="9" * 4301 + "\n", capture_output=True, text=True, timeout=60, check=False)
    assert huge.returncode == 0 and huge.stderr == ""
    assert "not an option; the answer is 1) normative" in huge.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["-n", "0"], "policyx: --count takes a whole number of 1 or more, not '0'\n"),
    (["-n", "abc"], "policyx: --count takes a whole number of 1 or more, not 'abc'\n"),
    (["-n", "9" * 4301], f"policyx: --count takes a whole number of 1 or more, not '{'9' * 37}...'\n"),
    (["-s", "x"], "policyx: --seed takes a whole number, not 'x'\n"),
])
def test_bad_numbers_are_said_in_words(cli: Cli, args: list[str], message: str) -> None:
    done = cli("quiz", *args, input="")
    assert (done.exit_code, done.stdout, done.stderr) == (2, "", message)


def test_print_writes_a_quiz_with_an_answer_key(cli: Cli, kb: KnowledgeBase) -> None:
    done = cli("quiz", "--print", "-n", "5", "-s", "7")
    assert done.exit_code == 0 and done.stderr == ""
    sheet = done.stdout
    assert sheet.startswith("# Quiz: Open Source Innovation Development session")
    assert "`policyx quiz --print --count 5 --seed 7` prints this quiz again" in sheet
    questions, key = sheet.split("## Answer key")
    assert [line for line in questions.splitlines() if line.startswith("## ")][0] == (
        "## 1. What type of claim is this? (types are an interpretation, for teaching)")
    quiz = make_quiz(kb, 5, 7)
    for number, item in enumerate(quiz, start=1):
        assert f"\n{number}. **{item.answer + 1})** " in key
        assert f"(read more: `policyx show {item.about}`)" in key
    assert "answer>" not in sheet and "score:" not in sheet
    # the same quiz played gives the same questions in the same order
    assert cli("quiz", "--print", "-n", "5", "-s", "7").stdout == sheet
