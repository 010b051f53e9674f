"""Schema version 2: a relation or a restatement aimed at one premise of a linked argument
(``ARGUMENT.PREMISE``), a premise that restates an entry, an entry that restates several."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from policyx.importers import InputFile, import_files
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.jsonschema import json_schema
from policyx.kb.load import build, load, load_text
from policyx.kb.model import Argument, KnowledgeBase, Stance
from policyx.kb.records import to_record
from policyx.kb.store import open_kb
from policyx.output.aif import aif_document
from tests.clirun import run_cli as cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "graph"
PREMISES = FIXTURES / "premises-v2.yaml"
KB = ("--kb", str(PREMISES))


def _arguments(kb: KnowledgeBase) -> dict[str, Argument]:
    return {a.id: a for a in kb.arguments}


def test_a_relation_aimed_at_a_premise_is_the_arguments_and_names_the_premise() -> None:
    kb = load(PREMISES)
    args = _arguments(kb)
    assert args["body-clock"].relations == ((Stance.FOR, "sleep-short"),)
    assert args["body-clock"].aims == ("teens-late",)
    assert args["body-clock"].references == ((Stance.FOR, "sleep-short.teens-late"),)
    assert args["phones"].references == ((Stance.AGAINST, "sleep-short.teens-late"), (Stance.AGAINST, "body-clock"))
    assert args["phones"].aim_at("sleep-short") == ("teens-late",) and args["phones"].aim_at("body-clock") == ()
    # what answers a premise answers its argument: the views reach it under that argument, once
    assert [a.id for a in kb.replies_to("sleep-short")] == ["body-clock", "phones"]
    # restatements: a list, a premise's own, and a premise named as ARGUMENT.PREMISE
    assert args["drowsy"].restates == ("tired-mornings", "sleep-short.early-short")
    assert args["sleep-short"].premises[1].restates == ("tired-mornings",)
    assert ("restated by", "sleep-short") in kb.links_to("tired-mornings")
    assert ("restated by", "drowsy") in kb.links_to("sleep-short")
    assert ("attacked by position", "keep-time") in kb.links_to("sleep-short")
    # the cache gives back the same entries
    assert open_kb(PREMISES, use_cache=True).arguments == kb.arguments
    assert open_kb(PREMISES, use_cache=True).arguments == kb.arguments


def test_the_json_records_name_the_premise_as_the_file_does() -> None:
    kb = load(PREMISES)
    args = _arguments(kb)
    phones = to_record(args["phones"], 2)
    assert phones["against"] == ["sleep-short.teens-late", "body-clock"]
    assert (phones["stance"], phones["target"]) == ("against", "sleep-short")
    assert to_record(args["drowsy"], 2)["restates"] == ["tired-mornings", "sleep-short.early-short"]
    premise = to_record(args["sleep-short"], 2)["premises"][1]
    assert premise["id"] == "early-short" and premise["restates"] == ["tired-mornings"]


def test_the_file_is_valid_against_the_json_schema() -> None:
    data = yaml.safe_load(PREMISES.read_text(encoding="utf-8"))
    jsonschema.validate(data, json_schema())
    data["arguments"][1]["for"] = "sleep-short.Teens"  # not kebab after the dot
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())


def test_map_and_show_say_which_premise_an_argument_answers() -> None:
    out = cli(*KB, "map").stdout.splitlines()
    assert "      linked premise 1 of 2 (teens-late): Teenagers fall asleep late." in out
    assert ("      linked premise 2 of 2 (early-short): An early start cuts their sleep short. "
            "(restates tired-mornings)") in out
    assert ("      for body-clock: The body clock of teenagers shifts later. (by the school nurse; for premise "
            "teens-late of sleep-short: “Teenagers fall asleep late.”)") in out
    assert ("    for drowsy: Pupils are drowsy early in the day. (restates tired-mornings, "
            "sleep-short.early-short)") in out
    rows = json.loads(cli(*KB, "show", "sleep-short", "-f", "json").stdout)
    body = next(r for r in rows if r["id"] == "body-clock")
    assert (body["stance"], body["target"]) == ("for", "sleep-short")
    assert "for premise teens-late of sleep-short: “Teenagers fall asleep late.”" in body["notes"]


HEAD = """version: 2
actors:
  - {id: ann, name: Ann}
questions:
  - {id: q, text: Q?}
positions:
  - {id: p, question: q, claim: P., held_by: ann, agreement: broad}
arguments:
  - id: linked
    claim: L.
    for: p
    premises:
      - {id: a, claim: A.}
      - {id: b, claim: B.}
