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
from . import graph
from .framework import standing_of
from .listing import Listing, Record
from .lookup import actor_names, get_entry, main_text
from .tree import TreeNode, argument_tree

#: Columns a plain line of ``show`` carries, in order (a row lacks some by kind: empty cell).
_COLUMNS: tuple[str, ...] = (
    "id", "kind", "root", "depth", "parent", "stance", "target", "claim", "who", "agreement", "type", "tags",
    "quote", "source",
)
#: A position's or argument's derived standing, last (added after the others, so that the columns
#: before keep their places); its ``why`` begins "standing derived", which marks it as derived on
#: a line without a header, as the plain lines of ``policyx standing`` do.
_STANDING_COLUMNS = ("standing", "why")
SHOW_COLUMNS: tuple[str, ...] = (*_COLUMNS, *_STANDING_COLUMNS)
#: A version-2 knowledge base's show rows carry what its graph adds, as phrases: linked
#: premises, the step an undercut attacks, restatements, contradictions, acts.
SHOW_COLUMNS_V2: tuple[str, ...] = (*_COLUMNS, "notes", *_STANDING_COLUMNS)



def chain(kb: KnowledgeBase, argument: Argument) -> list[Record]:
    """What an argument answers, step by step up to its position and question: one item
    per step (``id``, ``kind``, ``relation``: how the step before bears on it, ``text``)."""
    if kb.version >= 2:
        return _graph_chain(kb, argument)
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


def _graph_chain(kb: KnowledgeBase, argument: Argument) -> list[Record]:
    """chain() in a graph: the shortest way from the argument to a position (first
    relations first), which the loader guarantees there is, then its question."""
    came: dict[str, tuple[str, str]] = {}  # id -> (the argument it was reached from, relation)
    queue, at = [argument.id], 0
    position: Position | None = None
    while position is None and at < len(queue):
        current = kb.get(queue[at])
        at += 1
        assert isinstance(current, Argument)
        for stance, target_id in current.relations:
            if target_id in came or target_id == argument.id:
                continue
            word = "undercuts" if current.undercuts == target_id else stance.value
            came[target_id] = (current.id, word)
            target = kb.get(target_id)
            if isinstance(target, Position):
                position = target
                break
            queue.append(target_id)
    assert position is not None
    path = [position.id]
    while came[path[-1]][0] != argument.id:
        path.append(came[path[-1]][0])
    steps: list[Record] = []
    for step_id in reversed(path):
        entry = kb.get(step_id)
        assert isinstance(entry, (Argument, Position))
        steps.append({"id": step_id, "kind": kind_of(entry).singular, "relation": came[step_id][1],
                      "text": entry.claim})
    question = kb.get(position.question)
    assert isinstance(question, Question)
    steps.append({"id": question.id, "kind": "question", "relation": "answers", "text": question.text})
    return steps


def _row(kb: KnowledgeBase, entry: Entry, root: str, depth: int, parent: str | None,
         node: TreeNode | None = None) -> Record:
    record = to_record(entry, kb.version)
    row: Record = {"id": entry.id, "kind": kind_of(entry).singular, "root": root, "depth": depth,
                   "parent": parent}
    row.update((k, v) for k, v in record.items() if k != "id")
    if "claim" not in row:
        row["claim"] = main_text(entry)
    row["who"] = actor_names(kb, entry)
    if kb.version >= 2:
        _graph_row(kb, entry, row, node)
    return row


def _with_standing(kb: KnowledgeBase, rows: list[Record]) -> list[Record]:
    """Each position's and argument's grounded label (derived: see views/framework.py), and why."""
    if not any(row["kind"] in ("position", "argument") for row in rows):
        return rows

    standing = standing_of(kb)
    for row in rows:
        if row["kind"] in ("position", "argument"):
            row["standing"] = standing.labels[row["id"]]  # each row's label says it is derived (its why)
            row["why"] = f"standing derived (grounded semantics): {standing.why(row['id'])}"
    return rows


def _graph_row(kb: KnowledgeBase, entry: Entry, row: Record, node: TreeNode | None) -> None:
    """What version 2 adds to a show row: under the entry shown, ``stance`` and ``target``
    say how it bears on the row above (``undercuts``: on its step); a node met before is a
    reference (``ref``), not a copy; ``notes`` words premises, undercuts, links and acts."""
    notes = graph.premise_lines(entry, quotes=True)
    walked = node.node if node is not None else None
    if walked is not None:
        row["stance"], row["target"] = graph.relation_word(walked), node.parent  # type: ignore[union-attr]
        row["ref"] = walked.ref
        if walked.ref:
            row["claim"], notes = graph.reference_text(walked), []
        elif walked.undercut:
            notes.append(graph.undercut_text(kb, walked))
    if walked is None or not walked.ref:
        notes += graph.link_notes(kb, entry) + graph.act_lines(kb, entry)
    row["notes"] = notes


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
            rows.append(_row(kb, node.argument, entry.id, node.depth, node.parent, node))
    elif isinstance(entry, Question):
        for position in kb.positions:
            if position.question == entry.id:
                rows.append(_row(kb, position, entry.id, 1, entry.id))
                for node in argument_tree(kb, position.id):
                    rows.append(_row(kb, node.argument, entry.id, node.depth + 1, node.parent, node))
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
    columns = SHOW_COLUMNS_V2 if kb.version >= 2 else SHOW_COLUMNS
    return Listing(rows, columns, title="show", view="show", problems=tuple(problems))
