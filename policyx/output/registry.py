"""The one registry of output formats.

Every format policyx can write is one :class:`Format` here: read commands
(``list``, ``show``, ``compare``, ``search``) render a
:class:`~policyx.views.listing.Listing`, ``export`` renders the knowledge base
(or the part of it kept by ``--question``/``--tag``), and ``check`` renders its
report. Every list of formats (help, completion, the fast path's) and every
error about a format is derived from this table, so they cannot disagree.
A renderer is named as ``"module:function"`` and imported only when used, so
a format's dependencies (Rich above all) load only when that format is drawn.
"""

from __future__ import annotations

import importlib
from enum import Enum

from ..kb.errors import UsageError
from ..kb.suggestions import did_you_mean
from .cells import shown_as_is, terminal_json, terminal_text

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any


class FormatKind(str, Enum):
    """What a format renders, and so which command takes it."""

    LISTING = "listing"
    EXPORT = "export"
    CHECK = "check"
    MAP = "map"
    QUOTE = "quote"
    DIFF = "diff"
    INFO = "info"

    @property
    def commands(self) -> str:
        """The commands that take formats of this kind (for messages)."""
        return _COMMANDS[self]


_COMMANDS: dict[FormatKind, str] = {
    FormatKind.LISTING: "list, show, compare, search, stats and standing", FormatKind.EXPORT: "export",
    FormatKind.CHECK: "check", FormatKind.MAP: "map", FormatKind.QUOTE: "quote", FormatKind.DIFF: "diff",
    FormatKind.INFO: "info",
}
#: the kinds (their names as strings; kept for callers that list them)
KINDS: dict[str, str] = {kind.value: kind.commands for kind in FormatKind}


class Format:
    """One output format of one kind, and every fact about it: no other module decides
    anything about a format by its name."""

    __slots__ = ("name", "kind", "description", "renderer", "terminal", "stream", "extensions", "people",
                 "all_fields", "escape", "spreadsheet", "on_terminal", "in_pipe", "messages",
                 "loads_back", "standing", "page", "aliases", "notes", "document")

    def __init__(
        self, name: str, kind: FormatKind, description: str, renderer: str, *, terminal: bool = False,
        stream: str | None = None, extensions: tuple[str, ...] = (), people: bool = False,
        all_fields: bool = False, escape: str = "text", spreadsheet: str | None = None,
        on_terminal: bool = False, in_pipe: bool = False, messages: bool = False,
        loads_back: bool = False, standing: bool = False, page: bool = False, aliases: tuple[str, ...] = (),
        notes: str | None = None, document: bool = False,
    ) -> None:
        self.name = name
        self.kind = kind
        self.description = description
        #: ``"module:function"``, imported when the format is used
        self.renderer = renderer
        #: drawn for a terminal: takes its width and whether to use colour (needs Rich)
        self.terminal = terminal
        #: ``"module:function"`` yielding the text in pieces as it is made (long output starts at once;
        #: a format not drawn for a terminal is written so in a pipe too, never held whole)
        self.stream = stream
        #: the file names it is written to end so (``export -o``: what may be overwritten without --force)
        self.extensions = extensions
        #: text for people (where stdout cannot encode punctuation: ASCII look-alikes); the data
        #: formats keep their own escapes instead
        self.people = people
        #: carries every field of a record, quotes included (so shown quotes are warned about)
        self.all_fields = all_fields
        #: how text from the data is made safe on a terminal: "json" (JSON's own ``\u`` escapes,
        #: so it stays valid JSON) or "text" (visible escapes)
        self.escape = escape
        #: a table a spreadsheet opens ("csv" or "tsv"): ``--csv-safe`` defuses its formula cells
        self.spreadsheet = spreadsheet
        #: the default of its kind when stdout is a terminal / a pipe or a file
        self.on_terminal = on_terminal
        self.in_pipe = in_pipe
        #: messages for people on stderr rather than data on stdout (check's text report)
        self.messages = messages
        #: the knowledge base itself, which ``--kb`` reads back (its sources' files must travel with it)
        self.loads_back = loads_back
        #: can show each entry's derived standing beside it (``export --standing``)
        self.standing = standing
        #: a page to open in a browser, not text to read on a terminal (refused there unless ``-o -``)
        self.page = page
        #: other names it answers to, for its kind only (ALIASES holds those of every kind)
        self.aliases = aliases
        #: ``"module:function"`` saying what a user should know about a rendered text (too large for the
        #: program that draws it...): (text, what was rendered) -> notes
        self.notes = notes
        #: one document on stdout (JSON, SARIF): nothing else may be written there (check --fix's diff)
        self.document = document

    @property
    def machine(self) -> bool:
        """Text for programs: the same bytes on a terminal and in a pipe (no width, no colour)."""
        return not self.terminal

    def terminal_safe(self, text: str) -> str:
        """``text`` (rendered in this format) as shown on a terminal: control characters from
        the data as escapes; raw in a pipe or a file."""

        if shown_as_is(text):  # nothing to escape (nearly always): a search or two, not a scan as slow as five
            return text
        return terminal_json(text) if self.escape == "json" else terminal_text(text)

    def notes_about(self, text: str, *subject: Any) -> list[str]:
        """What to tell the user about ``text``, rendered in this format from ``subject``."""
        return [] if self.notes is None else list(load_function(self.notes)(text, *subject))

    def defused(self, text: str) -> str:
        """``text`` (rendered in this format) safe to open in a spreadsheet (``--csv-safe``): every
        cell a spreadsheet would run as a formula made text. Unchanged for other formats."""
        if self.spreadsheet is None:
            return text
        return str(load_function(f"{_E}.spreadsheet:defuse_formulas")(text, self.spreadsheet))


