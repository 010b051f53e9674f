"""A YAML error worded for the line a user must change: a key without its ':' (a rule of
:mod:`policyx.kb.yamlerrors`' list, in a module of its own); a duplicate id's message naming the
line of the entry that has it first (for :mod:`policyx.kb.locating`)."""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def missing_colon(e: Any) -> tuple[str, str, Any] | None:
    """``claim Uniforms save money.`` then the next key: PyYAML points at the next line; the
    line that lacks the ':' is where the key began, and its first word the key. ``e``: a
    ``yamlerrors._MarkedError`` (not imported: yamlerrors imports this module)."""
    if "could not find expected ':'" not in e.problem or "simple key" not in e.context or e.opened is None:
        return None
    words = e.opened_line[e.opened.column:].split()
    if not words:
        return None
    key = words[0]
    if len(words) == 1:
        return f"'{key}' has no ':' after it", f"write '{key}: VALUE'", e.opened
    value = " ".join(words[1:])
    value = value if len(value) <= 40 else value[:39] + "…"
    return f"missing ':' after '{key}'", f"write '{key}: {value}'", e.opened


def other_line(root: Any, message: str, node_at: Any) -> str:
    """A duplicate id's message naming the line of the entry that has the id first (not its index)."""
    found = re.search(r"(duplicate id, already used by [a-z]+ )#([0-9]+)$", message)
    if found is None:
        return message
    kind = found.group(1).split()[-1]
    node = node_at(root, (f"{kind}s", int(found.group(2)) - 1))  # Kind.singular is its value less the s
    mark = getattr(node, "start_mark", None)
    if mark is None:
        return message
    return message[:found.start()] + f"{found.group(1)}on line {mark.line + 1}"
