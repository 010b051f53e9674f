"""Outcomes are recorded, never invented: shown only where the knowledge base records one,
and a summary of agreement levels is labelled as derived from the knowledge base."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clirun import Outcome

Cli = Callable[..., Outcome]
ROOT = Path(__file__).resolve().parent.parent
UNIFORMS = ROOT / "docs" / "examples" / "uniforms" / "debate.yaml"


def test_the_uniforms_map_shows_the_recorded_outcome_not_an_invented_one(cli: Cli) -> None:
    # the minutes end "The council did not reach a decision."; the old map said "broad agreement"
    outline = cli("--kb", str(UNIFORMS), "map").stdout
    assert outline.splitlines()[0] == (
        "question require-uniforms: Should the school require uniforms? (outcome: No decision was reached.)")
    assert "broad agreement" not in outline
    handout = cli("--kb", str(UNIFORMS), "export", "-f", "markdown").stdout
    assert "**Outcome** (as the source records it): No decision was reached." in handout
    assert "> “The council did not reach a decision.”" in handout
    assert "**Outcome:** broad agreement" not in handout
    assert ("*How widely the positions were held (derived from the knowledge base, not an outcome the source"
            " records):* broad agreement on “Uniforms should not be required.”") in handout


@pytest.fixture
def no_outcome(tmp_path: Path) -> Path:
    """The uniforms debate with its outcome left out, and one actor holding both positions."""
    shutil.copytree(UNIFORMS.parent, tmp_path / "u")
    path = tmp_path / "u" / "debate.yaml"
    text = path.read_text(encoding="utf-8")
    recorded = ("    outcome: No decision was reached.\n", "    outcome_quote: The council did not reach a decision.\n",
                "    outcome_source: minutes\n")
    for line in recorded:
        assert line in text
        text = text.replace(line, "")
    text = text.replace("    held_by: [one-teacher, parents]\n    agreement: divided",
                        "    held_by: most-students\n    agreement: consensus")
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_recorded_outcome_none_is_shown(cli: Cli, no_outcome: Path) -> None:
    outline = cli("--kb", str(no_outcome), "map").stdout
    assert outline.splitlines()[0].endswith("(no outcome recorded)")
    assert "consensus and broad agreement" not in outline and "agreement" not in outline.splitlines()[0]
    handout = cli("--kb", str(no_outcome), "export", "-f", "markdown").stdout
    assert "**Outcome:** none recorded (the knowledge base records no outcome for this question)." in handout
    assert "consensus and broad agreement" not in handout
    assert "broad agreement on “Uniforms should not be required.”; consensus on “Uniforms should be required.”" \
        in handout
    table = cli("--kb", str(no_outcome), "show", "require-uniforms", "-f", "table").stdout
    assert [line.split(None, 1) for line in table.splitlines() if line.startswith("outcome")] == [
        ["outcome", "none recorded"]]
    page = cli("--kb", str(no_outcome), "export", "-f", "html").stdout
    assert '<p class="recorded-outcome"><strong>Outcome:</strong> none recorded in the knowledge base.</p>' in page
    assert "consensus and broad agreement" not in page


def test_show_of_a_question_gives_its_recorded_outcome(cli: Cli) -> None:
    rows = json.loads(cli("--kb", str(UNIFORMS), "show", "require-uniforms", "-f", "json").stdout)
    assert (rows[0]["outcome"], rows[0]["outcome_quote"], rows[0]["outcome_source"]) == (
        "No decision was reached.", "The council did not reach a decision.", "minutes")
    table = cli("--kb", str(UNIFORMS), "show", "require-uniforms", "-f", "table").stdout
    assert "outcome        No decision was reached." in table
    assert "outcome quote  “The council did not reach a decision.”" in table


def test_the_classroom_page_shows_the_recorded_outcome_with_its_quote(cli: Cli) -> None:
    page = cli("--kb", str(UNIFORMS), "export", "-f", "html").stdout
    assert ('<p class="recorded-outcome"><strong>Outcome</strong> (as the source records it):'
            " No decision was reached.</p>") in page
    assert "<p>“The council did not reach a decision.”</p>" in page


def _check(cli: Cli, path: Path) -> list[str]:
    done = cli("check", str(path))
    return [line for line in done.stderr.splitlines() if line.startswith(("warning", "error"))]


def test_check_warns_about_a_question_with_no_outcome_or_no_positions(cli: Cli, no_outcome: Path) -> None:
    text = no_outcome.read_text(encoding="utf-8")
    text = text.replace("questions:\n", "questions:\n  - id: lunch\n    text: Should lunch be longer?\n")
    no_outcome.write_text(text, encoding="utf-8")
    found = _check(cli, no_outcome)
    assert any("question 'lunch' has no positions (add the positions the source records" in line
               for line in found), found
    assert any("question 'require-uniforms' has no recorded outcome (if the source records what it came to" in line
               for line in found), found
    assert not any("question 'lunch' has no recorded outcome" in line for line in found)


def test_check_verifies_the_outcome_quote_and_wants_one(cli: Cli, tmp_path: Path) -> None:
    shutil.copytree(UNIFORMS.parent, tmp_path / "u")
    path = tmp_path / "u" / "debate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("The council did not reach a decision.", "The council reached a decision."),
                    encoding="utf-8")
    found = _check(cli, path)
    assert any("error:" in line and "question 'require-uniforms': outcome quote is not verbatim in source"
               " 'minutes'" in line for line in found), found
    path.write_text(text.replace("    outcome_quote: The council did not reach a decision.\n", ""), encoding="utf-8")
    assert any("question 'require-uniforms': its outcome has no quote" in line for line in _check(cli, path))
    path.write_text(text.replace("    outcome_source: minutes\n", ""), encoding="utf-8")
    done = cli("check", str(path))
    assert done.exit_code == 3
    assert "question 'require-uniforms': has 'outcome_quote' but no 'outcome_source'" in done.stderr
