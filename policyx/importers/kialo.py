"""Kialo's text export -> a policyx knowledge base.

Kialo (kialo.com) exports a discussion as numbered lines::

    Discussion Title: Should the voting age be lowered to 16?

    1. The voting age should be lowered to 16.
    1.1. Pro: Sixteen-year-olds can work and pay taxes.
    1.1.1. Con: Most of them earn too little to pay income tax.
    1.2. Con: -> See 1.1.1.

The mapping (docs/import.md gives the reasons): the discussion's title is the
question, the thesis (``1.``) its position; every ``Pro:`` is an argument
``for`` its parent (the claim one number up), every ``Con:`` one ``against``
it. A ``-> See 1.1.1.`` line is Kialo's link to a claim used in two places: it
becomes an argument that repeats the claim it names (never a new claim), with
a note naming it; the named claim's own reasons stay under it. Kialo's
backslash escapes (``\\(``) are undone. A claim may run over several lines.
Kialo names no authors in its export.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from ..kb.struct import dataclass, field
from .common import Builder, agreement_of, fail, one_line

_TITLE = re.compile(r"\s*Discussion (?:Title|Name):[ \t]*(.*)", re.I)
_LINE = re.compile(r"((?:\d+\.)+)[ \t]+(?:(Pro|Con|Thesis)[ \t]*:[ \t]*)?(.*)", re.I)
_LINK = re.compile(r"->[ \t]*See[ \t]+((?:\d+\.)*\d+\.?)[ \t]*\Z", re.I)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(text: str) -> str:
    """Kialo's export escapes Markdown's characters (``\\(``, ``\\*``, ``\\_``): undone."""
    return _ESCAPE.sub(r"\1", text)


def is_kialo(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")
    if _TITLE.match(head):
        return True
    return bool(re.match(r"1\.[ \t]+\S", head)) and bool(re.search(r"^1\.\d+\.[ \t]+(Pro|Con):", text, re.M | re.I))


@dataclass
class _Claim:
    number: str  # "1.2.3."
    line: int
    stance: str | None  # "pro" | "con" | "thesis" | None
    lines: list[str] = field(default_factory=list)

    @property
    def parent(self) -> str:
        return self.number[: self.number[:-1].rfind(".") + 1]

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


#: The most digits one part of a claim's number may have ("1.123456789."): a discussion has far
#: fewer claims; longer numbers are refused rather than converted (Python stops at 4,300 digits).
MAX_NUMBER_DIGITS = 9


def _short(number: str) -> str:
    return number if len(number) <= 24 else f"{number[:10]}...{number[-10:]} ({len(number):,} characters)"


def _number(raw: str) -> str:
    return raw if raw.endswith(".") else raw + "."


def import_kialo(name: str, text: str, builder: Builder) -> str:
    """Add the discussion to ``builder``; returns its title."""
    summary = builder.summary
    tally = summary.tally("Kialo claims")
    title = ""
    claims: dict[str, _Claim] = {}
    current: _Claim | None = None
    body: list[str] = []  # the source: the export as Kialo shows it, escapes undone
    for number, raw in enumerate(text.splitlines(), 1):
        line = unescape(raw)
        body.append(line.rstrip())
        if not title and not claims and (match := _TITLE.match(raw)):
            title = one_line(unescape(match.group(1)))
            continue
        match = _LINE.match(raw)
        if match:
            key = _number(match.group(1))
            if max(map(len, key[:-1].split("."))) > MAX_NUMBER_DIGITS:
                raise fail(name, f"claim number {_short(key)} has a part longer than {MAX_NUMBER_DIGITS} digits",
                           "Kialo numbers claims 1., 1.1., 1.2. ...: fix the number", line=number)
            if key in claims:
                raise fail(name, f"claim {key} is numbered twice (first on line {claims[key].line})",
                           "give each claim its own number, as Kialo's export does", line=number, entry=key)
            current = _Claim(key, number, (match.group(2) or "").lower() or None, [unescape(match.group(3))])
            claims[key] = current
        elif current is not None:
            current.lines.append(line)  # a claim that runs over several lines
        elif raw.strip():
            raise fail(name, f"line {number} is neither the discussion's title nor a numbered claim",
                       "a Kialo export starts with 'Discussion Title: ...', then '1. thesis'", line=number)
    if not claims:
        raise fail(name, "is an empty Kialo discussion: it has no numbered claims",
                   "export the discussion again from Kialo (it starts '1. ' with the thesis)")
    theses = [c for c in claims.values() if c.number.count(".") == 1]
    if not theses:
        first = next(iter(claims.values()))
        raise fail(name, f"claim {first.number} has no thesis above it (no line '1. ...')",
                   "a Kialo export starts with the thesis, numbered '1.'", line=first.line)
    stem = PurePath(name).stem
    # several theses ("1.1. Thesis: ...") under one top claim: that claim asks the question
    multi = {c.parent for c in claims.values() if c.stance == "thesis" and c.parent.count(".") == 1}
    question_text = title or one_line(theses[0].text)
    label = PurePath(name).name  # entries name the file, not its path
    source = builder.source(f"{stem} text", f"{label}: the Kialo discussion {question_text!r}, as exported, "
                            "with Kialo's backslash escapes undone", "\n".join(body).strip("\n"))
    question = builder.question(title or stem, question_text)
    holder: list[str] = []

    def participants() -> str:
        if not holder:
            holder.append(builder.actor(f"kialo:{name}", f"the author of the Kialo discussion in {label}", "one",
                                        "Kialo's export names no authors: the thesis is the discussion's own."))
        return holder[0]

    ids: dict[str, str] = {}  # number -> the id of its entry
    arguments: dict[str, dict[str, object]] = {}  # id -> the argument's entry (version 2 adds a link's target)
    gone: set[str] = set()  # numbers left out (so is what answers them)
    links = summary.tally("Kialo links ('-> See')")

    def leave(claim: _Claim, why: str, warning: str | None, link: bool = False) -> bool:
        (links if link else tally).leave(why)
        if warning:
            summary.warn(f"{name}:{claim.line}: {warning}; left out")
        gone.add(claim.number)
        return True

    def place(claim: _Claim) -> bool:
        """Add the claim's entry (or leave it out); False while what it answers or names has no entry yet."""
        words, parent = claim.text, claim.parent
        link = _LINK.match(words)
        top = claim.number.count(".") == 1
        if not top and parent not in ids:
            if parent in claims and parent not in gone:
                return False  # it answers a link not followed yet
            missing = "is not in the export" if parent not in claims else "was left out"
            return leave(claim, "whose parent claim is missing or left out",
                         f"{'the link' if link else 'claim'} {claim.number} answers {parent}, which {missing}",
                         bool(link))
        if link and top:
            return leave(claim, "that could not be followed", f"the link {claim.number} stands where a thesis does",
                         True)
        if link:
            named = _number(link.group(1))
            if named in claims and named not in ids and named not in gone:
                return False  # it names a link not followed yet
            return _link(claim, named, ids, claims, builder, source, multi, leave, arguments)
        if not one_line(words):
            return leave(claim, "with no text", f"claim {claim.number} has no text (nor has what answers it)")
        if top and claim.number in multi:  # a multi-thesis discussion: its top claim is the question
            tally.add("the question of a discussion with several theses")
            ids[claim.number] = question
            return True
        entry: dict[str, object] = {"id": builder.ids.make(words, f"claim {claim.number}"), "claim": one_line(words)}
        if top or (claim.stance == "thesis" and parent in multi):
            holders = [participants()]
            builder.position({**entry, "question": question, "held_by": holders,
                              "agreement": agreement_of(holders), "quote": words, "source": source})
            tally.add("positions (the thesis)" if top else "positions (theses)")
        elif parent in multi:
            return leave(claim, "Pro or Con of the question itself, not of a thesis",
                         f"claim {claim.number} answers the question, not a thesis")
        elif claim.stance not in ("pro", "con"):
            return leave(claim, "with neither 'Pro:' nor 'Con:'", f"claim {claim.number} is neither Pro nor Con")
        else:
            stance = "for" if claim.stance == "pro" else "against"
            made_entry = {**entry, stance: ids[parent], "quote": words, "source": source}
            builder.argument(made_entry)
            arguments[str(entry["id"])] = made_entry
            tally.add("arguments for their parent" if stance == "for" else "arguments against their parent")
        ids[claim.number] = str(entry["id"])
        return True

    pending = sorted(claims.values(), key=lambda c: [int(p) for p in c.number[:-1].split(".")])
    tally.read += len(pending)
    while pending:  # a link (and what answers it) waits until the claim it names has its entry
        waiting = [claim for claim in pending if not place(claim)]
        if len(waiting) == len(pending):
            for claim in waiting:
                leave(claim, "links naming each other in a circle, and what answers them",
                      f"claim {claim.number} waits on links that name each other in a circle")
            break
        pending = waiting
    return title or question_text


def _link(claim: _Claim, named: str, ids: dict[str, str], claims: dict[str, _Claim], builder: Builder,
          source: str, multi: set[str], leave: Callable[[_Claim, str, str | None, bool], bool],
          arguments: dict[str, dict[str, object]]) -> bool:
    """A ``-> See`` line: in schema version 2, one more target of the argument it names (a reference,
    not a copy); else (or where that would close a circle of supports, or names a thesis) an argument
    that repeats the claim it names, with a note."""
    tally = builder.summary.tally("Kialo links ('-> See')")
    tally.read += 1
    builder.summary.tally("Kialo claims").add("links to another claim (see the next line)")
    parent = claim.parent
    problem = (f"names {named}, which is not in the export" if named not in claims else
               f"names {named}, which was left out" if named not in ids or named in multi else
               "answers the question, not a thesis" if parent in multi else
               "is neither Pro nor Con" if claim.stance not in ("pro", "con") else None)
    if problem is not None:
        return leave(claim, "that could not be followed", f"the link {claim.number} {problem}", True)
    target = claims[named]
    if target.parent == parent and target.stance == claim.stance:
        return leave(claim, "naming a claim already there, with the same parent and side",
                     f"the link {claim.number} names {named}, which already answers {parent} the same way", True)
    words = target.text
    stance = "for" if claim.stance == "pro" else "against"
    named_entry = arguments.get(ids[named])
    other = named_entry.get("against" if stance == "for" else "for") if named_entry is not None else None
    both = ids[parent] == other or (isinstance(other, list) and ids[parent] in other)  # one way per target
    if builder.version >= 2 and named_entry is not None and not both and ids[parent] != ids[named] and not (
            stance == "for" and _reaches(ids[parent], ids[named], arguments)):
        targets = named_entry.get(stance)
        listed = [] if targets is None else [targets] if isinstance(targets, str) else list(targets)  # type: ignore[call-overload]
        if ids[parent] not in listed:
            named_entry[stance] = [*listed, ids[parent]] if listed else ids[parent]
        ids[claim.number] = ids[named]  # what answers the link answers the claim it names
        tally.add("further targets of the claim they name (a reference, not a copy)")
        return True
    made = builder.ids.make(words, f"claim {claim.number}")
    builder.argument({
        "id": made, "claim": one_line(words), stance: ids[parent], "quote": words, "source": source,
        "note": f"Kialo links claim {named} ('{ids[named]}') here as claim {claim.number}: the same claim, "
                f"not a new one; its own reasons are listed under '{ids[named]}'.",
    })
    ids[claim.number] = made  # what answers the link answers it here
    tally.add("arguments repeating the claim they name (with a note)")
    return True


def _reaches(start: str, goal: str, arguments: dict[str, dict[str, object]]) -> bool:
    """Whether following supports from ``start`` reaches ``goal`` (a further support from ``goal`` to
    ``start`` would close a circle of supports)."""
    seen, todo = {start}, [start]
    while todo:
        current = todo.pop()
        if current == goal:
            return True
        entry = arguments.get(current, {})
        for how in ("for", "against"):
            targets = entry.get(how)
            for target in [targets] if isinstance(targets, str) else list(targets or ()):  # type: ignore[call-overload]
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
    return False
