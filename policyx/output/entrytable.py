"""``show`` and ``compare`` for a terminal: an entry in full with its tree, and sides next to each
other with their clashes (``list`` is :mod:`policyx.output.table`'s).

As everywhere on a terminal, knowledge-base text enters Rich as a :class:`rich.text.Text`
(:func:`policyx.output.console.text`), never as markup.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..views.listing import Listing, Record
from .cells import (
    STANCE_MARK,
    STANCE_STYLE,
    STANDING_STYLE,
    cell_text,
    column_label,
    indent_level,
    standing_mark,
    terminal_text,
)
from .console import ID_STYLE, text

_plain = cell_text
_label = column_label

# --------------------------------------------------------------------------
# show: the entry in full, then its tree

#: the field whose text a show row carries as its "claim"
_MAIN_FIELD = {"question": "text", "actor": "name", "model": "name", "source": "title"}
_SKIP = frozenset({"id", "kind", "root", "depth", "parent", "for", "against", "who", "claim", "chain",
                   "premises", "acts", "ref"})  # version 2: its notes say these in words


def _chain(steps: list[dict[str, Any]]) -> Table:
    """What an argument answers, up to its question: each step's relation, then its kind
    and id with its text below (wrapped in its own column)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for step in steps:
        relation = _plain(step.get("relation"))
        mark = Text(STANCE_MARK.get(relation, relation), style="bold " + STANCE_STYLE.get(relation, ""))
        what = Text.assemble(terminal_text(_plain(step.get("kind"))), " ", text(step.get("id"), ID_STYLE), "\n",
                             text(step.get("text")), overflow="fold")
        grid.add_row(mark, what)
    return grid


#: the quote fields a show row may have, and the field naming each one's source
_QUOTES = {"quote": "source", "outcome_quote": "outcome_source"}


def _details(row: Record) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    main = _MAIN_FIELD.get(row["kind"], "claim")
    grid.add_row(Text(main), text(row.get("claim")))
    if row.get("who"):
        label = "held by" if row["kind"] == "position" else "by"
        ids = row.get("held_by") or ([row["by"]] if row.get("by") else [])
        who = [f"{name} ({actor_id})" for name, actor_id in zip(row["who"], ids, strict=False)]
        grid.add_row(Text(label), text(who, sep="\n"))
    for name, value in row.items():
        if name in _SKIP or name == main or value in (None, [], ""):
            continue
        if name in ("held_by", "by") and row.get("who"):
            continue
        if name in _QUOTES:  # the source's words, with where they come from
            quote = Text.assemble("“", text(value, "italic"), "”", overflow="fold")
            if row.get(_QUOTES[name]):
                quote.append(Text(f"\n— {terminal_text(_plain(row[_QUOTES[name]]))}", style="dim"))
            grid.add_row(Text(_label(name)), quote)
            continue
        if name in _QUOTES.values() and row.get(next(q for q, s in _QUOTES.items() if s == name)):
            continue
        if name == "target" and row.get("chain"):
            grid.add_row(Text("chain"), _chain(row["chain"]))
            continue
        if name == "standing":  # derived, never recorded: marked as the tree rows mark it
            grid.add_row(Text(_label(name)), text(standing_mark(_plain(value)), STANDING_STYLE.get(_plain(value), "")))
            continue
        style = STANCE_STYLE.get(_plain(value), "") if name == "stance" else ""
        grid.add_row(Text(_label(name)), text(value, style, sep="\n") if name == "notes" else text(value, style))
    if row["kind"] == "question" and not row.get("outcome"):
        grid.add_row(Text("outcome"), Text("none recorded", style="dim"))
    return grid


