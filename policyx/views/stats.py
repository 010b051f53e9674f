"""``policyx stats``: counts and shapes of a knowledge base or a library, per debate and in total,
per question or per actor.

Every figure is counted from the entries as ``list`` sees them, so that each count equals the
number of records the matching ``list`` command prints (tested): ``questions`` is
``list questions``, ``for`` is ``list arguments`` with the ``stance`` filter ``for``,
``unanswered`` is ``list arguments`` with the ``unanswered`` filter, an actor's ``held`` is
``list positions`` with the ``by`` filter, and so on. Shapes (depth, branching, the share of
objections unanswered) are derived: the table says so.

A debate is one knowledge base: a library's members one by one, then the whole library
(``total``); a single knowledge base is its own one debate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..kb.errors import UsageError
from ..kb.hints import option
from ..kb.library import Library
from ..kb.model import (
    DISPUTING_ACTS,
    ActKind,
    Agreement,
    Argument,
    Entry,
    Kind,
    KnowledgeBase,
    Position,
    Question,
    Stance,
)
from .filtering import unanswered
from .listing import Listing, Record
from .lookup import questions_of

#: What the ``per`` option groups the figures by.
GROUPINGS: tuple[str, ...] = ("debate", "question", "actor")

#: The fields of a debate record (the JSON contract, docs/reference.md), in order.
DEBATE_FIELDS: tuple[str, ...] = (
    "scope", "debate", "questions", "positions", "arguments", "for", "against", "linked", "undercuts",
    "premises", "relations", "supports", "attacks", "restatements", "actors", "sources", "models", "acts",
    "depth_max", "depth_mean",
    "branching_max", "branching_mean", "unanswered", "unanswered_share",
)
#: The agreement levels a question record counts, then positions with none recorded.
_LEVELS: tuple[str, ...] = (*(a.value for a in Agreement), "none")
QUESTION_FIELDS: tuple[str, ...] = (
    "debate", "question", "text", "positions", "holders", "against_each_other", "contested", "arguments",
    "unanswered", *(f"agreement_{level}" for level in _LEVELS),
)
ACTOR_FIELDS: tuple[str, ...] = ("debate", "actor", "name", "held", "made", "asserted", "asked", "disputed")

_FIELDS: dict[str, tuple[str, ...]] = {"debate": DEBATE_FIELDS, "question": QUESTION_FIELDS, "actor": ACTOR_FIELDS}
_COLUMNS: dict[str, tuple[str, ...]] = {
    "debate": ("debate", "questions", "positions", "arguments", "for", "against", "linked", "undercuts",
               "actors", "sources", "depth_max", "depth_mean", "branching_mean", "unanswered_share"),
    "question": ("debate", "question", "positions", "holders", "against_each_other", "contested",
                 "arguments", "unanswered", *(f"agreement_{level}" for level in _LEVELS)),
    "actor": ACTOR_FIELDS[:2] + ACTOR_FIELDS[3:],
}


def _name(kb: KnowledgeBase) -> str:
    return kb.name or Path(kb.path).stem


def _debates(kb: KnowledgeBase) -> list[tuple[str, KnowledgeBase]]:
    """(name, knowledge base) of each debate: a library's members, else the knowledge base."""
    members = getattr(kb, "members", ())
    return [(m.name, m.kb) for m in members] if members else [(_name(kb), kb)]


def _depths(kb: KnowledgeBase, of: Sequence[Argument]) -> list[int]:
    """Each argument's depth: 1 on a position (or a question), one more per argument above it."""
    depth: dict[str, int] = {}
    arguments = {a.id: a for a in of}
    for argument in of:
        path: list[str] = []
        node: str | None = argument.id
        while node is not None and node in arguments and node not in depth and node not in path:
            path.append(node)
            node = kb.toward(arguments[node])
        base = depth.get(node, 0) if node is not None else 0
        for step in reversed(path):
            base += 1
            depth[step] = base
    return [depth[a.id] for a in of]


def _claims(kb: KnowledgeBase) -> Iterable[Question | Position | Argument]:
    yield from kb.questions
    yield from kb.positions
    yield from kb.arguments


def _round(value: float) -> float:
    return round(value, 3)


