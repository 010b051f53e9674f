"""Every command policyx prints for the user to run keeps the options in use (--kb, --sources)
and is quoted for the shell: pasted as printed, it runs (policyx.kb.hints.command)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clirun import run_cli as cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def spaced(tmp_path: Path) -> Path:
    """The uniforms example in a folder whose name needs quoting in a shell."""
    folder = tmp_path / "my debates (2026)"
    shutil.copytree(ROOT / "docs" / "examples" / "uniforms", folder)
    return folder / "debate.yaml"


def _pasted(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``line`` run by bash as if pasted, ``policyx`` being this checkout's."""
    env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "NO_COLOR", "FORCE_COLOR")}
    bindir = cwd / "bin"
    bindir.mkdir(exist_ok=True)
    (bindir / "policyx").write_text(f'#!/bin/sh\nexec {sys.executable} -m policyx "$@"\n', encoding="utf-8")
    (bindir / "policyx").chmod(0o755)
    env["PATH"] = f"{bindir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_quiz_read_more_keeps_kb_and_runs_when_pasted(spaced: Path, tmp_path: Path) -> None:
    done = cli("--kb", str(spaced), "quiz", "--count", "1", "--seed", "3", input="9\n")
    line = re.search(r"read more: (.*)", done.stdout)
    assert line is not None, done.stdout
    assert line.group(1).startswith(f"policyx --kb '{spaced}' show ")
    shown = _pasted(line.group(1), tmp_path)
    assert shown.returncode == 0 and shown.stdout, shown.stderr


def test_quiz_sheet_commands_keep_kb(spaced: Path, tmp_path: Path) -> None:
    sheet = cli("--kb", str(spaced), "quiz", "--print", "--count", "2", "--seed", "5").stdout
    again = re.search(r"\(`(policyx [^`]*)` prints this quiz again", sheet)
    assert again is not None and f"--kb '{spaced}'" in again.group(1)
    assert _pasted(again.group(1), tmp_path).stdout == sheet  # the same quiz, as promised
    for more in re.findall(r"read more: `(policyx [^`]*)`", sheet):
        assert _pasted(more, tmp_path).returncode == 0


def test_list_hints_keep_kb_and_sources(spaced: Path, tmp_path: Path) -> None:
    done = cli("--kb", str(spaced), "--sources", str(spaced.parent / "sources"), "list", "--tag", "nosuch")
    assert done.exit_code == 1
    hint = re.search(r"see `(policyx [^`]*)`", done.stderr)
    assert hint is not None
    assert hint.group(1) == (f"policyx --kb '{spaced}' --sources '{spaced.parent / 'sources'}' list tags")
    assert _pasted(hint.group(1), tmp_path).returncode == 0


def test_a_new_run_does_not_inherit_the_last_runs_options(spaced: Path) -> None:
    cli("--kb", str(spaced), "list", "--tag", "nosuch")
    done = cli("list", "--tag", "nosuch-either")
    assert "see `policyx list tags`" in done.stderr


def test_views_and_the_domain_spell_options_as_the_command_lines_table_says(tmp_path: Path) -> None:
    """Renaming an option in cli/options.py renames it in every message: the views and the domain
    name it by key (policyx.kb.hints.option), and the spelling comes from the table."""
    from policyx.cli.options import SPELLINGS
    from policyx.kb import hints
    from policyx.kb.errors import UsageError
    from policyx.kb.load import load
    from policyx.kb.safewrite import judge
    from policyx.views.listing import Filters, list_listing

    kb = load(ROOT / "docs" / "examples" / "uniforms" / "debate.yaml")
    (tmp_path / "mine.txt").write_text("not policyx's\n", encoding="utf-8")
    hints.use_spellings({**SPELLINGS, "deep": "--whole-tree", "for_": "--supporting", "force": "--clobber",
                         "output": "--to"})
    with pytest.raises(UsageError, match=r"^--whole-tree needs --supporting ID or --against ID$"):
        list_listing(kb, "arguments", Filters(deep=True))
    with pytest.raises(UsageError, match=r"^--to .*mine\.txt already exists .* or add --clobber to replace it$"):
        judge(tmp_path / "mine.txt")
    hints.use_spellings(SPELLINGS)
    with pytest.raises(UsageError, match=r"^--deep needs --for ID or --against ID$"):
        list_listing(kb, "arguments", Filters(deep=True))


