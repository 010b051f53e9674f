"""Messages about the paths a user gives on the command line say what applies to them."""

from __future__ import annotations

from pathlib import Path

from tests.clirun import run_cli as cli


def test_diff_of_a_missing_file_does_not_suggest_kb_or_its_variable(tmp_path: Path) -> None:
    done = cli("diff", "data/positions.yaml", str(tmp_path / "missing.yaml"))
    assert done.exit_code == 3
    assert "missing.yaml: no such file (check the path)" in done.stderr
    assert "--kb" not in done.stderr and "POLICYX_KB" not in done.stderr


def test_export_to_an_empty_output_name_says_it_is_empty(tmp_path: Path) -> None:
    done = cli("export", "-f", "csv", "-o", "")
    assert done.exit_code == 2
    assert "--output is empty (''): give a file name" in done.stderr
    assert "folder" not in done.stderr and "Is a directory" not in done.stderr


def test_quote_prints_a_bundled_source_relative_not_the_package_s_absolute_path(
        tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "policyx", "quote", "criminalizing johns"], cwd=tmp_path,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
                          timeout=60)
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert first.startswith("sources/session-report.txt:13:"), first
    assert "/" + "data/" not in done.stdout and not first.startswith("/")


def test_a_duplicate_id_names_the_line_of_the_entry_that_has_it_first(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text("version: 1\nquestions:\n  - {id: q, text: Q?}\nactors:\n  - {id: a, name: A}\npositions:\n"
                  '  - {id: p, question: q, claim: "P.", held_by: [a], agreement: broad}\n'
                  '  - {id: p, question: q, claim: "P2.", held_by: [a], agreement: broad}\n', encoding="utf-8")
    done = cli("check", str(kb))
    assert done.exit_code == 3
    assert f"{kb}:8:10: position 'p': duplicate id, already used by position on line 7" in done.stdout + done.stderr
    assert "#1" not in done.stdout + done.stderr
