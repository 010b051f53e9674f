"""The argument map for people: a Rich tree on a terminal, an indented outline in a pipe.

Every piece of knowledge-base text goes through :func:`policyx.output.cells.terminal_text`
(and into Rich only as ``rich.text.Text``), so data can neither act as markup
nor send escape codes. Rich is imported only by :func:`render_tree`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..views import graph
from ..views.argmap import holders_text, stance_word
from ..views.tree import ArgumentNode, DebateMap, PositionNode, QuestionNode, walk
from .cells import STANCE_MARK, STANCE_STYLE, STANDING_STYLE, indent_level, one_line, standing_mark

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree

    from ..kb.model import KnowledgeBase

INDENT = "  "


def standing_word(debate: DebateMap, entry_id: str) -> str:
    """``[in, derived]`` after a node under ``map --standing``; "" otherwise."""
    label = debate.standing.get(entry_id) if debate.standing is not None else None
    return standing_mark(label) if label else ""


def _position_meta(node: PositionNode, kb: KnowledgeBase | None = None) -> str:
    agreement = node.position.agreement
    meta = f"held by {holders_text(node)}; {agreement.value if agreement else 'agreement not recorded'}"
    return "; ".join([meta, *graph.notes(kb, node.position)]) if kb is not None else meta


def _argument_meta(node: ArgumentNode, kb: KnowledgeBase | None = None) -> str:
    parts = [f"by {node.by.name}"] if node.by is not None else []
    if kb is not None and kb.version >= 2:
        if node.undercut:
            parts.append(graph.undercut_text(kb, node))
        parts += graph.notes(kb, node.argument)
    return "; ".join(parts)


def _argument_line(node: ArgumentNode, kb: KnowledgeBase | None) -> str:
    """An argument's line: how it bears on the node above, its id and claim; a node
    reached before (version 2) refers to the one above instead."""
    if node.ref:
        return f"{graph.relation_word(node)} {node.id}: {graph.reference_text(node)}"
    word = graph.relation_word(node) if kb is not None and kb.version >= 2 else stance_word(node.argument.stance)
    return f"{word} {node.id}: {node.argument.claim}"


def _outcome(question: QuestionNode) -> str:
    """The question's outcome as the knowledge base records it; never one worked out."""
    recorded = question.question.outcome
    return f"outcome: {recorded}" if recorded is not None else "no outcome recorded"


def _question_line(question: QuestionNode, kb: KnowledgeBase | None = None) -> str:
    where = f"; kb: {question.kb}" if question.kb is not None else ""
    where += "".join(f"; {note}" for note in graph.notes(kb, question.question)) if kb is not None else ""
    return f"question {question.id}: {question.question.text}  ({_outcome(question)}{where})"


def render_outline(debate: DebateMap) -> str:
    """One line per node, two spaces of indent per level; no colour, never wrapped."""
    lines: list[str] = []
    for question in debate.questions:
        lines.append(one_line(_question_line(question, debate.kb)))
        for position in question.positions:
            for node, _parent, depth in walk(position):
                level, deeper = indent_level(depth)  # a deep chain stays as wide as MAX_INDENT levels
                indent = INDENT * (level + 1)
                word = "" if getattr(node, "ref", False) else standing_word(debate, node.id)
                if isinstance(node, PositionNode):
                    text = f"position {node.id}: {node.position.claim}  ({_position_meta(node, debate.kb)})"
                    text = f"{text}  {word}" if word else text
                else:
                    meta = "" if node.ref else _argument_meta(node, debate.kb)
                    text = deeper + _argument_line(node, debate.kb)
                    text += f"  ({meta})" if meta else ""
                    text += f"  {word}" if word else ""
                lines.append(indent + one_line(text))
                if isinstance(node, ArgumentNode) and not node.ref:
                    lines.extend(indent + INDENT + one_line(line) for line in graph.premise_lines(node.argument))
    return "\n".join(lines) + "\n" if lines else ""




def render_map_tree(debate: DebateMap, width: int | None = None, color: bool = False) -> str:
    """The map as Rich trees for a terminal ``width`` columns wide; no escape code without ``color``."""
    from .console import console_for, drawn  # lazy: Rich

    console = console_for(width, color)
    render_tree(debate, console)
    return drawn(console)


def render_tree(debate: DebateMap, console: Console) -> None:
    """Print the map as Rich trees, one per question, coloured by stance."""
    for index, question in enumerate(debate.questions):
        if index:
            console.print()
        console.print(build_tree(question, debate.kb, debate, console.width))


def build_tree(question: QuestionNode, kb: KnowledgeBase | None = None, debate: DebateMap | None = None,
               width: int | None = None) -> Tree:
    """One question's tree; ``width``: the terminal's, so that a node's standing that does not fit
    beside its id goes whole on a line of its own."""
    from rich.text import Text  # lazy: Rich
    from rich.tree import Tree

    label = Text()
    label.append(one_line(question.question.text), style="bold")
    label.append(f"  [{one_line(question.id)}]", style="dim")
    if question.question.outcome is not None:
        label.append("\noutcome: ", style="dim")
        label.append(one_line(question.question.outcome), style="italic")
    else:
        label.append("\nno outcome recorded", style="dim")
    if question.kb is not None:
        label.append("  kb: ", style="dim")
        label.append(one_line(question.kb), style="dim")
    for note in graph.notes(kb, question.question) if kb is not None else ():
        label.append("\n" + one_line(note), style="dim")
    root = Tree(label, guide_style="dim")
    for position in question.positions:
        branches: list[Tree] = []  # the branch drawn at each level, down to the current node
        for node, _parent, depth in walk(position):
            text = Text()
            level, deeper = indent_level(depth)  # deeper than MAX_INDENT: drawn at that level, marked
            if isinstance(node, PositionNode):
                text.append("position ", style="bold cyan")
                text.append(one_line(node.id), style="cyan")
                _append_standing(text, debate, node.id, None if width is None else width - 4)
                text.append("  ")
                text.append(one_line(node.position.claim), style="bold")
                text.append("\n" + one_line(_position_meta(node, kb)), style="dim")
                branches[:] = [root.add(text)]
            else:
                style = STANCE_STYLE[node.stance.value]
                text.append(deeper, style="dim")
                mark = STANCE_MARK[node.stance.value]
                text.append(mark.split()[0] + " undercuts " if node.undercut else mark + " ", style=f"bold {style}")
                text.append(one_line(node.id), style=style)
                if not node.ref:
                    _append_standing(text, debate, node.id, None if width is None else width - 4 * (level + 1))
                text.append("  ")
                if node.ref:
                    text.append(one_line(graph.reference_text(node)), style="dim italic")
                else:
                    text.append(one_line(node.argument.claim))
                meta = "" if node.ref else _argument_meta(node, kb)
                if meta:
                    text.append("  — " + one_line(meta), style="dim")
                for line in [] if node.ref else graph.premise_lines(node.argument):
                    text.append("\n  " + one_line(line), style="dim")
                del branches[level:]
                branches.append(branches[-1].add(text))
    return root


def _append_standing(text: Text, debate: DebateMap | None, entry_id: str, room: int | None) -> None:
    """``[in, derived]`` after the id, or, when it does not fit there in ``room``, at the start of
    the next line: never broken in two."""
    label = debate.standing.get(entry_id) if debate is not None and debate.standing is not None else None
    if label:
        mark = standing_mark(label)
        text.append(" " if room is None or len(text.plain) + 1 + len(mark) <= room else "\n")
        text.append(mark, style=STANDING_STYLE.get(label, ""))
