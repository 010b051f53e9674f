"""A graph of claims and relations -> the entries of a schema-version-2 knowledge base.

Version 2 holds a graph, so nothing is repeated or bent into a tree (docs/import.md):

- every claim is one entry: a position if it bears on nothing, else an argument
  with every target it bears on (``for:`` and ``against:`` lists);
- the relations of one group with two or more premises (an AIF RA node, an
  Argdown premise-conclusion structure, a microtexts ``add``, a Carneades
  argument) are **one** argument whose ``premises`` are those claims, each with
  its quote and speaker; a premise that is no entry of its own stays only there,
  and what answers it answers that argument (its note says which premise);
- a relation aimed at a relation is an undercut (``undercuts:``) of the entry
  that relation belongs to;
- claims that only attack each other, with nothing above them, are ordinary:
  the first in file order whose relations are all attacks becomes a position
  (positions may contradict others: ``against:``); a circle of supports alone is
  an error (or, for formats whose semantics test such loops, a position with a
  warning, its support left out);
- who asserted, agreed, asked or disputed a claim are its ``acts``; ``held_by``
  is written only for a position no act names anyone for (the file's author).
"""

from __future__ import annotations

from collections import deque
from typing import Any

from .common import Builder, Tally, fail, one_line
from .shape import HOLDING, Claim, Graph, Placed, Relation, _circles, _duplicates, _names, _usable, place_trees


def place(graph: Graph, builder: Builder, relations_tally: Tally | None = None) -> Placed:
    """Add the graph's positions and arguments to ``builder``: as a graph (schema version 2) when the
    builder writes version 2 (what imports write), else as version 1's trees (:mod:`.shape`)."""
    if builder.version >= 2:
        return place_graph(graph, builder, relations_tally)
    return place_trees(graph, builder, relations_tally)


