"""Run policyx on a pseudo-terminal, as a user at a terminal runs it, for tests.

stdin, stdout and stderr are the terminal (so policyx sees a terminal on each);
what the terminal shows is returned, with the terminal's own "\\r\\n" line ends
turned back into "\\n". Keys can be sent one line at a time, each after a
prompt appears, and Ctrl-C as the terminal sends it (SIGINT to the program).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
from collections.abc import Mapping, Sequence

#: what a test's terminal looks like, whatever the developer's shell has set
BASE_ENV = {"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "200", "PAGER": "cat"}


def _controlling_terminal() -> None:
    """In the child, after setsid: the terminal on stdin becomes its controlling terminal,
    so that Ctrl-C typed there sends it SIGINT."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """``policyx ARGS`` on a pseudo-terminal; :meth:`expect` waits for text, :meth:`send` types."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        environ = {k: v for k, v in os.environ.items()
                   if k not in ("POLICYX_KB", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")}
        environ.update(BASE_ENV)
        environ.update(env or {})
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policyx", *args], stdin=slave, stdout=slave, stderr=slave, env=environ,
            start_new_session=True, preexec_fn=_controlling_terminal,
        )
        os.close(slave)
        self.seen = b""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the program ended and the terminal closed
            return False
        if not chunk:
            return False
        self.seen += chunk
        return True

    def expect(self, text: str, timeout: float = 60) -> None:
        """Wait until the terminal has shown ``text`` (a safety net: fails after ``timeout``)."""
        wanted = text.encode()
        while wanted not in self.seen:
            if not self._read(timeout):
                raise AssertionError(f"never shown: {text!r}; the terminal shows:\n{self.output}")

    def send(self, line: str) -> None:
        os.write(self.master, line.encode())

    def interrupt(self) -> None:
        """Ctrl-C: the terminal sends SIGINT to the program."""
        os.write(self.master, b"\x03")

    def finish(self, timeout: float = 60) -> int:
        """Read everything until the program ends; its exit status."""
        while self._read(timeout):
            pass
        code = self.process.wait(timeout=timeout)
        os.close(self.master)
        return code

    @property
    def output(self) -> str:
        return self.seen.decode("utf-8", "replace").replace("\r\n", "\n")


def on_terminal(args: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[int, str]:
    """Run ``policyx ARGS`` on a terminal to the end: (exit status, what the terminal shows)."""
    terminal = Terminal(args, env)
    code = terminal.finish()
    return code, terminal.output