"""


@pytest.mark.parametrize(("more", "message"), [
    ("  - {id: x, claim: X., for: linked.c}\n",
     "argument 'x': for 'linked.c' names no position or argument"),
    ("  - {id: x, claim: X., undercuts: linked.a}\n",
     "argument 'x': undercuts 'linked.a' names no argument"),
    ("  - {id: x, claim: X., for: p, premises: [{id: A1, claim: A.}, {claim: B.}]}\n",
     "argument 'x': premises #1: id 'A1' is not kebab-case"),
    ("  - {id: x, claim: X., for: p, premises: [{id: a, claim: A.}, {id: a, claim: B.}]}\n",
     "argument 'x': premises #2: id 'a' is used by an earlier premise of the argument"),
    ("  - {id: x, claim: X., for: p, premises: [{id: a, claim: A.}, {claim: B., restates: linked.z}]}\n",
     "argument 'x': premises #2: restates 'linked.z' names no position, argument or premise (ARGUMENT.PREMISE)"),
    ("  - {id: x, claim: X., for: p, restates: [linked, q]}\n",
     "argument 'x': restates 'q' is a question, not an argument or a position"),
])
def test_mistakes_in_premise_references_are_worded(more: str, message: str) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_text(HEAD + more, "kb.yaml")
    messages = [p.message for p in caught.value.problems]
    assert message in messages, messages
    assert all(p.line is not None for p in caught.value.problems)


def test_an_argument_aimed_at_its_own_premise_answers_itself() -> None:
    text = HEAD.replace("    for: p\n", "    for: [p, linked.a]\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_text(text, "kb.yaml")
    assert "argument 'linked': answers itself ('for: linked.a')" in [p.message for p in caught.value.problems]


def test_two_premises_of_one_argument_and_the_argument_itself_are_three_relations() -> None:
    kb = load_text(HEAD + "  - {id: x, claim: X., against: [linked.a, linked.b], for: p}\n", "kb.yaml")
    x = _arguments(kb)["x"]
    assert x.references == ((Stance.FOR, "p"), (Stance.AGAINST, "linked.a"), (Stance.AGAINST, "linked.b"))
    assert [a.id for a in kb.replies_to("linked")] == ["x"]  # one reply, not two


def test_a_version_1_file_may_not_name_a_premise() -> None:
    text = HEAD.replace("version: 2", "version: 1").replace(
        "    premises:\n      - {id: a, claim: A.}\n      - {id: b, claim: B.}\n", "")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_text(text + "  - {id: x, claim: X., for: linked.a}\n", "kb.yaml")
    assert "argument 'x': for 'linked.a' names no position or argument" in [p.message for p in caught.value.problems]


def _aif_graph(document: dict[str, object]) -> set[tuple[str, str, str]]:
    """(from text, scheme type, to text) of every RA, CA and MA in an AIF document."""
    nodes = {n["nodeID"]: n for n in document["nodes"]}  # type: ignore[attr-defined]
    into: dict[str, list[str]] = {}
    out: dict[str, list[str]] = {}
    for edge in document["edges"]:  # type: ignore[attr-defined]
        out.setdefault(edge["fromID"], []).append(edge["toID"])
        into.setdefault(edge["toID"], []).append(edge["fromID"])
    return {(nodes[a]["text"], n["type"], nodes[b]["text"]) for k, n in nodes.items() if n["type"] in ("RA", "CA", "MA")
            for a in into.get(k, []) for b in out.get(k, []) if nodes[a]["type"] == "I" and nodes[b]["type"] == "I"}


def test_the_aif_export_aims_at_the_premise_and_imports_back_the_same() -> None:
    kb = load(PREMISES)
    document = aif_document(kb)
    found = _aif_graph(document)
    assert ("The body clock of teenagers shifts later.", "RA", "Teenagers fall asleep late.") in found
    assert ("Teenagers stay up because of their phones.", "CA", "Teenagers fall asleep late.") in found
    assert ("School should keep its start time.", "CA", "Teenagers fall asleep late.") in found
    assert ("An early start cuts their sleep short.", "MA", "Pupils are tired in the first lessons.") in found
    assert ("Pupils are drowsy early in the day.", "MA", "An early start cuts their sleep short.") in found
    assert ("Pupils are drowsy early in the day.", "MA", "Pupils are tired in the first lessons.") in found
    back = build(import_files([InputFile("export.json", json.dumps(document).encode())]).document, "back.yaml")
    args = _arguments(back)
    linked = next(a for a in back.arguments if a.premises)
    teens = next(f"{linked.id}.{p.id}" for p in linked.premises if p.claim == "Teenagers fall asleep late.")
    early = next(p for p in linked.premises if p.claim == "An early start cuts their sleep short.")
    by_claim = {a.claim: a for a in args.values()}
    assert by_claim["The body clock of teenagers shifts later."].references == ((Stance.FOR, teens),)
    assert (Stance.AGAINST, teens) in by_claim["Teenagers stay up because of their phones."].references
    assert early.restates == (by_claim["Pupils are tired in the first lessons."].id,)
    assert set(by_claim["Pupils are drowsy early in the day."].restates) == {
        by_claim["Pupils are tired in the first lessons."].id, f"{linked.id}.{early.id}"}
    assert _aif_graph(aif_document(back)) == found


def test_the_argdown_export_contradicts_the_premise_statement() -> None:
    out = cli(*KB, "export", "-f", "argdown").stdout.splitlines()
    at = out.index("[keep-time]: School should keep its start time.")
    assert out[at + 1] == "  >< [sleep-short-premise-1]"
    assert "(1) [sleep-short-premise-1]: Teenagers fall asleep late." in out
    assert "// drowsy restates tired-mornings, sleep-short.early-short" in out


def test_an_attack_on_one_premise_undermines_its_argument_in_the_framework() -> None:
    from policyx.views.framework import framework_of

    _, kinds = framework_of(load(PREMISES))
    assert kinds[("phones", "sleep-short")] == "undermines"
    assert kinds[("keep-time", "sleep-short")] == "undermines"
    assert kinds[("phones", "body-clock")] == "rebuts"
