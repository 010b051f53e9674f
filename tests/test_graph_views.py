"""Every view of a version-2 knowledge base shows the graph: references instead of copies,
undercuts, linked premises, restatements, contradictions and acts; exports write them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from policyx.kb.load import load
from policyx.output.aif import aif_document
from policyx.output.diagrams import render_dot, render_mermaid
from tests.clirun import run_cli as cli
from tests.ptyrun import run_in_terminal

REPO = Path(__file__).resolve().parent.parent
GRAPH = REPO / "tests" / "fixtures" / "graph" / "uniforms-v2.yaml"
ARGDOWN = REPO / "tools" / "node_modules" / ".bin" / "argdown"
KB = ("--kb", str(GRAPH))


def test_map_refers_to_a_node_reached_twice_and_words_undercuts_premises_and_acts() -> None:
    out = cli(*KB, "map").stdout.splitlines()
    assert out[0] == ("question require: Should the school require uniforms? "
                      "(no outcome recorded; asked by a student)")
    assert out[1] == ("  position yes-uniforms: The school should require uniforms. (held by a parent; agreement "
                      "not recorded; contradicted by position no-uniforms; asserted by a parent; "
                      "disputed by a teacher)")
    assert "      linked premise 1 of 2: Teasing about clothes starts from differences." in out
    assert ("      undercuts teasing-moves: Teasing moves to shoes and bags. (by a teacher; attacks the step "
            "from same-clothes to yes-uniforms, not its claim)") in out
    # cost supports two entries: shown whole once, then referred to
    assert [line for line in out if "cost:" in line] == [
        "      for cost: Uniforms cost families less than a wardrobe. (by a parent; restated by cheaper; "
        "asserted by a parent; challenged by a teacher)",
        "    for cost: see cost above",
    ]
    # a mutual attack ends in a reference, not an endless walk or an error
    assert out.index("        against choice-matters: see choice-matters above") > out.index(
        "    against choice-matters: Choosing clothes teaches responsibility. (by a teacher)")


def test_the_map_on_a_terminal_marks_undercuts_and_references() -> None:
    seen = run_in_terminal(*KB, "map", columns=160)
    screen = re.sub(r"\x1b\[[0-9;]*m", "", seen.screen)
    assert seen.exit_code == 0
    assert "− undercuts teasing-moves  Teasing moves to shoes and bags." in screen
    assert "+ for cost  see cost above" in screen
    assert "linked premise 2 of 2: Uniforms remove the differences." in screen


def test_show_json_carries_how_each_node_bears_on_the_one_above() -> None:
    rows = json.loads(cli(*KB, "show", "yes-uniforms", "-f", "json").stdout)
    by = [(r["id"], r["depth"], r["parent"], r.get("stance"), r["ref"] if r["depth"] else None) for r in rows]
    assert by == [
        ("yes-uniforms", 0, None, None, None),
        ("same-clothes", 1, "yes-uniforms", "for", False),
        ("teasing-moves", 2, "same-clothes", "undercuts", False),
        ("cost", 2, "same-clothes", "for", False),
        ("cost", 1, "yes-uniforms", "for", True),
        ("cheaper", 1, "yes-uniforms", "for", False),
        ("choice-matters", 1, "yes-uniforms", "against", False),
        ("costs-hidden", 2, "choice-matters", "against", False),
        ("choice-matters", 3, "costs-hidden", "against", True),
    ]
    assert rows[4]["claim"] == "see cost above"
    assert rows[0]["notes"] == ["contradicted by position no-uniforms",
                                "asserted by a parent: “Uniforms stop the teasing.” (minutes)",
                                "disputed by a teacher: “I do not think so.” (minutes)"]
    assert rows[0]["held_by"] == ["parent-a"]  # the teacher disputed it: not a holder
    assert rows[1]["notes"][0] == ("linked premise 1 of 2: Teasing about clothes starts from differences.: "
                                   "“Kids get picked on for what they wear.” (minutes)")


def test_show_of_an_argument_in_a_circle_of_attacks_gives_its_way_to_the_position() -> None:
    rows = json.loads(cli(*KB, "show", "costs-hidden", "-f", "json").stdout)
    assert [(s["id"], s["relation"]) for s in rows[0]["chain"]] == [
        ("choice-matters", "against"), ("yes-uniforms", "against"), ("require", "answers")]
    assert [(r["id"], r["ref"]) for r in rows[1:]] == [("choice-matters", False), ("costs-hidden", True)]


def test_list_filters_by_acts_and_undercuts() -> None:
    def ids(*args: str) -> list[str]:
        return [r["id"] for r in json.loads(cli(*KB, "list", *args, "-f", "json").stdout)]

    assert ids("arguments", "--disputed-by", "teacher-c") == ["cost"]
    assert ids("positions", "--disputed-by", "teacher-c") == ["yes-uniforms"]
    assert ids("questions", "--asked-by", "student-b") == ["require"]
    assert ids("--undercuts", "same-clothes") == ["teasing-moves"]
    none = cli(*KB, "list", "--against", "same-clothes")  # an undercut attacks the step, not the claim
    assert none.stdout == "" and "no arguments match" in none.stderr
    assert ids("--for", "same-clothes") == ["cost"]
    bad = cli(*KB, "list", "--undercuts", "yes-uniforms")
    assert bad.exit_code != 0 and "'yes-uniforms' is a position, not an argument" in bad.stderr


def test_handout_and_html_show_references_premises_undercuts_and_acts() -> None:
    handout = cli(*KB, "export", "-f", "markdown").stdout
    assert "- **For:** cost (see cost above)" in handout
    assert "  - **Undercuts:** Teasing moves to shoes and bags. (teasing-moves)" in handout
    assert "  - Linked premise 2 of 2: Uniforms remove the differences." in handout
    assert "Disputed by a teacher." in handout and "Asked by a student." in handout
    page = cli(*KB, "export", "-f", "html").stdout
    assert '<a href="#entry-cost">see cost above</a>' in page
    assert "<li>disputed by a teacher: “I do not think so.” (minutes)</li>" in page
    assert "− undercuts</span>" in page
    ids = re.findall(r'id="entry-([a-z0-9-]+)"', page)
    assert len(ids) == len(set(ids)) == 8  # every entry once: references carry no id


def test_a_version_2_yaml_export_loads_back_to_the_same_graph(tmp_path: Path) -> None:
    shutil.copy(GRAPH.parent / "minutes.txt", tmp_path / "minutes.txt")
    (tmp_path / "again.yaml").write_text(cli(*KB, "export", "-f", "yaml").stdout, encoding="utf-8")
    before, after = load(GRAPH), load(tmp_path / "again.yaml")
    assert after.version == 2
    assert (after.questions, after.positions, after.arguments) == (before.questions, before.positions, before.arguments)


def _aif_edges() -> set[tuple[str, str, str, str]]:
    doc = aif_document(load(GRAPH))
    nodes = {n["nodeID"]: n for n in doc["nodes"]}
    return {(nodes[e["fromID"]]["type"], nodes[e["fromID"]]["text"], nodes[e["toID"]]["type"],
             nodes[e["toID"]]["text"]) for e in doc["edges"]}


def test_aif_writes_linked_inferences_undercuts_both_attacks_restatements_and_illocutions() -> None:
    edges = _aif_edges()
    linked = "When all wear the same, nobody is teased for clothes."
    # one RA with both premises
    assert ("I", "Teasing about clothes starts from differences.", "RA", linked) in edges
    assert ("I", "Uniforms remove the differences.", "RA", linked) in edges
    assert ("RA", linked, "I", "The school should require uniforms.") in edges
    # an undercut: a CA on that RA
    assert ("I", "Teasing moves to shoes and bags.", "CA", "Default Conflict") in edges
    assert ("CA", "Default Conflict", "RA", linked) in edges
    # both directions of the mutual attack
    assert ("I", "Choosing clothes teaches responsibility.", "CA", "Default Conflict") in edges
    assert ("I", "Choice hides what families spend.", "CA", "Default Conflict") in edges
    assert ("CA", "Default Conflict", "I", "Choosing clothes teaches responsibility.") in edges
    assert ("CA", "Default Conflict", "I", "Choice hides what families spend.") in edges
    assert ("I", "Uniforms are cheaper.", "MA", "Default Rephrase") in edges
    assert ("MA", "Default Rephrase", "I", "Uniforms cost families less than a wardrobe.") in edges
    assert ("L", "a teacher: I do not think so.", "YA", "Disagreeing") in edges
    assert ("L", "a teacher: Who pays for them?", "YA", "Challenging") in edges
    assert ("YA", "Disagreeing", "I", "The school should require uniforms.") in edges
    # a premise's words are a locution of the argument's speaker
    assert ("L", "a parent: Kids get picked on for what they wear.", "YA", "Asserting") in edges


def test_dot_and_mermaid_draw_linked_premises_and_undercuts_distinctly() -> None:
    kb = load(GRAPH)
    dot = render_dot(kb)
    assert '"same-clothes" [label="When all wear the same' in dot and "peripheries=2" in dot
    assert '"teasing-moves" -> "step:same-clothes:yes-uniforms" [label="undercuts"' in dot
    assert dot.count('    "cost" [label=') == 1  # reached twice, drawn once
    mermaid = render_mermaid(kb)
    assert "  a_teasing_moves -.->|undercuts| s_same_clothes__yes_uniforms" in mermaid
    assert "  class a_same_clothes linked" in mermaid


needs_mermaid = pytest.mark.skipif(
    shutil.which("node") is None or not (REPO / "tools" / "node_modules" / "mermaid").exists(),
    reason="Mermaid is not installed for node (npm ci --prefix tools)",
)


@needs_mermaid
def test_mermaid_parses_the_graph_with_mermaid_itself(tmp_path: Path) -> None:
    diagram = tmp_path / "graph.mmd"
    diagram.write_text(render_mermaid(load(GRAPH)), encoding="utf-8")
    done = subprocess.run(["node", str(REPO / "tools" / "mermaid-check.mjs"), str(diagram)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    edges = {(e["from"], e["to"], e["text"]) for e in parsed["edges"]}
    assert ("a_teasing_moves", "s_same_clothes__yes_uniforms", "undercuts") in edges
    assert ("s_same_clothes__yes_uniforms", "p_yes_uniforms", "supports") in edges
    both = {("a_choice_matters", "a_costs_hidden", "attacks"), ("a_costs_hidden", "a_choice_matters", "attacks")}
    assert both <= edges
    assert parsed["vertices"]["s_same_clothes__yes_uniforms"] == "step"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_dot_draws_the_graph(tmp_path: Path) -> None:
    done = subprocess.run(["dot", "-Tsvg"], input=render_dot(load(GRAPH)), capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and "undercuts" in done.stdout, done.stderr


@pytest.mark.skipif(not ARGDOWN.exists(), reason="the Argdown CLI is not installed (npm ci --prefix tools)")
def test_argdown_writes_undercuts_and_premise_conclusion_structures(tmp_path: Path) -> None:
    source = tmp_path / "debate.argdown"
    source.write_text(cli(*KB, "export", "-f", "argdown").stdout, encoding="utf-8")
    done = subprocess.run([str(ARGDOWN), "json", str(source), str(tmp_path / "out")], capture_output=True,
                          text=True, check=False, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    data: dict[str, Any] = json.loads((tmp_path / "out" / "debate.json").read_text(encoding="utf-8"))
    relations = {(r["from"], r["to"], r["relationType"]) for r in data["relations"]}
    assert ("teasing-moves", "same-clothes", "undercut") in relations
    assert {("choice-matters", "costs-hidden", "attack"), ("costs-hidden", "choice-matters", "attack")} <= relations
    assert ("no-uniforms", "yes-uniforms", "contradictory") in relations
    pcs = [(s["role"], s["text"]) for s in data["arguments"]["same-clothes"]["pcs"]]
    assert pcs == [("premise", "Teasing about clothes starts from differences."),
                   ("premise", "Uniforms remove the differences."),
                   ("main-conclusion", "When all wear the same, nobody is teased for clothes.")]
    assert set(data["arguments"]) == {a.id for a in load(GRAPH).arguments}
