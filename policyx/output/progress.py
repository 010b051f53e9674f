"""A progress bar on stderr for long work (an import of a whole corpus): Rich's, drawn only on a
terminal and only once the work has taken more than a second; nothing otherwise.

The work calls the callback with (done, total); it knows nothing of terminals.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: how long work runs before a bar is shown
DELAY = 1.0


@contextmanager
def progress_bar(what: str, delay: float = DELAY) -> Iterator[Callable[[int, int], None]]:
    """A callback ``(done, total)`` that draws a bar on stderr when stderr is a terminal and the work
    has run for ``delay`` seconds; the bar is removed when the work ends."""
    start = time.monotonic()
    state: dict[str, Any] = {}
    terminal = sys.stderr.isatty()

    def advance(done: int, total: int) -> None:
        if not terminal:
            return
        if "bar" not in state:
            if time.monotonic() - start < delay or done >= total:
                return
            from rich.console import Console  # lazy: Rich
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            bar = Progress(TextColumn(what, markup=False), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                           console=Console(file=sys.stderr), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("", total=total)
        state["bar"].update(state["task"], completed=done, total=total)

    try:
        yield advance
    finally:
        if "bar" in state:
            state["bar"].stop()
