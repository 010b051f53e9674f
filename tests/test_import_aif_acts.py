"""AIF dialogue maps: who asserted, agreed, asked or disputed a claim, and the ends of inferences."""

from __future__ import annotations

import json
from typing import Any

import pytest

from policyx.importers.common import Builder
from policyx.importers.dispatch import import_files
from policyx.kb.model import KnowledgeBase, Stance
from tests.importing import by_claim, convert, text_inputs


def dialogue(nodes: list[tuple[int, str, str]], edges: list[tuple[int, int]], **extra: Any) -> str:
    return json.dumps({"nodes": [{"nodeID": i, "type": t, "text": x} for i, t, x in nodes],
                       "edges": [{"edgeID": n, "fromID": a, "toID": b} for n, (a, b) in enumerate(edges)],
                       **extra})


def kb_of(text: str) -> tuple[KnowledgeBase, list[str]]:
    kb, result = convert(text_inputs("talk.json", text))
    return kb, result.summary.lines()


def names(kb: KnowledgeBase, ids: tuple[str | None, ...]) -> list[str | None]:
    return [getattr(kb.get(i or ""), "name", None) for i in ids]


# Ann asks whether fares should be free; Bo asserts it; Cy says "Exactly." (agreeing, anchored in the
# transition from Bo's locution); Di disagrees, giving a reason (a conflict anchored in a transition).
TALK = dialogue(
    [(1, "L", "Ann : Should fares be free?"), (2, "YA", "Pure Questioning"), (3, "I", "Fares should be free"),
     (4, "L", "Bo : Fares should be free"), (5, "YA", "Asserting"),
     (6, "TA", "Default Transition"), (7, "L", "Cy : Exactly."), (8, "YA", "Agreeing"),
     (9, "TA", "Default Transition"), (10, "L", "Di : Someone has to pay for the buses"), (11, "YA", "Asserting"),
     (12, "I", "Someone has to pay for the buses"), (13, "CA", "Default Conflict"), (14, "YA", "Disagreeing"),
     (15, "TA", "Default Transition")],
    [(1, 2), (2, 3), (4, 5), (5, 3), (1, 15), (15, 4), (4, 6), (6, 7), (6, 8), (8, 3), (7, 9), (9, 10),
     (9, 14), (14, 13), (10, 11), (11, 12), (12, 13), (13, 3)])


def test_only_who_asserted_or_agreed_holds_a_claim() -> None:
    kb, _ = kb_of(TALK)
    (fares,) = by_claim(kb, "Fares should be free")
    assert names(kb, fares.held_by) == ["Bo", "Cy"]
    assert {a.name for a in kb.actors} == {"Ann", "Bo", "Cy", "Di"}


def test_who_asked_or_disagreed_is_said_and_not_held() -> None:
    kb, _ = kb_of(TALK)
    (fares,) = by_claim(kb, "Fares should be free")
    ann, di = (next(a.id for a in kb.actors if a.name == n) for n in ("Ann", "Di"))
    assert {(a.by, a.act.value) for a in fares.acts} >= {(ann, "asks"), (di, "disagrees")}
    assert ann not in fares.held_by and di not in fares.held_by  # type: ignore[union-attr]
    (objection,) = by_claim(kb, "Someone has to pay for the buses")
    assert names(kb, (objection.by,)) == ["Di"]


def test_the_quote_is_a_locution_of_the_claim_in_the_order_of_the_dialogue() -> None:
    kb, _ = kb_of(TALK)
    (fares,) = by_claim(kb, "Fares should be free")
    assert fares.quote == "Should fares be free?"  # Ann's words come first in the dialogue


def test_a_person_who_only_asked_holds_nothing_and_the_file_names_no_other() -> None:
    kb, _ = kb_of(dialogue([(1, "L", "Ann : Is the park closing?"), (2, "YA", "Assertive Questioning"),
                            (3, "I", "The park is closing")], [(1, 2), (2, 3)]))
    (park,) = kb.positions
    assert park.held_by == () and [(a.act.value, a.quote) for a in park.acts] == [("asks", "Is the park closing?")]


