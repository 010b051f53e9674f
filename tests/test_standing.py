"""``policyx standing`` on the bundled debate, as a user sees it (derived labels)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from policyx.kb.load import bundled_path, load
from policyx.kb.model import Stance
from policyx.views.framework import framework_of, standing_of

from .clirun import run_cli
from .ptyrun import run_in_terminal

KB = load(bundled_path())


def _tree_labels() -> dict[str, str]:
    """On a tree, an entry is in exactly when none of its objections is in (a recursion over the
    replies, independent of the framework and of the queue algorithm)."""
    labels: dict[str, str] = {}

    def label(entry_id: str) -> str:
        if entry_id not in labels:
            objections = [a for a in KB.replies_to(entry_id) if a.stance is Stance.AGAINST]
            labels[entry_id] = "out" if any(label(a.id) == "in" for a in objections) else "in"
        return labels[entry_id]

    for entry in (*KB.positions, *KB.arguments):
        label(entry.id)
    return labels


def test_json_carries_id_label_kind_question_why_and_says_derived() -> None:
    result = run_cli("standing", "-f", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert {r["id"]: r["label"] for r in records} == _tree_labels()
    assert len(records) == len(KB.positions) + len(KB.arguments)
    for record in records:
        assert {"id", "label", "kind", "question", "why", "derived"} <= set(record)
        assert record["derived"] is True and record["semantics"] == "grounded"
    johns = next(r for r in records if r["id"] == "criminalize-johns")
    assert johns == {**johns, "label": "out", "kind": "position", "question": "criminalizing-johns",
                     "why": "derived (grounded semantics): attacked by johns-dangerous-for-girls and"
                            " johns-focus-hides-problem, which are in"}
    reinstated = next(r for r in records if r["id"] == "end-bifurcation")
    assert reinstated["label"] == "in"
    assert "defeated by criminalization-creates-dichotomy" in reinstated["why"]


def test_yaml_says_the_labels_are_derived() -> None:
    records = yaml.safe_load(run_cli("standing", "-f", "yaml").stdout)
    assert all(r["derived"] is True and r["why"].startswith("derived (grounded semantics): ") for r in records)


@pytest.mark.parametrize("fmt", ["plain", "tsv", "csv", "markdown", "jsonl"])
def test_every_format_says_the_labels_are_derived(fmt: str) -> None:
    """A plain line has no header: each line's why says "derived" and the semantics; the
    formats with a header also have a derived column (true) and the semantics."""
    lines = run_cli("standing", "--semantics", "preferred", "-f", fmt).stdout.splitlines()
    rows = [line for line in lines if "criminalize-johns" in line and "Criminalizing buyers" in line]
    assert len(rows) == 1 and "derived (preferred semantics): " in rows[0], lines[:3]
    if fmt in ("tsv", "csv"):
        header = lines[0].split("\t" if fmt == "tsv" else ",")
        assert header[-2:] == ["semantics", "derived"] and rows[0].endswith(("\ttrue", ",true"))


def test_on_a_tree_every_semantics_agrees_with_grounded() -> None:
    ground = standing_of(KB, "grounded").labels
    for semantics in ("preferred", "stable"):
        other = standing_of(KB, semantics)
        assert other.extensions is not None and other.extensions.count == 1
        assert other.labels == {i: "skeptical" if lab == "in" else "rejected" for i, lab in ground.items()}


def test_the_framework_has_one_attack_per_objection_and_none_from_supports() -> None:
    framework, kinds = framework_of(KB)
    assert set(framework.attacks()) == {(a.id, a.target) for a in KB.arguments if a.stance is Stance.AGAINST}
    assert set(kinds.values()) == {"rebuts"}
    assert set(framework.ids) == {e.id for e in (*KB.positions, *KB.arguments)}


def test_label_filter_and_ids() -> None:
    result = run_cli("standing", "--label", "out", "-f", "ids")
    assert result.exit_code == 0, result.stderr
    shown = result.stdout.split()
    assert sorted(shown) == sorted(i for i, lab in _tree_labels().items() if lab == "out")
    # in the order of the map: question by question, each objection after what it answers
    assert shown == ["society-responds-differently", "reduce-trafficker-incentive", "criminalize-johns"]


def test_an_id_alone_shows_its_label() -> None:
    result = run_cli("standing", "criminalize-johns", "-f", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["label"] for line in result.stdout.splitlines()] == ["out"]


def test_filters_keep_one_question() -> None:
    result = run_cli("standing", "-q", "criminalizing-johns", "-f", "jsonl")
    questions = {json.loads(line)["question"] for line in result.stdout.splitlines()}
    assert result.exit_code == 0 and questions == {"criminalizing-johns"}


def test_why_names_the_attackers_that_are_in() -> None:
    result = run_cli("standing", "criminalize-johns", "--why", "-f", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["id"], r["relation"], r["label"]) for r in rows] == [
        ("criminalize-johns", "this", "out"),
        ("johns-dangerous-for-girls", "attacks it (rebuts)", "in"),
        ("johns-focus-hides-problem", "attacks it (rebuts)", "in"),
    ]


def test_why_names_the_defender_that_reinstates() -> None:
    rows = json.loads(run_cli("standing", "end-bifurcation", "--why", "-f", "json").stdout)
    assert [(r["id"], r["relation"], r["label"]) for r in rows] == [
        ("end-bifurcation", "this", "in"),
        ("society-responds-differently", "attacks it (rebuts)", "out"),
        ("criminalization-creates-dichotomy", "defends it (attacks society-responds-differently)", "in"),
    ]


def test_terminal_table_has_a_verdict_per_question() -> None:
    seen = run_in_terminal("--no-pager", "standing", columns=140)
    assert seen.exit_code == 0, seen.stderr
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", seen.screen)
    assert "(derived: 1 of 2 positions stands; 1 out)" in screen
    assert "(derived: 1 of 1 position stands)" in screen


def test_bad_input_is_worded_not_a_traceback() -> None:
    for args, code, words in (
        (("standing", "--semantics", "prefered"), 2, "did you mean 'preferred'"),
        (("standing", "--label", "skeptical"), 2, "no label 'skeptical' under grounded semantics"),
        (("standing", "--time-limit", "soon"), 2, "--time-limit takes a number of seconds"),
        (("standing", "no-such-entry", "--why"), 1, "no-such-entry"),
        (("standing", "no-such-entry"), 1, "no-such-entry"),
        (("standing", "--why"), 2, "--why explains one entry's label: give its id"),
        (("standing", "-q", "criminalizing-johns", "--label", "undecided"), 1, "no position or argument"),
        # as list words them: which filter names nothing, and the near id
        (("standing", "-q", "criminalizing-john"), 1, "no question 'criminalizing-john' (did you mean"),
        (("standing", "--by", "nobody-here"), 1, "no actor 'nobody-here'"),
        (("standing", "--tag", "no-such-tag"), 1, "no entry has the tag 'no-such-tag'"),
        # an empty --semantics (a script's unset variable) is a mistake, not the default
        (("standing", "--semantics", ""), 2, "no semantics ''; choose from grounded, preferred, stable"),
        (("standing", "-f", "xml"), 2, "is not a format of list, show, compare, search, stats and standing"),
        (("standing", "--time-limit", "1e9", "--semantics", "preferred"), 2, "at most 1000000"),
        (("standing", "end-bifurcation", "--why", "-q", "criminalizing-johns"), 2,
         "--question choose entries and do not go with it (policyx standing end-bifurcation --why)"),
        (("standing", "end-bifurcation", "--why", "--label", "out", "--tag", "x"), 2, "--label, --tag choose entries"),
    ):
        result = run_cli(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert words in result.stderr and "Traceback" not in result.stderr
    # the command it prints keeps the knowledge base in use, to be pasted as it is
    result = run_cli("--kb", str(bundled_path()), "standing", "--why")
    assert f"(policyx --kb {bundled_path()} standing ID --why)" in result.stderr


def test_map_standing_puts_the_word_beside_each_node() -> None:
    plain = run_cli("map", "criminalizing-johns", "--standing")
    assert plain.exit_code == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert lines[1].startswith("  position criminalize-johns:") and lines[1].endswith("[out, derived]")
    assert all(line.endswith(("[in, derived]", "[out, derived]")) for line in lines[1:])
    assert "derived" not in run_cli("map", "criminalizing-johns").stdout  # only when asked


def test_map_standing_on_a_terminal_colours_the_word_and_keeps_it() -> None:
    seen = run_in_terminal("--no-pager", "map", "criminalizing-johns", "--standing", columns=140)
    assert seen.exit_code == 0, seen.stderr
    assert "\x1b[1;31m[out, derived]" in seen.screen and "\x1b[1;32m[in, derived]" in seen.screen
    bare = run_in_terminal("--no-pager", "map", "criminalizing-johns", "--standing", env={"NO_COLOR": "1"},
                           columns=140)
    assert "[out, derived]" in bare.screen and "\x1b[1;31m" not in bare.screen


def test_export_standing_colours_dot_and_mermaid_nodes_with_the_word() -> None:
    dot = run_cli("export", "-f", "dot", "-q", "criminalizing-johns", "--standing")
    assert dot.exit_code == 0, dot.stderr
    line = next(x for x in dot.stdout.splitlines() if x.strip().startswith('"criminalize-johns" ['))
    assert "[out, derived]" in line and 'fillcolor="#f4b6b0"' in line and line.count("fillcolor=") == 1
    assert "derived" not in run_cli("export", "-f", "dot", "-q", "criminalizing-johns").stdout
    mermaid = run_cli("export", "-f", "mermaid", "-q", "criminalizing-johns", "--standing").stdout
    assert "  class p_criminalize_johns derivedOut" in mermaid and "classDef derivedOut fill:#f4b6b0" in mermaid
    assert "[out, derived]" in mermaid


def test_export_standing_gives_the_handout_a_label_per_entry() -> None:
    handout = run_cli("export", "-f", "markdown", "-q", "criminalizing-johns", "--standing").stdout
    assert "Standing (derived, grounded semantics; see `policyx standing`): out." in handout
    assert "(one individual (against criminalizing johns); type: predictive; standing (derived): in)" in handout
    assert "derived): " not in run_cli("export", "-f", "markdown", "-q", "criminalizing-johns").stdout


def test_export_standing_refuses_the_formats_that_cannot_show_it() -> None:
    result = run_cli("export", "-f", "argdown", "--standing")
    assert result.exit_code == 2
    assert "--standing shows the derived labels in markdown, html, dot, mermaid only, not argdown" in result.stderr
    town = Path(__file__).parents[1] / "docs" / "examples" / "town" / "debate.yaml"
    result = run_cli("--kb", str(town), "export", "-f", "aif", "--standing")  # its hint reads the same debate
    assert result.exit_code == 2 and f"; `policyx --kb {town} standing` lists every label" in result.stderr


def test_export_standing_gives_the_page_a_word_per_entry() -> None:
    page = run_cli("export", "-f", "html", "-q", "criminalizing-johns", "--standing").stdout
    assert ('<p class="standing standing-out"><span class="derived-label">derived</span> standing (grounded'
            ' semantics): <strong>out</strong></p>') in page
    assert page.count('class="standing standing-in"') == 6
    assert "standing-in" not in run_cli("export", "-f", "html", "-q", "criminalizing-johns").stdout.split("<body")[1]


def test_show_marks_every_label_derived_the_tree_rows_too() -> None:
    rows = json.loads(run_cli("show", "criminalize-johns", "-f", "json").stdout)
    labelled = [r for r in rows if "standing" in r]
    assert len(labelled) == len(rows) > 1
    assert all(r["why"].startswith("standing derived (grounded semantics): ") for r in labelled)


#: show's tree under criminalize-johns, as its rows come: each id with its derived label
JOHNS_TREE = {"johns-dangerous-for-girls": "in", "johns-focus-hides-problem": "in", "stops-blaming-victim": "in",
              "addresses-the-crime": "in"}


@pytest.mark.parametrize("colour", ["NO_COLOR", "FORCE_COLOR"])
def test_show_on_a_terminal_marks_each_tree_row_derived(colour: str) -> None:
    seen = run_in_terminal("--no-pager", "show", "criminalize-johns", env={colour: "1"}, columns=120)
    assert seen.exit_code == 0, seen.stderr
    screen = re.sub(r"\x1b\[[0-9;]*m", "", seen.screen)
    # the entry's own standing, in its details, marked as the rows are
    assert re.search(r"^standing +\[out, derived\] *\nwhy +standing derived \(grounded semantics\): attacked by",
                     screen, re.M)
    for entry, label in JOHNS_TREE.items():  # the row's id, then its label, as map --standing puts it
        assert re.search(rf"^[├└]── [+−] (for|against) {entry} \[{label}, derived\]$", screen, re.M), screen
    if colour == "FORCE_COLOR":  # coloured as in the map, beside the word
        assert "\x1b[1;32m[in, derived]" in seen.screen


def test_show_in_a_pipe_ends_each_line_with_the_label_and_why() -> None:
    """A plain line has no header: its why says "standing derived", as standing's own lines do."""
    lines = [line.split("\t") for line in run_cli("show", "criminalize-johns").stdout.splitlines()]
    assert [(cells[0], cells[-2]) for cells in lines] == [("criminalize-johns", "out"), *JOHNS_TREE.items()]
    assert all(cells[-1].startswith("standing derived (grounded semantics): ") for cells in lines)
    assert all(len(cells) == 16 for cells in lines)  # the columns before keep their places


