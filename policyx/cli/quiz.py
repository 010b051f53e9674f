"""`policyx quiz`: play a quiz at the terminal (or from a script), or print one for a class."""

from __future__ import annotations

import random
import sys
import textwrap
from typing import TYPE_CHECKING

import typer

from ..kb.errors import UsageError
from ..kb.hints import command
from ..kb.safewrite import write_bytes
from ..output.cells import one_line
from ..output.quizsheet import render_quiz_sheet
from ..views.quiz import check_answer, make_quiz
from .options import SUMMARIES
from .params import takes
from .quotes import warn_unverified
from .runtime import is_standard_output, is_terminal, say
from .runtime import write as write_out
from .session import Session, session_of

if TYPE_CHECKING:
    from ..views.quiz import QuizQuestion

app = typer.Typer()

def write(text: str) -> None:
    """Quiz text is for people: punctuation stdout cannot encode goes out as ASCII look-alikes."""
    write_out(text, lookalikes=True)


#: what stops a quiz early (any case)
STOP_WORDS = frozenset({"q", "quit", "exit"})


@app.command("quiz", short_help=SUMMARIES["quiz"])
@takes("quiz")
def quiz_command(
    ctx: typer.Context, count: int = 5, seed: int | None = None, question: str | None = None,
    tag: str | None = None, printable: bool = False, no_key: bool = False, key_only: bool = False,
    output: str | None = None,
) -> None:
    """Quiz yourself on the debate: for or against? whose view? which position? what type of claim?

    Answer each question with its option number; q, quit, exit, end of
    input or Ctrl-C stop early, with the score so far. When stdin is not a
    terminal, one answer is read per line, so a quiz can be scripted. A
    wrong answer names the entry to read (policyx show ID). Options are
    shuffled and the right answers spread evenly, so no fixed answer beats
    chance. --print writes the quiz as Markdown with an answer key at the
    end, to print for a class; --no-key leaves the key out, and --key-only
    prints the key alone (the same --seed gives the same quiz).

    Examples:

      policyx quiz

      policyx quiz --count 10 --seed 7 -q criminalizing-johns

      policyx quiz --print --no-key --count 10 --seed 7 -o quiz.md

      policyx quiz --key-only --count 10 --seed 7 -o key.md

      printf '1\\n2\\n' | policyx quiz -n 2 -s 7
    """
    if no_key and key_only:
        raise UsageError("--no-key leaves the key out and --key-only prints only the key: give one of them")
    if (no_key or output is not None) and not (printable or key_only):
        raise UsageError(f"{'--no-key' if no_key else '--output'} goes with --print (or --key-only): the quiz played"
                         " at the terminal is not written anywhere")
    session = session_of(ctx)
    kb = session.kb()
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10_000)
    questions = make_quiz(kb, count, seed, question, tag)
    if len(questions) < count:
        where = f"question {question!r}" if question is not None else "the knowledge base"
        say(f"note: {where} allows only {len(questions)} question{'s' if len(questions) != 1 else ''}, "
            f"not {count}")

    warn_unverified(kb, (q.about for q in questions if any(label == "quote" for label, _ in q.subject)))
    if printable or key_only:
        part = "key" if key_only else "questions" if no_key else "all"
        sheet = render_quiz_sheet(kb.title, questions, seed, question, tag=tag, part=part)
        if output is None or is_standard_output(output):
            write(sheet)
            return

        write_bytes(output, sheet.encode("utf-8"))
        say(f"wrote {output} ({'the answer key' if key_only else 'the quiz'}, seed {seed})")
        return
    play(session, questions, seed)


def play(session: Session, questions: list[QuizQuestion], seed: int) -> None:
    """Ask every question, read the answers, say the score (also after q or Ctrl-C)."""
    interactive = is_terminal(sys.stdin)
    width = session.width if session.terminal else None
    total = len(questions)
    write(wrapped(f"quiz: {total} question{'s' if total != 1 else ''} (seed {seed}); "
                  "answer with a number, q to stop", width))
    score = asked = 0
    try:
        for number, item in enumerate(questions, start=1):
            write("\n" + question_text(number, total, item, width))
            while True:
                write("answer> ")
                sys.stdout.flush()
                line = _read_line()
                if line is None or line.strip().lower() in STOP_WORDS:
                    if line is None:
                        write("\n")  # end of input: the prompt's line ends here
                    write(f"\nscore: {score}/{asked} (stopped)\n")  # as after Ctrl-C: not every question asked
                    return
                if not interactive:
                    write(_safe(line.strip()) + "\n")
                verdict = check_answer(item, line)
                if verdict is not None or not interactive:
                    break
                write(wrapped(f"please answer with a number from 1 to {len(item.options)} (q to stop)", width))
            asked += 1
            if verdict:
                score += 1
                write("right\n")
            else:
                prefix = "not an option; " if verdict is None else "wrong; "
                write(wrapped(f"{prefix}the answer is {item.answer + 1}) {_safe(item.right)}", width, 2))
                write(f"  read more: {show_command(item.about)}\n")
    except KeyboardInterrupt:
        # Ctrl-C: the line typed so far ends, the score so far is given, then the usual exit (130)
        write(f"\n\nscore: {score}/{asked} (stopped)\n")
        sys.stdout.flush()
        raise
    write(f"\nscore: {score}/{asked}\n")


def show_command(entry_id: str) -> str:
    return _safe(command("show", entry_id))


def _read_line() -> str | None:
    """One line of stdin, None at its end (or when there is no stdin: `policyx quiz <&-`);
    bytes that are not UTF-8 become U+FFFD instead of an exception."""
    stdin = sys.stdin
    if stdin is None:
        return None
    try:
        buffer = getattr(stdin, "buffer", None)
        raw: str | bytes = buffer.readline() if buffer is not None else stdin.readline()
    except (OSError, ValueError):  # a closed or unreadable descriptor: no more answers
        return None
    line = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return line or None


def _safe(text: str) -> str:
    return one_line(text)


def wrapped(text: str, width: int | None, indent: int = 0) -> str:
    """``text`` and a newline; on a terminal (``width`` given) wrapped to it, each further
    line indented by ``indent``, words never broken (ids and options stay whole)."""
    if width is None:
        return text + "\n"

    lines = textwrap.wrap(text, width=max(width, 20), subsequent_indent=" " * indent,
                          break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines or [""]) + "\n"


def question_text(number: int, total: int, item: QuizQuestion, width: int | None = None) -> str:
    """A question, its subject and its numbered options; wrapped to ``width`` (on a terminal)
    with each continuation indented under its own text, else one line each."""
    heading = f"{number}/{total}. "
    out = [wrapped(heading + _safe(item.prompt), width, len(heading))]
    for label, text in item.subject:
        out.append(wrapped(f"  {_safe(label)}: {_safe(text)}", width, 4))
    for index, option in enumerate(item.options, start=1):
        mark = f"  {index}) "
        out.append(wrapped(mark + _safe(option), width, len(mark)))
    return "".join(out)
