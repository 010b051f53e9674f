"""Quiz questions generated from a knowledge base; pure and reproducible.

Four kinds of multiple-choice question:

- ``stance``: is this argument for or against what it answers?
- ``who``: whose view does this quote give? (the words are the source's)
- ``supports``: which position does this quote support?
- ``type``: what type of claim is this? (types are an interpretation)

:func:`make_quiz` draws from every question the knowledge base allows, with
``random.Random(seed)`` alone deciding which ones and the order of options:
the same knowledge base and seed give the same quiz, byte for byte.

The quiz is fair: no fixed answer beats chance. Options are shuffled per
question, and the right answer's position is dealt from shuffled decks (one
per number of options, each position twice a deck), so over a quiz every
position is right about equally often: answering "1" every time scores what
guessing scores. Which questions are asked is balanced too: within a kind the
right answers take turns ("for" then "against", one claim type then another,
while both remain), so answering "for", or "empirical", every time does not
pay either.
"""

from __future__ import annotations

import random
import re

from ..kb.errors import NothingFound
from ..kb.hints import command, option
from ..kb.model import Actor, Argument, ClaimType, KnowledgeBase, Position, Stance
from ..kb.struct import dataclass
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
        speaker = _speaker(kb, position) if position.quote and others else None
        if speaker is not None and not names_answer(position.quote or "", speaker.name):
            out.append(_Candidate("who", position))
    for argument in kb.arguments:
        if keep is not None and argument.id not in keep:
            continue
        out.append(_Candidate("stance", argument))
        speaker = _speaker(kb, argument) if argument.quote and others else None
        if speaker is not None and not names_answer(argument.quote or "", speaker.name):
            out.append(_Candidate("who", argument))
        target = kb.get(argument.target)
        if (argument.quote and argument.stance is Stance.FOR and isinstance(target, Position)
                and len(kb.positions) > 1 and not names_answer(argument.quote, target.claim)):
            out.append(_Candidate("supports", argument))
        if argument.type is not None:
            out.append(_Candidate("type", argument))
    return out


def names_answer(quote: str, answer: str) -> bool:
    """Whether ``quote`` gives ``answer`` away: it holds (the beginnings of) three quarters or
    more of the answer's words of four letters or more, and at least two of them ("The
    individual against the criminalization of johns" for "one individual (against
    criminalizing johns)"). Such an item asks nothing and is not asked."""

    def stems(text: str) -> list[str]:
        return [w[:5] for w in re.findall(r"\w+", text.casefold()) if len(w) >= 4]

    wanted, held = stems(answer), set(stems(quote))
    found = sum(stem in held for stem in wanted)
    return found >= 2 and found * 4 >= len(wanted) * 3


class _Dealer:
    """Where the right answer goes: dealt from a shuffled deck of positions per number of
    options (each position twice per deck, refilled when empty), so that every position is
    right about equally often over a quiz, yet the next one is never certain."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.decks: dict[int, list[int]] = {}

    def place(self, right: str, others: list[str]) -> tuple[tuple[str, ...], int]:
        """``right`` and ``others`` (shuffled) as the options, and the index of ``right``."""
        count = len(others) + 1
        deck = self.decks.setdefault(count, [])
        if not deck:
            deck.extend(list(range(count)) * 2)
            self.rng.shuffle(deck)
        at = deck.pop()
        shuffled = list(others)
        self.rng.shuffle(shuffled)
        shuffled.insert(at, right)
        return tuple(shuffled), at


def _distractors(
    rng: random.Random, right: str, pool: list[str], fallback: tuple[str, ...] | list[str] = ()
) -> list[str]:
    """Up to three distinct wrong options: from ``pool`` first (e.g. the rival positions
    of the same question), then from ``fallback``."""
    picked: list[str] = []
    for source in (pool, fallback):
        distinct = sorted({text for text in source if text != right and text not in picked})
        room = MAX_OPTIONS - 1 - len(picked)
        picked += rng.sample(distinct, min(room, len(distinct)))
    return picked


def _label(entry: object) -> str:
    return "position" if isinstance(entry, Position) else "argument"


def _claim(entry: object) -> str:
    if isinstance(entry, Position | Argument):
        return entry.claim
    raise AssertionError(entry)  # pragma: no cover


def _question(kb: KnowledgeBase, candidate: _Candidate, rng: random.Random, dealer: _Dealer) -> QuizQuestion:
    entry = candidate.entry
    if candidate.kind == "stance":
        assert isinstance(entry, Argument)
        target = kb.get(entry.target)
        right, wrong = STANCE_OPTIONS if entry.stance is Stance.FOR else STANCE_OPTIONS[::-1]
        options, answer = dealer.place(right, [wrong])
        return QuizQuestion(
            "stance", entry.id, f"Is this argument for or against the {_label(target)} it answers?",
            (("argument", entry.claim), (f"it answers the {_label(target)}", _claim(target))),
            options, answer,
        )
    if candidate.kind == "who":
        speaker = _speaker(kb, entry)
        assert speaker is not None and entry.quote is not None
        others = _distractors(rng, speaker.name, [a.name for a in kb.actors if a.id != speaker.id])
        options, answer = dealer.place(speaker.name, others)
        # the quote is the source's sentence, so ask whose view it gives, not who spoke it
        prompt = "Whose view does this quote from the source give?"
        return QuizQuestion("who", entry.id, prompt, (("quote", entry.quote),), options, answer)
    if candidate.kind == "supports":
        assert isinstance(entry, Argument) and entry.quote is not None
        target = kb.get(entry.target)
        assert isinstance(target, Position)
        rivals = [p.claim for p in kb.positions if p.question == target.question and p.id != target.id]
        elsewhere = [p.claim for p in kb.positions if p.question != target.question]
        options, answer = dealer.place(target.claim, _distractors(rng, target.claim, rivals, elsewhere))
        return QuizQuestion(
            "supports", entry.id, "Which position does this quote support?", (("quote", entry.quote),),
            options, answer,
        )
    assert isinstance(entry, Argument) and entry.type is not None
    types = [t.value for t in ClaimType]
    options, answer = dealer.place(entry.type.value, [t for t in types if t != entry.type.value])
    return QuizQuestion(
        "type", entry.id, "What type of claim is this? (types are an interpretation, for teaching)",
        (("argument", entry.claim),), options, answer,
    )


def _answer_key(kb: KnowledgeBase, candidate: _Candidate) -> str:
    """What the right answer of a candidate's question is about, for taking turns."""
    entry = candidate.entry
    if candidate.kind == "stance" and isinstance(entry, Argument):
        return entry.stance.value
    if candidate.kind == "type" and isinstance(entry, Argument) and entry.type is not None:
        return entry.type.value
    if candidate.kind == "supports" and isinstance(entry, Argument):
        return entry.target
    speaker = _speaker(kb, entry)
    return speaker.id if speaker is not None else ""


