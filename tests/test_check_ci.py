"""`policyx check` for people and for CI: where a quote differs, GitHub annotations, SARIF."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clirun import Outcome
from tests.conftest import UNIFORMS

Cli = Callable[..., Outcome]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_capital_letter_at_the_start_of_a_quote_is_located(cli: Cli, uniforms: Path) -> None:
    _edit(uniforms, "quote: bullying simply moves", "quote: Bullying simply moves")
    done = cli("check", str(uniforms))
    assert done.exit_code == 3
    assert ("argument 'bullying-moves': quote is not verbatim in source 'minutes': the quote has"
            " 'Bullying simply moves to' where the source has 'bullying simply moves to'"
            " (the case of a letter differs)") in done.stderr


def test_a_first_word_the_source_does_not_have_is_located(cli: Cli, uniforms: Path) -> None:
    _edit(uniforms, "quote: bullying simply moves", "quote: Then bullying simply moves")
    done = cli("check", str(uniforms))
    assert "quote is not verbatim in source 'minutes': the quote begins with 'Then' where the source" \
        " has 'that'" in done.stderr


@pytest.fixture
def broken(uniforms: Path) -> Path:
    """A knowledge base with one error (a changed quote) and its one warning."""
    _edit(uniforms, "over a school year", "over the, 100% school year")
    return uniforms


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def test_github_format_annotates_each_problem_on_its_line(cli: Cli, broken: Path) -> None:
    done = cli("check", str(broken), "--format", "github")
    assert done.exit_code == 3 and done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == (
        f"::warning file={broken},line={_line_of(broken, 'id: uniforms')},col=5,title=policyx check%3A uniforms::"
        "position 'uniforms' has no quote (add the source's words as 'quote')"
    )
    quote = _line_of(broken, "quote: Parents said")
    assert lines[1].startswith(f"::error file={broken},line={quote},col=12,title=policyx check%3A saves-money::")
    assert "%25" in lines[1]  # the data's % is escaped, so it cannot end or change the command
    assert lines[2] == f"invalid: {broken}: 1 error(s), 1 warning(s)"
    assert len(lines) == 3


def test_github_format_escapes_commas_and_colons_in_properties(cli: Cli, tmp_path: Path) -> None:
    odd = tmp_path / "a,b:c"
    shutil.copytree(UNIFORMS, odd)
    done = cli("check", str(odd / "debate.yaml"), "-f", "github")
    assert done.exit_code == 0
    assert done.stdout.startswith(f"::warning file={str(odd).replace(':', '%3A').replace(',', '%2C')}/debate.yaml,")


def test_sarif_format_is_one_sarif_run(cli: Cli, broken: Path) -> None:
    done = cli("check", str(broken), "--format", "sarif")
    assert done.exit_code == 3 and done.stderr == ""
    sarif = json.loads(done.stdout)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run,) = sarif["runs"]
    assert run["tool"]["driver"]["name"] == "policyx"
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 3}]
    levels = [(r["level"], r["ruleId"]) for r in run["results"]]
    assert levels == [("warning", "advice"), ("error", "invalid")] and {r for _, r in levels} <= rules
    error = run["results"][1]
    assert error["message"]["text"].startswith("argument 'saves-money': quote is not verbatim")
    assert error["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": broken.as_uri()},
        "region": {"startLine": _line_of(broken, "quote: Parents said"), "startColumn": 12}}}]
    assert error["properties"] == {"entry": "saves-money"}


def test_sarif_of_a_relative_path_is_a_relative_uri(cli: Cli, uniforms: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(uniforms.parent.parent)
    done = cli("check", "uniforms/debate.yaml", "-f", "sarif")
    assert done.exit_code == 0
    result = json.loads(done.stdout)["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "uniforms/debate.yaml"}


def test_the_ci_formats_complete_and_are_in_the_help(cli: Cli) -> None:
    shown = " ".join(cli("check", "--help").stdout.split())
    assert "github (GitHub Actions annotations)" in shown and "sarif (SARIF 2.1.0" in shown
    assert cli("check", "-f", "gihub").stderr.startswith("policyx: --format: 'gihub' is not a format of check"
                                                          " (did you mean 'github'?)")
