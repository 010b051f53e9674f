"""AIF JSON -> a knowledge base: each rule of the mapping and each variation of real files."""

from __future__ import annotations

import json
from typing import Any

import pytest

from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.model import Argument, Stance
from tests.importing import by_claim, convert, imported, inputs, relations, text_inputs

DIALOGUE = "voting-age-dialogue.json"


def aif(nodes: list[tuple[Any, str, str]], edges: list[tuple[Any, Any]], **extra: Any) -> str:
    return json.dumps({"nodes": [{"nodeID": i, "type": t, "text": x} for i, t, x in nodes],
                       "edges": [{"edgeID": n, "fromID": a, "toID": b} for n, (a, b) in enumerate(edges)], **extra})


def test_i_nodes_that_conclude_nothing_are_the_positions_of_the_maps_question() -> None:
    kb, _ = imported(DIALOGUE)
    assert [p.claim for p in kb.positions] == [
        "Sixteen-year-olds should get the vote in general elections", "The voting age should stay at eighteen"]
    assert [q.id for q in kb.questions] == ["voting-age-dialogue"]
    assert {p.question for p in kb.positions} == {"voting-age-dialogue"}
    assert kb.questions[0].text == "What is argued in voting-age-dialogue.json?"


def test_ra_makes_each_premise_an_argument_for_and_ca_one_against() -> None:
    kb, _ = imported(DIALOGUE)
    tax = "At sixteen people can work and pay tax"
    adults = "Eighteen is the age at which the law treats people as adults"
    assert relations(kb) >= {
        (tax, "for", "Sixteen-year-olds should get the vote in general elections"),
        ("Most sixteen-year-olds earn too little to pay income tax", "against", tax),
        (adults, "for", "The voting age should stay at eighteen"),
    }
    assert len(kb.arguments) == 6  # one per claim: the one that bears on two entries has both targets


def test_an_attack_on_an_inference_answers_that_argument() -> None:
    kb, _ = imported(DIALOGUE)
    (undercut,) = by_claim(kb, "The Scottish turnout came from the excitement of the referendum, "
                               "not from the voting age")
    (inference,) = by_claim(kb, "Young Scots who first voted at sixteen kept voting as adults")
    assert undercut.stance is Stance.AGAINST and undercut.target == inference.id
    assert inference.target == kb.positions[0].id


def test_a_claim_bearing_on_two_entries_is_one_argument_with_both_targets() -> None:
    kb, _ = imported(DIALOGUE)
    (army,) = by_claim(kb, "Sixteen-year-olds can join the army and marry")
    assert isinstance(army, Argument) and army.note is None
    assert {stance for stance, _ in army.relations} == {Stance.FOR, Stance.AGAINST} and len(army.relations) == 2


def test_the_quote_is_the_speakers_verbatim_words_without_the_prefix() -> None:
    kb, result = imported(DIALOGUE)
    (position,) = by_claim(kb, "The voting age should stay at eighteen")
    assert position.quote == "The voting age should stay at eighteen"
    (tax,) = by_claim(kb, "Most sixteen-year-olds earn too little to pay income tax")
    assert tax.quote == "most sixteen-year-olds don't earn enough to pay any income tax"
    assert tax.source == kb.sources[0].id


def test_the_source_is_the_locutions_in_the_order_of_the_dialogue() -> None:
    _, result = imported(DIALOGUE)
    (text,) = result.sources.values()
    lines = text.splitlines()
    assert lines[0] == "Chair : Should sixteen-year-olds be able to vote in general elections?"  # file order differs
    assert lines[1].startswith("Amira Khan : I think") and lines[-1].startswith("Audience member : So yes")
    assert len(lines) == 10
    assert not any(line.startswith("M: ") for line in lines)  # the unlinked copy under a nested prefix


