"""A graph of claims and relations -> policyx's trees of positions and arguments.

AIF maps and Argdown documents are graphs: a claim may support two
conclusions, two claims may attack each other. A policyx argument has exactly
one target, and following targets must end at a position. So:

- every relation becomes exactly one argument (nothing is merged or dropped);
- a claim that is the conclusion of nothing (bears on nothing) is a position;
- a claim's first relation, walking out from the positions breadth-first in
  file order, makes its *primary* argument, under which its own reasons hang;
  each further relation of the same claim makes an argument that repeats the
  claim, with a note naming the primary;
- claims that only bear on each other in a circle, with nothing above them,
  have no position to hang from: if the circle holds an attack (two claims in
  conflict), its first claim in file order becomes a position (a warning
  says so); a circle of supports only is an error (nothing in it is argued for
  anything outside it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from ..kb.struct import dataclass, field, replace
from .common import Builder, Tally, agreement_of, fail, one_line

#: At most this many claims are named in a message about a circle.
_NAMED = 4


#: The acts that make a person hold a claim ("held by" means only these); the others are
#: ``asks``, ``challenges`` and ``disagrees``.
HOLDING = ("asserts", "agrees", "concedes")
ACTS = (*HOLDING, "asks", "challenges", "disagrees")


@dataclass(frozen=True)
class Act:
    """What one person did with a claim (asserted, agreed, asked...), in their own words when the file has them."""

    actor: str  # an actor id
    act: str  # one of ACTS
    quote: str | None = None
    source: str | None = None


@dataclass
class Claim:
    """A claim as a foreign format gives it."""

    key: str
    claim: str  # one line, the editor's record
    where: str  # how a message names it: "node 12"
    seed: str = ""  # what its id is made from (a title, else the claim)
    fallback: str = ""  # the id's seed when ``seed`` has no Latin letters or digits
    quote: str | None = None
    source: str | None = None
    speakers: list[str] = field(default_factory=list)  # actor ids; the first one is an argument's `by`
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    question: str | None = None  # the question it answers if it becomes a position
    acts: list[Act] = field(default_factory=list)  # every act the file records, holding or not
    restates: list[str] = field(default_factory=list)  # keys of the claims it says again in other words
    #: the linked premises the format gives an argument itself (Argdown's premise-conclusion structure):
    #: (claim, verbatim quote or None), in order
    premises: list[tuple[str, str | None]] = field(default_factory=list)
    #: the format marks the claim a position (policyx's own AIF: the premise of a "Contradiction"
    #: conflict), so its attacks make it no argument
    position: bool = False

    def holders(self) -> list[str]:
        """Who holds the claim: its speakers, and whoever asserted, agreed or conceded it; never
        someone who only asked, challenged or disagreed."""
        held = list(self.speakers)
        held += [a.actor for a in self.acts if a.act in HOLDING and a.actor not in held]
        return list(dict.fromkeys(held))

    def others(self) -> list[Act]:
        """The acts that do not hold the claim (asks, challenges, disagrees), once each."""
        return list(dict.fromkeys(a for a in self.acts if a.act not in HOLDING))


@dataclass(frozen=True)
class Relation:
    """``source`` (a claim's key) supports or attacks ``target`` (a claim's or a relation's key: an
    attack on a relation is an undercut, on its step rather than its claim).

    Relations of one ``group`` with the same target are one inference whose premises hold only
    together (linked premises: an AIF RA node with two premises, an Argdown premise-conclusion
    structure, a microtexts ``add`` edge, a Carneades argument)."""

    key: str
    source: str
    target: str
    stance: str  # "for" | "against" | "undercuts" (an attack on the target's step, not its claim)
    where: str
    group: str | None = None
    #: aimed at the claim of the linked argument ``target`` is a premise of, not at that premise alone
    whole: bool = False


@dataclass
class Graph:
    name: str  # the file, for messages
    claims: dict[str, Claim]
    relations: list[Relation]
    question: str  # the question of positions whose claim names none
    holder: Callable[[], str]  # the id of who holds a position whose claim names no speaker (made when needed)
    #: a circle of supports only, with nothing above it: an error, or (``"position"``) its first claim
    #: becomes a position, with a warning (Carneades: a loop of arguments is a test case of its semantics)
    support_circles: str = "error"
    #: the claims the format gives inferences of linked premises (a group -> its claim); without one,
    #: a linked argument's claim is its premises together
    group_claims: dict[str, str] = field(default_factory=dict)
    #: version 2: a position whose claim names no speaker has no holder (the format has no speakers,
    #: as Carneades: nobody is made to hold what a model only states); ``holder`` serves version 1 only
    unheld: bool = False


@dataclass
class Placed:
    """What became of a graph: entry ids by claim, how many of each."""

    entry_of: dict[str, str]  # claim key -> its position or primary argument's id
    position_keys: set[str] = field(default_factory=set)  # the claims that became positions
    positions: int = 0
    arguments: int = 0
    repeats: int = 0
    promoted: int = 0
    self_relations: int = 0
    aimless: int = 0
    duplicates: int = 0


def place_trees(graph: Graph, builder: Builder, relations_tally: Tally | None = None) -> Placed:
    """Add the graph's positions and arguments to ``builder`` as schema version 1's trees."""
    if any(r.stance == "undercuts" for r in graph.relations):  # version 1 has one kind of attack
        graph = replace(graph, relations=[replace(r, stance="against") if r.stance == "undercuts" else r
                                          for r in graph.relations])
    relations, aimless = _usable(graph, builder)
    outgoing: dict[str, list[Relation]] = {}
    incoming: dict[str, list[Relation]] = {}
    for relation in relations:
        outgoing.setdefault(relation.source, []).append(relation)
        incoming.setdefault(relation.target, []).append(relation)
    placed = Placed({})
    placed.aimless = aimless
    placed.self_relations = len(graph.relations) - len(relations) - _duplicates(graph.relations) - aimless
    placed.duplicates = _duplicates(graph.relations)
    entry_of: dict[str, str] = {}  # claim or relation key -> the entry answering it hangs under
    done: set[str] = set()
    queue: deque[str] = deque()

    def position(claim: Claim) -> None:
        entry = _common(claim, builder, "position")
        holders = claim.holders() or [graph.holder()]
        entry = {"id": entry["id"], "question": claim.question or graph.question, "claim": claim.claim,
                 "held_by": list(dict.fromkeys(holders)), "agreement": agreement_of(holders),
                 **{k: v for k, v in entry.items() if k != "id"}}
        builder.position(entry)
        entry_of[claim.key] = entry["id"]
        placed.positions += 1
        placed.position_keys.add(claim.key)
        queue.append(claim.key)

    def argument(relation: Relation) -> None:
        claim = graph.claims[relation.source]
        entry = _common(claim, builder, "argument")
        primary = entry_of.get(claim.key)
        made: dict[str, Any] = {"id": entry.pop("id"), "claim": claim.claim, relation.stance: entry_of[relation.target]}
        held = claim.holders()
        if held:
            made["by"] = held[0]
        made.update(entry)
        if primary is not None:
            repeat = (f"The same claim as '{primary}', which it repeats here because it bears on more than one "
                      f"entry; its own reasons are listed under '{primary}'.")
            made["note"] = repeat + (" " + made["note"] if made.get("note") else "")
            placed.repeats += 1
        builder.argument(made)
        placed.arguments += 1
        done.add(relation.key)
        entry_of[relation.key] = made["id"]
        queue.append(relation.key)
        if primary is None:
            entry_of[claim.key] = made["id"]
            queue.append(claim.key)

    def walk() -> None:
        while queue:
            for relation in incoming.get(queue.popleft(), ()):
                if relation.key not in done:
                    argument(relation)

    for claim in graph.claims.values():
        if claim.key not in outgoing:
            position(claim)
    walk()
    order = {key: index for index, key in enumerate(graph.claims)}
    while len(done) < len(relations):
        left = [r for r in relations if r.key not in done]
        ends = _claim_ends(left, graph.claims)
        edges: dict[str, list[str]] = {}
        for relation in left:
            target = ends.get(relation.key)
            if target is not None and relation.source not in entry_of and target not in entry_of:
                edges.setdefault(relation.source, []).append(target)
        circle = min(_circles(edges), key=lambda group: min(order[k] for k in group))
        members = sorted(circle, key=order.__getitem__)
        inside = [r for r in left if r.source in circle and ends.get(r.key) in circle]
        names = _names(graph, members)
        if all(r.stance == "for" for r in inside) and graph.support_circles == "error":
            raise fail(graph.name, f"claims {names} support each other in a circle, and none of them is a "
                       "conclusion of anything outside it, so none can be a position",
                       "remove one of the supports, or add the conclusion they argue for")
        first = graph.claims[members[0]]
        if any(r.stance == "for" for r in inside):
            kind = "supports" if all(r.stance == "for" for r in inside) else "supports and attacks"
            builder.summary.warn(f"{graph.name}: claims {names} bear only on each other, in a circle of "
                                 f"{kind}; {first.where} became a position so that the others can answer it")
        placed.promoted += 1  # claims that only attack each other (contradictories): no warning, a count
        position(first)
        walk()
    support: dict[str, list[str]] = {}
    for relation in relations:
        if relation.stance == "for" and relation.target in graph.claims:
            support.setdefault(relation.source, []).append(relation.target)
    for circle in _circles(support):
        members = sorted(circle, key=order.__getitem__)
        builder.summary.warn(f"{graph.name}: claims {_names(graph, members)} support each other in a circle; "
                             "each support is kept, the one closing the circle as a repeated claim")
    placed.entry_of = {key: entry_of[key] for key in graph.claims if key in entry_of}
    if relations_tally is not None:
        relations_tally.read += len(graph.relations)
        relations_tally.add("arguments", placed.arguments - placed.repeats)
        relations_tally.add("arguments repeating a claim that bears on more than one entry (with a note)",
                            placed.repeats)
        relations_tally.leave("of a claim to itself (policyx cannot show them)", placed.self_relations)
        relations_tally.leave("duplicating another relation between the same claims", placed.duplicates)
        relations_tally.leave("aimed at an inference that leads to no claim", placed.aimless)
    return placed


def _common(claim: Claim, builder: Builder, fallback: str) -> dict[str, Any]:
    """The fields a position and an argument share: id, quote, source, tags, note."""
    entry: dict[str, Any] = {"id": builder.ids.make(claim.seed or claim.claim, claim.fallback or fallback)}
    if claim.quote and claim.source:
        entry["quote"] = claim.quote
        entry["source"] = claim.source
    tags = [one_line(tag) for tag in claim.tags if one_line(tag)]  # "#()" is no tag
    if tags:
        entry["tags"] = list(dict.fromkeys(tags))
    notes = [claim.note] if claim.note else []
    others = claim.others()
    if others:  # schema version 1 has no acts: who asked or disputed the claim is said in its note
        notes.append("Not held by: " + "; ".join(f"{a.actor} ({_DID[a.act]})" for a in others) + ".")
    if notes:
        entry["note"] = " ".join(notes)
    return entry


_DID = {"asks": "asked it", "challenges": "challenged it", "disagrees": "disagreed with it"}


def _keys(relations: list[Relation], linked: bool) -> list[tuple[str, str, str, str]]:
    """What makes two relations the same: source, target, stance; with ``linked`` (a graph), also
    the group of linked premises a relation belongs to (a claim supporting a conclusion alone and
    again with others says two things)."""
    sources: dict[str, set[str]] = {}
    for relation in relations if linked else ():
        if relation.group is not None:
            sources.setdefault(relation.group, set()).add(relation.source)
    return [(r.source, r.target, r.stance, r.group if r.group is not None and len(sources.get(r.group, ())) > 1 else "")
            for r in relations]


def _duplicates(relations: list[Relation], linked: bool = False) -> int:
    seen: set[tuple[str, str, str, str]] = set()
    count = 0
    for relation, key in zip(relations, _keys(relations, linked), strict=True):
        if relation.source != relation.target:
            count += key in seen
            seen.add(key)
    return count


def _usable(graph: Graph, builder: Builder, linked: bool = False) -> tuple[list[Relation], int]:
    """The relations that can become arguments: none of a claim to itself, no duplicates (``linked``:
    :func:`_keys`), none that leads to no claim; and how many of the last kind were left out."""
    seen: set[tuple[str, str, str, str]] = set()
    usable: list[Relation] = []
    aimless = 0
    for relation, key in zip(graph.relations, _keys(graph.relations, linked), strict=True):
        if relation.source == relation.target:
            builder.summary.warn(f"{graph.name}: {relation.where} makes {graph.claims[relation.source].where} "
                                 f"{'support' if relation.stance == 'for' else 'attack'} itself; left out")
        elif key not in seen:
            seen.add(key)
            usable.append(relation)
    while True:  # a relation aimed at relations that lead to no claim (aimed at itself, in a loop) answers nothing
        ends = _claim_ends(usable, graph.claims)
        lost = [r for r in usable if r.key not in ends]
        if not lost:
            return usable, aimless
        for relation in lost:
            builder.summary.warn(f"{graph.name}: {relation.where} aims at an inference that leads to no claim; "
                                 "left out")
        usable = [r for r in usable if r.key in ends]
        aimless += len(lost)


def _claim_ends(relations: list[Relation], claims: dict[str, Claim]) -> dict[str, str]:
    """The claim each relation bears on in the end (one aimed at a relation: that one's)."""
    by_key = {r.key: r for r in relations}
    ends: dict[str, str] = {}
    for relation in relations:
        target, seen = relation.target, {relation.key}
        while target not in claims and target in by_key and target not in seen:
            seen.add(target)
            target = by_key[target].target
        if target in claims:
            ends[relation.key] = target
    return ends


def _circles(edges: dict[str, list[str]]) -> list[list[str]]:
    """The groups of two or more nodes that reach each other (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles: list[list[str]] = []
    for root in list(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            if position < len(targets):
                work.append((node, position + 1))
                nxt = targets[position]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return circles


def _names(graph: Graph, keys: list[str]) -> str:
    named = [graph.claims[k].where for k in keys[:_NAMED] if k in graph.claims]
    more = f" and {len(keys) - _NAMED} more" if len(keys) > _NAMED else ""
    return ", ".join(named) + more
