"""The fast path: simple machine-format reads without importing Typer or Rich.

policyx runs inside aliases, loops and ``xargs``, so start-up time matters:
importing Typer costs more than reading a cached knowledge base. For command
lines this module understands completely, e.g.::

    policyx [--kb PATH] [--no-cache] [--no-color] list [COLLECTION] --format json

it parses the arguments itself and calls the very same functions as the
Typer command (open_kb -> records -> render -> write), with the same error
handling (:mod:`policyx.cli.runtime`). Anything else (help, completion, a typo, a
table for a terminal, an option it does not know) returns ``None`` and the
Typer CLI runs as usual, so the fast path can only ever be a shortcut, never
a second interface. ``POLICYX_NO_FASTPATH=1`` turns it off (tests compare
both paths).

Adding an option of a command is one entry in its :class:`CommandSpec`:
the option's value reaches the command's function as a keyword argument.
(No dataclasses or typing here: every import counts on this path.)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

from .runtime import run_guarded, stdout_is_terminal, write

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

#: Global options (before the command): flags -> (Globals attribute, value); options taking a value.
GLOBAL_FLAGS: dict[str, tuple[str, Any]] = {
    "--no-cache": ("use_cache", False),
    "--no-color": ("color", False),
}
GLOBAL_VALUES: dict[str, str] = {"--kb": "kb_option"}


class Globals:
    """The global options, as :class:`policyx.cli.app.State` holds them."""

    __slots__ = ("kb_option", "use_cache", "color")

    def __init__(self) -> None:
        self.kb_option: str | None = None
        self.use_cache = True
        self.color: bool | None = None


class CommandSpec:
    """What the fast path accepts for one command (anything else: Typer)."""

    def __init__(
        self,
        run: Callable[..., int],
        positionals: tuple[str, ...] = (),
        values: Mapping[str, str] | None = None,
        flags: Mapping[str, tuple[str, Any]] | None = None,
        multiple: frozenset[str] = frozenset(),
        accept: Callable[[dict[str, Any]], bool] = lambda options: True,
    ) -> None:
        #: the command: run(globals, **options) -> exit code
        self.run = run
        #: keywords of the positional arguments, in order
        self.positionals = positionals
        #: options taking a value: spelling (``--format``, ``-f``) -> keyword
        self.values = values or {}
        #: flags: spelling -> (keyword, value)
        self.flags = flags or {}
        #: keywords of options that may repeat (their values form a tuple)
        self.multiple = multiple
        #: last word on the parsed options (may fill in defaults); False: Typer decides
        self.accept = accept


#: Formats the fast path renders. ``table`` needs Rich and a terminal, and a
#: format added later is Typer's until it is listed here.
MACHINE_FORMATS = frozenset({"plain", "json", "jsonl", "csv", "tsv", "yaml", "markdown", "ids"})


# --------------------------------------------------------------------------
# list


def _list(g: Globals, collection: str | None = None, fmt: str = "plain", **filters: Any) -> int:
    from ..kb.load import resolve_path
    from ..kb.store import open_kb
    from ..output.registry import render
    from ..views.query import Filters, list_listing

    # The same steps as the Typer command (cli/query.py, list_command).
    kb = open_kb(resolve_path(g.kb_option), use_cache=g.use_cache)
    chosen_filters = Filters(**filters)
    chosen = collection or ("arguments" if chosen_filters.wants_arguments else "positions")
    write(render(fmt, list_listing(kb, chosen, chosen_filters)))
    return 0


def _list_accepts(options: dict[str, Any]) -> bool:
    fmt = options.get("fmt")
    if fmt is None:
        # The default depends on the terminal (a table there): decide only the pipe case.
        if stdout_is_terminal():
            return False
        options["fmt"] = "plain"
    elif fmt not in MACHINE_FORMATS:
        return False
    return True


COMMANDS: dict[str, CommandSpec] = {
    "list": CommandSpec(
        run=_list,
        positionals=("collection",),
        values={
            "--format": "fmt", "-f": "fmt",
            "--question": "question", "-q": "question",
            "--tag": "tags", "-t": "tags",
            "--by": "by",
            "--for": "for_",
            "--against": "against",
            "--agreement": "agreement",
            "--type": "type",
            "--match": "match", "-m": "match",
            "--sort": "sort", "-s": "sort",
        },
        flags={"--deep": ("deep", True), "--reverse": ("reverse", True), "-r": ("reverse", True)},
        multiple=frozenset({"tags"}),
        accept=_list_accepts,
    ),
}


# --------------------------------------------------------------------------
# Parsing: Click's rules for the plain cases, None for anything else


def parse(argv: Sequence[str]) -> tuple[CommandSpec, Globals, dict[str, Any]] | None:
    """Parse ``argv`` as Click would, or None when anything is unusual."""
    g = Globals()
    args = list(argv)
    i = 0
    seen: set[str] = set()
    # Global options, then the command's name.
    while i < len(args):
        token = args[i]
        if token in GLOBAL_FLAGS:
            name, value = GLOBAL_FLAGS[token]
            setattr(g, name, value)
            i += 1
            continue
        taken = _option_value(args, i, GLOBAL_VALUES)
        if taken is None:
            break
        name, value, i = taken
        if name in seen:
            return None
        seen.add(name)
        setattr(g, name, value)
    if i >= len(args) or args[i] not in COMMANDS:
        return None
    spec = COMMANDS[args[i]]
    i += 1
    options: dict[str, Any] = {}
    positionals = list(spec.positionals)
    while i < len(args):
        token = args[i]
        # Global options may also follow the command (aliases); the later one wins, as in Click.
        if token in GLOBAL_FLAGS:
            name, value = GLOBAL_FLAGS[token]
            setattr(g, name, value)
            i += 1
            continue
        taken = _option_value(args, i, GLOBAL_VALUES) if token.startswith("--") else None
        if taken is not None:
            name, value, i = taken
            setattr(g, name, value)
            continue
        if token in spec.flags:
            name, value = spec.flags[token]
            if name in options:
                return None
            options[name] = value
            i += 1
        elif token.startswith("-"):
            taken = _option_value(args, i, spec.values)
            if taken is None:
                return None
            name, value, i = taken
            if name in spec.multiple:
                options[name] = (*options.get(name, ()), value)
            elif name in options:
                return None
            else:
                options[name] = value
        elif positionals:
            options[positionals.pop(0)] = token
            i += 1
        else:
            return None
    if not spec.accept(options):
        return None
    return spec, g, options


def _option_value(args: list[str], i: int, spellings: Mapping[str, str]) -> tuple[str, str, int] | None:
    """(keyword, value, next index) for ``--opt V``, ``--opt=V`` or ``-oV``; None otherwise."""
    token = args[i]
    if token in spellings:
        if i + 1 >= len(args):
            return None
        name, value, after = spellings[token], args[i + 1], i + 2
    elif token.startswith("--") and "=" in token and token.split("=", 1)[0] in spellings:
        option, value = token.split("=", 1)
        name, after = spellings[option], i + 1
    elif len(token) > 2 and not token.startswith("--") and token[:2] in spellings:
        name, value, after = spellings[token[:2]], token[2:], i + 1
    else:
        return None
    # An empty value, or one that looks like an option: let Click decide.
    if not value or value.startswith("-"):
        return None
    return name, value, after


def _disabled(environ: Mapping[str, str]) -> bool:
    if environ.get("POLICYX_NO_FASTPATH"):
        return True
    # Shell completion (Click's _POLICYX_COMPLETE, Typer's _TYPER_* variables) is Typer's job.
    return any(key.endswith("_COMPLETE") or key.startswith("_TYPER_") for key in environ)


def try_run(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> int | None:
    """Run ``argv`` on the fast path and return the exit code, or None if Typer must."""
    if _disabled(environ):
        return None
    parsed = parse(argv)
    if parsed is None:
        return None
    spec, g, options = parsed
    return run_guarded(lambda: int(spec.run(g, **options)))