def test_speakers_are_actors_who_argue_their_claims() -> None:
    kb, result = imported(DIALOGUE)
    assert {a.name for a in kb.actors} == {"Amira Khan", "Tom Hale", "Audience member"}  # the chair argues nothing
    actor = {a.name: a.id for a in kb.actors}
    position = kb.positions[0]
    assert position.held_by == (actor["Amira Khan"], actor["Audience member"])
    assert position.agreement is None  # nothing says how widely it was held
    assert {a.act.value for a in position.acts} == {"asserts", "agrees"}
    (tax,) = by_claim(kb, "Most sixteen-year-olds earn too little to pay income tax")
    assert tax.by == actor["Tom Hale"]
    assert "AIF personID 501" in (next(a for a in kb.actors if a.name == "Amira Khan").description or "")


def test_the_summary_counts_every_kind_of_node_and_what_it_became() -> None:
    _, result = imported(DIALOGUE)
    lines = result.summary.lines()
    assert lines[0] == "read voting-age-dialogue.json (AIF JSON)"
    text = "\n".join(lines)
    for kind, read in (("L-nodes", 11), ("YA nodes", 16), ("TA nodes", 9), ("I-nodes", 8), ("RA nodes", 4),
                       ("CA nodes", 3)):
        assert f"AIF {kind}: {read} read" in text
    assert "repeating another locution under a nested speaker prefix, linked to nothing: 1" in text
    assert "illocutions of an inference, conflict or restatement" in text
    assert not result.summary.warnings


def test_integer_ids_no_locutions_and_odd_nodes_are_accepted_and_reported() -> None:
    kb, result = imported("ova-cycle-lanes.json")
    text = "\n".join(result.summary.lines())
    assert "edge 22 names node 99, which the file does not hold; left out" in text
    assert "I-node 15 has no text and no edges; left out" in text
    assert "preferences (PA" in text and "a type policyx does not know (X)" in text
    (restating,) = by_claim(kb, "Cycle lanes make streets safer")
    (restated,) = by_claim(kb, "Cycle lanes make the city safer")
    assert restating.restates == (restated.id,) and restating.note is None
    # two premises of one RA node: one argument of linked premises, each with its quote
    (buses,) = by_claim(kb, "Buses matter more than cycle lanes")
    (linked,) = [a for a in kb.replies_to(buses.id) if a.premises]
    assert [p.claim for p in linked.premises] == ["The lanes slow the buses down", "A bus carries forty people"]
    assert {a.claim for a in kb.replies_to(buses.id)} == {linked.claim, "Fewer cyclists are hurt where there is a lane"}
    assert {a.name for a in kb.actors} >= {"Ana", "Ben"}  # names from the prefixes alone


def test_a_prefix_is_taken_off_only_when_it_names_a_speaker() -> None:
    kb, _ = imported("ova-cycle-lanes.json")
    (linked,) = [a for a in kb.arguments if a.premises]
    assert linked.premises[0].quote == "Note: the lanes also slow the buses down"  # "Note" is no speaker of the map
    kb, _ = imported("nested-prefixes.json")
    (position,) = kb.positions
    assert position.quote == "Taxes on sugar cut obesity"  # "Mascha: Ben Unknown : ..." is Ben Unknown's
    assert [a.name for a in kb.actors if a.id in position.held_by] == ["Ben Unknown"]
    (mexico,) = kb.arguments
    assert mexico.quote == "Note: Mexico saw sugary drink sales fall after its tax"


def test_a_map_without_locutions_quotes_its_claims_own_text() -> None:
    kb, result = imported("araucaria-library.json")
    (text,) = result.sources.values()
    assert text.split("\n\n")[0] == "The town should keep its library open"
    assert all(e.quote == e.claim for e in (*kb.positions, *kb.arguments))
    assert "in file order (the map has no locutions)" in kb.sources[0].title
    person = next(a for a in kb.actors if a.name == "person 1300")  # locutions that name I-nodes themselves
    assert kb.positions[0].held_by == (person.id,)
    (against,) = [a for a in kb.arguments if a.stance is Stance.AGAINST]
    assert against.claim == "Everything the library offers is online now"


