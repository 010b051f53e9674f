"""The fast path: simple machine-format reads without importing Typer or Rich.

policyx runs inside aliases, loops and ``xargs``, so start-up time matters:
importing Typer costs more than reading a cached knowledge base. For command
lines this module understands completely, e.g.::

    policyx [--kb PATH] [--no-cache] [--no-color] list [COLLECTION] --format json

it parses the arguments itself and calls the very same functions as the
Typer command (open_kb -> records -> render -> write), with the same error
handling (:mod:`policyx.runtime`). Anything else (help, completion, a typo, a
table for a terminal, an option it does not know) returns ``None`` and the
Typer CLI runs as usual, so the fast path can only ever be a shortcut, never
a second interface. ``POLICYX_NO_FASTPATH=1`` turns it off (tests compare
both paths).

Adding an option of a command is one entry in its :class:`CommandSpec`:
the option's value reaches the command's function as a keyword argument.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .runtime import run_guarded, stdout_is_terminal, write

#: Global options (before the command): option -> (State-like field, value for a flag or None if it takes one).
GLOBAL_FLAGS: dict[str, tuple[str, Any]] = {
    "--no-cache": ("use_cache", False),
    "--no-color": ("color", False),
}
GLOBAL_VALUES: dict[str, str] = {"--kb": "kb_option"}


@dataclass(frozen=True)
class CommandSpec:
    """What the fast path accepts for one command."""

    #: the command's function: (globals, **options) -> exit code
    run: Callable[..., int]
    #: positional arguments in order: (keyword, allowed values or None for any)
    positionals: tuple[tuple[str, frozenset[str] | None], ...] = ()
    #: options taking a value: spelling -> keyword (``--format``, ``-f``)
    values: Mapping[str, str] = field(default_factory=dict)
    #: flags: spelling -> (keyword, value)
    flags: Mapping[str, tuple[str, Any]] = field(default_factory=dict)
    #: accept the argv only if this returns True for the parsed options
    accept: Callable[[dict[str, Any]], bool] = lambda options: True


@dataclass
class Globals:
    kb_option: str | None = None
    use_cache: bool = True
    color: bool | None = None


def _list(g: Globals, collection: str = "positions", fmt: str = "plain") -> int:
    from .load import resolve_path
    from .model import Kind
    from .records import RECORD_FIELDS, to_record
    from .render import Listing, render
    from .store import open_kb

    kind = Kind(collection)
    kb = open_kb(resolve_path(g.kb_option), use_cache=g.use_cache)
    records = [to_record(e) for e in kb.collection(kind)]
    write(render(fmt, Listing(records, RECORD_FIELDS[kind])))
    return 0


def _list_accepts(options: dict[str, Any]) -> bool:
    fmt = options.get("fmt")
    if fmt is None:
        # The command's default depends on the terminal; decide only the pipe case here.
        if stdout_is_terminal():
            return False
        options["fmt"] = "plain"
        return True
    return fmt in MACHINE_FORMATS


#: Formats the fast path renders; ``table`` needs Rich and a terminal: Typer path.
MACHINE_FORMATS = frozenset({"plain", "json", "jsonl", "csv", "tsv", "yaml", "markdown", "ids"})
_COLLECTIONS = frozenset({"sources", "actors", "models", "questions", "positions", "arguments"})

COMMANDS: dict[str, CommandSpec] = {
    "list": CommandSpec(
        run=_list,
        positionals=(("collection", _COLLECTIONS),),
        values={"--format": "fmt", "-f": "fmt"},
        accept=_list_accepts,
    ),
}


def parse(argv: Sequence[str]) -> tuple[CommandSpec, Globals, dict[str, Any]] | None:
    """Parse ``argv`` as Click would, or None when anything is unusual."""
    g = Globals()
    args = list(argv)
    i = 0
    # Global options, then the command's name.
    while i < len(args):
        token = args[i]
        if token in GLOBAL_FLAGS:
            name, value = GLOBAL_FLAGS[token]
            setattr(g, name, value)
            i += 1
            continue
        taken = _option_value(args, i, GLOBAL_VALUES, {})
        if taken is None:
            break
        name, value, i = taken
        setattr(g, name, value)
    if i >= len(args) or args[i] not in COMMANDS:
        return None
    spec = COMMANDS[args[i]]
    i += 1
    options: dict[str, Any] = {}
    positionals = list(spec.positionals)
    while i < len(args):
        token = args[i]
        if token in spec.flags:
            name, value = spec.flags[token]
            if name in options:
                return None
            options[name] = value
            i += 1
            continue
        if token.startswith("-"):
            taken = _option_value(args, i, spec.values, options)
            if taken is None:
                return None
            name, value, i = taken
            options[name] = value
            continue
        if not positionals:
            return None
        name, allowed = positionals.pop(0)
        if allowed is not None and token not in allowed:
            return None
        options[name] = token
        i += 1
    if not spec.accept(options):
        return None
    return spec, g, options


def _option_value(
    args: list[str], i: int, spellings: Mapping[str, str], seen: Mapping[str, Any]
) -> tuple[str, str, int] | None:
    """(keyword, value, next index) for ``--opt V``, ``--opt=V``, ``-oV``; None if not plain."""
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
    # A value that looks like an option, an empty one, or a repeat: let Click decide.
    if not value or value.startswith("-") or name in seen:
        return None
    return name, value, after


def _disabled(environ: Mapping[str, str]) -> bool:
    if environ.get("POLICYX_NO_FASTPATH"):
        return True
    # Shell completion (Click's _POLICYX_COMPLETE and Typer's variables) is Typer's job.
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
