"""Argdown (https://argdown.org): statements, arguments and their relations as text.

Each question is a heading (a section); each position a statement
``[id]: claim #tag``; each argument is defined where it is used, as
``+ <id>: claim #tag`` (support) or ``- <id>: claim`` (attack) indented under
what it answers, so rebuttals nest exactly as in the map. Text is escaped with
Argdown's backslash escapes wherever a character could start markup, so the
reference parser (``@argdown/cli``) reads every claim back unchanged.

A knowledge base of schema version 2 adds: an undercut as ``_ <id>`` under the
argument whose step it attacks; an argument met again as a mention ``+ <id>`` (no
second definition); a position's contradiction as ``>< [id]`` (``-> <id>`` for an
argument); each linked argument's premise-conclusion structure after the question's
trees (``(1) premise``, ``----``, ``(n) its claim``); restatements as comments.
"""

from __future__ import annotations

import re
from collections import deque

from ..kb.hints import exported_by
from ..kb.model import Argument, KnowledgeBase, Stance
from ..views.argmap import build_map
from ..views.tree import ArgumentNode, Node, PositionNode, walk
from .cells import file_line, one_line

# Characters that start Argdown syntax anywhere in a line: escapes, mentions,
# tags, bold/italic, statement and argument titles, links, data, comments.
_ALWAYS = re.compile(r"([\\@#*_\[\]<>{}/=])")
# '.name.' and ':name:' are special characters (emoji-like shortcodes): escape
# a dot or colon that a non-space follows, so none can open one.
_OPENER = re.compile(r"([.:])(?=\S)")
_SIMPLE_TAG = re.compile(r"[A-Za-z0-9-]+\Z")
# The reference parser recurses once per level of indentation and overflows its
# stack somewhere between 200 and 400 levels: a longer chain of rebuttals goes on
# in a new block that names what it answers (``<b>: ...`` then ``-> <a>``).
MAX_NESTING = 100


def argdown_text(text: str) -> str:
    """``text`` on one line with every markup-starting character escaped."""
    return _OPENER.sub(r"\\\1", _ALWAYS.sub(r"\\\1", file_line(text)))


#: Argdown cannot escape ')' inside a bracketed tag: a ')' in a tag is written as this small
#: right parenthesis (U+FE5A), which policyx's import of Argdown reads back as ')'.
TAG_PAREN = "\ufe5a"


def argdown_tag(tag: str) -> str:
    """``#tag`` when it is a plain word, else ``#(tag text)``, a ')' in it written as
    :data:`TAG_PAREN` (the only change this format makes to data; an import undoes it).
    """
    tag = file_line(tag)
    if _SIMPLE_TAG.match(tag):
        return f"#{tag}"
    return "#(" + tag.replace(")", TAG_PAREN) + ")"


def _with_tags(text: str, tags: tuple[str, ...]) -> str:
    return " ".join([argdown_text(text), *(argdown_tag(t) for t in tags)])


def render_argdown(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    debate = build_map(kb, keep)
    out = [
        f"// {one_line(exported_by('--format', 'argdown'))}: open in the Argdown VS Code extension, or run",
        "// argdown map --format svg debate.argdown out/  (from @argdown/cli; positions are [statements])",
    ]
    positions = frozenset(p.id for p in kb.positions)
    for question in debate.questions:
        out.append("")
        out.append("# " + _with_tags(question.question.text, question.question.tags))
        for position in question.positions:
            blocks: deque[tuple[Node, Node | None]] = deque([(position, None)])
            while blocks:
                root, parent = blocks.popleft()
                out.append("")
                out.extend(_block(root, parent, blocks, positions, kb))
        if kb.version >= 2:
            out.extend(_structures(kb, question.positions))
    return "\n".join(out) + "\n"


def _structures(kb: KnowledgeBase, positions: list[PositionNode]) -> list[str]:
    """The premise-conclusion structure of each linked argument shown, and restatements."""
    out: list[str] = []
    for position in positions:
        for node, _, _ in walk(position):
            entry = node.position if isinstance(node, PositionNode) else node.argument
            if isinstance(node, ArgumentNode) and node.ref:
                continue
            if entry.restates:
                out += ["", f"// {entry.id} restates {', '.join(entry.restates)}"]
            if isinstance(entry, Argument) and entry.premises:
                out += ["", f"<{entry.id}>", ""]
                out += [f"({at}) [{entry.id}-premise-{at}]: {argdown_text(p.claim)}"
                        for at, p in enumerate(entry.premises, 1)]
                out += ["----", f"({len(entry.premises) + 1}) [{entry.id}-conclusion]: {argdown_text(entry.claim)}"]
    return out


def _relation(node: ArgumentNode, outgoing: bool = False) -> str:
    """The relation sign of an argument toward the node above: +, - or _ (undercut)."""
    sign = "_" if node.undercut else "+" if node.stance is Stance.FOR else "-"
    return sign + ">" if outgoing else sign


def _block(root: Node, parent: Node | None, later: deque[tuple[Node, Node | None]],
           positions: frozenset[str] = frozenset(), kb: KnowledgeBase | None = None) -> list[str]:
    """``root`` with what answers it nested under it, down to MAX_NESTING levels;
    deeper replies are queued in ``later`` to start blocks of their own."""
    lines: list[str] = []
    for node, above, depth in walk(root, max_depth=MAX_NESTING):
        up = parent if depth == 0 else above
        if depth == MAX_NESTING:
            later.append((node, up))
            continue
        if isinstance(node, PositionNode):
            lines.append(f"[{node.id}]: " + _with_tags(node.position.claim, node.position.tags))
            for target in node.position.against:  # version 2: a position contradicting another
                premise = _premise_statement(kb, target)
                lines.append(f"  >< [{premise or target}]" if premise or target in positions else f"  -> <{target}>")
            continue
        text = f"<{node.id}>" if node.ref else f"<{node.id}>: " + _with_tags(node.argument.claim, node.argument.tags)
        if depth == 0:  # a block of its own: the relation points out, to what it answers
            assert up is not None
            lines.append(text)
            target = f"[{up.id}]" if isinstance(up, PositionNode) else f"<{up.id}>"
            lines.append(f"  {_relation(node, outgoing=True)} {target}")
            continue
        lines.append("  " * depth + f"{_relation(node)} " + text)
    return lines


def _premise_statement(kb: KnowledgeBase | None, reference: str) -> str | None:
    """The statement of the premise ``ARGUMENT.PREMISE`` names in its premise-conclusion structure."""
    argument_id, dot, premise_id = reference.partition(".")
    argument = kb.get(argument_id) if kb is not None and dot else None
    if not isinstance(argument, Argument):
        return None
    at = next((at for at, p in enumerate(argument.premises, 1) if p.id == premise_id), None)
    return f"{argument_id}-premise-{at}" if at is not None else None
