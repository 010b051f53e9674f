"""``policyx explore``'s tree: the debate unfolded one node at a time.

:class:`Outline` answers what the explorer's tree asks, node by node: the questions,
the children of an entry (a question's positions, an entry's replies, file order, as
:mod:`policyx.views.tree` nests them), the way from a question down to an entry, and
which entries a filter keeps (with the entries above them, so the tree can reach
them). Nothing is built for nodes nobody unfolds, so a corpus of tens of thousands
of claims opens as fast as one of ten. The entry in full is :mod:`policyx.views.entrydetail`'s,
search as you type :mod:`policyx.views.livesearch`'s.
"""

from __future__ import annotations

from typing import TypeVar

from ..kb.model import (
    Argument,
    ClaimType,
    Kind,
    KnowledgeBase,
    Position,
    Question,
    Stance,
    kind_of,
)
from ..kb.struct import dataclass
from .filtering import filter_entries
from .listing import Filters
from .lookup import all_tags

_E = TypeVar("_E", Question, Position, Argument, Position | Argument)

#: the collections the tree shows, top down
TREE_KINDS = (Kind.QUESTIONS, Kind.POSITIONS, Kind.ARGUMENTS)


class Outline:
    """The tree of a knowledge base (questions -> positions -> arguments -> rebuttals), asked
    for one node's children at a time. ``member``: in a library, only that knowledge base's
    questions (and what is under them)."""

    def __init__(self, kb: KnowledgeBase, member: str | None = None) -> None:
        self.kb = kb
        self.member = member
        self._positions: dict[str, list[Position]] | None = None
        #: with a filter: the ids the tree shows (matches and the entries above them)
        self.visible: set[str] | None = None
        #: with a filter: the ids that match it
        self.matched: set[str] = set()

    def questions(self) -> list[Question]:
        found = [q for q in self.kb.questions if self.member is None or self.kb.kb_of(q.id) == self.member]
        return self._kept(found)

    def children(self, entry_id: str) -> list[Position | Argument]:
        """What hangs under an entry in the tree, file order: a question's positions, else
        the arguments that answer it (supports and attacks)."""
        entry = self.kb.get(entry_id)
        found: list[Position | Argument]
        if isinstance(entry, Question):
            if self._positions is None:
                self._positions = {}
                for position in self.kb.positions:
                    self._positions.setdefault(position.question, []).append(position)
            found = list(self._positions.get(entry_id, ()))
        else:
            found = list(self.kb.replies_to(entry_id))
        return self._kept(found)

    def branches(self, entry_id: str) -> list[Branch]:
        """:meth:`children` with how each bears on ``entry_id``, and whether it is shown
        whole here or is a reference to where it is (version 2: an argument answering
        several entries, or met again round a circle of attacks, is whole only under
        :meth:`parent`, so the tree is finite and each argument unfolds in one place).
        A version-2 position first has its contradictions (:meth:`contradictions`), each
        a reference to the other position."""
        found = [Branch(other, how, True) for how, other in self.contradictions(entry_id)]
        for child in self.children(entry_id):
            if isinstance(child, Argument):
                found.append(Branch(child, relation_to(child, entry_id), self.parent(child.id) != entry_id))
            else:
                found.append(Branch(child, "position"))
        return found

    def contradictions(self, entry_id: str) -> list[tuple[str, Position]]:
        """(how, the other position) of the positions a version-2 position contradicts or is
        contradicted by (``against``), worded as ``policyx show`` and ``map`` word them:
        ``contradicts``, ``contradicted by position``, and for a mutual attack ``contradicts and is
        contradicted by``."""
        entry = self.kb.get(entry_id)
        if not isinstance(entry, Position) or self.kb.version < 2:
            return []
        hows: dict[str, list[str]] = {}
        for other in entry.against:
            hows.setdefault(other, []).append("contradicts")
        for how, other in self.kb.links_to(entry_id):
            if how == "attacked by position":
                hows.setdefault(other, []).append("contradicted by position")
        found: list[tuple[str, Position]] = []
        for other_id, words in hows.items():
            position = self.kb.get(other_id)
            if isinstance(position, Position) and (self.visible is None or other_id in self.visible):
                mutual = len(set(words)) > 1
                found.append(("contradicts and is contradicted by" if mutual else words[0], position))
        return found

    def has_children(self, entry_id: str) -> bool:
        entry = self.kb.get(entry_id)
        if isinstance(entry, Question):
            return bool(self.children(entry_id))
        if isinstance(entry, Argument) and entry.premises:
            return True
        if self.contradictions(entry_id):
            return True
        replies = self.kb.replies_to(entry_id)
        return any(r.id in self.visible for r in replies) if self.visible is not None else bool(replies)

    def parent(self, entry_id: str) -> str | None:
        """Where the tree shows an entry whole: a position under its question, an argument
        under its target (version 2: the next step of a shortest way to a position)."""
        entry = self.kb.get(entry_id)
        if isinstance(entry, Argument):
            return self.kb.toward(entry)
        if isinstance(entry, Position):
            return entry.question
        return None

    def path(self, entry_id: str) -> list[str]:
        """The ids from the entry's question down to the entry (ends at a circle of
        attacks that reaches no position, if a file holds one)."""
        ids = [entry_id]
        seen = {entry_id}
        while (up := self.parent(ids[-1])) is not None and up not in seen:
            ids.append(up)
            seen.add(up)
        return ids[::-1]

    def in_tree(self, entry_id: str) -> bool:
        """Whether the tree (as filtered, and in this member) shows the entry."""
        entry = self.kb.get(entry_id)
        if entry is None or kind_of(entry) not in TREE_KINDS:
            return False
        if self.member is not None and self.kb.kb_of(self.path(entry_id)[0]) != self.member:
            return False
        return self.visible is None or entry_id in self.visible

    def set_filters(self, filters: Filters | None) -> int:
        """Keep only what ``filters`` match (and the entries above them); None: everything.
        Returns how many entries match (raises UsageError on a bad filter value)."""
        if filters is None or not filters.given():
            self.visible, self.matched = None, set()
            return 0
        matched: set[str] = set()
        for kind in (Kind.POSITIONS, Kind.ARGUMENTS):
            names = filters.given()
            if kind is Kind.POSITIONS and any(n in ("stance", "unanswered", "type") for n in names):
                continue  # those filters speak of arguments: positions show only above them
            matched.update(e.id for e in filter_entries(self.kb, kind, filters))
        visible: set[str] = set()
        for entry_id in matched:
            for step in reversed(self.path(entry_id)):
                if step in visible:
                    break
                visible.add(step)
        self.visible, self.matched = visible, matched
        return len(matched)

    def _kept(self, entries: list[_E]) -> list[_E]:
        if self.visible is None:
            return entries
        visible = self.visible
        return [e for e in entries if e.id in visible]


