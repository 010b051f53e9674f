"""The fast path: the read commands without importing Typer.

policyx runs inside aliases, loops and ``xargs``, so start-up time matters:
importing Typer costs more than reading a cached knowledge base (and Typer
0.29 builds its parameters through pydantic, ~100 ms more). For command lines
this module understands completely, e.g.::

    policyx [--kb PATH] [--no-cache] [--no-color] [--no-pager] list [COLLECTION] --format json
    policyx show ID... [-f FORMAT]      policyx compare ID ID...      policyx search TEXT...
    policyx map [QUESTION] [--tag TAG] [--plain]

it parses the arguments itself, from the same option tables
(:mod:`policyx.cli.options`) the Typer commands are built from, and runs the
very function the Typer command runs (each Typer command calls
``COMMANDS[name].run``), with the same error handling (:mod:`policyx.cli.runtime`).
Anything else (help, a typo, an option it does not know, an empty value)
returns ``None`` and the Typer CLI runs as usual, so the fast path can only
ever be a shortcut, never a second interface. Shell completion has its own
Typer-free path (:mod:`policyx.cli.fastcomplete`). ``POLICYX_NO_FASTPATH=1``
turns both off (tests compare both paths). No dataclasses or typing here:
every import counts on this path.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

from ..kb.errors import UnknownIdError
from ..output.registry import FormatKind, default_format, known_format, render
from ..views.listing import Filters, list_listing
from .options import COMMANDS, GLOBAL_SPELLINGS, Command, take
from .output import emit, send
from .quotes import warn_unverified
from .runtime import flush, run_guarded, say
from .session import Session, skipped_notes

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def _list(session: Session, collection: str | None = None, fmt: str | None = None, **filters: Any) -> int:
    chosen_filters = Filters(**filters)
    chosen = collection or ("arguments" if chosen_filters.wants_arguments else "positions")
    if chosen == "kbs":
        from ..views.library import kbs_listing  # lazy: the command that runs

        kb = session.kb()
        for note in skipped_notes(kb):  # said here and by info only, not by every command
            say(note)
        emit(session, kbs_listing(kb, chosen_filters), fmt)
        return 0
    listing = list_listing(session.kb(), chosen, chosen_filters)
    if emit(session, listing, fmt).all_fields:
        warn_unverified(session.kb(), (str(r.get("id")) for r in listing.records))
    return 0


def _show(session: Session, ids: Sequence[str], fmt: str | None = None) -> int:
    from ..views.show import show_listing  # lazy: the command that runs

    listing = show_listing(session.kb(), list(ids))
    emit(session, listing, fmt)
    warn_unverified(session.kb(), (r["id"] for r in listing.records))
    if listing.problems:  # the ids that named nothing, after what the others showed
        flush(0)  # so that the error follows the output on a shared terminal or `2>&1`
        raise UnknownIdError("\n".join(listing.problems))
    return 0


def _compare(session: Session, ids: Sequence[str], fmt: str | None = None) -> int:
    from ..views.compare import compare_listing  # lazy: the command that runs

    emit(session, compare_listing(session.kb(), list(ids)), fmt)
    return 0


def _search(
    session: Session, words: Sequence[str], fmt: str | None = None, kind: Sequence[str] | None = None,
) -> int:
    from ..views.search import search_listing  # lazy: the command that runs

    listing = search_listing(session.kb(), " ".join(words), tuple(kind or ()))
    emit(session, listing, fmt)
    warn_unverified(session.kb(), (r["id"] for r in listing.records))
    return 0


def _map(
    session: Session, question: str | None = None, tag: str | None = None, plain: bool = False,
    standing: bool = False,
) -> int:
    from ..views.argmap import build_map, select  # lazy: the command that runs

    kb = session.kb()
    keep = select(kb, question, tag) if question is not None or tag is not None else None
    chosen = default_format(FormatKind.MAP, session.terminal and not plain)
    debate = build_map(kb, keep)
    if standing:  # the derived labels, beside each node
        from ..views.framework import standing_of  # lazy: the derived standing, only when asked for

        debate.standing = standing_of(kb).labels
    send(session, [render(chosen, debate, width=session.width, color=session.color)], people=chosen.people)
    return 0


def _stats(session: Session, per: str | None = None, fmt: str | None = None) -> int:
    from ..views.stats import stats_listing  # lazy: the command that runs

    emit(session, stats_listing(session.kb(), "debate" if per is None else per), fmt)  # "" is a mistake
    return 0
def _explore(session: Session, entry: str | None = None) -> int:
    from .explorerun import run_explore  # lazy: the command that runs (Textual only now)

    return run_explore(session, entry)


#: the commands the fast path runs: name -> run(session, **arguments and options) -> exit code;
#: their arguments and options are those of policyx.cli.options.COMMANDS
RUNNERS: dict[str, Callable[..., int]] = {
    "list": _list, "show": _show, "compare": _compare, "search": _search, "map": _map, "stats": _stats,
    "explore": _explore,
}


def parse(
    argv: Sequence[str], environ: Mapping[str, str] | None = None,
) -> tuple[str, Session, dict[str, Any]] | None:
    """(the command's name, the Session, its arguments and options as typed) for ``argv``, parsed
    as Click would, or None when anything is unusual (Click then words it)."""
    session = Session(environ)
    args = list(argv)
    i = 0
    seen: set[str] = set()
    # Global options, then the command's name.
    while i < len(args):
        taken = take(args, i, GLOBAL_SPELLINGS)
        if taken is None or taken[1] is None:
            break
        option, value, i = taken
        if option.key in seen and not option.flag and not option.multiple:
            return None  # Click's to word
        seen.add(option.key)
        session.apply(option.key, value)
    if i >= len(args) or args[i] not in RUNNERS:
        return None
    name = args[i]
    table = COMMANDS[name]
    i += 1
    options: dict[str, Any] = {}
    single = [a.key for a in table.arguments if not a.many]
    many = next((a.key for a in table.arguments if a.many), None)
    while i < len(args):
        token = args[i]
        # Global options may also follow the command (aliases); the later one wins, as in Click.
        taken = take(args, i, GLOBAL_SPELLINGS) if token.startswith("--") else None
        if taken is not None and taken[1] is not None:
            option, value, i = taken
            session.apply(option.key, value)
            continue
        if token.startswith("-"):
            taken = take(args, i, table.spellings)
            if taken is None or taken[1] is None:
                return None
            option, value, i = taken
            if option.multiple:
                options[option.key] = (*options.get(option.key, ()), value)
            elif option.key in options:
                return None  # Click keeps the last; let it decide (and word any error)
            else:
                options[option.key] = value
        elif single:
            options[single.pop(0)] = token
            i += 1
        elif many is not None:
            options[many] = (*options.get(many, ()), token)
            i += 1
        else:
            return None
    if many is not None and many not in options:
        return None  # a missing argument: Click words the error
    fmt = options.get("fmt")
    if fmt is not None:
        if table.formats is None or known_format(fmt, FormatKind(table.formats)) is None:
            return None  # Typer words the error (the same one, from the same registry)
    return name, session, options


def convert(table: Command, options: dict[str, Any]) -> dict[str, Any]:
    """The options' values as the command receives them (Opt.convert: a usage error if one cannot be)."""
    known = {o.key: o for o in table.options}
    return {key: known[key].convert(value) if key in known else value for key, value in options.items()}


def _disabled(environ: Mapping[str, str]) -> bool:
    if environ.get("POLICYX_NO_FASTPATH"):
        return True
    # Shell completion (Click's _POLICYX_COMPLETE, Typer's _TYPER_* variables): fastcomplete's or Typer's.
    return any(key.endswith("_COMPLETE") or key.startswith("_TYPER_") for key in environ)


def try_run(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> int | None:
    """Run ``argv`` on the fast path and return the exit code, or None if Typer must."""
    if _disabled(environ):
        return None
    parsed = parse(argv, environ)
    if parsed is None:
        return None
    name, session, options = parsed
    return run_guarded(lambda: int(RUNNERS[name](session, **convert(COMMANDS[name], options))))
