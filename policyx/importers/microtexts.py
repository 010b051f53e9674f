"""The arggraph XML of the Potsdam argumentative microtext corpus -> a policyx knowledge base.

An ``<arggraph>`` holds the text cut into ``<edu>`` segments (their words in
CDATA), the argumentative units ``<adu type="pro|opp">`` and ``<edge>``s:

- ``seg``: an EDU is (part of) an ADU's text;
- ``sup`` (support) and ``exa`` (support by example): an ADU argues for another;
- ``reb`` (rebuttal): an ADU attacks another;
- ``und`` (undercut): an ADU attacks an edge, the step of an argument, not its claim;
- ``add``: an ADU joins the premises of an edge: they support only together (linked premises).

Every ADU is a claim (its EDUs' words in the order of the text; the EDUs in
order are the source, and the quote is the claim where its EDUs stand together
there, else its first EDU's words), every relation edge a relation; ``pro``
ADUs are the author's, ``opp`` ADUs those of the opponent the author lets speak
(the text's author does not hold them). docs/import.md gives the reasons.

The reader is linear in the file: each EDU's place in the source is known from
one pass, each ADU's EDUs are gathered in one walk over the EDUs and its quote
is compared in place, never searched for. A file with a DTD (``<!DOCTYPE``,
``<!ENTITY``) is refused before it is parsed, located, so no entity is expanded
and nothing is fetched; one whose knowledge base would pass the loader's limit
is refused from a count of its ADUs before any claim is built (:func:`within_limits`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import Any
from xml.parsers import expat

from ..kb import schema
from .common import Builder, Tally, clean, fail, one_line, too_large
from .graphplace import place
from .shape import Act, Claim, Graph, Relation

#: Relation edges: their stance; an ``und`` edge aims at an edge, an ``add`` edge joins one.
STANCES = {"sup": "for", "exa": "for", "reb": "against", "und": "against"}
#: the start of an arggraph: an XML declaration, comments, then its root (or a DTD naming it, which
#: :func:`_parse` refuses, located: better than "none of the formats")
_HEAD = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+|<)arggraph[\s>/\[]", re.S)
#: what would make the XML parser read a DTD: expand entities (a "billion laughs") or name files and URLs
_DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)")


#: the fewest YAML values an ADU makes, as an entry or a linked premise: its mapping, ``claim``,
#: ``quote`` and ``source`` (its words are quoted: an ADU has words, or the file is refused) and its
#: speaker (``by``, or a position's ``held_by``: a list and an item)
PER_ADU = 5
#: how much of the text the count of ADUs gives the XML parser at a time
_CHUNK = 1 << 20


def is_arggraph(text: str) -> bool:
    return bool(_HEAD.match(text[:4096].lstrip("\ufeff")))


class _Passed(Exception):
    """The count of ADUs passed the limit: stop parsing."""


def least_values(text: str, limit: int | None = None) -> tuple[int, int, int]:
    """(the ADUs counted, the fewest YAML values their knowledge base holds, the line of the last one
    counted) of an arggraph with no DTD, stopping once the values pass ``limit``.

    One pass of the XML parser over the text with no element built (its memory is the parser's
    own, whatever the size of the file): every ``<adu>`` under the ``<arggraph>`` root becomes a
    claim (or the file is refused: an ADU without words, two elements of one id), so holds at
    least PER_ADU values. Whatever else the knowledge base holds only adds to it
    (tests/test_import_early_limits.py holds the bound below the true count). A file that is no
    well-formed XML is counted up to its error: the reader then says where that is."""
    parser = expat.ParserCreate()
    depth = adus = line = 0
    root = True

    def start(tag: str, _: object) -> None:
        nonlocal depth, adus, line, root
        depth += 1
        if depth == 1:
            root = tag == "arggraph"
        elif depth == 2 and root and tag == "adu":
            adus += 1
            line = parser.CurrentLineNumber
            if limit is not None and adus * PER_ADU > limit:
                raise _Passed

    def end(_: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        for at in range(0, len(text), _CHUNK):
            parser.Parse(text[at:at + _CHUNK], False)
        parser.Parse("", True)
    except (_Passed, expat.ExpatError):
        pass
    return adus, adus * PER_ADU, line


def within_limits(name: str, text: str) -> None:
    """Refuse, before it is parsed into elements and before any claim is built, an arggraph whose
    knowledge base would hold more YAML values than policyx reads (``schema.MAX_VALUES``)."""
    limit = schema.MAX_VALUES  # read here, not bound at import: tests lower it
    if text.count("<adu") * PER_ADU <= limit:
        return  # even were each "<adu" an ADU, the bound could not pass the limit: no pass needed
    _refuse_dtd(name, text)  # (never given to the parser: its entities are not expanded)
    adus, least, line = least_values(text, limit)
    if least > limit:
        raise too_large(name, f"its first {adus:,} ADUs, up to this line, already make", least,
                        "split the arggraph into several files and import them one at a time, or import a part of it",
                        line=line)


def _refuse_dtd(name: str, text: str) -> None:
    if dtd := _DTD.search(text):  # refused before parsing: no entity is expanded, nothing is fetched
        line = text.count("\n", 0, dtd.start()) + 1
        raise fail(name, "is XML with a document type declaration (DTD), which policyx does not read",
                   "remove the <!DOCTYPE ...> and <!ENTITY ...> declarations", line=line,
                   column=dtd.start() - (text.rfind("\n", 0, dtd.start()) + 1) + 1)


def _parse(name: str, text: str) -> Any:
    _refuse_dtd(name, text)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        raise fail(name, f"is not well-formed XML ({str(exc).split(':')[0]})", "fix the XML at that place",
                   line=line, column=column + 1) from None


def import_arggraph(name: str, text: str, builder: Builder) -> str:
    """Add the arggraph to ``builder``; returns the title of the text."""
    root = _parse(name, text)
    if root.tag != "arggraph":
        raise fail(name, f"is XML, but its root is <{root.tag}>, not <arggraph>", "give a microtexts arggraph file")
    summary = builder.summary
    stem, label = PurePath(name).stem, PurePath(name).name
    edus: dict[str, str] = {}
    adus: dict[str, str] = {}
    edges: dict[str, tuple[str, str, str, int]] = {}  # id -> (src, trg, type, line)
    for index, element in enumerate(root):
        ident = clean(element.get("id")).strip()
        where = f"<{element.tag}> number {index + 1}" + (f" ({ident!r})" if ident else "")
        if element.tag in ("edu", "adu", "edge") and not ident:
            raise fail(name, f"{where} has no id", "give every edu, adu and edge an id", entry=ident or None)
        if ident in edus or ident in adus or ident in edges:
            raise fail(name, f"the id {ident!r} is used twice", "give each element its own id", entry=ident)
        if element.tag == "edu":
            edus[ident] = clean(element.text or "")
        elif element.tag == "adu":
            adus[ident] = clean(element.get("type")).strip().lower()
        elif element.tag == "edge":
            edges[ident] = (clean(element.get("src")).strip(), clean(element.get("trg")).strip(),
                            clean(element.get("type")).strip().lower(), index)
        else:
            summary.tally("arggraph elements").leave(f"<{element.tag}> (not part of the arggraph scheme)")
    summary.tally("arggraph EDUs").read += len(edus)
    summary.tally("arggraph ADUs").read += len(adus)
    etally = summary.tally("arggraph edges")
    etally.read += len(edges)
    lines = {ident: one_line(words) for ident, words in edus.items()}  # each EDU's words on one line, once
    at: dict[str, int] = {}  # where each EDU with words starts in the source text (one pass, no search)
    offset = 0
    for ident, line in lines.items():
        if line:
            at[ident] = offset
            offset += len(line) + 1
    source_text = " ".join(line for line in lines.values() if line)
    topic = clean(root.get("topic_id")).replace("_", " ").strip()
    question = builder.question(stem, f"What does {label} argue" + (f" (topic: {topic})?" if topic else "?"))
    if not adus:
        summary.warn(f"{name}: no claims (no ADUs): an empty debate, its question only")
        return f"microtext {label}"
    source = builder.source(f"{stem} text", f"{label}: its text, the EDUs in order", source_text)
    segs: dict[str, list[str]] = {}  # EDU -> the ADUs it is (part of) the text of
    for ident, (src, trg, kind, _) in edges.items():
        if kind == "seg":
            if src in edus and trg in adus:
                segs.setdefault(src, []).append(trg)
                etally.add("seg: an EDU's words as an ADU's text")
            else:
                _leave(etally, summary, name, ident, "a seg edge not from an EDU to an ADU")
    words: dict[str, list[str]] = {a: [] for a in adus}  # ADU -> its EDUs in the order of the text
    for edu in edus:  # (one walk in order, rather than a sort per ADU)
        for adu in segs.get(edu, ()):
            words[adu].append(edu)
    voices = {"pro": _voice(builder, name, label, "pro"), "opp": _voice(builder, name, label, "opp")}
    claims: dict[str, Claim] = {}
    for adu, role in adus.items():
        parts = [p for p in words[adu] if p in at]  # its EDUs with words (a blank one adds no text)
        if not parts:
            raise fail(name, f"ADU {adu!r} has no text (no seg edge from an EDU with words)",
                       "link it to its EDU with a seg edge", entry=adu)
        text = " ".join(lines[p] for p in parts)
        quote = text if _stands(text, at[parts[0]], source_text) else lines[parts[0]]
        actor = voices.get(role) or voices["pro"]
        note = None if role in voices else f"The arggraph gives ADU {adu} the role {role!r}; read as the author's."
        claims[adu] = Claim(adu, text, f"ADU {adu}", fallback=f"adu {adu}", quote=quote, source=source,
                            acts=[Act(actor, "asserts", quote, source)], note=note, question=question)
    relations = _relations(name, edges, claims, etally, builder)
    placed = place(Graph(name, claims, relations, question, lambda: voices["pro"]), builder,
                   summary.tally("arggraph relations"))
    atally = summary.tally("arggraph ADUs")
    atally.add("positions", placed.positions)
    atally.add("claims of arguments", len(placed.entry_of) - placed.positions)
    summary.tally("arggraph EDUs").add("the source text, and the ADUs' quotes", len(edus))
    return f"microtext {label}"


def _stands(text: str, start: int, source_text: str) -> bool:
    """Whether ``text`` stands as it is in the source text where its first EDU starts (its EDUs are
    consecutive there): compared in place, in the time its length takes, not searched for."""
    return source_text.startswith(text, start)


def _voice(builder: Builder, name: str, label: str, role: str) -> str:
    if role == "pro":
        return builder.actor(f"arggraph-author:{name}", f"the author of {label}",
                             description=f"{label} names no author; its 'pro' units are the author's own.")
    return builder.actor(f"arggraph-opponent:{name}", f"the opponent in {label}",
                         description=f"The voice {label}'s author argues against: its 'opp' units, which the "
                                     "author states in order to answer them, not as the author's view.")


def _leave(tally: Tally, summary: Any, name: str, edge: str, why: str) -> None:
    tally.leave(why)
    summary.warn(f"{name}: edge {edge!r} is {why}; left out")


def _relations(name: str, edges: dict[str, tuple[str, str, str, int]], claims: dict[str, Claim], tally: Tally,
               builder: Builder) -> list[Relation]:
    """sup, exa and reb edges between ADUs, und edges on edges, add edges joining an edge's premises."""
    relations: dict[str, Relation] = {}
    summary = builder.summary
    for ident, (src, trg, kind, _) in edges.items():
        if kind in ("sup", "exa", "reb") and src in claims and trg in claims:
            relations[ident] = Relation(ident, src, trg, STANCES[kind], f"{kind} edge {ident}", group=ident)
            tally.add(f"{kind}: a relation '{STANCES[kind]}'")
        elif kind == "und" and src in claims and trg in edges:
            relations[ident] = Relation(ident, src, trg, "against", f"und edge {ident}", group=ident)
            tally.add("und: an undercut (an attack on the edge's step)")
        elif kind not in ("seg", "add"):
            why = f"a {kind or 'untyped'} edge" + (" between ends the file does not hold" if kind in STANCES else
                                                   ", a type the arggraph scheme does not have")
            _leave(tally, summary, name, ident, why)
    for ident, (src, trg, kind, _) in edges.items():
        if kind != "add":
            continue
        joined = relations.get(trg)
        if src not in claims or joined is None:
            _leave(tally, summary, name, ident, "an add edge not from an ADU to a relation edge")
            continue
        relations[ident] = Relation(ident, src, joined.target, joined.stance, f"add edge {ident}", group=joined.group)
        tally.add("add: a premise linked to the edge it joins (they hold only together)")
    return list(relations.values())
