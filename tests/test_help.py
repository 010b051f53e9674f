"""Every command has a whole one-line summary and real examples in its --help."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from policyx.cli.app import app

COMMANDS = sorted(getattr(typer.main.get_command(app), "commands", {}))


def test_every_command_is_listed_with_a_whole_summary() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    listed = dict(re.findall(r"^  (\w+)\s{2,}(.+)$", result.stdout.split("Commands:")[1], re.M))
    assert sorted(listed) == COMMANDS
    for name, summary in listed.items():
        assert not summary.endswith("..."), f"{name}: summary cut: {summary!r}"


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_examples(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    examples = [line.strip() for line in result.stdout.split("Examples:")[1].splitlines() if line.strip()]
    assert any(line.startswith(f"policyx {name}") for line in examples), examples
