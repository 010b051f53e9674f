"""``policyx explore``: browse a debate in a full-screen terminal app (Textual).

Only ``policyx explore`` imports this package: no other command pays for Textual.
"""

from __future__ import annotations

import importlib.util

from ..kb.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from ..kb.model import KnowledgeBase

#: how to get Textual when it is missing (it is a dependency of every install: a broken one)
INSTALL = 'pip install "textual>=8,<9" (or reinstall policyx: pip install -e . in a checkout)'


def available() -> bool:
    return importlib.util.find_spec("textual") is not None


def explore(kb: KnowledgeBase, start: str | None = None, sources: str | None = None) -> None:
    """Run the explorer on ``kb`` until the user quits; ``start``: the entry to open at."""
    if not available():
        raise UsageError(f"explore needs Textual, which is not installed: {INSTALL}")
    from .app import ExploreApp

    ExploreApp(kb, start, sources).run()
