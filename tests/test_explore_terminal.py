"""`policyx explore` on a real pseudo-terminal: start, search, quit, as a user at a terminal."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time

_ESCAPE = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


class Terminal:
    """A pseudo-terminal (100x30 unless told) with policyx explore running in it."""

    def __init__(self, *args: str, term: str = "xterm-256color", size: tuple[int, int] = (100, 30)) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {k: v for k, v in os.environ.items()
               if k not in ("POLICYX_KB", "NO_COLOR", "COLUMNS", "LINES", "COLORTERM", "TEXTUAL_COLOR_SYSTEM")}
        env["TERM"] = term
        self.process = subprocess.Popen([sys.executable, "-m", "policyx", "explore", *args], stdin=slave,
                                        stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.raw = b""
        #: what was drawn before ``raw`` was emptied (to wait for what comes next)
        self.raw_seen = b""

    def text(self) -> str:
        """What was drawn so far, escape sequences taken out."""
        return _ESCAPE.sub("", self.raw.decode("utf-8", "replace"))

    def wait_for(self, wanted: str, timeout: float = 60) -> str:
        """Read the terminal until ``wanted`` is drawn; fail with what was drawn if it never is."""
        deadline = time.monotonic() + timeout
        while wanted not in self.text():
            left = deadline - time.monotonic()
            assert left > 0, f"{wanted!r} never drawn; drawn: {self.text()[-2000:]!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:
                    chunk = b""
                assert chunk, f"the terminal closed before {wanted!r} was drawn: {self.text()[-2000:]!r}"
                self.raw += chunk
        return self.text()

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.raw += os.read(self.master, 1 << 16)
                except OSError:
                    break
        code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        os.close(self.master)
        return code


def test_start_search_and_quit_on_a_terminal() -> None:
    terminal = Terminal()
    try:
        terminal.wait_for("trafficking-bifurcation")
        terminal.wait_for("? Help")  # the footer
        terminal.raw = b""
        terminal.type("/")
        terminal.wait_for("Enter keeps the matches")  # the search box is open (a user sees it, then types)
        terminal.type("buyers")
        terminal.wait_for("match 1 of 3")
        terminal.raw = b""
        terminal.type("\r")  # keep the matches, back in the tree: the footer shows the tree's keys again
        terminal.wait_for("Compare")
        terminal.type("n")
        terminal.wait_for("match 2 of 3")
        terminal.type("q")
        code = terminal.finish()
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    assert code == 0
    drawn = terminal.raw.decode("utf-8", "replace")
    assert "\x1b[?1049l" in drawn  # the terminal's own screen is given back
    assert "Traceback" not in terminal.text()


#: a colour in an SGR sequence: 38/48;5;N (256 colours) or 38/48;2;R;G;B (true colour)
_MANY_COLOURS = re.compile(r"\x1b\[[0-9;]*(?:38|48);[25];")
#: the 16 colours' own codes: foreground 30-37, 90-97, background 40-47, 100-107
_SIXTEEN = re.compile(r"\x1b\[(?:[0-9]+;)*(?:3[0-7]|4[0-7]|9[0-7]|10[0-7])(?:;[0-9]+)*m")


def test_on_a_terminal_of_16_colours_at_80x24() -> None:
    """TERM=xterm (no COLORTERM): 16 colours. Every colour is drawn with the 16 colours' own codes,
    and the explorer works as on any other terminal: start, search, quit."""
    terminal = Terminal(term="xterm", size=(80, 24))
    try:
        terminal.wait_for("trafficking-bifurcation")
        terminal.wait_for("? Help")
        terminal.type("/")
        terminal.wait_for("Enter keeps the matches")
        terminal.type("buyers")
        terminal.wait_for("match 1 of 3")
        terminal.raw_seen, terminal.raw = terminal.raw, b""
        terminal.type("\r")  # back in the tree (its footer), where q quits
        terminal.wait_for("Compare")
        terminal.type("q")
        code = terminal.finish()
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    assert code == 0
    drawn = (terminal.raw_seen + terminal.raw).decode("utf-8", "replace")
    assert _SIXTEEN.search(drawn)  # in colour...
    assert not _MANY_COLOURS.search(drawn)  # ...of the 16 alone


ESCAPE_DELAY = """
import sys, types
fake = types.ModuleType("policyx.explore.app")  # stands in for the app: Textual is imported by run()
class ExploreApp:
    def __init__(self, *args):
        pass
    def run(self):
        import textual.constants
        print(textual.constants.ESCAPE_DELAY)
fake.ExploreApp = ExploreApp
sys.modules["policyx.explore.app"] = fake
from policyx.explore import explore
explore(None)
"""


def test_esc_is_told_from_a_key_sequence_in_25_ms_unless_escdelay_says() -> None:
    """Textual waits ESCDELAY (100 ms by default) after an Esc for the rest of a key's sequence:
    explore waits 25 ms, so Esc answers as fast as the other keys; a user's ESCDELAY is kept."""
    env = {k: v for k, v in os.environ.items() if k != "ESCDELAY"}
    done = subprocess.run([sys.executable, "-c", ESCAPE_DELAY], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "0.025", done.stderr
    done = subprocess.run([sys.executable, "-c", ESCAPE_DELAY], capture_output=True, text=True,
                          env={**env, "ESCDELAY": "200"})
    assert done.stdout.strip() == "0.2", done.stderr
