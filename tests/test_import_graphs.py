"""The microtexts corpus's arggraph XML and Carneades 4 YAML; what a folder leaves out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from policyx.importers import import_files
from policyx.importers.files import gather
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.model import Argument, KnowledgeBase, Position
from tests.clirun import run_cli
from tests.importing import by_claim, convert, imported, relations, text_inputs

# A microtext of my own: a claim, a support with a linked premise (add), a rebuttal by the
# opponent, and an undercut of that rebuttal's step; EDUs e5 and e6 make one ADU.
ARGGRAPH = """<?xml version='1.0' encoding='UTF-8' ?>
<arggraph id="micro_x01" topic_id="free_buses" stance="pro">
  <edu id="e1"><![CDATA[Buses in town should be free.]]></edu>
  <edu id="e2"><![CDATA[Fares keep poor families at home,]]></edu>
  <edu id="e3"><![CDATA[and staying home means missing work.]]></edu>
  <edu id="e4"><![CDATA[Some say free buses get crowded.]]></edu>
  <edu id="e5"><![CDATA[But crowds]]></edu>
  <edu id="e6"><![CDATA[only last a month.]]></edu>
  <adu id="a1" type="pro" /><adu id="a2" type="pro" /><adu id="a3" type="pro" />
  <adu id="a4" type="opp" /><adu id="a5" type="pro" />
  <edge id="c1" src="e1" trg="a1" type="seg" /><edge id="c2" src="e2" trg="a2" type="seg" />
  <edge id="c3" src="e3" trg="a3" type="seg" /><edge id="c4" src="e4" trg="a4" type="seg" />
  <edge id="c5" src="e5" trg="a5" type="seg" /><edge id="c6" src="e6" trg="a5" type="seg" />
  <edge id="c7" src="a2" trg="a1" type="sup" />
  <edge id="c8" src="a3" trg="c7" type="add" />
  <edge id="c9" src="a4" trg="a1" type="reb" />
  <edge id="c10" src="a5" trg="c9" type="und" />
</arggraph>
"""


def test_every_adu_is_an_entry_and_every_relation_an_argument() -> None:
    kb, result = convert(text_inputs("micro_x01.xml", ARGGRAPH))
    assert [p.claim for p in kb.positions] == ["Buses in town should be free."]
    free = "Buses in town should be free."
    assert relations(kb) >= {("Fares keep poor families at home,", "for", free),
                             ("and staying home means missing work.", "for", free),
                             ("Some say free buses get crowded.", "against", free)}
    assert len(kb.arguments) == 3  # the support and its added premise are one argument of linked premises
    (linked,) = [a for a in kb.arguments if a.premises]
    assert [p.claim for p in linked.premises] == ["Fares keep poor families at home,",
                                                  "and staying home means missing work."]
    (crowds,) = by_claim(kb, "But crowds only last a month.")  # two EDUs, one ADU
    (crowded,) = by_claim(kb, "Some say free buses get crowded.")
    assert isinstance(crowds, Argument) and crowds.undercuts == crowded.id  # the step of the rebuttal
    assert kb.questions[0].text == "What does micro_x01.xml argue (topic: free buses)?"
    assert "und: an undercut" in "\n".join(result.summary.lines())


def test_opponent_units_are_not_the_authors() -> None:
    kb, _ = convert(text_inputs("micro_x01.xml", ARGGRAPH))
    (crowded,) = by_claim(kb, "Some say free buses get crowded.")
    (linked,) = [a for a in kb.arguments if a.premises]
    names = {a.id: a.name for a in kb.actors}
    assert isinstance(crowded, Argument) and names[crowded.by or ""] == "the opponent in micro_x01.xml"
    assert names[linked.premises[0].by or ""] == "the author of micro_x01.xml"
    assert names[kb.positions[0].held_by[0]] == "the author of micro_x01.xml"


def test_the_source_is_the_edus_in_order_and_quotes_are_verbatim() -> None:
    _, result = convert(text_inputs("micro_x01.xml", ARGGRAPH))
    (text,) = result.sources.values()
    assert text.startswith("Buses in town should be free. Fares keep poor families at home,")


@pytest.mark.parametrize(("text", "message"), [
    ("<arggraph><edu id='e1'>x</edu><adu id='a1' type='pro'/></arggraph>", "ADU 'a1' has no text"),
    ("<arggraph><edu id='e1'>x</edu><edu id='e1'>y</edu></arggraph>", "the id 'e1' is used twice"),
    ("<arggraph><edu id='e1'>x</edu>", "is not well-formed XML"),
    ("<!DOCTYPE a [<!ENTITY b 'c'>]><arggraph/>", "document type declaration"),
])
def test_broken_arggraphs_are_one_located_error(text: str, message: str) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        import_files(text_inputs("bad.xml", text), fmt="microtexts")
    assert message in caught.value.problems[0].message


CARNEADES = """meta:
  title: Cycling to school
