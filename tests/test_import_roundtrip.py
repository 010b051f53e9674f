"""`import` of policyx's own export gives the same graph back, on every fixture (docs/import.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from policyx.importers import InputFile, import_files
from policyx.kb.load import build, load
from policyx.kb.model import KnowledgeBase
from policyx.output.aif import render_aif
from policyx.output.argdown import render_argdown
from tests.importing import FIXTURES, imported

GRAPHS = Path(__file__).resolve().parent / "fixtures" / "graph"
IMPORTS = ["araucaria-library.json", "debate.argdown", "debate.argdown.json", "kialo-theses.txt",
           "kialo-variations.txt", "nested-prefixes.json", "ova-cycle-lanes.json", "phones-in-school.txt",
           "voting-age-dialogue.json", "nodesets"]
CASES = ["graph/uniforms-v2.yaml", *IMPORTS]


def _kb(case: str) -> KnowledgeBase:
    if case.startswith("graph/"):
        return load(GRAPHS / case.removeprefix("graph/"))
    if case == "nodesets":
        return imported(*(f"nodesets/{p.name}" for p in sorted((FIXTURES / "nodesets").glob("*.json"))))[0]
    return imported(case)[0]


def _back(text: str, name: str) -> KnowledgeBase:
    result = import_files([InputFile(name, text.encode("utf-8"))])
    return build(result.document, "back.yaml")


def _graph(kb: KnowledgeBase, acts: bool = True) -> set[tuple[object, ...]]:
    """The graph by its words: every claim (position or argument), the premises of each argument,
    every support, attack (a position's too), undercut and restatement, who holds or argues each
    claim, every act (who, what) and the words on record for each claim."""
    names = {a.id: a.name for a in kb.actors}
    claim = {e.id: e.claim for e in (*kb.positions, *kb.arguments)}
    claim |= {f"{a.id}.{p.id}": p.claim for a in kb.arguments for p in a.premises if p.id}  # ARGUMENT.PREMISE
    found: set[tuple[object, ...]] = set()
    for p in kb.positions:
        found.add(("position", p.claim))
        found |= {("attacks", p.claim, claim[t]) for t in p.against}
        found |= {("held by", p.claim, names[h]) for h in p.held_by}
    for a in kb.arguments:
        found.add(("argument", a.claim, tuple(sorted(p.claim for p in a.premises)), names.get(a.by or "")))
        found |= {("supports" if s.value == "for" else "attacks", a.claim, claim[t])
                  for s, t in a.references if t != a.undercuts}
        found |= {("restates", p.claim, claim[t]) for p in a.premises for t in p.restates}
        if a.undercuts is not None:
            found.add(("undercuts", a.claim, claim[a.undercuts]))
    for e in (*kb.positions, *kb.arguments):
        found |= {("restates", e.claim, claim[t]) for t in e.restates}
        if acts and not getattr(e, "premises", ()):  # a linked argument's own words and acts: docs/import.md
            found |= {("act", e.claim, names[x.by], x.act.value) for x in e.acts}
            words = {x.quote for x in e.acts if x.quote} | ({e.quote} if e.quote else set())
            found |= {("words", e.claim, w) for w in words}
    return found


@pytest.mark.parametrize("case", CASES)
def test_the_aif_export_imports_back_as_the_same_graph(case: str) -> None:
    kb = _kb(case)
    back = _back(render_aif(kb), "export.json")
    assert _graph(back) == _graph(kb)
    assert len(back.arguments) == len(kb.arguments) and len(back.positions) == len(kb.positions)


def test_the_graph_fixture_holds_what_the_round_trip_must_keep() -> None:
    """The four things a round trip once lost are in the fixture, so the test above covers them."""
    graph = _graph(_kb("graph/uniforms-v2.yaml"))
    linked = "When all wear the same, nobody is teased for clothes."
    assert ("supports", "Uniforms cost families less than a wardrobe.", linked) in graph  # aimed at a linked one
    assert any(g[0] == "argument" and g[1] == linked and g[2] for g in graph)  # its own claim
    assert ("attacks", "The school should not require uniforms.", "The school should require uniforms.") in graph
    assert ("position", "The school should not require uniforms.") in graph
    assert ("argument", "Choosing clothes teaches responsibility.", (), "a teacher") in graph  # by, no quote


def _argdown_graph(kb: KnowledgeBase) -> set[tuple[object, ...]]:
    """What Argdown can say of the graph: every claim, each argument's premises, supports, attacks
    (a contradiction, ``><``, both ways), undercuts. Not who said what, nor quotes, nor restatements
    (written as comments), nor which of two contradicting claims is the position (docs/import.md)."""
    found: set[tuple[object, ...]] = {("claim", p.claim, ()) for p in kb.positions}
    for item in _graph(kb, acts=False):
        if item[0] in ("held by", "restates", "position"):
            continue
        if item[0] == "argument":
            item = ("claim", item[1], item[2])
        elif item[0] == "attacks":
            item = ("attacks", frozenset(item[1:]))
        found.add(item)
    return found


@pytest.mark.parametrize("case", CASES)
def test_the_argdown_export_imports_back_as_the_same_graph(case: str) -> None:
    kb = _kb(case)
    back = _back(render_argdown(kb), "export.argdown")
    assert _argdown_graph(back) == _argdown_graph(kb)
    assert len(back.arguments) + len(back.positions) == len(kb.arguments) + len(kb.positions)
