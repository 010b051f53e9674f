"""``policyx compare``: positions or arguments side by side, with their clashes."""

from __future__ import annotations

from ..kb.errors import UsageError
from ..kb.model import (
    Actor,
    Argument,
    Kind,
    KnowledgeBase,
    Position,
    Stance,
    kind_of,
)
from .listing import Listing, Record
from .lookup import get_entry, question_of
from .tree import TreeNode, argument_tree

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


#: Columns of the flat rows every non-JSON format of ``compare`` carries.
COMPARE_COLUMNS: tuple[str, ...] = ("section", "side", "other", "id", "relation", "target", "by", "text")


def _item(node: TreeNode) -> dict[str, Any]:
    a = node.argument
    return {"id": a.id, "claim": a.claim, "by": a.by, "stance": a.stance.value, "target": a.target,
            "depth": node.depth}


def _side(kb: KnowledgeBase, entry: Position | Argument) -> dict[str, Any]:
    question = question_of(kb, entry)
    tree = argument_tree(kb, entry.id)
    holders = entry.held_by if isinstance(entry, Position) else ((entry.by,) if entry.by else ())
    actors = []
    for actor_id in holders:
        actor = kb.get(actor_id)
        assert isinstance(actor, Actor)
        actors.append({"id": actor.id, "name": actor.name, "stands_for": actor.stands_for.value})
    unanswered = [
        _item(n) for n in tree
        if n.polarity < 0 and n.argument.stance is Stance.AGAINST
        and not any(r.stance is Stance.AGAINST for r in kb.replies_to(n.argument.id))
    ]
    return {
        "id": entry.id,
        "kind": kind_of(entry).singular,
        "question": {"id": question.id, "text": question.text},
        "claim": entry.claim,
        "holders": actors,
        "agreement": entry.agreement.value if isinstance(entry, Position) and entry.agreement else None,
        "stance": entry.stance.value if isinstance(entry, Argument) else None,
        "target": entry.target if isinstance(entry, Argument) else None,
        "tags": list(entry.tags),
        "distinct_tags": [],
        "for": [_item(n) for n in tree if n.polarity > 0],
        "against": [_item(n) for n in tree if n.polarity < 0],
        "unanswered": unanswered,
    }


def _camp(kb: KnowledgeBase, entry: Position | Argument, made_by: dict[str, list[str]]) -> set[str]:
    """Arguments on an entry's side: supporters in its tree, and anything its holders argued."""
    camp = {n.argument.id for n in argument_tree(kb, entry.id) if n.polarity > 0}
    holders = entry.held_by if isinstance(entry, Position) else ((entry.by,) if entry.by else ())
    for holder in holders:
        camp.update(a for a in made_by.get(holder, ()) if a != entry.id)
    return camp


