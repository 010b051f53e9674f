"""`policyx diff`'s fallback for files that are no knowledge base: an ordinary unified diff of
their lines, as ``diff -u`` prints it, so that git's diff driver (docs/guide.md) works on every
file ``.gitattributes`` hands it (a ``.github/workflows/*.yaml``, a ``environment.yml``).

A file is no knowledge base when it is not UTF-8 text, or is YAML whose top level has none of a
knowledge base's keys (``version``, ``include``, a collection); YAML that does not parse counts as
one only with a ``version:`` line. A knowledge base with a mistake is not "another file": its
errors are reported, as before.
"""

from __future__ import annotations

import difflib
import os
import re

from ..kb.schema import MAX_FILE_BYTES
from ..output.cells import terminal_text

#: keys only a knowledge base (or a file it includes) has at its top level
KB_KEYS = frozenset({"version", "include", "sources", "actors", "models", "questions", "positions", "arguments"})


def read_plain(argument: str) -> bytes | None:
    """The bytes of a regular file (or b"" for /dev/null), None for anything else (a pipe is
    read once, by the knowledge base reader, and cannot be read again)."""
    if argument == os.devnull:
        return b""
    if not os.path.isfile(argument):
        return None
    try:
        with open(argument, "rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_FILE_BYTES else None


def is_knowledge_base(data: bytes) -> bool:
    """Whether ``data`` is (meant as) a knowledge base (see the module's docstring)."""
    import yaml  # lazy: PyYAML

    if b"\0" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    try:
        parsed = yaml.load(text, Loader=yaml.BaseLoader)  # strings only: no tag, date or number is built
    except yaml.YAMLError:
        return re.search(r"^version\s*:", text, re.M) is not None
    return isinstance(parsed, dict) and bool(KB_KEYS & {str(k) for k in parsed})


def unified(old: bytes, new: bytes, names: tuple[str, str]) -> str:
    """The unified diff of two files' lines (three lines of context), or the line diff prints
    for binary files; "" when they are the same."""
    if old == new:
        return ""
    try:
        a, b = old.decode("utf-8-sig"), new.decode("utf-8-sig")
    except UnicodeDecodeError:
        return f"Binary files {names[0]} and {names[1]} differ\n"
    if "\0" in a or "\0" in b:
        return f"Binary files {names[0]} and {names[1]} differ\n"
    lines = difflib.unified_diff(a.splitlines(keepends=True), b.splitlines(keepends=True), *names)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


#: git's colours for a unified diff (color.diff's defaults): the file names bold, hunk headers
#: cyan, removed lines red, added lines green
_COLOURS = (("--- ", "\x1b[1m"), ("+++ ", "\x1b[1m"), ("@@", "\x1b[36m"), ("-", "\x1b[31m"), ("+", "\x1b[32m"))


def for_terminal(text: str, color: bool) -> str:
    """A unified diff for a terminal or git's pager: its lines' control characters shown as escapes
    (they are a file's data), coloured as git colours its own diff when ``color``."""
    lines = terminal_text(text).splitlines(keepends=True)
    if not color:
        return "".join(lines)
    out = []
    for line in lines:
        style = next((code for start, code in _COLOURS if line.startswith(start)), "")
        body = line.rstrip("\n")
        out.append(f"{style}{body}\x1b[m{line[len(body):]}" if style else line)
    return "".join(out)
