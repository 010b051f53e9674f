"""Diagrams of the debate: Graphviz DOT and Mermaid flowcharts.

Positions and arguments are nodes, clustered per question; every argument has
one edge to what it answers: support green and solid, attack red and dashed,
each labelled. Text from the knowledge base is escaped for each syntax, so a
quote, bracket, backslash or newline in a claim cannot break the file.

A knowledge base of schema version 2 is drawn as its graph: each entry once (an
argument answering several entries has an edge to each); a linked argument's node
lists its premises and has a double border (Mermaid: class ``linked``); an undercut
points at a small ``step`` node set on the edge it attacks (that argument's edge to
what it answers), labelled "undercuts"; a position's contradiction is an edge
"contradicts", a restatement a grey dotted edge "restates".
"""

from __future__ import annotations

import re
import textwrap

from ..kb.hints import exported_by
from ..kb.model import Argument, KnowledgeBase, Stance
from ..views.argmap import build_map, holders_text
from ..views.framework import standing_of
from ..views.tree import ArgumentNode, DebateMap, PositionNode, walk
from .cells import one_line

WRAP = 34
SUPPORT_COLOUR = "#2e7d32"
ATTACK_COLOUR = "#c62828"
POSITION_FILL = "#dbe9f6"
SUPPORT_FILL = "#e6f4e4"
ATTACK_FILL = "#fbe4e2"
#: ``export --standing``: each node filled by its derived label (green, red, amber), the word in its box
STANDING_FILL = {"in": "#b7e1b0", "out": "#f4b6b0", "undecided": "#f9dc8c"}
UNDERCUT_COLOUR = "#e65100"
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
    """The claim's lines and a smaller line saying who (held it / made it); a linked
    argument's premises below its claim."""
    if isinstance(node, PositionNode):
        agreement = node.position.agreement
        who = f"{holders_text(node)} ({agreement.value if agreement else 'agreement not recorded'})"
        return _lines(node.position.claim), who
    premises = node.argument.premises
    parts = [f"linked premise {at}: {p.claim}" for at, p in enumerate(premises, 1)]
    lines = _lines(node.argument.claim) + [line for part in parts for line in _lines(part)]
    return lines, node.by.name if node.by else ""


#: A version-2 edge: (from id, to id, kind): support, attack, undercut (to a step), contradicts, restates, step
GraphEdge = tuple[str, str, str]


def graph_edges(kb: KnowledgeBase, debate: DebateMap) -> tuple[list[GraphEdge], list[str]]:
    """The edges of a version-2 map, each once, and the step nodes ("step:A:T": the
    inference from A to T) that undercuts attack."""
    shown = {node.id for p in debate.positions() for node, _, _ in walk(p)}
    undercut = {node.argument.undercuts for p in debate.positions() for node, _, _ in walk(p)
                if isinstance(node, ArgumentNode) and node.argument.undercuts}
    edges: list[GraphEdge] = []
    steps: list[str] = []
    done: set[str] = set()
    for position in debate.positions():
        for node, _parent, _depth in walk(position):
            if node.id in done:
                continue
            done.add(node.id)
            if isinstance(node, PositionNode):
                edges += [(node.id, t, "contradicts") for t in _bases(node.position.against) if t in shown]
                edges += [(node.id, r, "restates") for r in _bases(node.position.restates) if r in shown]
                continue
            argument = node.argument
            for stance, target in argument.relations:
                if target not in shown:
                    continue
                if argument.undercuts == target:
                    edges += [(argument.id, f"step:{target}:{t}", "undercut")
                              for _, t in _relations(kb, target) if t in shown]
                elif argument.id in undercut:
                    step = f"step:{argument.id}:{target}"
                    steps.append(step)
                    edges += [(argument.id, step, "step"), (step, target, EDGE_WORD[stance])]
                else:
                    edges.append((argument.id, target, EDGE_WORD[stance]))
            edges += [(argument.id, r, "restates") for r in _bases(argument.restates) if r in shown]
    return list(dict.fromkeys(edges)), steps


def _bases(references: tuple[str, ...]) -> list[str]:
    """The entries references name (``ARGUMENT.PREMISE``: the argument), once each."""
    return list(dict.fromkeys(reference.partition(".")[0] for reference in references))


def _relations(kb: KnowledgeBase, argument_id: str) -> tuple[tuple[Stance, str], ...]:
    entry = kb.get(argument_id)
    return entry.relations if isinstance(entry, Argument) else ()


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


def _standing(kb: KnowledgeBase, standing: bool) -> dict[str, str]:
    if not standing:
        return {}

    return standing_of(kb).labels


