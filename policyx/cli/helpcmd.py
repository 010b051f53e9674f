"""`policyx help [COMMAND]`: the help of policyx, or of one of its commands (as --help prints it)."""

from __future__ import annotations

import typer

from ..kb.errors import UsageError
from ..kb.problems import did_you_mean
from .options import SUMMARIES
from .params import takes
from .runtime import write

app = typer.Typer()


@app.command("help", short_help=SUMMARIES["help"])
@takes("help")
def help_command(ctx: typer.Context, command: str | None = None) -> None:
    """Show the help of policyx, or of one command: the same text as --help.

    Examples:

      policyx help

      policyx help list
    """
    root = ctx.find_root()
    group = root.command
    if command is None:
        write(group.get_help(root) + "\n")
        return
    names = list(getattr(group, "commands", {}))
    sub = group.get_command(root, command) if hasattr(group, "get_command") else None
    if sub is None:
        hint = did_you_mean(command, names)
        raise UsageError(f"no command {command!r}{f' ({hint})' if hint else ''}; commands: {', '.join(names)}")
    with sub.make_context(command, [], parent=root, resilient_parsing=True) as sub_ctx:
        write(sub.get_help(sub_ctx) + "\n")
