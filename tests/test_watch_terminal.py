"""`policyx check --watch` on a real pseudo-terminal: each run stands apart (a cleared screen,
the time) and long messages wrap between words, never inside one."""

from __future__ import annotations

import os
import re
import select
import sys
from pathlib import Path

from tests.terminal import Terminal

CLEAR = "\x1b[H\x1b[2J"
NO_QUOTE = "position 'uniforms' has no quote (add the source's words as 'quote')"


#: policyx, whose watcher writes a byte to the file descriptor argv[1] each time it pauses: it
#: has looked at the files by then, so a save from then on is a change it will see. (A save made
#: before its first look goes unnoticed: the tests waited seconds for a run that never came, then
#: saved again.)
TELLING = """
import os, sys
import policyx.cli.watching as watching
told, pause = int(sys.argv.pop(1)), watching.pause
def pause_and_tell(seconds: float = watching.INTERVAL) -> bool:
    os.write(told, b".")
    return pause(seconds)
watching.pause = pause_and_tell
from policyx.__main__ import main
main()
"""


def _watch(kb: Path, env: dict[str, str]) -> str:
    looked, tell = os.pipe()
    try:
        terminal = Terminal(["check", kb.name, "--watch"], {"NO_COLOR": "1", "LANG": "C", **env}, size=(50, 30),
                            cwd=kb.parent, program=(sys.executable, "-c", TELLING, str(tell)), pass_fds=(tell,))
    finally:
        os.close(tell)  # the program's alone now
    try:
        terminal.expect("ok:")
        terminal.expect("warning(s)")
        assert select.select([looked], [], [], 60)[0] and os.read(looked, 1) == b".", terminal.output
        with kb.open("a", encoding="utf-8") as out:
            out.write("# saved\n")
        terminal.expect("checking again")
        terminal.expect("warning(s)")  # the second report
        terminal.interrupt()
        assert terminal.finish() == 130
    finally:
        os.close(looked)
    return terminal.output


def _lines_fit(shown: str, width: int) -> None:
    for line in shown.replace(CLEAR, "\n").splitlines():
        # a line is never wider than the terminal, unless it is one word (a path) too long for it
        assert len(line) <= width or " " not in line.strip(), line


def test_each_run_starts_on_a_cleared_screen_under_the_time(uniforms: Path) -> None:
    shown = _watch(uniforms, {"TERM": "xterm-256color"})
    first, again = shown.split(CLEAR)  # one clear: before the second run
    assert re.match(r"\[\d\d:\d\d:\d\d\] watching ", first)
    assert re.match(r"\[\d\d:\d\d:\d\d\] debate\.yaml or one of its sources\n  changed: checking", again)
    for run in (first, again):
        words = " ".join(run.split())  # the message, as the terminal's lines read one after another
        assert NO_QUOTE in words and words.count("ok: ") == 1
    _lines_fit(shown, 50)


def test_on_a_dumb_terminal_runs_are_apart_without_escape_codes(uniforms: Path) -> None:
    shown = _watch(uniforms, {"TERM": "dumb"})
    assert "\x1b" not in shown.replace("\x1b[", "")  # no clear (an escape at all)
    assert "\x1b" not in shown
    assert re.search(r"warning\(s\)\n\n\[\d\d:\d\d:\d\d\] ", shown)  # an empty line, then the time
    _lines_fit(shown, 50)
    assert NO_QUOTE in " ".join(shown.split())