def relation_to(argument: Argument, target: str) -> str:
    """How an argument bears on one of its targets: ``for``, ``against`` or ``undercuts``."""
    if argument.undercuts == target:
        return "undercuts"
    return next((s.value for s, t in argument.relations if t == target), argument.stance.value)


@dataclass(frozen=True)
class Branch:
    """An entry under another in the tree: how it bears on it (``position``, ``for``,
    ``against``, ``undercuts``), and whether it is a reference to where it is shown whole."""

    entry: Position | Argument
    relation: str
    ref: bool = False


def members(kb: KnowledgeBase) -> list[str]:
    """The names of a library's knowledge bases (none for one knowledge base)."""
    return [m.name for m in getattr(kb, "members", ())]


def filter_choices(kb: KnowledgeBase) -> dict[str, list[str]]:
    """What each filter of the explorer can be set to, in file order."""

    return {
        "tag": all_tags(kb),
        "by": [a.id for a in kb.actors],
        "stance": [s.value for s in Stance],
        "type": [t.value for t in ClaimType],
    }


def make_filters(chosen: dict[str, str], unanswered: bool) -> Filters:
    """The explorer's filters (one value each) as ``policyx list`` has them."""
    return Filters(tags=_one(chosen.get("tag")), by=_one(chosen.get("by")), stance=_one(chosen.get("stance")),
                   type=_one(chosen.get("type")), unanswered=unanswered)


def _one(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()
