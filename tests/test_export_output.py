"""`export -o FILE` never replaces a file policyx did not write without --force (docs/files.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clirun import Outcome

Cli = Callable[..., Outcome]


@pytest.mark.parametrize(("name", "fmt"), [
    ("notes.txt", "html"),            # a source text, a teacher's notes
    ("debate.yaml", "markdown"),      # a knowledge base
    ("handout.md", "dot"),            # another export
    ("README", "markdown"),           # a name that says nothing of its kind
])
def test_a_file_of_another_kind_is_not_replaced(cli: Cli, tmp_path: Path, name: str, fmt: str) -> None:
    existing = tmp_path / name
    existing.write_text("someone's words\n", encoding="utf-8")
    done = cli("export", "-f", fmt, "-o", str(existing))
    assert done.exit_code == 2 and done.stdout == ""
    assert done.stderr.startswith(f"policyx: --output {existing} already exists and is not an unchanged output"
                                  " of `policyx export`")
    assert "add --force to replace it" in done.stderr
    assert existing.read_text(encoding="utf-8") == "someone's words\n"
    forced = cli("export", "-f", fmt, "-o", str(existing), "--force")
    assert forced.exit_code == 0 and existing.read_text(encoding="utf-8") != "someone's words\n"


@pytest.mark.parametrize(("name", "fmt"), [
    ("handout.md", "markdown"), ("page.HTML", "html"), ("debate.gv", "dot"), ("data.json", "aif"),
    ("kb.yml", "yaml"), ("new-file.txt", "csv"),  # a new file: any name
])
def test_an_earlier_export_or_a_new_file_is_written(cli: Cli, tmp_path: Path, name: str, fmt: str) -> None:
    target = tmp_path / name
    if name != "new-file.txt":
        assert cli("export", "-f", "markdown", "-o", str(target)).exit_code == 0  # an older export, unchanged
    done = cli("export", "-f", fmt, "-o", str(target))
    assert done.exit_code == 0, done.stderr
    assert done.stderr.startswith(f"wrote {target} ({fmt})")


def test_an_empty_file_and_a_device_are_not_files_of_another_kind(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "made-by-mktemp"
    empty.touch()
    assert cli("export", "-f", "markdown", "-o", str(empty)).exit_code == 0
    assert cli("export", "-f", "markdown", "-o", "/dev/null").exit_code == 0
