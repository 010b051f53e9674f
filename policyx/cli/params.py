"""Typer parameters built from the option tables of :mod:`policyx.cli.options`.

``@options(...)`` gives a command's function the listed options (and, hidden,
the global options, so that they may follow the command's name) without
declaring them again: the table is the one definition.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ..kb.errors import UsageError
from .complete import COMPLETERS
from .options import GLOBAL_OPTIONS, Opt
from .session import session_of


def _set_global(key: str) -> Callable[..., None]:
    def callback(ctx: typer.Context, value: Any) -> None:
        if value is None or value is False:
            return
        session = session_of(ctx)
        if key == "kb":
            session.kb_options = (*session.kb_options, *value)
        elif key == "no_cache":
            session.use_cache = False
        else:  # True for a flag
            setattr(session, key, value)

    return callback


def parameter(option: Opt, *, hidden: bool = False, global_: bool = False) -> inspect.Parameter:
    """The keyword-only parameter declaring ``option`` to Typer."""
    settings: dict[str, Any] = {"help": option.help_text(), "hidden": hidden}
    if global_:
        settings.update(expose_value=False, callback=_set_global(option.key))
    name = f"global_{option.key}" if global_ else option.key
    if option.flag:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=False,
                                 annotation=Annotated[bool, typer.Option(*option.flags, **settings)])
    settings["metavar"] = option.metavar
    if option.complete:
        settings["autocompletion"] = COMPLETERS[option.complete]
    if option.minimum is not None:
        settings["min"] = option.minimum
    value: Any = {"text": str, "int": int, "path": Path}[option.kind]
    kind: Any = list[value] if option.multiple else value
    if option.required:
        default: Any = inspect.Parameter.empty
    elif option.default is None:
        kind, default = kind | None, None
    else:
        default = option.default
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[kind, typer.Option(*option.flags, **settings)])


def options(*declared: Opt) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give the decorated command these options, plus the global options (hidden)."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        # inspect.get_annotations, not typing.get_type_hints: on Python 3.10 the latter wraps
        # ``Annotated[X, typer.Option()] = None`` in Optional[...], hiding Typer's metadata
        hints = inspect.get_annotations(function, eval_str=True)
        keys = {o.key for o in declared}
        # the function's own parameters (a declared option it names, e.g. ``fmt``, comes from the table)
        own = [
            p.replace(annotation=hints.get(p.name, p.annotation))
            for p in inspect.signature(function).parameters.values()
            if p.kind is not inspect.Parameter.VAR_KEYWORD and p.name not in keys
        ]
        added = [parameter(o) for o in declared]
        hidden = [parameter(o, hidden=True, global_=True) for o in GLOBAL_OPTIONS]
        if not any(p.annotation is typer.Context for p in own):
            own.insert(0, inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context))
            takes_ctx = False
        else:
            takes_ctx = True

        @functools.wraps(function)
        def command(*args: Any, **kwargs: Any) -> Any:
            if not takes_ctx:
                kwargs.pop("ctx", None)
            for option in GLOBAL_OPTIONS:  # set on the Session by their callbacks
                kwargs.pop(f"global_{option.key}", None)
            return function(*args, **kwargs)

        parameters = [*own, *added, *hidden]
        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in parameters}
        # Typer must see the new signature, not the wrapped function's
        del command.__wrapped__
        return command

    return decorate


def whole_number(option: str, value: str | None, *, least: int | None = None) -> int | None:
    """``value`` of ``option`` as a whole number (at least ``least``): a one-line usage error
    otherwise, in words rather than Click's (``x>=1``, ``not a valid int range``)."""
    if value is None:
        return None
    text = value.strip()
    digits = text[1:] if text.startswith("-") and least is None else text
    # the length first: int() refuses more than 4,300 digits with a ValueError
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 30 or (least is not None and int(text) < least):
        wanted = f"a whole number of {least} or more" if least is not None else "a whole number"
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise UsageError(f"{option} takes {wanted}, not {shown!r}")
    return int(text)
