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
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from .common import Builder, clean, fail, kind_of_value, one_line
from .shape import Claim, Graph, Relation, place

#: Node types that are claims, inferences and conflicts; the dialogue's; the rest policyx does not hold.
SCHEMES = {"RA": "for", "CA": "against"}
DIALOGUE = {"L", "YA", "TA"}
LEFT_OUT = {
    "PA": "preferences (PA: policyx has no relation for 'is preferred to')",
}

#: (from, to) node types that AIF's patterns link: claims and schemes, and the dialogue's.
_PATTERNS = {
    ("I", "RA"), ("I", "CA"), ("I", "MA"), ("RA", "I"), ("CA", "I"), ("MA", "I"),
    ("RA", "RA"), ("RA", "CA"), ("CA", "RA"), ("CA", "CA"), ("RA", "MA"), ("CA", "MA"),
    ("L", "YA"), ("YA", "I"), ("YA", "L"), ("YA", "RA"), ("YA", "CA"), ("YA", "MA"), ("YA", "YA"),
    ("L", "TA"), ("TA", "L"), ("TA", "YA"), ("L", "I"), ("TA", "TA"),
}

#: a person's name: up to four words, each capitalised ("Ben Unknown", "CL", "Dr. O'Neill")
_NAME = re.compile(r"[A-Z][\w.'\-]*(?: [A-Z][\w.'\-]*){0,3}")

# "Name : words" or "Name: words": a speaker's name is short and is no sentence.
_PREFIX = re.compile(r"\s*([^:\n?!\"\u201c\u201d]{1,60}?)(\s?):[ \t]+")


@dataclass
class Node:
    key: str
    id: str
    type: str
    text: str
    file: str
    order: int


@dataclass
class Map:
    """One AIF file, checked and with its ids as text."""

    name: str
    nodes: dict[str, Node]
    edges: list[tuple[str, str, str]]  # (edge id, from id, to id)
    persons: dict[str, str]  # L-node (or I-node) id -> personID
    names: dict[str, str]  # personID -> name
    missing: list[tuple[str, str]] = field(default_factory=list)  # (edge id, node id it names)
    warnings: list[str] = field(default_factory=list)  # what the summary says about the file


def is_aif(data: Any) -> bool:
    return isinstance(_unwrap(data), dict) and "nodes" in _unwrap(data)


def _unwrap(data: Any) -> Any:
    """AIF itself, also inside OVA's and AIFdb's wrappers ({"AIF": {...}, "text": ...})."""
    if isinstance(data, dict) and "nodes" not in data:
        for key in ("AIF", "aif"):
            if isinstance(data.get(key), dict):
                return data[key]
    return data


def _id(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float, str)):
        text = str(value).strip()
        return text or None
    return None