def test_printed_commands_repeat_the_runs_options_and_may_leave_out_its_knowledge_bases() -> None:
    from policyx.kb import hints

    hints.use_options([("kb", ("--kb", "a b.yaml")), ("kb", ("--kb", "c.yaml")), ("sources", ("--sources", "s"))])
    assert hints.command("show", "x") == "policyx --kb 'a b.yaml' --kb c.yaml --sources s show x"
    assert hints.command("check", "f.yaml", kb=False) == "policyx --sources s check f.yaml"
    assert hints.command("list", options=False) == "policyx list"


def _misquoted(spaced: Path) -> Path:
    """``spaced`` with one quote that is not in its source."""
    text = spaced.read_text(encoding="utf-8")
    spaced.write_text(text.replace("and should not be required.", "and must go at once."), encoding="utf-8")
    return spaced


def test_handout_commands_keep_kb_and_run_when_pasted(spaced: Path, tmp_path: Path) -> None:
    page = cli("--kb", str(_misquoted(spaced)), "export", "-f", "markdown", "--standing").stdout
    standing = re.search(r"see `(policyx [^`]*)`\)", page)
    check = re.search(r"`(policyx [^`]*)` shows where", page)
    assert standing is not None and check is not None, page
    assert standing.group(1) == f"policyx --kb '{spaced}' standing"
    assert check.group(1) == f"policyx --kb '{spaced}' check"
    assert _pasted(standing.group(1), tmp_path).returncode == 0
    checked = _pasted(check.group(1), tmp_path)
    assert checked.returncode == 3 and "verbatim" in checked.stdout + checked.stderr  # 3: problems found


def test_info_check_hint_keeps_kb(spaced: Path) -> None:
    done = cli("--kb", str(_misquoted(spaced)), "info")
    assert f"(policyx --kb '{spaced}' check shows where)" in done.stdout, done.stdout


@pytest.mark.parametrize(("fmt", "made"), [
    ("html", "Made with <code>policyx --kb &#x27;{kb}&#x27; export --format html --standing</code>"),
    ("dot", "// policyx --kb '{kb}' export --format dot: "),
    ("mermaid", "%% policyx --kb '{kb}' export --format mermaid: "),
    ("argdown", "// policyx --kb '{kb}' export --format argdown: "),
    ("yaml", "# policyx knowledge base, schema version 1 (written by `policyx --kb '{kb}' export --format yaml`).\n"),
])
def test_export_headers_say_the_command_with_its_kb(spaced: Path, fmt: str, made: str) -> None:
    extra = ("--standing",) if fmt == "html" else ()
    done = cli("--kb", str(spaced), "export", "-f", fmt, *extra)
    assert done.exit_code == 0 and made.format(kb=spaced) in done.stdout


@pytest.mark.parametrize(("fmt", "made"), [
    ("html", "Made with <code>policyx --kb &#x27;{kb}&#x27; export --format html --question {q} --tag {t} --standing"
             "</code>"),
    ("dot", "// policyx --kb '{kb}' export --format dot --question {q} --tag {t} --standing: "),
    ("mermaid", "%% policyx --kb '{kb}' export --format mermaid --question {q} --tag {t} --standing: "),
    ("argdown", "// policyx --kb '{kb}' export --format argdown --question {q} --tag {t}: "),
    ("yaml", "(written by `policyx --kb '{kb}' export --format yaml --question {q} --tag {t}`).\n"),
])
def test_the_header_of_a_part_of_the_debate_says_what_chose_it(spaced: Path, fmt: str, made: str) -> None:
    """A file exported with --question or --tag holds part of the debate: its header's command
    makes that part again, pasted (and --standing, where it drew the labels)."""
    question = cli("--kb", str(spaced), "list", "questions", "-f", "ids").stdout.split()[0]
    tag = cli("--kb", str(spaced), "list", "tags", "-f", "ids").stdout.split()[0]
    standing = ("--standing",) if fmt in ("html", "dot", "mermaid") else ()
    done = cli("--kb", str(spaced), "export", "-f", fmt, "-q", question, "-t", tag, *standing, "-o", "-")
    assert done.exit_code == 0, done.stderr
    assert made.format(kb=spaced, q=question, t=tag) in done.stdout, done.stdout[:400]
    whole = cli("--kb", str(spaced), "export", "-f", fmt, *standing, "-o", "-")
    assert whole.exit_code == 0 and "--question" not in whole.stdout and "--tag" not in whole.stdout


