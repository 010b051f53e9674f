"""``policyx stats``: counts and shapes of a knowledge base or a library, per debate and in total,
per question or per actor.

Every figure is counted from the entries as ``list`` sees them, so that each count equals the
number of records the matching ``list`` command prints (tested): ``questions`` is
``list questions``, ``for`` is ``list arguments`` with the ``stance`` filter ``for``,
``unanswered`` is ``list arguments`` with the ``unanswered`` filter, an actor's ``held`` is
``list positions`` with the ``by`` filter, and so on. Shapes (depth, branching, the share of
objections unanswered) are derived: a table (its title, or on a terminal a line above it) says so.

A debate is one knowledge base: a library's members one by one, then the whole library
(``total``); a single knowledge base is its own one debate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import accumulate
from operator import attrgetter, sub
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


_KINDS = tuple(Kind)  # (iterating over an Enum is a generator in Python)


def debate_records(kb: KnowledgeBase, debates: Sequence[tuple[str, Mapping[Kind, int]]]) -> list[Record]:
    """:func:`debate_record` of each debate whose entries are the next run of each collection of
    ``kb`` (``debates``: its name and how many entries of each collection it has, in order), then
    of ``kb`` (the total): each figure counted once for every entry, then summed over each run
    (a library of 1,500 knowledge bases counted a debate at a time: twice the time)."""
    figures = _Figures(kb)
    owner: dict[str, int] = {}
    start = 0
    for at, (_, counts) in enumerate(debates):
        owner.update(dict.fromkeys(figures.argument_ids[start:start + counts[Kind.ARGUMENTS]], at))
        start += counts[Kind.ARGUMENTS]
    crossed = figures.walk(owner)
    # where each debate's entries start in each collection (and where the last one ends)
    offsets = {kind: list(accumulate((counts[kind] for _, counts in debates), initial=0)) for kind in _KINDS}
    records = figures.records("debate", [name for name, _ in debates], offsets)
    if crossed:  # an argument answers one of another debate's: the total's depths walk on
        figures.walk(dict.fromkeys(figures.argument_ids, 0))
    records += figures.records("total", ["(total)"], {kind: [0, len(kb.collection(kind))] for kind in _KINDS})
    return records


class _Figures:
    """Each claim's figures for :func:`debate_record`, summed from the first (so that a run's sum
    is two look-ups)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        questions, positions, arguments = kb.questions, kb.positions, kb.arguments
        self.argument_ids = list(map(attrgetter("id"), arguments))
        stances = list(map(attrgetter("stance"), arguments))
        premises = list(map(attrgetter("premises"), arguments))
        also = list(map(attrgetter("also"), arguments))
        replies = kb.replies_to
        self.fan_positions = list(map(len, map(replies, map(attrgetter("id"), positions))))
        self.fan_arguments = list(map(len, map(replies, self.argument_ids)))
        self.depths: list[int] = []
        for_, against_ = Stance.FOR, Stance.AGAINST
        self.arguments = self._summed({
            "against": [s is against_ for s in stances],
            "unanswered": [a.stance is against_ and unanswered(kb, a) for a in arguments],
            "linked": [1 if ps else 0 for ps in premises],
            "undercuts": [u is not None for u in map(attrgetter("undercuts"), arguments)],
            "premises": list(map(len, premises)),
            "relations": [1 + len(more) for more in also],
            # an argument's relations (its stance, then `also`'s) by what they do
            "supports": [(s is for_) + (sum(t is for_ for t, _ in more) if more else 0)
                         for s, more in zip(stances, also, strict=True)],
            "attacks": [(s is against_) + (sum(t is against_ for t, _ in more) if more else 0)
                        for s, more in zip(stances, also, strict=True)],
            "restates": [len(a.restates) + (sum(len(p.restates) for p in ps) if ps else 0)
                         for a, ps in zip(arguments, premises, strict=True)],
            "acts": list(map(len, map(attrgetter("acts"), arguments))),
            "fan": self.fan_arguments, "fanned": [n > 0 for n in self.fan_arguments],
        })
        self.positions = self._summed({
            "attacks": list(map(len, map(attrgetter("against"), positions))),
            "restates": list(map(len, map(attrgetter("restates"), positions))),
            "acts": list(map(len, map(attrgetter("acts"), positions))),
            "fan": self.fan_positions, "fanned": [n > 0 for n in self.fan_positions],
        })
        self.questions = self._summed({
            "restates": list(map(len, map(attrgetter("restates"), questions))),
            "acts": list(map(len, map(attrgetter("acts"), questions))),
        })

    @staticmethod
    def _summed(columns: Mapping[str, Sequence[int]]) -> dict[str, list[int]]:
        return {name: list(accumulate(values, initial=0)) for name, values in columns.items()}

    def walk(self, owner: Mapping[str, int]) -> bool:
        """Each argument's depth (:func:`_depths`) among the arguments of its debate (``owner``:
        each argument's); whether one answers an argument of another debate."""
        self.depths, crossed = _depths_within(self.kb, self.kb.arguments, owner)
        self.arguments["depth"] = list(accumulate(self.depths, initial=0))
        return crossed

    def records(self, scope: str, names: Sequence[str], offsets: Mapping[Kind, Sequence[int]]) -> list[Record]:
        """The record of each debate ``names`` gives, whose entries of each collection run from
        ``offsets[kind][i]`` to ``offsets[kind][i + 1]``: each figure a column at a time, the
        sums' differences in C (a library of 1,500 debates: a third of the time of a record each)."""
        on, at, asked = self.arguments, self.positions, self.questions
        a, p, q = offsets[Kind.ARGUMENTS], offsets[Kind.POSITIONS], offsets[Kind.QUESTIONS]

        def runs(summed: Sequence[int], bounds: Sequence[int]) -> list[int]:
            """Each debate's sum: the running sum at its end less the one at its start."""
            return list(map(sub, map(summed.__getitem__, bounds[1:]), map(summed.__getitem__, bounds[:-1])))

        def added(*columns: list[int]) -> list[int]:
            return list(map(sum, zip(*columns, strict=True)))

        def counts(kind: Kind) -> list[int]:
            return list(map(sub, offsets[kind][1:], offsets[kind][:-1]))

        arguments, against, left = counts(Kind.ARGUMENTS), runs(on["against"], a), runs(on["unanswered"], a)
        fan = added(runs(at["fan"], p), runs(on["fan"], a))
        fanned = added(runs(at["fanned"], p), runs(on["fanned"], a))
        depths, fan_positions, fan_arguments = self.depths, self.fan_positions, self.fan_arguments
        spans = list(zip(a, a[1:], p, p[1:], strict=False))  # (each debate's: one less than its bounds)
        columns: dict[str, Sequence[object]] = {
            "scope": [scope] * len(names), "debate": names,
            "questions": counts(Kind.QUESTIONS), "positions": counts(Kind.POSITIONS), "arguments": arguments,
            "for": list(map(sub, arguments, against)), "against": against,
            **{field: runs(on[field], a) for field in ("linked", "undercuts", "premises", "relations", "supports")},
            "attacks": added(runs(on["attacks"], a), runs(at["attacks"], p)),
            "restatements": added(runs(asked["restates"], q), runs(at["restates"], p), runs(on["restates"], a)),
            "actors": counts(Kind.ACTORS), "sources": counts(Kind.SOURCES), "models": counts(Kind.MODELS),
            "acts": added(runs(asked["acts"], q), runs(at["acts"], p), runs(on["acts"], a)),
            "depth_max": [max(depths[a0:a1], default=0) for a0, a1, _, _ in spans],
            "depth_mean": [_round(depth / count) if count else 0.0
                           for depth, count in zip(runs(on["depth"], a), arguments, strict=True)],
            "branching_max": [max(max(fan_positions[p0:p1], default=0), max(fan_arguments[a0:a1], default=0))
                              for a0, a1, p0, p1 in spans],
            "branching_mean": [_round(total / count) if count else 0.0
                               for total, count in zip(fan, fanned, strict=True)],
            "unanswered": left,
            "unanswered_share": [_round(n / count) if count else 0.0 for n, count in zip(left, against, strict=True)],
        }
        keys = tuple(columns)
        return [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _depths_within(kb: KnowledgeBase, of: Sequence[Argument], owner: Mapping[str, int]) -> tuple[list[int], bool]:
    """:func:`_depths` of each argument among those of its debate (``owner``: the debate of each
    of ``of``), all at once; and whether one answers an argument of another debate."""
    depth: dict[str, int] = {}
    arguments = {a.id: a for a in of}
    crossed = False
    for argument, toward in zip(of, map(kb.toward, of), strict=True):
        home = owner[argument.id]
        if argument.id in depth:
            continue
        if toward not in arguments:  # on a position (the most): the first step
            depth[argument.id] = 1
            continue
        if toward in depth and owner[toward] == home:  # on an argument counted already
            depth[argument.id] = depth[toward] + 1
            continue
        path: list[str] = []
        node: str | None = argument.id
        while node is not None and node in arguments and node not in depth and node not in path:
            if owner[node] != home:  # another debate's argument: where this one's chain ends
                crossed, node = True, None
                break
            path.append(node)
            node = kb.toward(arguments[node])
        if node is not None and node in depth and owner[node] != home:
            crossed, node = True, None
        base = depth.get(node, 0) if node is not None else 0
        for step in reversed(path):
            base += 1
            depth[step] = base
    return [depth[a.id] for a in of], crossed


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


#: what the figures per debate derive, not count (said wherever they are shown)
DERIVED = "depth, branching and shares derived"


def stats_listing(kb: KnowledgeBase, by: str = "debate") -> Listing:
    """The figures of ``kb`` per debate (each, then the total), question or actor."""
    if by not in GROUPINGS:
        raise UsageError(f"stats {option('per')} takes {', '.join(GROUPINGS)}, not {by!r}")
    records: list[Record]
    if by == "debate":
        counted = kb.member_counts() if isinstance(kb, Library) else None
        if isinstance(kb, Library) and counted is not None:  # counted in the library: no member made again
            records = debate_records(kb, [(m.name, counts) for m, counts in zip(kb.members, counted, strict=True)])
        elif not isinstance(kb, Library) and not getattr(kb, "members", ()):
            records = debate_records(kb, [(_name(kb), {k: len(kb.collection(k)) for k in Kind})])[:1]
            # one debate, the knowledge base itself: its total is the same count
            records.append({**records[0], "scope": "total", "debate": "(total)"})
        else:
            records = [debate_record(member, "debate", name) for name, member in _debates(kb)]
            records.append(debate_record(kb, "total", "(total)"))
    elif by == "question":
        records = [r for name, member in _debates(kb) for r in _question_records(member, name)]
    else:
        records = [r for name, member in _debates(kb) for r in _actor_records(member, name)]
    shapes = by == "debate"  # the other groupings are counts alone
    return Listing(records, _COLUMNS[by],
                   title=f"stats by {by} ({'counted; ' + DERIVED if shapes else 'counted'})",
                   view="list", id_field=by, fields=_FIELDS[by], summary_rows=1 if shapes else 0,
                   derived=f"counted from the entries; {DERIVED}" if shapes else "")
