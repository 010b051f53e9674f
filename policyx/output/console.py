"""The Rich console every terminal renderer draws into, and what it drew.

The table, tree, map and diff renderers all draw through :func:`console_for` and
read the result with :func:`drawn`, and put knowledge-base text into Rich as :func:`text`;
this module imports nothing of Rich but its console (and its Text, which the console
imports anyway), so that the map (a tree) does not load the table machinery.
"""

from __future__ import annotations

import io
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from .cells import cell_text, terminal_text

#: how an entry's id is drawn
ID_STYLE = "bold cyan"


def text(value: Any, style: str = "", sep: str = ", ") -> Text:
    """Knowledge-base data as a safe Rich Text (control characters shown as escapes).

    A word too long for its column is folded onto the next line, never cut
    off; id columns never need it (they are as wide as their longest id).
    """
    return Text(terminal_text(cell_text(value, sep)), style=style, overflow="fold")


class _Output(io.StringIO):
    """Where Rich draws: says the encoding of the real stdout, so that Rich draws boxes
    and tree guides in ASCII when the terminal is not UTF-8 (its ``safe_box``)."""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(sys.stdout, "encoding", None) or "utf-8"


def console_for(width: int | None, color: bool) -> Console:
    """A Rich console drawing into a string: ``color`` False gives no escape code at all
    (no colour, and no bold or dim either)."""
    return Console(
        file=_Output(),
        width=width or 80,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=False,
    )


def drawn(console: Console) -> str:
    """What ``console`` (from :func:`console_for`) has drawn, without trailing blanks
    (Rich pads every line to the full width; they only get in the way of copy and paste)."""
    file = console.file
    assert isinstance(file, io.StringIO)
    return "".join(line.rstrip() + "\n" for line in file.getvalue().splitlines())