def compare(kb: KnowledgeBase, ids: list[str]) -> dict[str, Any]:
    """The comparison of two or more positions or arguments (the documented JSON structure).

    ``clashes``: arguments of one side (made by one of its holders, or
    supporting it in its tree) that attack another side or one of that side's
    arguments. ``unanswered`` (per side): objections to the side (attacks in
    its tree) that no argument attacks in turn.

    The work grows with the sides and their trees, not with their square: each
    attack is looked up among the sides it hits, not checked against every side
    (3,000 ids took minutes when every pair of sides was compared).
    """
    if len(ids) < 2:
        raise UsageError("compare needs at least two ids")
    seen: set[str] = set()
    duplicates: set[str] = set()
    for entry_id in ids:
        (duplicates if entry_id in seen else seen).add(entry_id)
    if duplicates:
        raise UsageError(f"{min(duplicates)!r} is given twice; compare different entries")
    entries: list[Position | Argument] = []
    for entry_id in ids:
        entry = get_entry(kb, entry_id, (Kind.POSITIONS, Kind.ARGUMENTS))
        assert isinstance(entry, (Position, Argument))
        entries.append(entry)
    sides = [_side(kb, e) for e in entries]
    tag_sets = [set(e.tags) for e in entries]
    shared = [t for t in entries[0].tags if all(t in s for s in tag_sets)]
    sides_with: dict[str, int] = {}  # tag -> how many sides have it
    for tags in tag_sets:
        for tag in tags:
            sides_with[tag] = sides_with.get(tag, 0) + 1
    for side, entry in zip(sides, entries, strict=True):
        side["distinct_tags"] = [t for t in entry.tags if sides_with[t] == 1]
    holders = {h for e in entries for h in (e.held_by if isinstance(e, Position) else (e.by,))}
    made_by: dict[str, list[str]] = {}  # (only the sides' holders: one pass, nothing stored for the rest)
    for made in kb.arguments:
        if made.by is not None and made.by in holders:
            made_by.setdefault(made.by, []).append(made.id)
    camps = [_camp(kb, e, made_by) for e in entries]
    # what each side can be attacked through: its own id and its camp -> those sides, in order
    attacked_via: dict[str, list[int]] = {}
    for j, entry in enumerate(entries):
        for target in {*camps[j], entry.id}:
            attacked_via.setdefault(target, []).append(j)
    in_file_order = _file_order(kb)
    clashes = []
    for i, entry in enumerate(entries):
        found: list[tuple[int, int, Argument]] = []  # (other side, file order, attack)
        for argument_id in camps[i]:
            argument = kb.get(argument_id)
            assert isinstance(argument, Argument)
            if argument.stance is not Stance.AGAINST:
                continue
            for j in attacked_via.get(argument.target, ()):
                if j != i and argument_id not in camps[j]:
                    found.append((j, in_file_order(argument_id), argument))
        found.sort(key=lambda item: (item[0], item[1]))
        for j, _order, argument in found:
            clashes.append({"side": entry.id, "other": entries[j].id, "id": argument.id,
                            "claim": argument.claim, "by": argument.by, "stance": argument.stance.value,
                            "target": argument.target})
    return {
        "compared": [e.id for e in entries],
        "same_question": len({s["question"]["id"] for s in sides}) == 1,
        "shared_tags": shared,
        "sides": sides,
        "clashes": clashes,
    }


def _file_order(kb: KnowledgeBase) -> Any:
    """An argument's place in the file, indexed the first time one is asked for (most
    comparisons of a large knowledge base find no clash, and ask for none)."""
    order: dict[str, int] = {}

    def place(argument_id: str) -> int:
        if not order:
            order.update((a.id, i) for i, a in enumerate(kb.arguments))
        return order.get(argument_id, -1)

    return place


def compare_rows(structure: dict[str, Any]) -> list[Record]:
    """The comparison as flat rows (one fact per row) for plain, CSV, TSV, JSONL and ids."""
    rows: list[Record] = []

    def add(section: str, side: str | None, id_: str | None, relation: str | None = None,
            target: str | None = None, by: str | None = None, text: str | None = None,
            other: str | None = None) -> None:
        rows.append({"section": section, "side": side, "other": other, "id": id_, "relation": relation,
                     "target": target, "by": by, "text": text})

    for side in structure["sides"]:
        sid = side["id"]
        # an argument's row says what it does to its target ("against criminalize-johns"), as
        # every other argument row does; without it the plain formats lost the stance
        add("side", sid, sid, side["stance"] or side["kind"], side["target"], None, side["claim"])
        add("question", sid, side["question"]["id"], None, None, None, side["question"]["text"])
        relation = side["agreement"] if side["kind"] == "position" else "author"
        for actor in side["holders"]:
            add("holder", sid, actor["id"], relation, None, None, actor["name"])
        for stance in ("for", "against"):
            for item in side[stance]:
                add(stance, sid, item["id"], item["stance"], item["target"], item["by"], item["claim"])
        for tag in side["distinct_tags"]:
            add("distinct-tag", sid, None, None, None, None, tag)
        for item in side["unanswered"]:
            add("unanswered", sid, item["id"], item["stance"], item["target"], item["by"], item["claim"])
    for tag in structure["shared_tags"]:
        add("shared-tag", None, None, None, None, None, tag)
    for clash in structure["clashes"]:
        add("clash", clash["side"], clash["id"], clash["stance"], clash["target"], clash["by"], clash["claim"],
            other=clash["other"])
    return rows


def compare_listing(kb: KnowledgeBase, ids: list[str]) -> Listing:
    """What ``policyx compare ID ID...`` shows: json/yaml get the structure, other formats its rows."""
    structure = compare(kb, ids)
    return Listing(compare_rows(structure), COMPARE_COLUMNS, title="compare " + " ".join(ids),
                   meta=structure, view="compare")
