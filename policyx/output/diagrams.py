"""Diagrams of the debate: Graphviz DOT and Mermaid flowcharts.

Positions and arguments are nodes, clustered per question; every argument has
one edge to what it answers: support green and solid, attack red and dashed,
each labelled. Text from the knowledge base is escaped for each syntax, so a
quote, bracket, backslash or newline in a claim cannot break the file.
"""

from __future__ import annotations

import textwrap

from ..kb.model import KnowledgeBase, Stance
from ..views.argmap import build_map, holders_text
from ..views.tree import ArgumentNode, DebateMap, PositionNode, walk
from .cells import one_line

WRAP = 34
SUPPORT_COLOUR = "#2e7d32"
ATTACK_COLOUR = "#c62828"
POSITION_FILL = "#dbe9f6"
SUPPORT_FILL = "#e6f4e4"
ATTACK_FILL = "#fbe4e2"
EDGE_WORD = {Stance.FOR: "supports", Stance.AGAINST: "attacks"}
#: Mermaid refuses to draw a flowchart with more edges than this ("Edge limit
#: exceeded"); only the page embedding Mermaid can raise it, not the diagram.
MERMAID_MAX_EDGES = 500
#: Likewise, Mermaid draws "Maximum text size in diagram exceeded" instead of a
#: diagram whose text is longer than this.
MERMAID_MAX_TEXT = 50_000


def _lines(text: str) -> list[str]:
    """Text on one line (controls made visible), wrapped for a diagram box."""
    return textwrap.wrap(one_line(text), WRAP, break_long_words=True, break_on_hyphens=False) or [""]


def _node_text(node: PositionNode | ArgumentNode) -> tuple[list[str], str]:
    """The claim's lines and a smaller line saying who (held it / made it)."""
    if isinstance(node, PositionNode):
        who = f"{holders_text(node)} ({node.position.agreement.value})"
        return _lines(node.position.claim), who
    return _lines(node.argument.claim), node.by.name if node.by else ""


# --------------------------------------------------------------------------
# Graphviz DOT