def test_files_that_share_a_node_are_one_map_and_others_each_their_own() -> None:
    files = inputs("nodesets/nodeset9.json", "nodesets/nodeset10.json", "nodesets/nodeset11.json")
    kb, result = convert(files)
    assert len(kb.questions) == 2
    (cars,) = by_claim(kb, "The city should ban cars from the old town")
    assert {a.claim for a in kb.replies_to(cars.id)} == {
        "Cars make the old town noisy", "Shops in the old town need deliveries"}
    assert cars.question != by_claim(kb, "Night buses should run every hour")[0].question
    assert "share its nodes" in kb.sources[0].title


def test_an_empty_map_among_others_is_a_warning_and_its_question_alone() -> None:
    files = inputs("araucaria-library.json") + text_inputs("empty.json", aif([(1, "RA", "RA")], []))
    kb, result = convert(files)
    assert "empty.json: no claims (no I-nodes): an empty debate, its question only" in result.summary.warnings
    assert len(kb.questions) == 2 and {p.question for p in kb.positions} == {kb.questions[0].id}


def test_a_map_with_no_claims_alone_is_an_empty_debate_not_a_failure() -> None:
    kb, result = convert(text_inputs("empty.json", aif([(1, "L", "Ann : hello"), (2, "TA", ""), (3, "L", "Bo : hi")],
                                                       [(1, 2), (2, 3)])))
    assert [q.text for q in kb.questions] == ["What is argued in empty.json?"]
    assert not kb.positions and not kb.arguments
    assert result.summary.warnings == ["empty.json: no claims (no I-nodes): an empty debate, its question only"]


@pytest.mark.parametrize(("text", "message"), [
    (aif([(1, "I", "a"), (1, "I", "b")], []), "node '1' is defined twice, as I 'a' and as I 'b'"),
    (aif([(1, "I", "  "), (2, "I", "b"), (3, "RA", "")], [(1, 3), (3, 2)]), "I-node '1' has no text"),
    (aif([(1, "I", "a"), (2, "I", "b"), (3, "RA", ""), (4, "RA", "")], [(1, 3), (3, 2), (2, 4), (4, 1)]),
     "claims I-node 1, I-node 2 support each other in a circle"),
    (json.dumps({"nodes": [{"type": "I", "text": "x"}]}), "nodes[0] has no nodeID"),
    (json.dumps({"nodes": "none"}), "'nodes' is not a list"),
])
def test_maps_that_cannot_be_a_debate_are_errors_naming_the_node(text: str, message: str) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        convert(text_inputs("map.json", text))
    (problem,) = caught.value.problems
    assert problem.path == "map.json" and message in problem.message
    assert problem.hint


def test_an_exact_duplicate_node_is_one_node() -> None:
    kb, _ = convert(text_inputs("m.json", aif([(1, "I", "a"), (1, "I", "a"), (2, "I", "b"), (3, "CA", "")],
                                              [(2, 3), (3, 1)])))
    assert [p.claim for p in kb.positions] == ["a"] and [a.claim for a in kb.arguments] == ["b"]


def test_claims_that_only_attack_each_other_hang_from_the_first_one() -> None:
    kb, result = convert(text_inputs("m.json", aif([(1, "I", "a"), (2, "I", "b"), (3, "CA", ""), (4, "CA", "")],
                                                   [(1, 3), (3, 2), (2, 4), (4, 1)])))
    assert [p.claim for p in kb.positions] == ["a"]  # a position that attacks its objection back
    assert relations(kb) == {("b", "against", "a"), ("a", "against", "b")}
    assert kb.positions[0].against == (kb.arguments[0].id,)
    assert not result.summary.warnings  # two claims in conflict are no problem


