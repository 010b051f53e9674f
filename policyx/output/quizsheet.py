"""A printable quiz: the questions as Markdown, then an answer key, for a class.

Knowledge-base text is escaped for Markdown (:func:`policyx.output.cells.markdown_text`),
so a claim or a quote cannot turn into a link, HTML or a heading.
"""

from __future__ import annotations

import re

from ..kb.hints import command
from ..views.quiz import QuizQuestion
from .cells import markdown_text, one_line


def render_quiz_sheet(title: str | None, questions: list[QuizQuestion], seed: int, question: str | None = None,
                      tag: str | None = None, part: str = "all") -> str:
    """The quiz as Markdown: a heading, how to print it again, the numbered questions with
    their options, and the answer key (each answer with the entry to read). ``part``:
    "all", "questions" (no key: it is printed apart) or "key" (the key alone)."""
    chosen = ["--count", str(len(questions)), "--seed", str(seed)]
    chosen += ["--question", question] if question is not None else []
    chosen += ["--tag", tag] if tag is not None else []
    again = command("quiz", "--print", *(["--no-key"] if part == "questions" else []), *chosen)
    key = command("quiz", "--key-only", *chosen)
    name = markdown_text(title or "the debate")
    if part == "key":
        out = [f"# Answer key: {name}", "", f"For the quiz {_code(command('quiz', '--print', '--no-key', *chosen))}"
               f" prints ({len(questions)} question{'s' if len(questions) != 1 else ''}).", ""]
        return "\n".join(out + _key(questions)) + "\n"
    where = f"The answer key is printed apart: {_code(key)}." if part == "questions" else \
        "The answer key is at the end."
    out = [
        f"# Quiz: {name}",
        "",
        f"{len(questions)} question{'s' if len(questions) != 1 else ''}; circle one answer each. "
        f"{where} ({_code(again)} prints this quiz again.)",
    ]
    for number, item in enumerate(questions, start=1):
        out += ["", f"## {number}. {markdown_text(item.prompt)}", ""]
        out += [f"> **{markdown_text(label)}:** {markdown_text(text)}  " for label, text in item.subject]
        out[-1] = out[-1].rstrip()
        out.append("")
        out += [f"{index}) {markdown_text(option)}" for index, option in enumerate(item.options, start=1)]
    if part == "all":
        out += ["", "---", "", "## Answer key", "", *_key(questions)]
    return "\n".join(out) + "\n"


def _key(questions: list[QuizQuestion]) -> list[str]:
    return [f"{number}. **{item.answer + 1})** {markdown_text(item.right)}"
            f" (read more: {_code(command('show', item.about))})" for number, item in enumerate(questions, start=1)]


def _code(text: str) -> str:
    """``text`` as a Markdown code span, verbatim: fenced by more backticks than it holds
    (nothing in a code span is escaped, so a backslash there would be printed)."""

    text = one_line(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    pad = " " if longest else ""  # a space keeps a backtick at either end apart from the fence
    return f"{'`' * (longest + 1)}{pad}{text}{pad}{'`' * (longest + 1)}"
