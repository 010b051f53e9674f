"""Looking entries up: by id (with did-you-mean), their question, their actors, the tags in use.

Mistakes a user can make (an unknown id, an id of the wrong kind) raise
:class:`~policyx.kb.errors.PolicyxError` subclasses with a message that says what to do."""

from __future__ import annotations

import shlex
from collections.abc import Iterable

from ..kb.errors import UnknownIdError, UsageError
from ..kb.hints import command, option
from ..kb.model import (
    Actor,
    Argument,
    Entry,
    Kind,
    KnowledgeBase,
    LegalModel,
    Position,
    Question,
    kind_of,
)
from ..kb.suggestions import did_you_mean


def _suggest(word: str, choices: Iterable[str]) -> str:
    hint = did_you_mean(word, choices)
    return f" ({hint})" if hint else ""


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def get_entry(kb: KnowledgeBase, entry_id: str, kinds: tuple[Kind, ...] = ()) -> Entry:
    """The entry called ``entry_id``; raises UnknownIdError (with a suggestion) if there is none.

    With ``kinds``, the entry must be of one of them; otherwise a UsageError says what it is.
    """
    entry = kb.get(entry_id)
    if entry is None and kb.qualified(entry_id):  # a library where several knowledge bases use the id
        shared = " or ".join(repr(q) for q in kb.qualified(entry_id))
        raise UsageError(f"{entry_id!r} is an id in several knowledge bases: say which (did you mean {shared}?)")
    if entry is None:
        choices = kb.ids if not kinds else [e.id for k in kinds for e in kb.collection(k)]
        what = "entry" if not kinds else " or ".join(k.singular for k in kinds)

        hint = _suggest(entry_id, choices)
        # `show johns`: a tag, not an entry. (Only for a tag the shell takes as it is,
        # so the command shown can be pasted and no control character is echoed.)
        if not hint and shlex.quote(entry_id) == entry_id and entry_id in all_tags(kb):
            hint = f" ({entry_id!r} is a tag: `{command('list', option('tags'), entry_id)}` lists what has it)"
        raise UnknownIdError(f"no {what} {entry_id!r}{hint}")
    if kinds and kind_of(entry) not in kinds:
        wanted = " or ".join(_a(k.singular) for k in kinds)
        where = ""  # a pointer to what was probably meant
        if Kind.QUESTIONS in kinds and isinstance(entry, Position):
            where = f"; its question is {entry.question!r}"
        elif Kind.POSITIONS in kinds and kind_of(entry) is Kind.QUESTIONS:
            where = f"; to keep a question and what is under it, give -q {entry_id}"
        elif Kind.ACTORS in kinds and isinstance(entry, Position) and entry.held_by:
            where = f"; it is held by {', '.join(repr(a) for a in entry.held_by)}"
        elif Kind.ACTORS in kinds and isinstance(entry, Argument) and entry.by:
            where = f"; it is made by {entry.by!r}"
        raise UsageError(f"{entry_id!r} is {_a(kind_of(entry).singular)}, not {wanted}{where}")
    return entry


def main_text(entry: Entry) -> str:
    """The one line that says what an entry is: claim, question text, name or title."""
    if isinstance(entry, (Position, Argument)):
        return entry.claim
    if isinstance(entry, Question):
        return entry.text
    if isinstance(entry, (Actor, LegalModel)):
        return entry.name
    return entry.title


def root_position(kb: KnowledgeBase, argument: Argument) -> Position:
    """The position an argument ultimately bears on (the loader refuses cycles)."""
    target = kb.get(kb.toward(argument))
    while isinstance(target, Argument):
        target = kb.get(kb.toward(target))
    assert isinstance(target, Position)
    return target


def question_of(kb: KnowledgeBase, entry: Position | Argument) -> Question:
    position = entry if isinstance(entry, Position) else root_position(kb, entry)
    question = kb.get(position.question)
    assert isinstance(question, Question)
    return question


def questions_of(kb: KnowledgeBase) -> dict[str, str]:
    """The question every question, position and argument belongs to (linear time)."""
    question_of: dict[str, str] = {q.id: q.id for q in kb.questions}
    question_of.update({p.id: p.question for p in kb.positions})
    target = {a.id: kb.toward(a) for a in kb.arguments}
    for argument in kb.arguments:
        path: list[str] = []
        node = argument.id
        while node not in question_of:
            path.append(node)
            node = target[node]
        for item in path:
            question_of[item] = question_of[node]
    return question_of


def actor_names(kb: KnowledgeBase, entry: Entry) -> list[str]:
    """Names of who held a position or made an argument ([] for other entries)."""
    ids: tuple[str, ...] = ()
    if isinstance(entry, Position):
        ids = entry.held_by
    elif isinstance(entry, Argument) and entry.by:
        ids = (entry.by,)
    names = []
    for actor_id in ids:
        actor = kb.get(actor_id)
        names.append(actor.name if isinstance(actor, Actor) else actor_id)
    return names



def all_tags(kb: KnowledgeBase) -> list[str]:
    """Every tag in use, in order of first appearance in the file."""
    seen: dict[str, None] = {}
    for entry in kb.entries():
        for tag in getattr(entry, "tags", ()):
            seen.setdefault(tag, None)
    return list(seen)


def entry_ids(kb: KnowledgeBase, kinds: Iterable[Kind] = ()) -> list[str]:
    """Ids for shell completion, in file order."""
    kinds = tuple(kinds) or tuple(Kind)
    return [e.id for k in kinds for e in kb.collection(k)]
