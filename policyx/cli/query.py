"""Read commands: list, show, compare, search.

Each command only parses options and runs the very function the fast path
runs (``policyx.cli.fast.COMMANDS``), which asks :mod:`policyx.views` for a
Listing and hands it to :func:`policyx.cli.output.emit`; the query functions do
the work (and raise the errors a user sees). Rich is imported only when a table
is drawn.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .complete import ARGUMENT_COMPLETERS
from .fast import COMMANDS
from .options import COMPARE_OPTIONS, LIST_OPTIONS, SEARCH_OPTIONS, SHOW_OPTIONS, SUMMARIES
from .params import options
from .session import session_of

app = typer.Typer()


@app.command("list", short_help=SUMMARIES["list"])
@options(*LIST_OPTIONS)
def list_command(
    ctx: typer.Context,
    collection: Annotated[
        str | None,
        typer.Argument(
            metavar="[COLLECTION]", autocompletion=ARGUMENT_COMPLETERS["list", "collection"], show_default=False,
            help="positions (default), arguments, questions, actors, sources, models, tags or kbs.",
        ),
    ] = None,
    **chosen: Any,
) -> None:
    """List entries of one collection, filtered (positions by default, grouped by question).

    Different filters combine (all must hold); the same filter repeated
    keeps what matches any of its values (--type empirical --type normative),
    except --tag, which wants all of its tags (--any-tag: any of them).
    Options may come in any order. When nothing matches, the message says
    what the same filters would find elsewhere.

    \b
    Examples:
      policyx list
      policyx list arguments --for end-bifurcation --deep
      policyx list arguments --against criminalize-johns -f json
      policyx list --tag johns --tag safety arguments
      policyx list arguments --any-tag minors --any-tag safety
      policyx list --type empirical --type normative
      policyx list --unanswered -q criminalizing-johns
      policyx list positions --agreement broad --sort id
      policyx list tags --sort count --reverse --limit 5
      policyx list -f ids | xargs policyx show
    """
    # the very function the fast path runs (Typer gives a repeated option as a list, or None)
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in chosen.items() if v not in (None, False)}
    COMMANDS["list"].run(session_of(ctx), collection, **given)


@app.command("show", short_help=SUMMARIES["show"])
@options(*SHOW_OPTIONS)
def show_command(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(metavar="ID...", autocompletion=ARGUMENT_COMPLETERS["show", "ids"], show_default=False,
                       help="Ids of the entries to show."),
    ],
    fmt: str | None = None,
) -> None:
    """Show entries in full, with the tree of arguments for and against them.

    For a position or an argument, the arguments bearing on it, rebuttals
    nested (for an argument, also the chain of what it answers up to its
    position and question); for a question, its positions and their
    arguments; for an actor, what they held and argued. With several ids,
    one after another; an id naming no entry is reported after the others
    (exit status 1).
    In a pipe, one line per entry and per argument of its tree (columns:
    id, kind, root, depth, parent, stance, target, claim, who, agreement,
    type, tags, quote, source).

    \b
    Examples:
      policyx show criminalize-johns
      policyx show end-bifurcation society-responds-differently
      policyx show individual-against-johns
      policyx show criminalizing-johns --format markdown
      policyx list -q criminalizing-johns -f ids | xargs policyx show
    """
    COMMANDS["show"].run(session_of(ctx), ids, fmt)  # the very function the fast path runs


@app.command("compare", short_help=SUMMARIES["compare"])
@options(*COMPARE_OPTIONS)
def compare_command(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(metavar="ID ID [ID...]", autocompletion=ARGUMENT_COMPLETERS["compare", "ids"],
                       show_default=False, help="Two or more positions or arguments."),
    ],
    fmt: str | None = None,
) -> None:
    """Compare positions (or arguments) side by side, with their clashes.

    For each: the question, the claim, who holds it and how widely, the
    arguments for and against it, and its tags (shared and distinct).
    Clashes are arguments of one side (made by one of its holders, or
    supporting it) that attack another side or its arguments; unanswered
    objections are attacks on a side that nothing attacks in turn.
    --format json gives the structure documented in docs/reference.md.

    \b
    Examples:
      policyx compare criminalize-johns do-not-criminalize-johns
      policyx compare decriminalize-sex-work decriminalization-not-soon -f json
      policyx compare johns-help-escape johns-dangerous-for-girls -f markdown
    """
    COMMANDS["compare"].run(session_of(ctx), ids, fmt)


@app.command("search", short_help=SUMMARIES["search"])
@options(*SEARCH_OPTIONS)
def search_command(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="TEXT...", show_default=False, help="Words to look for (all must occur)."),
    ],
    fmt: str | None = None,
    kind: list[str] | None = None,
) -> None:
    """Search every entry's claim, quote, tags and actors; best matches first.

    A word matches the words it begins ("criminal" finds "criminalization").
    Matched words are highlighted on a terminal: in colour, or between
    [ and ] without colour (NO_COLOR, --no-color). Exits 1 when nothing
    matches, like grep.

    \b
    Examples:
      policyx search johns
      policyx search victim resources --kind arguments
      policyx search "shadows" -f ids | xargs policyx show
      policyx search minors --format json
    """
    COMMANDS["search"].run(session_of(ctx), words, fmt, kind)
