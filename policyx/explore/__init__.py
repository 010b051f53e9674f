"""``policyx explore``: browse a debate in a full-screen terminal app (Textual).

Only ``policyx explore`` imports this package: no other command pays for Textual.
"""

from __future__ import annotations

import importlib.util
import os
from typing import TYPE_CHECKING

from ..kb.errors import UsageError

if TYPE_CHECKING:
    from ..kb.model import KnowledgeBase

#: how to get Textual when it is missing (it is a dependency of every install: a broken one)
INSTALL = 'pip install "textual>=8.2,<9" (or reinstall policyx: pip install -e . in a checkout)'


#: milliseconds Textual waits after an Esc for the rest of a key's sequence (an arrow key is
#: Esc [ A) before it takes it for the Esc key: 100 unless ESCDELAY says otherwise. Its Linux
#: driver looks at the terminal every 100 ms when nothing comes, so Esc is seen on the first
#: look after that wait: with 100, the first or the second (100-200 ms); with 25, the first
#: (about 100 ms, the floor of any Textual app). A terminal's keys arrive in one write, over ssh too
ESCAPE_DELAY = "25"


def available() -> bool:
    return importlib.util.find_spec("textual") is not None


def explore(kb: KnowledgeBase, start: str | None = None, sources: str | None = None) -> None:
    """Run the explorer on ``kb`` until the user quits; ``start``: the entry to open at."""
    if not available():
        raise UsageError(f"explore needs Textual, which is not installed: {INSTALL}")
    # read by Textual when it is imported: the user's ESCDELAY (as for curses programs) wins
    os.environ.setdefault("ESCDELAY", ESCAPE_DELAY)
    from .app import ExploreApp  # lazy: Textual

    ExploreApp(kb, start, sources).run()
