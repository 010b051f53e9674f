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
        "agreement": entry.agreement.value if isinstance(entry, Position) else None,
        "stance": entry.stance.value if isinstance(entry, Argument) else None,
        "target": entry.target if isinstance(entry, Argument) else None,
        "tags": list(entry.tags),
        "distinct_tags": [],
        "for": [_item(n) for n in tree if n.polarity > 0],
        "against": [_item(n) for n in tree if n.polarity < 0],
        "unanswered": unanswered,
    }


def _camp(kb: KnowledgeBase, entry: Position | Argument) -> set[str]:
    """Arguments on an entry's side: supporters in its tree, and anything its holders argued."""
    camp = {n.argument.id for n in argument_tree(kb, entry.id) if n.polarity > 0}
    holders = set(entry.held_by) if isinstance(entry, Position) else ({entry.by} if entry.by else set())
    camp |= {a.id for a in kb.arguments if a.by in holders and a.id != entry.id}
    return camp


def compare(kb: KnowledgeBase, ids: list[str]) -> dict[str, Any]:
    """The comparison of two or more positions or arguments (the documented JSON structure).

    ``clashes``: arguments of one side (made by one of its holders, or
    supporting it in its tree) that attack another side or one of that side's
    arguments. ``unanswered`` (per side): objections to the side (attacks in
    its tree) that no argument attacks in turn.
    """
    if len(ids) < 2:
        raise UsageError("compare needs at least two ids")
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise UsageError(f"{duplicates[0]!r} is given twice; compare different entries")
    entries: list[Position | Argument] = []
    for entry_id in ids:
        entry = get_entry(kb, entry_id, (Kind.POSITIONS, Kind.ARGUMENTS))
        assert isinstance(entry, (Position, Argument))
        entries.append(entry)
    sides = [_side(kb, e) for e in entries]
    tag_sets = [set(e.tags) for e in entries]
    shared = [t for t in entries[0].tags if all(t in s for s in tag_sets)]
    for side, entry, tags in zip(sides, entries, tag_sets, strict=True):
        others = set().union(*(s for s in tag_sets if s is not tags))
        side["distinct_tags"] = [t for t in entry.tags if t not in others]
    camps = [_camp(kb, e) for e in entries]
    in_file_order = _file_order(kb)
    clashes = []
    for i, entry in enumerate(entries):
        for j, other in enumerate(entries):
            if i == j:
                continue
            attacked = camps[j] | {other.id}
            for argument_id in sorted(camps[i] - camps[j], key=in_file_order):
                argument = kb.get(argument_id)
                assert isinstance(argument, Argument)
                if argument.stance is Stance.AGAINST and argument.target in attacked:
                    clashes.append({"side": entry.id, "other": other.id, "id": argument.id,
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
    order = {a.id: i for i, a in enumerate(kb.arguments)}
    return lambda argument_id: order.get(argument_id, -1)


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
