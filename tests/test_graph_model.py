"""Schema version 2: arguments as graphs (several targets, linked premises, undercuts,
attacks both ways, restatements, acts), and version 1 left as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from policyx.kb.errors import KnowledgeBaseError
from policyx.kb.jsonschema import json_schema
from policyx.kb.load import load, load_text
from policyx.kb.model import ActKind, Argument, Position, Stance
from policyx.kb.records import RECORD_FIELDS, RECORD_FIELDS_V2, to_record
from policyx.kb.store import open_kb

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "graph"
GRAPH = FIXTURES / "uniforms-v2.yaml"


def _problems(text: str) -> list[tuple[int | None, str, str | None]]:
    with pytest.raises(KnowledgeBaseError) as caught:
        load_text(text, "kb.yaml")
    return [(p.line, p.message, p.hint) for p in caught.value.problems]


HEAD = """sources:
  - {id: s, title: S}
actors:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
questions:
  - {id: q, text: Q?}
positions:
  - {id: p, question: q, claim: P., held_by: ann, agreement: broad}
"""


def test_the_graph_fixture_loads_with_every_relation() -> None:
    kb = load(GRAPH)
    assert kb.version == 2
    args = {a.id: a for a in kb.arguments}
    # several targets: the first is the stance and target, the rest `also`
    assert args["cost"].relations == ((Stance.FOR, "yes-uniforms"), (Stance.FOR, "same-clothes"))
    assert args["choice-matters"].relations == ((Stance.AGAINST, "yes-uniforms"), (Stance.AGAINST, "costs-hidden"))
    # a mutual attack: both directions kept
    assert (Stance.AGAINST, "choice-matters") in args["costs-hidden"].relations
    assert args["choice-matters"] in kb.replies_to("costs-hidden")
    assert args["costs-hidden"] in kb.replies_to("choice-matters")
    # an argument reached under two targets
    assert args["cost"] in kb.replies_to("yes-uniforms") and args["cost"] in kb.replies_to("same-clothes")
    # an undercut attacks the step of same-clothes, and is a reply to it
    assert args["teasing-moves"].undercuts == "same-clothes"
    assert args["teasing-moves"].relations == ((Stance.AGAINST, "same-clothes"),)
    # linked premises, each with its own quote
    premises = args["same-clothes"].premises
    assert [p.claim for p in premises] == ["Teasing about clothes starts from differences.",
                                          "Uniforms remove the differences."]
    assert premises[0].quote == "Kids get picked on for what they wear." and premises[0].source == "minutes"
    assert args["cheaper"].restates == ("cost",)
    assert kb.links_to("cost") == (("restated by", "cheaper"),)
    assert kb.links_to("yes-uniforms") == (("attacked by position", "no-uniforms"),)


def test_held_by_means_only_those_who_asserted_or_agreed() -> None:
    kb = load(GRAPH)
    position = kb.get("yes-uniforms")
    assert isinstance(position, Position)
    assert position.held_by == ("parent-a",)  # the teacher disagreed: not a holder
    assert position.agreement is None  # the file records none
    assert [(a.by, a.act) for a in position.acts] == [("parent-a", ActKind.ASSERTS), ("teacher-c", ActKind.DISAGREES)]
    question = kb.get("require")
    assert [a.act for a in question.acts] == [ActKind.ASKS]  # type: ignore[union-attr]


def test_a_holder_whose_acts_only_ask_is_an_error() -> None:
    text = "version: 2\n" + HEAD.replace("agreement: broad}", "agreement: broad, acts: [{by: ann, act: asks}]}")
    [(line, message, hint)] = _problems(text)
    assert line == 10
    assert message == "position 'p': held_by names 'ann', whose acts on it are only: asks"
    assert hint is not None and "asserting, agreeing or conceding" in hint


def test_attacks_may_run_in_a_circle_supports_may_not() -> None:
    attacks = "version: 2\n" + HEAD + """arguments:
  - {id: a, claim: A., against: [p, b]}
  - {id: b, claim: B., against: a}
