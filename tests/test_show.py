"""`policyx show`: an argument names what it answers up to its question; bad ids do not hide good ones."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.clirun import Outcome

Cli = Callable[..., Outcome]

CHAIN = [
    {"id": "trafficking-intertwined", "kind": "argument", "relation": "for",
     "text": "Sex trafficking and labor trafficking are intertwined."},
    {"id": "end-bifurcation", "kind": "position", "relation": "for",
     "text": "The distinction between sex trafficking and labor trafficking should be eliminated."},
    {"id": "trafficking-bifurcation", "kind": "question", "relation": "answers",
     "text": "Should sex trafficking and labor trafficking be treated as separate categories?"},
]


def test_an_argument_carries_its_chain_up_to_position_and_question(cli: Cli) -> None:
    done = cli("show", "exploitation-as-control", "-f", "json")
    rows = json.loads(done.stdout)
    assert rows[0]["chain"] == CHAIN
    # only the entry shown has it: the arguments of its tree are placed by depth and parent
    assert all("chain" not in row for row in rows[1:])


def test_the_table_and_markdown_show_the_chain_with_its_claims(cli: Cli) -> None:
    table = cli("show", "exploitation-as-control", "-f", "table", env={"COLUMNS": "104"}).stdout
    lines = [line.strip() for line in table.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("chain"))
    assert lines[start:start + 6] == [
        "chain     + for   argument trafficking-intertwined",  # the label column is as wide as "standing"
        "Sex trafficking and labor trafficking are intertwined.",
        "+ for   position end-bifurcation",
        "The distinction between sex trafficking and labor trafficking should be eliminated.",
        "answers question trafficking-bifurcation",
        "Should sex trafficking and labor trafficking be treated as separate categories?",
    ]
    markdown = cli("show", "exploitation-as-control", "-f", "markdown").stdout
    assert ("  - chain:\n"
            "    - for argument `trafficking-intertwined`: Sex trafficking and labor trafficking are intertwined.\n"
            "    - for position `end-bifurcation`: ") in markdown
    assert "    - answers question `trafficking-bifurcation`: Should sex trafficking" in markdown


def test_a_rebuttal_against_an_argument_names_both_stances(cli: Cli) -> None:
    rows = json.loads(cli("show", "criminalization-creates-dichotomy", "-f", "json").stdout)
    assert [(s["relation"], s["kind"], s["id"]) for s in rows[0]["chain"]] == [
        ("against", "argument", "society-responds-differently"),
        ("against", "position", "end-bifurcation"),
        ("answers", "question", "trafficking-bifurcation"),
    ]


def test_good_id_then_bad_id_shows_the_good_one_then_the_error(cli: Cli) -> None:
    done = cli("show", "criminalize-johns", "criminalize-john", "-f", "ids")
    assert done.exit_code == 1
    assert done.stdout.splitlines()[0] == "criminalize-johns" and "johns-help-escape" not in done.stdout
    assert done.stderr == "policyx: no entry 'criminalize-john' (did you mean 'criminalize-johns'?)\n"
    # the bad one first: the same; and nothing found at all is an error alone
    assert cli("show", "criminalize-john", "criminalize-johns", "-f", "ids").stdout == done.stdout
    alone = cli("show", "nope", "criminalize-john")
    assert (alone.exit_code, alone.stdout) == (1, "")
    assert alone.stderr.splitlines() == [
        "policyx: no entry 'nope'", "policyx: no entry 'criminalize-john' (did you mean 'criminalize-johns'?)",
    ]


def test_compare_nests_the_argument_trees_as_show_does(cli: Cli) -> None:
    table = cli("compare", "end-bifurcation", "decriminalization-not-soon", "-f", "table",
                env={"COLUMNS": "140"}).stdout
    cells = [line.split("│")[1].rstrip() for line in table.splitlines() if line.startswith("│")]
    start = cells.index(" arguments for")
    ids = [cell.strip() for cell in cells[start + 1:start + 30] if "for " in cell or "against " in cell]
    assert ids[:5] == [
        "+ for trafficking-intertwined",
        "├── + for exploitation-as-control",
        "└── + for mixed-trafficking-experiences",
        "+ for sex-work-is-labor",
        "− against criminalization-creates-dichotomy → society-responds-differently",
    ]


def test_a_compare_tree_too_deep_for_the_width_is_flattened_not_broken(cli: Cli) -> None:
    table = cli("compare", "decriminalize-sex-work", "end-bifurcation", "-f", "table",
                env={"COLUMNS": "40"}).stdout
    assert all(len(line) <= 40 for line in table.splitlines())
    assert "trafficked-get-fewer-resources" in table and "→ sex-workers-lack-resources" in table


# --------------------------------------------------------------------------
# search: the matches highlighted with or without colour; --kind


def test_search_highlights_in_colour_on_a_terminal() -> None:
    from tests.terminal import on_terminal

    code, shown = on_terminal(["search", "shadows"])
    assert code == 0
    assert "the \x1b[1;7mshadows\x1b[0m because" in shown, shown  # bold reverse video
    assert "[shadows]" not in shown


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_search_without_colour_marks_the_matches(env: dict[str, str]) -> None:
    from tests.terminal import on_terminal

    code, shown = on_terminal(["search", "shadows"], env)
    assert code == 0 and "\x1b" not in shown
    assert "the [shadows] because" in shown and "further into the [shadows]." in shown


def test_search_marks_are_only_drawn_the_data_keeps_its_text(cli: Cli) -> None:
    rows = json.loads(cli("search", "shadows", "-f", "json").stdout)
    assert all("[" not in row["excerpt"] for row in rows)
    assert "[" not in cli("search", "shadows").stdout  # plain: data for scripts


def test_search_kind_keeps_entries_of_those_collections(cli: Cli) -> None:
    everything = json.loads(cli("search", "johns", "-f", "json").stdout)
    kinds = {row["kind"] for row in everything}
    assert {"question", "position", "argument"} <= kinds
    only = json.loads(cli("search", "johns", "--kind", "questions", "-k", "position", "-f", "json").stdout)
    assert [r["id"] for r in only] == [r["id"] for r in everything if r["kind"] in ("question", "position")]
    done = cli("search", "johns", "safety", "--kind", "positions")
    assert done.exit_code == 1
    assert done.stderr == ("policyx: nothing among positions matches 'johns safety'"
                           " (2 entries of other kinds do: leave out --kind)\n")
    done = cli("search", "johns", "--kind", "positon")
    assert done.exit_code == 2 and "did you mean 'positions'?" in done.stderr