def test_speaker_prefixes_without_a_space_and_in_the_third_person_are_one_speaker() -> None:
    kb, _ = kb_of(dialogue(
        [(1, "L", "Fiona Bruce :Rents are too high"), (2, "YA", "Asserting"), (3, "I", "Rents are too high"),
         (4, "L", "Fiona Bruce says 'Rents are rising'"), (5, "YA", "Asserting"), (6, "I", "Rents are rising"),
         (7, "RA", "Default Inference")],
        [(1, 2), (2, 3), (4, 5), (5, 6), (6, 7), (7, 3)]))
    assert [a.name for a in kb.actors] == ["Fiona Bruce"]
    (rising,) = by_claim(kb, "Rents are rising")
    assert rising.quote == "Rents are rising"


def test_a_claim_with_no_locution_gets_the_speaker_of_a_locution_of_the_same_words() -> None:
    kb, lines = kb_of(dialogue(
        [(1, "L", "Ann : Trams are quiet"), (2, "I", "Trams are quiet"), (3, "I", "The city should buy trams"),
         (4, "L", "Ann : The city should buy trams"), (5, "YA", "Asserting"), (6, "RA", "Default Inference")],
        [(4, 5), (5, 3), (2, 6), (6, 3)]))
    (quiet,) = by_claim(kb, "Trams are quiet")
    assert quiet.quote == "Trams are quiet" and names(kb, (quiet.by,)) == ["Ann"]
    assert any("matched to a locution of the same words: 1" in line for line in lines)


def test_an_inference_ending_at_a_locution_is_followed_to_its_claim() -> None:
    kb, lines = kb_of(dialogue(
        [(1, "L", "Ann : Trams are quiet"), (2, "YA", "Asserting"), (3, "I", "Trams are quiet"),
         (4, "L", "Bo : Buy trams"), (5, "YA", "Asserting"), (6, "I", "The city should buy trams"),
         (7, "RA", "Default Inference")],
        [(1, 2), (2, 3), (4, 5), (5, 6), (1, 7), (7, 6)]))
    (quiet,) = by_claim(kb, "Trams are quiet")
    assert kb.get(quiet.target).claim == "The city should buy trams"
    assert any("followed to the claim it anchors" in line for line in lines)


def test_a_locution_linked_as_a_claim_that_anchors_none_is_a_claim_of_its_words() -> None:
    kb, _ = kb_of(dialogue(
        [(1, "L", "Ann : Trams are quiet"), (2, "YA", "Asserting"), (3, "L", "Trams are quiet"),
         (4, "L", "Bo : Buy trams"), (5, "YA", "Asserting"), (6, "I", "The city should buy trams"),
         (7, "RA", "Default Inference")],
        [(1, 2), (2, 3), (4, 5), (5, 6), (3, 7), (7, 6)]))
    (quiet,) = by_claim(kb, "Trams are quiet")
    assert names(kb, (quiet.by,)) == ["Ann"]
    assert quiet.note is not None and "links this locution itself as a claim" in quiet.note


def test_linked_premises_of_one_inference_are_one_group(monkeypatch: pytest.MonkeyPatch) -> None:
    from policyx.importers import aif, graphplace, shape

    seen: list[shape.Graph] = []

    def spy(graph: shape.Graph, builder: Builder, tally: Any = None) -> shape.Placed:
        seen.append(graph)
        return graphplace.place(graph, builder, tally)

    monkeypatch.setattr(aif, "place", spy)
    import_files(text_inputs("m.json", dialogue(
        [(1, "I", "a"), (2, "I", "b"), (3, "I", "c"), (4, "RA", ""), (5, "I", "d"), (6, "RA", "")],
        [(1, 4), (2, 4), (4, 3), (5, 6), (6, 3)])))
    groups: dict[str | None, set[str]] = {}
    for relation in seen[0].relations:
        groups.setdefault(relation.group, set()).add(relation.source)
    assert sorted(map(sorted, groups.values())) == [["1", "2"], ["5"]]


