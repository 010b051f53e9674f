"""AIF JSON (AIFdb, OVA, Araucaria) -> a policyx knowledge base.

An AIF map is a graph of nodes (``nodes``: ``nodeID``, ``type``, ``text``) and
``edges`` (``fromID`` -> ``toID``), with optional ``locutions`` (L-node ->
``personID``) and ``participants`` (``participantID``, ``firstname``,
``surname``). The mapping (docs/import.md gives the reasons):

- I-nodes are claims. An RA node makes each of its premises an argument
  ``for`` its conclusion, a CA node an argument ``against`` it; an RA or CA
  aimed at another RA or CA (an undercut) answers that argument.
- In dialogue maps an L-node holds the speaker's verbatim words,
  ``"Speaker : words"``; YA nodes anchor L-nodes to I-nodes. The words,
  without the speaker's prefix, are the claim's quote; the L-nodes, in the
  order of the dialogue (TA nodes link each to the next), are the source
  text; the speaker is an actor who argues the claim. Maps without L-nodes
  (Araucaria) quote the I-nodes' own text, their source being those texts.
- MA (restatement), PA (preference), TA and YA nodes are no claims: they are
  counted, and what they mean is kept where policyx can hold it (a note on the
  claim that restates another, the order of the transcript, who said what) or
  reported as left out.

Real files vary, and all of this is accepted: ids as integers or strings,
no ``locutions`` or ``participants``, nested speaker prefixes (``"M: CL :
words"``), edges to nodes the file does not hold (left out, with a warning),
exact duplicates of a node. Several files that hold the same I- or L-node
(same id, same text) are one map.
"""

from __future__ import annotations

from pathlib import PurePath

from .aif_dialogue import Dialogue
from .aif_read import Map, Node, group_maps, is_aif, read_map
from .common import Builder, fail, one_line
from .graphplace import place
from .shape import Act, Claim, Graph, Relation

__all__ = ["Map", "import_aif", "is_aif", "read_map"]

#: Node types that are claims, inferences and conflicts; the dialogue's; the rest policyx does not hold.
SCHEMES = {"RA": "for", "CA": "against"}
DIALOGUE = {"L", "YA", "TA"}
LEFT_OUT = {
    "PA": "preferences (PA: policyx has no relation for 'is preferred to')",
}

_INFERENCES = ("RA", "CA", "MA")
#: The scheme of a conflict between positions (policyx's own export): its premise is a position too.
CONTRADICTION = "Contradiction"
#: The scheme of an undercut in policyx's own export; a conflict aimed at a linked argument's inference
#: under any other scheme attacks the argument's claim
UNDERCUT = "Default Conflict"

#: (from, to) node types that AIF's patterns link: claims and schemes, and the dialogue's.
_PATTERNS = {
    ("I", "RA"), ("I", "CA"), ("I", "MA"), ("RA", "I"), ("CA", "I"), ("MA", "I"),
    ("RA", "RA"), ("RA", "CA"), ("CA", "RA"), ("CA", "CA"), ("RA", "MA"), ("CA", "MA"),
    ("L", "YA"), ("YA", "I"), ("YA", "L"), ("YA", "RA"), ("YA", "CA"), ("YA", "MA"), ("YA", "YA"),
    ("L", "TA"), ("TA", "L"), ("TA", "YA"), ("L", "I"), ("TA", "TA"),
}

def import_aif(maps: list[Map], builder: Builder) -> None:
    """Add every map (a group of files sharing nodes is one) to ``builder``; a map with no claims
    is its question alone, with a warning (AIFdb's corpora hold such nodesets)."""
    for one in maps:
        for warning in one.warnings:
            builder.summary.warn(warning)
    for group in group_maps(maps):
        _import_group([maps[i] for i in group], builder)


