"""Time and memory stay linear in the input (docs/reference.md, "Limits").

These tests count the work done (bytes written, lookups made), never the time: the times are
in benchmarks/hardening.py. Each builds an input twice as large and checks that the work
doubles, or stays under a bound, where it used to grow with the square of the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from policyx.kb.load import load
from policyx.kb.model import KnowledgeBase
from policyx.output.cells import MAX_INDENT
from policyx.views.compare import compare

from .clirun import Outcome
from .conftest import write_kb
from .ptyrun import run_in_terminal

Cli = Callable[..., Outcome]


def chain(n: int) -> str:
    """A knowledge base of one position and a chain of n rebuttals, each answering the last."""
    lines = ["version: 1", "actors: [{id: x, name: X}]", "questions: [{id: q, text: Q?}]",
             "positions: [{id: p, question: q, claim: P., held_by: [x], agreement: broad}]", "arguments:",
             "  - {id: a1, claim: Claim 1., for: p, by: x}"]
    lines += [f"  - {{id: a{i}, claim: Claim {i}., against: a{i - 1}, by: x}}" for i in range(2, n + 1)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# 11. A deep chain of rebuttals: output linear, indentation capped, depth marked

DEEP_COMMANDS = {
    "show-table": ["show", "p", "-f", "table"],
    "show-markdown": ["show", "p", "-f", "markdown"],
    "map-plain": ["map", "--plain"],
    "map-tree": ["map"],  # on a terminal
    "export-markdown": ["export", "-f", "markdown"],
}


def _output(cli: Cli, tmp_path: Path, n: int, args: list[str]) -> str:
    path = write_kb(tmp_path, chain(n), name=f"chain-{n}.yaml")
    if args == ["map"]:
        seen = run_in_terminal("--kb", str(path), *args, env={"NO_COLOR": "1"}, columns=100)
        assert seen.exit_code == 0, seen.stderr
        return seen.screen
    result = cli("--kb", str(path), *args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("name", list(DEEP_COMMANDS))
def test_a_deep_chain_gives_output_linear_in_its_length(cli: Cli, tmp_path: Path, name: str) -> None:
    args = DEEP_COMMANDS[name]
    small = len(_output(cli, tmp_path, 200, args).encode())
    large = len(_output(cli, tmp_path, 400, args).encode())
    # twice the chain, twice the bytes (and a little more: the ids and the depths grow a digit);
    # indenting every level gave 3.5 times as much
    assert large <= 2.15 * small, (small, large)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" │├└─"))


@pytest.mark.parametrize("name", list(DEEP_COMMANDS))
def test_a_deep_chain_is_indented_to_max_indent_then_marked(cli: Cli, tmp_path: Path, name: str) -> None:
    lines = _output(cli, tmp_path, MAX_INDENT + 5, DEEP_COMMANDS[name]).splitlines()

    def line_of(depth: int) -> str:  # the first line naming the entry at this depth (its id or its claim)
        return next(line for line in lines if re.search(rf"\ba{depth}\b|Claim {depth}\.", line))

    indents = [_indent(line_of(depth)) for depth in range(1, MAX_INDENT + 6)]
    assert indents[:MAX_INDENT] == sorted(set(indents[:MAX_INDENT]))  # one level more each, down to the cap
    assert indents[MAX_INDENT:] == [indents[MAX_INDENT - 1]] * 5  # then no deeper
    for depth in range(1, MAX_INDENT + 6):  # and marked with their depth below it, only there
        assert (f"(depth {depth})" in line_of(depth)) == (depth > MAX_INDENT), line_of(depth)


# --------------------------------------------------------------------------
# 12. compare: the work grows with the sides, not with their square


class CountingKB(KnowledgeBase):
    """A knowledge base that counts the entries looked up in it."""

    lookups = 0

    def get(self, entry_id: str):  # type: ignore[no-untyped-def]
        type(self).lookups += 1
        return super().get(entry_id)


def _many_sides(n: int) -> str:
    lines = ["version: 1", "actors:"] + [f"  - {{id: x{i}, name: X{i}}}" for i in range(n)]
    lines += ["questions: [{id: q, text: Q?}]", "positions:"]
    lines += [f"  - {{id: p{i}, question: q, claim: P{i}., held_by: [x{i}], agreement: broad}}" for i in range(n)]
    lines += ["arguments:"] + [f"  - {{id: a{i}, claim: A{i}., against: p{(i + 1) % n}, by: x{i}}}" for i in range(n)]
    return "\n".join(lines) + "\n"


def _lookups(tmp_path: Path, n: int) -> tuple[int, dict[str, object]]:
    kb = load(write_kb(tmp_path, _many_sides(n), name=f"sides-{n}.yaml"))
    counting = CountingKB(path=kb.path, version=kb.version, sources=kb.sources, actors=kb.actors,
                          models=kb.models, questions=kb.questions, positions=kb.positions,
                          arguments=kb.arguments, title=kb.title)
    CountingKB.lookups = 0
    structure = compare(counting, [f"p{i}" for i in range(n)])
    return CountingKB.lookups, structure


def test_compare_of_many_ids_looks_up_each_attack_once(tmp_path: Path) -> None:
    small, structure = _lookups(tmp_path, 150)
    large, _ = _lookups(tmp_path, 300)
    # every side attacks the next one: one clash each, found without trying every pair of sides
    assert len(structure["clashes"]) == 150  # type: ignore[arg-type]
    assert [c["other"] for c in structure["clashes"][:2]] == ["p1", "p2"]  # type: ignore[index]
    assert large <= 2.1 * small, (small, large)  # comparing every pair made it 4x
    assert large < 10 * 300
