"""A YAML error worded for the line a user must change: a key without its ':' (a rule of
:mod:`policyx.kb.yamlerrors`' list, in a module of its own)."""

from __future__ import annotations

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
