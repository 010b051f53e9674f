"""The commands policyx prints for the user to run ("read more: policyx show ID"): built by
:func:`command` alone, so that each keeps the options that chose what was read (``--kb``,
``--sources``) and is quoted for a POSIX shell, to work when pasted.

The command line sets those options once per run (:func:`use_options`); the views and
renderers that print a command call :func:`command` with the words after them. A
context variable, not an argument threaded through every view: the hint is the user's
command line, which no view knows or should.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from contextvars import ContextVar

#: the options of this run that a printed command must repeat (``("--kb", "x.yaml")``)
_OPTIONS: ContextVar[tuple[str, ...]] = ContextVar("policyx_hint_options", default=())


def use_options(options: Sequence[str]) -> None:
    """Printed commands carry ``options`` from now on (the command line's --kb, --sources)."""
    _OPTIONS.set(tuple(options))


def command(*words: str, options: bool = True, kb: bool = True) -> str:
    """``policyx``, the options in use, then ``words``: each word quoted for the shell.
    ``options=False`` for a command that names its knowledge base itself (``--kb FILE``);
    ``kb=False`` keeps the others (--sources) for one that names its file (``check FILE``)."""
    chosen = _OPTIONS.get() if options else ()
    if not kb:
        pairs = zip(chosen[::2], chosen[1::2], strict=True)
        chosen = tuple(word for pair in pairs if pair[0] != "--kb" for word in pair)
    return " ".join(shlex.quote(word) for word in ("policyx", *chosen, *words))
