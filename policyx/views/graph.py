"""What a version-2 knowledge base adds to each view: how a node bears on the one above
(for, against, undercuts), references to nodes shown above, linked premises, restatements,
contradictions between positions, and the acts of the people who took part.

Every view words these the same way through this module. A version-1 knowledge base has
none of them: every function here gives nothing for it, so its output stays as it was.
"""

from __future__ import annotations

from ..kb.model import ActKind, Actor, Argument, Entry, KnowledgeBase, Position, Question
from ..kb.schema import TARGET_FIELD
from .tree import ArgumentNode

#: the acts in the order they are listed, and the word for each
ACT_WORDS: dict[ActKind, str] = {
    ActKind.ASSERTS: "asserted by",
    ActKind.AGREES: "agreed by",
    ActKind.CONCEDES: "conceded by",
    ActKind.ASKS: "asked by",
    ActKind.CHALLENGES: "challenged by",
    ActKind.DISAGREES: "disputed by",
}


def count_under(kb: KnowledgeBase, entry_id: str) -> int:
    """How many arguments answer ``entry_id``, directly or through replies to replies: in a
    graph each once (an argument reached twice is a reference, not counted again); in a tree
    each path's arguments (a tree reaches each argument once anyway)."""
    seen, todo = {entry_id}, [entry_id]
    while todo:
        for reply in kb.replies_to(todo.pop()):
            if reply.id not in seen:
                seen.add(reply.id)
                todo.append(reply.id)
    return len(seen) - 1


def relation_word(node: ArgumentNode) -> str:
    """How a node bears on the one above it: ``for``, ``against`` or ``undercuts``."""
    return "undercuts" if node.undercut else TARGET_FIELD[node.stance]


def reference_text(node: ArgumentNode) -> str:
    """What a node reached a second time shows instead of a copy."""
    return f"see {node.id} above"


def undercut_text(kb: KnowledgeBase, node: ArgumentNode) -> str:
    """Which step an undercut attacks: from the argument above to what that one answers."""
    attacked = kb.get(node.argument.undercuts or "")
    if not isinstance(attacked, Argument):
        return ""
    targets = ", ".join(target for _, target in attacked.relations)
    return f"attacks the step from {attacked.id} to {targets}, not its claim"


def acts_text(kb: KnowledgeBase, entry: Entry, names: dict[str, str] | None = None) -> list[str]:
    """"asserted by A, B", "asked by C"... for an entry's acts, one item per kind of act."""
    acts = getattr(entry, "acts", ())
    if not acts:
        return []
    names = {a.id: a.name for a in kb.actors} if names is None else names
    by_kind: dict[ActKind, list[str]] = {}
    for act in acts:
        who = names.get(act.by, act.by)
        if who not in by_kind.setdefault(act.act, []):
            by_kind[act.act].append(who)
    return [f"{ACT_WORDS[kind]} {', '.join(by_kind[kind])}" for kind in ACT_WORDS if kind in by_kind]


def link_notes(kb: KnowledgeBase, entry: Entry) -> list[str]:
    """Restatements and contradictions: "restates ID", "restated by ID", "contradicts ID",
    "contradicted by position ID", "also answers ID" (an argument's further targets)."""
    if kb.version < 2 or not isinstance(entry, (Question, Position, Argument)):
        return []
    notes = []
    if entry.restates:
        notes.append(f"restates {', '.join(entry.restates)}")
    if isinstance(entry, Argument) and entry.aims:
        notes += [f"{TARGET_FIELD[stance]} premise {aim} of {target}" + _premise_claim(kb, target, aim)
                  for (stance, target), aim in zip(entry.relations, entry.aims, strict=True) if aim]
    if isinstance(entry, Position) and entry.against:
        notes.append(f"contradicts {', '.join(entry.against)}")
    for how, other in kb.links_to(entry.id):
        notes.append(f"{'contradicted by position' if how == 'attacked by position' else how} {other}")
    return notes


def notes(kb: KnowledgeBase, entry: Entry, names: dict[str, str] | None = None) -> list[str]:
    """Everything version 2 says about an entry beyond version 1's fields, as short phrases."""
    if kb.version < 2:
        return []
    return [*link_notes(kb, entry), *acts_text(kb, entry, names)]


def _premise_claim(kb: KnowledgeBase, target: str, aim: str) -> str:
    """ ": “CLAIM”" of the premise ``aim`` of the argument ``target``."""
    argument = kb.get(target)
    claim = next((p.claim for p in getattr(argument, "premises", ()) if p.id == aim), None)
    return f": “{claim}”" if claim else ""


def premise_lines(entry: Entry, quotes: bool = False) -> list[str]:
    """An argument's linked premises: "linked premise 1 of 2 (ID): CLAIM" (its parts, one reason;
    the id when it has one, what other entries name it by), what it restates, and what answers
    it; with ``quotes``, each one's quote and source after it."""
    premises = getattr(entry, "premises", ())
    return [f"linked premise {at} of {len(premises)}" + (f" ({premise.id})" if premise.id else "")
            + f": {premise.claim}" + (_quoted(premise.quote, premise.source) if quotes else "")
            + (f" (restates {', '.join(premise.restates)})" if premise.restates else "")
            for at, premise in enumerate(premises, 1)]


def act_lines(kb: KnowledgeBase, entry: Entry) -> list[str]:
    """Each act on its own: "disputed by NAME: “QUOTE” (SOURCE)"."""
    return [f"{ACT_WORDS[act.act]} {_name(kb, act.by)}" + _quoted(act.quote, act.source)
            for act in getattr(entry, "acts", ())]


def _name(kb: KnowledgeBase, actor_id: str) -> str:
    """An actor's name, by the id index (a table of every actor per entry made `show` of a
    question of US2016, 2,311 actors, quadratic)."""
    actor = kb.get(actor_id)
    return actor.name if isinstance(actor, Actor) else actor_id


def _quoted(quote: str | None, source: str | None) -> str:
    return f": “{quote}” ({source})" if quote else ""