def place_graph(graph: Graph, builder: Builder, relations_tally: Tally | None = None) -> Placed:
    """Add the graph's positions and arguments to ``builder`` as schema version 2."""
    relations, aimless = _usable(graph, builder, linked=True)
    claims = graph.claims
    order = {key: index for index, key in enumerate(claims)}
    groups: dict[str, list[Relation]] = {}
    for relation in relations:
        groups.setdefault(relation.group or relation.key, []).append(relation)
    linked = {g: rs for g, rs in groups.items() if len({r.source for r in rs}) > 1}
    grouped = {r.key for rs in linked.values() for r in rs}
    own_out: dict[str, list[Relation]] = {}  # claim -> its relations as an entry of its own
    for relation in relations:
        if relation.key not in grouped:
            own_out.setdefault(relation.source, []).append(relation)
    member_of: dict[str, str] = {}  # a claim only inside linked groups -> its first group
    for group, rs in linked.items():
        for relation in rs:
            if relation.source not in own_out:
                member_of.setdefault(relation.source, group)
    # a relation aimed at a premise that is no entry of its own names it: ARGUMENT.PREMISE
    aimed = {r.key: r.target for r in relations if r.target in member_of and not r.whole}
    # the units that become entries: claims of their own, and linked groups
    unit_of_relation = {r.key: (f"g:{r.group}" if r.key in grouped else f"c:{r.source}") for r in relations}

    def unit_of_target(target: str) -> str:
        if target in claims:
            return f"g:{member_of[target]}" if target in member_of else f"c:{target}"
        return unit_of_relation[target]

    units: dict[str, list[tuple[str, str, str]]] = {}  # unit -> [(how, target unit, relation key)]
    extra: dict[str, list[str]] = {}  # unit -> the further arguments it undercuts
    clashes = 0
    for key in claims:
        if key not in member_of:
            units[f"c:{key}"] = []
    for group in linked:
        units[f"g:{group}"] = []
    for relation in relations:
        how = relation.stance if relation.target in claims and relation.stance != "undercuts" else "undercuts"
        target = unit_of_target(relation.target)
        unit = unit_of_relation[relation.key]
        if target == unit:
            continue  # a premise answering its own linked argument: counted as aimed at itself
        named = {(e[1], aimed.get(e[2], "")): e[0] for e in units[unit]}
        at = (target, aimed.get(relation.key, ""))
        if how == "undercuts" and "undercuts" in named.values() and at not in named:
            extra.setdefault(unit, []).append(target)  # an entry undercuts one argument: the others in its note
        elif at not in named:
            units[unit].append((how, target, relation.key))
        elif named[at] != how:  # an entry bears on each target one way
            clashes += 1
            builder.summary.warn(f"{graph.name}: {relation.where} makes {_unit_name(graph, unit)} {how} what it "
                                 f"already {named[at]}; the first is kept")
    # positions: units that bear on nothing, then (for circles) claims whose relations are all attacks
    # (a linked argument is never a position: one that bears on nothing concludes one of its own premises)
    positions: list[str] = [u for u in units if u.startswith("c:") and (not units[u] or (
        claims[u[2:]].position and all(how == "against" for how, _, _ in units[u])))]
    incoming: dict[str, list[str]] = {}
    for unit, targets in units.items():
        for _, target, _ in targets:
            incoming.setdefault(target, []).append(unit)
    reached: set[str] = set()

    def walk(starts: list[str]) -> None:
        queue = deque(starts)
        reached.update(starts)
        while queue:
            for source in incoming.get(queue.popleft(), ()):
                if source not in reached:
                    reached.add(source)
                    queue.append(source)

    walk(positions)
    promoted: list[str] = []
    dropped: dict[str, list[tuple[str, str, str]]] = {}
    while len(reached) < len(units):
        left = [u for u in units if u not in reached]
        claim_units = sorted((u for u in left if u.startswith("c:")), key=lambda u: order[u[2:]])
        attacking = [u for u in claim_units if all(how == "against" for how, _, _ in units[u])] or \
            [u for u in claim_units if all(how in ("against", "undercuts") for how, _, _ in units[u])]
        if attacking:
            chosen = attacking[0]
            undercuts = [t for t in units[chosen] if t[0] == "undercuts"]
            if undercuts:  # a position attacks claims, not steps: its undercut is left out
                dropped[chosen] = undercuts
                units[chosen] = [t for t in units[chosen] if t[0] == "against"]
                builder.summary.warn(f"{graph.name}: {claims[chosen[2:]].where} undercuts only what leads back to "
                                     "it, so it became a position; its undercut is left out")
        else:
            members = [u[2:] for u in claim_units] or list(dict.fromkeys(r.source for r in linked[left[0][2:]]))
            names = _names(graph, members)
            if not claim_units and not units[left[0]]:  # a linked argument for one of its own premises
                raise fail(graph.name, f"the linked premises {names} conclude one of themselves: an argument for"
                           " itself, which bears on nothing else", "remove that premise from the argument,"
                           " or conclude another claim")
            if graph.support_circles == "error" or not claim_units:
                raise fail(graph.name, f"claims {names} support each other in a circle, and none of them is a "
                           "conclusion of anything outside it, so none can be a position",
                           "remove one of the supports, or add the conclusion they argue for")
            chosen = claim_units[0]
            dropped[chosen] = [t for t in units[chosen] if t[0] != "against"]
            units[chosen] = [t for t in units[chosen] if t[0] == "against"]
            builder.summary.warn(f"{graph.name}: claims {names} bear only on each other, in a circle of supports; "
                                 f"{claims[chosen[2:]].where} became a position, and its support of the others "
                                 "is left out")
        promoted.append(chosen)
        positions.append(chosen)
        walk([chosen])
    at_positions = set(positions)  # an undercut of what became a position attacks its claim: there is no step
    for unit, targets in units.items():
        if any(how == "undercuts" and t in at_positions for how, t, _ in targets):
            units[unit] = [("against", t, k) if how == "undercuts" and t in at_positions else (how, t, k)
                           for how, t, k in targets]
    circular = _break_support_circles(graph, builder, units, positions, incoming)
    ids = _ids(graph, builder, units, linked)
    premise_id = _premise_ids(graph, linked, member_of, aimed)
    for key, premise in premise_id.items():  # what names a premise: ARGUMENT.PREMISE
        ids[f"p:{key}"] = f"{ids[f'g:{member_of[key]}']}.{premise}"
    ids.update({f"r:{k}": ids[f"p:{t}"] for k, t in aimed.items()})  # what each aimed relation names
    placed = Placed({})
    placed.aimless = aimless
    placed.duplicates = _duplicates(graph.relations, linked=True)
    placed.self_relations = len(graph.relations) - len(relations) - placed.duplicates - aimless
    position_set = set(positions)
    for unit in sorted(positions, key=lambda u: order[u[2:]]):
        builder.position(_position(graph, unit[2:], ids, units[unit], builder))
        placed.positions += 1
        placed.position_keys.add(unit[2:])
    notes: dict[str, str] = {}
    for unit, more in extra.items():
        said = "It also undercuts " + ", ".join(f"'{ids[t]}'" for t in dict.fromkeys(more)) + \
            " (an entry undercuts one argument)."
        notes[unit] = f"{notes[unit]} {said}" if unit in notes else said
    for unit in _breadth_first(positions, incoming, units):
        if unit in position_set:
            continue
        if unit.startswith("g:"):
            builder.argument(_linked(graph, linked[unit[2:]], ids[unit], units[unit], ids, notes.get(unit)))
        else:
            builder.argument(_argument(graph, unit[2:], ids, units[unit], notes.get(unit)))
        placed.arguments += 1
    placed.entry_of = {key: ids[f"c:{key}"] for key in claims if f"c:{key}" in ids}
    placed.entry_of.update({key: ids[f"g:{group}"] for key, group in member_of.items()})
    if relations_tally is not None:
        _tally(relations_tally, graph, units, linked, member_of, placed,
               sum(len(d) for d in dropped.values()) + circular, clashes)
    return placed


