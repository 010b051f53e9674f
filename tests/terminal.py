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
import signal
import struct
import subprocess
import sys
import termios
from collections.abc import Mapping, Sequence

#: what a test's terminal looks like, whatever the developer's shell has set
BASE_ENV = {"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "200", "PAGER": "cat"}


def as_at_a_shell_prompt() -> None:
    """In the child: Ctrl-C interrupts, as for a program started at a shell prompt. A test run
    started in the background (``pytest &``, nohup, some CI runners) ignores SIGINT, and a
    program inherits that: Python then never installs its handler and Ctrl-C does nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _controlling_terminal() -> None:
    """In the child, after setsid: the terminal on stdin becomes its controlling terminal,
    so that Ctrl-C typed there sends it SIGINT."""
    as_at_a_shell_prompt()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """``policyx ARGS`` on a pseudo-terminal; :meth:`expect` waits for text, :meth:`send` types."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str] | None = None,
                 size: tuple[int, int] | None = None, cwd: str | os.PathLike[str] | None = None,
                 program: Sequence[str] = (sys.executable, "-m", "policyx"), pass_fds: Sequence[int] = ()) -> None:
        """``size``: (columns, lines) of the terminal itself (then COLUMNS and LINES are not set);
        ``cwd``: the folder it runs in; ``program``: what runs, before ``args``; ``pass_fds``: files
        the program is given besides the terminal."""
        environ = {k: v for k, v in os.environ.items()
                   if k not in ("POLICYX_KB", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")}
        environ.update({k: v for k, v in BASE_ENV.items() if size is None or k not in ("COLUMNS", "LINES")})
        environ.update(env or {})
        self.master, slave = pty.openpty()
        if size is not None:
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.process = subprocess.Popen(
            [*program, *args], stdin=slave, stdout=slave, stderr=slave, env=environ,
            start_new_session=True, preexec_fn=_controlling_terminal, cwd=cwd, pass_fds=tuple(pass_fds),
        )
        os.close(slave)
        self.seen = b""
        #: where the next :meth:`expect` starts looking (text is expected in the order shown)
        self.cursor = 0

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
        """Wait until the terminal has shown ``text`` after what the last expect found (a prompt
        asked again is waited for again); ``timeout`` is a safety net: the test fails after it
        with nothing read, and the program is ended."""
        wanted = text.encode()
        while (found := self.seen.find(wanted, self.cursor)) < 0:
            if not self._read(timeout):
                self.process.kill()
                self.process.wait()
                os.close(self.master)
                raise AssertionError(f"never shown: {text!r}; the terminal shows:\n{self.output}")
        self.cursor = found + len(wanted)

    def shows(self, text: str, within: float) -> bool:
        """Whether the terminal shows ``text`` (after what the last expect found) within
        ``within`` seconds of waiting for output; the program goes on either way."""
        wanted = text.encode()
        while (found := self.seen.find(wanted, self.cursor)) < 0:
            if not self._read(within):
                return False
        self.cursor = found + len(wanted)
        return True

    def send(self, line: str) -> None:
        os.write(self.master, line.encode())

    def interrupt(self) -> None:
        """Ctrl-C: the terminal sends SIGINT to the program."""
        os.write(self.master, b"\x03")

    def finish(self, timeout: float = 60) -> int:
        """Read everything until the program ends; its exit status."""
        while self._read(timeout):
            pass
        try:
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.returncode is None:
                self.process.kill()
                self.process.wait()
            os.close(self.master)

    @property
    def output(self) -> str:
        return self.seen.decode("utf-8", "replace").replace("\r\n", "\n")


def on_terminal(args: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[int, str]:
    """Run ``policyx ARGS`` on a terminal to the end: (exit status, what the terminal shows)."""
    terminal = Terminal(args, env)
    code = terminal.finish()
    return code, terminal.output
