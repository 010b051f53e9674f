"""`policyx explore`: browse the debate in a full-screen terminal app.

Textual is imported only when the command runs (policyx.explore), so no other command,
nor completion, pays for it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..kb.errors import UsageError
from .complete import ARGUMENT_COMPLETERS
from .options import SUMMARIES
from .params import options
from .runtime import is_terminal
from .session import session_of

app = typer.Typer()


@app.command("explore", short_help=SUMMARIES["explore"])
@options()
def explore_command(
    ctx: typer.Context,
    entry: Annotated[
        str | None, typer.Argument(metavar="[ID]", autocompletion=ARGUMENT_COMPLETERS["show", "ids"],
                                   help="The entry to open the tree at (default: the questions, folded).")
    ] = None,
) -> None:
    """Browse the debate: the tree of questions, positions, arguments and rebuttals on the
    left, folded; the chosen entry in full on the right, its quote inside its source's text.
    Search as you type, follow what an entry answers and what answers it, filter, compare
    two entries side by side. ? lists the keys; q quits.

    Examples:

      policyx explore

      policyx explore criminalize-johns

      policyx --kb my-debate.yaml explore
    """
    import os
    import sys

    from ..explore import available, explore
    from ..views.lookup import get_entry

    session = session_of(ctx)
    if not available():
        from ..explore import INSTALL

        raise UsageError(f"explore needs Textual, which is not installed: {INSTALL}")
    if not (is_terminal(sys.stdin) and is_terminal(sys.stdout)):
        raise UsageError("explore is a full-screen app: it needs a terminal for input and output"
                         " (in a pipe, use list, show, search or map)")
    kb = session.kb()
    if entry is not None:
        get_entry(kb, entry)  # an unknown id is said before the screen is taken
    if session.no_color:
        os.environ["NO_COLOR"] = "1"  # what Textual reads (it honours NO_COLOR)
    explore(kb, entry, session.sources)
