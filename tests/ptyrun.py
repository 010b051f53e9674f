"""Run policyx on a pseudo-terminal, as a user at a terminal sees it (for tests).

stdout is the terminal (so policyx draws tables and trees and escapes data); stderr is a
pipe, read separately; stdin is not a terminal, so no pager starts.
"""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Seen:
    exit_code: int
    #: what the terminal received, with the terminal's CR LF turned back into LF
    screen: str
    stderr: str


def run_in_terminal(*args: str, env: Mapping[str, str] | None = None, columns: int = 100) -> Seen:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environ = {k: v for k, v in os.environ.items() if k not in ("POLICYX_KB", "COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    environ.update({"TERM": "xterm-256color", **(env or {})})
    process = subprocess.Popen([sys.executable, "-m", "policyx", *args], stdin=subprocess.DEVNULL, stdout=slave,
                               stderr=subprocess.PIPE, env=environ)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.stderr is not None
    err = process.stderr.read()
    code = process.wait(timeout=120)
    screen = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Seen(code, screen, err.decode("utf-8", "replace"))