def _break_support_circles(graph: Graph, builder: Builder, units: dict[str, list[tuple[str, str, str]]],
                           positions: list[str], incoming: dict[str, list[str]]) -> int:
    """A circle of supports that does lead to a position: each support that leads away from the
    position (to an entry no nearer to it) is left out, with a warning; returns how many."""
    supports = {u: [t for how, t, _ in ts if how == "for"] for u, ts in units.items()}
    circles = _circles({u: ts for u, ts in supports.items() if ts})
    if not circles:
        return 0
    distance = dict.fromkeys(positions, 0)
    queue = deque(positions)
    while queue:
        unit = queue.popleft()
        for source in incoming.get(unit, ()):
            if source not in distance:
                distance[source] = distance[unit] + 1
                queue.append(source)
    order = {key: index for index, key in enumerate(graph.claims)}
    dropped = 0
    for circle in circles:
        inside = set(circle)
        for unit in circle:
            keep = [t for t in units[unit] if not (t[0] == "for" and t[1] in inside
                                                  and distance.get(t[1], 0) >= distance.get(unit, 0))]
            dropped += len(units[unit]) - len(keep)
            units[unit] = keep
        members = sorted((u[2:] for u in circle if u.startswith("c:")), key=order.__getitem__)
        names = _names(graph, members) if members else "of linked arguments"
        builder.summary.warn(f"{graph.name}: claims {names} support each other in a circle; the supports leading "
                             "away from their conclusion are left out (a claim cannot support itself through others)")
    return dropped


def _unit_name(graph: Graph, unit: str) -> str:
    return graph.claims[unit[2:]].where if unit.startswith("c:") else "a linked argument"


def _ids(graph: Graph, builder: Builder, units: dict[str, Any], linked: dict[str, list[Relation]]) -> dict[str, str]:
    """Entry ids, made in file order of the claims (a linked argument where its first premise stands)."""
    ids: dict[str, str] = {}
    order = {key: index for index, key in enumerate(graph.claims)}  # (once: not a list searched per group)
    first_premise = {g: min((r.source for r in rs), key=order.__getitem__) for g, rs in linked.items()}
    by_claim: dict[str, list[str]] = {}
    for group, premise in first_premise.items():
        by_claim.setdefault(premise, []).append(f"g:{group}")
    for key, claim in graph.claims.items():
        if f"c:{key}" in units:
            ids[f"c:{key}"] = builder.ids.make(claim.seed or claim.claim, claim.fallback or "entry")
        for unit in by_claim.get(key, ()):
            premises = _premise_keys(linked[unit[2:]])
            text = "; ".join(graph.claims[p].claim for p in premises)
            ids[unit] = builder.ids.make(text, "linked argument")
    return ids


def _premise_keys(relations: list[Relation]) -> list[str]:
    return list(dict.fromkeys(r.source for r in relations))


def _breadth_first(positions: list[str], incoming: dict[str, list[str]], units: dict[str, Any]) -> list[str]:
    """The units in the order a reader meets them: out from the positions, breadth first."""
    seen: set[str] = set(positions)
    out: list[str] = []
    queue = deque(positions)
    while queue:
        unit = queue.popleft()
        out.append(unit)
        for source in incoming.get(unit, ()):
            if source not in seen:
                seen.add(source)
                queue.append(source)
    return out + [u for u in units if u not in seen]


def _common(claim: Claim) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if claim.quote and claim.source:
        entry["quote"] = claim.quote
        entry["source"] = claim.source
    tags = [one_line(tag) for tag in claim.tags if one_line(tag)]
    if tags:
        entry["tags"] = list(dict.fromkeys(tags))
    if claim.note:
        entry["note"] = claim.note
    return entry


