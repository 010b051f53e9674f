"""``policyx diff``'s formats: a listing for people, plain lines, JSON and Markdown.

Every text from a knowledge base is data: on a terminal it goes through
:func:`~policyx.output.cells.one_line` (control characters as escapes) and into
Rich only as ``rich.text.Text``; in Markdown through the one escaper,
:func:`~policyx.output.cells.markdown_text`. Without colour, word changes are
marked ``[-removed-]{+added+}`` (as ``git diff --word-diff`` does), so they show
in any terminal; with colour, removed words are red and added ones green.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ..views.diff import REFERENCE_FIELDS, Change, EntryChange, FieldChange, KbDiff
from .cells import cell_text, markdown_text, one_line, terminal_text
from .data import tsv_cell

if TYPE_CHECKING:
    from rich.text import Text

#: how each change is marked, and its colour on a terminal
MARK: dict[Change, str] = {
    Change.ADDED: "+", Change.REMOVED: "-", Change.CHANGED: "~", Change.MOVED: ">", Change.RENAMED: "=",
}
STYLE: dict[Change, str] = {
    Change.ADDED: "green", Change.REMOVED: "red", Change.CHANGED: "yellow", Change.MOVED: "cyan",
    Change.RENAMED: "magenta",
}
#: what ``plain`` prints per line
PLAIN_COLUMNS: tuple[str, ...] = ("change", "kind", "id", "field", "old", "new")


def summary(diff: KbDiff) -> str:
    """``1 added, 2 changed``: how many entries of each change there is (always in this order)."""
    counts = diff.counts()
    parts = [f"{counts[c.value]} {c.value}" for c in Change if counts[c.value]]
    if diff.kb_fields:
        parts.append(f"the knowledge base's {', '.join(f.field for f in diff.kb_fields)} changed")
    return ", ".join(parts) if parts else "no changes"


def _value(value: Any) -> str:
    text = cell_text(value)
    return text if text else "(none)"


def _kind(entry: EntryChange) -> str:
    return entry.kind.singular


# --------------------------------------------------------------------------
# JSON: the whole structure, for tools


def diff_document(diff: KbDiff) -> dict[str, Any]:
    """The documented JSON structure of a diff."""

    def field(change: FieldChange) -> dict[str, Any]:
        item: dict[str, Any] = {"field": change.field, "old": change.old, "new": change.new}
        item["words"] = [{"op": op, "text": text} for op, text in change.words] if change.words else None
        return item

    return {
        "old": diff.old,
        "new": diff.new,
        "same": diff.same,
        "counts": diff.counts(),
        "kb": [field(f) for f in diff.kb_fields],
        "changes": [
            {"change": e.change.value, "kind": _kind(e), "id": e.id, "old_id": e.old_id, "text": e.text,
             "fields": [field(f) for f in e.fields], "record": e.record}
            for e in diff.changes
        ],
    }


def render_json(diff: KbDiff) -> str:
    return json.dumps(diff_document(diff), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------
# plain: one fact per line, tab-separated (change, kind, id, field, old, new)

def _cell(value: Any) -> str:
    return terminal_text(tsv_cell(value))


def plain_rows(diff: KbDiff) -> list[tuple[Any, ...]]:
    """The rows ``plain`` prints: an added or removed entry gives one (its main text as the
    new or old value), a renamed one a row for its id, then one row per changed field."""
    rows: list[tuple[Any, ...]] = [("changed", "kb", "", f.field, f.old, f.new) for f in diff.kb_fields]
    for entry in diff.changes:
        change, kind = entry.change.value, _kind(entry)
        if entry.change is Change.ADDED:
            rows.append((change, kind, entry.id, "", "", entry.text))
        elif entry.change is Change.REMOVED:
            rows.append((change, kind, entry.id, "", entry.text, ""))
        if entry.change is Change.RENAMED:
            rows.append((change, kind, entry.id, "id", entry.old_id, entry.id))
        rows.extend((change, kind, entry.id, f.field, f.old, f.new) for f in entry.fields)
    return rows


def render_plain(diff: KbDiff) -> str:
    return "".join("\t".join(_cell(v) for v in row) + "\n" for row in plain_rows(diff))


# --------------------------------------------------------------------------
# text: for people, on a terminal (coloured when the run says so)


def _spaced(text: str) -> str:
    """Terminal-safe text on one line, keeping a space where it starts or ends with one."""
    return _SPACES.sub(" ", terminal_text(text))


_SPACES = re.compile(r"\s+")


def _words_text(change: FieldChange, color: bool) -> Text:
    from rich.text import Text  # lazy: Rich

    out = Text()
    for op, piece in change.words:
        shown = _spaced(piece)
        if op == "=":
            out.append(shown)
        elif color:
            out.append(shown, style="red strike" if op == "-" else "green underline")
        else:
            out.append(f"[-{shown}-]" if op == "-" else f"{{+{shown}+}}")
    return out


def _field_text(change: FieldChange, color: bool) -> Text:
    from rich.text import Text  # lazy: Rich

    line = Text()
    line.append(change.field.replace("_", " "), style="bold" if color else "")
    line.append(": ")
    if change.words:
        line.append_text(_words_text(change, color))
        return line
    line.append(one_line(_value(change.old)), style="red" if color else "")
    line.append(" → ")
    line.append(one_line(_value(change.new)), style="green" if color else "")
    return line


def _entry_parts(entry: EntryChange, color: bool) -> list[Any]:
    from rich.padding import Padding  # lazy: Rich
    from rich.text import Text

    style = STYLE[entry.change] if color else ""
    head = Text()
    head.append(f"{MARK[entry.change]} {entry.change.value} ", style=f"bold {style}".strip())
    head.append(f"{_kind(entry)} ")
    if entry.change is Change.RENAMED:
        head.append(one_line(entry.old_id), style="red" if color else "")
        head.append(" → ")
    head.append(one_line(entry.id), style="bold" if color else "")
    body = [_field_text(change, color) for change in entry.fields]
    if not any(f.field in _MAIN_FIELDS for f in entry.fields):  # the main text, unless shown changed
        body.insert(0, Text(one_line(entry.text), style="dim" if color and entry.fields else ""))
    return [head, *(Padding(line, (0, 0, 0, 4)) for line in body)]


#: the fields :attr:`EntryChange.text` comes from
_MAIN_FIELDS = frozenset({"claim", "text", "name", "title"})


def render_text(diff: KbDiff, width: int | None = None, color: bool = False) -> str:
    """The changes for a person: a header naming both versions, a summary, then each entry."""
    if diff.same:
        return ""
    from rich.padding import Padding  # lazy: Rich
    from rich.text import Text

    from .console import console_for, drawn  # lazy: Rich

    console = console_for(width, color)
    bold = "bold" if color else ""
    console.print(Text(f"--- {one_line(diff.old)}", style=bold))
    console.print(Text(f"+++ {one_line(diff.new)}", style=bold))
    console.print(Text(summary(diff)))
    for change in diff.kb_fields:
        console.print()
        console.print(Text(f"{MARK[Change.CHANGED]} changed the knowledge base", style="bold yellow" if color else ""))
        console.print(Padding(_field_text(change, color), (0, 0, 0, 4)))
    for entry in diff.changes:
        console.print()
        for part in _entry_parts(entry, color):
            console.print(part)
    return drawn(console)


# --------------------------------------------------------------------------
# markdown: for a pull request


def _md_value(value: Any) -> str:
    return markdown_text(_value(value))


def _md_code(value: Any) -> str:
    """Ids, file names and labels in code spans; none as (none), a list as one span per id."""
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(_md_code(v) for v in value)
    return code_span(cell_text(value))


_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def code_span(text: str) -> str:
    """``text`` as one Markdown code span, whatever it holds: line breaks shown as ``\\n``
    (a name with a newline cannot start a heading), control characters as escapes, and
    fenced by more backticks than its longest run of them (CommonMark), so that nothing in
    it ends the span: inside, ``<img onerror=...>`` and ``**`` are text."""
    shown = terminal_text(text.translate(_LINE_BREAKS))
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    pad = " " if shown[:1] in ("`", " ") or shown[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def _md_piece(op: str, piece: str) -> str:
    """One piece of a word diff in Markdown, keeping the spaces around it outside the markup."""
    text = markdown_text(piece)  # one line, escaped; the spaces at its ends are dropped
    if text and op != "=":
        text = f"~~{text}~~" if op == "-" else f"**{text}**"
    lead = " " if piece[:1].isspace() else ""
    trail = " " if piece[-1:].isspace() and text else ""
    return lead + text + trail


def _md_field(change: FieldChange) -> str:
    label = change.field.replace("_", " ")
    if change.words:
        joined = " ".join(_md_piece(op, piece) for op, piece in change.words)
        return f"  - {label}: {' '.join(joined.split())}"
    shown = _md_code if change.field in REFERENCE_FIELDS else _md_value
    return f"  - {label}: {shown(change.old)} → {shown(change.new)}"


def render_markdown(diff: KbDiff) -> str:
    """A list to paste into a pull request: each change, its fields old → new, word changes as
    ~~removed~~ **added**."""
    lines = [f"**Knowledge base changes** ({_md_code(diff.old)} → {_md_code(diff.new)}): {summary(diff)}."]
    if diff.kb_fields:
        lines.append("")
        lines.append("- **changed** the knowledge base:")
        lines.extend(_md_field(f) for f in diff.kb_fields)
    if diff.changes:
        lines.append("")
    for entry in diff.changes:
        name = _md_code(entry.id)
        if entry.change is Change.RENAMED:
            name = f"{_md_code(entry.old_id)} → {name}"
        lines.append(f"- **{entry.change.value}** {_kind(entry)} {name}: {markdown_text(entry.text)}")
        lines.extend(_md_field(f) for f in entry.fields)
    return "\n".join(lines) + "\n"
