"""The arggraph XML of the Potsdam argumentative microtext corpus -> a policyx knowledge base.

An ``<arggraph>`` holds the text cut into ``<edu>`` segments (their words in
CDATA), the argumentative units ``<adu type="pro|opp">`` and ``<edge>``s:

- ``seg``: an EDU is (part of) an ADU's text;
- ``sup`` (support) and ``exa`` (support by example): an ADU argues for another;
- ``reb`` (rebuttal): an ADU attacks another;
- ``und`` (undercut): an ADU attacks an edge, the step of an argument, not its claim;
- ``add``: an ADU joins the premises of an edge: they support only together (linked premises).

Every ADU is a claim (its EDUs' words, the quote; the EDUs in order are the
source), every relation edge a relation; ``pro`` ADUs are the author's,
``opp`` ADUs those of the opponent the author lets speak (the text's author
does not hold them). docs/import.md gives the reasons.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import Any

from .common import Builder, Tally, clean, fail, one_line
from .graphplace import place
from .shape import Act, Claim, Graph, Relation

#: Relation edges: their stance; an ``und`` edge aims at an edge, an ``add`` edge joins one.
STANCES = {"sup": "for", "exa": "for", "reb": "against", "und": "against"}
_HEAD = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<arggraph[\s>/]", re.S)


def is_arggraph(text: str) -> bool:
    return bool(_HEAD.match(text[:4096].lstrip("\ufeff")))


def _parse(name: str, text: str) -> Any:
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise fail(name, "is XML with a document type declaration (DTD), which policyx does not read",
                   "remove the <!DOCTYPE ...> and <!ENTITY ...> declarations")
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
    source_text = " ".join(one_line(t) for t in edus.values() if one_line(t))
    topic = clean(root.get("topic_id")).replace("_", " ").strip()
    question = builder.question(stem, f"What does {label} argue" + (f" (topic: {topic})?" if topic else "?"))
    if not adus:
        summary.warn(f"{name}: no claims (no ADUs): an empty debate, its question only")
        return f"microtext {label}"
    source = builder.source(f"{stem} text", f"{label}: its text, the EDUs in order", source_text)
    words: dict[str, list[str]] = {a: [] for a in adus}
    for ident, (src, trg, kind, _) in edges.items():
        if kind == "seg":
            if src in edus and trg in adus:
                words[trg].append(src)
                etally.add("seg: an EDU's words as an ADU's text")
            else:
                _leave(etally, summary, name, ident, "a seg edge not from an EDU to an ADU")
    voices = {"pro": _voice(builder, name, label, "pro"), "opp": _voice(builder, name, label, "opp")}
    claims: dict[str, Claim] = {}
    order = list(edus)
    for adu, role in adus.items():
        parts = sorted(words[adu], key=order.index)
        text = " ".join(one_line(edus[p]) for p in parts)
        if not text:
            raise fail(name, f"ADU {adu!r} has no text (no seg edge from an EDU)", "link it to its EDU with a seg edge",
                       entry=adu)
        quote = text if text in source_text else one_line(edus[parts[0]])
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
