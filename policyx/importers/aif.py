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

import heapq
from pathlib import PurePath

from ..kb import schema
from .aif_read import Map, Node, group_maps, is_aif, prefixes, read_map, speaker_words
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

#: AIFdb's illocutions (a YA node's text, lower case) -> the act of the speaker on the claim the YA
#: anchors. Only asserting, agreeing and conceding make a speaker hold a claim (docs/import.md).
ILLOCUTIONS = {
    "asserting": "asserts", "affirming": "asserts", "arguing": "asserts", "default illocuting": "asserts",
    "ad verecundiam": "asserts",
    "agreeing": "agrees", "conceding": "concedes", "popular conceding": "concedes",
    "questioning": "asks", "pure questioning": "asks", "assertive questioning": "asks",
    "rhetorical questioning": "asks", "directive questioning": "asks",
    "challenging": "challenges", "pure challenging": "challenges", "assertive challenging": "challenges",
    "rhetorical challenging": "challenges",
    "disagreeing": "disagrees", "contradicting": "disagrees", "rejecting": "disagrees", "disaffirming": "disagrees",
    "ad hominem": "disagrees",
}
#: Illocutions that make no act policyx records, and why.
LEFT_OUT_ACTS = {
    "ironic asserting": "irony (the speaker says it without holding it; policyx has no act for irony)",
    "restating": "a restatement's illocution (restatements are MA nodes)",
    "analysing": "an analyst's act, not a speaker's",
    "order": "an order (policyx has no act for ordering)",
    "offering": "an offer (policyx has no act for offering)",
}

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

    def key(one: Map, node_id: str) -> str:
        node = one.nodes[node_id]
        if not shared or (node.type in ("I", "L") and counts[(node.id, node.type, node.text)] > 1):
            return node_id
        return f"{one.name}#{node_id}"

    nodes: dict[str, Node] = {}
    edges: list[tuple[str, str]] = []
    persons: dict[str, str] = {}
    names: dict[str, str] = {}
    for one in group:
        for node in one.nodes.values():
            nodes.setdefault(key(one, node.id), Node(key(one, node.id), node.id, node.type, node.text,
                                                     one.name, len(nodes), node.scheme))
        edges += [(key(one, a), key(one, b)) for _, a, b in one.edges]
        persons.update({key(one, n): p for n, p in one.persons.items() if n in one.nodes})
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