def _node_label(row: Record, deeper: str = "", room: int | None = None) -> Text:
    """A tree row: the stance and id (and standing), the claim, who and what kind, dim; ``room``:
    the width left for the row, so that the standing goes whole on a line of its own when it does
    not fit beside the id (never ``[in,`` then ``derived]``)."""
    relation = _plain(row.get("stance")) or _plain(row.get("kind"))
    marker = STANCE_MARK.get(relation, relation)
    label = Text.assemble(
        Text(deeper, style="dim"), Text(marker, style="bold " + STANCE_STYLE.get(relation, "")), " ",
        text(row["id"], ID_STYLE), overflow="fold",
    )
    if row.get("target") and row.get("target") != row.get("parent"):  # e.g. under an actor
        label.append_text(Text.assemble(" → ", text(row["target"], "bold")))
    if row.get("standing") and not row.get("ref"):  # (a reference's own row is where it stands)
        standing = _plain(row["standing"])
        mark = standing_mark(standing)
        beside = room is None or cell_len(label.plain) + 1 + len(mark) <= room
        label.append_text(Text.assemble(" " if beside else "\n", text(mark, STANDING_STYLE.get(standing, ""))))
    label.append_text(Text.assemble("\n", text(row.get("claim"))))
    meta = [", ".join(row.get("who") or [])] + [_plain(row.get("type") or row.get("agreement"))]
    meta = [m for m in meta if m]
    if meta:
        label.append(Text("\n" + terminal_text(" · ".join(meta)), style="dim"))
    return label


def show_view(listing: Listing, width: int) -> list[RenderableType]:
    out: list[RenderableType] = []
    rows = listing.records
    for index, row in enumerate(rows):
        if row.get("depth"):
            continue
        if out:
            out.append(Text(""))
        out.append(Text.assemble(text(row["id"], "bold cyan"), "  ", text(row["kind"], "dim")))
        out.append(_details(row))
        children = []
        for child in rows[index + 1:]:
            if not child.get("depth"):
                break
            children.append(child)
        if children:
            heading = {"question": "positions and their arguments on", "actor": "held and argued by",
                       "model": "positions leaning towards"}.get(row["kind"], "arguments on")
            tree = Tree(Text.assemble(Text(heading, "bold"), " ", text(row["id"], ID_STYLE)), guide_style="dim")
            parents: list[Tree] = [tree]
            for child in children:  # deeper than MAX_INDENT: drawn at that level, marked with the depth
                level, deeper = indent_level(int(child["depth"]))
                del parents[level:]
                parents.append(parents[-1].add(_node_label(child, deeper, width - 4 * level)))
            out.append(Text(""))
            out.append(tree)
    return out


# --------------------------------------------------------------------------
# compare: sides next to each other, then shared tags, clashes


def _items(entries: list[dict[str, Any]], label: str, style: str, room: int | None = None) -> RenderableType:
    """A labelled tree of arguments, nested as ``show`` nests them: each under the argument
    it answers when that one is in the same list (and, given the ``room`` of the column, the
    nesting leaves its id whole), else at the top with ``→ target``; each id on its own line
    (never broken), its claim below."""
    heading = Text(label, style="bold " + style, overflow="fold")
    if not entries:
        heading.append("\nnone", style="dim")
        return heading
    tree = Tree(Text(""), hide_root=True, guide_style="dim")
    placed: dict[str, tuple[Tree, int]] = {}
    for item in entries:
        relation = _plain(item.get("stance"))
        node = Text.assemble(
            Text(STANCE_MARK.get(relation, relation), style="bold " + STANCE_STYLE.get(relation, "")), " ",
            text(item["id"], ID_STYLE), overflow="fold",
        )
        parent, level = placed.get(_plain(item.get("target")), (tree, -1))
        if room is not None and 4 * (level + 1) + len(terminal_text(_plain(item["id"]))) > room:
            parent, level = tree, -1  # too deep for the column: at the top, saying what it answers
        if parent is tree and int(item.get("depth") or 1) > 1:
            node.append_text(Text.assemble(" → ", text(item.get("target"), "bold")))
        node.append_text(Text.assemble("\n", text(item["claim"])))
        placed[item["id"]] = (parent.add(node), level + 1)
    return Group(heading, tree)


