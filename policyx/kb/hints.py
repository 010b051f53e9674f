"""The words of the command line, as the command line gives them: the commands policyx
prints for the user to run ("read more: policyx show ID"), built by :func:`command` alone,
and each option's spelling (:func:`option`).

Printed commands keep the options that chose what was read (the run's knowledge bases and
sources folder) and are quoted for a POSIX shell, to work when pasted. The command line sets
those options once per run (:func:`use_options`); the views and renderers that print a
command call :func:`command` with the words after them. A context variable, not an argument
threaded through every view: the hint is the user's command line, which no view knows or
should.

No view and nothing of the domain spells an option either: they name it by its key in the
command line's table (``option("sources")``, ``option("force")``), and the command line
says how a user types each (:func:`use_spellings`, from policyx.cli.options), so that
renaming an option changes one place.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from contextvars import ContextVar

#: the options of this run that a printed command must repeat: (key, words) pairs
_OPTIONS: ContextVar[tuple[tuple[str, tuple[str, ...]], ...]] = ContextVar("policyx_hint_options", default=())
#: the words of this run's export that choose what it holds (its question, tag and standing options)
_EXPORTED: ContextVar[tuple[str, ...]] = ContextVar("policyx_hint_exported", default=())
#: each option's key in the command line's table -> how a user types it (set by the command line)
_SPELLINGS: dict[str, str] = {}
#: each option's key -> the environment variable that stands in for it (set by the command line)
_VARIABLES: dict[str, str] = {}


def use_spellings(spellings: Mapping[str, str], variables: Mapping[str, str] | None = None) -> None:
    """Options are spelt as ``spellings`` say (an option's key -> its long spelling), and the
    environment variables that stand in for some are named as ``variables`` say."""
    _SPELLINGS.clear()
    _SPELLINGS.update(spellings)
    _VARIABLES.clear()
    _VARIABLES.update(variables or {})


def option(key: str) -> str:
    """How a user types the option whose key (in the command line's table) is ``key``; the
    key itself when no command line said (the library used on its own)."""
    return _SPELLINGS.get(key, key)


def variable(key: str) -> str:
    """The environment variable that stands in for the option whose key is ``key`` (``kb``:
    the knowledge base variable); the option itself when no command line said."""
    return _VARIABLES.get(key) or option(key)


def use_options(options: Sequence[tuple[str, Sequence[str]]]) -> None:
    """Printed commands carry ``options`` from now on: (key, words) pairs, in order (the
    command line's knowledge bases and sources folder)."""
    _OPTIONS.set(tuple((key, tuple(words)) for key, words in options))


def command(*words: str, options: bool = True, kb: bool = True) -> str:
    """``policyx``, the options in use, then ``words``: each word quoted for the shell.
    ``options=False`` for a command that names its knowledge base itself;
    ``kb=False`` keeps the others (the sources folder) for one that names its file (``check FILE``)."""
    chosen = _OPTIONS.get() if options else ()
    given = [word for key, option_words in chosen if kb or key != "kb" for word in option_words]
    return " ".join(shlex.quote(word) for word in ("policyx", *given, *words))


class export_selection:  # noqa: N801 - a context manager, used as a function is
    """While in it, the export being made is what ``words`` chose (its question, tag and standing
    options, as typed): its header says so (:func:`exported_by`); after it, nothing is chosen."""

    def __init__(self, words: Sequence[str]) -> None:
        self._words = tuple(words)

    def __enter__(self) -> None:
        self._token = _EXPORTED.set(self._words)

    def __exit__(self, *exc: object) -> None:
        _EXPORTED.reset(self._token)


def exported_by(*words: str) -> str:
    """The command that made an export, as its header prints it: the options in use, ``export``,
    ``words`` (its format option, as the renderer spells it), then what chose its entries."""
    return command("export", *words, *_EXPORTED.get())
