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

from .options import (
    COMPARE_OPTIONS,
    GLOBAL_OPTIONS,
    LIST_OPTIONS,
    MAP_OPTIONS,
    SEARCH_OPTIONS,
    SHOW_OPTIONS,
    Opt,
    spellings,
)
from .runtime import run_guarded
from .session import Session

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


def _list(session: Session, collection: str | None = None, fmt: str | None = None, **filters: Any) -> int:
    from ..views.listing import Filters, list_listing
    from .output import emit

    chosen_filters = Filters(**filters)
    chosen = collection or ("arguments" if chosen_filters.wants_arguments else "positions")
    if chosen == "kbs":
        from ..views.library import kbs_listing
        from .runtime import say

        kb = session.kb()
        for skipped in getattr(kb, "skipped", ()):  # the others were noted when the library was opened
            if skipped.expected:
                say(f"policyx: note: skipped {skipped.path} ({skipped.reason})")
        emit(session, kbs_listing(kb, chosen_filters), fmt)
        return 0
    listing = list_listing(session.kb(), chosen, chosen_filters)
    emit(session, listing, fmt)
    if fmt is not None and fmt.lower() in _WITH_QUOTES:
        from .quotes import warn_unverified  # the formats that carry every field show the quotes

        warn_unverified(session.kb(), (str(r.get("id")) for r in listing.records))
    return 0


def _show(session: Session, ids: Sequence[str], fmt: str | None = None) -> int:
    from ..kb.errors import UnknownIdError
    from ..views.show import show_listing
    from .output import emit
    from .quotes import warn_unverified

    listing = show_listing(session.kb(), list(ids))
    emit(session, listing, fmt)
    warn_unverified(session.kb(), (r["id"] for r in listing.records))
    if listing.problems:  # the ids that named nothing, after what the others showed
        from .runtime import flush

        flush(0)  # so that the error follows the output on a shared terminal or `2>&1`
        raise UnknownIdError("\n".join(listing.problems))
    return 0


def _compare(session: Session, ids: Sequence[str], fmt: str | None = None) -> int:
    from ..views.compare import compare_listing
    from .output import emit

    emit(session, compare_listing(session.kb(), list(ids)), fmt)
    return 0


def _search(
    session: Session, words: Sequence[str], fmt: str | None = None, kind: Sequence[str] | None = None,
) -> int:
    from ..views.search import search_listing
    from .output import emit
    from .quotes import warn_unverified

    listing = search_listing(session.kb(), " ".join(words), tuple(kind or ()))
    emit(session, listing, fmt)
    warn_unverified(session.kb(), (r["id"] for r in listing.records))
    return 0


def _map(session: Session, question: str | None = None, tag: str | None = None, plain: bool = False) -> int:
    from ..output.registry import render_map
    from ..views.argmap import build_map, select
    from .output import send

    kb = session.kb()
    keep = select(kb, question, tag) if question is not None or tag is not None else None
    debate = build_map(kb, keep)
    if plain or not session.terminal:
        send(session, [render_map("outline", debate)], people=True)
    else:
        send(session, [render_map("tree", debate, width=session.width, color=session.color)], people=True)
    return 0


def _explore(session: Session, entry: str | None = None) -> int:
    from .explorerun import run_explore  # Textual only now

    return run_explore(session, entry)


#: the formats of `list` that carry every field of a record, quotes included
_WITH_QUOTES = frozenset({"json", "jsonl", "csv", "tsv", "yaml", "yml", "markdown", "md"})


class CommandSpec:
    """What the fast path accepts for one command (anything else: Typer)."""

    __slots__ = ("run", "positionals", "variadic", "options", "table", "formats")

    def __init__(
        self, run: Callable[..., int], positionals: tuple[str, ...], options: tuple[Opt, ...], *,
        variadic: str | None = None, formats: str | None = "listing",
    ) -> None:
        #: the command: run(session, **options) -> exit code
        self.run = run
        #: keywords of the optional positional arguments, in order
        self.positionals = positionals
        #: keyword of a required argument taking one or more values (``show ID...``), after those
        self.variadic = variadic
        #: the options' table, in the order the Typer command declares them
        self.table = options
        #: spelling -> option, from the same table as the Typer command's
        self.options = spellings(options)
        #: the kind of formats --format names (policyx.output.registry), if it takes one
        self.formats = formats