_L, _E = "policyx.output.data", "policyx.output"
_INFO = FormatKind.INFO
_LIST, _EXPORT, _MAP, _DIFF, _CHECK, _QUOTE = (FormatKind.LISTING, FormatKind.EXPORT, FormatKind.MAP,
                                               FormatKind.DIFF, FormatKind.CHECK, FormatKind.QUOTE)

FORMATS: tuple[Format, ...] = (
    Format("table", _LIST, "Rich table (default on a terminal)", "policyx.output.table:render_table",
           terminal=True, people=True, stream="policyx.output.table:stream_table", on_terminal=True),
    Format("plain", _LIST, "one record per line, tab-separated, no header (default in a pipe)",
           f"{_L}:render_plain", people=True, in_pipe=True),
    Format("json", _LIST, "a JSON array of objects", f"{_L}:render_json", all_fields=True, escape="json",
           stream=f"{_L}:stream_json"),
    Format("jsonl", _LIST, "one JSON object per line", f"{_L}:render_jsonl", all_fields=True, escape="json"),
    Format("csv", _LIST, "CSV with a header row", f"{_E}.spreadsheet:render_csv", all_fields=True,
           spreadsheet="csv"),
    Format("tsv", _LIST, "TSV with a header row", f"{_L}:render_tsv", all_fields=True, spreadsheet="tsv"),
    Format("yaml", _LIST, "a YAML list of mappings", f"{_L}:render_yaml", all_fields=True),
    Format("markdown", _LIST, "a Markdown table (for show: a nested list)", f"{_L}:render_markdown",
           people=True, all_fields=True),
    Format("ids", _LIST, "one id per line, for xargs", f"{_L}:render_ids", people=True),
    Format("markdown", _EXPORT, "a printable handout", f"{_E}.handout:render_handout",
           extensions=(".md", ".markdown"), people=True, standing=True),
    Format("html", _EXPORT, "a classroom page: one self-contained HTML file", f"{_E}.html:render_html",
           extensions=(".html", ".htm"), standing=True, page=True),
    Format("dot", _EXPORT, "a Graphviz diagram (dot -Tsvg)", f"{_E}.diagrams:render_dot", extensions=(".dot", ".gv"),
           standing=True),
    Format("mermaid", _EXPORT, "a Mermaid flowchart", f"{_E}.diagrams:render_mermaid",
           extensions=(".mmd", ".mermaid"), standing=True, notes=f"{_E}.diagrams:mermaid_notes"),
    Format("argdown", _EXPORT, "Argdown text (argdown.org)", f"{_E}.argdown:render_argdown",
           extensions=(".argdown", ".ad")),
    Format("aif", _EXPORT, "AIF JSON (AIFdb, OVA)", f"{_E}.aif:render_aif", extensions=(".json", ".aif"),
           escape="json"),
    Format("json", _EXPORT, "the knowledge base as JSON", f"{_E}.kbdump:render_json", extensions=(".json",),
           escape="json", loads_back=True),
    Format("yaml", _EXPORT, "the knowledge base as YAML (loads back with --kb)", f"{_E}.kbdump:render_yaml",
           extensions=(".yaml", ".yml"), loads_back=True),
    Format("csv", _EXPORT, "one CSV table, a 'kind' column first", f"{_E}.kbdump:render_csv",
           extensions=(".csv",), spreadsheet="csv"),
    Format("tree", _MAP, "a tree coloured by stance (default on a terminal)",
           f"{_E}.maptree:render_map_tree", terminal=True, people=True, on_terminal=True),
    Format("outline", _MAP, "an indented outline, one line per entry (default in a pipe)",
           f"{_E}.maptree:render_outline", people=True, in_pipe=True),
    Format("text", _DIFF, "the changes for people, coloured on a terminal (default on a terminal)",
           f"{_E}.diff:render_text", terminal=True, on_terminal=True),
    Format("plain", _DIFF, "one fact per line, tab-separated: change, kind, id, field, old, new (default in a pipe)",
           f"{_E}.diff:render_plain", in_pipe=True),
    Format("json", _DIFF, "every change as one JSON document, for tools", f"{_E}.diff:render_json", escape="json"),
    Format("markdown", _DIFF, "a list of the changes, for a pull request", f"{_E}.diff:render_markdown"),
    Format("text", _CHECK, "one line per problem on stderr, a summary last", f"{_E}.report:render_text",
           people=True, on_terminal=True, in_pipe=True, messages=True),
    Format("json", _CHECK, "the report as one JSON document on stdout (for CI)", f"{_E}.report:render_json",
           escape="json", document=True),
    Format("github", _CHECK, "GitHub Actions annotations on stdout (errors on the lines of a pull request)",
           f"{_E}.report:render_github", escape="json"),
    Format("sarif", _CHECK, "SARIF 2.1.0 on stdout (GitHub code scanning and other tools)",
           f"{_E}.report:render_sarif", escape="json", document=True),
    Format("text", _INFO, "for people (default)", f"{_E}.info:render_text", people=True, on_terminal=True,
           in_pipe=True, aliases=("plain",)),
    Format("json", _INFO, "one JSON document", f"{_E}.info:render_json", escape="json"),
    Format("plain", _QUOTE, "FILE:LINE:COL, similarity and text, tab-separated", f"{_E}.quote:render_plain",
           on_terminal=True, in_pipe=True),
    Format("yaml", _QUOTE, "quote: and source: to paste, under a comment saying where",
           f"{_E}.quote:render_yaml"),
    Format("json", _QUOTE, "a JSON array of objects", f"{_E}.quote:render_json", escape="json"),
)

