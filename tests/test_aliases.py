"""The aliases for teachers (docs/guide.md) do what their names say, and compose with more options."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clirun import Outcome

README = Path(__file__).resolve().parent.parent / "docs" / "guide.md"
_BLOCK = re.search(r"Ready-made aliases.*?```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
assert _BLOCK is not None, "docs/guide.md has no block of aliases for teachers"
ALIASES: dict[str, list[str]] = {
    name: shlex.split(command)[1:]
    for name, command in re.findall(r"^alias (\w+)='([^']*)'$", _BLOCK.group(1), re.M)
}

Cli = Callable[..., Outcome]


def test_every_alias_is_one_policyx_command_line() -> None:
    assert len(ALIASES) >= 6
    block = _BLOCK.group(1) if _BLOCK else ""
    assert "|" not in block and "jq" not in block  # so that each composes with more options


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_every_alias_runs(cli: Cli, name: str) -> None:
    done = cli(*ALIASES[name])
    assert done.exit_code == 0, done.stderr
    assert done.stdout


def test_handout_is_the_printable_handout(cli: Cli) -> None:
    done = cli(*ALIASES["handout"], "-q", "criminalizing-johns")
    assert done.exit_code == 0
    assert "How to read this handout" in done.stdout and done.stdout.startswith("# ")


def test_unanswered_lists_the_objections_nobody_answered(cli: Cli) -> None:
    done = cli(*ALIASES["unanswered"], "-q", "criminalizing-johns", "-f", "ids")
    assert done.stdout.split() == ["johns-dangerous-for-girls", "johns-focus-hides-problem"]


def test_facts_widened_with_its_own_filter(cli: Cli) -> None:
    facts = cli(*ALIASES["facts"], "-f", "ids").stdout.split()
    values = cli(*ALIASES["values"], "-f", "ids").stdout.split()
    both = cli(*ALIASES["facts"], "--type", "normative", "-f", "ids").stdout.split()
    assert set(both) == set(facts) | set(values) and facts and values