def test_import_of_a_knowledge_base_says_how_to_use_it_quoted(spaced: Path, tmp_path: Path) -> None:
    done = cli("import", str(spaced), "-o", str(tmp_path / "out.yaml"))
    hint = re.search(r"use it directly: (policyx .*)\)$", done.stderr)
    assert done.exit_code != 0 and hint is not None, done.stderr
    assert hint.group(1) == f"policyx --kb '{spaced}' list"
    assert _pasted(hint.group(1), tmp_path).returncode == 0


def test_init_s_commands_work_pasted_where_it_says(tmp_path: Path) -> None:
    """The starter file's comments are read in its folder; the message, where init was run."""
    folder = tmp_path / "my debates (2026)"
    (folder / "kb").mkdir(parents=True)
    (folder / "minutes.txt").write_text("Council minutes. Phones distract pupils.\n", encoding="utf-8")
    done = _pasted("policyx init 'my debates (2026)/minutes.txt' -o 'my debates (2026)/kb/de bate.yaml'", tmp_path)
    said = re.search(r"check it with: (policyx .*)", done.stderr)
    assert done.returncode == 0 and said is not None, done.stderr
    assert _pasted(said.group(1), tmp_path).returncode == 0
    text = (folder / "kb" / "de bate.yaml").read_text(encoding="utf-8")
    check = re.search(r"Run `(policyx [^`]*)`", text)
    quote = re.search(r"# `(policyx [^`]*) WORDS`", text)
    assert check is not None and check.group(1) == "policyx check 'de bate.yaml'", text
    assert quote is not None and quote.group(1) == "policyx --kb 'de bate.yaml' quote", text
    assert _pasted(check.group(1), folder / "kb").returncode == 0
    found = _pasted(f"{quote.group(1)} Phones", folder / "kb")
    assert found.returncode == 0 and "Phones" in found.stdout, found.stderr


def test_an_imported_file_s_header_says_how_to_check_it_in_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "my debates (2026)"
    folder.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "import" / "kialo-theses.txt", folder)
    done = cli("import", str(folder / "kialo-theses.txt"), "-o", str(folder / "my kb.yaml"))
    assert done.exit_code == 0, done.stderr
    header = re.search(r"# \(`(policyx [^`]*)` verifies them\)", (folder / "my kb.yaml").read_text(encoding="utf-8"))
    assert header is not None and header.group(1) == "policyx check 'my kb.yaml'"
    assert _pasted(header.group(1), folder).returncode == 0


def test_the_not_verbatim_warning_of_a_library_names_a_check_that_runs(spaced: Path, tmp_path: Path) -> None:
    """Two --kb: the warning's command checks both (not one file named 'a.yaml, b.yaml')."""
    other = spaced.parent / "reviewed.yaml"
    done = cli("--kb", str(_misquoted(spaced)), "--kb", str(other), "list", "-f", "json")
    hint = re.search(r"\(`(policyx [^`]*)` shows where\)", done.stderr)
    assert hint is not None, done.stderr
    assert hint.group(1) == f"policyx --kb '{spaced}' --kb '{other}' check"
    checked = _pasted(hint.group(1), tmp_path)
    assert checked.returncode == 3 and "must go at once" in checked.stdout + checked.stderr
