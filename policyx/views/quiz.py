"""Quiz questions generated from a knowledge base; pure and reproducible.

Four kinds of multiple-choice question:

- ``stance``: is this argument for or against what it answers?
- ``who``: whose view does this quote give? (the words are the source's)
- ``supports``: which position does this quote support?
- ``type``: what type of claim is this? (types are an interpretation)

:func:`make_quiz` draws from every question the knowledge base allows, with
``random.Random(seed)`` alone deciding which ones and the order of options:
the same knowledge base and seed give the same quiz, byte for byte.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ..kb.errors import NothingFound
from ..kb.model import Actor, Argument, ClaimType, KnowledgeBase, Position, Stance
from .argmap import select

MAX_OPTIONS = 4
KINDS = ("stance", "who", "supports", "type")
STANCE_OPTIONS = ("for: it supports it", "against: it attacks it")


@dataclass(frozen=True)
class QuizQuestion:
    kind: str
    about: str  #: id of the entry the question is about
    prompt: str
    #: labelled lines shown under the prompt, e.g. ("argument", claim)
    subject: tuple[tuple[str, str], ...]
    options: tuple[str, ...]
    answer: int  #: index of the right option

    @property
    def right(self) -> str:
        return self.options[self.answer]


@dataclass(frozen=True)
class _Candidate:
    kind: str
    entry: Argument | Position


def _speaker(kb: KnowledgeBase, entry: Argument | Position) -> Actor | None:
    """The one actor a quote can be attributed to, if there is exactly one."""
    ids = (entry.by,) if isinstance(entry, Argument) else entry.held_by
    if len(ids) != 1 or ids[0] is None:
        return None
    actor = kb.get(ids[0])
    return actor if isinstance(actor, Actor) else None


def candidates(kb: KnowledgeBase, keep: set[str] | None = None) -> list[_Candidate]:
    """Every question the knowledge base allows, in file order."""
    out: list[_Candidate] = []
    others = len(kb.actors) > 1
    for position in kb.positions:
        if keep is not None and position.id not in keep:
            continue
        if position.quote and others and _speaker(kb, position):
            out.append(_Candidate("who", position))
    for argument in kb.arguments:
        if keep is not None and argument.id not in keep:
            continue
        out.append(_Candidate("stance", argument))
        if argument.quote and others and _speaker(kb, argument):
            out.append(_Candidate("who", argument))
        target = kb.get(argument.target)
        if (argument.quote and argument.stance is Stance.FOR and isinstance(target, Position)
                and len(kb.positions) > 1):
            out.append(_Candidate("supports", argument))
        if argument.type is not None:
            out.append(_Candidate("type", argument))
    return out


def _choices(
    rng: random.Random, right: str, pool: list[str], fallback: tuple[str, ...] | list[str] = ()
) -> tuple[tuple[str, ...], int]:
    """The right answer and up to three distinct distractors, shuffled; the
    distractors come from ``pool`` first (e.g. the rival positions of the same
    question), then from ``fallback``."""
    picked: list[str] = []
    for source in (pool, fallback):
        distinct = sorted({text for text in source if text != right and text not in picked})
        room = MAX_OPTIONS - 1 - len(picked)
        picked += rng.sample(distinct, min(room, len(distinct)))
    options = [right, *picked]
    rng.shuffle(options)
    return tuple(options), options.index(right)


def _label(entry: object) -> str:
    return "position" if isinstance(entry, Position) else "argument"


def _claim(entry: object) -> str:
    if isinstance(entry, Position | Argument):
        return entry.claim
    raise AssertionError(entry)  # pragma: no cover


def _question(kb: KnowledgeBase, candidate: _Candidate, rng: random.Random) -> QuizQuestion:
    entry = candidate.entry
    if candidate.kind == "stance":
        assert isinstance(entry, Argument)
        target = kb.get(entry.target)
        return QuizQuestion(
            "stance", entry.id, f"Is this argument for or against the {_label(target)} it answers?",
            (("argument", entry.claim), (f"it answers the {_label(target)}", _claim(target))),
            STANCE_OPTIONS, 0 if entry.stance is Stance.FOR else 1,
        )
    if candidate.kind == "who":
        speaker = _speaker(kb, entry)
        assert speaker is not None and entry.quote is not None
        options, answer = _choices(rng, speaker.name, [a.name for a in kb.actors if a.id != speaker.id])
        # the quote is the source's sentence, so ask whose view it gives, not who spoke it
        prompt = "Whose view does this quote from the source give?"
        return QuizQuestion("who", entry.id, prompt, (("quote", entry.quote),), options, answer)
    if candidate.kind == "supports":
        assert isinstance(entry, Argument) and entry.quote is not None
        target = kb.get(entry.target)
        assert isinstance(target, Position)
        rivals = [p.claim for p in kb.positions if p.question == target.question and p.id != target.id]
        others = [p.claim for p in kb.positions if p.question != target.question]
        options, answer = _choices(rng, target.claim, rivals, others)
        return QuizQuestion(
            "supports", entry.id, "Which position does this quote support?", (("quote", entry.quote),),
            options, answer,
        )
    assert isinstance(entry, Argument) and entry.type is not None
    types = tuple(t.value for t in ClaimType)
    return QuizQuestion(
        "type", entry.id, "What type of claim is this? (types are an interpretation, for teaching)",
        (("argument", entry.claim),), types, types.index(entry.type.value),
    )


def make_quiz(kb: KnowledgeBase, count: int, seed: int, question: str | None = None) -> list[QuizQuestion]:
    """``count`` questions (fewer if the knowledge base allows fewer), chosen by ``seed``."""
    keep = select(kb, question=question) if question is not None else None
    pool = candidates(kb, keep)
    if not pool:
        if question is not None:
            raise NothingFound(
                f"question {question!r} has no arguments or attributed quotes to ask about"
                " (leave out --question, or choose another question: policyx list questions)"
            )
        raise NothingFound("the knowledge base has no arguments or quotes to ask about")
    rng = random.Random(seed)
    return [_question(kb, candidate, rng) for candidate in _draw(pool, count, rng)]


def _draw(pool: list[_Candidate], count: int, rng: random.Random) -> list[_Candidate]:
    """``count`` candidates, taking the kinds in turn (in an order the seed picks)
    so that one kind does not crowd out the others, and each entry at most once
    while other entries remain."""
    by_kind: dict[str, list[_Candidate]] = {kind: [] for kind in KINDS}
    for candidate in pool:
        by_kind[candidate.kind].append(candidate)
    for candidates_of_kind in by_kind.values():
        rng.shuffle(candidates_of_kind)
    order = [kind for kind in KINDS if by_kind[kind]]
    rng.shuffle(order)
    chosen: list[_Candidate] = []
    used: set[str] = set()
    while len(chosen) < count and any(by_kind[kind] for kind in order):
        for kind in order:
            queue = by_kind[kind]
            if not queue or len(chosen) >= count:
                continue
            fresh = next((c for c in queue if c.entry.id not in used), None)
            candidate = fresh or queue[0]
            queue.remove(candidate)
            used.add(candidate.entry.id)
            chosen.append(candidate)
    return chosen


def check_answer(question: QuizQuestion, answer: str) -> bool | None:
    """True/False for a valid option number (1-based), None for anything else."""
    text = answer.strip().rstrip(")").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    if not 1 <= number <= len(question.options):
        return None
    return number - 1 == question.answer
