"""Renderers, chosen from one registry keyed by format name.

Every read command produces a :class:`Listing` (records of one shape plus the
columns a table shows) and asks :func:`render` for text in the chosen format.
Data formats live in :mod:`policyx.output.data` and never import Rich; the
Rich table lives in :mod:`policyx.output.table` and is imported only when a
table is drawn.
"""

from __future__ import annotations

from collections.abc import Callable

from ..views.listing import Listing

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

Renderer = Callable[[Listing], str]

#: format name -> (one-line description, import path "module:function")
FORMATS: dict[str, tuple[str, str]] = {
    "table": ("Rich table (default on a terminal)", "policyx.output.table:render_table"),
    "plain": ("one record per line, tab-separated, no header (default in a pipe)", "policyx.output.data:render_plain"),
    "json": ("a JSON array of objects", "policyx.output.data:render_json"),
    "jsonl": ("one JSON object per line", "policyx.output.data:render_jsonl"),
    "csv": ("CSV with a header row", "policyx.output.data:render_csv"),
    "tsv": ("TSV with a header row", "policyx.output.data:render_tsv"),
    "yaml": ("a YAML list of mappings", "policyx.output.data:render_yaml"),
    "markdown": ("a Markdown table (for show: a nested list)", "policyx.output.data:render_markdown"),
    "ids": ("one id per line, for xargs", "policyx.output.data:render_ids"),
}


def load_function(path: str) -> Any:
    """The function a registry names as ``"module:function"``, imported only now
    (so a format's dependencies, Rich above all, load only when it is used)."""
    import importlib

    module_name, function = path.split(":")
    return getattr(importlib.import_module(module_name), function)


def renderer(name: str) -> Renderer:
    """Import and return the renderer registered as ``name``."""
    result: Renderer = load_function(FORMATS[name][1])
    return result


#: formats drawn for a terminal: they take the width and whether to use colour
TERMINAL_FORMATS = frozenset({"table"})


def render(name: str, listing: Listing, *, width: int | None = None, color: bool = False) -> str:
    """Text of ``listing`` in format ``name``; ``width`` and ``color`` matter only to tables."""
    function = renderer(name)
    if name in TERMINAL_FORMATS:
        return function(listing, width=width, color=color)  # type: ignore[call-arg]
    return function(listing)
