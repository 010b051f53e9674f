"""The comment lint: a plain text value that YAML cut short at ' #'."""

from __future__ import annotations

import bisect
import itertools
import re

from . import schema
from .errors import Problem
from .locating import ENTRY_START
from .model import KnowledgeBase
from .readerrors import line_col

# --------------------------------------------------------------------------
# Text that YAML reads as a comment


#: `claim: Fix #1 first` is read by YAML as `claim: Fix` plus a comment: a plain (unquoted)
#: text value ends at the first ' #'. Found on the raw lines, as comments never reach the data.
_COMMENT_CUT = (
    r"(?m)^[ ]*(?:-[ ]+)?(quote|claim|text|note|title|name|summary|description|author|event):[ \t]+"
    # one space, then '#' and a word ("the #1 priority", "#MeToo"): a comment written on
    # purpose ("text  # why") usually has two spaces before and one after the '#'
    r"[^\s\"'|>&!*\[\]{}#%@`,?:-][^\n]*?[^ \t][ ](#)(?=[^\s#])"
)


def comment_cut_problems(kb: KnowledgeBase, text: str) -> list[Problem]:
    """Warnings for text fields that a ' #' cut short (see _COMMENT_CUT), at most
    schema.MAX_PROBLEMS. The entry is the nearest '- id:' above: one pass over the text,
    however large the file."""
    starts: list[tuple[int, str]] = [(m.start(), m.group(1)) for m in re.finditer(ENTRY_START, text)]
    problems = []
    for match in itertools.islice(re.finditer(_COMMENT_CUT, text), schema.MAX_PROBLEMS):
        line, column = line_col(text, match.start(2))
        at = bisect.bisect_right(starts, (match.start(), "\U0010ffff")) - 1
        entry = starts[at][1] if at >= 0 else None
        found = kb.get(entry) if entry else None
        label = f"{type(found).__name__.lower().replace('legal', '')} {entry!r}: " if found is not None else ""
        problems.append(Problem(
            f"{label}'{match.group(1)}' ends before ' #': YAML reads the rest of the line as a comment",
            kb.path, line, column, entry if found is not None else None,
            "put the whole text in quotes (\"...\") to keep the '#'", severity="warning", field=match.group(1),
        ))
    return problems