def make_quiz(kb: KnowledgeBase, count: int, seed: int, question: str | None = None,
              tag: str | None = None) -> list[QuizQuestion]:
    """``count`` questions (fewer if the knowledge base allows fewer), chosen by ``seed``;
    ``question`` and ``tag`` keep what :func:`policyx.views.argmap.select` keeps."""
    keep = select(kb, question=question, tag=tag) if question is not None or tag is not None else None
    pool = candidates(kb, keep)
    if not pool:
        if question is not None:
            raise NothingFound(
                f"question {question!r} has no arguments or attributed quotes to ask about"
                f" (leave out {option('question')}, or choose another question: {command('list', 'questions')})"
            )
        if tag is not None:
            raise NothingFound(f"nothing tagged {tag!r} has arguments or attributed quotes to ask about")
        raise NothingFound("the knowledge base has no arguments or quotes to ask about")
    rng = random.Random(seed)
    dealer = _Dealer(rng)
    return [_question(kb, candidate, rng, dealer) for candidate in _draw(kb, pool, count, rng)]


def _taking_turns(kb: KnowledgeBase, candidates_of_kind: list[_Candidate], rng: random.Random) -> list[_Candidate]:
    """The candidates of one kind in an order where the right answers take turns (one of
    each answer, in an order the seed picks, then again, while they last)."""
    by_answer: dict[str, list[_Candidate]] = {}
    for candidate in candidates_of_kind:
        by_answer.setdefault(_answer_key(kb, candidate), []).append(candidate)
    groups = [by_answer[key] for key in sorted(by_answer)]
    for group in groups:
        rng.shuffle(group)
    rng.shuffle(groups)
    ordered: list[_Candidate] = []
    while any(groups):
        for group in groups:
            if group:
                ordered.append(group.pop())
    return ordered


def _draw(kb: KnowledgeBase, pool: list[_Candidate], count: int, rng: random.Random) -> list[_Candidate]:
    """``count`` candidates, taking the kinds in turn (in an order the seed picks)
    so that one kind does not crowd out the others, within a kind the right
    answers in turn, and each entry at most once while other entries remain."""
    by_kind: dict[str, list[_Candidate]] = {kind: [] for kind in KINDS}
    for candidate in pool:
        by_kind[candidate.kind].append(candidate)
    for kind, candidates_of_kind in by_kind.items():
        by_kind[kind] = _taking_turns(kb, candidates_of_kind, rng)
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
    # the length first: int() refuses more than 4,300 digits (and no option number is that long)
    if not (text.isascii() and text.isdigit()) or len(text) > 3:
        return None
    number = int(text)
    if not 1 <= number <= len(question.options):
        return None
    return number - 1 == question.answer