def dot_string(text: str) -> str:
    """A DOT double-quoted string. Backslashes are doubled so Graphviz's
    escapes (\\N, \\G, \\l...) are never triggered by data, and '&' is written
    as an entity because Graphviz decodes entities in plain labels."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
    escaped = escaped.replace("\r", " ").replace("\n", " ")
    return f'"{escaped}"'


def _dot_label(lines: list[str], who: str) -> str:
    parts = [*lines, *(_lines(f"— {who}") if who else [])]
    escaped = [dot_string(part)[1:-1] for part in parts]
    return '"' + "\\n".join(escaped) + '"'


def render_dot(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    debate = build_map(kb, keep)
    out = [
        "// policyx export --format dot: draw with  dot -Tsvg debate.dot -o debate.svg",
        "digraph debate {",
        "  graph [rankdir=RL, fontname=\"Helvetica\", fontsize=12, labelloc=t,"
        f" label={dot_string(one_line(kb.title or 'debate'))}];",
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, margin=\"0.15,0.08\"];",
        "  edge [fontname=\"Helvetica\", fontsize=9];",
    ]
    edges: list[str] = []
    # Positions on the left, the arguments answering them to the right. With
    # rankdir=RL Graphviz stacks clusters bottom-up in the order written, so
    # the questions are written last first to read top-down in file order.
    numbered = list(enumerate(debate.questions, start=1))
    for index, question in reversed(numbered):
        out.append(f"  subgraph cluster_{index} {{")
        out.append(f"    label={_dot_label(_lines(question.question.text), '')};")
        out.append("    style=\"rounded,dashed\"; color=\"#888888\"; fontsize=11; labelloc=t;")
        for position in question.positions:
            for node, parent, _depth in walk(position):
                lines, who = _node_text(node)
                if isinstance(node, PositionNode):
                    attrs = f"fillcolor=\"{POSITION_FILL}\", color=\"#1f4e79\", penwidth=2"
                else:
                    stance = node.argument.stance
                    fill = SUPPORT_FILL if stance is Stance.FOR else ATTACK_FILL
                    colour = SUPPORT_COLOUR if stance is Stance.FOR else ATTACK_COLOUR
                    attrs = f"fillcolor=\"{fill}\", color=\"{colour}\""
                    assert parent is not None
                    edges.append(_dot_edge(node, parent.id))
                out.append(f"    {dot_string(node.id)} [label={_dot_label(lines, who)}, {attrs}];")
        out.append("  }")
    out.extend(edges)
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_edge(node: ArgumentNode, target: str) -> str:
    if node.argument.stance is Stance.FOR:
        style = f"color=\"{SUPPORT_COLOUR}\", fontcolor=\"{SUPPORT_COLOUR}\", style=solid, penwidth=1.5"
    else:
        style = f"color=\"{ATTACK_COLOUR}\", fontcolor=\"{ATTACK_COLOUR}\", style=dashed, penwidth=1.5"
    word = EDGE_WORD[node.argument.stance]
    return f"  {dot_string(node.id)} -> {dot_string(target)} [label=\"{word}\", {style}];"


# --------------------------------------------------------------------------
# Mermaid


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label, using Mermaid's #entity; codes.

    '#' goes first so that data cannot spell an entity; quotes, angle brackets,
    '&' and backticks (which would start a Markdown string) follow, and '%' (Mermaid
    finds a ``%%{init: ...}%%`` directive anywhere in a diagram, labels included).
    """
    text = text.replace("#", "#35;")
    for char, code in (('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"), ("`", "#96;"),
                       ("%", "#37;")):
        text = text.replace(char, code)
    return text


def mermaid_id(prefix: str, entry_id: str) -> str:
    """Kebab-case ids become prefix_snake ids: never a keyword such as 'end'."""
    return f"{prefix}_{entry_id.replace('-', '_')}"


def _mermaid_label(lines: list[str], who: str) -> str:
    parts = [mermaid_text(line) for line in lines]
    if who:
        parts.append("<i>— " + " ".join(mermaid_text(w) for w in _lines(who)) + "</i>")
    return '"' + "<br/>".join(parts) + '"'


def render_mermaid(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    debate = build_map(kb, keep)
    return mermaid_flowchart(debate)


def mermaid_flowchart(debate: DebateMap) -> str:
    out = ["%% policyx export --format mermaid: paste into mermaid.live or a mermaid code block on GitHub",
           "flowchart BT"]
    edges: list[str] = []
    supports: list[int] = []
    attacks: list[int] = []
    classes: dict[str, list[str]] = {"position": [], "support": [], "attack": []}
    for question in debate.questions:
        out.append(f"  subgraph {mermaid_id('q', question.id)}[{_mermaid_label(_lines(question.question.text), '')}]")
        for position in question.positions:
            for node, parent, _depth in walk(position):
                lines, who = _node_text(node)
                if isinstance(node, PositionNode):
                    mid = mermaid_id("p", node.id)
                    classes["position"].append(mid)
                else:
                    mid = mermaid_id("a", node.id)
                    assert parent is not None
                    target = mermaid_id("p" if isinstance(parent, PositionNode) else "a", parent.id)
                    word = EDGE_WORD[node.argument.stance]
                    if node.argument.stance is Stance.FOR:
                        edges.append(f"  {mid} -->|{word}| {target}")
                        supports.append(len(edges) - 1)
                        classes["support"].append(mid)
                    else:
                        edges.append(f"  {mid} -.->|{word}| {target}")
                        attacks.append(len(edges) - 1)
                        classes["attack"].append(mid)
                out.append(f"    {mid}[{_mermaid_label(lines, who)}]")
        out.append("  end")
    out.extend(edges)
    out.append(f"  classDef position fill:{POSITION_FILL},stroke:#1f4e79,stroke-width:2px")
    out.append(f"  classDef support fill:{SUPPORT_FILL},stroke:{SUPPORT_COLOUR}")
    out.append(f"  classDef attack fill:{ATTACK_FILL},stroke:{ATTACK_COLOUR}")
    for name, members in classes.items():
        if members:
            out.append(f"  class {','.join(members)} {name}")
    if supports:
        out.append(f"  linkStyle {','.join(map(str, supports))} {_link_style(SUPPORT_COLOUR)}")
    if attacks:
        out.append(f"  linkStyle {','.join(map(str, attacks))} {_link_style(ATTACK_COLOUR)}")
    return "\n".join(out) + "\n"


def _link_style(colour: str) -> str:
    return f"stroke:{colour},stroke-width:2px,color:{colour}"