def test_a_circle_of_supports_with_a_way_out_is_kept_with_a_warning() -> None:
    nodes = [(1, "I", "a"), (2, "I", "b"), (3, "I", "top"), (4, "RA", ""), (5, "RA", ""), (6, "RA", "")]
    kb, result = convert(text_inputs("m.json", aif(nodes, [(1, 4), (4, 2), (2, 5), (5, 1), (1, 6), (6, 3)])))
    assert [p.claim for p in kb.positions] == ["top"]
    assert relations(kb) == {("a", "for", "top"), ("b", "for", "a")}  # a -> b closes the circle: left out
    assert any("support each other in a circle" in w for w in result.summary.warnings)


def test_a_claim_supporting_itself_is_left_out_with_a_warning() -> None:
    kb, result = convert(text_inputs("m.json", aif([(1, "I", "a"), (2, "RA", "")], [(1, 2), (2, 1)])))
    assert [p.claim for p in kb.positions] == ["a"] and not kb.arguments
    assert result.summary.warnings == ["m.json: RA node 2 makes I-node 1 support itself; left out"]


def test_an_inference_with_no_premise_is_left_out_with_a_warning() -> None:
    kb, result = convert(text_inputs("m.json", aif([(1, "I", "a"), (2, "RA", "")], [(2, 1)])))
    assert not kb.arguments
    assert result.summary.warnings == ["m.json: RA node 2 with no premise (no edge from an I-node); left out"]


def test_aif_inside_an_ova_wrapper_and_text_in_odd_types_are_read() -> None:
    wrapped = json.dumps({"AIF": {"nodes": [{"nodeID": 1.0, "type": "i", "text": 42}], "edges": []},
                          "text": "<p>x</p>"})
    kb, result = convert(text_inputs("ova.json", wrapped))
    assert [p.claim for p in kb.positions] == ["42"]
    assert "warning: ova.json: node '1': its 'text' is the number 42, read as its digits" in result.summary.lines()


def test_control_characters_and_nul_become_data_that_loads_back() -> None:
    kb, result = convert(text_inputs("m.json", aif([(1, "I", "a\x00b \x1b[31mred\ud800")], [])))
    (position,) = kb.positions
    assert position.claim == "a\ufffdb \x1b[31mred\ufffd"
    assert "\x00" not in next(iter(result.sources.values()))


def test_a_locution_linked_straight_to_its_claim_and_odd_edges_are_read_and_counted() -> None:
    nodes = [(1, "L", "Ann : we should"), (2, "I", "We should"), (3, "L", "Bo : no"), (4, "I", "No"), (5, "CA", ""),
             (6, "TA", "")]
    edges = [(1, 2), (3, 4), (4, 5), (5, 2), (2, 6), (1, 6), (6, 3)]  # I -> TA fits no AIF pattern
    kb, result = convert(text_inputs("m.json", aif(nodes, edges)))
    assert kb.positions[0].quote == "we should" and kb.arguments[0].quote == "no"
    assert {a.name for a in kb.actors} == {"Ann", "Bo"}
    assert "  AIF edges: 7 read; left out: from I to TA nodes, which no AIF pattern links: 1" in result.summary.lines()


def test_an_inference_aimed_at_itself_answers_nothing_and_is_left_out() -> None:
    nodes = [(1, "RA", ""), (2, "I", "a"), (3, "I", "b")]
    kb, result = convert(text_inputs("m.json", aif(nodes, [(1, 1), (2, 1)])))
    assert [p.claim for p in kb.positions] == ["a", "b"] and not kb.arguments
    assert result.summary.warnings == ["m.json: RA node 1 aims at an inference that leads to no claim; left out"]


def test_a_second_prefix_is_taken_off_only_when_it_is_a_name() -> None:
    nodes = [(1, "L", "Amira Khan : the ratio is 3 : 1"), (2, "I", "The ratio is 3 to 1"), (3, "YA", "Asserting"),
             (4, "L", "Chris: Tom Hale : it is not"), (5, "I", "It is not"), (6, "YA", "Asserting"), (7, "CA", ""),
             (8, "L", "Chris: Amira Khan : the ratio is 3 : 1")]  # an unlinked copy, before its original's turn
    edges = [(1, 3), (3, 2), (4, 6), (6, 5), (5, 7), (7, 2)]
    kb, result = convert(text_inputs("m.json", aif(nodes, edges)))
    assert kb.positions[0].quote == "the ratio is 3 : 1"
    assert kb.arguments[0].quote == "it is not" and {a.name for a in kb.actors} == {"Amira Khan", "Tom Hale"}
    (text,) = result.sources.values()
    assert text.splitlines() == ["Amira Khan : the ratio is 3 : 1", "Chris: Tom Hale : it is not"]