def render_dot(kb: KnowledgeBase, keep: set[str] | None = None, standing: bool = False) -> str:
    debate = build_map(kb, keep)
    labels = _standing(kb, standing)
    out = [
        f"// {one_line(exported_by('--format', 'dot'))}: draw with  dot -Tsvg debate.dot -o debate.svg",
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
                if isinstance(node, ArgumentNode) and node.ref:
                    continue  # drawn once: its edges are drawn from the graph's list below
                lines, who = _node_text(node)
                if isinstance(node, PositionNode):
                    attrs = f"fillcolor=\"{POSITION_FILL}\", color=\"#1f4e79\", penwidth=2"
                else:
                    stance = node.stance
                    if node.argument.premises:
                        attrs = "peripheries=2, "
                    else:
                        attrs = ""
                    fill = SUPPORT_FILL if stance is Stance.FOR else ATTACK_FILL
                    colour = SUPPORT_COLOUR if stance is Stance.FOR else ATTACK_COLOUR
                    attrs += f"fillcolor=\"{fill}\", color=\"{colour}\""
                    assert parent is not None
                    if kb.version < 2:
                        edges.append(_dot_edge(node, parent.id))
                if node.id in labels:  # the derived label: the word in the box, the fill its colour
                    lines = [*lines, f"[{labels[node.id]}, derived]"]
                    attrs = re.sub(r'fillcolor="[^"]*"', f'fillcolor="{STANDING_FILL[labels[node.id]]}"', attrs)
                out.append(f"    {dot_string(node.id)} [label={_dot_label(lines, who)}, {attrs}];")
        out.append("  }")
    if kb.version >= 2:
        graph, steps = graph_edges(kb, debate)
        out += [f"  {dot_string(step)} [shape=point, width=0.08, label=\"\", xlabel=\"step\"];" for step in steps]
        edges = [_dot_graph_edge(edge) for edge in graph]
    out.extend(edges)
    out.append("}")
    return "\n".join(out) + "\n"


_DOT_STYLE = {
    "supports": f"color=\"{SUPPORT_COLOUR}\", fontcolor=\"{SUPPORT_COLOUR}\", style=solid, penwidth=1.5",
    "attacks": f"color=\"{ATTACK_COLOUR}\", fontcolor=\"{ATTACK_COLOUR}\", style=dashed, penwidth=1.5",
    "undercut": f"color=\"{UNDERCUT_COLOUR}\", fontcolor=\"{UNDERCUT_COLOUR}\", style=dotted, penwidth=2",
    "contradicts": f"color=\"{ATTACK_COLOUR}\", fontcolor=\"{ATTACK_COLOUR}\", style=dashed, dir=both",
    "restates": "color=\"#888888\", fontcolor=\"#888888\", style=dotted",
    "step": "color=\"#555555\", arrowhead=none",
}
_WORD = {"undercut": "undercuts", "step": ""}


def _dot_graph_edge(edge: GraphEdge) -> str:
    source, target, kind = edge
    word = _WORD.get(kind, kind)
    return f"  {dot_string(source)} -> {dot_string(target)} [label=\"{word}\", {_DOT_STYLE[kind]}];"


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


def render_mermaid(kb: KnowledgeBase, keep: set[str] | None = None, standing: bool = False) -> str:
    debate = build_map(kb, keep)
    debate.standing = _standing(kb, standing) or None
    return mermaid_flowchart(debate)


def _mermaid_node(entry_id: str, positions: set[str]) -> str:
    if entry_id.startswith("step:"):
        _, argument, target = entry_id.split(":")
        return f"s_{argument.replace('-', '_')}__{target.replace('-', '_')}"
    return mermaid_id("p" if entry_id in positions else "a", entry_id)


_MERMAID_ARROW = {"supports": "-->|supports|", "attacks": "-.->|attacks|", "undercut": "-.->|undercuts|",
                  "contradicts": "-.->|contradicts|", "restates": "-.-|restates|", "step": "---"}


def mermaid_flowchart(debate: DebateMap) -> str:
    made = one_line(exported_by("--format", "mermaid"))
    out = [f"%% {made}: paste into mermaid.live or a mermaid code block on GitHub",
           "flowchart BT"]
    edges: list[str] = []
    supports: list[int] = []
    attacks: list[int] = []
    classes: dict[str, list[str]] = {"position": [], "support": [], "attack": []}
    graph = debate.kb is not None and debate.kb.version >= 2
    for question in debate.questions:
        out.append(f"  subgraph {mermaid_id('q', question.id)}[{_mermaid_label(_lines(question.question.text), '')}]")
        for position in question.positions:
            for node, parent, _depth in walk(position):
                if isinstance(node, ArgumentNode) and node.ref:
                    continue
                lines, who = _node_text(node)
                if isinstance(node, PositionNode):
                    mid = mermaid_id("p", node.id)
                    classes["position"].append(mid)
                else:
                    mid = mermaid_id("a", node.id)
                    assert parent is not None
                    target = mermaid_id("p" if isinstance(parent, PositionNode) else "a", parent.id)
                    word = EDGE_WORD[node.argument.stance]
                    if node.argument.premises:
                        classes.setdefault("linked", []).append(mid)
                    if graph:
                        classes["support" if node.stance is Stance.FOR else "attack"].append(mid)
                    elif node.argument.stance is Stance.FOR:
                        edges.append(f"  {mid} -->|{word}| {target}")
                        supports.append(len(edges) - 1)
                        classes["support"].append(mid)
                    else:
                        edges.append(f"  {mid} -.->|{word}| {target}")
                        attacks.append(len(edges) - 1)
                        classes["attack"].append(mid)
                label = (debate.standing or {}).get(node.id)
                if label:  # the derived label: the word in the box, the fill its colour
                    lines = [*lines, f"[{label}, derived]"]
                    classes.setdefault(f"derived{label.capitalize()}", []).append(mid)
                out.append(f"    {mid}[{_mermaid_label(lines, who)}]")
        out.append("  end")
    if graph and debate.kb is not None:
        edges, supports, attacks = _mermaid_graph(debate, out)
    out.extend(edges)
    out.append(f"  classDef position fill:{POSITION_FILL},stroke:#1f4e79,stroke-width:2px")
    out.append(f"  classDef support fill:{SUPPORT_FILL},stroke:{SUPPORT_COLOUR}")
    out.append(f"  classDef attack fill:{ATTACK_FILL},stroke:{ATTACK_COLOUR}")
    if "linked" in classes:
        out.append("  classDef linked stroke-width:4px")
    out.extend(f"  classDef derived{label.capitalize()} fill:{fill}" for label, fill in STANDING_FILL.items()
               if f"derived{label.capitalize()}" in classes)
    for name, members in classes.items():
        if members:
            out.append(f"  class {','.join(members)} {name}")
    if supports:
        out.append(f"  linkStyle {','.join(map(str, supports))} {_link_style(SUPPORT_COLOUR)}")
    if attacks:
        out.append(f"  linkStyle {','.join(map(str, attacks))} {_link_style(ATTACK_COLOUR)}")
    return "\n".join(out) + "\n"


def _mermaid_graph(debate: DebateMap, out: list[str]) -> tuple[list[str], list[int], list[int]]:
    """A version-2 map's edges (and its step nodes, added to ``out``), with which are supports
    and which attacks (undercuts and contradictions are drawn as attacks)."""
    assert debate.kb is not None
    found, steps = graph_edges(debate.kb, debate)
    positions = {p.id for p in debate.kb.positions}
    out += [f"  {_mermaid_node(step, positions)}((step))" for step in steps]
    edges: list[str] = []
    supports: list[int] = []
    attacks: list[int] = []
    for source, target, kind in found:
        edges.append(f"  {_mermaid_node(source, positions)} {_MERMAID_ARROW[kind]} {_mermaid_node(target, positions)}")
        if kind == "supports":
            supports.append(len(edges) - 1)
        elif kind in ("attacks", "undercut", "contradicts"):
            attacks.append(len(edges) - 1)
    return edges, supports, attacks


def _link_style(colour: str) -> str:
    return f"stroke:{colour},stroke-width:2px,color:{colour}"


def mermaid_notes(text: str, kb: KnowledgeBase, keep: set[str] | None) -> list[str]:
    """What to say about a Mermaid flowchart too large for mermaid.live and GitHub to draw."""
    edges = sum(1 for a in kb.arguments if keep is None or a.id in keep)
    what = []
    if edges > MERMAID_MAX_EDGES:
        what.append(f"{edges} edges (Mermaid draws at most {MERMAID_MAX_EDGES}: 'Edge limit exceeded')")
    if len(text) > MERMAID_MAX_TEXT:
        what.append(f"{len(text)} characters (Mermaid draws at most {MERMAID_MAX_TEXT:,}:"
                    " 'Maximum text size in diagram exceeded')")
    if not what:
        return []
    return [f"the flowchart has {' and '.join(what)}, too much for mermaid.live and GitHub;"
            " export part of the debate with --question or --tag, or use -f dot"]
