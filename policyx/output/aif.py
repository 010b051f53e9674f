"""AIF JSON, as AIFdb and OVA exchange it.

The Argument Interchange Format's JSON form has four lists:

- ``nodes``: ``{nodeID, text, type}``; ``I`` for information (a claim), ``RA``
  for an inference (support), ``CA`` for a conflict (attack), ``L`` for a
  locution (who said what) and ``YA`` for the illocution that anchors a
  locution to its claim (here always "Asserting");
- ``edges``: ``{edgeID, fromID, toID, formEdgeID}``;
- ``locutions``: ``{nodeID, personID}``: the L-node and the participant;
- ``participants``: ``{participantID, firstname, surname}``.

Every position and argument is an I-node holding its claim. A support is
I(argument) -> RA -> I(target), an attack I(argument) -> CA -> I(target); an
argument that answers another argument points at that argument's I-node.
Quotes become L-nodes ("speaker: words"), linked L -> YA -> I. Ids are
strings numbered in file order, so the output is deterministic. Text is kept
exactly as in the knowledge base (JSON escapes what needs escaping).
"""

from __future__ import annotations

import json
from typing import Any

from ..kb.model import Actor, KnowledgeBase, Stance
from ..views.argmap import build_map
from ..views.tree import ArgumentNode, PositionNode, walk

SCHEME_TEXT = {Stance.FOR: "Default Inference", Stance.AGAINST: "Default Conflict"}
SCHEME_TYPE = {Stance.FOR: "RA", Stance.AGAINST: "CA"}


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.locutions: list[dict[str, Any]] = []
        self.participants: dict[str, dict[str, Any]] = {}

    def node(self, text: str, kind: str) -> str:
        node_id = str(len(self.nodes) + 1)
        self.nodes.append({"nodeID": node_id, "text": text, "type": kind})
        return node_id

    def edge(self, source: str, target: str) -> None:
        self.edges.append({"edgeID": str(len(self.edges) + 1), "fromID": source, "toID": target, "formEdgeID": None})

    def participant(self, actor: Actor) -> int:
        if actor.id not in self.participants:
            self.participants[actor.id] = {
                "participantID": len(self.participants) + 1,
                "firstname": actor.name,
                "surname": "",
            }
        return int(self.participants[actor.id]["participantID"])

    def locution(self, actor: Actor, quote: str, claim_node: str) -> None:
        l_node = self.node(f"{actor.name}: {quote}", "L")
        self.locutions.append({"nodeID": l_node, "personID": self.participant(actor)})
        ya = self.node("Asserting", "YA")
        self.edge(l_node, ya)
        self.edge(ya, claim_node)


def aif_document(kb: KnowledgeBase, keep: set[str] | None = None) -> dict[str, Any]:
    debate = build_map(kb, keep)
    graph = _Graph()
    i_node: dict[str, str] = {}
    for position in debate.positions():
        for node, parent, _depth in walk(position):
            if isinstance(node, PositionNode):
                i_node[node.id] = graph.node(node.position.claim, "I")
                if node.position.quote and len(node.holders) == 1:
                    graph.locution(node.holders[0], node.position.quote, i_node[node.id])
                continue
            assert isinstance(node, ArgumentNode) and parent is not None
            argument = node.argument
            i_node[node.id] = graph.node(argument.claim, "I")
            scheme = graph.node(SCHEME_TEXT[argument.stance], SCHEME_TYPE[argument.stance])
            graph.edge(i_node[node.id], scheme)
            graph.edge(scheme, i_node[parent.id])
            if argument.quote and node.by is not None:
                graph.locution(node.by, argument.quote, i_node[node.id])
    return {
        "nodes": graph.nodes,
        "edges": graph.edges,
        "locutions": graph.locutions,
        "participants": list(graph.participants.values()),
    }


def render_aif(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    return json.dumps(aif_document(kb, keep), ensure_ascii=False, indent=2) + "\n"