"""
    kb = load_text(attacks)
    assert [a.id for a in kb.replies_to("a")] == ["b"] and [a.id for a in kb.replies_to("b")] == ["a"]
    supports = "version: 2\n" + HEAD + """arguments:
  - {id: a, claim: A., for: [p, b]}
  - {id: b, claim: B., for: a}
"""
    [(line, message, hint)] = _problems(supports)
    assert (line, message) == (12, "argument 'a': support cycle a -> b -> a")
    assert hint is not None and "attacks may run in a circle, supports may not" in hint


def test_a_circle_of_attacks_that_reaches_no_position_is_an_error() -> None:
    text = "version: 2\n" + HEAD + """arguments:
  - {id: a, claim: A., against: b}
  - {id: b, claim: B., against: a}
"""
    found = _problems(text)
    assert [m for _, m, _ in found] == [
        "argument 'a': leads to no position (it answers b, and no chain of answers from there reaches one)",
        "argument 'b': leads to no position (it answers a, and no chain of answers from there reaches one)",
    ]


@pytest.mark.parametrize(("arguments", "message"), [
    ("  - {id: a, claim: A., for: p}\n  - {id: u, claim: U., undercuts: p}\n",
     "argument 'u': undercuts 'p' is a position, not an argument"),
    ("  - {id: a, claim: A., for: p}\n  - {id: u, claim: U., undercuts: a, against: a}\n",
     "argument 'u': names 'a' in both 'against' and 'undercuts'"),
    ("  - {id: a, claim: A., for: [p, p]}\n", "argument 'a': names 'p' twice in 'for'"),
    ("  - {id: a, claim: A., for: a}\n", "argument 'a': answers itself ('for: a')"),
    ("  - {id: a, claim: A.}\n", "argument 'a': needs 'for: ID', 'against: ID' or 'undercuts: ID'"),
    ("  - {id: a, claim: A., for: p, premises: [{claim: X., quote: x}]}\n",
     "argument 'a': premises #1: has a quote but no 'source'"),
    ("  - {id: a, claim: A., for: p, acts: [{by: zed, act: asserts}]}\n",
     "argument 'a': acts #1: by 'zed' names no actor"),
    ("  - {id: a, claim: A., for: p, acts: [{by: ann, act: shouts}]}\n",
     "argument 'a': acts #1: 'act' is 'shouts', not one of asserts, agrees, concedes, asks, challenges, "
     "disagrees"),
])
def test_version_2_mistakes_are_worded(arguments: str, message: str) -> None:
    found = _problems("version: 2\n" + HEAD + "arguments:\n" + arguments)
    assert message in [m for _, m, _ in found]
    assert all(line is not None for line, _, _ in found)


@pytest.mark.parametrize("argument", [
    "{id: a, claim: A., for: [p]}",
    "{id: a, claim: A., for: p, acts: [{by: ann, act: asserts}]}",
    "{id: a, claim: A., for: p, premises: [{claim: X.}]}",
])
def test_a_version_1_file_using_version_2_says_how_to_upgrade(argument: str) -> None:
    [(line, _, hint)] = _problems("version: 1\n" + HEAD + "arguments:\n  - " + argument + "\n")
    assert line == 12
    assert hint is not None and hint.startswith("write 'version: 2' at the top of the file")
    # and the same file as version 2 loads
    assert load_text("version: 2\n" + HEAD + "arguments:\n  - " + argument + "\n").arguments[0].id == "a"


def test_a_version_1_file_is_a_valid_version_2_file_with_the_same_entries(kb_path: Path) -> None:
    text = kb_path.read_text(encoding="utf-8")
    first = load_text(text)
    second = load_text(text.replace("version: 1", "version: 2", 1))
    assert (first.version, second.version) == (1, 2)
    for kind in ("questions", "positions", "arguments", "actors", "sources", "models"):
        assert getattr(first, kind) == getattr(second, kind)


def test_version_1_records_are_unchanged_version_2_records_carry_the_graph(kb_path: Path) -> None:
    bundled = load(kb_path)
    argument = bundled.arguments[0]
    assert list(to_record(argument)) == list(RECORD_FIELDS[type(argument) and _kind("arguments")])
    assert isinstance(to_record(argument)["for"] or to_record(argument)["against"], str)
    kb = load(GRAPH)
    cost = to_record(kb.get("cost"), 2)  # type: ignore[arg-type]
    assert list(cost) == list(RECORD_FIELDS_V2[_kind("arguments")])
    assert (cost["for"], cost["against"], cost["stance"], cost["target"]) == (
        ["yes-uniforms", "same-clothes"], [], "for", "yes-uniforms")
    assert cost["acts"] == [{"by": "parent-a", "act": "asserts", "quote": None, "source": None},
                            {"by": "teacher-c", "act": "challenges", "quote": "Who pays for them?",
                             "source": "minutes"}]
    undercut = to_record(kb.get("teasing-moves"), 2)  # type: ignore[arg-type]
    assert (undercut["for"], undercut["against"], undercut["undercuts"], undercut["stance"]) == (
        [], [], "same-clothes", "against")
    linked = to_record(kb.get("same-clothes"), 2)  # type: ignore[arg-type]
    assert linked["premises"][1] == {"claim": "Uniforms remove the differences.",
                                     "quote": "With uniforms everyone looks the same.", "source": "minutes",
                                     "by": None, "id": None, "restates": []}
    position = to_record(kb.get("no-uniforms"), 2)  # type: ignore[arg-type]
    assert (position["against"], position["held_by"], position["agreement"]) == (
        ["yes-uniforms"], ["teacher-c"], "individual")
    json.dumps([to_record(e, 2) for e in kb.entries()])  # every record is JSON


def _kind(name: str) -> Any:
    from policyx.kb.model import Kind

    return Kind(name)


def test_the_cache_gives_the_graph_back(tmp_path: Path) -> None:
    shutil.copy(GRAPH, tmp_path / "kb.yaml")
    shutil.copy(FIXTURES / "minutes.txt", tmp_path / "minutes.txt")
    fresh = open_kb(tmp_path / "kb.yaml")
    cached = open_kb(tmp_path / "kb.yaml")
    assert cached.arguments == fresh.arguments and cached.positions == fresh.positions
    assert cached.questions == fresh.questions
    assert isinstance(cached.arguments[0], Argument) and cached.arguments[0].premises[0].claim.startswith("Teasing")
    assert cached.quotes is not None and cached.quotes.not_verbatim == ()


def test_the_json_schema_accepts_the_fixture_and_keeps_version_1_strict() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    data = yaml.safe_load(GRAPH.read_text(encoding="utf-8"))
    assert [e.message for e in validator.iter_errors(data)] == []
    data["version"] = 1
    assert list(validator.iter_errors(data))


def test_check_compares_each_act_and_premise_quote_with_its_source(tmp_path: Path, cli: Any) -> None:
    text = GRAPH.read_text(encoding="utf-8").replace("Who pays for them?", "Who pays for those?")
    (tmp_path / "kb.yaml").write_text(text, encoding="utf-8")
    shutil.copy(FIXTURES / "minutes.txt", tmp_path / "minutes.txt")
    result = cli("--kb", str(tmp_path / "kb.yaml"), "check")
    assert result.exit_code == 3  # check's exit code for an invalid knowledge base
    assert ("argument 'cost': act #2's quote is not verbatim in source 'minutes': after 'Who pays for ', "
            "the quote has 'those?' where the source has 'them?'") in result.stderr
    good = cli("--kb", str(GRAPH), "check")
    assert good.exit_code == 0, good.stderr
