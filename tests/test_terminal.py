"""What a user sees on a real terminal: the program run on a pseudo-terminal (pty), not CliRunner.

Colour only when it should be, none with --no-color, NO_COLOR or TERM=dumb; FORCE_COLOR
colours even a pipe; a long listing goes through $PAGER when both stdin and stdout are
a terminal, and straight to the terminal with --no-pager.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from policyx.kb.load import bundled_path
from tests.clirun import run_program

BUNDLED = str(bundled_path())
COMMANDS = {
    "list": ["list"],
    "show": ["show", "criminalize-johns"],
    "compare": ["compare", "criminalize-johns", "do-not-criminalize-johns"],
    "search": ["search", "johns"],
    "map": ["map"],
}


def _environ(extra: dict[str, str], cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "PAGER", "POLICYX_PAGER", "POLICYX_NO_FASTPATH", "POLICYX_KB",
                        "COLUMNS", "LINES", "TERM")}
    env.update({"TERM": "xterm-256color", "XDG_CACHE_HOME": str(cache), **extra})
    return env


def on_terminal(argv: list[str], env: dict[str, str], *, stdin_terminal: bool = False) -> tuple[bytes, int]:
    """Run policyx with stdout (and stderr, and with ``stdin_terminal`` stdin) on a pty of
    100 x 24; what the terminal received, and the exit status."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "policyx", *argv], env=env, stdout=slave, stderr=slave,
        stdin=slave if stdin_terminal else subprocess.DEVNULL, close_fds=True,
    )
    os.close(slave)
    received = b""
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # the other side closed (Linux: EIO)
                break
            if not data:
                break
            received += data
    finally:
        os.close(master)
    return received, process.wait(timeout=60)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


#: the ways of turning colour off: an option after the command or before it, or the environment
COLOUR_OFF: tuple[tuple[bool, bool, dict[str, str]], ...] = (
    (True, False, {}),                                 # COMMAND ... --no-color
    (False, True, {}),                                 # --no-color COMMAND ...
    (False, False, {"NO_COLOR": "1"}),
    (False, False, {"TERM": "dumb"}),
    (False, False, {"NO_COLOR": "1", "FORCE_COLOR": "1"}),
)


@pytest.mark.parametrize("fastpath", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_escape_code_when_colour_is_off(command: str, fastpath: bool, cache: Path) -> None:
    path = {} if fastpath else {"POLICYX_NO_FASTPATH": "1"}
    coloured, status = on_terminal(COMMANDS[command], _environ(path, cache))
    assert status == 0, coloured
    assert b"\x1b[" in coloured  # on a terminal, by default: colour and styles
    # Each command is drawn without colour in two of the ways, in turn, so that every way meets
    # every path and two commands; all five ways for each of the five commands was 50 runs.
    at = list(COMMANDS).index(command)
    for after, before, extra in (COLOUR_OFF[at], COLOUR_OFF[(at + 1) % len(COLOUR_OFF)]):
        argv = [*(["--no-color"] if before else []), *COMMANDS[command], *(["--no-color"] if after else [])]
        out, status = on_terminal(argv, _environ({**path, **extra}, cache))
        assert status == 0, out
        assert b"\x1b" not in out, (argv, extra, out[:200])
        assert len(out.splitlines()) > 3  # the same output, drawn without colour


@pytest.mark.parametrize("fastpath", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize("command", ["list", "show", "compare", "search"])
def test_force_color_colours_a_pipe(command: str, fastpath: bool) -> None:
    # Not a terminal, so no pseudo-terminal and no new process: the program's entry point in-process
    # (fast path, then Typer) with stdout captured, which is not a terminal, as a pipe is not.
    env = {"TERM": "xterm-256color", **({} if fastpath else {"POLICYX_NO_FASTPATH": "1"})}
    plain = run_program([*COMMANDS[command], "-f", "table"], env=env)
    forced = run_program([*COMMANDS[command], "-f", "table"], env={**env, "FORCE_COLOR": "1"})
    assert plain.exit_code == forced.exit_code == 0, (plain.stderr, forced.stderr)
    assert "\x1b" not in plain.stdout
    assert "\x1b[" in forced.stdout


PAGER_SCRIPT = """\
import sys
from pathlib import Path
Path(sys.argv[1]).write_bytes(sys.stdin.buffer.read())
"""


@pytest.mark.parametrize("fastpath", [True, False], ids=["fast", "typer"])
def test_a_long_listing_goes_through_the_pager(fastpath: bool, cache: Path, tmp_path: Path) -> None:
    script = tmp_path / "pager.py"
    script.write_text(PAGER_SCRIPT, encoding="utf-8")
    paged = tmp_path / "paged.txt"
    path = {} if fastpath else {"POLICYX_NO_FASTPATH": "1"}
    env = _environ({"PAGER": f"{sys.executable} {script} {paged}", **path}, cache)
    argv = ["list", "arguments"]  # about 90 lines: longer than the 24-line terminal
    shown, status = on_terminal(argv, env, stdin_terminal=True)
    assert status == 0
    assert paged.exists(), shown[:300]
    text = paged.read_text(encoding="utf-8")
    assert "johns-help-escape" in text and "\x1b[" in text  # the coloured table, whole, to the pager
    assert len(text.splitlines()) > 24
    assert b"johns-help-escape" not in shown  # and not to the terminal
    paged.unlink()
    shown, status = on_terminal([*argv, "--no-pager"], env, stdin_terminal=True)
    assert status == 0
    assert not paged.exists()
    assert b"johns-help-escape" in shown


def test_short_output_and_a_pipe_skip_the_pager(cache: Path, tmp_path: Path) -> None:
    script = tmp_path / "pager.py"
    script.write_text(PAGER_SCRIPT, encoding="utf-8")
    paged = tmp_path / "paged.txt"
    env = _environ({"PAGER": f"{sys.executable} {script} {paged}"}, cache)
    shown, status = on_terminal(["list", "questions"], env, stdin_terminal=True)  # fits on the screen
    assert status == 0 and not paged.exists()
    assert b"trafficking-bifurcation" in shown
    done = subprocess.run([sys.executable, "-m", "policyx", "list", "arguments", "-f", "table"],
                          capture_output=True, env=env, check=True)
    assert not paged.exists() and b"johns-help-escape" in done.stdout
