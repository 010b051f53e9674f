"""Shell completion without Typer, for the command lines this module understands.

The completion scripts Typer installs run ``policyx`` with ``_POLICYX_COMPLETE``
set (``complete_bash`` with ``COMP_WORDS``/``COMP_CWORD``; ``complete_zsh`` and
``complete_fish`` with ``_TYPER_COMPLETE_ARGS``). Importing Typer and building
its commands costs more than the 0.15 s a completion may take, so for every
command whose options are in the tables of :mod:`policyx.cli.options` (``list``,
``show``, ``compare``, ``search``, ``map``, ``export``, ``quiz``, ``check``) and for
command names this module answers itself, as Click and
Typer would (their protocol: ``typer/_completion_classes.py`` and Click's
``shell_completion``): it parses the words from the same option tables, asks the
same completion functions (:mod:`policyx.cli.complete`) through a stand-in for
Click's context, and prints in the shell's format. Anything else returns None
and Typer answers: the root's own options, the other commands, ``--``, an option it does
not know, a file name to write (``export -o``), and help that Typer's Rich
rendering would change (markup, or wider than the terminal: zsh and fish show
help beside each option and command). Tests compare both answers for many
command lines.
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Mapping

from .options import COMMANDS, GLOBAL_OPTIONS, GLOBAL_SPELLINGS, ROOT_OPTIONS, SUMMARIES, Command, Opt, take
from .session import Session

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any


#: what Typer adds to every command (Click's help option, ``-h`` from the app's settings)
HELP_NAMES = ["-h", "--help"]
HELP_TEXT = "Show this message and exit."
#: the root's options that act while Click parses (print, install): Typer's to handle
_ROOT_ACTIONS = frozenset({*(spelling for option in ROOT_OPTIONS for spelling in option.flags),
                           "--install-completion", "--show-completion", *HELP_NAMES})


class _Unsure(Exception):
    """A command line this module does not answer for: Typer's."""


class _Root:
    """What a completion function finds at the root of Click's context: ``--kb`` before the
    command (``params``) and the Session the global options after it set (``obj``)."""

    def __init__(self, kbs: tuple[str, ...], session: Session) -> None:
        self.params = {"kb": kbs}
        self.obj = session


class _Context:
    """The part of Click's context the completion functions read (policyx.cli.complete)."""

    def __init__(self, root: _Root, params: dict[str, Any], args: list[str]) -> None:
        self.root = root
        self.params = params
        self.args = args

    def find_root(self) -> _Root:
        return self.root


def split_words(text: str) -> list[str]:
    """Words as Click's ``split_arg_string`` splits them (an open quote keeps its partial word)."""
    lex = shlex.shlex(text, posix=True)
    lex.whitespace_split = True
    lex.commenters = ""
    out = []
    try:
        for token in lex:
            out.append(token)
    except ValueError:
        out.append(lex.token)
    return out


def completion_args(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str]:
    """(complete words after the program's name, the word being completed), as Typer reads them."""
    if shell == "bash":
        words = split_words(environ["COMP_WORDS"])
        cword = int(environ["COMP_CWORD"])
        return words[1:cword], words[cword] if cword < len(words) else ""
    given = environ.get("_TYPER_COMPLETE_ARGS", "")
    args = split_words(given)[1:]
    if args and not given.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _call(function: Any, ctx: _Context, incomplete: str) -> list[str]:
    """A completion function called as Typer calls it (by its parameters' names), its
    answers filtered by what was typed, as Typer filters them."""
    names = function.__code__.co_varnames[: function.__code__.co_argcount]
    given = {"ctx": ctx, "args": [], "incomplete": incomplete}
    values = function(**{name: given[name] for name in names})
    if any(not isinstance(value, str) for value in values):
        raise _Unsure  # (value, help) pairs: help goes through Typer's Rich rendering
    return [value for value in values if value.startswith(incomplete)]


def _value(option: Opt, ctx: _Context, incomplete: str) -> list[str]:
    if option.kind == "path":
        raise _Unsure  # Click's Path type has an answer of its own
    if option.complete is None:
        return []  # a plain string or a number: Click completes nothing
    from .complete import COMPLETERS  # lazy: value completion only

    return _call(COMPLETERS[option.complete], ctx, incomplete)