statements:
  helmets: Children should wear helmets.
  ¬helmets: Children need not wear helmets.
  falls: Children fall off bikes.
  heads: Falls hurt heads.
  rare:
    text: Serious falls are rare.
    assumed: true
  old: The study is old.
  ¬app(a1): Argument a1 does not apply.
issues:
  i1:
    positions: [helmets, ¬helmets]
arguments:
  a1:
    conclusion: helmets
    premises:
      minor: falls
      major: heads
    undercutter: ¬app(a1)
  a2:
    scheme: cumulative
    conclusion: ¬helmets
    premises: [rare, old]
  a3:
    conclusion: ¬app(a1)
    premises: [old]
assumptions: [falls]
tests:
  in: [falls]
"""


def test_carneades_issues_are_questions_with_their_positions() -> None:
    kb, _ = convert(text_inputs("helmets.yml", CARNEADES))
    (issue,) = [q for q in kb.questions if q.text.startswith("Which holds")]
    assert issue.text == "Which holds: 'Children should wear helmets.' or 'Children need not wear helmets.'?"
    assert {p.claim for p in kb.positions if p.question == issue.id} == {
        "Children should wear helmets.", "Children need not wear helmets."}


def test_carneades_premises_undercutters_and_assumptions() -> None:
    kb, result = convert(text_inputs("helmets.yml", CARNEADES))
    assert relations(kb) >= {("Children fall off bikes.", "for", "Children should wear helmets."),
                             ("Falls hurt heads.", "for", "Children should wear helmets."),
                             ("Serious falls are rare.", "for", "Children need not wear helmets.")}
    (inapplicable,) = by_claim(kb, "Argument a1 does not apply.")
    (a1,) = [a for a in kb.arguments if a.premises and a.premises[0].claim == "Children fall off bikes."]
    assert [p.claim for p in a1.premises] == ["Children fall off bikes.", "Falls hurt heads."]  # linked
    # the undercut comes from a3, the argument concluding the undercutter (its one premise, 'old'),
    # which also stays a reason for its conclusion; the undercutter itself is a position
    (old,) = by_claim(kb, "The study is old.")
    assert isinstance(old, Argument) and old.undercuts == a1.id and inapplicable.id in [t for _, t in old.relations]
    assert isinstance(inapplicable, Position)
    assert a1.note is not None and "Assumed" in a1.note and "'minor'" in a1.note
    (rare,) = by_claim(kb, "Serious falls are rare.")
    assert rare.note is not None and "Assumed" in rare.note
    text = "\n".join(result.summary.lines())
    assert "linked premises of one inference: 1" in text and "tests (what Carneades computes" in text
    assert "premises each counting on its own (scheme cumulative): 1" in text


def test_carneades_statements_have_no_holder_and_complements_attack_each_other() -> None:
    """Carneades names no speaker: nobody is made to hold a statement (the file's author least of all);
    a statement and its complement (¬p) attack each other, both staying the issue's positions."""
    kb, result = convert(text_inputs("helmets.yml", CARNEADES))
    assert kb.actors == () and all(p.held_by == () and p.acts == () for p in kb.positions)
    assert all(a.by is None and a.acts == () for a in kb.arguments)
    (yes,) = by_claim(kb, "Children should wear helmets.")
    (no,) = by_claim(kb, "Children need not wear helmets.")
    assert isinstance(yes, Position) and isinstance(no, Position)
    assert yes.against == (no.id,) and no.against == (yes.id,)
    assert "complementary pairs (p and ¬p), which attack each other: 1" in "\n".join(result.summary.lines())


def test_a_carneades_loop_of_supports_imports_with_a_warning() -> None:
    loop = "statements:\n  p: P\n  q: Q\narguments:\n  a1: {conclusion: q, premises: [p]}\n" \
           "  a2: {conclusion: p, premises: [q]}\n"
    kb, result = convert(text_inputs("loop.yml", loop))
    assert [p.claim for p in kb.positions] == ["P"]
    assert any("in a circle of supports" in w for w in result.summary.warnings)


def test_an_argument_with_no_premises_is_an_entry_that_can_be_undercut() -> None:
    dung = "statements:\n  p: P\n  ua: Not a\n  ub: Not b\narguments:\n  a: {conclusion: p, undercutter: ua}\n" \
           "  b: {conclusion: ua}\n"
    kb, _ = convert(text_inputs("dung.yml", dung))
    (a,) = [x for x in kb.arguments if x.claim.startswith("Argument a of dung.yml")]
    (b,) = [x for x in kb.arguments if x.claim.startswith("Argument b of dung.yml")]
    assert b.undercuts == a.id  # b concludes the undercutter: its attack on a's step


# A Dung framework written the Carneades 4 way (statements for conclusions and undercutters, an
# undercutter concluded by the attacking argument): a <- b <- c <- d, and e undercut by an
# undercutter nothing argues for, f by an assumed one. Dung's grounded labels: d in, c out, b in,
# a out; e in (Carneades: an undercutter neither assumed nor argued for is out); f out.
DUNG_CHAIN = """statements:
  p: Ports should open at night.
  ua: Argument a does not apply.
  ub: Argument b does not apply.
  uc: Argument c does not apply.
  ud: Argument d does not apply.
  q: Quays need light.
  ue: Argument e does not apply.
  r: Rails need crews.
  uf:
    text: Argument f does not apply.
    assumed: true
arguments:
  a: {conclusion: p, undercutter: ua}
  b: {conclusion: ua, undercutter: ub}
  c: {conclusion: ub, undercutter: uc}
  d: {conclusion: uc, undercutter: ud}
  e: {conclusion: q, undercutter: ue}
  f: {conclusion: r, undercutter: uf}
"""


def test_a_dung_framework_written_the_carneades_way_keeps_its_attacks(tmp_path: Path) -> None:
    """Carneades accepts an undercutter when it is assumed or an argument for it holds, so the
    attack on a step comes from the argument concluding its undercutter (or the assumption):
    `policyx standing` then gives the arguments Dung's labels, reinstatement included."""
    (tmp_path / "chain.yml").write_text(DUNG_CHAIN, encoding="utf-8")
    done = run_cli("import", str(tmp_path / "chain.yml"), "-o", str(tmp_path / "kb.yaml"))
    assert done.exit_code == 0, done.stderr
    assert "undercutters neither assumed nor concluded by an argument (Carneades: out, so no attack): 2" \
        in done.stderr
    rows = json.loads(run_cli("--kb", str(tmp_path / "kb.yaml"), "standing", "-f", "json").stdout)
    label = {r["claim"].split(" of chain.yml")[0]: r["label"] for r in rows if " of chain.yml" in r["claim"]}
    assert label == {"Argument a": "out", "Argument b": "in", "Argument c": "out", "Argument d": "in",
                     "Argument e": "in", "Argument f": "out"}
    (ue,) = [r for r in rows if r["claim"] == "Argument e does not apply."]
    kb = yaml.safe_load((tmp_path / "kb.yaml").read_text(encoding="utf-8"))
    (entry,) = [e for e in kb["positions"] if e["id"] == ue["id"]]
    assert "undercutter of argument e; nothing argues for it" in entry["note"]


SADFACE = json.dumps({"id": "x", "analyst_name": "Ann", "nodes": [{"id": "n1", "type": "atom", "text": "a"}],
                      "edges": []})


def test_sadface_is_not_mistaken_for_aif() -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        import_files(text_inputs("s.json", SADFACE))
    assert "is SADFace JSON" in caught.value.problems[0].message


def test_a_folder_leaves_out_transcripts_and_sadface_with_one_note_each(tmp_path: Path) -> None:
    (tmp_path / "micro_x01.xml").write_text(ARGGRAPH, encoding="utf-8")
    (tmp_path / "micro_x01.txt").write_text("Buses in town should be free. Fares keep poor families at home,",
                                            encoding="utf-8")
    (tmp_path / "transcript.txt").write_text("[00:01:02] Chair: Good evening.\n[00:01:09] Ann: Hello.\n",
                                             encoding="utf-8")
    (tmp_path / "s.json").write_text(SADFACE, encoding="utf-8")
    files, optional = gather([tmp_path])
    result = import_files(files, optional=optional)
    notes = result.summary.warnings
    assert len(notes) == 3
    assert any("micro_x01.txt: no argument data (the text of micro_x01.xml?)" in n for n in notes)
    assert any("transcript.txt: no argument data policyx reads" in n for n in notes)
    assert any("s.json: SADFace JSON, which policyx does not read" in n for n in notes)


def test_a_transcript_given_alone_is_no_json_error() -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        import_files(text_inputs("t.txt", "[00:01:02] Chair: Good evening.\n"))
    assert "is none of AIF JSON" in caught.value.problems[0].message


def _graph(kb: KnowledgeBase) -> tuple[set[str], set[tuple[frozenset[str], str, str]], set[tuple[str, str]]]:
    """Claims, relations (premise set, how, target claim) and restatements, by text."""
    entries = {e.id: e for e in (*kb.positions, *kb.arguments)}

    premises = {f"{a.id}.{p.id}": p.claim for a in kb.arguments for p in a.premises if p.id}

    def stands(entry_id: str) -> str:
        if entry_id in premises:  # ARGUMENT.PREMISE: that premise
            return premises[entry_id]
        entry = entries[entry_id]
        return " + ".join(sorted(p.claim for p in entry.premises)) if isinstance(entry, Argument) and entry.premises \
            else entry.claim

    claims = {e.claim for e in entries.values() if not (isinstance(e, Argument) and e.premises)}
    claims |= {p.claim for a in kb.arguments for p in a.premises}
    links = {(frozenset(p.claim for p in a.premises) or frozenset([a.claim]),
              "undercuts" if t == a.undercuts else s.value, stands(t)) for a in kb.arguments for s, t in a.references}
    links |= {(frozenset([p.claim]), "against", stands(t)) for p in kb.positions for t in p.against}
    restated = {(e.claim, stands(t)) for e in entries.values() for t in e.restates}
    restated |= {(p.claim, stands(t)) for a in kb.arguments for p in a.premises for t in p.restates}
    return claims, links, restated


@pytest.mark.parametrize("name", ["voting-age-dialogue.json", "ova-cycle-lanes.json", "araucaria-library.json",
                                  "micro", "carneades"])
def test_import_then_export_aif_then_import_gives_the_same_graph(name: str) -> None:
    from policyx.output.aif import aif_document

    if name == "micro":
        kb, _ = convert(text_inputs("micro_x01.xml", ARGGRAPH))
    elif name == "carneades":
        kb, _ = convert(text_inputs("helmets.yml", CARNEADES))
    else:
        kb, _ = imported(name)
    back, _ = convert(text_inputs("back.json", json.dumps(aif_document(kb))))
    claims, links, restated = _graph(kb)
    again = _graph(back)
    assert again[0] >= claims and again[1] == links and again[2] == restated
