"""Running as a program, without Typer: streams, errors, broken pipes.

Shared by the Typer CLI (:mod:`policyx.cli.app`) and the fast path
(:mod:`policyx.cli.fast`), so both write, fail and exit in exactly the same way.
Imports nothing heavy: the fast path's start-up time depends on it.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable

from ..kb.errors import (
    KnowledgeBaseError,
    NothingFound,
    OutputError,
    PolicyxError,
    Problem,
    UnknownIdError,
    UsageError,
)
from ..output.cells import for_encoding, terminal_text


class ExitCode:
    """Documented exit statuses (see docs/reference.md, "Exit codes")."""

    OK = 0
    NOT_FOUND = 1  # a search or filter matched nothing; an unknown id
    USAGE = 2  # bad options or arguments (Click's own code)
    INVALID_KB = 3  # the knowledge base could not be read or is invalid
    OUTPUT = 4  # the output could not be written (disk full, standard output closed)
    INTERNAL = 70  # a bug in policyx, or memory ran out (EX_SOFTWARE of sysexits.h)
    INTERRUPTED = 130


#: the exit status of each kind of error (the nearest kind an error is of decides)
EXIT_CODES: dict[type[PolicyxError], int] = {
    KnowledgeBaseError: ExitCode.INVALID_KB,
    UsageError: ExitCode.USAGE,
    UnknownIdError: ExitCode.NOT_FOUND,
    NothingFound: ExitCode.NOT_FOUND,
    OutputError: ExitCode.OUTPUT,
    PolicyxError: ExitCode.USAGE,  # an option or input that cannot be honoured as given
}


def exit_code(exc: PolicyxError) -> int:
    """The exit status of ``exc``, chosen from its kind."""
    return next(EXIT_CODES[kind] for kind in type(exc).__mro__ if kind in EXIT_CODES)

#: set to show the traceback of an internal error instead of its one-line message
TRACEBACK_VARIABLE = "POLICYX_TRACEBACK"


class _ClosedStdout(io.TextIOBase):
    """Standard output when the program started with it closed (``policyx ... >&-``).

    Python leaves ``sys.stdout`` None then, and Click's ``echo`` writes nothing, silently:
    ``--help >&-`` exited 0 where ``--version >&-`` exited 4. This stream fails every write
    the same way, whoever writes."""

    encoding = "utf-8"
    errors = "strict"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def steady_streams() -> None:
    """Make every write to stdout and stderr complete or fail (called once, before a command runs).

    With ``python -u`` or ``PYTHONUNBUFFERED=1`` (common in containers and CI), Python writes
    text straight to the unbuffered file, and its text layer ignores how many bytes a write
    took: a write cut short by a filling disk lost the rest silently, and policyx exited 0.
    A buffered writer retries a short write until it is complete or fails with an error, so
    each of those streams gets one (flushed on every line, to stay close to unbuffered)."""
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, io.TextIOWrapper) or not isinstance(stream.buffer, io.RawIOBase):
            continue
        try:
            stream.flush()
            raw = io.FileIO(stream.fileno(), "wb", closefd=False)
        except (OSError, ValueError):
            continue
        steady = io.TextIOWrapper(io.BufferedWriter(raw), encoding=stream.encoding, errors=stream.errors,
                                  line_buffering=True)
        setattr(sys, name, steady)


def write(text: str, lookalikes: bool = False) -> None:
    """Write data to stdout (messages go to stderr through :func:`say`).

    ``lookalikes``: the text is for people (a table, a tree, the quiz), so punctuation
    that stdout cannot encode (LC_ALL=C) goes out as ASCII look-alikes ("..." rather than
    \\u201c...\\u201d); data formats keep \\u escapes, which JSON and YAML read back.

    When the reader has gone (``policyx list | head -1``), the command ends
    here, quietly and with status 0. Ending with SystemExit rather than letting
    BrokenPipeError travel up matters under Typer: Click turns an EPIPE into
    exit status 1 before :func:`policyx.cli.app.run` could see it.
    """
    if sys.stdout is None:  # started with stdout closed (`policyx list >&-`)
        raise OutputError("cannot write the output: standard output is closed")
    # the text layer writes the whole text or raises: steady_streams() made sure of it
    try:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:
            # stdout is not UTF-8 (PYTHONIOENCODING=ascii, a Latin-1 locale): what it cannot
            # encode goes out as \u escapes (valid JSON and YAML escapes), never a traceback
            encoding = sys.stdout.encoding or "ascii"
            if lookalikes:
                sys.stdout.write(for_encoding(text, encoding))
            else:
                sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
    except BrokenPipeError:
        raise SystemExit(broken_pipe()) from None
    except OSError as exc:
        raise output_error(exc) from None


def output_error(exc: OSError) -> OutputError:
    """The error for an output that cannot be written (``> file`` on a full disk)."""
    _discard_stdout()  # so that the interpreter's final flush does not fail again
    return OutputError(f"cannot write the output: {_reason(exc)}")


def _reason(exc: OSError) -> str:
    full = exc.errno in {getattr(errno, n, None) for n in ("ENOSPC", "EDQUOT")}
    return f"{exc.strerror or exc}{' (is the disk full?)' if full else ''}"


def say(message: str) -> None:
    """Write a message to stderr. Messages quote file names and values from the data,
    so control and direction-override characters are shown as escapes, never sent.

    A message that cannot be written (stderr closed, ``2>&1 | head -1``) is dropped: it
    never changes what the command does or its exit status."""
    stream = sys.stderr
    if stream is None:  # started with stderr closed (`2>&-`)
        return
    try:
        stream.write(terminal_text(message.rstrip("\n")) + "\n")
        stream.flush()
    except (OSError, ValueError):
        _discard(stream)


def is_standard_output(output: str | os.PathLike[str]) -> bool:
    """``-o -``: every writer's standard output, as Unix tools spell it (whatever else is a
    stream, a pipe or ``/dev/stdout``, is :func:`policyx.kb.safewrite.is_stream`'s)."""
    return os.fspath(output) == "-"


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal (False for None, closed or odd streams)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    return is_terminal(sys.stdout)