def complete(args: list[str], incomplete: str, environ: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """What Click would offer for ``incomplete`` after ``args``, as (value, help) pairs.

    Raises :class:`_Unsure` for anything it does not answer for exactly as Typer would.
    """
    if "--" in args or any(arg in _ROOT_ACTIONS for arg in args):
        raise _Unsure
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _, incomplete = incomplete.partition("=")
        args = [*args, name]
    session = Session(environ)
    root_kbs: tuple[str, ...] = ()
    i = 0
    # the root: global options, then the command's name
    while i < len(args) and args[i].startswith("-"):
        option, value, i = _take(args, i, GLOBAL_SPELLINGS)
        if value is None:  # a value option closing the line: its value is being completed
            if incomplete.startswith("-"):
                raise _Unsure
            return []  # --kb: a path, which the shell completes (Click offers nothing)
        if option.key == "kb":
            root_kbs = (*root_kbs, value)
    if i >= len(args):
        if incomplete.startswith("-"):
            raise _Unsure  # the root's own options (and their help): Typer's
        return [(name, summary) for name, summary in SUMMARIES.items() if name.startswith(incomplete)]
    table = COMMANDS.get(args[i])
    if table is None:
        raise _Unsure
    return _complete_command(table, args, i + 1, incomplete, _Root(root_kbs, session))


def _complete_command(
    table: Command, args: list[str], i: int, incomplete: str, root: _Root,
) -> list[tuple[str, str]]:
    known = {**table.spellings, **GLOBAL_SPELLINGS}
    params: dict[str, Any] = {}
    positionals: list[str] = []
    trailing: Opt | None = None  # an option closing the line, still without its value
    while i < len(args):
        token = args[i]
        if token.startswith("-"):
            if token == "-":
                raise _Unsure
            option, value, i = _take(args, i, known)
            if value is None:
                trailing = option
                break
            if option in GLOBAL_OPTIONS:  # hidden after the command; they only set the Session
                root.obj.apply(option.key, value)
                continue
            if option.multiple:
                params[option.key] = (*params.get(option.key, ()), value)
            else:
                params[option.key] = value
        else:
            positionals.append(token)
            i += 1
    # Click's parser stops at a missing value: the positional arguments stay unparsed (ctx.args)
    leftover = positionals
    if trailing is None:
        named = [a for a in table.arguments if not a.many]
        many = next((a for a in table.arguments if a.many), None)
        leftover = []
        for token in positionals:
            if named:
                params[named.pop(0).key] = token
            elif many is not None:
                params[many.key] = (*params.get(many.key, ()), token)
            else:
                leftover.append(token)
    ctx = _Context(root, params, leftover)
    if incomplete.startswith("-"):
        return _option_names(table, params, incomplete)
    if trailing is not None:
        return [(value, "") for value in _value(trailing, ctx, incomplete)]
    # the first argument still to give, else the one taking many values
    for arg in table.arguments:
        if arg.many or arg.key not in params:
            if arg.kind == "path":
                raise _Unsure  # Click's Path type has an answer of its own
            if arg.complete is None:
                return []
            from .complete import COMPLETERS  # lazy: value completion only

            return [(value, "") for value in _call(COMPLETERS[arg.complete], ctx, incomplete)]
    return []


def _option_names(table: Command, params: dict[str, Any], incomplete: str) -> list[tuple[str, str]]:
    """The command's visible options not given yet (or repeatable), then Click's help option."""
    out = [
        (spelling, option.help_text())
        for option in table.options
        if option.multiple or option.key not in params
        for spelling in option.flags
        if spelling.startswith(incomplete)
    ]
    # Click builds the help option's names from a set: the order is the set's, as in Typer
    help_names = list(set(HELP_NAMES))
    out.extend((spelling, HELP_TEXT) for spelling in help_names if spelling.startswith(incomplete))
    return out


def _take(args: list[str], i: int, known: Mapping[str, Opt]) -> tuple[Opt, Any, int]:
    """:func:`policyx.cli.options.take`, raising _Unsure for anything unusual (Typer answers)."""
    taken = take(args, i, known)
    if taken is None:
        raise _Unsure
    return taken


# -- the shells' formats (typer/_completion_classes.py) ----------------------


def _zsh_escape(text: str) -> str:
    return text.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")


def _plain_help(text: str, width: int) -> bool:
    """Help that Typer's Rich rendering leaves as it is: no markup or emoji codes, one line."""
    return (len(text) + text.count(":") * 2 < width and text.isascii() and re.search(r":[^\s:]+:", text) is None
            and not any(c in text for c in "[]\\"))


def answer(shell: str, items: list[tuple[str, str]], environ: Mapping[str, str]) -> tuple[str, int]:
    """(what to print, exit status) for ``items`` in ``shell``'s format."""
    if shell == "bash":
        return "\n".join(value for value, _ in items) + "\n", 0
    if any(help for _, help in items):
        if environ.get("TERM") in ("dumb", "unknown"):
            raise _Unsure
        width = Session(environ).help_width
        if not all(_plain_help(help, width) for _, help in items if help):
            raise _Unsure
    if shell == "zsh":
        if not items:
            return "_files\n", 0
        lines = [f'"{_zsh_escape(v)}":"{_zsh_escape(h)}"' if h else f'"{_zsh_escape(v)}"' for v, h in items]
        return "_arguments '*: :((" + "\n".join(lines) + "))'\n", 0
    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    shown = [f"{value}\t{''.join(' ' if c.isspace() else c for c in help)}" if help else value for value, help in items]
    if action == "is-args":
        return "", 0 if shown else 1
    if action == "get-args" and shown:
        return "\n".join(shown) + "\n", 0
    return "\n", 0


def answers(environ: Mapping[str, str]) -> tuple[str, int] | None:
    """(what Typer would print, its exit status) for the completion request in ``environ``,
    or None when Typer must answer."""
    instruction = environ.get("_POLICYX_COMPLETE", "")
    action, _, shell = instruction.partition("_")
    if action != "complete" or shell not in ("bash", "zsh", "fish"):
        return None
    try:
        args, incomplete = completion_args(shell, environ)
        return answer(shell, complete(args, incomplete, environ), environ)
    except (_Unsure, KeyError, ValueError):
        return None


def try_complete(environ: Mapping[str, str]) -> int | None:
    """Answer a completion request and return the exit status, or None if Typer must
    (``POLICYX_NO_FASTPATH=1`` leaves every request to Typer)."""
    if environ.get("POLICYX_NO_FASTPATH"):
        return None
    found = answers(environ)
    if found is None:
        return None
    text, status = found
    sys.stdout.write(text)
    sys.stdout.flush()
    return status