class _Converter:
    def __init__(self, name: str, first: str, shared: int, nodes: dict[str, Node], edges: list[tuple[str, str]],
                 persons: dict[str, str], names: dict[str, str], builder: Builder) -> None:
        self.name, self.first, self.nodes, self.persons, self.names = name, first, nodes, persons, names
        self.shared = shared
        self.builder = builder
        self.summary = builder.summary
        self.into: dict[str, list[str]] = {k: [] for k in nodes}
        self.out: dict[str, list[str]] = {k: [] for k in nodes}
        for a, b in edges:
            self.out[a].append(b)
            self.into[b].append(a)
        self.by_type: dict[str, list[Node]] = {}
        self.parsed: dict[str, tuple[str | None, str]] = {}  # L-node -> (speaker, words)
        self.persons_of: dict[str, str] = {}  # an unprefixed copy -> the L-node it copies
        self.order: list[Node] = []  # the L-nodes in dialogue order
        self.in_transcript: set[str] = set()
        self.follow: dict[str, str] = {}  # an L-node an inference links -> the claim it stands for
        self.group_claims: dict[str, str] = {}  # an RA node of linked premises -> the claim its text states

    def of(self, node: str, kind: str, direction: str) -> list[str]:
        links = self.into[node] if direction == "in" else self.out[node]
        return [k for k in links if self.nodes[k].type == kind]

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
        _within_limits(self.first, len(claims))
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
        said: dict[str, str] = {}
        for node in self.order:
            if node.key in self.in_transcript:
                said.setdefault(one_line(self.parsed[node.key][1]), node.key)
        matched = 0
        for claim in claims.values():
            if claim.quote is None and claim.claim in said:
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
        odd: dict[tuple[str, str], int] = {}
        for key, targets in self.out.items():
            for target in targets:
                pair = (self.nodes[key].type, self.nodes[target].type)
                followed = "L" in pair and set(pair) & set(_INFERENCES)  # an inference's end at a locution
                if pair not in _PATTERNS and not followed and not set(pair) - {"I", "L", "YA", "TA", "MA", *SCHEMES}:
                    odd[pair] = odd.get(pair, 0) + 1
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
            for key in sources:
                claims[key].restates += [t for t in targets if t != key and t not in claims[key].restates]
                if self.builder.version >= 2:
                    continue  # version 2 holds it: `restates:`
                said = "; ".join(f'"{claims[t].claim}"' for t in targets)
                note = f"The map marks this claim as a restatement (AIF MA node {node.id}) of {said}."
                claims[key].note = f"{claims[key].note} {note}" if claims[key].note else note
            tally.add("restatements (`restates:`)" if self.builder.version >= 2 else
                      "notes on the claim that restates another (policyx has no relation for it)")

    def dialogue(self, source: str) -> tuple[dict[str, list[Act]], dict[str, str]]:
        """The acts on each I-node (who asserted, agreed, asked... it, in their words) and each one's
        quote, from the illocutions (YA nodes) anchored in locutions (L-nodes) and transitions (TA
        nodes); and the words of every locution in the transcript."""
        tally = self.summary.tally("AIF YA nodes")
        parsed, order = self.parsed, self.order
        position = {node.key: i for i, node in enumerate(order)}
        acts_of: dict[str, list[tuple[int, Act]]] = {}
        quote_of: dict[str, tuple[int, str]] = {}

        def act(claim: str, speaker: str | None, kind: str, quoting: bool) -> None:
            actor = self.speaker_of(speaker) if speaker is not None else None
            words = parsed[speaker][1] if speaker is not None and speaker in self.in_transcript else None
            at = position.get(speaker, len(order)) if speaker is not None else len(order)
            if quoting and words and (claim not in quote_of or at < quote_of[claim][0]):
                quote_of[claim] = (at, words)
            if actor is not None:
                acts_of.setdefault(claim, []).append((at, Act(actor, kind, words, source if words else None)))

        nodes = self.nodes
        for ya in self.by_type.get("YA", []):
            tally.read += 1
            said = " ".join(ya.text.split()).lower()
            kind = ILLOCUTIONS.get(said)
            ins: dict[str, list[str]] = {}
            outs: dict[str, list[str]] = {}
            for key in self.into[ya.key]:
                ins.setdefault(nodes[key].type, []).append(key)
            for key in self.out[ya.key]:
                outs.setdefault(nodes[key].type, []).append(key)
            speakers = ins.get("L", [])
            transitions = ins.get("TA", [])
            speaker = min(speakers, key=lambda k: position.get(k, len(order))) if speakers else None
            if speaker is None and transitions:  # a transition's act is its reply's, else its opener's
                ends = self.of(transitions[0], "L", "out") or self.of(transitions[0], "L", "in")
                speaker = min(ends, key=lambda k: position.get(k, len(order))) if ends else None
            claims = outs.get("I", [])
            conflicts = outs.get("CA", []) if kind == "disagrees" else []
            if claims and kind is not None:
                for claim in claims:
                    act(claim, speaker, kind, bool(speakers))
                tally.add(f"acts on claims: {kind}")
            elif claims:
                tally.leave(f"'{ya.text.strip() or '(no text)'}' on a claim: " + LEFT_OUT_ACTS.get(
                    said, "an illocution policyx has no act for"))
            elif conflicts:
                for conflict in conflicts:
                    for claim in self.of(conflict, "I", "out"):
                        act(claim, speaker, "disagrees", False)
                tally.add("disagreements anchored in a conflict (CA): the speaker disagrees with what it attacks")
            elif "L" in outs:
                tally.add("links from a locution to the same words without the speaker's prefix")
            elif "RA" in outs or "CA" in outs or "MA" in outs:
                tally.add("illocutions of an inference, conflict or restatement (its claims' own acts say who)")
            else:
                tally.leave("anchoring nothing (no edge to a claim, inference or locution)")
        for node in order:  # some files link L -> I with no YA between: an assertion
            for claim in self.out[node.key]:
                if nodes[claim].type == "I":
                    act(claim, node.key, "asserts", True)
        for node_key, person in self.persons.items():  # Araucaria: locutions that name I-nodes themselves
            if self.nodes[node_key].type == "I":
                actor = self.actor(None, person)
                if actor is not None:
                    acts_of.setdefault(node_key, []).append((len(order), Act(actor, "asserts")))
        acts = {claim: list(dict.fromkeys(a for _, a in sorted(found, key=lambda x: x[0])))
                for claim, found in acts_of.items()}
        return acts, {claim: words for claim, (_, words) in quote_of.items()}

    def transcript(self, l_nodes: list[Node]) -> str:
        """The speakers and words of every L-node; the transcript: the L-nodes in dialogue order."""
        tally = self.summary.tally("AIF L-nodes")
        tally.read += len(l_nodes)
        first_names = {p[0] for p in (prefixes(n.text)[0] for n in l_nodes) if p}
        known = set(self.names.values()) | first_names
        parsed = self.parsed
        for node in l_nodes:
            person = self.persons.get(node.key)
            parsed[node.key] = speaker_words(node.text, known, self.names.get(person) if person else None)
        for node in l_nodes:  # "Ann : words" -YA-> "words": the unprefixed copy is Ann's too
            for ya in self.of(node.key, "YA", "out"):
                for copy in self.of(ya, "L", "out"):
                    if parsed[copy][0] is None and copy not in self.persons:
                        parsed[copy] = (parsed[node.key][0], parsed[copy][1])
                        self.persons_of[copy] = node.key
        ta_tally = self.summary.tally("AIF TA nodes")
        ta_tally.read = sum(1 for n in self.nodes.values() if n.type == "TA")
        ta_tally.add("links giving the order of the transcript", ta_tally.read)
        self.order = order = self.transcript_order(l_nodes)
        lines: list[str] = []
        linked = {k for k in parsed if self.into[k] or self.out[k]}
        # an unlinked copy repeats a linked locution wherever it stands in the file
        kept: set[tuple[str | None, str]] = {parsed[k] for k in linked}
        for node in order:
            speaker, words = parsed[node.key]
            if not words and speaker is not None and self.out[node.key]:
                tally.add("acts of a speaker with no words (the name alone: who did it, without a quote)")
                continue
            if not words:
                tally.leave("with no words after the speaker's name")
                self.summary.warn(f"{node.file}: L-node {node.id} has no words; left out")
                continue
            if node.key not in linked and (speaker, words) in kept:
                tally.leave("repeating another locution under a nested speaker prefix, linked to nothing")
                continue
            if node.key not in linked:
                kept.add((speaker, words))
            self.in_transcript.add(node.key)
            lines.append(node.text.strip())
        tally.add("lines of the transcript (the source)", len(self.in_transcript))
        return "\n".join(lines)

    def speaker_of(self, l_key: str) -> str | None:
        """The actor who said an L-node (its copy's speaker for an unprefixed copy)."""
        person = self.persons.get(l_key) or self.persons.get(self.persons_of.get(l_key, ""))
        return self.actor(self.parsed[l_key][0], person)

    def actor(self, name: str | None, person: str | None) -> str | None:
        if person is not None and person in self.names:
            name = self.names[person]
        if name:
            return self.builder.actor(f"name:{name}", name, "one", _described(person))
        if person is not None:
            return self.builder.actor(f"person:{person}", f"person {person}", "one",
                                      f"AIF personID {person}; the file gives no name.")
        return None

    def transcript_order(self, l_nodes: list[Node]) -> list[Node]:
        """L-nodes in the order of the dialogue: each TA node links one to the next;
        ties and L-nodes outside any transition in file order."""
        rank = {n.key: i for i, n in enumerate(l_nodes)}
        after: dict[str, list[str]] = {n.key: [] for n in l_nodes}
        waiting = dict.fromkeys(rank, 0)
        for node in l_nodes:
            for ta in self.of(node.key, "TA", "out"):
                for nxt in self.of(ta, "L", "out"):
                    if nxt != node.key:
                        after[node.key].append(nxt)
                        waiting[nxt] += 1
        ready = [(rank[k], k) for k, n in waiting.items() if n == 0]
        heapq.heapify(ready)
        done: list[str] = []
        while ready:
            _, key = heapq.heappop(ready)
            done.append(key)
            for nxt in after[key]:
                waiting[nxt] -= 1
                if waiting[nxt] == 0:
                    heapq.heappush(ready, (rank[nxt], nxt))
        placed = set(done)
        done += [n.key for n in l_nodes if n.key not in placed]  # transitions in a circle: file order
        return [self.nodes[k] for k in done]

    def ends(self, keys: list[str], claims: dict[str, Claim]) -> list[str]:
        """The claims among ``keys``, a locution standing for the claim it anchors (once each)."""
        found = [k if k in claims else self.follow.get(k, "") for k in keys]
        return list(dict.fromkeys(k for k in found if k))

    def relations(self, by_type: dict[str, list[Node]], claims: dict[str, Claim]) -> list[Relation]:
        """One relation per premise and conclusion of every RA and CA node."""
        first_of: dict[str, str] = {}  # S-node -> its first relation (what an undercut answers)
        pending: list[tuple[Relation, str]] = []  # relations aimed at an S-node, resolved below
        relations: list[Relation] = []
        schemes = sorted((n for kind in SCHEMES for n in by_type.get(kind, [])), key=lambda n: n.order)
        linked: dict[str, list[str]] = {}  # policyx's own export: an S-node stating a linked argument's claim
        for node in schemes:
            premises = self.ends(self.into[node.key], claims)
            claim = one_line(node.text)
            if node.scheme and claim and claim != node.scheme and len(premises) > 1:
                self.group_claims[node.key] = claim
                linked[node.key] = premises
        for node in schemes:
            tally = self.summary.tally(f"AIF {node.type} nodes")
            tally.read += 1
            premises = self.ends(self.into[node.key], claims)
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
                        pending.append((relation, target))
        for relation, scheme in pending:
            if scheme in first_of:
                relations.append(Relation(relation.key, relation.source, first_of[scheme], relation.stance,
                                          relation.where, relation.group))
            else:
                self.summary.tally(f"AIF {self.nodes[scheme].type} nodes").leave(
                    "relations aimed at an RA or CA node that was left out")
        return relations


#: The fewest YAML values an entry made of a claim holds (the mapping, id, claim, what it answers).
MIN_VALUES_PER_CLAIM = 4


def _within_limits(name: str, claims: int) -> None:
    """Refuse a map whose claims alone would make more YAML values than policyx reads, before
    the work and memory of shaping them (every claim becomes an entry)."""

    if claims * MIN_VALUES_PER_CLAIM > schema.MAX_VALUES:
        raise fail(name, f"has {claims:,} claims (I-nodes with text): their entries alone would hold more than the"
                   f" {schema.MAX_VALUES:,} YAML values policyx reads (MAX_VALUES), so it is not imported",
                   "import a part of the map")


def _described(person: str | None) -> str | None:
    return f"AIF personID {person}." if person else None