def _import_group(group: list[Map], builder: Builder) -> None:
    summary = builder.summary
    shared = len(group) > 1
    counts: dict[tuple[str, str, str], int] = {}
    if shared:
        for one in group:
            for node in one.nodes.values():
                signature = (node.id, node.type, node.text)
                counts[signature] = counts.get(signature, 0) + 1

    def keys_of(one: Map) -> dict[str, str]:
        """Each node's key in the map: its id, unless several files share the map and it is a node of
        this file alone (or no I- or L-node), which is the file's own (``FILE#ID``)."""
        if not shared:
            return {node_id: node_id for node_id in one.nodes}
        return {node_id: node_id if node.type in ("I", "L") and counts[(node.id, node.type, node.text)] > 1
                else f"{one.name}#{node_id}" for node_id, node in one.nodes.items()}

    nodes: dict[str, Node] = {}
    edges: list[tuple[str, str]] = []
    persons: dict[str, str] = {}
    names: dict[str, str] = {}
    for one in group:
        keys = keys_of(one)  # (each node's key made once, then looked up for its edges)
        if not shared:
            nodes = one.nodes  # one file: its nodes as read (in the file's order), not a copy of each
        for node in one.nodes.values() if shared else ():
            made = keys[node.id]
            if made not in nodes:
                nodes[made] = Node(made, node.id, node.type, node.text, one.name, len(nodes), node.scheme)
        edges += [(keys[a], keys[b]) for _, a, b in one.edges]
        persons.update({keys[n]: p for n, p in one.persons.items() if n in one.nodes})
        names.update(one.names)
        if one.missing:
            edge, absent = one.missing[0]
            more = f" (and {len(one.missing) - 1} more)" if len(one.missing) > 1 else ""
            summary.warn(f"{one.name}: edge {edge} names node {absent}, which the file does not hold{more}; "
                         "left out")
            summary.tally("AIF edges").leave("to nodes the file does not hold", len(one.missing))
        summary.tally("AIF edges").read += len(one.edges) + len(one.missing)
    name = group[0].name if not shared else f"{group[0].name} (with {len(group) - 1} more that share its nodes)"
    _Converter(name, group[0].name, len(group) - 1, nodes, edges, persons, names, builder).run()


