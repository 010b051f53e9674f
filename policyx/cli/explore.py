"""`policyx explore`: browse the debate in a full-screen terminal app.

Textual is imported only when the command runs (policyx.explore), so no other command,
nor completion, pays for it. The fast path runs it too (cli/fast.py: no Typer, a quicker
first screen); both call cli/explorerun.py.
"""

from __future__ import annotations

from typing import Any

import typer

from .fast import RUNNERS
from .options import SUMMARIES
from .params import takes
from .session import session_of

app = typer.Typer()


@app.command("explore", short_help=SUMMARIES["explore"])
@takes("explore")
def explore_command(ctx: typer.Context, **chosen: Any) -> None:
    """Browse the debate: the tree of questions, positions, arguments and rebuttals on the
    left, folded; the chosen entry in full on the right, its quote inside its source's text.
    Search as you type, follow what an entry answers and what answers it, filter, compare
    two entries side by side. ? lists the keys; q quits.

    Examples:

      policyx explore

      policyx explore criminalize-johns

      policyx --kb my-debate.yaml explore
    """
    RUNNERS["explore"](session_of(ctx), **chosen)  # the very function the fast path runs
