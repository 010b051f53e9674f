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
