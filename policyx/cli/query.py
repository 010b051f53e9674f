"""Read commands: list, show, compare, search, stats.

Each command only parses options and runs the very function the fast path
runs (``policyx.cli.fast.COMMANDS``), which asks :mod:`policyx.views` for a
Listing and hands it to :func:`policyx.cli.output.emit`; the query functions do
the work (and raise the errors a user sees). Rich is imported only when a table
is drawn.
"""

from __future__ import annotations

from typing import Any

import typer

from .fast import RUNNERS
from .options import SUMMARIES
from .params import takes
from .session import session_of

app = typer.Typer()


@app.command("list", short_help=SUMMARIES["list"])
@takes("list")
def list_command(ctx: typer.Context, **chosen: Any) -> None:
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
    _run("list", ctx, chosen)


@app.command("show", short_help=SUMMARIES["show"])
@takes("show")
def show_command(ctx: typer.Context, **chosen: Any) -> None:
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
    _run("show", ctx, chosen)


@app.command("compare", short_help=SUMMARIES["compare"])
@takes("compare")
def compare_command(ctx: typer.Context, **chosen: Any) -> None:
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
    _run("compare", ctx, chosen)


@app.command("search", short_help=SUMMARIES["search"])
@takes("search")
def search_command(ctx: typer.Context, **chosen: Any) -> None:
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
    _run("search", ctx, chosen)


@app.command("stats", short_help=SUMMARIES["stats"])
@takes("stats")
def stats_command(ctx: typer.Context, **chosen: Any) -> None:
    """Counts and shapes of the debates in use, per debate and in total.

    Per debate (each knowledge base of a library, then the whole library):
    questions, positions, arguments (for, against, linked, undercuts),
    actors, sources; the depth of the argument trees; branching (replies
    per answered claim); the share of objections left unanswered. With
    --per question: how divided each question is (positions, holders,
    positions against each other, agreement levels). With --per actor:
    positions held, arguments made, claims asserted, asked, disputed.
    Every count equals what the matching `policyx list` prints; depth,
    branching and shares are derived. Field names: docs/reference.md.

    \b
    Examples:
      policyx stats
      policyx stats --per question
      policyx stats --per actor -f csv
      policyx --kb corpus/ stats -f json
    """
    _run("stats", ctx, chosen)


def _run(name: str, ctx: typer.Context, chosen: dict[str, Any]) -> None:
    """The very function the fast path runs, given what was chosen (what was not given left out)."""
    RUNNERS[name](session_of(ctx), **{key: value for key, value in chosen.items() if value not in (None, False, ())})
