"""Text from a knowledge base is data: make it safe to show on a terminal.

Rich strips only some control codes and passes ESC through, so data could
move the cursor, retitle the window or hide text. Every renderer that writes
to a terminal (table, tree, plain) passes data through :func:`terminal_text`;
data formats (json, csv, yaml...) keep the text unchanged.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional
# overrides/isolates that can reorder what a reader sees (Trojan Source).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    return f"\\u{ord(char):04x}" if ord(char) > 0xFF else f"\\x{ord(char):02x}"


def terminal_text(text: str) -> str:
    """``text`` with every control or direction-override character shown as an escape."""
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """Terminal-safe and on one line (tabs and newlines become spaces)."""
    return " ".join(terminal_text(text).split())


def terminal_json(text: str) -> str:
    """JSON text with the same characters as JSON ``\\uXXXX`` escapes: still valid
    JSON that loads to the same data, and safe to show on a terminal."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)