def read_map(name: str, data: Any) -> Map:
    """Check one file's structure; raise a located error when it cannot be a map."""
    data = _unwrap(data)
    if not isinstance(data, dict) or "nodes" not in data:
        raise fail(name, "is JSON but not AIF: it has no 'nodes'", "give an AIF file (nodes, edges)")
    if not isinstance(data["nodes"], list):
        raise fail(name, "'nodes' is not a list", "give the nodes as a list of {\"nodeID\", \"type\", \"text\"}")
    nodes: dict[str, Node] = {}
    warnings: list[str] = []
    for index, raw in enumerate(data["nodes"]):
        if not isinstance(raw, dict):
            raise fail(name, f"nodes[{index}] is not an object", "each node is {\"nodeID\", \"type\", \"text\"}")
        node_id = _id(raw.get("nodeID", raw.get("id")))
        if node_id is None:
            raise fail(name, f"nodes[{index}] has no nodeID", "give every node a nodeID (a number or a text)")
        for key in ("type", "text"):
            odd = kind_of_value(raw.get(key))
            if odd is not None and odd.startswith("the number "):  # a number's digits are its text
                warnings.append(f"{name}: node {node_id!r}: its {key!r} is {odd}, read as its digits")
            elif odd is not None:
                raise fail(name, f"node {node_id!r} (nodes[{index}]): its {key!r} is {odd}, not text",
                           f"give every node's {key!r} as a JSON string", entry=node_id)
        kind = clean(raw.get("type")).strip().upper() or "?"
        node = Node(node_id, node_id, kind, clean(raw.get("text")), name, index)
        earlier = nodes.get(node_id)
        if earlier is not None:
            if (earlier.type, earlier.text) != (node.type, node.text):
                raise fail(name, f"node {node_id!r} is defined twice, as {earlier.type} "
                           f"{_short(earlier.text)!r} and as {node.type} {_short(node.text)!r}",
                           "give each node its own nodeID", entry=node_id)
            continue  # an exact duplicate (counted by the caller as such)
        nodes[node_id] = node
    edges: list[tuple[str, str, str]] = []
    missing: list[tuple[str, str]] = []
    raw_edges = data.get("edges", [])
    if not isinstance(raw_edges, list):
        raise fail(name, "'edges' is not a list", "give the edges as a list of {\"fromID\", \"toID\"}")
    for index, raw in enumerate(raw_edges):
        if not isinstance(raw, dict):
            raise fail(name, f"edges[{index}] is not an object", "each edge is {\"fromID\", \"toID\"}")
        edge_id = _id(raw.get("edgeID")) or f"#{index + 1}"
        ends = (_id(raw.get("fromID")), _id(raw.get("toID")))
        absent = [end if end is not None else "(none)" for end in ends if end not in nodes]
        if absent:
            missing.append((edge_id, absent[0]))
            continue
        edges.append((edge_id, ends[0], ends[1]))  # type: ignore[arg-type]
    persons: dict[str, str] = {}
    for raw in data.get("locutions") or ():
        if isinstance(raw, dict):
            node_id, person = _id(raw.get("nodeID")), _id(raw.get("personID"))
            if node_id is not None and person is not None:
                persons.setdefault(node_id, person)
    names: dict[str, str] = {}
    for raw in data.get("participants") or ():
        if isinstance(raw, dict):
            person = _id(raw.get("participantID", raw.get("personID")))
            full = one_line(" ".join(clean(raw.get(k)) for k in ("firstname", "surname")))
            if person is not None and full:
                names[person] = full
    return Map(name, nodes, edges, persons, names, missing, warnings)


def _short(text: str, width: int = 40) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _group(maps: list[Map]) -> list[list[int]]:
    """Files that hold the same I- or L-node (same id, type and text) are one map."""
    parent = list(range(len(maps)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str, str], int] = {}
    for index, one in enumerate(maps):
        for node in one.nodes.values():
            if node.type in ("I", "L") and node.text.strip():
                signature = (node.id, node.type, node.text)
                if signature in seen:
                    parent[root(index)] = root(seen[signature])
                else:
                    seen[signature] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(maps)):
        groups.setdefault(root(index), []).append(index)
    return sorted(groups.values())


