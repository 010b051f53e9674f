"""Typer parameters built from the tables of :mod:`policyx.cli.options`.

``@takes("list")`` gives a command's function the arguments and options the table lists
for that command (and, hidden, the global options, so that they may follow the command's
name) without declaring them again: the table is the one definition.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import __version__
from .complete import COMPLETERS
from .options import COMMANDS, GLOBAL_OPTIONS, Arg, Opt
from .runtime import write
from .session import session_of


def _set_global(key: str) -> Callable[..., None]:
    def callback(ctx: typer.Context, value: Any) -> None:
        if value is not None and value is not False:
            session_of(ctx).apply(key, value)

    return callback


def _print_version(value: bool) -> None:
    if value:
        write(f"policyx {__version__}\n")
        raise typer.Exit()


#: What an option with an ``action`` does, by its key (Opt.action): Click calls it as soon as it
#: reads the option (eager), before any command.
ACTIONS: dict[str, Callable[[bool], None]] = {"version": _print_version}


def parameter(option: Opt, *, hidden: bool = False, global_: bool = False) -> inspect.Parameter:
    """The keyword-only parameter declaring ``option`` to Typer."""
    settings: dict[str, Any] = {"help": option.help_text(), "hidden": hidden}
    if global_:
        settings.update(expose_value=False, callback=_set_global(option.key))
    if option.action is not None:
        settings.update(expose_value=False, callback=ACTIONS[option.action], is_eager=True)
    name = f"global_{option.key}" if global_ else option.key
    if option.flag:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=False,
                                 annotation=Annotated[bool, typer.Option(*option.flags, **settings)])
    settings["metavar"] = option.metavar
    if option.complete:
        settings["autocompletion"] = COMPLETERS[option.complete]
    # an "int" is read as text and converted by Opt.convert, so a wrong value gets policyx's words
    value: Any = str  # a path too: Opt.convert makes it a Path (after refusing an empty one)
    kind: Any = list[value] if option.multiple else value
    if option.required:
        default: Any = inspect.Parameter.empty
    elif option.default is None:
        kind, default = kind | None, None
    else:
        default = option.default
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[kind, typer.Option(*option.flags, **settings)])


def argument(arg: Arg) -> inspect.Parameter:
    """The parameter declaring the positional argument ``arg`` to Typer."""
    settings: dict[str, Any] = {"metavar": arg.metavar, "help": arg.help, "show_default": False}
    if arg.complete:
        settings["autocompletion"] = COMPLETERS[arg.complete]
    if arg.kind == "path":  # an unreadable file is the reader's located error (status 3), not a usage error
        settings["readable"] = False
    value: Any = Path if arg.kind == "path" else str
    kind: Any = list[value] if arg.many else value if arg.required else value | None
    return inspect.Parameter(arg.key, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                             default=inspect.Parameter.empty if arg.many or arg.required else None,
                             annotation=Annotated[kind, typer.Argument(**settings)])


def takes(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give the decorated command the arguments and options of ``name`` in the table, plus the
    global options (hidden). It receives the values converted (Opt.convert), a repeated option's
    or a variadic argument's as a tuple."""
    return options(*COMMANDS[name].options, arguments=COMMANDS[name].arguments)


def options(*declared: Opt, arguments: tuple[Arg, ...] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give the decorated command these arguments and options, plus the global options (hidden)."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        # inspect.get_annotations, not typing.get_type_hints: on Python 3.10 the latter wraps
        # ``Annotated[X, typer.Option()] = None`` in Optional[...], hiding Typer's metadata
        hints = inspect.get_annotations(function, eval_str=True)
        keys = {o.key for o in declared} | {a.key for a in arguments}
        # the function's own parameters (one the table declares, e.g. ``fmt``, comes from the table)
        own = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in inspect.signature(function).parameters.values()
            if p.kind is not inspect.Parameter.VAR_KEYWORD and p.name not in keys
        ]
        takes_ctx = any(p.annotation is typer.Context for p in own)
        if not takes_ctx:
            own.insert(0, inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context))
        positional = [argument(a) for a in arguments]
        added = [parameter(o) for o in declared]
        hidden = [parameter(o, hidden=True, global_=True) for o in GLOBAL_OPTIONS]

        @functools.wraps(function)
        def command(*args: Any, **kwargs: Any) -> Any:
            if not takes_ctx:
                kwargs.pop("ctx", None)
            for option in GLOBAL_OPTIONS:  # set on the Session by their callbacks
                kwargs.pop(f"global_{option.key}", None)
            for option in declared:
                value = kwargs.get(option.key)
                kwargs[option.key] = tuple(value) if isinstance(value, list) else option.convert(value)
            for arg in arguments:
                if isinstance(kwargs.get(arg.key), list):
                    kwargs[arg.key] = tuple(kwargs[arg.key])
            return function(*args, **kwargs)

        parameters = [own[0], *positional, *own[1:], *added, *hidden]
        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        # Typer must see the new signature, not the wrapped function's
        del command.__wrapped__
        return command

    return decorate
