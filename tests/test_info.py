"""`policyx info` on a knowledge base it found but cannot read: it still says which files and
what chose them, then the problem on stderr, and exits 3 (the knowledge base cannot be read)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clirun import run_cli as cli
from tests.test_project import _run

BROKEN = "version: 1\nquestions: [\n"


def test_a_broken_kb_given_with_kb_is_reported_with_where_it_came_from(tmp_path: Path) -> None:
    kb = tmp_path / "broken.yaml"
    kb.write_text(BROKEN, encoding="utf-8")
    done = cli("--kb", str(kb), "info")
    assert done.exit_code == 3
    assert f"knowledge base  {kb} (given with --kb)\n" in done.stdout
    assert done.stdout.endswith("problem         it cannot be read (below, on stderr)\n")
    assert "broken.yaml:2:" in done.stderr and "unclosed '['" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_kb_from_policyx_kb_in_json_holds_the_problem(tmp_path: Path) -> None:
    kb = tmp_path / "broken.yaml"
    kb.write_text(BROKEN, encoding="utf-8")
    done = cli("info", "-f", "json", env={"POLICYX_KB": str(kb)})
    assert done.exit_code == 3
    found = json.loads(done.stdout)
    assert found["path"] == str(kb) and found["origin"] == "given with $POLICYX_KB"
    assert "unclosed '['" in found["problem"] and "unclosed '['" in done.stderr


def test_a_missing_file_the_project_file_names_is_reported_with_the_project_file(tmp_path: Path) -> None:
    folder = tmp_path / "debate"  # below HOME, where project files are looked for
    folder.mkdir()
    (folder / "policyx.toml").write_text('kb = ["missing.yaml"]\n', encoding="utf-8")
    done = _run(folder, "info", home=tmp_path)
    assert done.returncode == 3
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"knowledge base  {folder / 'missing.yaml'} (named by the project file ")
    assert lines[1] == f"project         {folder / 'policyx.toml'}"
    assert "missing.yaml: no such file" in done.stderr and "policyx.toml" in done.stderr


def test_a_broken_kb_named_by_config_toml_is_said_to_come_from_it(tmp_path: Path) -> None:
    kb = tmp_path / "broken.yaml"
    kb.write_text(BROKEN, encoding="utf-8")
    (tmp_path / "config" / "policyx").mkdir(parents=True)
    config = tmp_path / "config" / "policyx" / "config.toml"
    config.write_text(f'library = "{kb}"\n', encoding="utf-8")
    done = cli("info", env={"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)})
    assert done.exit_code == 3
    assert done.stdout.splitlines()[0] == f"knowledge base  {kb} (the library of {config})"
    assert f"named by 'library' in {config}" in done.stderr
