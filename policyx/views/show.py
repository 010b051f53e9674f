"""``policyx show``: an entry in full, then everything under it, as rows with depth and parent."""

from __future__ import annotations

from collections.abc import Iterable

from ..kb.errors import UnknownIdError, UsageError
from ..kb.model import (
    Actor,
    Argument,
    Entry,
    KnowledgeBase,
    LegalModel,
    Position,
    Question,
    kind_of,
)
from ..kb.records import to_record
from .listing import Listing, Record
from .lookup import actor_names, get_entry, main_text
from .tree import argument_tree

#: Columns a plain line of ``show`` carries, in order (a row lacks some by kind: empty cell).
SHOW_COLUMNS: tuple[str, ...] = (
    "id", "kind", "root", "depth", "parent", "stance", "target", "claim", "who", "agreement", "type", "tags",
    "quote", "source", "standing",
)



def chain(kb: KnowledgeBase, argument: Argument) -> list[Record]:
    """What an argument answers, step by step up to its position and question: one item
    per step (``id``, ``kind``, ``relation``: how the step before bears on it, ``text``)."""
    steps: list[Record] = []
    relation = argument.stance.value
    target = kb.get(argument.target)
    while isinstance(target, Argument):
        steps.append({"id": target.id, "kind": "argument", "relation": relation, "text": target.claim})
        relation = target.stance.value
        target = kb.get(target.target)
    assert isinstance(target, Position)
    steps.append({"id": target.id, "kind": "position", "relation": relation, "text": target.claim})
    question = kb.get(target.question)
    assert isinstance(question, Question)
    steps.append({"id": question.id, "kind": "question", "relation": "answers", "text": question.text})
    return steps


def _row(kb: KnowledgeBase, entry: Entry, root: str, depth: int, parent: str | None) -> Record:
    record = to_record(entry)
    row: Record = {"id": entry.id, "kind": kind_of(entry).singular, "root": root, "depth": depth,
                   "parent": parent}
    row.update((k, v) for k, v in record.items() if k != "id")
    if "claim" not in row:
        row["claim"] = main_text(entry)
    row["who"] = actor_names(kb, entry)
    return row


def _with_standing(kb: KnowledgeBase, rows: list[Record]) -> list[Record]:
    """Each position's and argument's grounded label (derived: see views/framework.py), and why."""
    if not any(row["kind"] in ("position", "argument") for row in rows):
        return rows
    from .framework import standing_of

    standing = standing_of(kb)
    for row in rows:
        if row["kind"] in ("position", "argument"):
            row["standing"] = standing.labels[row["id"]]
            if not row["depth"]:
                row["why"] = f"standing derived (grounded semantics): {standing.why(row['id'])}"
    return rows


def show_rows(kb: KnowledgeBase, entry: Entry) -> list[Record]:
    """The entry, then everything under it: its argument tree (rebuttals nested); for a
    question its positions and their trees; for an actor the positions they held and the
    arguments they made; for a legal model the positions leaning towards it. ``depth``
    and ``parent`` give the nesting."""
    rows = [_row(kb, entry, entry.id, 0, None)]
    if isinstance(entry, Argument):
        rows[0]["chain"] = chain(kb, entry)
    if isinstance(entry, (Position, Argument)):
        for node in argument_tree(kb, entry.id):
            rows.append(_row(kb, node.argument, entry.id, node.depth, node.argument.target))
    elif isinstance(entry, Question):
        for position in kb.positions:
            if position.question == entry.id:
                rows.append(_row(kb, position, entry.id, 1, entry.id))
                for node in argument_tree(kb, position.id):
                    rows.append(_row(kb, node.argument, entry.id, node.depth + 1, node.argument.target))
    elif isinstance(entry, Actor):
        # who said what: the positions the actor held, then the arguments they made
        rows.extend(_row(kb, p, entry.id, 1, entry.id) for p in kb.positions if entry.id in p.held_by)
        rows.extend(_row(kb, a, entry.id, 1, entry.id) for a in kb.arguments if a.by == entry.id)
    elif isinstance(entry, LegalModel):
        rows.extend(_row(kb, p, entry.id, 1, entry.id) for p in kb.positions if entry.id in p.models)
    return _with_standing(kb, rows)


def show_listing(kb: KnowledgeBase, ids: Iterable[str]) -> Listing:
    """What ``policyx show ID...`` shows: one block per id that names an entry.

    An id that names none does not hide the others: its error (with a
    suggestion) is kept in :attr:`Listing.problems`, for the command to report
    after the output. Raises that error at once when no id names an entry.
    """
    ids = list(ids)
    if not ids:
        raise UsageError("give at least one id")
    rows: list[Record] = []
    problems: list[str] = []
    for entry_id in ids:
        try:
            entry = get_entry(kb, entry_id)
        except UnknownIdError as exc:  # (an ambiguous id, a usage error, stops the command at once)
            problems.append(exc.message)
            continue
        rows.extend(show_rows(kb, entry))
    if not rows:
        raise UnknownIdError("\n".join(problems))
    return Listing(rows, SHOW_COLUMNS, title="show", view="show", problems=tuple(problems))
