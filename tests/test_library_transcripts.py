"""A corpus as it ships: each AIF nodeset beside its transcript (NAME.json and NAME.txt). A forum's
transcript may have lines that read as Argdown ("[deleted]: words"): opened as a library, the folder
takes it for its nodeset's text, skipped with a note, as `policyx import` of the folder does, with
the Argdown CLI or policyx's own parser alike (the CLI refused the whole library, the parser made
a debate of one statement of it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.clirun import run_program

NODESETS = Path(__file__).resolve().parent / "fixtures" / "import" / "nodesets"
TRANSCRIPT = ('[deleted]: <span class="highlighted" id="node1">Sanders is a broken record</span><br>'
              'Zeno84: <span class="highlighted" id="node6">Every candidate is</span>.<br>\n')
ARGDOWN = "[Ban]: Phones should be banned in lessons.\n  + <Distraction>: Phones distract pupils.\n"


@pytest.mark.parametrize("reader", ["builtin", None], ids=["policyx's parser", "the Argdown CLI if installed"])
def test_a_transcript_beside_its_nodeset_is_its_text(tmp_path: Path, reader: str | None) -> None:
    shutil.copy(NODESETS / "nodeset9.json", tmp_path / "nodeset9.json")
    (tmp_path / "nodeset9.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "notes.txt").write_text(ARGDOWN, encoding="utf-8")  # Argdown with no nodeset beside it
    env = {"POLICYX_ARGDOWN": reader} if reader else {}
    done = run_program(["--kb", str(tmp_path), "--no-cache", "list", "kbs", "-f", "ids"], env=env)
    assert done.exit_code == 0, done.stderr
    assert done.stdout.split() == ["nodeset9", "notes"]
    assert f"skipped {tmp_path / 'nodeset9.txt'} (the text of the nodeset nodeset9.json beside it" in done.stderr


def test_given_alone_the_transcript_is_still_no_debate(tmp_path: Path) -> None:
    shutil.copy(NODESETS / "nodeset9.json", tmp_path / "nodeset9.json")
    (tmp_path / "nodeset9.txt").write_text(TRANSCRIPT, encoding="utf-8")
    done = run_program(["--kb", str(tmp_path / "nodeset9.txt"), "--no-cache", "list", "kbs"],
                       env={"POLICYX_ARGDOWN": "builtin"})
    assert done.exit_code == 3 and "Traceback" not in done.stderr
    assert done.stderr == (f"policyx: {tmp_path / 'nodeset9.txt'}: is the text of the nodeset nodeset9.json beside it,"
                           " not an Argdown document (give nodeset9.json, its argument data (an Argdown document"
                           " is read as one when named .argdown))\n")
