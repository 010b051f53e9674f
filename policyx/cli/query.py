"""Read commands: list, show, compare, search.

Each command only parses options, asks :mod:`policyx.views.query` for a Listing and
renders it in the chosen format; the query functions do the work (and raise
the errors a user sees). Rich is imported only when a table is drawn.
"""

from __future__ import annotations

import shutil
from typing import Annotated, Any

import typer

from ..kb.model import Agreement, ClaimType, Kind, KnowledgeBase
from ..output.registry import FORMATS, TERMINAL_FORMATS, render
from ..views.listing import Listing
from .app import State, app, color_enabled, default_format, state, write

# --------------------------------------------------------------------------
# Shell completion: ids come from the active knowledge base (--kb, $POLICYX_KB
# or the bundled one). A completion must never print an error: any failure
# completes nothing.


def _completion_kb(ctx: Any) -> KnowledgeBase | None:
    try:
        from ..kb.load import resolve_path
        from ..kb.store import open_kb

        root = ctx.find_root() if ctx is not None else None
        option = root.params.get("kb") if root is not None and root.params else None
        after = getattr(root, "obj", None)
        if isinstance(after, State) and after.kb_option:
            option = after.kb_option  # --kb after the command's name (GlobalOptionsGroup)
        return open_kb(resolve_path(option))
    except Exception:  # noqa: BLE001  (a completion quietly offers nothing)
        return None


def _complete(ctx: Any, incomplete: str, kinds: tuple[Kind, ...] = ()) -> list[str]:
    kb = _completion_kb(ctx)
    if kb is None:
        return []
    from ..views.query import entry_ids

    return [i for i in entry_ids(kb, kinds) if i.startswith(incomplete)]


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Any id of the active knowledge base that starts with ``incomplete``."""
    return _complete(ctx, incomplete)


def complete_claim_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Ids of positions and arguments (what compare, --for and --against take)."""
    return _complete(ctx, incomplete, (Kind.POSITIONS, Kind.ARGUMENTS))


def complete_question(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, (Kind.QUESTIONS,))


def complete_actor(ctx: typer.Context, incomplete: str) -> list[str]:
    return _complete(ctx, incomplete, (Kind.ACTORS,))


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    kb = _completion_kb(ctx)
    if kb is None:
        return []
    from ..views.query import all_tags

    return [t for t in all_tags(kb) if t.startswith(incomplete)]


def complete_collection(incomplete: str) -> list[str]:
    from ..views.query import COLLECTIONS

    return [c for c in COLLECTIONS if c.startswith(incomplete)]


def complete_format(incomplete: str) -> list[str]:
    return [f for f in FORMATS if f.startswith(incomplete)]


def complete_agreement(incomplete: str) -> list[str]:
    return [a.value for a in Agreement if a.value.startswith(incomplete)]


def complete_type(incomplete: str) -> list[str]:
    return [t.value for t in ClaimType if t.value.startswith(incomplete)]


def complete_sort(ctx: typer.Context, incomplete: str) -> list[str]:
    """The fields of the collection being listed (every field when it is unknown)."""
    from ..kb.records import RECORD_FIELDS
    from ..views.query import TAG_FIELDS

    params = getattr(ctx, "params", None) or {}
    # while completing, Click leaves the positional argument unparsed in ctx.args
    collection = params.get("collection") or next(iter(getattr(ctx, "args", None) or ()), None)
    if collection is None:
        wants_arguments = any(params.get(n) for n in ("for_", "against", "deep", "type_"))
        collection = "arguments" if wants_arguments else "positions"
    if collection == "tags":
        fields: list[str] = list(TAG_FIELDS)
    elif collection in {k.value for k in Kind}:
        fields = list(RECORD_FIELDS[Kind(collection)])
    else:
        fields = list(dict.fromkeys([*(f for k in Kind for f in RECORD_FIELDS[k]), *TAG_FIELDS]))
    return [f for f in fields if f.startswith(incomplete)]


# --------------------------------------------------------------------------
# Output

FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format", "-f", metavar="FORMAT", autocompletion=complete_format,
        help="Output format: " + ", ".join(FORMATS) + " (default: table on a terminal, plain in a pipe).",
    ),
]


def _check_format(fmt: str | None) -> str:
    name = fmt or default_format()
    if name not in FORMATS:
        from ..kb.load import did_you_mean

        hint = did_you_mean(name, FORMATS)
        raise typer.BadParameter(
            f"{name!r} is not a format{f' ({hint})' if hint else ''}; choose from {', '.join(FORMATS)}",
            param_hint="'--format' / '-f'",
        )
    return name


def emit(ctx: typer.Context, listing: Listing, fmt: str) -> None:
    """Render ``listing`` as ``fmt`` and write it to stdout."""
    width = shutil.get_terminal_size((80, 24)).columns if fmt in TERMINAL_FORMATS else None
    write(render(fmt, listing, width=width, color=color_enabled(state(ctx))))


# --------------------------------------------------------------------------
# Commands


