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

A knowledge base of schema version 2 is written as the graph it is (see
docs/export.md, "AIF"): one S-node per relation (an argument answering two entries has
two); a linked argument is one RA node with all its premises (each an I-node, with its
own locution), the argument's claim as that RA's text; an undercut is a CA on the RA or
CA of the step it attacks; a position's contradiction is a CA; a restatement an MA from
the restating entry to the one restated; every act an L-node with the YA of its
illocution (Asserting, Agreeing, Conceding, Pure Questioning, Challenging, Disagreeing).
"""

from __future__ import annotations

import json
from typing import Any

from ..kb.model import Act, ActKind, Actor, Argument, KnowledgeBase, Position, Stance
from ..views.argmap import build_map
from ..views.tree import ArgumentNode, PositionNode, walk

SCHEME_TEXT = {Stance.FOR: "Default Inference", Stance.AGAINST: "Default Conflict"}
SCHEME_TYPE = {Stance.FOR: "RA", Stance.AGAINST: "CA"}
#: The scheme of a position's conflict with another claim: its premise is a position, not an argument
CONTRADICTION = "Contradiction"
#: The scheme of an attack on a linked argument's claim (its RA stands for it): a conflict aimed at an
#: RA under "Default Conflict" is an undercut, an attack on the step
REBUT = "Conflict With The Claim"


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.locutions: list[dict[str, Any]] = []
        self.participants: dict[str, dict[str, Any]] = {}

    def node(self, text: str, kind: str, scheme: str | None = None) -> str:
        node_id = str(len(self.nodes) + 1)
        self.nodes.append({"nodeID": node_id, "text": text, "type": kind})
        if scheme is not None:
            self.nodes[-1]["scheme"] = scheme
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

    def locution(self, actor: Actor | None, quote: str, claim_node: str, illocution: str = "Asserting") -> None:
        """An L-node: the speaker's name and words (no quote: the name alone; no speaker: the words alone)."""
        l_node = self.node(f"{actor.name}: {quote}" if actor is not None else quote, "L")
        if actor is not None:
            self.locutions.append({"nodeID": l_node, "personID": self.participant(actor)})
        ya = self.node(illocution, "YA")
        self.edge(l_node, ya)
        self.edge(ya, claim_node)


#: The YA illocution of each act (AIFdb's names)
ILLOCUTION: dict[ActKind, str] = {
    ActKind.ASSERTS: "Asserting", ActKind.AGREES: "Agreeing", ActKind.CONCEDES: "Conceding",
    ActKind.ASKS: "Pure Questioning", ActKind.CHALLENGES: "Challenging", ActKind.DISAGREES: "Disagreeing",
}


def aif_document(kb: KnowledgeBase, keep: set[str] | None = None) -> dict[str, Any]:
    if kb.version >= 2:
        return _graph_document(kb, keep)
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


