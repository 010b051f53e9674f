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

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from ..kb.model import KnowledgeBase
    from ..views.listing import Listing

#: what renders a format: a read command's listing, the knowledge base, or check's report
KINDS: dict[str, str] = {
    "listing": "list, show, compare and search",
    "export": "export",
    "check": "check",
    "map": "map",
    "quote": "quote",
    "diff": "diff",
}


class Format:
    """One output format of one kind."""

    __slots__ = ("name", "kind", "description", "renderer", "terminal", "stream", "extensions")

    def __init__(
        self, name: str, kind: str, description: str, renderer: str, *, terminal: bool = False,
        stream: str | None = None, extensions: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.kind = kind
        self.description = description
        #: ``"module:function"``, imported when the format is used
        self.renderer = renderer
        #: drawn for a terminal: takes its width and whether to use colour (needs Rich)
        self.terminal = terminal
        #: ``"module:function"`` yielding the text in pieces as it is made (long output starts at once)
        self.stream = stream
        #: the file names it is written to end so (``export -o``: what may be overwritten without --force)
        self.extensions = extensions

    @property
    def machine(self) -> bool:
        """Text for programs: the same bytes on a terminal and in a pipe (no width, no colour)."""
        return not self.terminal


_L, _E = "policyx.output.data", "policyx.output"

FORMATS: tuple[Format, ...] = (
    Format("table", "listing", "Rich table (default on a terminal)", "policyx.output.table:render_table",
           terminal=True, stream="policyx.output.table:stream_table"),
    Format("plain", "listing", "one record per line, tab-separated, no header (default in a pipe)",
           f"{_L}:render_plain"),
    Format("json", "listing", "a JSON array of objects", f"{_L}:render_json"),
    Format("jsonl", "listing", "one JSON object per line", f"{_L}:render_jsonl"),
    Format("csv", "listing", "CSV with a header row", f"{_L}:render_csv"),
    Format("tsv", "listing", "TSV with a header row", f"{_L}:render_tsv"),
    Format("yaml", "listing", "a YAML list of mappings", f"{_L}:render_yaml"),
    Format("markdown", "listing", "a Markdown table (for show: a nested list)", f"{_L}:render_markdown"),
    Format("ids", "listing", "one id per line, for xargs", f"{_L}:render_ids"),
    Format("markdown", "export", "a printable handout", f"{_E}.handout:render_handout",
           extensions=(".md", ".markdown")),
    Format("html", "export", "a classroom page: one self-contained HTML file", f"{_E}.html:render_html",
           extensions=(".html", ".htm")),
    Format("dot", "export", "a Graphviz diagram (dot -Tsvg)", f"{_E}.diagrams:render_dot", extensions=(".dot", ".gv")),
    Format("mermaid", "export", "a Mermaid flowchart", f"{_E}.diagrams:render_mermaid",
           extensions=(".mmd", ".mermaid")),
    Format("argdown", "export", "Argdown text (argdown.org)", f"{_E}.argdown:render_argdown",
           extensions=(".argdown", ".ad")),
    Format("aif", "export", "AIF JSON (AIFdb, OVA)", f"{_E}.aif:render_aif", extensions=(".json", ".aif")),
    Format("json", "export", "the knowledge base as JSON", f"{_E}.kbdump:render_json", extensions=(".json",)),
    Format("yaml", "export", "the knowledge base as YAML (loads back with --kb)", f"{_E}.kbdump:render_yaml",
           extensions=(".yaml", ".yml")),
    Format("csv", "export", "one CSV table, a 'kind' column first", f"{_E}.kbdump:render_csv",
           extensions=(".csv",)),
    Format("tree", "map", "a tree coloured by stance (default on a terminal)",
           f"{_E}.maptree:render_map_tree", terminal=True),
    Format("outline", "map", "an indented outline, one line per entry (default in a pipe)",
           f"{_E}.maptree:render_outline"),
    Format("text", "diff", "the changes for people, coloured on a terminal (default on a terminal)",
           f"{_E}.diff:render_text", terminal=True),
    Format("plain", "diff", "one fact per line, tab-separated: change, kind, id, field, old, new (default in a pipe)",
           f"{_E}.diff:render_plain"),
    Format("json", "diff", "every change as one JSON document, for tools", f"{_E}.diff:render_json"),
    Format("markdown", "diff", "a list of the changes, for a pull request", f"{_E}.diff:render_markdown"),
    Format("text", "check", "one line per problem on stderr, a summary last", f"{_E}.report:render_text"),
    Format("json", "check", "the report as one JSON document on stdout (for CI)", f"{_E}.report:render_json"),
    Format("github", "check", "GitHub Actions annotations on stdout (errors on the lines of a pull request)",
           f"{_E}.report:render_github"),
    Format("sarif", "check", "SARIF 2.1.0 on stdout (GitHub code scanning and other tools)",
           f"{_E}.report:render_sarif"),
    Format("plain", "quote", "FILE:LINE:COL, similarity and text, tab-separated", f"{_E}.quote:render_plain"),
    Format("yaml", "quote", "quote: and source: to paste, under a comment saying where",
           f"{_E}.quote:render_yaml"),
    Format("json", "quote", "a JSON array of objects", f"{_E}.quote:render_json"),
)

#: other spellings users type (any case is accepted too)
ALIASES: dict[str, str] = {"md": "markdown", "yml": "yaml", "txt": "text", "gv": "dot", "graphviz": "dot"}


def formats(kind: str) -> dict[str, Format]:
    """The formats of ``kind``, by name, in the order help lists them."""
    return {f.name: f for f in FORMATS if f.kind == kind}


def format_names(kind: str) -> list[str]:
    return [f.name for f in FORMATS if f.kind == kind]


def known_format(name: str, kind: str) -> Format | None:
    """The format ``name`` (any case, or an alias) of ``kind``, or None."""
    return formats(kind).get(ALIASES.get(name.lower(), name.lower()))


def find_format(name: str, kind: str) -> Format:
    """The format ``name`` (any case, or an alias) of ``kind``; a usage error naming the
    choices (and the closest one) otherwise."""
    chosen = known_format(name, kind)
    if chosen is not None:
        return chosen
    known = formats(kind)
    from ..kb.errors import UsageError
    from ..kb.problems import did_you_mean

    hint = did_you_mean(name, known)
    raise UsageError(
        f"--format: {name!r} is not a format of {KINDS[kind]}{f' ({hint})' if hint else ''};"
        f" choose from {', '.join(known)}"
    )


def load_function(path: str) -> Any:
    """The function a registry names as ``"module:function"``, imported only now."""
    import importlib

    module_name, function = path.split(":")
    return getattr(importlib.import_module(module_name), function)


def render(name: str, listing: Listing, *, width: int | None = None, color: bool = False) -> str:
    """Text of ``listing`` in the read format ``name``; ``width`` and ``color`` matter only to tables."""
    chosen = find_format(name, "listing")
    function = load_function(chosen.renderer)
    if chosen.terminal:
        return str(function(listing, width=width, color=color))
    return str(function(listing))


def render_chunks(name: str, listing: Listing, *, width: int | None = None, color: bool = False) -> Iterator[str]:
    """The text of :func:`render`, in pieces as they are made (for a terminal or a pager)."""
    chosen = find_format(name, "listing")
    if chosen.stream is not None:
        yield from load_function(chosen.stream)(listing, width=width, color=color)
    else:
        yield render(name, listing, width=width, color=color)


def render_map(name: str, debate: Any, *, width: int | None = None, color: bool = False) -> str:
    """The argument map (:class:`policyx.views.argmap.DebateMap`) as ``tree`` or ``outline``."""
    chosen = find_format(name, "map")
    function = load_function(chosen.renderer)
    if chosen.terminal:
        return str(function(debate, width=width, color=color))
    return str(function(debate))


def render_diff(name: str, diff: Any, *, width: int | None = None, color: bool = False) -> str:
    """The changes between two knowledge bases (:class:`policyx.views.diff.KbDiff`) in ``name``."""
    chosen = find_format(name, "diff")
    function = load_function(chosen.renderer)
    if chosen.terminal:
        return str(function(diff, width=width, color=color))
    return str(function(diff))


def render_report(name: str, report: Any) -> str:
    """``check``'s report (:class:`policyx.output.report.Report`) in ``name``."""
    return str(load_function(find_format(name, "check").renderer)(report))


def render_quotes(name: str, found: Any) -> str:
    """``quote``'s passages (:class:`policyx.kb.passages.SourcePassage`) in ``name``."""
    return str(load_function(find_format(name, "quote").renderer)(found))


#: the export formats that can show each entry's derived standing (``export --standing``)
WITH_STANDING = ("dot", "mermaid", "markdown", "html")


def export(name: str, kb: KnowledgeBase, keep: set[str] | None, standing: bool = False) -> str:
    """The knowledge base (or the entries in ``keep``) in the export format ``name``; with
    ``standing``, each entry's derived label too (the formats of WITH_STANDING)."""
    renderer = load_function(find_format(name, "export").renderer)
    return str(renderer(kb, keep, standing=True) if standing else renderer(kb, keep))