def import_aif(maps: list[Map], builder: Builder) -> None:
    """Add every map (a group of files sharing nodes is one) to ``builder``."""
    empty = [m for m in maps if not any(n.type == "I" for n in m.nodes.values())]
    if len(empty) == len(maps):
        raise fail(maps[0].name, "is an empty map: it has no I-nodes (claims)",
                   "give an AIF map with at least one I-node") if len(maps) == 1 else \
            fail(maps[0].name, f"none of the {len(maps)} AIF files has an I-node (claim)",
                 "give AIF maps with claims")
    for one in maps:
        for warning in one.warnings:
            builder.summary.warn(warning)
    for one in empty:
        builder.summary.warn(f"{one.name}: an empty map (no I-nodes); left out")
    maps = [m for m in maps if m not in empty]
    for group in _group(maps):
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
                                                     one.name, len(nodes)))
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

    def of(self, node: str, kind: str, direction: str) -> list[str]:
        links = self.into[node] if direction == "in" else self.out[node]
        return [k for k in links if self.nodes[k].type == kind]

    def run(self) -> None:
        nodes, tally = self.nodes, self.summary.tally
        by_type: dict[str, list[Node]] = {}
        for node in nodes.values():
            by_type.setdefault(node.type, []).append(node)
        for kind, listed in by_type.items():
            if kind not in ("I", "L", "YA", "TA", "MA", *SCHEMES):
                what = LEFT_OUT.get(kind, f"nodes of a type policyx does not know ({kind})")
                tally(f"AIF {kind} nodes").read += len(listed)
                tally(f"AIF {kind} nodes").leave(what, len(listed))
        self.odd_edges()
        speakers_of, quote_of, text = self.dialogue(by_type.get("L", []))
        stem, label = PurePath(self.first).stem, PurePath(self.first).name  # entries name the file, not its path
        shared = f" (with {self.shared} more that share its nodes)" if self.shared else ""
        transcript = bool(text)
        if transcript:
            title = f"{label}{shared}: its locutions (L-nodes), the speakers' words, in the order of the dialogue"
        else:
            text = "\n\n".join(n.text.strip() for n in by_type.get("I", []) if n.text.strip())
            title = f"{label}{shared}: the text of its claims (I-nodes), in file order (the map has no locutions)"
        question = self.builder.question(stem, f"What is argued in {label}?")
        source = self.builder.source(f"{stem} text", title, text)
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
            speakers = speakers_of.get(node.key, [])
            claims[node.key] = Claim(node.key, words, f"I-node {node.id}", fallback=f"claim {node.id}",
                                     quote=quote, source=source if quote else None, speakers=speakers)
        _within_limits(self.first, len(claims))
        self.restatements(by_type.get("MA", []), claims)
        relations = self.relations(by_type, claims)
        holder: list[str] = []

        def author() -> str:
            if not holder:
                holder.append(self.builder.actor(f"aif-author:{self.name}", f"the author of {label}",
                                                 description=f"{label} names no speaker for its claims."))
            return holder[0]

        placed = place(Graph(self.first, claims, relations, question, author), self.builder,
                       tally("AIF relations (premise -> conclusion)"))
        itally.add("positions", placed.positions)
        itally.add("claims of arguments", len(placed.entry_of) - placed.positions)

    def odd_edges(self) -> None:
        """Edges between kinds of node that no AIF pattern links: counted, by kinds."""
        odd: dict[tuple[str, str], int] = {}
        for key, targets in self.out.items():
            for target in targets:
                pair = (self.nodes[key].type, self.nodes[target].type)
                if pair not in _PATTERNS and not set(pair) - {"I", "L", "YA", "TA", "MA", *SCHEMES}:
                    odd[pair] = odd.get(pair, 0) + 1
        for (a, b), count in sorted(odd.items()):
            self.summary.tally("AIF edges").leave(f"from {a} to {b} nodes, which no AIF pattern links", count)

    def restatements(self, ma_nodes: list[Node], claims: dict[str, Claim]) -> None:
        """policyx has no relation for 'says the same as': an MA node becomes a note on the
        claim that restates another, quoting the other's text."""
        tally = self.summary.tally("AIF MA nodes")
        for node in ma_nodes:
            tally.read += 1
            sources = [k for k in self.into[node.key] if k in claims]
            targets = [k for k in self.out[node.key] if k in claims]
            if not sources or not targets:
                tally.leave("restating nothing (no I-node on one side)")
                continue
            for key in sources:
                said = "; ".join(f'"{claims[t].claim}"' for t in targets)
                note = f"The map marks this claim as a restatement (AIF MA node {node.id}) of {said}."
                claims[key].note = f"{claims[key].note} {note}" if claims[key].note else note
            tally.add("notes on the claim that restates another (policyx has no relation for it)")

    def dialogue(self, l_nodes: list[Node]) -> tuple[dict[str, list[str]], dict[str, str], str]:
        """Speakers and quotes of the I-nodes, and the transcript: the L-nodes in dialogue order."""
        tally = self.summary.tally("AIF L-nodes")
        tally.read += len(l_nodes)
        first_names = {p[0] for p in (_prefixes(n.text)[0] for n in l_nodes) if p}
        known = set(self.names.values()) | first_names
        parsed: dict[str, tuple[str | None, str]] = {}
        for node in l_nodes:
            person = self.persons.get(node.key)
            parsed[node.key] = _speaker(node.text, known, self.names.get(person) if person else None)
        # I-nodes anchored to L-nodes through YA nodes (L -> YA -> I)
        anchored: dict[str, list[str]] = {}
        for node in l_nodes:
            for ya in self.of(node.key, "YA", "out"):
                for claim in self.of(ya, "I", "out"):
                    anchored.setdefault(claim, []).append(node.key)
            for claim in self.of(node.key, "I", "out"):  # some files link L -> I with no YA between
                anchored.setdefault(claim, []).append(node.key)
        ya_tally = self.summary.tally("AIF YA nodes")
        for ya_node in (n for n in self.nodes.values() if n.type == "YA"):
            ya_tally.read += 1
            if self.of(ya_node.key, "L", "in") and self.of(ya_node.key, "I", "out"):
                ya_tally.add("links from a locution to its claim (its quote and speaker)")
            else:
                ya_tally.leave("illocutions of an inference or conflict (who argued it is its claim's speaker)")
        ta_tally = self.summary.tally("AIF TA nodes")
        ta_tally.read = sum(1 for n in self.nodes.values() if n.type == "TA")
        ta_tally.add("links giving the order of the transcript", ta_tally.read)
        order = self.transcript_order(l_nodes)
        lines: list[str] = []
        in_transcript: set[str] = set()
        linked = {k for k in parsed if self.into[k] or self.out[k]}
        # an unlinked copy repeats a linked locution wherever it stands in the file
        kept: set[tuple[str | None, str]] = {parsed[k] for k in linked}
        for node in order:
            speaker, words = parsed[node.key]
            if not words:
                tally.leave("with no words after the speaker's name")
                self.summary.warn(f"{node.file}: L-node {node.id} has no words; left out")
                continue
            if node.key not in linked and (speaker, words) in kept:
                tally.leave("repeating another locution under a nested speaker prefix, linked to nothing")
                continue
            if node.key not in linked:
                kept.add((speaker, words))
            in_transcript.add(node.key)
            lines.append(node.text.strip())
        tally.add("lines of the transcript (the source)", len(in_transcript))
        speakers_of: dict[str, list[str]] = {}
        quote_of: dict[str, str] = {}
        position = {node.key: i for i, node in enumerate(order)}
        for claim, sayers in anchored.items():
            sayers = sorted((s for s in sayers if s in in_transcript), key=position.__getitem__)
            if sayers:
                quote_of[claim] = parsed[sayers[0]][1]
            for l_key in sayers:
                actor = self.actor(parsed[l_key][0], self.persons.get(l_key))
                if actor is not None and actor not in speakers_of.setdefault(claim, []):
                    speakers_of[claim].append(actor)
        for node_key, person in self.persons.items():  # Araucaria: locutions that name I-nodes themselves
            if self.nodes[node_key].type == "I":
                actor = self.actor(None, person)
                if actor is not None and actor not in speakers_of.setdefault(node_key, []):
                    speakers_of[node_key].append(actor)
        return speakers_of, quote_of, "\n".join(lines)

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

    def relations(self, by_type: dict[str, list[Node]], claims: dict[str, Claim]) -> list[Relation]:
        """One relation per premise and conclusion of every RA and CA node."""
        first_of: dict[str, str] = {}  # S-node -> its first relation (what an undercut answers)
        pending: list[tuple[Relation, str]] = []  # relations aimed at an S-node, resolved below
        relations: list[Relation] = []
        schemes = sorted((n for kind in SCHEMES for n in by_type.get(kind, [])), key=lambda n: n.order)
        for node in schemes:
            tally = self.summary.tally(f"AIF {node.type} nodes")
            tally.read += 1
            premises = [k for k in self.into[node.key] if k in claims]
            targets = [k for k in self.out[node.key] if k in claims or self.nodes[k].type in SCHEMES]
            if not premises or not targets:
                why = "with no premise (no edge from an I-node)" if not premises else \
                    "with no conclusion (no edge to an I-node, RA or CA)"
                tally.leave(why)
                self.summary.warn(f"{node.file}: {node.type} node {node.id} {why}; left out")
                continue
            tally.add("relations 'for' (one per premise and conclusion)" if node.type == "RA" else
                      "relations 'against' (one per premise and conclusion)", len(premises) * len(targets))
            for target in targets:
                for premise in premises:
                    relation = Relation(f"{node.key}>{premise}>{target}", premise, target, SCHEMES[node.type],
                                        f"{node.type} node {node.id}")
                    first_of.setdefault(node.key, relation.key)
                    if target in claims:
                        relations.append(relation)
                    else:
                        pending.append((relation, target))
        for relation, scheme in pending:
            if scheme in first_of:
                relations.append(Relation(relation.key, relation.source, first_of[scheme], relation.stance,
                                          relation.where))
            else:
                self.summary.tally(f"AIF {self.nodes[scheme].type} nodes").leave(
                    "relations aimed at an RA or CA node that was left out")
        return relations


