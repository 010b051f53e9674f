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
    """A pseudo-terminal of 100x30 with policyx explore running in it."""

    def __init__(self, *args: str) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "NO_COLOR", "COLUMNS", "LINES")}
        env["TERM"] = "xterm-256color"
        self.process = subprocess.Popen([sys.executable, "-m", "policyx", "explore", *args], stdin=slave,
                                        stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.raw = b""

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
