"""Run something again each time some files change: ``policyx check --watch``.

It polls the files' modification time, size, inode (an editor that saves
by writing a new file and renaming it changes the inode), mode, owner and
group (``chmod 000`` makes a file unreadable without touching its text), so it needs no
extra dependency and works on every file system, network ones included.
The loop takes its pause as a function, so tests drive it step by step
instead of waiting for time to pass.

On a terminal each run starts on a cleared screen (not with TERM=dumb) under a
line with the time, and the report's long lines wrap between words, never inside
one (a terminal cuts a line at its edge, in the middle of a path or a word).
"""

from __future__ import annotations

import os
import sys
import textwrap
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

#: seconds between two looks at the files
INTERVAL = 0.5

#: what :func:`stamp` finds of each file watched, by path (None: missing)
Stamp = dict[str, tuple[int, ...] | None]


def stamp(paths: Iterable[Path]) -> Stamp:
    """What tells whether the files changed: (mtime_ns, size, inode, mode, uid, gid) of each, None when missing."""
    found: Stamp = {}
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            found[str(path)] = None
        else:
            found[str(path)] = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode, info.st_uid, info.st_gid)
    return found


def pause(seconds: float = INTERVAL) -> bool:
    """Wait before the next look; True to go on. (Tests replace it.)"""
    time.sleep(seconds)
    return True


def watch(look: Callable[[], Stamp], run: Callable[[], None], wait: Callable[[], bool] | None = None,
          changed: Callable[[], None] | None = None) -> int:
    """``run()`` now, then again after each change of ``look()``, until ``wait()`` returns
    False (or Ctrl-C). ``changed()`` is called before each run after the first. Returns how
    many runs there were.

    Each run is compared with the files as they were when it began: a save made while a run
    reads them (or just before it looked) is a change, checked by the next run, never taken
    for the state the report describes. Files a run finds to watch (the sources a knowledge
    base names) count from when it found them."""
    def run_once() -> Stamp:
        before = look()
        run()
        return {path: before.get(path, now) for path, now in look().items()}

    last = run_once()
    runs = 1
    while (wait or pause)():
        if look() != last:
            if changed is not None:
                changed()
            last = run_once()
            runs += 1
    return runs


def message_width(environ: Mapping[str, str] | None = None) -> int | None:
    """The width of the terminal stderr writes to (``COLUMNS`` wins); None when stderr is no terminal."""
    environ = os.environ if environ is None else environ
    try:
        if sys.stderr is None or not sys.stderr.isatty():
            return None
        columns = environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else os.get_terminal_size(2).columns
    except (AttributeError, ValueError, OSError):
        return None


def fit(text: str, width: int | None, indent: int = 2) -> str:
    """``text`` with each line longer than ``width`` wrapped between words, its further lines
    indented by ``indent``; a word longer than the line (a path) stays whole. Unchanged when
    ``width`` is None (not a terminal: a log or a pipe keeps one message a line)."""
    if width is None:
        return text

    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        out += textwrap.wrap(line, width=max(width, 20), subsequent_indent=" " * indent,
                             break_long_words=False, break_on_hyphens=False) or [line]
    return "\n".join(out)


def clears(environ: Mapping[str, str] | None = None) -> bool:
    """Whether a new run clears the screen: only on a terminal, and not with TERM=dumb."""
    environ = os.environ if environ is None else environ
    return message_width(environ) is not None and environ.get("TERM") != "dumb"


def heading(path: Path, first: bool = False) -> str:
    """The line that starts a run: the time and what happened."""
    now = time.strftime("%H:%M:%S")
    if first:
        return f"[{now}] watching {path} and its sources (Ctrl-C to stop)"
    return f"[{now}] {path} or one of its sources changed: checking again (Ctrl-C to stop)"