def _graph_document(kb: KnowledgeBase, keep: set[str] | None) -> dict[str, Any]:
    """A version-2 knowledge base as AIF: every relation, premise, undercut, restatement and act."""
    debate = build_map(kb, keep)
    graph = _Graph()
    actors = {a.id: a for a in kb.actors}
    shown: list[Position | Argument] = []
    for position in debate.positions():
        for node, _parent, _depth in walk(position):
            entry = node.position if isinstance(node, PositionNode) else node.argument
            if not (isinstance(node, ArgumentNode) and node.ref):
                shown.append(entry)
    ids = {entry.id for entry in shown}
    # first the claims: an I-node for each position and plain argument, the premises of linked ones
    i_node: dict[str, str] = {}
    s_node: dict[tuple[str, str], str] = {}  # (argument, target as named: ARGUMENT.PREMISE too) -> its RA or CA
    p_node: dict[str, str] = {}  # ARGUMENT.PREMISE -> the premise's I-node
    premise_nodes: dict[str, list[str]] = {}  # a linked argument -> its premises' I-nodes
    leads: list[tuple[str, str]] = []  # (RA or CA, the entry it leads to), linked once every S-node exists
    for entry in shown:
        if isinstance(entry, Argument) and entry.premises:
            continue
        i_node[entry.id] = graph.node(entry.claim, "I")
        _locutions(graph, entry, i_node[entry.id], actors)
    for entry in shown:
        if not isinstance(entry, Argument):
            continue
        sources = [i_node[entry.id]] if entry.id in i_node else []
        if entry.premises:
            sources = []
            for premise in entry.premises:
                sources.append(graph.node(premise.claim, "I"))
                premise_nodes.setdefault(entry.id, []).append(sources[-1])
                if premise.id:
                    p_node[f"{entry.id}.{premise.id}"] = sources[-1]
                speaker = premise.by or entry.by  # a premise's words are its arguer's unless it names another
                if speaker in actors and premise.quote:
                    graph.locution(actors[speaker or ""], premise.quote, sources[-1])
        first = True
        for stance, reference in entry.references:
            target = reference.partition(".")[0]
            if target not in ids or reference == entry.undercuts:
                continue
            aimed = kb.get(target)
            scheme_name = REBUT if stance is Stance.AGAINST and isinstance(aimed, Argument) and aimed.premises \
                and reference == target else SCHEME_TEXT[stance]
            # a linked argument's first S-node states its claim; its further relations start from that node
            text = entry.claim if entry.premises and first else scheme_name
            s_node[entry.id, reference] = scheme = graph.node(text, SCHEME_TYPE[stance], scheme_name)
            for source in sources:
                graph.edge(source, scheme)
            if entry.premises and first:
                sources = [scheme]
            first = False
            leads.append((scheme, reference))
    for scheme, reference in leads:  # a linked argument's RA may come after what answers it
        graph.edge(scheme, _target_node(reference, i_node, s_node, p_node))
    for entry in shown:  # undercuts, contradictions and restatements, once every node exists
        if isinstance(entry, Argument) and entry.undercuts in ids:
            attacked = kb.get(entry.undercuts)
            assert isinstance(attacked, Argument)
            steps = [s_node[key] for key in ((attacked.id, t) for _, t in attacked.references) if key in s_node]
            for step in steps:
                conflict = graph.node(SCHEME_TEXT[Stance.AGAINST], "CA", SCHEME_TEXT[Stance.AGAINST])
                for source in _sources(entry, i_node, s_node):
                    graph.edge(source, conflict)
                graph.edge(conflict, step)
        if isinstance(entry, Position):
            for target in entry.against:
                if target.partition(".")[0] in ids and entry.id in i_node:
                    conflict = graph.node(CONTRADICTION, "CA", CONTRADICTION)  # a position's: it stays one
                    graph.edge(i_node[entry.id], conflict)
                    graph.edge(conflict, _target_node(target, i_node, s_node, p_node))
        restating = [(i_node.get(entry.id), entry.restates)]
        if isinstance(entry, Argument):
            restating += [(node, p.restates) for p, node in zip(entry.premises, premise_nodes.get(entry.id, ()),
                                                                  strict=False)]
        for restater, restated in restating:
            for reference in restated:
                if restater is not None and reference.partition(".")[0] in ids:
                    rephrase = graph.node("Default Rephrase", "MA", "Default Rephrase")
                    graph.edge(restater, rephrase)
                    graph.edge(rephrase, _target_node(reference, i_node, s_node, p_node))
    return {
        "nodes": graph.nodes,
        "edges": graph.edges,
        "locutions": graph.locutions,
        "participants": list(graph.participants.values()),
    }


def _locutions(graph: _Graph, entry: Position | Argument, claim: str, actors: dict[str, Actor]) -> None:
    """The L-nodes of an entry: its acts, each with its illocution; else, as in version 1, its
    quote as its one speaker's assertion."""
    acts: tuple[Act, ...] = entry.acts
    for act in acts:
        if act.by in actors:
            graph.locution(actors[act.by], act.quote or "", claim, ILLOCUTION[act.act])
    acting = {act.by for act in acts}
    speakers = ([entry.by] if entry.by is not None else []) if isinstance(entry, Argument) else list(entry.held_by)
    quoted = bool(entry.quote) and not any(act.quote == entry.quote for act in acts)
    for speaker in speakers:
        # one speaker says the quote; a holder who made no act of the file's holds it without words
        says = quoted and len(speakers) == 1
        if speaker in actors and (speaker not in acting or says):
            graph.locution(actors[speaker], entry.quote or "" if says else "", claim)
    if quoted and len(speakers) != 1 and entry.quote and ":" not in entry.quote and " says " not in entry.quote:
        graph.locution(None, entry.quote, claim)  # words on record that nobody is named as saying


def _sources(entry: Argument, i_node: dict[str, str], s_node: dict[tuple[str, str], str]) -> list[str]:
    """What an argument argues from: its I-node (a linked one: its RA, the reason as a whole)."""
    if entry.id in i_node:
        return [i_node[entry.id]]
    return [node for (argument, _), node in s_node.items() if argument == entry.id][:1]


def _target_node(target: str, i_node: dict[str, str], s_node: dict[tuple[str, str], str],
                 p_node: dict[str, str]) -> str:
    """The node standing for an entry: its I-node, or a linked argument's (first) RA; for
    ``ARGUMENT.PREMISE``, that premise's I-node."""
    if target in i_node:
        return i_node[target]
    if target in p_node:
        return p_node[target]
    return next(node for (argument, _), node in s_node.items() if argument == target)


def render_aif(kb: KnowledgeBase, keep: set[str] | None = None) -> str:
    return json.dumps(aif_document(kb, keep), ensure_ascii=False, indent=2) + "\n"
