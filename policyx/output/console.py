"""The Rich console every terminal renderer draws into, and what it drew.

The table, tree, map and diff renderers all draw through :func:`console_for` and
read the result with :func:`drawn`; this module imports nothing of Rich but its
console, so that the map (a tree) does not load the table machinery.
"""

from __future__ import annotations

import io
import sys

from rich.console import Console


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
