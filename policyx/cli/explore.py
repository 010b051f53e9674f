"""`policyx explore`: browse the debate in a full-screen terminal app.

Textual is imported only when the command runs (policyx.explore), so no other command,
nor completion, pays for it. The fast path runs it too (cli/fast.py: no Typer, a quicker
first screen); both call cli/explorerun.py.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .complete import ARGUMENT_COMPLETERS
from .options import SUMMARIES
from .params import options
from .session import session_of

app = typer.Typer()


@app.command("explore", short_help=SUMMARIES["explore"])
@options()
def explore_command(
    ctx: typer.Context,
    entry: Annotated[
        str | None, typer.Argument(metavar="[ID]", autocompletion=ARGUMENT_COMPLETERS["explore", "entry"],
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
    from .explorerun import run_explore

    run_explore(session_of(ctx), entry)
