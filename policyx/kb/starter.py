"""The starter knowledge base that ``policyx init`` writes for some source texts.

What it holds is only what the sources say or what the writer is asked for:
``version``, a ``title`` (the first source's first line), one ``sources``
entry per text (its first line as the title, its path relative to the new
file), and, commented out, one example of each collection. The examples'
quotes are real sentences of the first source, copied verbatim (checked
against the source's index before they are written); every other value of
an example is a ``<placeholder>`` saying what to write, never a claim made up
for the writer. ``policyx check`` accepts the file as written, and with the
examples uncommented too.

No I/O and no printing: the caller passes the sources' texts.
"""

from __future__ import annotations

import re

from .hints import command, option
from .passages import sentences
from .sourceindex import SourceIndex
from .struct import dataclass
from .yamledit import format_scalar

#: a sentence worth quoting as an example: long enough to mean something, short enough to read
_SHORTEST, _LONGEST = 25, 240
_NOT_ID = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class StarterSource:
    """A source text to start from: the path to write in 'file' and its text."""

    file: str
    text: str
    stem: str


def source_id(stem: str, taken: set[str]) -> str:
    """A kebab-case id from a file name's stem, not one of ``taken``."""
    base = _NOT_ID.sub("-", stem.lower()).strip("-") or "source"
    found, number = base, 2
    while found in taken:
        found, number = f"{base}-{number}", number + 1
    return found


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return " ".join(line.split())
    return None


def example_quotes(text: str, count: int = 3) -> list[str]:
    """Up to ``count`` sentences of ``text`` fit to quote, in source order, each verbatim
    (whitespace runs as one space), skipping the title line."""
    index = SourceIndex(text)
    title = first_line(text)
    found: list[str] = []
    for start, end in sentences(text):
        sentence = " ".join(text[start:end].split())
        if sentence == title or not _SHORTEST <= len(sentence) <= _LONGEST or "\n\n" in text[start:end]:
            continue
        if sentence not in found and index.contains(sentence):
            found.append(sentence)
        if len(found) == count:
            break
    return found


def _one_line(text: str) -> str:
    """``text`` with no line break, to stay inside a YAML comment."""
    return " ".join(text.split())


def starter_kb(sources: list[StarterSource], made_by: str = "policyx init", name: str = "FILE") -> str:
    """The text of a starter knowledge base for ``sources`` (at least one), to be written as
    ``name`` (its comments say how to check it from its folder)."""
    ids: list[str] = []
    for source in sources:
        ids.append(source_id(source.stem, set(ids)))
    title = first_line(sources[0].text)
    names = ", ".join(source.file for source in sources)
    out = [
        f"# A knowledge base started by `{made_by}` from {names}.",
        f"# docs/schema.md describes every field. Run `{_one_line(command('check', name, options=False))}` after",
        "# each change: it verifies every quote against its source.",
        f"# `{_one_line(command(option('kb'), name, 'quote', 'WORDS', options=False))}` finds a source's exact words.",
        "",
        "version: 1",
    ]
    if title:
        out.append(f"title: {format_scalar(title)}")
    out += ["", "sources:"]
    for source, sid in zip(sources, ids, strict=True):
        out.append(f"  - id: {sid}")
        out.append(f"    title: {format_scalar(first_line(source.text) or source.stem)}")
        out.append(f"    file: {format_scalar(source.file)}")
    quotes = example_quotes(sources[0].text)
    out += ["", *_examples(ids[0], quotes)]
    return "\n".join(out) + "\n"


def _examples(sid: str, quotes: list[str]) -> list[str]:
    """One commented-out example of each collection, quoting ``quotes`` (real sentences)."""
    question_quote, position_quote, argument_quote = (quotes + [None, None, None])[:3]
    lines = [
        "# The examples below are commented out. To use one, remove the '# ' before its lines,",
        "# write your own words where a <placeholder> is, and keep each quote the source's exact",
        "# words. The quotes are sentences of the source, chosen only for being sentences: move",
        "# each to the entry it really supports.",
        "",
        "# actors:",
        "#   - id: a-speaker",
        "#     name: <who spoke, as the source names them>",
        "#     stands_for: one",
        "",
        "# questions:",
        "#   - id: a-question",
        "#     text: <the question debated, neutrally worded>",
    ]
    lines += _quoted(question_quote, sid)
    lines += [
        "",
        "# positions:",
        "#   - id: a-position",
        "#     question: a-question",
        "#     claim: <the position in one neutral sentence>",
        "#     held_by: a-speaker",
        "#     agreement: individual",
    ]
    lines += _quoted(position_quote, sid)
    lines += [
        "",
        "# arguments:",
        "#   - id: a-reason",
        "#     claim: <the reason in one neutral sentence>",
        "#     for: a-position",
        "#     by: a-speaker",
    ]
    lines += _quoted(argument_quote, sid)
    return lines


def _quoted(quote: str | None, sid: str) -> list[str]:
    if quote is None:  # the source has too few sentences to quote: no quote rather than a made-up one
        return []
    return [f"#     quote: {format_scalar(quote)}", f"#     source: {sid}"]
