"""The debate as a tree: question -> positions -> arguments for and against -> rebuttals.

Pure functions over a :class:`KnowledgeBase`; nothing here prints or imports
Rich. The map, the handout, the diagrams and the interchange exports all walk
the same tree, so they agree on what is shown and in which order (file order).

Trees are built and walked without recursion: a chain of rebuttals can be as
deep as a knowledge base makes it, deeper than Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Callable

from ..kb.errors import NothingFound
from ..kb.hints import command
from ..kb.model import Agreement, Argument, Kind, KnowledgeBase, Position, Question, Stance
from ..kb.schema import TARGET_FIELD
from ..kb.struct import dataclass
from ..kb.suggestions import did_you_mean
from .lookup import get_entry, questions_of
from .tree import DebateMap, PositionNode, QuestionNode, reply_nodes

#: how a summary words the agreement levels that count as agreement
AGREED_WORDS: dict[Agreement, str] = {Agreement.CONSENSUS: "consensus", Agreement.BROAD: "broad agreement"}


def _quoted(claim: str) -> str:
    return f"“{claim}”"


@dataclass(frozen=True)
class AgreementSummary:
    """How widely a question's positions were held, worked out from the agreement levels
    the knowledge base records.

    It is never the session's outcome: that is the question's recorded ``outcome``,
    shown only when the file has one. Every renderer that shows this summary labels it
    as derived from the knowledge base. ``kind`` is ``agreement`` (some position was
    held by consensus or broadly), ``divided`` (positions held individually or in
    disagreement by different actors), ``individual`` (one position, held by one side
    only) or ``open`` (no position recorded).
    """

    kind: str
    positions: tuple[Position, ...]

    def describe(self, claim: Callable[[str], str] = _quoted) -> str:
        """The summary in words; ``claim`` writes each claim (escaped for the format)."""
        if self.kind == "agreement":
            return "; ".join(f"{AGREED_WORDS[p.agreement]} on {claim(p.claim)}"
                             for p in self.positions if p.agreement is not None)
        if self.kind == "divided":
            return "divided: the positions were each held by different people, none broadly"
        if self.kind == "individual":
            return "held individually"
        return "no position recorded"


def agreement_summary(question: QuestionNode) -> AgreementSummary:
    """How widely the question's positions (all of them, whatever a filter kept) were held."""
    positions = question.every_position or [p.position for p in question.positions]
    agreed = tuple(p for p in positions if p.agreement in AGREED_WORDS)
    if agreed:
        return AgreementSummary("agreement", agreed)
    if not positions:
        return AgreementSummary("open", ())
    holders = {actor for p in positions for actor in p.held_by}
    if any(p.agreement is Agreement.DIVIDED for p in positions) or (len(positions) > 1 and len(holders) > 1):
        return AgreementSummary("divided", tuple(positions))
    return AgreementSummary("individual", tuple(positions))


# --------------------------------------------------------------------------
# Selection: which entries a filter keeps


def check_question(kb: KnowledgeBase, question_id: str) -> Question:
    """The question ``question_id``, or the same error every command gives for it."""
    question = get_entry(kb, question_id, (Kind.QUESTIONS,))
    assert isinstance(question, Question)
    return question


def select(kb: KnowledgeBase, question: str | None = None, tag: str | None = None) -> set[str]:
    """Ids of the questions, positions and arguments the filters keep.

    ``question`` keeps one question with everything under it. ``tag`` keeps the
    entries carrying the tag together with everything between them and their
    question (the answered argument, its position, the question), so that what
    is kept still hangs together as a tree.
    """
    if question is not None:
        check_question(kb, question)
    kept: set[str] = set()
    parent: dict[str, str] = {p.id: p.question for p in kb.positions}
    parent.update({a.id: kb.toward(a) for a in kb.arguments})
    question_of = questions_of(kb)
    entries: list[Question | Position | Argument] = [*kb.questions, *kb.positions, *kb.arguments]
    for entry in entries:
        if question is not None and question_of[entry.id] != question:
            continue
        if tag is not None and tag not in entry.tags:
            continue
        node: str | None = entry.id
        while node is not None and node not in kept:
            kept.add(node)
            node = parent.get(node)
    if not kept:
        what = " and ".join(
            part for part in (f"question {question!r}" if question else "", f"tag {tag!r}" if tag else "") if part
        )
        raise NothingFound(f"nothing in the knowledge base matches {what}" + _tag_hint(kb, tag, question))
    return kept


def _tag_hint(kb: KnowledgeBase, tag: str | None, question: str | None) -> str:
    """What to try instead of a tag that matched nothing: a near tag, or the tags there are."""
    if tag is None:
        return ""

    question_of = questions_of(kb)
    entries: list[Question | Position | Argument] = [*kb.questions, *kb.positions, *kb.arguments]
    tags = sorted({t for e in entries if question is None or question_of[e.id] == question for t in e.tags})
    if tag in tags:
        return ""
    hint = did_you_mean(tag, tags)
    if hint:
        return f" ({hint})"
    if any(tag in model.tags for model in kb.models):
        return f" (it tags only legal models, which maps and exports do not filter; see {command('list', 'tags')})"
    return f" (see {command('list', 'tags')})"


def build_map(kb: KnowledgeBase, keep: set[str] | None = None) -> DebateMap:
    """The debate tree of ``kb``, restricted to the ids in ``keep`` (all when None)."""

    def wanted(entry_id: str) -> bool:
        return keep is None or entry_id in keep

    actors = {a.id: a for a in kb.actors}
    questions: list[QuestionNode] = []
    seen: set[str] = set()  # version 2: an argument answering two positions is shown once, then referred to
    for question in kb.questions:
        if not wanted(question.id):
            continue
        qnode = QuestionNode(question, kb=kb.kb_of(question.id))
        for position in kb.positions:
            if position.question != question.id:
                continue
            qnode.every_position.append(position)
            if not wanted(position.id):
                continue
            pnode = PositionNode(position, tuple(actors[h] for h in position.held_by))
            pnode.replies = reply_nodes(kb, position.id, keep, actors, seen if kb.version >= 2 else None)
            qnode.positions.append(pnode)
        questions.append(qnode)
    return DebateMap(questions, kb)


def stance_word(stance: Stance) -> str:
    return TARGET_FIELD[stance]


def holders_text(node: PositionNode) -> str:
    return ", ".join(actor.name for actor in node.holders)