def test_a_map_of_locutions_alone_restating_each_other_imports_among_others() -> None:
    """AIFdb has nodesets with no I-node at all: two locutions an MA node links, one a nested copy
    under an outer prefix. Among other files it is no failure: each locution a claim of its own
    words, by its speaker, the restatement kept."""
    talk = aif([(1, "L", "Ann : Buses should be free"), (2, "L", "[deleted] : Ann : Buses should be free"),
                (3, "L", "BO : Fares keep families at home"), (4, "TA", "Default Transition"),
                (5, "MA", "Default Rephrase"), (6, "YA", "Restating")],
               [(3, 4), (4, 2), (1, 5), (5, 3), (4, 6), (6, 5)])
    kb, result = convert(inputs("araucaria-library.json") + text_inputs("talk.json", talk))
    (free,) = by_claim(kb, "Buses should be free")
    (fares,) = by_claim(kb, "Fares keep families at home")
    assert free.restates == (fares.id,)
    assert {a.name for a in kb.actors} >= {"Ann", "BO"}
    assert "Ann" in [a.name for a in kb.actors if a.id in free.held_by]  # type: ignore[union-attr]
    assert not any("talk.json" in w and "no claims" in w for w in result.summary.warnings)


def test_a_repeated_restatement_and_an_attack_on_a_dropped_inference_are_counted_as_left_out() -> None:
    # MA 5 says again what MA 4 says; CA 8 attacks only RA 7, which has no premise
    nodes = [(1, "I", "a"), (2, "I", "b"), (3, "I", "c"), (4, "MA", ""), (5, "MA", ""), (6, "I", "d"),
             (7, "RA", ""), (8, "CA", "")]
    edges = [(2, 4), (4, 1), (2, 5), (5, 1), (7, 1), (3, 8), (8, 7)]
    kb, result = convert(text_inputs("m.json", aif(nodes, edges)))
    lines = result.summary.lines()
    assert [p.restates for p in kb.positions if p.claim == "b"] == [("a",)]
    assert "  AIF MA nodes: 2 read -> restatements (`restates:`): 1; left out: repeating a restatement already " \
        "made (the same claims): 1" in lines
    assert [line for line in lines if line.startswith("  AIF CA nodes")] == [
        "  AIF CA nodes: 1 read -> relations 'against' (one per premise and conclusion): 1; left out: relations aimed "
        "at an RA or CA node that was left out: 1"]


def test_a_premise_alone_and_again_with_others_keeps_each_inference() -> None:
    # b supports a alone (RA 10) and with c (RA 11): both, and c never alone
    nodes = [(1, "I", "a"), (2, "I", "b"), (3, "I", "c"), (10, "RA", ""), (11, "RA", "")]
    kb, result = convert(text_inputs("m.json", aif(nodes, [(2, 10), (10, 1), (2, 11), (3, 11), (11, 1)])))
    assert sorted((a.claim, [p.claim for p in a.premises]) for a in kb.arguments) == [("b", []), ("b; c.", ["b", "c"])]
    assert not any("duplicating" in line for line in result.summary.lines())
    # b with c, and b with d, for the same conclusion: two linked arguments, neither premise alone
    nodes += [(4, "I", "d"), (12, "RA", "")]
    kb, _ = convert(text_inputs("m.json", aif(nodes, [(2, 11), (3, 11), (11, 1), (2, 12), (4, 12), (12, 1)])))
    assert sorted([p.claim for p in a.premises] for a in kb.arguments) == [["b", "c"], ["b", "d"]]