class _Converter(Dialogue):
    """One map's claims and inferences (RA, CA, MA nodes) into the graph of :mod:`.shape`, on its dialogue."""

    def run(self) -> None:
        nodes, tally = self.nodes, self.summary.tally
        by_type = self.by_type
        for node in nodes.values():
            by_type.setdefault(node.type, []).append(node)
        for kind, listed in by_type.items():
            if kind not in ("I", "L", "YA", "TA", "MA", *SCHEMES):
                what = LEFT_OUT.get(kind, f"nodes of a type policyx does not know ({kind})")
                tally(f"AIF {kind} nodes").read += len(listed)
                tally(f"AIF {kind} nodes").leave(what, len(listed))
        self.odd_edges()
        text = self.transcript(by_type.get("L", []))
        stem, label = PurePath(self.first).stem, PurePath(self.first).name  # entries name the file, not its path
        shared = f" (with {self.shared} more that share its nodes)" if self.shared else ""
        transcript = bool(text)
        if transcript:
            title = f"{label}{shared}: its locutions (L-nodes), the speakers' words, in the order of the dialogue"
        else:
            text = "\n\n".join(n.text.strip() for n in by_type.get("I", []) if n.text.strip())
            title = f"{label}{shared}: the text of its claims (I-nodes), in file order (the map has no locutions)"
        question = self.builder.question(stem, f"What is argued in {label}?")
        if not by_type.get("I") and not self.used_as_claims():
            self.summary.warn(f"{self.first}: no claims (no I-nodes): an empty debate, its question only")
            return
        source = self.builder.source(f"{stem} text", title, text)
        acts_of, quote_of = self.dialogue(source)
        claims: dict[str, Claim] = {}
        itally = tally("AIF I-nodes")
        for node in by_type.get("I", []):
            itally.read += 1
            words = one_line(node.text)
            if not words:
                if self.into[node.key] or self.out[node.key]:
                    raise fail(self.first, f"I-node {node.id!r} has no text, and a claim needs its words",
                               "write the claim's text in the node's 'text', or delete the node", entry=node.id)
                itally.leave("with no text and no edges")
                self.summary.warn(f"{node.file}: I-node {node.id} has no text and no edges; left out")
                continue
            quote = quote_of.get(node.key) if transcript else node.text.strip()
            claims[node.key] = Claim(node.key, words, f"I-node {node.id}", fallback=f"claim {node.id}",
                                     quote=quote, source=source if quote else None,
                                     acts=acts_of.get(node.key, []))
        if transcript:
            self.match_locutions(claims, source)
            self.locutions_as_claims(claims, source)
        self.restatements(by_type.get("MA", []), claims)
        relations = self.relations(by_type, claims)
        holder: list[str] = []

        def author() -> str:
            if not holder:
                holder.append(self.builder.actor(f"aif-author:{self.name}", f"the author of {label}",
                                                 description=f"{label} names no speaker for its claims."))
            return holder[0]

        placed = place(Graph(self.first, claims, relations, question, author, group_claims=self.group_claims),
                       self.builder,
                       tally("AIF relations (premise -> conclusion)"))
        i_nodes = set(self.nodes_of("I"))
        positions = len(placed.position_keys & i_nodes)
        itally.add("positions", positions)
        itally.add("claims of arguments", len(i_nodes.intersection(placed.entry_of)) - positions)

    def nodes_of(self, kind: str) -> list[str]:
        return [n.key for n in self.by_type.get(kind, [])]

    def used_as_claims(self) -> list[str]:
        """L-nodes that an RA, CA or MA node links as a premise or conclusion (in file order)."""
        found = {k for kind in _INFERENCES for n in self.by_type.get(kind, ())
                 for k in (*self.into[n.key], *self.out[n.key]) if self.nodes[k].type == "L"}
        return sorted(found, key=lambda k: self.nodes[k].order)

    def anchored(self, l_key: str) -> list[str]:
        """The I-nodes a locution anchors (L -> YA -> I, or L -> I)."""
        found = [c for ya in self.of(l_key, "YA", "out") for c in self.of(ya, "I", "out")]
        return list(dict.fromkeys(found + self.of(l_key, "I", "out")))

    def locutions_as_claims(self, claims: dict[str, Claim], source: str) -> None:
        """An inference that links a locution instead of a claim: followed to the claim the locution
        anchors; a locution that anchors none is a claim of its own words (AIFdb's analysts sometimes
        link the unprefixed copy of a locution as if it were an I-node)."""
        tally = self.summary.tally("AIF L-nodes")
        followed = 0
        for key in self.used_as_claims():
            anchored = [c for c in self.anchored(key) if c in claims]
            if anchored:
                self.follow[key] = anchored[0]
                followed += 1
                continue
            words = self.parsed[key][1]
            if not words:
                continue
            speaker = self.speaker_of(key)
            quote = words if key in self.in_transcript else None
            node = self.nodes[key]
            claims[key] = Claim(key, one_line(words), f"L-node {node.id}", fallback=f"claim {node.id}",
                                quote=quote, source=source if quote else None,
                                acts=[Act(speaker, "asserts", quote, source if quote else None)] if speaker else [],
                                note=f"AIF L-node {node.id}: the map links this locution itself as a claim "
                                     "(it anchors no I-node).")
            self.follow[key] = key
            tally.add("claims of their own (an inference links the locution itself, and it anchors no I-node)")
        if followed:
            tally.add("ends of an inference followed to the claim the locution anchors", followed)
            self.summary.warn(f"{self.first}: {followed} locution(s) (L-nodes) linked by an RA, CA or MA node "
                              "instead of their claim; each followed to the claim it anchors")

    def match_locutions(self, claims: dict[str, Claim], source: str) -> None:
        """A claim no locution anchors, whose words a locution of the file says exactly: that
        locution's speaker asserted it, in those words."""
        unquoted = [claim for claim in claims.values() if claim.quote is None]
        said: dict[str, str] = {}
        for node in self.order if unquoted else ():  # (most claims have their locution: often nothing to match)
            if node.key in self.in_transcript:
                said.setdefault(one_line(self.parsed[node.key][1]), node.key)
        matched = 0
        for claim in unquoted:
            if claim.claim in said:
                key = said[claim.claim]
                words = self.parsed[key][1]
                speaker = self.speaker_of(key)
                claim.quote, claim.source = words, source
                if speaker is not None:
                    claim.acts.append(Act(speaker, "asserts", words, source))
                matched += 1
        self.summary.tally("AIF I-nodes").add(
            "claims with no locution of their own, matched to a locution of the same words", matched)

    def odd_edges(self) -> None:
        """Edges between kinds of node that no AIF pattern links: counted, by kinds."""
        nodes = self.nodes
        pairs: dict[tuple[str, str], int] = {}  # every edge's kinds counted, then each kind of edge judged once
        for key, targets in self.out.items():
            kind = nodes[key].type
            for target in targets:
                pair = (kind, nodes[target].type)
                pairs[pair] = pairs.get(pair, 0) + 1
        odd = {pair: count for pair, count in pairs.items() if pair not in _PATTERNS
               and not ("L" in pair and set(pair) & set(_INFERENCES))  # an inference's end at a locution
               and not set(pair) - {"I", "L", "YA", "TA", "MA", *SCHEMES}}
        for (a, b), count in sorted(odd.items()):
            self.summary.tally("AIF edges").leave(f"from {a} to {b} nodes, which no AIF pattern links", count)

    def restatements(self, ma_nodes: list[Node], claims: dict[str, Claim]) -> None:
        """policyx has no relation for 'says the same as': an MA node becomes a note on the
        claim that restates another, quoting the other's text."""
        tally = self.summary.tally("AIF MA nodes")
        for node in ma_nodes:
            tally.read += 1
            sources = self.ends(self.into[node.key], claims)
            targets = self.ends(self.out[node.key], claims)
            if not sources or not targets:
                tally.leave("restating nothing (no I-node on one side)")
                continue
            if set(targets) <= set(sources):
                tally.leave("restating the claim itself")
                continue
            new = {key: [t for t in targets if t != key and t not in claims[key].restates] for key in sources}
            if not any(new.values()):
                tally.leave("repeating a restatement already made (the same claims)")
                continue
            for key in sources:
                claims[key].restates += new[key]
                if self.builder.version >= 2:
                    continue  # version 2 holds it: `restates:`
                said = "; ".join(f'"{claims[t].claim}"' for t in targets)
                note = f"The map marks this claim as a restatement (AIF MA node {node.id}) of {said}."
                claims[key].note = f"{claims[key].note} {note}" if claims[key].note else note
            tally.add("restatements (`restates:`)" if self.builder.version >= 2 else
                      "notes on the claim that restates another (policyx has no relation for it)")

    def ends(self, keys: list[str], claims: dict[str, Claim]) -> list[str]:
        """The claims among ``keys``, a locution standing for the claim it anchors (once each)."""
        found = [k if k in claims else self.follow.get(k, "") for k in keys]
        return list(dict.fromkeys(k for k in found if k))

    def relations(self, by_type: dict[str, list[Node]], claims: dict[str, Claim]) -> list[Relation]:
        """One relation per premise and conclusion of every RA and CA node."""
        first_of: dict[str, str] = {}  # S-node -> its first relation (what an undercut answers)
        pending: list[tuple[Relation, str, str]] = []  # (relation, its S-node's type, the S-node it aims at)
        relations: list[Relation] = []
        schemes = sorted((n for kind in SCHEMES for n in by_type.get(kind, [])), key=lambda n: n.order)
        linked: dict[str, list[str]] = {}  # policyx's own export: an S-node stating a linked argument's claim
        ends_in = {node.key: self.ends(self.into[node.key], claims) for node in schemes}  # (each node's, once)
        for node in schemes:
            premises = ends_in[node.key]
            claim = one_line(node.text)
            if node.scheme and claim and claim != node.scheme and len(premises) > 1:
                self.group_claims[node.key] = claim
                linked[node.key] = premises
        for node in schemes:
            tally = self.summary.tally(f"AIF {node.type} nodes")
            tally.read += 1
            premises = ends_in[node.key]
            # (policyx's export: a linked argument's further relations start from its first S-node)
            group = next((k for k in self.into[node.key] if k in linked), node.key)
            premises = premises or linked.get(group, [])
            targets = [k for k in self.out[node.key] if self.nodes[k].type in SCHEMES] + \
                self.ends(self.out[node.key], claims)
            if not premises or not targets:
                why = "with no premise (no edge from an I-node)" if not premises else \
                    "with no conclusion (no edge to an I-node, RA or CA)"
                tally.leave(why)
                self.summary.warn(f"{node.file}: {node.type} node {node.id} {why}; left out")
                continue
            if node.scheme == CONTRADICTION and node.type == "CA":
                for premise in premises:
                    claims[premise].position = True
            tally.add("relations 'for' (one per premise and conclusion)" if node.type == "RA" else
                      "relations 'against' (one per premise and conclusion)", len(premises) * len(targets))
            for target in targets:
                whole = target in linked and (node.type == "RA" or node.scheme not in (None, UNDERCUT))
                if whole:
                    target = linked[target][0]  # its claim, not its step: the linked argument, by a premise
                for premise in premises:
                    relation = Relation(f"{node.key}>{premise}>{target}", premise, target, SCHEMES[node.type],
                                        f"{node.type} node {node.id}", group=group, whole=whole)
                    first_of.setdefault(node.key, relation.key)
                    if target in claims:
                        relations.append(relation)
                    else:
                        pending.append((relation, node.type, target))
        for relation, kind, scheme in pending:
            if scheme in first_of:
                relations.append(Relation(relation.key, relation.source, first_of[scheme], relation.stance,
                                          relation.where, relation.group))
            else:
                self.summary.tally(f"AIF {kind} nodes").leave(
                    "relations aimed at an RA or CA node that was left out")
        return relations
