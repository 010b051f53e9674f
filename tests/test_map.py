"""`policyx map` and the debate tree behind every teaching view."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from policyx.kb.errors import UnknownIdError, UsageError
from policyx.kb.load import build as build_kb
from policyx.kb.load import bundled_path, load
from policyx.kb.model import KnowledgeBase, Stance
from policyx.output.cells import MAX_INDENT
from policyx.output.maptree import build_tree, render_outline, render_tree
from policyx.views.argmap import agreement_summary, build_map, select
from policyx.views.tree import ArgumentNode, PositionNode, walk
from tests.clirun import run_cli as cli

GOLDEN = Path(__file__).parent / "golden"
EVIL = "[bold red]boom[/] \x1b[2J\x1b]0;title\x07 \u202eright-to-left\nnext line"




def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("POLICYX_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(bundled_path())


def small_kb(claim: str = EVIL, depth: int = 2) -> KnowledgeBase:
    """One question, one position, a chain of ``depth`` arguments, each answering the last."""
    arguments: list[dict[str, Any]] = []
    target = "p1"
    for index in range(depth):
        stance = "for" if index % 2 == 0 else "against"
        arguments.append({"id": f"x{index}", "claim": claim, stance: target, "by": "a1"})
        target = f"x{index}"
    data = {
        "version": 1,
        "actors": [{"id": "a1", "name": claim}],
        "questions": [{"id": "q1", "text": claim}],
        "positions": [{"id": "p1", "question": "q1", "claim": claim, "held_by": ["a1"], "agreement": "broad"}],
        "arguments": arguments,
    }
    return build_kb(data, "small.yaml")


# --------------------------------------------------------------------------
# The tree


def test_map_holds_every_entry_once_in_file_order(kb: KnowledgeBase) -> None:
    debate = build_map(kb)
    assert [q.id for q in debate.questions] == [q.id for q in kb.questions]
    assert [p.id for p in debate.positions()] == [p.id for p in kb.positions]
    ids = [node.id for node, _ in debate.arguments()]
    assert sorted(ids) == sorted(a.id for a in kb.arguments) and len(ids) == len(set(ids))
    for node, parent in debate.arguments():
        assert node.argument.target == parent.id


def test_rebuttals_nest_under_what_they_answer(kb: KnowledgeBase) -> None:
    debate = build_map(kb)
    position = next(p for p in debate.positions() if p.id == "end-bifurcation")
    society = next(r for r in position.replies if r.id == "society-responds-differently")
    assert society.argument.stance is Stance.AGAINST
    assert [r.id for r in society.replies] == ["criminalization-creates-dichotomy"]
    depths = {node.id: depth for node, _, depth in walk(position)}
    assert depths == {
        "end-bifurcation": 0, "trafficking-intertwined": 1, "exploitation-as-control": 2,
        "mixed-trafficking-experiences": 2, "sex-work-is-labor": 1, "society-responds-differently": 1,
        "criminalization-creates-dichotomy": 2,
    }


def test_positions_show_who_held_them_and_how_widely(kb: KnowledgeBase) -> None:
    debate = build_map(kb)
    johns = next(p for p in debate.positions() if p.id == "criminalize-johns")
    assert [a.id for a in johns.holders] == ["individual-for-johns"]
    assert johns.position.agreement.value == "individual"


def test_agreement_summaries(kb: KnowledgeBase) -> None:
    debate = {q.id: q for q in build_map(kb).questions}
    assert agreement_summary(debate["criminalizing-johns"]).describe() == (
        "divided: the positions were each held by different people, none broadly")
    assert agreement_summary(debate["trafficking-bifurcation"]).describe() == (
        "broad agreement on “The distinction between sex trafficking and labor trafficking should be eliminated.”")
    consensus = build_kb({
        "version": 1, "actors": [{"id": "a", "name": "A"}], "questions": [{"id": "q", "text": "Q?"}],
        "positions": [{"id": "p", "question": "q", "claim": "C", "held_by": ["a"], "agreement": "consensus"},
                      {"id": "r", "question": "q", "claim": "D", "held_by": ["a"], "agreement": "broad"}],
    }, "c.yaml")
    # one actor holding both: each position with its own level, not "consensus and broad agreement"
    assert agreement_summary(build_map(consensus).questions[0]).describe() == (
        "consensus on “C”; broad agreement on “D”")
    agreed = agreement_summary(debate["decriminalization-timing"])
    assert agreed.kind == "agreement" and [p.id for p in agreed.positions] == ["decriminalization-not-soon"]


def test_a_deep_rebuttal_chain_needs_no_recursion() -> None:
    kb = small_kb("claim", depth=3000)
    debate = build_map(kb)
    assert max(depth for _, _, depth in walk(next(debate.positions()))) == 3000
    outline = render_outline(debate)
    assert outline.count("\n") == 3002
    # indented down to MAX_INDENT levels, then marked with the depth: linear in the chain's length
    assert outline.splitlines()[-1].startswith("  " * (MAX_INDENT + 1) + "(depth 3000) against x2999: claim")


def test_select_by_question_and_unknown_ids(kb: KnowledgeBase) -> None:
    keep = select(kb, question="criminalizing-johns")
    assert keep == {"criminalizing-johns", "criminalize-johns", "do-not-criminalize-johns", "johns-dangerous-for-girls",
                    "johns-help-escape", "johns-focus-hides-problem", "stops-blaming-victim", "addresses-the-crime"}
    with pytest.raises(UnknownIdError, match="did you mean 'criminalizing-johns'"):
        select(kb, question="criminalising-johns")
    with pytest.raises(UsageError, match="is a position, not a question; its question is 'criminalizing-johns'"):
        select(kb, question="criminalize-johns")


# --------------------------------------------------------------------------
# The outline (piped) and the Rich tree (terminal)


def test_map_of_one_question_piped_is_a_plain_outline() -> None:
    result = cli("map", "criminalizing-johns")
    assert result.exit_code == 0 and result.stderr == ""
    assert "\x1b" not in result.stdout and "──" not in result.stdout
    golden("map-criminalizing-johns.txt", result.stdout)


def test_whole_map_piped(kb: KnowledgeBase) -> None:
    out = cli("map").stdout.splitlines()
    assert sum(line.startswith("question ") for line in out) == len(kb.questions)
    assert sum(line.startswith("  position ") for line in out) == len(kb.positions)
    assert len(out) == len(kb.questions) + len(kb.positions) + len(kb.arguments)
    assert "      against criminalization-creates-dichotomy: " in "\n".join(out)


def test_docs_map_outline_is_current() -> None:
    """docs/map.txt is what `policyx map` prints in a pipe today (tools/make_docs_images.py)."""
    docs = Path(__file__).resolve().parent.parent / "docs" / "map.txt"
    assert docs.read_text(encoding="utf-8") == cli("map").stdout


def test_map_tag_filter_and_errors() -> None:
    out = cli("map", "--tag", "minors").stdout
    assert "for protect-minors" in out and "against minors-still-profitable" in out
    assert "criminalizing-johns" not in out
    bad = cli("map", "no-such-question")
    assert bad.exit_code == 1 and bad.stdout == "" and "no question 'no-such-question'" in bad.stderr


def test_outline_makes_hostile_text_inert() -> None:
    out = render_outline(build_map(small_kb()))
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "\\x1b[2J" in out and "\\u202e" in out
    assert len(out.splitlines()) == 4  # the newline inside the text did not start a line


def _record(render: Any, color: bool) -> str:
    console = Console(record=True, width=100, force_terminal=True, color_system="truecolor" if color else None,
                      highlight=False, markup=False, file=open(os.devnull, "w"))  # noqa: SIM115
    render(console)
    text: str = console.export_text(styles=color)
    console.file.close()
    return text


def test_rich_tree_colours_by_stance(kb: KnowledgeBase) -> None:
    johns = next(q for q in build_map(kb).questions if q.id == "criminalizing-johns")
    tree = build_tree(johns)
    position = tree.children[0]
    labels = {child.label.plain.split()[2]: child.label for child in position.children}  # type: ignore[union-attr]
    for_style = {str(span.style) for span in labels["stops-blaming-victim"].spans}  # type: ignore[union-attr]
    against_style = {str(span.style) for span in labels["johns-dangerous-for-girls"].spans}  # type: ignore[union-attr]
    assert "bold green" in for_style and not any("red" in s for s in for_style)
    assert "bold red" in against_style and not any("green" in s for s in against_style)
    text = _record(lambda c: render_tree(build_map(kb, select(kb, "criminalizing-johns")), c), color=False)
    assert "├── position criminalize-johns" in text and "│   ├── − against johns-dangerous-for-girls" in text
    assert "held by another individual (for criminalizing johns); individual" in text
    assert "outcome: The discussion caused the most back and forth" in text


def test_rich_tree_never_reads_data_as_markup_or_escapes() -> None:
    text = _record(lambda c: render_tree(build_map(small_kb()), c), color=True)
    assert "[bold red]boom[/]" in text  # shown as typed, not interpreted
    assert "\x1b[2J" not in text and "\x1b]0;" not in text and "\u202e" not in text
    assert "\\x1b[2J" in text


def test_map_on_a_terminal_draws_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("policyx.cli.session.Session.terminal", property(lambda self: True))
    result = cli("--no-color", "map", "criminalizing-johns")
    assert result.exit_code == 0
    assert "└── position do-not-criminalize-johns" in result.stdout
    assert "\x1b" not in result.stdout  # --no-color
    plain = cli("map", "criminalizing-johns", "--plain")  # the outline, even on a terminal
    assert plain.stdout == (GOLDEN / "map-criminalizing-johns.txt").read_text(encoding="utf-8")


def test_node_types() -> None:
    debate = build_map(small_kb("c", depth=2))
    kinds = [type(node).__name__ for node, _, _ in walk(next(debate.positions()))]
    assert kinds == [PositionNode.__name__, ArgumentNode.__name__, ArgumentNode.__name__]


def test_a_tag_filter_keeps_the_whole_questions_summary() -> None:
    """-t resources keeps one of the two johns positions; the question is still divided."""
    kb = load(bundled_path())
    keep = select(kb, tag="resources")
    debate = {q.id: q for q in build_map(kb, keep).questions}
    assert [p.id for p in debate["criminalizing-johns"].positions] == ["do-not-criminalize-johns"]
    assert agreement_summary(debate["criminalizing-johns"]).kind == "divided"
    outline = cli("map", "-t", "resources").stdout
    assert "rather than sex workers? (outcome: The discussion caused the most back and forth;" in outline
    handout = cli("export", "-f", "markdown", "-t", "resources").stdout
    assert "held individually" not in handout
    assert handout.count("not an outcome the source records):* divided: the positions were each held by") == 1


def test_a_tag_that_matches_nothing_gets_a_suggestion() -> None:
    typo = cli("map", "-t", "safty")
    assert typo.exit_code == 1 and typo.stdout == ""
    assert typo.stderr == "policyx: nothing in the knowledge base matches tag 'safty' (did you mean 'safety'?)\n"
    models_only = cli("export", "-f", "dot", "-t", "background")
    assert models_only.exit_code == 1 and "it tags only legal models" in models_only.stderr
    assert "(see policyx list tags)" in cli("map", "-t", "zzz").stderr