#: other spellings users type (any case is accepted too)
ALIASES: dict[str, str] = {"md": "markdown", "yml": "yaml", "txt": "text", "gv": "dot", "graphviz": "dot"}


def formats(kind: FormatKind) -> dict[str, Format]:
    """The formats of ``kind``, by name, in the order help lists them."""
    return {f.name: f for f in FORMATS if f.kind == kind}


def format_names(kind: FormatKind) -> list[str]:
    return [f.name for f in FORMATS if f.kind == kind]


def known_format(name: str, kind: FormatKind) -> Format | None:
    """The format ``name`` (any case, or an alias) of ``kind``, or None."""
    name = name.lower()
    found = formats(kind).get(ALIASES.get(name, name))
    return found or next((f for f in FORMATS if f.kind == kind and name in f.aliases), None)


def default_format(kind: FormatKind, terminal: bool) -> Format:
    """The format of ``kind`` used when none is given, on a terminal or in a pipe."""
    return next(f for f in FORMATS if f.kind == kind and (f.on_terminal if terminal else f.in_pipe))


def find_format(name: str | None, kind: FormatKind, *, terminal: bool = False) -> Format:
    """The format ``name`` (any case, or an alias) of ``kind``, or its default when ``name`` is
    None (``terminal``: stdout is one); a usage error naming the choices (and the closest
    one) otherwise."""
    if name is None:
        return default_format(kind, terminal)
    chosen = known_format(name, kind)
    if chosen is not None:
        return chosen
    known = formats(kind)

    hint = did_you_mean(name, known)
    raise UsageError(
        f"--format: {name!r} is not a format of {FormatKind(kind).commands}{f' ({hint})' if hint else ''};"
        f" choose from {', '.join(known)}"
    )


def load_function(path: str) -> Any:
    """The function a registry names as ``"module:function"``, imported only now."""

    module_name, function = path.split(":")
    return getattr(importlib.import_module(module_name), function)


def render(
    fmt: Format | str, subject: Any, *more: Any, kind: FormatKind = FormatKind.LISTING, width: int | None = None,
    color: bool = False,
) -> str:
    """``subject`` in the format ``fmt`` (a Format, or the name of one of ``kind``): a read
    command's Listing, the map (DebateMap), a diff (KbDiff), check's Report, quote's passages,
    or for export the knowledge base and the ids kept (``more``). ``width`` and ``color``
    matter only to the formats drawn for a terminal."""
    chosen = fmt if isinstance(fmt, Format) else find_format(fmt, kind)
    function = load_function(chosen.renderer)
    if chosen.terminal:
        return str(function(subject, *more, width=width, color=color))
    return str(function(subject, *more))


def render_chunks(fmt: Format | str, subject: Any, *, width: int | None = None, color: bool = False) -> Iterator[str]:
    """The text of :func:`render`, in pieces as they are made (for a terminal or a pager)."""
    chosen = fmt if isinstance(fmt, Format) else find_format(fmt, FormatKind.LISTING)
    if chosen.stream is not None:
        yield from load_function(chosen.stream)(subject, width=width, color=color)
    else:
        yield render(chosen, subject, width=width, color=color)


#: the export formats that can show each entry's derived standing (``export --standing``)
WITH_STANDING = tuple(f.name for f in FORMATS if f.standing)
