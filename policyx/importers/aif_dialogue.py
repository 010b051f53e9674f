"""An AIF map's dialogue: who said what, in which order, and what each speaker did with a claim.

:class:`Dialogue` holds one map's graph (its nodes, and the edges into and out of each) and reads
the dialogue's nodes: the L-nodes (locutions, ``"Speaker : words"``) into the speakers and the
transcript in the order of the dialogue (TA nodes link each to the next), and the YA nodes
(illocutions) into the acts of each speaker on the claims they anchor, with their words as the
quote. :class:`policyx.importers.aif._Converter` reads the claims and inferences on top of it.
"""

from __future__ import annotations

import heapq

from .aif_read import Node, prefixes, speaker_words
from .common import Builder
from .shape import Act

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


class Dialogue:
    """One map's graph and its dialogue (see the module's docstring)."""

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

    def dialogue(self, source: str) -> tuple[dict[str, list[Act]], dict[str, str]]:
        """The acts on each I-node (who asserted, agreed, asked... it, in their words) and each one's
        quote, from the illocutions (YA nodes) anchored in locutions (L-nodes) and transitions (TA
        nodes); and the words of every locution in the transcript."""
        tally = self.summary.tally("AIF YA nodes")
        parsed, order = self.parsed, self.order
        position = {node.key: i for i, node in enumerate(order)}
        acts_of: dict[str, list[tuple[int, Act]]] = {}
        quote_of: dict[str, tuple[int, str]] = {}

        actors: dict[str, str | None] = {}  # L-node -> its speaker's actor (a speaker's many acts: looked up once)

        def act(claim: str, speaker: str | None, kind: str, quoting: bool) -> None:
            if speaker is not None and speaker not in actors:
                actors[speaker] = self.speaker_of(speaker)
            actor = actors[speaker] if speaker is not None else None
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
        acts = {claim: list(dict.fromkeys(a for _, a in sorted(found, key=lambda x: x[0]))) if len(found) > 1
                else [found[0][1]] for claim, found in acts_of.items()}
        return acts, {claim: words for claim, (_, words) in quote_of.items()}

    def transcript(self, l_nodes: list[Node]) -> str:
        """The speakers and words of every L-node; the transcript: the L-nodes in dialogue order."""
        tally = self.summary.tally("AIF L-nodes")
        tally.read += len(l_nodes)
        found = {n.key: prefixes(n.text) for n in l_nodes}  # (each text's prefixes read once)
        known = set(self.names.values()) | {f[0][0] for f in found.values() if f[0]}
        parsed = self.parsed
        for node in l_nodes:
            person = self.persons.get(node.key)
            parsed[node.key] = speaker_words(node.text, known, self.names.get(person) if person else None,
                                             found[node.key])
        for node in l_nodes:  # "Ann : words" -YA-> "words": the unprefixed copy is Ann's too
            for ya in self.of(node.key, "YA", "out"):
                for copy in self.of(ya, "L", "out"):
                    if parsed[copy][0] is None and copy not in self.persons:
                        parsed[copy] = (parsed[node.key][0], parsed[copy][1])
                        self.persons_of[copy] = node.key
        ta_tally = self.summary.tally("AIF TA nodes")
        ta_tally.read = len(self.by_type.get("TA", ()))
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
        nodes, out = self.nodes, self.out
        for node in l_nodes:
            for ta in out[node.key]:
                if nodes[ta].type == "TA":
                    for nxt in out[ta]:
                        if nxt != node.key and nodes[nxt].type == "L":
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


def _described(person: str | None) -> str | None:
    return f"AIF personID {person}." if person else None