#: The fewest YAML values an entry made of a claim holds (the mapping, id, claim, what it answers).
MIN_VALUES_PER_CLAIM = 4


def _within_limits(name: str, claims: int) -> None:
    """Refuse a map whose claims alone would make more YAML values than policyx reads, before
    the work and memory of shaping them (every claim becomes an entry)."""
    from ..kb import schema

    if claims * MIN_VALUES_PER_CLAIM > schema.MAX_VALUES:
        raise fail(name, f"has {claims:,} claims (I-nodes with text): their entries alone would hold more than the"
                   f" {schema.MAX_VALUES:,} YAML values policyx reads (MAX_VALUES), so it is not imported",
                   "import a part of the map")


def _described(person: str | None) -> str | None:
    return f"AIF personID {person}." if person else None


def _prefixes(text: str) -> tuple[list[str], list[str], str]:
    """The speaker prefixes of an L-node's text (outermost first), whether each was
    written AIFdb's way (``Name : ``), and the words after them."""
    names: list[str] = []
    spaced: list[str] = []
    rest = text
    for _ in range(4):
        match = _PREFIX.match(rest)
        if match is None or len(match.group(1).split()) > 6:
            break
        names.append(match.group(1).strip())
        spaced.append(match.group(2))
        rest = rest[match.end():]
    return names, spaced, rest


def _speaker(text: str, known: set[str], participant: str | None) -> tuple[str | None, str]:
    """(the speaker, the words) of an L-node's text.

    The first prefix is always the speaker's (every L-node starts so); a further
    one is taken off only when it names a speaker too (the map's participants,
    or the first prefix of another L-node) or is a name written AIFdb's way,
    ``Name : `` (capitalised words). ``"M: CL : words"`` is CL's;
    ``"CL : Note: this"`` keeps ``Note: this``, ``"CL : it is 3 : 1"`` keeps ``it is 3 : 1``.
    """
    names, spaced, _ = _prefixes(text)
    take = 0
    for index, name in enumerate(names):
        if index == 0 or name in known or name == participant or (spaced[index] and _NAME.fullmatch(name)):
            take = index + 1
        else:
            break
    rest = text
    for _ in range(take):
        match = _PREFIX.match(rest)
        assert match is not None
        rest = rest[match.end():]
    speaker = participant or (names[take - 1] if take else None)
    return speaker, rest.strip()