@pytest.mark.parametrize("fmt", ["csv", "tsv", "markdown", "yaml", "jsonl"])
def test_show_in_every_format_carries_each_label_marked_derived(fmt: str) -> None:
    out = run_cli("show", "criminalize-johns", "-f", fmt).stdout
    for entry, label in JOHNS_TREE.items():
        starts = {"markdown": "    - ", "jsonl": f'{{"id": "{entry}"'}.get(fmt, entry)
        (line,) = [x for x in out.splitlines() if x.startswith(starts) and entry in x] if fmt != "yaml" else [""]
        if fmt == "markdown":
            assert f"`{entry}` [{label}, derived]: " in line
            assert "\n  - standing: [out, derived]\n" in out  # the entry's own, in its details
        elif fmt != "yaml":
            assert re.search(rf"\b{label}\W+(why\W+)?standing derived \(grounded semantics\)", line), line
    if fmt == "yaml":
        rows = yaml.safe_load(out)
        assert {r["id"]: r["standing"] for r in rows[1:]} == JOHNS_TREE
        assert all(r["why"].startswith("standing derived") for r in rows)


def test_show_leaves_a_reference_row_to_where_the_entry_stands() -> None:
    town = Path(__file__).parents[1] / "tests" / "fixtures" / "graph" / "uniforms-v2.yaml"
    seen = run_in_terminal("--no-pager", "--kb", str(town), "show", "yes-uniforms", env={"NO_COLOR": "1"},
                           columns=120)
    assert seen.exit_code == 0, seen.stderr
    assert re.search(r"── \+ for cost \[in, derived\]$", seen.screen, re.M)
    assert re.search(r"── \+ for cost$", seen.screen, re.M)  # the reference: "see cost above"


