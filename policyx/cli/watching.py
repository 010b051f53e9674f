"""Run something again each time some files change: ``policyx check --watch``.

It polls the files' modification time, size, inode (an editor that saves
by writing a new file and renaming it changes the inode), mode, owner and
group (``chmod 000`` makes a file unreadable without touching its text), so it needs no
extra dependency and works on every file system, network ones included.
The loop takes its pause as a function, so tests drive it step by step
instead of waiting for time to pass.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

#: seconds between two looks at the files
INTERVAL = 0.5

Stamp = tuple[tuple[int, ...] | None, ...]


def stamp(paths: Iterable[Path]) -> Stamp:
    """What tells whether the files changed: (mtime_ns, size, inode, mode, uid, gid) each, None when missing."""
    found: list[tuple[int, ...] | None] = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            found.append(None)
        else:
            found.append((info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode, info.st_uid, info.st_gid))
    return tuple(found)


def pause(seconds: float = INTERVAL) -> bool:
    """Wait before the next look; True to go on. (Tests replace it.)"""
    time.sleep(seconds)
    return True


def watch(look: Callable[[], Stamp], run: Callable[[], None], wait: Callable[[], bool] | None = None,
          changed: Callable[[], None] | None = None) -> int:
    """``run()`` now, then again after each change of ``look()``, until ``wait()`` returns
    False (or Ctrl-C). ``changed()`` is called before each run after the first. Returns how
    many runs there were."""
    run()
    last = look()  # after the run: it may have found more files to watch (the sources)
    runs = 1
    while (wait or pause)():
        if look() != last:
            if changed is not None:
                changed()
            run()
            last = look()
            runs += 1
    return runs
