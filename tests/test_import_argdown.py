"""Argdown -> a knowledge base: its JSON, .argdown documents through the Argdown CLI or policyx's own parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyx.importers import InputFile
from policyx.importers.argdown_text import parse, read_text
from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.model import Argument, Stance
from tests.importing import FIXTURES, by_claim, convert, imported, relations, text_inputs

ARGDOWN_CLI = Path(__file__).resolve().parent.parent / "tools" / "node_modules" / ".bin" / "argdown"
needs_argdown = pytest.mark.skipif(not ARGDOWN_CLI.exists(),
                                   reason="the Argdown CLI is not installed (npm ci --prefix tools)")


def test_statements_and_arguments_become_entries_and_relations_their_stances() -> None:
    kb, _ = imported("debate.argdown")
    assert [p.id for p in kb.positions] == ["twenty", "escapes"]  # file order
    assert relations(kb) >= {
        ("A pedestrian hit at 20 mph is far more likely to survive than one hit at 30 mph.", "for",
         "Towns should set a 20 mph limit on residential streets."),  # support
        ("Journeys take longer, and delivery firms pay for it.", "against",
         "Towns should set a 20 mph limit on residential streets."),  # attack
        ("The added time is a minute or two on most trips.", "against",
         "Journeys take longer, and delivery firms pay for it."),  # undercut
        ("Speed cameras are needed to make the limit work.", "for",
         "Towns should set a 20 mph limit on residential streets."),  # outgoing support, +>
    }


def test_a_contradiction_is_an_attack_both_ways() -> None:
    kb, _ = imported("debate.argdown")
    twenty = "Towns should set a 20 mph limit on residential streets."
    thirty = "Towns should keep the 30 mph limit."
    assert {(thirty, "against", twenty), (twenty, "against", thirty)} <= relations(kb)


def test_titles_make_the_ids_and_tags_carry_over_off_the_claims_text() -> None:
    kb, _ = imported("debate.argdown")
    twenty = kb.get("twenty")
    assert twenty is not None and twenty.tags == ("transport", "road safety")
    assert twenty.claim == "Towns should set a 20 mph limit on residential streets."
    assert twenty.quote == "Towns should set a 20 mph limit on residential streets. #transport #(road safety)"
    slower = kb.get("slower-trips")
    assert slower is not None and slower.claim == "Journeys take longer, and delivery firms pay for it."
    escapes = kb.get("escapes")
    assert escapes is not None and escapes.claim == "A #hash and a [bracket] are text, not markup."
    assert escapes.tags == ()


def test_headings_are_questions_and_prose_stays_in_the_source_only() -> None:
    kb, result = imported("debate.argdown")
    assert [(q.id, q.text) for q in kb.questions] == [
        ("should-towns-set-a-20", "Should towns set a 20 mph limit?"), ("enforcement", "Enforcement")]
    assert kb.get("escapes").question == "enforcement"
    (text,) = result.sources.values()
    assert "This paragraph is prose" in text
    assert not any("prose" in e.claim for e in (*kb.positions, *kb.arguments))
    assert "untitled, with no relation (prose, as Argdown's own map leaves it out): 1" in "\n".join(
        result.summary.lines())


def test_a_reconstructed_argument_is_one_entry_with_its_structure_in_the_note() -> None:
    kb, _ = imported("debate.argdown")
    (first,) = by_claim(kb, "A pedestrian hit at 20 mph is far more likely to survive than one hit at 30 mph.")
    assert isinstance(first, Argument)
    assert [p.claim for p in first.premises] == ["Speed decides how hard a car hits.",
                                                 "The energy of a crash grows with the square of speed."]
    assert first.premises[1].quote == "The energy of a crash grows with the square of speed."
    assert first.note == ("Premise-conclusion structure in the document: (1) Speed decides how hard a car hits; "
                          "(2) The energy of a crash grows with the square of speed; therefore (3) A slower car "
                          "kills fewer pedestrians.")
    # the conclusion's own relation (-> [Few crashes]) is the argument's, as Argdown's map draws it
    assert set(first.relations) == {(Stance.FOR, "twenty"), (Stance.AGAINST, "few-crashes")}
    assert not any(e.claim.startswith("A slower car") for e in kb.arguments)


def test_an_undercut_attacks_the_step_of_the_argument_it_names() -> None:
    kb, _ = imported("debate.argdown")
    (minutes,) = by_claim(kb, "The added time is a minute or two on most trips.")
    assert isinstance(minutes, Argument) and minutes.undercuts == "slower-trips"


def test_the_json_of_the_argdown_cli_gives_the_same_knowledge_base_as_the_document() -> None:
    """debate.argdown.json is what `argdown json` (1.7.5) wrote for debate.argdown: policyx's own
    parser reads the document into the same knowledge base."""
    # under one name (told apart by their content), so that the ids made from it agree
    from_json, json_result = convert([InputFile("debate", (FIXTURES / "debate.argdown.json").read_bytes())])
    from_text, text_result = convert([InputFile("debate", (FIXTURES / "debate.argdown").read_bytes())])
    assert "Argdown JSON" in json_result.summary.lines()[0] and "own parser" in text_result.summary.lines()[0]
    assert (from_json.questions, from_json.positions, from_json.arguments) == \
        (from_text.questions, from_text.positions, from_text.arguments)
    assert json_result.sources == text_result.sources


def test_special_characters_become_what_argdown_makes_of_them_so_both_imports_give_the_same_ids() -> None:
    """shortcodes.argdown.json is what `argdown json` (1.7.5) wrote for shortcodes.argdown, whose
    untitled statements (their ids come from their words) hold :heart:, .->., :+1: and a tag after 👎."""
    from_json, json_result = convert([InputFile("shortcodes", (FIXTURES / "shortcodes.argdown.json").read_bytes())])
    from_text, text_result = convert([InputFile("shortcodes", (FIXTURES / "shortcodes.argdown").read_bytes())])
    assert [e.id for e in (*from_text.positions, *from_text.arguments)] == \
        [e.id for e in (*from_json.positions, *from_json.arguments)]
    assert (from_json.questions, from_json.positions, from_json.arguments) == \
        (from_text.questions, from_text.positions, from_text.arguments)
    assert json_result.sources == text_result.sources
    assert from_text.questions[0].text == "Should the library open on Sundays? ❓"
    (staff,) = by_claim(from_text, "Staff 👎 would lose their only free day")  # tags placed past the emoji
    assert staff.tags == ("staff", "work time")
    assert by_claim(from_text, "Families ❤ the Sunday reading hour ☺️ families and come back.")
    # unknown names, times and abbreviations stay as written
    assert by_claim(from_text, "Costs rise ¬ the budget does not 🤔, :unknown: and .3. stay as written.")
    assert by_claim(from_text, "Students need a quiet place ∧ the Wi-Fi on weekends, e.g. before exams at 10:30:00.")


def test_the_parser_writes_the_text_and_tag_ranges_the_argdown_cli_wrote() -> None:
    cli = json.loads((FIXTURES / "shortcodes.argdown.json").read_text(encoding="utf-8"))
    ours = parse((FIXTURES / "shortcodes.argdown").read_text(encoding="utf-8"))
    def members(data: dict[str, Any]) -> list[tuple[str, list[Any]]]:
        return [(m["text"], [r for r in m.get("ranges") or () if r["type"] == "tag"])
                for element in data["statements"].values() for m in element["members"]]
    assert members(ours) == members(cli)
    assert ours["sections"][0]["title"] == cli["sections"][0]["title"]
    assert read_text(".heart. :smile: .smile. \\:heart: :HEART:")[0] == "❤ ☺\ufe0f ☺ :heart: :HEART:"


@needs_argdown
@pytest.mark.parametrize("name", ["debate.argdown", "shortcodes.argdown"])
def test_the_argdown_cli_and_policyxs_parser_agree_on_the_fixture(name: str) -> None:
    with_cli, cli_result = imported(name, argdown_cli=str(ARGDOWN_CLI))
    builtin, builtin_result = imported(name)
    assert with_cli.positions == builtin.positions and with_cli.arguments == builtin.arguments
    assert cli_result.sources == builtin_result.sources
    assert "read by the Argdown CLI" in cli_result.summary.lines()[0]
    assert "own parser of its common subset" in builtin_result.summary.lines()[0]
    assert "npm install -g @argdown/cli" in builtin_result.summary.lines()[0]


def test_relation_types_from_the_json() -> None:
    data = {"statements": {t: {"members": [{"text": t.lower() + ".", "startLine": n}]} for n, t in
                           enumerate(["A", "B", "C", "D", "E"], 1)},
            "arguments": {},
            "relations": [{"from": "B", "to": "A", "relationType": "entails"},
                          {"from": "C", "to": "A", "relationType": "contrary"},
                          {"from": "D", "to": "A", "relationType": "undercut"},
                          {"from": "E", "to": "A", "relationType": "mystery"},
                          {"from": "E", "to": "Nowhere", "relationType": "support"}]}
    kb, result = convert(text_inputs("r.json", json.dumps(data)))
    assert relations(kb) == {("b.", "for", "a."), ("c.", "against", "a."), ("d.", "against", "a.")}
    assert [p.claim for p in kb.positions] == ["a.", "e."]
    assert result.summary.warnings == [
        "r.json: the mystery relation from 'E' to 'A' is of no type policyx knows; left out",
        "r.json: the support relation from 'E' to 'Nowhere' names what the document does not hold; left out",
    ]


def test_the_parser_reads_text_as_the_argdown_cli_does() -> None:
    text, ranges, tags = read_text(r"A **bold** _it_ [link](http://x) \#no #yes #(two words) {data: 1}")
    assert text == "A bold it link #no #yes #(two words)"
    assert tags == ["yes", "two words"] and [r["start"] for r in ranges] == [text.index("#yes"), text.index("#(")]
    data = parse("[A]: a\n  + <B>: b\n    - c\n  +> [D]\n")
    assert [(r["from"], r["relationType"], r["to"]) for r in data["relations"]] == [
        ("B", "support", "A"), ("Untitled 1", "attack", "B"), ("A", "support", "D")]


@pytest.mark.parametrize(("name", "text", "message"), [
    ("e.argdown", "Only prose here.\n\nAnd more prose.\n", "has no statement with a title or a relation"),
    ("e.json", json.dumps({"statements": {}, "arguments": {}}), "is an empty Argdown document"),
])
def test_documents_with_nothing_to_import_are_errors(name: str, text: str, message: str) -> None:
    with pytest.raises(KnowledgeBaseError) as caught:
        convert(text_inputs(name, text))
    assert message in caught.value.problems[0].message


def test_the_fixture_json_was_written_by_the_argdown_cli() -> None:
    data = json.loads((FIXTURES / "debate.argdown.json").read_text(encoding="utf-8"))
    assert data["statements"]["Twenty"]["members"][0]["role"] == "top-level-statement"  # the CLI's own fields
    assert "fontColor" in data["statements"]["Twenty"]