def test_import_then_export_aif_gives_back_the_linked_inference_and_what_answers_its_premise() -> None:
    from policyx.output.aif import aif_document

    # b and c support d only together; e supports premise c (no entry of its own: named ARGUMENT.PREMISE)
    text = dialogue([(1, "I", "d"), (2, "I", "b"), (3, "I", "c"), (4, "RA", ""), (5, "I", "e"), (6, "RA", ""),
                     (7, "I", "f"), (8, "CA", "")],
                    [(2, 4), (3, 4), (4, 1), (5, 6), (6, 3), (7, 8), (8, 4)])
    kb, _ = kb_of(text)
    (linked,) = [a for a in kb.arguments if a.premises]
    (e,) = by_claim(kb, "e")
    assert e.references == ((Stance.FOR, f"{linked.id}.p2"),) and e.note is None  # type: ignore[union-attr]
    assert [p.id for p in linked.premises] == [None, "p2"]  # only the premise something names has an id
    (f,) = by_claim(kb, "f")
    assert f.undercuts == linked.id  # type: ignore[union-attr]
    back, _ = kb_of(json.dumps(aif_document(kb)))  # the export imports back as the same graph
    (again,) = [a for a in back.arguments if a.premises]
    assert [p.claim for p in again.premises] == ["b", "c"] and back.get(again.target).claim == "d"  # type: ignore[union-attr]
    (e_again,) = by_claim(back, "e")
    assert e_again.references == ((Stance.FOR, f"{again.id}.p2"),)  # type: ignore[union-attr]
    (f_again,) = by_claim(back, "f")
    assert f_again.undercuts == again.id  # type: ignore[union-attr]


def test_the_aif_export_of_an_argument_met_before_the_linked_argument_it_answers() -> None:
    from policyx.output.aif import aif_document

    # e supports position q (met first) and premise c of the linked b + c -> d
    text = dialogue([(9, "I", "q"), (1, "I", "d"), (2, "I", "b"), (3, "I", "c"), (4, "RA", ""), (5, "I", "e"),
                     (6, "RA", ""), (7, "RA", "")],
                    [(2, 4), (3, 4), (4, 1), (5, 6), (6, 3), (5, 7), (7, 9)])
    kb, _ = kb_of(text)
    exported = aif_document(kb)
    assert sum(1 for n in exported["nodes"] if n["type"] == "RA") == 3


def test_a_claim_restating_two_others_and_a_premise_restating_one_keep_every_restatement() -> None:
    from policyx.output.aif import aif_document

    # b and c support d only together; e restates both d and b (two MA nodes); c restates f
    text = dialogue([(1, "I", "d"), (2, "I", "b"), (3, "I", "c"), (4, "RA", ""), (5, "I", "e"), (6, "MA", ""),
                     (7, "MA", ""), (8, "I", "f"), (9, "MA", ""), (10, "RA", "")],
                    [(2, 4), (3, 4), (4, 1), (5, 6), (6, 1), (5, 7), (7, 2), (3, 9), (9, 8), (5, 10), (10, 1)])
    kb, _ = kb_of(text)
    (linked,) = [a for a in kb.arguments if len(a.premises) == 2 and {p.claim for p in a.premises} == {"b", "c"}]
    (e,) = by_claim(kb, "e")
    (d,) = by_claim(kb, "d")
    (f,) = by_claim(kb, "f")
    b = next(p for p in linked.premises if p.claim == "b")
    c = next(p for p in linked.premises if p.claim == "c")
    assert set(e.restates) == {d.id, f"{linked.id}.{b.id}"} and e.note is None  # type: ignore[union-attr]
    assert c.restates == (f.id,)
    back, _ = kb_of(json.dumps(aif_document(kb)))
    (e_again,) = by_claim(back, "e")
    assert len(e_again.restates) == 2  # type: ignore[union-attr]
    (again,) = [a for a in back.arguments if {p.claim for p in a.premises} == {"b", "c"}]
    assert next(p for p in again.premises if p.claim == "c").restates == (by_claim(back, "f")[0].id,)