def debate_record(kb: KnowledgeBase, scope: str, name: str,
                  part: Mapping[Kind, Sequence[Entry]] | None = None) -> Record:
    """The figures of one debate (``scope``: "debate" or "total"): ``kb``, or one member's
    ``part`` of the library ``kb`` (:meth:`Library.parts`: its entries, the library's indexes)."""
    questions: Sequence[Question]
    positions: Sequence[Position]
    arguments: Sequence[Argument]
    actors: Sequence[Entry]
    sources: Sequence[Entry]
    models: Sequence[Entry]
    if part is None:
        questions, positions, arguments = kb.questions, kb.positions, kb.arguments
        actors, sources, models = kb.actors, kb.sources, kb.models
    else:
        questions = [e for e in part[Kind.QUESTIONS] if isinstance(e, Question)]
        positions = [e for e in part[Kind.POSITIONS] if isinstance(e, Position)]
        arguments = [e for e in part[Kind.ARGUMENTS] if isinstance(e, Argument)]
        actors, sources, models = part[Kind.ACTORS], part[Kind.SOURCES], part[Kind.MODELS]
    claims: tuple[Question | Position | Argument, ...] = (*questions, *positions, *arguments)
    against = [a for a in arguments if a.stance is Stance.AGAINST]
    left = sum(1 for a in against if unanswered(kb, a))
    depths = _depths(kb, arguments)
    replied = [e.id for e in positions] + [a.id for a in arguments]
    fan = [n for n in (len(kb.replies_to(i)) for i in replied) if n]
    return {
        "scope": scope, "debate": name,
        "questions": len(questions), "positions": len(positions), "arguments": len(arguments),
        "for": len(arguments) - len(against), "against": len(against),
        "linked": sum(1 for a in arguments if a.premises),
        "undercuts": sum(1 for a in arguments if a.undercuts is not None),
        "premises": sum(len(a.premises) for a in arguments),
        "relations": sum(len(a.relations) for a in arguments),
        # every link of the graph by what it does: an argument's relations, a position's attacks
        "supports": sum(1 for a in arguments for stance, _ in a.relations if stance is Stance.FOR),
        "attacks": sum(1 for a in arguments for stance, _ in a.relations if stance is Stance.AGAINST)
        + sum(len(p.against) for p in positions),
        "restatements": sum(len(e.restates) for e in claims)
        + sum(len(p.restates) for a in arguments for p in a.premises),
        "actors": len(actors), "sources": len(sources), "models": len(models),
        "acts": sum(len(e.acts) for e in claims),
        "depth_max": max(depths, default=0), "depth_mean": _round(sum(depths) / len(depths)) if depths else 0.0,
        "branching_max": max(fan, default=0), "branching_mean": _round(sum(fan) / len(fan)) if fan else 0.0,
        "unanswered": left, "unanswered_share": _round(left / len(against)) if against else 0.0,
    }


def _question_records(kb: KnowledgeBase, name: str) -> Iterable[Record]:
    question_of = questions_of(kb)
    on: dict[str, list[Argument]] = {}
    for argument in kb.arguments:
        on.setdefault(question_of[argument.id], []).append(argument)
    for question in kb.questions:
        positions = [p for p in kb.positions if p.question == question.id]
        ids = {p.id for p in positions}
        arguments = on.get(question.id, [])
        levels = dict.fromkeys(_LEVELS, 0)
        for position in positions:
            levels[position.agreement.value if position.agreement is not None else "none"] += 1
        yield {
            "debate": name, "question": question.id, "text": question.text, "positions": len(positions),
            "holders": len({actor for p in positions for actor in p.held_by}),
            # pairs of its positions where one attacks the other (version 2's position ``against:``)
            "against_each_other": sum(1 for p in positions for other in p.against if other in ids),
            "contested": sum(1 for p in positions if any(r.stance is Stance.AGAINST for r in kb.replies_to(p.id))),
            "arguments": len(arguments), "unanswered": sum(1 for a in arguments if unanswered(kb, a)),
            **{f"agreement_{level}": count for level, count in levels.items()},
        }


def _actor_records(kb: KnowledgeBase, name: str) -> Iterable[Record]:
    acted: dict[tuple[str, str], set[str]] = {}
    for entry in _claims(kb):
        if not entry.acts:  # the short form: held_by (or by) alone says its holders asserted it
            holders = entry.held_by if isinstance(entry, Position) else (
                (entry.by,) if isinstance(entry, Argument) and entry.by is not None else ())
            for holder in holders:
                acted.setdefault((holder, "asserted"), set()).add(entry.id)
        for act in entry.acts:
            kind = ("disputed" if act.act in DISPUTING_ACTS else "asked" if act.act is ActKind.ASKS
                    else "asserted" if act.act is ActKind.ASSERTS else None)
            if kind is not None:
                acted.setdefault((act.by, kind), set()).add(entry.id)
    held: dict[str, int] = {}
    for position in kb.positions:
        for holder in set(position.held_by):
            held[holder] = held.get(holder, 0) + 1
    made: dict[str, int] = {}
    for argument in kb.arguments:
        if argument.by is not None:
            made[argument.by] = made.get(argument.by, 0) + 1
    for actor in kb.actors:
        yield {
            "debate": name, "actor": actor.id, "name": actor.name,
            "held": held.get(actor.id, 0), "made": made.get(actor.id, 0),
            **{kind: len(acted.get((actor.id, kind), ())) for kind in ("asserted", "asked", "disputed")},
        }


def stats_listing(kb: KnowledgeBase, by: str = "debate") -> Listing:
    """The figures of ``kb`` per debate (each, then the total), question or actor."""
    if by not in GROUPINGS:
        raise UsageError(f"stats {option('per')} takes {', '.join(GROUPINGS)}, not {by!r}")
    records: list[Record]
    if by == "debate":
        parts = kb.parts() if isinstance(kb, Library) else None
        if isinstance(kb, Library) and parts is not None:  # counted in the library: no member made again
            records = [debate_record(kb, "debate", m.name, part) for m, part in zip(kb.members, parts, strict=True)]
        else:
            records = [debate_record(member, "debate", name) for name, member in _debates(kb)]
        if len(records) == 1 and not isinstance(kb, Library) and not getattr(kb, "members", ()):
            # one debate, the knowledge base itself: its total is the same count
            records.append({**records[0], "scope": "total", "debate": "(total)"})
        else:
            records.append(debate_record(kb, "total", "(total)"))
    elif by == "question":
        records = [r for name, member in _debates(kb) for r in _question_records(member, name)]
    else:
        records = [r for name, member in _debates(kb) for r in _actor_records(member, name)]
    return Listing(records, _COLUMNS[by], title=f"stats by {by} (counted; depth, branching and shares derived)",
                   view="list", id_field=by, fields=_FIELDS[by], summary_rows=1 if by == "debate" else 0)
