"""Renderers, chosen from one registry keyed by format name.

Every read command produces a :class:`Listing` (records of one shape plus the
columns a table shows) and asks :func:`render` for text in the chosen format.
Data formats live in :mod:`policyx.render.data` and never import Rich; the
Rich table lives in :mod:`policyx.render.table` and is imported only when a
table is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Listing:
    """What a read command shows: records plus how a table should show them."""

    records: list[Record]
    #: columns a table or plain line shows, in order (all record keys when empty)
    columns: tuple[str, ...] = ()
    title: str | None = None
    #: extra, command-specific structure (e.g. compare); data formats include it
    meta: dict[str, Any] = field(default_factory=dict)


Renderer = Callable[[Listing], str]

#: format name -> (one-line description, import path "module:function")
FORMATS: dict[str, tuple[str, str]] = {
    "table": ("Rich table (default on a terminal)", "policyx.render.table:render_table"),
    "plain": ("one record per line, tab-separated, no header (default in a pipe)", "policyx.render.data:render_plain"),
    "json": ("a JSON array of objects", "policyx.render.data:render_json"),
    "jsonl": ("one JSON object per line", "policyx.render.data:render_jsonl"),
    "csv": ("CSV with a header row", "policyx.render.data:render_csv"),
    "tsv": ("TSV with a header row", "policyx.render.data:render_tsv"),
    "yaml": ("a YAML list of mappings", "policyx.render.data:render_yaml"),
    "markdown": ("a Markdown table", "policyx.render.data:render_markdown"),
    "ids": ("one id per line, for xargs", "policyx.render.data:render_ids"),
}


def renderer(name: str) -> Renderer:
    """Import and return the renderer registered as ``name``."""
    import importlib

    module_name, function = FORMATS[name][1].split(":")
    module = importlib.import_module(module_name)
    result: Renderer = getattr(module, function)
    return result


def render(name: str, listing: Listing) -> str:
    return renderer(name)(listing)