@app.command("list", short_help="List and filter entries (positions by default).")
def list_command(
    ctx: typer.Context,
    collection: Annotated[
        str | None,
        typer.Argument(
            metavar="[COLLECTION]", autocompletion=complete_collection, show_default=False,
            help="positions (default), arguments, questions, actors, sources, models or tags.",
        ),
    ] = None,
    question: Annotated[
        str | None,
        typer.Option("--question", "-q", metavar="ID", autocompletion=complete_question,
                     help="Only what bears on this question."),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", metavar="TAG", autocompletion=complete_tag,
                     help="Only entries with this tag (repeat: all of them)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="ACTOR", autocompletion=complete_actor,
                     help="Only positions held by, or arguments made by, this actor."),
    ] = None,
    for_: Annotated[
        str | None,
        typer.Option("--for", metavar="ID", autocompletion=complete_claim_id,
                     help="Only arguments for this position or argument."),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option("--against", metavar="ID", autocompletion=complete_claim_id,
                     help="Only arguments against this position or argument."),
    ] = None,
    deep: Annotated[
        bool, typer.Option("--deep", help="With --for/--against: include the whole tree of rebuttals."),
    ] = False,
    agreement: Annotated[
        str | None,
        typer.Option("--agreement", metavar="LEVEL", autocompletion=complete_agreement,
                     help="Only positions held this widely: " + ", ".join(a.value for a in Agreement) + "."),
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option("--type", metavar="TYPE", autocompletion=complete_type,
                     help="Only arguments of this claim type: " + ", ".join(t.value for t in ClaimType) + "."),
    ] = None,
    match: Annotated[
        str | None,
        typer.Option("--match", "-m", metavar="TEXT",
                     help="Only entries whose claim or quote contains TEXT (any case)."),
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option("--sort", "-s", metavar="FIELD", autocompletion=complete_sort,
                     help="Sort by this field (default: file order)."),
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    fmt: FormatOption = None,
) -> None:
    """List entries of one collection, filtered (positions by default, grouped by question).

    Filters combine (all must hold) and may come in any order.

    \b
    Examples:
      policyx list
      policyx list arguments --for end-bifurcation --deep
      policyx list arguments --against criminalize-johns -f json
      policyx list --tag johns --tag safety arguments
      policyx list positions --agreement broad --sort id
      policyx list tags --sort count --reverse
      policyx list -f ids | xargs policyx show
    """
    from ..views.query import Filters, list_listing

    name = _check_format(fmt)
    filters = Filters(
        question=question, tags=tuple(tag or ()), by=by, for_=for_, against=against, deep=deep,
        agreement=agreement, type=type_, match=match, sort=sort, reverse=reverse,
    )
    chosen = collection or ("arguments" if filters.wants_arguments else "positions")
    listing = list_listing(state(ctx).kb(), chosen, filters)
    emit(ctx, listing, name)


@app.command("show", short_help="Show entries in full, with their argument trees.")
def show_command(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(metavar="ID...", autocompletion=complete_id, show_default=False,
                       help="Ids of the entries to show."),
    ],
    fmt: FormatOption = None,
) -> None:
    """Show entries in full, with the tree of arguments for and against them.

    For a position or an argument, the arguments bearing on it, rebuttals
    nested; for a question, its positions and their arguments; for an
    actor, what they held and argued. With several ids, one after another.
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
    from ..views.query import show_listing

    name = _check_format(fmt)
    emit(ctx, show_listing(state(ctx).kb(), ids), name)


@app.command("compare", short_help="Compare positions or arguments side by side.")
def compare_command(
    ctx: typer.Context,
    ids: Annotated[
        list[str],
        typer.Argument(metavar="ID ID [ID...]", autocompletion=complete_claim_id, show_default=False,
                       help="Two or more positions or arguments."),
    ],
    fmt: FormatOption = None,
) -> None:
    """Compare positions (or arguments) side by side, with their clashes.

    For each: the question, the claim, who holds it and how widely, the
    arguments for and against it, and its tags (shared and distinct).
    Clashes are arguments of one side (made by one of its holders, or
    supporting it) that attack another side or its arguments; unanswered
    objections are attacks on a side that nothing attacks in turn.
    --format json gives the structure documented in the README.

    \b
    Examples:
      policyx compare criminalize-johns do-not-criminalize-johns
      policyx compare decriminalize-sex-work decriminalization-not-soon -f json
      policyx compare johns-help-escape johns-dangerous-for-girls -f markdown
    """
    from ..views.query import compare_listing

    name = _check_format(fmt)
    emit(ctx, compare_listing(state(ctx).kb(), ids), name)


@app.command("search", short_help="Search all entries' text, best matches first.")
def search_command(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="TEXT...", show_default=False, help="Words to look for (all must occur)."),
    ],
    fmt: FormatOption = None,
) -> None:
    """Search every entry's claim, quote, tags and actors; best matches first.

    A word matches the words it begins ("criminal" finds "criminalization").
    Matched words are highlighted on a terminal. Exits 1 when nothing
    matches, like grep.

    \b
    Examples:
      policyx search johns
      policyx search victim resources
      policyx search "shadows" -f ids | xargs policyx show
      policyx search minors --format json
    """
    from ..views.query import search_listing

    name = _check_format(fmt)
    emit(ctx, search_listing(state(ctx).kb(), " ".join(words)), name)
