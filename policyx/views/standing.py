"""``policyx standing``: which positions and arguments stand, as a :class:`Listing` (derived).

The labels come from :mod:`policyx.views.framework` (the knowledge base as a Dung framework);
this module chooses what to show and how: one record per position or argument, grouped by
question, each question headed by a one-line verdict; with ``why`` one entry's label explained
by its attackers, its defenders and the cycle that leaves it undecided.
"""

from __future__ import annotations

from ..kb.errors import NothingFound, UsageError
from ..kb.model import Kind, KnowledgeBase, Position, kind_of
from ..kb.semantics import SEMANTICS
from .filtering import Filters, filter_entries
from .framework import LABELS, Standing, standing_of, verdict
from .listing import Listing, Record, check_filters, unknown_tag
from .lookup import _suggest, get_entry, main_text, questions_of

#: the columns a table and a plain line show
STANDING_COLUMNS: tuple[str, ...] = ("id", "label", "kind", "question", "claim", "why")
#: every field of a record (CSV's header, even with no record)
STANDING_FIELDS: tuple[str, ...] = (*STANDING_COLUMNS, "semantics", "derived")
#: the columns of ``why``
WHY_COLUMNS: tuple[str, ...] = ("id", "relation", "label", "kind", "claim", "why")
#: what every record says of itself: the label is computed, not recorded in the source
DERIVED = "derived: computed from the attacks, not recorded in the source"


def check_semantics(semantics: str) -> str:
    if semantics not in SEMANTICS:
        raise UsageError(f"no semantics {semantics!r}{_suggest(semantics, SEMANTICS)};"
                         f" choose from {', '.join(SEMANTICS)}")
    return semantics


def check_labels(labels: tuple[str, ...], semantics: str) -> None:
    for label in labels:
        if label not in LABELS[semantics]:
            raise UsageError(f"no label {label!r} under {semantics} semantics; choose from"
                             f" {', '.join(LABELS[semantics])}")


def _record(standing: Standing, entry_id: str, question: str) -> Record:
    entry = standing.kb.ids[entry_id]
    return {"id": entry_id, "label": standing.labels[entry_id], "kind": kind_of(entry).singular,
            "question": question, "claim": main_text(entry),
            # every format shows the why (a plain line has no header to say "derived" in)
            "why": f"derived ({standing.semantics} semantics): {standing.why(entry_id)}",
            "semantics": standing.semantics, "derived": True}


def standing_listing(kb: KnowledgeBase, semantics: str = "grounded", filters: Filters | None = None,
                     labels: tuple[str, ...] = (), seconds: float | None = None,
                     only: tuple[str, ...] = ()) -> Listing:
    """Every position and argument that ``filters`` keep (of ``only``, when given), with its label,
    grouped by question."""
    check_semantics(semantics)
    check_labels(labels, semantics)
    filters = filters or Filters()
    check_filters(kb, "positions", filters)  # a question or an actor that is not there: said as list says it
    wanted = {get_entry(kb, i, (Kind.POSITIONS, Kind.ARGUMENTS)).id for i in only}
    standing = standing_of(kb, semantics) if seconds is None else standing_of(kb, semantics, seconds)
    question = questions_of(kb)
    kept: set[str] = set()
    for kind in (Kind.POSITIONS, Kind.ARGUMENTS):
        kept.update(e.id for e in filter_entries(kb, kind, filters))
    ids = [i for i in debate_order(kb, standing.framework.ids) if i in kept and (not only or i in wanted)]
    records = [_record(standing, i, question[i]) for i in ids]
    if labels:
        records = [r for r in records if r["label"] in labels]
    if not records and (filters.given() or labels):
        raise unknown_tag(kb, filters) or NothingFound("no position or argument matches these filters")
    groups: dict[str, str] = {}
    by_question = _by_question(kb)
    for q in kb.questions:
        positions = by_question.get(q.id, [])
        if positions:
            groups[q.id] = f"{q.text} (derived: {verdict(standing, positions)})"
    title = f"standing ({semantics} semantics; {DERIVED})"
    if standing.no_extension:
        title = f"{title}: the debate has no {semantics} extension, so every entry is rejected"
    empty = "" if records else f"no positions or arguments in {kb.path}: nothing to label"
    return Listing(records, STANDING_COLUMNS, title=title, view="list", group_by="question", groups=groups,
                   fields=STANDING_FIELDS, note=empty)


def why_listing(kb: KnowledgeBase, entry_id: str, semantics: str = "grounded",
                seconds: float | None = None) -> Listing:
    """One entry's label explained: the entry, each attacker with its own label, each defender
    (an ``in`` attacker of an attacker), and the arguments of the cycle that leaves it undecided."""
    check_semantics(semantics)
    entry = get_entry(kb, entry_id, (Kind.POSITIONS, Kind.ARGUMENTS))
    standing = standing_of(kb, semantics) if seconds is None else standing_of(kb, semantics, seconds)
    question = questions_of(kb)
    rows = [{**_record(standing, entry.id, question[entry.id]), "relation": "this"}]
    shown = {entry.id}

    def add(other: str, relation: str) -> None:
        if other not in shown:
            shown.add(other)
            rows.append({**_record(standing, other, question[other]),
                         "relation": f"{relation} ({standing.kinds.get((other, entry.id), 'attacks')})"
                         if relation == "attacks it" else relation})

    attackers = standing.attackers(entry.id)
    for attacker in attackers:
        add(attacker, "attacks it")
    for attacker in attackers:
        for defender in standing.attackers(attacker):
            if standing.grounded_label(defender) == "in" or standing.semantics != "grounded":
                add(defender, f"defends it (attacks {attacker})")
    if standing.grounded_label(entry.id) == "undecided":
        for member in standing.cycle(entry.id):
            add(member, "in the cycle")
    return Listing(rows, WHY_COLUMNS, title=f"why {entry.id} is {standing.labels[entry.id]} ({DERIVED})",
                   view="list")


def debate_order(kb: KnowledgeBase, ids: tuple[str, ...]) -> list[str]:
    """``ids`` as the map shows them: question by question, each position followed by the arguments
    bearing on it, depth first in file order; anything no position reaches last, in file order."""
    order: list[str] = []
    seen: set[str] = set()
    by_question = _by_question(kb)
    for q in kb.questions:
        for position in by_question.get(q.id, []):
            stack = [position.id]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                order.append(current)
                stack.extend(reversed([a.id for a in kb.replies_to(current)]))
    order.extend(i for i in ids if i not in seen)
    return order


def _by_question(kb: KnowledgeBase) -> dict[str, list[Position]]:
    grouped: dict[str, list[Position]] = {}
    for position in kb.positions:
        grouped.setdefault(position.question, []).append(position)
    return grouped
