"""A progress bar on stderr for a long read (Rich's), shown only once it has taken a second.

The CLI decides whether stderr is a terminal and passes :func:`progress_bar`'s callback to
the library reader (:func:`policyx.kb.library.open_library`), which calls it with (files
read, files to read); kb itself never draws.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any

#: how long a read goes unannounced
AFTER = 1.0


def progress_bar(
    description: str, clock: Callable[[], float] = time.monotonic, file: IO[str] | None = None,
) -> Callable[[int, int], None]:
    """A callback ``(done, total)`` that starts a transient bar on stderr (or ``file``, a
    terminal) when the work is still unfinished a second after the callback was made, and stops
    it when done == total."""
    start = clock()
    state: dict[str, Any] = {}

    def step(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            if done >= total or clock() - start < AFTER:
                return
            from rich.console import Console
            from rich.progress import Progress

            bar = state["bar"] = Progress(
                console=Console(stderr=True) if file is None else Console(file=file, force_terminal=True),
                transient=True)
            state["task"] = bar.add_task(description, total=total)
            bar.start()
        bar.update(state["task"], completed=done, total=total)
        if done >= total:
            bar.stop()
            state.clear()

    return step