COMMANDS: dict[str, CommandSpec] = {
    "list": CommandSpec(_list, ("collection",), LIST_OPTIONS),
    "show": CommandSpec(_show, (), SHOW_OPTIONS, variadic="ids"),
    "compare": CommandSpec(_compare, (), COMPARE_OPTIONS, variadic="ids"),
    "search": CommandSpec(_search, (), SEARCH_OPTIONS, variadic="words"),
    "map": CommandSpec(_map, ("question",), MAP_OPTIONS, formats=None),
    "explore": CommandSpec(_explore, ("entry",), (), formats=None),
}

_GLOBALS = spellings(GLOBAL_OPTIONS)


def _set_global(session: Session, option: Opt, value: str | None) -> None:
    if option.key == "kb":
        session.kb_options = (*session.kb_options, value or "")
    elif option.key == "no_cache":
        session.use_cache = False
    else:  # True for a flag
        setattr(session, option.key, value)


def parse(
    argv: Sequence[str], environ: Mapping[str, str] | None = None,
) -> tuple[CommandSpec, Session, dict[str, Any]] | None:
    """Parse ``argv`` as Click would, or None when anything is unusual."""
    session = Session(environ)
    args = list(argv)
    i = 0
    seen: set[str] = set()
    # Global options, then the command's name.
    while i < len(args):
        taken = _take(args, i, _GLOBALS)
        if taken is None:
            break
        option, value, i = taken
        if option.key in seen and not option.flag and not option.multiple:
            return None  # Click's to word
        seen.add(option.key)
        _set_global(session, option, value)
    if i >= len(args) or args[i] not in COMMANDS:
        return None
    spec = COMMANDS[args[i]]
    i += 1
    options: dict[str, Any] = {}
    positionals = list(spec.positionals)
    while i < len(args):
        token = args[i]
        # Global options may also follow the command (aliases); the later one wins, as in Click.
        taken = _take(args, i, _GLOBALS) if token.startswith("--") else None
        if taken is not None:
            option, value, i = taken
            _set_global(session, option, value)
            continue
        if token.startswith("-"):
            taken = _take(args, i, spec.options)
            if taken is None:
                return None
            option, value, i = taken
            if option.multiple:
                options[option.key] = (*options.get(option.key, ()), value)
            elif option.key in options:
                return None  # Click keeps the last; let it decide (and word any error)
            else:
                options[option.key] = True if option.flag else value
        elif positionals:
            options[positionals.pop(0)] = token
            i += 1
        elif spec.variadic is not None:
            options[spec.variadic] = (*options.get(spec.variadic, ()), token)
            i += 1
        else:
            return None
    if spec.variadic is not None and spec.variadic not in options:
        return None  # a missing argument: Click words the error
    fmt = options.get("fmt")
    if fmt is not None and (spec.formats is None or not _known_format(fmt, spec.formats)):
        return None  # Typer words the error (the same one, from the same registry)
    return spec, session, options


def _known_format(name: str, kind: str) -> bool:
    from ..output.registry import known_format

    return known_format(name, kind) is not None


def _take(args: list[str], i: int, known: Mapping[str, Opt]) -> tuple[Opt, Any, int] | None:
    """(option, value, next index) for ``--flag``, ``--opt V``, ``--opt=V`` or ``-oV``; None otherwise."""
    token = args[i]
    option = known.get(token)
    if option is not None and option.flag:
        return option, True, i + 1
    if option is not None:
        if i + 1 >= len(args):
            return None
        value, after = args[i + 1], i + 2
    elif token.startswith("--") and "=" in token and token.split("=", 1)[0] in known:
        name, value = token.split("=", 1)
        option, after = known[name], i + 1
        if option.flag:
            return None
    elif len(token) > 2 and not token.startswith("--") and token[:2] in known and not known[token[:2]].flag:
        option, value, after = known[token[:2]], token[2:], i + 1
    else:
        return None
    # An empty value, or one that looks like an option: let Click decide.
    if not value or value.startswith("-"):
        return None
    return option, value, after


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
    spec, session, options = parsed
    from ..importers import register  # --kb reads AIF, Argdown and Kialo too

    register()
    return run_guarded(lambda: int(spec.run(session, **options)))
