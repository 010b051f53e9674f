"""A printable quiz: the questions as Markdown, then an answer key, for a class.

Knowledge-base text is escaped for Markdown (:func:`policyx.output.cells.markdown_text`),
so a claim or a quote cannot turn into a link, HTML or a heading.
"""

from __future__ import annotations

from ..kb.hints import command
from ..views.quiz import QuizQuestion
from .cells import markdown_text, one_line


def render_quiz_sheet(title: str | None, questions: list[QuizQuestion], seed: int, question: str | None = None) -> str:
    """The quiz as Markdown: a heading, how to print it again, the numbered questions
    with their options, and the answer key (each answer with the entry to read)."""
    again = ["quiz", "--print", "--count", str(len(questions)), "--seed", str(seed)]
    if question is not None:
        again += ["--question", question]
    out = [
        f"# Quiz: {markdown_text(title or 'the debate')}",
        "",
        f"{len(questions)} question{'s' if len(questions) != 1 else ''}; circle one answer each. "
        f"The answer key is at the end. ({_code(command(*again))}"
        " prints this quiz again.)",
    ]
    for number, item in enumerate(questions, start=1):
        out += ["", f"## {number}. {markdown_text(item.prompt)}", ""]
        out += [f"> **{markdown_text(label)}:** {markdown_text(text)}  " for label, text in item.subject]
        out[-1] = out[-1].rstrip()
        out.append("")
        out += [f"{index}) {markdown_text(option)}" for index, option in enumerate(item.options, start=1)]
    out += ["", "---", "", "## Answer key", ""]
    for number, item in enumerate(questions, start=1):
        out.append(f"{number}. **{item.answer + 1})** {markdown_text(item.right)} "
                   f"(read more: {_code(command('show', item.about))})")
    return "\n".join(out) + "\n"


def _code(text: str) -> str:
    """``text`` as a Markdown code span, verbatim: fenced by more backticks than it holds
    (nothing in a code span is escaped, so a backslash there would be printed)."""
    import re

    text = one_line(text)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    pad = " " if longest else ""  # a space keeps a backtick at either end apart from the fence
    return f"{'`' * (longest + 1)}{pad}{text}{pad}{'`' * (longest + 1)}"