@pytest.mark.parametrize("entry", ["end-bifurcation", "criminalize-johns"])
def test_the_label_keeps_its_column_when_others_fold(entry: str) -> None:
    # at 80 columns --why's relation does not fit beside the why; the label, the answer, still does
    # (it was folded into the dim line under the why, after the relation)
    from policyx.output.registry import render
    from policyx.views.standing import why_listing

    out = render("table", why_listing(KB, entry), width=80)
    assert out.splitlines()[0].split()[:2] == ["id", "label"], out
    assert "label:" not in out
    assert re.search(rf"^{entry} +(in|out) +derived", out, re.M), out


@pytest.mark.parametrize("columns", [40, 50, 60])
def test_show_keeps_each_label_whole_on_a_narrow_terminal(columns: int) -> None:
    seen = run_in_terminal("--no-pager", "show", "trafficking-bifurcation", env={"NO_COLOR": "1"}, columns=columns)
    assert seen.exit_code == 0, seen.stderr
    assert seen.screen.count(", derived]") == 7  # the position and its six arguments, each mark whole
    assert not re.search(r"\[(in|out|undecided),$", seen.screen, re.M), seen.screen


@pytest.mark.parametrize("columns", [40, 50, 60])
def test_map_keeps_each_label_whole_on_a_narrow_terminal(columns: int) -> None:
    seen = run_in_terminal("--no-pager", "map", "--standing", env={"NO_COLOR": "1"}, columns=columns)
    assert seen.exit_code == 0, seen.stderr
    assert seen.screen.count(", derived]") == len(KB.positions) + len(KB.arguments)
    assert not re.search(r"\[(in|out|undecided),$", seen.screen, re.M), seen.screen