def _side_cells(side: dict[str, Any], room: int | None = None) -> list[RenderableType]:
    """The cells of one side, top to bottom; every id on a line of its own so it never breaks
    (``room``: the width inside the cell, when the trees must be fitted to it)."""
    if side["agreement"]:
        held = Text.assemble(Text("held by", "bold"), " · ", text(side["agreement"]), overflow="fold")
    else:
        held = Text.assemble(Text(side["stance"], "bold " + STANCE_STYLE.get(side["stance"], "")), "\n",
                             text(side["target"], ID_STYLE), "\n", Text("made by", "bold"), overflow="fold")
    for holder in side["holders"]:
        held.append_text(Text.assemble("\n", text(holder["id"], ID_STYLE), "\n", text(holder["name"])))
    if not side["holders"]:
        held.append("\nnobody named", style="dim")
    distinct = side["distinct_tags"] or "none"
    return [
        Text.assemble(Text("question", "bold"), "\n", text(side["question"]["id"], ID_STYLE), "\n",
                      text(side["question"]["text"]),
                      *((Text("\nkb ", "bold"), text(side["kb"])) if "kb" in side else ()), overflow="fold"),
        Text.assemble(Text("claim", "bold"), "\n", text(side["claim"]), overflow="fold"),
        held,
        _items(side["for"], "arguments for", "green", room),
        _items(side["against"], "arguments against", "red", room),
        _items(side["unanswered"], "unanswered objections", "red", room),
        Text.assemble(Text("tags ", "bold"), text(side["tags"] or "none"), "\n", Text("distinct: ", "dim"),
                      text(distinct), overflow="fold"),
    ]


def compare_view(listing: Listing, width: int) -> list[RenderableType]:
    data = listing.meta
    sides = data["sides"]
    out: list[RenderableType] = [Text.assemble(Text("compare ", "bold"), text(data["compared"], ID_STYLE, " · "))]
    columns_width = []
    for side in sides:
        ids = [side["id"], side["question"]["id"], side["target"] or "", *(h["id"] for h in side["holders"])]
        widest = max(len(terminal_text(i)) for i in ids)
        for key in ("for", "against", "unanswered"):  # nested: four columns of tree guide per level
            for item in side[key]:
                widest = max(widest, 4 * (int(item.get("depth") or 1) - 1) + len(terminal_text(item["id"])))
        # the longest id, a space each side and a border
        columns_width.append(widest + 3)
    if sum(columns_width) + 1 <= width:
        cells = [_side_cells(s) for s in sides]
        table = Table(box=box.SQUARE, show_lines=True, expand=True, pad_edge=True)
        for side, minimum in zip(sides, columns_width, strict=True):
            table.add_column(text(side["id"], ID_STYLE), ratio=minimum, min_width=minimum - 3)
        for row in zip(*cells, strict=True):
            table.add_row(*row)
        out.append(table)
    else:  # too narrow for side by side: one block per side, ids still whole
        for side in sides:
            side_cells = _side_cells(side, room=width - 4)  # inside the borders and padding
            table = Table(box=box.SQUARE, show_lines=True, expand=True)
            table.add_column(text(side["id"], ID_STYLE))
            for cell in side_cells:
                table.add_row(cell)
            out.append(table)
    out.append(Text.assemble(Text("shared tags: ", "bold"), text(data["shared_tags"] or "none")))
    out.append(Text(""))
    if not data["clashes"]:
        out.append(Text("clashes: none (no argument of one side attacks another)", style="bold"))
    else:
        out.append(Text("clashes: arguments of one side attacking another", style="bold"))
        for clash in data["clashes"]:
            out.append(Text.assemble(Text("− ", "bold red"), text(clash["id"], ID_STYLE)))
            line = Text.assemble(text(clash["side"], "bold"), " attacks ", text(clash["target"], "bold"))
            if clash["target"] != clash["other"]:
                line.append_text(Text.assemble(" (an argument of ", text(clash["other"], "bold"), ")"))
            line.append_text(Text.assemble("\n", text(clash["claim"]), overflow="fold"))
            if clash["by"]:
                line.append_text(Text.assemble("\n", Text("by ", "dim"), text(clash["by"], "dim")))
            out.append(Padding(line, (0, 0, 0, 2)))  # wrapped lines keep the indent
    return out