def _implied(acts: list[dict[str, Any]], entry: dict[str, Any]) -> str | None:
    """The one speaker of an entry whose only act is asserting it in the entry's own quote: then
    ``held_by``/``by`` say it all (the model reads them as that assertion), and ``acts`` is left out."""
    if len(acts) == 1 and acts[0]["act"] == "asserts" and acts[0].get("quote") == entry.get("quote") \
            and acts[0].get("source") == entry.get("source"):
        return str(acts[0]["by"])
    return None


def _acts(claim: Claim) -> list[dict[str, Any]]:
    acts = []
    for act in dict.fromkeys(claim.acts) if len(claim.acts) > 1 else claim.acts:
        made: dict[str, Any] = {"by": act.actor, "act": act.act}
        if act.quote and act.source:
            made["quote"], made["source"] = act.quote, act.source
        acts.append(made)
    return acts


def _refs(targets: list[tuple[str, str, str]], how: str, ids: dict[str, str]) -> list[str]:
    """What an entry's relations of one kind name, once each (a premise of a linked argument as
    ARGUMENT.PREMISE)."""
    return list(dict.fromkeys(ids.get(f"r:{key}") or ids[t] for h, t, key in targets if h == how))


_KINDS = ("for", "against", "undercuts")  # what an argument bears on, in the order its entry says them


def _targets(entry: dict[str, Any], targets: list[tuple[str, str, str]], ids: dict[str, str]) -> None:
    """``for``, ``against`` and ``undercuts`` of an argument: what each names, once each, in one pass
    (one target alone as an id; an undercut names its argument, not a premise)."""
    named: dict[str, dict[str, None]] = {}
    for how, target, key in targets:
        if how in _KINDS:
            named.setdefault(how, {})[ids[target] if how == "undercuts" else ids.get(f"r:{key}") or ids[target]] = None
    for how in _KINDS:
        if how in named:
            chosen = list(named[how])
            entry[how] = chosen[0] if len(chosen) == 1 or how == "undercuts" else chosen


def _restates(graph: Graph, claim: Claim, entry: dict[str, Any], ids: dict[str, str], own: str = "") -> None:
    """``restates:`` the entries (or premises: ARGUMENT.PREMISE) the claim says again, but
    ``own`` (the entry it belongs to); one alone as an id, several as a list."""
    if not claim.restates:
        return
    named = [ids.get(f"c:{k}") or ids.get(f"p:{k}") for k in claim.restates]
    own = own or entry["id"]  # a premise (ARGUMENT.PREMISE) may restate another of its argument
    targets = list(dict.fromkeys(t for t in named if t and (t if "." in own else t.partition(".")[0]) != own))
    if targets:
        entry["restates"] = targets[0] if len(targets) == 1 else targets
    others = [f"'{graph.claims[k].claim}'" for k, t in zip(claim.restates, named, strict=True) if not t]
    if others:
        said = "It also restates " + "; ".join(others) + "."
        entry["note"] = f"{entry['note']} {said}" if entry.get("note") else said


def _position(graph: Graph, key: str, ids: dict[str, str], targets: list[tuple[str, str, str]],
              builder: Builder) -> dict[str, Any]:
    claim = graph.claims[key]
    entry: dict[str, Any] = {"id": ids[f"c:{key}"], "question": claim.question or graph.question,
                             "claim": claim.claim}
    entry.update(_common(claim))
    acts = _acts(claim)
    speaker = _implied(acts, entry)
    if not acts or speaker is not None:  # no one named: the file's author (or the speakers the format names)
        held = [speaker] if speaker else list(dict.fromkeys(claim.speakers))
        if held or not graph.unheld:
            entry["held_by"] = held or [graph.holder()]
        acts = []
    attacked = _refs(targets, "against", ids)
    if attacked:
        entry["against"] = attacked
    _restates(graph, claim, entry, ids)
    if acts:
        entry["acts"] = acts
    return entry


def _argument(graph: Graph, key: str, ids: dict[str, str], targets: list[tuple[str, str, str]],
              note: str | None) -> dict[str, Any]:
    claim = graph.claims[key]
    entry: dict[str, Any] = {"id": ids[f"c:{key}"], "claim": claim.claim}
    _targets(entry, targets, ids)
    held = claim.speakers or [a.actor for a in claim.acts if a.act in HOLDING]
    if held:
        entry["by"] = held[0]
    common = _common(claim)
    if note:
        common["note"] = f"{common['note']} {note}" if common.get("note") else note
    entry.update(common)
    if claim.premises:  # a premise-conclusion structure the format gives the argument itself
        entry["premises"] = [{"claim": text, **({"quote": quote, "source": claim.source} if quote and claim.source
                                                else {})} for text, quote in claim.premises]
    _restates(graph, claim, entry, ids)
    acts = _acts(claim)
    if acts and _implied(acts, entry) != entry.get("by"):
        entry["acts"] = acts
    return entry