def report(exc: PolicyxError) -> int:
    """Print an expected error on stderr, each line (one per problem) as
    ``policyx: file:line:col: message``; return its exit code."""
    say("\n".join(f"policyx: {line}" for line in exc.message.split("\n")))
    return exit_code(exc)


def broken_pipe() -> int:
    # The Python docs' recipe: point stdout at devnull so the interpreter's
    # final flush does not raise again, then exit quietly.
    _discard_stdout()
    return 0


def _discard_stdout() -> None:
    _discard(sys.stdout)


def _discard(stream: object) -> None:
    """Point ``stream``'s descriptor at devnull, so that the interpreter's final flush of
    what it still holds does not fail again (that would make the exit status 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())  # type: ignore[attr-defined]
        finally:
            os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no descriptor to redirect
        pass


def interrupted() -> int:
    say("")
    return ExitCode.INTERRUPTED


def internal_error(exc: BaseException) -> int:
    """An exception policyx did not expect: one line and a way to report it, exit status 70.

    Status 1 means "nothing found" to scripts; a crash must never look like that. With
    ``POLICYX_TRACEBACK=1`` the exception propagates instead, traceback and all."""
    if isinstance(exc, MemoryError):
        say("policyx: out of memory: the knowledge base, or what was asked of it, needs more memory than this"
            " process may use (see `ulimit -v`); try a smaller knowledge base or a narrower command")
        return ExitCode.INTERNAL
    if os.environ.get(TRACEBACK_VARIABLE):
        raise exc
    detail = " ".join(str(exc).split())
    if len(detail) > 160:
        detail = detail[:159] + "…"
    say(f"policyx: internal error: {type(exc).__name__}{': ' + detail if detail else ''}"
        f" (a bug in policyx: please report it, with the command line and what"
        f" {TRACEBACK_VARIABLE}=1 policyx ... prints)")
    return ExitCode.INTERNAL


def run_guarded(body: Callable[[], int]) -> int:
    """Run ``body`` as a program would: no tracebacks for expected errors,
    quiet on broken pipes and Ctrl-C; anything unexpected is an internal error
    (exit status 70). Returns the exit code."""
    steady_streams()
    try:
        code = body()
    except KeyboardInterrupt:
        code = interrupted()
    except PolicyxError as exc:
        code = report(exc)
    except BrokenPipeError:
        code = broken_pipe()
    except OSError as exc:
        code = report(unreachable(exc)) if exc.filename is not None else internal_error(exc)
    except Exception as exc:  # MemoryError included: an Exception, and no traceback either
        code = internal_error(exc)
    return flush(code)


def unreachable(exc: OSError) -> KnowledgeBaseError:
    """A path given that the system will not even look at (a folder on the way that may not be
    entered, a name too long): the user's to fix, exit status 3 like any file that cannot be read,
    never an internal error. (Writers report their own paths as OutputError before this.)"""
    reason = (exc.strerror or str(exc)).lower()
    name = exc.filename
    shown = os.fsdecode(name) if isinstance(name, (str, bytes)) else str(name)
    return KnowledgeBaseError([Problem(f"{reason}, so it cannot be read", shown,
                                       hint="check the path, and that you may read the file and enter every"
                                       " folder on its way")])


def flush(code: int) -> int:
    """Flush stdout (where a closed pipe shows up) and return the exit code."""
    if sys.stdout is None:
        return code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = broken_pipe()
    except OSError as exc:
        code = report(output_error(exc))
    return code
