"""The Markdown handout's sentences, as a teacher prints them."""

from __future__ import annotations

from pathlib import Path

from tests.clirun import run_cli as cli

NO_MODELS = """\
version: 1
title: A small debate
actors:
  - {id: a, name: Ann}
  - {id: b, name: Bo}
questions:
  - {id: q, text: Should towns plant more trees?}
positions:
  - {id: p, question: q, claim: "Towns should plant more trees.", held_by: [a, b], agreement: broad}
"""


def test_the_handout_ends_a_quoted_claim_once_and_names_no_legal_models_a_debate_lacks(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text(NO_MODELS, encoding="utf-8")
    done = cli("--kb", str(kb), "export", "-f", "markdown")
    assert done.exit_code == 0, done.stderr
    assert "broad agreement on “Towns should plant more trees.”\n" in done.stdout
    assert "”." not in done.stdout
    assert "legal model" not in done.stdout
    assert "Tags and claim types are an *interpretation* added for teaching" in done.stdout


def test_the_bundled_handout_still_names_its_legal_models() -> None:
    done = cli("export", "-f", "markdown")
    assert "the legal models at the end are an *interpretation*" in done.stdout
    assert "”." not in done.stdout
