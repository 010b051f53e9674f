"""What `policyx explore` does once its arguments are read: the Typer command and the fast path
both call :func:`run_explore` (no Typer here, so the fast path starts the app without it)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ..kb.errors import UsageError
from ..views.lookup import get_entry
from .runtime import is_terminal

if TYPE_CHECKING:
    from .session import Session


def run_explore(session: Session, entry: str | None = None) -> int:
    """Check what can be checked before the screen is taken (Textual, a terminal, the id), then run."""
    from ..explore import INSTALL, available  # lazy: Textual

    if not available():
        raise UsageError(f"explore needs Textual, which is not installed: {INSTALL}")
    if not (is_terminal(sys.stdin) and is_terminal(sys.stdout)):
        raise UsageError("explore is a full-screen app: it needs a terminal for input and output"
                         " (in a pipe, use list, show, search or map)")
    kb = session.kb()
    if entry is not None:
        get_entry(kb, entry)  # an unknown id is said before the screen is taken
    if session.no_color:
        os.environ["NO_COLOR"] = "1"  # what Textual reads (it honours NO_COLOR)
    from ..explore import explore  # lazy: Textual

    explore(kb, entry, session.sources)
    return 0