def _linked(graph: Graph, relations: list[Relation], entry_id: str, targets: list[tuple[str, str, str]],
            ids: dict[str, str], note: str | None) -> dict[str, Any]:
    """One argument of linked premises: its claim the premises together, each premise with its quote."""
    premises = [graph.claims[k] for k in _premise_keys(relations)]
    joined = "; ".join(p.claim.rstrip(" .;") for p in premises) + "."
    entry: dict[str, Any] = {"id": entry_id, "claim": graph.group_claims.get(relations[0].group or "", joined)}
    _targets(entry, targets, ids)
    by = next((p.holders()[0] for p in premises if p.holders()), None)
    if by is not None:
        entry["by"] = by
    records = []
    restated: list[str] = []
    for premise in premises:
        record: dict[str, Any] = {"claim": premise.claim}
        if premise.quote and premise.source:
            record["quote"], record["source"] = premise.quote, premise.source
        if premise.holders():
            record["by"] = premise.holders()[0]
        own = ids.get(f"p:{premise.key}", "")
        if own.startswith(f"{entry_id}."):  # named by others (its id), and what it restates, in its argument only
            record["id"] = own.partition(".")[2]
            said_again: dict[str, Any] = {}
            _restates(graph, premise, said_again, ids, own)
            if "restates" in said_again:
                record["restates"] = said_again["restates"]
            if "note" in said_again:
                restated.append(f"Of its premise '{premise.claim}': {said_again['note']}")
        records.append(record)
    entry["premises"] = records
    said = [f"'{p.claim}': {', '.join(f'{a.actor} {a.act}' for a in p.others())}" for p in premises if p.others()]
    notes = [relations[0].where.join(("The premises of ", ", which hold only together.")), *restated]
    if said:
        notes.append("Acts on its premises that hold none of them: " + "; ".join(said) + ".")
    notes += [f"Of its premise '{p.claim}': {p.note}" for p in premises if p.note]
    if note:
        notes.append(note)
    entry["note"] = " ".join(notes)
    return entry


def _tally(tally: Tally, graph: Graph, units: dict[str, list[tuple[str, str, str]]], linked: dict[str, list[Relation]],
           member_of: dict[str, str], placed: Placed, dropped: int, clashes: int) -> None:
    tally.read += len(graph.relations)
    single = sum(1 for u, ts in units.items() if u.startswith("c:") and ts)
    tally.add("arguments", single)
    tally.add("arguments of linked premises (one per inference, its premises together)", len(linked))
    further = sum(max(0, len([t for t in ts if t[0] != "undercuts"]) - 1) for ts in units.values())
    tally.add("further targets of an argument that bears on several entries", further)
    tally.add("undercuts (attacks on an inference's step)", sum(1 for ts in units.values() for t in ts
                                                                  if t[0] == "undercuts"))
    tally.add("attacks of a position on another (claims that contradict each other)",
              sum(1 for k in placed.position_keys for t in units.get(f"c:{k}", ()) if t[0] == "against"))
    tally.add("premises that are no entry of their own (kept in their argument)", len(member_of))
    tally.leave("of a claim to itself (policyx cannot show them)", placed.self_relations)
    tally.leave("duplicating another relation between the same claims", placed.duplicates)
    tally.leave("aimed at an inference that leads to no claim", placed.aimless)
    tally.leave("supports (or undercuts) closing a circle", dropped)
    tally.leave("bearing on a target the same entry already bears on the other way", clashes)


def _premise_ids(graph: Graph, linked: dict[str, list[Relation]], member_of: dict[str, str],
                 aimed: dict[str, str]) -> dict[str, str]:
    """The id of each premise that something names (a relation aimed at it, a restatement of
    it, or restating another): ``p`` and its place among its argument's premises."""
    named = set(aimed.values()) | {k for c in graph.claims.values() for k in c.restates if k in member_of}
    named |= {k for k in member_of if graph.claims[k].restates}
    places: dict[str, dict[str, int]] = {}  # each argument's premises numbered once, not searched per premise
    for key in graph.claims:
        if key in named and member_of[key] not in places:
            places[member_of[key]] = {k: n for n, k in enumerate(_premise_keys(linked[member_of[key]]), 1)}
    return {key: f"p{places[member_of[key]][key]}" for key in graph.claims if key in named}
